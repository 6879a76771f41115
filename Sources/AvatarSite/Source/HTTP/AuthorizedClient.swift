public import Foundation
public import NIOHTTP1

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

/// Requests with the source's credentials: the `Authorization` header on every request, and,
/// for client credentials, one renewal of the token when the service rejects it.
public struct AuthorizedClient: Sendable {
    public let client: APIClient
    public let credentials: Credentials
    public let retry: RetryPolicy

    public init(client: APIClient, credentials: Credentials, retry: RetryPolicy) {
        self.client = client
        self.credentials = credentials
        self.retry = retry
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
