import Foundation

/// The error body OData services (Graph, Outlook REST) and Entra ID's token endpoint send with
/// a failed request.
struct ODataErrorBody: Sendable {
    var code: String?
    package var message: String?

    private struct Envelope: Decodable {
        struct Inner: Decodable {
            var code: String?
            package var message: String?
        }
        var error: Inner?
    }

    private struct OAuthError: Decodable {
        var error: String?
        var errorDescription: String?

        enum CodingKeys: String, CodingKey {
            case error
            case errorDescription = "error_description"
        }
    }

    /// Reads Graph's `{"error": {"code", "message"}}` or OAuth2's `{"error", "error_description"}`.
    static func parse(_ body: Data) -> ODataErrorBody? {
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body), let inner = envelope.error {
            return ODataErrorBody(code: inner.code, message: inner.message.map(firstLine))
        }
        if let oauth = try? JSONDecoder().decode(OAuthError.self, from: body), oauth.error != nil {
            return ODataErrorBody(code: oauth.error, message: oauth.errorDescription.map(firstLine))
        }
        return nil
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "").prefix(300).description
    }
}

extension SourceError {
    /// Classifies a failed OData answer by its status and the service's error code.
    static func odata(status: Int, body data: Data, url: String) -> SourceError {
        let body = ODataErrorBody.parse(data)
        let kind: SourceError.Kind
        switch (status, body?.code) {
        case (401, _), (403, _):
            kind = .forbidden
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

    static func odata(_ response: APIResponse, url: String) -> SourceError {
        odata(status: response.status, body: response.body, url: url)
    }
}
