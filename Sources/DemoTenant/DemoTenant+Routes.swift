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

    func respond(to request: Request) async throws -> Response {
        let isAPI = !request.uri.path.contains("/oauth2/")
        if isAPI {
            let count = inFlight.withLock { inFlight in
                inFlight.now += 1
                inFlight.most = max(inFlight.most, inFlight.now)
                return inFlight.now
            }
            defer { inFlight.withLock { $0.now -= 1 } }
            if let limit = configuration.maxConcurrency, count > limit {
                self.count("fault_concurrency_429")
                return DemoAnswer.json(.tooManyRequests, ["error": ["code": "TooManyRequests", "message": "Too many requests in flight."]],
                                       headers: ["Retry-After": String(configuration.throttleRetryAfterSeconds)]).response
            }
            return try await respondInFlight(to: request)
        }
        return try await respondInFlight(to: request)
    }

    private func respondInFlight(to request: Request) async throws -> Response {
        if configuration.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(configuration.latencyMilliseconds))
        }
        let segments = request.uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let query = Self.queryParameters(request.uri.query)
        userAgent.withLock { $0 = request.headers[.userAgent] }
        if request.method == .post, segments.count == 4, segments[1...] == ["oauth2", "v2.0", "token"] {
            count("token")
            let refuse = tokenFailuresLeft.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if refuse {
                return Self.wrongSecret(clientID: configuration.clientID).response
            }
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return issueToken(form: Self.queryParameters(String(buffer: body)), tenant: segments[0]).response
        }
        let dialect: Dialect
        switch segments.first?.lowercased() {
        case "v1.0", "beta": dialect = .graph
        case "api" where segments.count > 1 && segments[1].lowercased() == "v2.0": dialect = .outlook
        case "ews" where segments.count > 1 && segments[1].lowercased() == "exchange.asmx": dialect = .ews
        default: return Self.graphError(.notFound, "UnknownError", "No route for \(request.uri.path)").response
        }
        let served = graphRequestsServed.withLock { served in
            served += 1
            return served
        }
        if served == configuration.faults.revokeTokensAfterRequests {
            tokens.withLock { $0.removeAll() }
        }
        guard isAuthorized(request, dialect: dialect) else {
            if dialect == .ews { return DemoAnswer.bytes(.unauthorized, Data(), contentType: "text/plain").response }
            return Self.graphError(.unauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid.").response
        }
        if let fault = drawFault() {
            return answer(with: fault).response
        }
        switch dialect {
        case .outlook:
            let route = Array(segments.dropFirst(2))
            if request.method == .patch || request.method == .put {
                var request = request
                let body = try await request.collectBody(upTo: Self.maxUploadBytes + 1)
                return setPhoto(outlookKey: route, method: request.method, body: Data(buffer: body)).response
            }
            guard request.method == .get else {
                return Self.graphError(.methodNotAllowed, "ErrorInvalidRequest", "Only GET is served here.").response
            }
            return outlook(route, path: request.uri.path).response
        case .ews:
            var request = request
            let body = request.method == .post ? Data(buffer: try await request.collectBody(upTo: 64 * 1024)) : nil
            return ews(Array(segments.dropFirst(2)), method: request.method, query: query, body: body,
                       ifNoneMatch: request.headers[.ifNoneMatch]).response
        case .graph:
            break
        }
        let route = Array(segments.dropFirst())
        if request.method == .post, route == ["$batch"] {
            count("batch")
            var request = request
            let body = try await request.collectBody(upTo: 1024 * 1024)
            return batch(Data(buffer: body)).response
        }
        if request.method == .put || request.method == .patch, route.count == 4, route[0] == "users", route[2] == "photo",
           route[3] == "$value" {
            var request = request
            let body = try await request.collectBody(upTo: Self.maxUploadBytes + 1)
            return setPhoto(key: route[1], method: request.method, body: Data(buffer: body)).response
        }
        guard request.method == .get else {
            return Self.graphError(.methodNotAllowed, "Request_BadRequest", "Only GET is served here.").response
        }
        return get(route, query: query, apiRoot: "http://\(request.head.authority ?? "127.0.0.1")/\(segments[0])",
                   path: request.uri.path).response
    }

    /// The three photo APIs the tenant speaks.
    enum Dialect {
        case graph, outlook, ews
    }

    /// Serves a GET of a Graph route (segments after the version), alone or inside a batch.
    func get(_ route: [String], query: [String: String], apiRoot: String, path: String) -> DemoAnswer {
        switch route.count {
        case 1 where route[0] == "users" && configuration.faults.listingDenied:
            count("fault_403")
            return Self.insufficientPrivileges()
        case 1 where route[0] == "users":
            count("users")
            let served = listingPagesServed.withLock { served in
                defer { served += 1 }
                return served
            }
            if let limit = configuration.faults.listingFailsAfterPages, served >= limit {
                return Self.graphError(.serviceUnavailable, "ServiceNotAvailable", "The listing is unavailable.")
            }
            return listUsers(query: query, apiRoot: apiRoot)
        case 2 where route[0] == "users":
            count("user")
            guard let user = user(key: route[1]) else { return Self.userNotFound(route[1]) }
            let selected = query["$select"].map { $0.split(separator: ",").map(String.init) } ?? Self.defaultFields
            return Self.json(.ok, userJSON(user, selected: selected))
        case 3... where route[0] == "users" && isUnauthorizedPhoto(route[1]):
            count("fault_401")
            return Self.graphError(.unauthorized, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        case 3... where route[0] == "users" && configuration.faults.photosDenied:
            count("fault_403")
            return Self.insufficientPrivileges()
        case 3... where route[0] == "users" && configuration.faults.failAllPhotos:
            count("fault_photo")
            return Self.graphError(.serviceUnavailable, "ServiceNotAvailable", "Photos are unavailable.")
        case 3 where route[0] == "users" && route[2] == "photo":
            count("photo")
            return photoMetadata(userID: route[1], size: nil)
        case 4 where route[0] == "users" && route[2] == "photo" && route[3] == "$value":
            count("photo_value")
            return photoValue(userID: route[1], size: nil)
        case 3 where route[0] == "users" && route[2] == "photos":
            count("photos")
            return photoCollection(userID: route[1])
        case 4 where route[0] == "users" && route[2] == "photos":
            count("photos_size")
            return photoMetadata(userID: route[1], size: route[3])
        case 5 where route[0] == "users" && route[2] == "photos" && route[4] == "$value":
            count("photos_size_value")
            return photoValue(userID: route[1], size: route[3])
        default:
            return Self.graphError(.badRequest, "Request_BadRequest", "Unsupported segment in \(path)")
        }
    }

    // MARK: - Token endpoint

    private func issueToken(form: [String: String], tenant: String) -> DemoAnswer {
        guard tenant == configuration.tenant else {
            return Self.entraError(.badRequest, "invalid_request", code: 90002, """
                AADSTS90002: Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing \
                into the correct cloud. Check with your subscription administrator, this may happen if there are no active \
                subscriptions for the tenant.
                """)
        }
        let clientID = form["client_id"] ?? ""
        guard form["grant_type"] == "client_credentials", clientID == configuration.clientID else {
            return Self.entraError(.badRequest, "unauthorized_client", code: 700016, """
                AADSTS700016: Application with identifier '\(clientID)' was not found in the directory '\(tenant)'. This can \
                happen if the application has not been installed by the administrator of the tenant or consented to by any \
                user in the tenant. You may have sent your authentication request to the wrong tenant.
                """)
        }
        guard form["client_secret"] == configuration.clientSecret else { return Self.wrongSecret(clientID: clientID) }
        if configuration.faults.expiredSecret {
            return Self.entraError(.unauthorized, "invalid_client", code: 7000222, """
                AADSTS7000222: The provided client secret keys for app '\(clientID)' are expired. Visit the Azure portal to \
                create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for \
                added security: https://aka.ms/certCreds.
                """)
        }
        let token = "demo." + UUID().uuidString
        tokens.withLock { _ = $0.insert(token) }
        everIssued.withLock { $0.append(token) }
        if let expiresIn = configuration.faults.tokenExpiresIn {
            let lifetime = expiresIn.isEmpty ? "" : "\"expires_in\": \(expiresIn), "
            return .rawJSON(.ok, Data("{\(lifetime)\"token_type\": \"Bearer\", \"access_token\": \"\(token)\"}".utf8))
        }
        return Self.json(.ok, ["token_type": "Bearer", "expires_in": configuration.tokenLifetimeSeconds,
                               "ext_expires_in": configuration.tokenLifetimeSeconds, "access_token": token])
    }

    /// A bearer token the tenant issued; for EWS also HTTP basic with the configured account,
    /// as Exchange on premises takes it.
    private func isAuthorized(_ request: Request, dialect: Dialect) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        if header.hasPrefix("Bearer ") {
            let token = String(header.dropFirst("Bearer ".count))
            return tokens.withLock { $0.contains(token) }
        }
        if dialect == .ews, header.hasPrefix("Basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count))).map({ String(decoding: $0, as: UTF8.self) }) {
            return decoded == "\(configuration.basicUsername):\(configuration.basicPassword)"
        }
        return false
    }

    // MARK: - Users

    private func listUsers(query: [String: String], apiRoot: String) -> DemoAnswer {
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

    /// Whether the faults make this user's photo answer 401.
    func isUnauthorizedPhoto(_ key: String) -> Bool {
        let refused = configuration.faults.unauthorizedPhotoUsers
        guard !refused.isEmpty else { return false }
        return refused.contains("*") || user(key: key).map { refused.contains($0.id) } ?? false
    }

    /// The address of `mail eq 'jane.o''hara@contoso.com'`, quotes undoubled.
    static func mailFilter(_ filter: String) -> String? {
        let text = filter.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("mail eq '"), text.hasSuffix("'"), text.count > 10 else { return nil }
        return String(text.dropFirst("mail eq '".count).dropLast()).replacingOccurrences(of: "''", with: "'")
    }

    /// A user as Graph returns them, with `manager` when it is expanded (`managerFields`) and
    /// the user has one in the tenant: Graph leaves the key out for the top of the organisation.
    private func userJSON(_ user: DemoUser, selected: [String], manager managerFields: [String]? = nil) -> [String: Any] {
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

    // MARK: - Photos

    func photoMetadata(userID: String, size: String?) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        switch user.photo {
        case .none:
            return Self.imageNotFound()
        case .oneByOne:
            return Self.json(.ok, ["@odata.mediaContentType": "image/gif", "@odata.mediaEtag": "", "id": "1X1",
                                   "width": 1, "height": 1])
        case .portrait, .raw:
            guard let (width, height) = Self.servedSize(of: user.photo, requested: size) else { return Self.imageNotFound() }
            return Self.json(.ok, metadata(user, width: width, height: height))
        }
    }

    private func photoCollection(userID: String) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        guard let (width, height) = user.photo.largestSize else { return Self.json(.ok, ["value": [Any]()]) }
        var sizes = Self.graphSides.filter { $0 < min(width, height) }.map { (width: $0, height: $0) }
        sizes.append((width, height))
        return Self.json(.ok, ["value": sizes.map { metadata(user, width: $0.width, height: $0.height) }])
    }

    func photoValue(userID: String, size: String?) -> DemoAnswer {
        guard let user = user(key: userID) else { return Self.userNotFound(userID) }
        guard let (width, height) = Self.servedSize(of: user.photo, requested: size) else { return Self.imageNotFound() }
        let bytes: Data
        switch user.photo {
        case .portrait(let variant, _, _): bytes = Self.studio.jpeg(variant: variant, width: width, height: height)
        case .raw(let data, _, _): bytes = data
        case .none, .oneByOne: return Self.imageNotFound()
        }
        if shouldTruncatePhoto() {
            count("fault_truncated")
            return .dropped(promising: bytes.count, part: bytes.prefix(bytes.count / 2), contentType: "image/jpeg")
        }
        if configuration.faults.stalledPhotoUsers.contains(user.id) {
            count("fault_stalled")
            stalledArrivals.withLock { $0.append(.now) }
            return .stalled(promising: bytes.count, part: bytes.prefix(16), contentType: "image/jpeg",
                            trickle: configuration.faults.trickle)
        }
        if configuration.faults.hugeErrorUsers.contains(user.id) {
            count("fault_huge_error")
            let code = String(repeating: "Bad\u{1B}[31m\r\n", count: configuration.faults.hugeErrorCodeBytes / 10)
            return Self.graphError(.badRequest, code, String(repeating: "x\u{07}", count: 1000))
        }
        return .bytes(.ok, bytes, contentType: "image/jpeg", headers: ["ETag": etag(user)])
    }

    func metadata(_ user: DemoUser, width: Int, height: Int) -> [String: Any] {
        ["@odata.mediaContentType": "image/jpeg", "@odata.mediaEtag": etag(user), "id": "\(width)X\(height)",
         "width": width, "height": height]
    }

    /// Stands for the photo's version: it changes when the photo does.
    func etag(_ user: DemoUser) -> String {
        switch user.photo {
        case .portrait(let variant, let width, let height): "W/\"\(String(variant, radix: 16))\(width)\(height)\""
        case .raw(let data, _, _): "W/\"\(String(data.count, radix: 16))-\(String(data.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }, radix: 16))\""
        case .none, .oneByOne: ""
        }
    }

    static let graphSides = [48, 64, 96, 120, 240, 360, 432, 504, 648]

    /// The size `/photos/{size}` serves for this photo: the largest, or a smaller HD size.
    static func servedSize(of photo: DemoPhoto, requested: String?) -> (Int, Int)? {
        guard let (width, height) = photo.largestSize else { return nil }
        guard let requested else { return (width, height) }
        let parts = requested.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        if parts[0] == width && parts[1] == height { return (width, height) }
        guard parts[0] == parts[1], graphSides.contains(parts[0]), parts[0] < min(width, height) else { return nil }
        return (parts[0], parts[1])
    }
}
