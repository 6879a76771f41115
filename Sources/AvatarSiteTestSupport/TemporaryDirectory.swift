public import Foundation

/// Runs `body` with a fresh folder that is removed afterwards, whatever `body` does.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("avatar-site-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Every regular file below `root`, as paths relative to it, sorted.
public func filesBelow(_ root: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
        return []
    }
    let prefix = root.standardizedFileURL.path + "/"
    var files = [String]()
    for case let url as URL in enumerator {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
        files.append(String(url.standardizedFileURL.path.dropFirst(prefix.count)))
    }
    return files.sorted()
}

/// Writes `text` as `site.yml` in `folder` and returns its URL.
public func writeSiteFile(_ text: String, in folder: URL) throws -> URL {
    let file = folder.appendingPathComponent("site.yml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
}
