import Logging

/// Authenticated GETs against Graph: the bearer token on every request, one renewal when the
/// token is rejected, and Graph's error bodies turned into classified `SourceError`s.
struct GraphTransport: Sendable {
    let client: APIClient
    let tokens: ClientCredentialsTokenProvider
    let retry: RetryPolicy
    let logger: Logger

    func get(_ kind: RequestKind, url: String, maxBytes: Int) async throws(SourceError) -> APIResponse {
        var token = try await tokens.accessToken()
        var response = try await client.send(kind, url: url, headers: [("Authorization", "Bearer \(token)")],
                                             maxBytes: maxBytes, retry: retry)
        if response.status == 401 {
            // An expired or revoked token: renew it once and try again, once.
            token = try await tokens.accessToken(rejected: token)
            response = try await client.send(kind, url: url, headers: [("Authorization", "Bearer \(token)")],
                                             maxBytes: maxBytes, retry: retry)
        }
        return response
    }

    /// Classifies a failed response by status and Graph's error code.
    static func error(for response: APIResponse, url: String) -> SourceError {
        let body = GraphErrorBody.parse(response.body)
        let kind: SourceError.Kind
        switch (response.status, body?.code) {
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
        return SourceError(kind, url: url, status: response.status, code: body?.code,
                           message: body?.message ?? "the service answered HTTP \(response.status)")
    }
}
