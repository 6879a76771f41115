public import Foundation

/// What earlier uploads from a folder sent: per user, the SHA-256 of the bytes uploaded and the
/// photo ETag the service reported afterwards, in the folder's `.avatar-site-upload/state.json`.
/// The service re-encodes what it receives, so a hash of its `$value` never equals the file:
/// these two together are how a file already sent is known.
public struct UploadState: Codable, Sendable, Equatable {
    public struct Record: Codable, Sendable, Equatable {
        public var digest: String
        /// The photo's ETag right after the upload; nil when the service did not say.
        public var etag: String?
        public var file: String

        public init(digest: String, etag: String?, file: String) {
            self.digest = digest
            self.etag = etag
            self.file = file
        }
    }

    public var version = 1
    public var users: [String: Record] = [:]

    public init() {}

    public static func file(in folder: URL) -> URL {
        folder.appendingPathComponent(".avatar-site-upload").appendingPathComponent("state.json")
    }

    /// The state of `folder`; empty when there is none (or it cannot be read: the worst that
    /// does is send the photos again).
    public static func read(from folder: URL) -> UploadState {
        guard let data = try? Data(contentsOf: file(in: folder)),
              let state = try? JSONDecoder().decode(UploadState.self, from: data), state.version == 1
        else { return UploadState() }
        return state
    }

    public func write(to folder: URL) throws(SiteError) {
        try AtomicFile.write(try SiteJSON.encode(self), to: Self.file(in: folder))
    }
}

/// Whether a prepared photo goes up: a pure function of what was sent before and what the
/// service has now.
public enum UploadPlan {
    public enum Action: Equatable, Sendable {
        case upload
        /// The same bytes were sent, and the user's photo is still the one they became.
        case unchanged
    }

    public static func action(digest: String, record: UploadState.Record?, currentETag: String?, force: Bool) -> Action {
        guard !force, let record, record.digest == digest, let etag = record.etag, let currentETag, etag == currentETag else {
            return .upload
        }
        return .unchanged
    }
}
