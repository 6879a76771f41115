public import Foundation
public import NIOHTTP1
import Synchronization

/// How a source's requests prove who they are. Secrets come from the environment only, and no
/// value here is ever logged or written.
public enum Credentials: Sendable {
    /// OAuth2 client credentials: a bearer token from Entra ID, renewed when it expires.
    case clientCredentials(ClientCredentialsTokenProvider)
    /// HTTP basic, for Exchange on premises.
    case basic(username: String, password: String)
    /// A bearer token obtained by other means.
    case bearer(String)
}

extension Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The kind only: a credential printed by accident (a log line, a debugger) shows no secret.
    public var description: String {
        switch self {
        case .clientCredentials: "client credentials"
        case .basic: "basic (redacted)"
        case .bearer: "bearer (redacted)"
        }
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// Requests with the source's credentials: the `Authorization` header on every request, and,
/// for client credentials, one renewal of the token when the service rejects it.
///
/// A 401 that persists after a fresh token is usually one user's answer (guests, some
/// mailboxes): it is returned for the caller to make that user's failure. Only when most
/// requests end that way are the credentials themselves refused, and the build stops.
public struct AuthorizedClient: Sendable {
    public let client: APIClient
    public let credentials: Credentials
    public let retry: RetryPolicy
    let rejections: RejectionTracker

    public init(client: APIClient, credentials: Credentials, retry: RetryPolicy) {
        self.init(client: client, credentials: credentials, retry: retry, rejections: RejectionTracker())
    }

    init(client: APIClient, credentials: Credentials, retry: RetryPolicy, rejections: RejectionTracker) {
        self.client = client
        self.credentials = credentials
        self.retry = retry
        self.rejections = rejections
    }

    /// The same client with another retry policy, sharing the count of rejections.
    func retrying(_ retry: RetryPolicy) -> AuthorizedClient {
        AuthorizedClient(client: client, credentials: credentials, retry: retry, rejections: rejections)
    }

    public func get(_ kind: RequestKind, url: String, headers: [(String, String)] = [], maxBytes: Int)
        async throws(SourceError) -> APIResponse {
        try await send(kind, method: .GET, url: url, headers: headers, body: nil, maxBytes: maxBytes)
    }

    /// Sends with the credentials. Requests sent here are retried (429, 5xx, broken
    /// connections) and so must be safe to repeat: reads, and writes that put whole values.
    public func send(_ kind: RequestKind, method: HTTPMethod, url: String, headers: [(String, String)] = [], body: Data?,
                     maxBytes: Int, retry: RetryPolicy? = nil) async throws(SourceError) -> APIResponse {
        let retry = retry ?? self.retry
        var authorization = try await authorizationHeader(rejected: nil)
        var response = try await client.send(kind, method: method, url: url, headers: headers + [("Authorization", authorization)],
                                             body: body, maxBytes: maxBytes, retry: retry)
        if response.status == 401, case .clientCredentials = credentials {
            // An expired or revoked token: renew it once and try again, once.
            authorization = try await authorizationHeader(rejected: authorization)
            response = try await client.send(kind, method: method, url: url, headers: headers + [("Authorization", authorization)],
                                             body: body, maxBytes: maxBytes, retry: retry)
        }
        if rejections.record(rejected: response.status == 401) {
            throw SourceError(.authentication, url: url, status: 401,
                              message: "the service refuses the credentials for most requests, even with a fresh token")
        }
        return response
    }

    private func authorizationHeader(rejected: String?) async throws(SourceError) -> String {
        switch credentials {
        case .clientCredentials(let tokens):
            let token = try await tokens.accessToken(rejected: rejected.map { String($0.dropFirst("Bearer ".count)) })
            return "Bearer \(token)"
        case .basic(let username, let password):
            return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case .bearer(let token):
            return "Bearer \(token)"
        }
    }
}

/// The last requests' outcomes: whether 401s are a few users' or everyone's.
final class RejectionTracker: Sendable {
    /// How many recent requests are judged, and how many must be answered before judging.
    static let window = 40
    static let minimumSample = 10

    private let recent = Mutex<[Bool]>([])

    /// Records one request; returns true when most recent requests were refused.
    func record(rejected: Bool) -> Bool {
        recent.withLock { recent in
            recent.append(rejected)
            if recent.count > Self.window { recent.removeFirst(recent.count - Self.window) }
            let refused = recent.filter { $0 }.count
            return rejected && recent.count >= Self.minimumSample && refused * 2 > recent.count
        }
    }
}
