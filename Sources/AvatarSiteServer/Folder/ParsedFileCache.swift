import Foundation
import Synchronization

/// Files `serve` parses rather than sends (the map files, users.json's sizes), kept parsed until
/// the file on disk changes: each request checks the file's identity, and a rebuild that
/// replaces it is read again on the next request. A missing file is nil, never an old value.
final class ParsedFileCache<Value: Sendable>: Sendable {
    private struct Entry {
        var identity: FileIdentity
        var value: Value
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let parse: @Sendable (String, Data) -> Value

    /// - Parameter parse: turns a file's path and bytes into the value; called again only when the file changed.
    init(parse: @escaping @Sendable (String, Data) -> Value) {
        self.parse = parse
    }

    func value(of relative: String, in folder: SiteFolder) throws(SiteFolderError) -> Value? {
        guard let file = folder.file(at: relative) else {
            entries.withLock { $0[relative] = nil }
            return nil
        }
        if let entry = entries.withLock({ $0[relative] }), entry.identity == file.identity {
            return entry.value
        }
        let value = parse(relative, try file.read())
        entries.withLock { $0[relative] = Entry(identity: file.identity, value: value) }
        return value
    }
}
