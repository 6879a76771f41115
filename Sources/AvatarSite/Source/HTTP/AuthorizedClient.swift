import Foundation
import NIOHTTP1
import Logging

/// Authenticated GETs against Graph: the bearer token on every request, one renewal when the
/// token is rejected, and Graph's error bodies turned into classified `SourceError`s.
struct GraphTransport: Sendable {
    let client: APIClient
    let tokens: ClientCredentialsTokenProvider
    let retry: RetryPolicy
    let logger: Logger

    func get(_ kind: RequestKind, url: String, maxBytes: Int) async throws(SourceError) -> APIResponse {
        try await send(kind, method: .GET, url: url, body: nil, maxBytes: maxBytes)
    }

    /// Sends with the bearer token. Only requests that change nothing may come here: they are
    /// retried (a `$batch` of GETs is as safe to repeat as a GET).
    func send(_ kind: RequestKind, method: HTTPMethod, url: String, body: Data?, maxBytes: Int)
        async throws(SourceError) -> APIResponse {
        var headers = [(String, String)]()
        if body != nil { headers.append(("Content-Type", "application/json")) }
        var token = try await tokens.accessToken()
        var response = try await client.send(kind, method: method, url: url, headers: headers + [("Authorization", "Bearer \(token)")],
                                             body: body, maxBytes: maxBytes, retry: retry)
        if response.status == 401 {
            // An expired or revoked token: renew it once and try again, once.
            token = try await tokens.accessToken(rejected: token)
            response = try await client.send(kind, method: method, url: url, headers: headers + [("Authorization", "Bearer \(token)")],
                                             body: body, maxBytes: maxBytes, retry: retry)
        }
        return response
    }

    /// Classifies a failed response by status and Graph's error code.
    static func error(for response: APIResponse, url: String) -> SourceError {
        error(status: response.status, body: response.body, url: url)
    }

    static func error(status: Int, body data: Data, url: String) -> SourceError {
        let body = GraphErrorBody.parse(data)
        let kind: SourceError.Kind
        switch (status, body?.code) {
        case (401, _):
            kind = .authentication
        case (_, "MailboxNotEnabledForRESTAPI"), (_, "MailboxNotHostedInExchangeOnline"), (_, "ErrorMailboxNotFound"),
             (_, "ErrorNonExistentMailbox"):
            kind = .noMailbox
        case (429, _), (500...599, _):
            kind = .transient
        default:
            kind = .permanent
        }
        return SourceError(kind, url: url, status: status, code: body?.code,
                           message: body?.message ?? "the service answered HTTP \(status)")
    }
}
