import Foundation

/// The error body Graph (and Entra ID's token endpoint) send with a failed request.
struct GraphErrorBody: Sendable {
    var code: String?
    var message: String?

    private struct Envelope: Decodable {
        struct Inner: Decodable {
            var code: String?
            var message: String?
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
    static func parse(_ body: Data) -> GraphErrorBody? {
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body), let inner = envelope.error {
            return GraphErrorBody(code: inner.code, message: inner.message.map(firstLine))
        }
        if let oauth = try? JSONDecoder().decode(OAuthError.self, from: body), oauth.error != nil {
            return GraphErrorBody(code: oauth.error, message: oauth.errorDescription.map(firstLine))
        }
        return nil
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "").prefix(300).description
    }
}
