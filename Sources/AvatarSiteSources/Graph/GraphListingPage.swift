import Foundation
import AvatarSiteContract

/// One page of `GET /users`, read user by user: one bad record (a lone surrogate, a number like
/// `1e400`, nesting a decoder refuses) costs that record's field, or that record, never the
/// page. A page that is not an OData collection at all is still the listing's failure.
struct GraphListingPage {
    /// The users, each decoded on its own; a field that does not decode is left out.
    var users: [DirectoryUser] = []
    /// Records that are not a user at all (no id that is a string), with the reason.
    var invalid: [InvalidRecord] = []
    var nextLink: String?

    /// Nesting deeper than this in a page goes the slow, careful way; deeper than
    /// `maximumFieldDepth` in one field, the field is dropped without being decoded.
    static let maximumFastDepth = 64
    static let maximumFieldDepth = 32

    private struct Whole: Decodable {
        var value: [[String: JSONValue]]
        var nextLink: String?

        enum CodingKeys: String, CodingKey {
            case value
            case nextLink = "@odata.nextLink"
        }
    }

    static func decode(_ data: Data, url: String) throws(SourceError) -> GraphListingPage {
        if JSONScanner.maximumDepth(of: data) <= maximumFastDepth, let whole = try? JSONDecoder().decode(Whole.self, from: data) {
            var page = GraphListingPage(nextLink: whole.nextLink)
            for record in whole.value { page.add(record) }
            return page
        }
        return try carefully(data, url: url)
    }

    /// The page taken apart with the scanner: each record decoded alone, and a record that
    /// does not decode taken apart field by field.
    private static func carefully(_ data: Data, url: String) throws(SourceError) -> GraphListingPage {
        let notACollection = SourceError(.invalidResponse, url: url, status: 200, message: "the user list is not an OData collection")
        let members: [(key: String, value: Range<Int>)]
        let elements: [Range<Int>]
        do {
            members = try JSONScanner.members(of: data)
            guard let value = members.first(where: { $0.key == "value" })?.value else { throw notACollection }
            elements = try JSONScanner.elements(ofArrayIn: data, range: value)
        } catch {
            throw notACollection
        }
        var page = GraphListingPage()
        if let link = members.first(where: { $0.key == "@odata.nextLink" })?.value {
            page.nextLink = JSONScanner.decodeString(data.subdata(in: link))
        }
        for range in elements {
            let element = data.subdata(in: range)
            if JSONScanner.maximumDepth(of: element) <= maximumFastDepth,
               let record = try? JSONDecoder().decode([String: JSONValue].self, from: element) {
                page.add(record)
            } else if let fields = try? JSONScanner.members(of: element) {
                var record = [String: JSONValue]()
                for (key, value) in fields {
                    let bytes = element.subdata(in: value)
                    guard JSONScanner.maximumDepth(of: bytes) <= maximumFieldDepth,
                          let decoded = try? JSONDecoder().decode(JSONValue.self, from: bytes) else { continue }
                    record[key] = decoded
                }
                page.add(record)
            } else {
                page.invalid.append(InvalidRecord(id: nil, reason: "a user in the listing is not a JSON object"))
            }
        }
        return page
    }

    private mutating func add(_ record: [String: JSONValue]) {
        guard case .string(let id) = record["id"], !id.isEmpty else {
            invalid.append(InvalidRecord(id: nil, reason: "a user in the listing has no id that can be read"))
            return
        }
        var fields = record
        fields["manager"] = nil
        users.append(DirectoryUser(id: id, record: fields, manager: Self.managerID(record["manager"])))
    }

    /// The id of an expanded `manager` (`{"@odata.type": "#microsoft.graph.user", "id": …}`);
    /// nil when there is none (Graph leaves the key out for the top of the organisation), or
    /// when the id could not name a user's folder, so could never be one of the site's users.
    static func managerID(_ value: JSONValue?) -> String? {
        guard case .object(let manager)? = value, case .string(let id)? = manager["id"], UserID.isValid(id) else { return nil }
        return id
    }
}
