import Foundation
import NIOHTTP1

/// OAuth2 client credentials against Entra ID's v2.0 token endpoint. The token is shared by
/// every request and renewed shortly before it expires; concurrent callers wait for one renewal.
public actor ClientCredentialsTokenProvider {
    public struct Credentials: Sendable {
        public var tokenURL: String
        public var clientID: String
        public var clientSecret: String
        public var scope: String

        public init(tokenURL: String, clientID: String, clientSecret: String, scope: String) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.scope = scope
        }
    }

    private struct Token {
        var value: String
        var renewAfter: ContinuousClock.Instant
    }

    private struct TokenResponse: Decodable {
        var accessToken: String
        var expiresIn: Double

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    private let credentials: Credentials
    private let client: APIClient
    private let retry: RetryPolicy
    private var token: Token?
    private var renewal: Task<Token, any Error>?

    public init(credentials: Credentials, client: APIClient, retry: RetryPolicy) {
        self.credentials = credentials
        self.client = client
        self.retry = retry
    }

    /// A valid access token, renewed when it is close to expiry or when `rejected` is the one cached.
    public func accessToken(rejected: String? = nil) async throws(SourceError) -> String {
        if let token, token.value != rejected, ContinuousClock.now < token.renewAfter {
            return token.value
        }
        let task: Task<Token, any Error>
        if let renewal {
            task = renewal
        } else {
            task = Task { try await self.requestToken() }
            renewal = task
        }
        do {
            let fresh = try await task.value
            token = fresh
            renewal = nil
            return fresh.value
        } catch {
            renewal = nil
            throw error as? SourceError ?? SourceError(.authentication, url: credentials.tokenURL, message: "\(error)")
        }
    }

    private func requestToken() async throws(SourceError) -> Token {
        let form = [
            ("grant_type", "client_credentials"), ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret), ("scope", credentials.scope),
        ].map { "\($0)=\(FormEncoding.escape($1))" }.joined(separator: "&")
        let response = try await client.send(
            .token, method: .POST, url: credentials.tokenURL,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            // Asking for a token changes nothing on the server, so it is as safe to repeat as a GET.
            body: Data(form.utf8), maxBytes: 64 * 1024, retry: retry)
        guard response.status == 200 else {
            let error = ODataErrorBody.parse(response.body)
            let kind: SourceError.Kind = (400..<500).contains(response.status) && response.status != 429 ? .authentication : .transient
            // A proxy in front of the token endpoint could echo the request: never let the secret through.
            let detail = (error?.message ?? "no detail").replacingOccurrences(of: credentials.clientSecret, with: "[secret]")
            throw SourceError(kind, url: credentials.tokenURL, status: response.status, code: error?.code,
                              message: "the token endpoint refused the client credentials: \(detail)")
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: response.body), !decoded.accessToken.isEmpty else {
            throw SourceError(.invalidResponse, url: credentials.tokenURL, status: 200, message: "the token response has no access_token")
        }
        // Renew a little early: a fifth of the lifetime, at most two minutes.
        let margin = min(120, decoded.expiresIn / 5)
        return Token(value: decoded.accessToken, renewAfter: .now + .milliseconds(Int64((decoded.expiresIn - margin) * 1000)))
    }
}

enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
