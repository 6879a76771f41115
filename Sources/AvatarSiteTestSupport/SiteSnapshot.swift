public import Foundation
public import Testing

/// Every file of a site with its bytes and modification time, to prove a build changed nothing.
public struct SiteSnapshot {
    let files: [String: (data: Data, modified: Date)]

    /// - Parameters:
    ///   - includingIndex: also compare `users.json`.
    ///   - includingState: also compare the build's state file.
    public init(_ root: URL, includingIndex: Bool = false, includingState: Bool = false) throws {
        var files = [String: (Data, Date)]()
        for path in filesBelow(root) where path.hasPrefix("users/") || (includingIndex && path == "users.json")
            || (includingState && path == ".avatar-site/state.json") {
            let url = root.appendingPathComponent(path)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            files[path] = (try Data(contentsOf: url), attributes[.modificationDate] as? Date ?? .distantPast)
        }
        self.files = files
    }

    /// Files added, removed, or different in bytes or modification time.
    public func changedFiles(since other: SiteSnapshot) -> Set<String> {
        let keys = Set(files.keys).union(other.files.keys)
        return keys.filter { path in
            guard let new = files[path], let old = other.files[path] else { return true }
            return new.data != old.data || new.modified != old.modified
        }
    }

    public func expectSameUsers(as other: SiteSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(files.keys) == Set(other.files.keys), "the set of files changed", sourceLocation: sourceLocation)
        let changed = files.filter { path, file in
            guard let old = other.files[path] else { return false }
            return old.data != file.data || old.modified != file.modified
        }
        #expect(changed.isEmpty, "\(changed.count) files changed, e.g. \(changed.keys.sorted().prefix(3))", sourceLocation: sourceLocation)
    }
}
