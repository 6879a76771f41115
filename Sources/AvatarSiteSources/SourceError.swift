public import Foundation

/// A failure to read the directory or a photo, classified so the build knows what to do with it.
public struct SourceError: LocalizedError, Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The network failed: refused, reset, timed out.
        case connection
        /// The server asked us to slow down or is unwell (429, 503, 504, other 5xx).
        case transient
        /// Authentication failed: a wrong secret, client id or tenant.
        case authentication
        /// The server refused the request for good (400, 403, other 4xx).
        case permanent
        /// The user has no mailbox or it is not in Exchange Online.
        case noMailbox = "no_mailbox"
        /// The server sent something that is not what the API documents.
        case invalidResponse = "invalid_response"
        /// The body was over its size limit.
        case bodyTooLarge = "body_too_large"
        /// The mailbox API knows no such address (EWS answers HTTP 500 for it).
        case unknownAddress = "unknown_address"
        /// The service refused this user's photo to us (401 or 403 for one user; guests and
        /// some mailboxes answer so): that user's failure, not the night's.
        case forbidden
        /// The record the directory listed cannot be read.
        case invalidRecord = "invalid_record"
        /// The build was stopped (SIGINT, SIGTERM) while the request was out.
        case cancelled
    }

    public var kind: Kind
    /// The URL, without its query (which may hold a filter that is nobody's business).
    public var url: String
    public var status: Int?
    /// The service's own error code, such as `ImageNotFound` or `ErrorAccessDenied`.
    public var code: String?
    public var message: String
    /// What the failed request was for, when a source says (the report's failure stage).
    public var request: RequestKind?

    /// Server text is capped and stripped of control characters here, once: an error code of
    /// megabytes, repeated for every user, would fill memory and the report, and escape
    /// sequences would reach logs and terminals.
    public init(_ kind: Kind, url: String, status: Int? = nil, code: String? = nil, message: String,
                request: RequestKind? = nil) {
        self.kind = kind
        self.url = ServerText.clean(Self.withoutQuery(url), limit: 300)
        self.status = status
        self.code = code.map { ServerText.clean($0, limit: 80) }
        self.message = ServerText.clean(message, limit: 400)
        self.request = request
    }

    package static func cancelled(url: String) -> SourceError {
        SourceError(.cancelled, url: url, message: "the build was stopped")
    }

    /// The same failure, marked as a failure of a `request` request.
    package func during(_ request: RequestKind) -> SourceError {
        var error = self
        error.request = request
        return error
    }

    static func withoutQuery(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }

    public var errorDescription: String? {
        var parts = [String]()
        if let status { parts.append("HTTP \(status)") }
        if let code { parts.append(code) }
        let head = parts.isEmpty ? "" : parts.joined(separator: " ") + ": "
        return "\(head)\(message) (\(url))"
    }
}

/// Text that came from a server, made safe to keep, log and report.
enum ServerText {
    /// At most `limit` characters, control characters (escape sequences, line breaks) replaced
    /// by spaces.
    static func clean(_ text: String, limit: Int) -> String {
        var cleaned = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < limit else {
                cleaned.append("…")
                break
            }
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
            cleaned.append(isControl ? " " : scalar)
            count += 1
        }
        return String(cleaned)
    }
}
