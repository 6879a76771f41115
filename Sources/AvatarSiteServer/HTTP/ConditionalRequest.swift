import Foundation
import AvatarSiteSources

/// A file's validators and what a conditional request's headers make of them, as nginx decides.
public struct FileValidators: Equatable, Sendable {
    public var size: Int
    /// Seconds since 1970; HTTP dates have no finer grain.
    public var modified: Int

    public init(size: Int, modified: Int) {
        self.size = size
        self.modified = modified
    }

    /// nginx's strong ETag, `"{mtime hex}-{size hex}"`: the same file answers with the same ETag
    /// from nginx and from `serve`, so a cache in front of either revalidates against both.
    public var entityTag: String {
        "\"\(String(modified, radix: 16))-\(String(size, radix: 16))\""
    }

    public var lastModified: String {
        HTTPDate.format(modified)
    }
}

/// The conditional headers of a request.
public struct ConditionalRequest: Sendable {
    public var ifMatch: String?
    public var ifNoneMatch: String?
    public var ifModifiedSince: String?
    public var ifUnmodifiedSince: String?

    public init(ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: String? = nil,
                ifUnmodifiedSince: String? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    public enum Outcome: Equatable, Sendable {
        case send
        case notModified
        case preconditionFailed
    }

    /// RFC 9110's order: If-Match, else If-Unmodified-Since; then If-None-Match, else
    /// If-Modified-Since. A date matches only the file's exact time, as nginx's default
    /// `if_modified_since exact`: a file put back with an older time is still sent.
    public func outcome(for file: FileValidators) -> Outcome {
        if let ifMatch {
            if !Self.list(ifMatch, contains: file.entityTag, weak: false) { return .preconditionFailed }
        } else if let date = ifUnmodifiedSince.flatMap(HTTPDate.parse), file.modified > date {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            return Self.list(ifNoneMatch, contains: file.entityTag, weak: true) ? .notModified : .send
        }
        if let date = ifModifiedSince.flatMap(HTTPDate.parse), date == file.modified {
            return .notModified
        }
        return .send
    }

    /// Whether a header's list of entity tags (or `*`) holds `tag`; a weak comparison ignores `W/`.
    static func list(_ header: String, contains tag: String, weak: Bool) -> Bool {
        let entries = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return entries.contains { entry in
            if entry == "*" { return true }
            if entry.hasPrefix("W/") { return weak && entry.dropFirst(2) == tag }
            return entry == tag
        }
    }
}
