public import Foundation

/// Publishes a build in an order that keeps the folder a consistent site at every instant, even
/// if the process is killed between two steps: every user `users.json` lists has all its files.
///
/// 1. Each staged user folder replaces the published one in one step (`DirectorySwap`).
/// 2. `users.json` is replaced, listing exactly the users now in place; then the artifacts that
///    read it (the page, host configs), each only if its bytes changed.
/// 3. Folders of users it no longer lists are removed.
/// 4. The state is written, describing what is now published.
///
/// A killed run leaves staged folders and temporary files behind; `removeLeftovers()` clears
/// them at the start of the next run, which then does the work again.
public struct SitePublisher: Sendable {
    public let layout: SiteLayout

    public init(layout: SiteLayout) {
        self.layout = layout
    }

    /// Removes what a killed run left: the staging folder and temporary files at the top.
    public func removeLeftovers() throws(SiteError) {
        let fileManager = FileManager.default
        // A user's old folder parked aside by a swap that was cut short goes back first.
        for name in (try? fileManager.contentsOfDirectory(atPath: layout.stagedUsersFolder.path)) ?? []
        where name.hasPrefix(DirectorySwap.asidePrefix) {
            let id = String(name.dropFirst(DirectorySwap.asidePrefix.count))
            let target = layout.userFolder(id)
            if PathSegment.isSafe(id), !fileManager.fileExists(atPath: target.path) {
                _ = rename(layout.stagedUsersFolder.appendingPathComponent(name).path, target.path)
            }
        }
        if fileManager.fileExists(atPath: layout.stagingFolder.path) {
            try DirectorySwap.remove(layout.stagingFolder)
        }
        for folder in [layout.root, layout.stateFolder] {
            for name in (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            where name.hasPrefix(AtomicFile.temporaryPrefix) {
                try DirectorySwap.remove(folder.appendingPathComponent(name))
            }
        }
    }

    /// Discards what this build staged, leaving the published site as it was.
    public func discardStaging() {
        try? FileManager.default.removeItem(at: layout.stagingFolder)
    }

    public struct Published: Sendable {
        /// User folders removed.
        public var removed: Int
        /// Artifacts whose content changed and were written.
        public var written: [URL]
    }

    /// Publishes the staged users, the new index and the other artifacts, removes users the index
    /// no longer lists, and writes the state last.
    /// - Parameters:
    ///   - staged: the users whose new folders are staged.
    ///   - index: `users.json`, listing exactly `listed`.
    ///   - artifacts: what else the site shows (the page, host configs), written after the index.
    ///   - state: the build's state, written once everything it describes is in place.
    @discardableResult
    public func publish(staged: [String], index: SiteArtifact, listed: Set<String>, artifacts: [SiteArtifact],
                        state: SiteArtifact) throws(SiteError) -> Published {
        try FileManager.default.createDirectoryIfMissing(layout.usersFolder)
        // Staged files were written without a sync each: they reach the disk here, together,
        // before any of them becomes part of the site.
        if !staged.isEmpty { try FileWriter.flushFileSystem(containing: layout.root) }
        for id in staged {
            try DirectorySwap.replace(layout.userFolder(id), with: layout.stagedUserFolder(id))
        }
        var written = try SiteArtifact.writeChanged([index] + artifacts)
        var removed = 0
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: layout.usersFolder.path)) ?? []
        for name in folders where !listed.contains(name) {
            try DirectorySwap.remove(layout.usersFolder.appendingPathComponent(name))
            removed += 1
        }
        discardStaging()
        written += try SiteArtifact.writeChanged([state])
        return Published(removed: removed, written: written)
    }

    public func writeReport(_ report: BuildReport, alsoTo extra: URL? = nil) throws(SiteError) {
        let data = try SiteJSON.encode(report)
        try AtomicFile.write(data, to: layout.report)
        if let extra { try AtomicFile.write(data, to: extra) }
    }
}

extension FileManager {
    func createDirectoryIfMissing(_ url: URL) throws(SiteError) {
        do {
            try createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: url.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
