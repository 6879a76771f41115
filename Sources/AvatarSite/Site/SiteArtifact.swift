public import Foundation

/// A file the site writes whole at the publish (`users.json`, the page and its assets, host
/// configs, the state): written atomically, and only when its bytes changed, so an unchanged
/// file keeps its modification time and a sync uploads nothing.
public struct SiteArtifact: Sendable {
    public var url: URL
    public var data: Data
    /// A script people run (`hosting/sync-s3.sh`).
    public var executable: Bool

    public init(_ url: URL, _ data: Data, executable: Bool = false) {
        self.url = url
        self.data = data
        self.executable = executable
    }

    var permissions: mode_t { executable ? 0o755 : 0o644 }

    /// Writes every artifact whose bytes (or whether it is executable) differ from the file's;
    /// returns those written.
    @discardableResult
    public static func writeChanged(_ artifacts: [SiteArtifact]) throws(SiteError) -> [URL] {
        var written = [URL]()
        for artifact in artifacts where !artifact.isInPlace {
            try AtomicFile.write(artifact.data, to: artifact.url, permissions: artifact.permissions)
            written.append(artifact.url)
        }
        return written
    }

    private var isInPlace: Bool {
        var status = stat()
        guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              (status.st_mode & 0o100 != 0) == executable else { return false }
        return (try? Data(contentsOf: url)) == data
    }
}
