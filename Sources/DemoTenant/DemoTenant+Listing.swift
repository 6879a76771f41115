import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    /// Graph's own default `$select` when a request names none; it includes private fields.
    static let defaultFields = ["id", "displayName", "givenName", "surname", "userPrincipalName", "mail", "jobTitle",
                                "mobilePhone", "officeLocation"]

    /// `GET /users`: one page of the listing, with `$select`, `$expand`, `$filter`, `$top` and
    /// `$skiptoken` as Graph takes them, and the listing faults.
    func listUsers(query: [String: String], apiRoot: String) -> DemoAnswer {
        let selected = query["$select"].map { $0.split(separator: ",").map(String.init) } ?? Self.defaultFields
        var managerFields: [String]?
        if let expand = query["$expand"] {
            guard let fields = Self.managerFields(expanding: expand) else {
                return Self.graphError(.badRequest, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property "
                                           + "named '\(expand)' on type 'microsoft.graph.user'.")
            }
            managerFields = fields
        }
        var candidates = users.indices.map { $0 }
        if let filter = query["$filter"] {
            if filter.replacingOccurrences(of: " ", with: "").lowercased() == "accountenabledeqtrue" {
                candidates = candidates.filter { users[$0].accountEnabled }
            } else if let mail = Self.mailFilter(filter) {
                candidates = candidates.filter { users[$0].fields["mail"]?.lowercased() == mail.lowercased() }
            } else {
                return Self.graphError(.badRequest, "Request_UnsupportedQuery", "Unsupported query.")
            }
        }
        // Graph returns at most 100 users a page when it expands a relationship, whatever `$top` asks.
        let top = min(Int(query["$top"] ?? "") ?? 100, configuration.maxPageSize, managerFields == nil ? Int.max : 100)
        let skip = Int(query["$skiptoken"] ?? "") ?? 0
        guard top > 0, skip >= 0 else { return Self.graphError(.badRequest, "Request_BadRequest", "Invalid paging.") }
        let loop = configuration.faults.listingLoop
        // Distinct links forever: the users start over, under ever new links.
        let start = loop == .distinctLinks && !candidates.isEmpty ? skip % candidates.count : skip
        let page = Array(candidates.dropFirst(start).prefix(top))
        var records = page.map { userJSON(users[$0], selected: selected, manager: managerFields) }
        var raw = [String: String]()
        for (position, index) in page.enumerated() {
            for (field, text) in configuration.faults.rawListingFields[users[index].id] ?? [:] {
                let marker = "avatar-site-raw-\(raw.count)"
                raw[marker] = text
                records[position][field] = marker
            }
        }
        var body: [String: Any] = ["@odata.context": "\(apiRoot)/$metadata#users", "value": records]
        var nextSkip: Int? = skip + top < candidates.count ? skip + top : nil
        switch loop {
        case .distinctLinks?, .emptyPages?: nextSkip = skip + top
        case .cycle? where skip > 0: nextSkip = 0
        case .cycle?, nil: break
        }
        if let nextSkip {
            var next = query
            next["$skiptoken"] = String(nextSkip)
            // Page 0 is linked without a skip token, the way the first request asked for it.
            if nextSkip == 0, loop == .cycle { next["$skiptoken"] = nil }
            body["@odata.nextLink"] = "\(apiRoot)/users?" + next.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(Self.escape($0.value))" }.joined(separator: "&")
        }
        guard !raw.isEmpty else { return Self.json(.ok, body) }
        var text = String(decoding: (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        for (marker, value) in raw { text = text.replacingOccurrences(of: "\"\(marker)\"", with: value) }
        return .rawJSON(.ok, Data(text.utf8))
    }

    /// The address of `mail eq 'jane.o''hara@contoso.com'`, quotes undoubled.
    static func mailFilter(_ filter: String) -> String? {
        let text = filter.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("mail eq '"), text.hasSuffix("'"), text.count > 10 else { return nil }
        return String(text.dropFirst("mail eq '".count).dropLast()).replacingOccurrences(of: "''", with: "'")
    }

    /// A user as Graph returns them, with `manager` when it is expanded (`managerFields`) and
    /// the user has one in the tenant: Graph leaves the key out for the top of the organisation.
    func userJSON(_ user: DemoUser, selected: [String], manager managerFields: [String]? = nil) -> [String: Any] {
        var object = [String: Any]()
        for field in selected {
            switch field {
            case "id": object["id"] = user.id
            case "accountEnabled": object["accountEnabled"] = user.accountEnabled
            default: object[field] = user.fields[field] ?? NSNull()
            }
        }
        if let managerFields, let managerID = user.manager, let index = userIndex[managerID] {
            var manager = userJSON(users[index], selected: managerFields)
            manager["@odata.type"] = "#microsoft.graph.user"
            manager["id"] = managerID
            object["manager"] = manager
        }
        return object
    }

    /// The manager's fields `$expand` asks for: `manager` (Graph's default properties) or
    /// `manager($select=id,…)`; nil for anything else, which this tenant does not expand.
    static func managerFields(expanding expand: String) -> [String]? {
        let text = expand.trimmingCharacters(in: .whitespaces)
        if text == "manager" { return defaultFields }
        guard text.hasPrefix("manager($select="), text.hasSuffix(")") else { return nil }
        let fields = text.dropFirst("manager($select=".count).dropLast().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return fields.isEmpty || fields.contains(where: \.isEmpty) ? nil : fields
    }
}
