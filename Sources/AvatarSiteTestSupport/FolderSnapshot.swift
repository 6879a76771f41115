public import Foundation

/// Every entry below a folder — files with their bytes and modification time, folders and
/// links by name — to prove that a command wrote nothing there.
public struct FolderSnapshot: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var kind: String
        var data: Data?
        var modified: Date?
    }

    let entries: [String: Entry]

    public init(_ root: URL) throws {
        var entries = [String: Entry]()
        let prefix = root.standardizedFileURL.path + "/"
        if let enumerator = FileManager.default.enumerator(atPath: root.path) {
            for case let relative as String in enumerator {
                let path = root.appendingPathComponent(relative).path
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                let type = attributes[.type] as? FileAttributeType
                let isFile = type == .typeRegular
                entries[String(URL(fileURLWithPath: path).standardizedFileURL.path.dropFirst(prefix.count))] = Entry(
                    kind: type?.rawValue ?? "unknown",
                    data: isFile ? try Data(contentsOf: URL(fileURLWithPath: path)) : nil,
                    modified: isFile ? attributes[.modificationDate] as? Date : nil)
            }
        }
        self.entries = entries
    }

    /// Entries added, removed or changed since `other`.
    public func changes(since other: FolderSnapshot) -> [String] {
        Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }.sorted()
    }
}
