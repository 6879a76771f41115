public import Foundation

/// A file the site writes whole at the publish (`users.json`, the page and its assets, host
/// configs, the state): written atomically, and only when its bytes changed, so an unchanged
/// file keeps its modification time and a sync uploads nothing.
public struct SiteArtifact: Sendable {
    public var url: URL
    public var data: Data

    public init(_ url: URL, _ data: Data) {
        self.url = url
        self.data = data
    }

    /// Writes every artifact whose bytes differ from the file's; returns those written.
    @discardableResult
    public static func writeChanged(_ artifacts: [SiteArtifact]) throws(SiteError) -> [URL] {
        var written = [URL]()
        for artifact in artifacts where (try? Data(contentsOf: artifact.url)) != artifact.data {
            try AtomicFile.write(artifact.data, to: artifact.url)
            written.append(artifact.url)
        }
        return written
    }
}
