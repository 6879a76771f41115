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

    /// The lifetime taken when the answer gives none that can be used; a token that expires
    /// sooner is renewed on its first 401.
    static let defaultLifetime = 3600.0
    /// Lifetimes are held to this range: zero or negative would renew before every request, and
    /// 1e300 seconds would overflow the clock.
    static let lifetimeRange = 60.0...86_400.0

    /// A token answer's `access_token` and lifetime, read leniently: `expires_in` may be a
    /// number or a numeric string (Entra ID's v1 endpoint sends strings), and anything else is
    /// the default lifetime. Nothing in the body can make this trap.
    static func parse(_ body: Data) -> (token: String, lifetime: Double)? {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let token = object["access_token"] as? String, !token.isEmpty, token.utf8.count <= 64 * 1024
        else { return nil }
        let stated: Double? = switch object["expires_in"] {
        case let number as NSNumber: number.doubleValue
        case let text as String: Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
        guard let stated, stated.isFinite, stated > 0 else { return (token, defaultLifetime) }
        return (token, min(max(stated, lifetimeRange.lowerBound), lifetimeRange.upperBound))
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
        guard let (token, lifetime) = Self.parse(response.body) else {
            throw SourceError(.invalidResponse, url: credentials.tokenURL, status: 200, message: "the token response has no access_token")
        }
        // Renew a little early: a fifth of the lifetime, at most two minutes.
        let margin = min(120, lifetime / 5)
        return Token(value: token, renewAfter: .now + .milliseconds(Int64((lifetime - margin) * 1000)))
    }
}

enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
