import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
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
        // The body is read before the fault is drawn: a fault depends on what is asked, and all
        // batches share one URL.
        var request = request
        let body: Data? = switch request.method {
        case .post, .put, .patch: Data(buffer: try await request.collectBody(upTo: Self.bodyLimit(dialect)))
        default: nil
        }
        if let fault = drawFault(for: "\(request.method) \(request.uri) \(body.map(FaultDice.digest) ?? 0)") {
            return answer(with: fault).response
        }
        switch dialect {
        case .outlook:
            let route = Array(segments.dropFirst(2))
            if request.method == .patch || request.method == .put {
                return setPhoto(outlookKey: route, method: request.method, body: body ?? Data()).response
            }
            guard request.method == .get else {
                return Self.graphError(.methodNotAllowed, "ErrorInvalidRequest", "Only GET is served here.").response
            }
            return outlook(route, path: request.uri.path).response
        case .ews:
            return ews(Array(segments.dropFirst(2)), method: request.method, query: query, body: body,
                       ifNoneMatch: request.headers[.ifNoneMatch]).response
        case .graph:
            break
        }
        let route = Array(segments.dropFirst())
        if request.method == .post, route == ["$batch"] {
            count("batch")
            return batch(body ?? Data()).response
        }
        if request.method == .put || request.method == .patch, route.count == 4, route[0] == "users", route[2] == "photo",
           route[3] == "$value" {
            return setPhoto(key: route[1], method: request.method, body: body ?? Data()).response
        }
        guard request.method == .get else {
            return Self.graphError(.methodNotAllowed, "Request_BadRequest", "Only GET is served here.").response
        }
        return get(route, query: query, apiRoot: "http://\(request.head.authority ?? "127.0.0.1")/\(segments[0])",
                   path: request.uri.path).response
    }

    /// The most a request's body may hold: an EWS SOAP request, a `$batch` of twenty GETs, a photo.
    static func bodyLimit(_ dialect: Dialect) -> Int {
        switch dialect {
        case .ews: 64 * 1024
        case .graph, .outlook: maxUploadBytes + 1
        }
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
}
