public import Foundation
public import AvatarSiteContract

/// Publishes a build in an order that keeps the folder a consistent site at every instant, even
/// if the process is killed between two steps: every user `users.json` lists has all its files.
///
/// 1. Each staged user folder replaces the published one in one step (`FolderSwap`).
/// 2. `users.json` is replaced, listing exactly the users now in place; then the artifacts that
///    read it (the page, host configs), each only if its bytes changed.
/// 3. Folders of users it no longer lists are removed. One that will not go does not stop the
///    publish: the index already leaves the user out, the state keeps the folder pending and the
///    report warns, and the next build tries again (`Departures` decides what is said of it).
/// 4. The state is written, describing what is now published.
///
/// A killed run leaves staged folders and temporary files behind; `removeLeftovers()` clears
/// them at the start of the next run, which then does the work again.
public struct SitePublisher: Sendable {
    public let layout: SiteLayout
    let fileSystem: FileSystemSupport
    /// Removes one folder of a user who left; a test puts a removal that fails in its place.
    var removeDeparted: @Sendable (FileName, URL) throws(SiteError) -> Void = SafeRemoval.remove(_:in:)

    public init(layout: SiteLayout, fileSystem: FileSystemSupport = FileSystemSupport()) {
        self.layout = layout
        self.fileSystem = fileSystem
    }

    /// Removes what a killed run left: the staging folder and temporary files at the top.
    public func removeLeftovers() throws(SiteError) {
        let fileManager = FileManager.default
        // A user's old folder parked aside by a swap that was cut short goes back first.
        for name in (try? fileManager.contentsOfDirectory(atPath: layout.stagedUsersFolder.path)) ?? []
        where name.hasPrefix(FolderSwap.asidePrefix) {
            let id = String(name.dropFirst(FolderSwap.asidePrefix.count))
            let target = layout.userFolder(id)
            if UserID.isValid(id), !fileManager.fileExists(atPath: target.path) {
                _ = rename(layout.stagedUsersFolder.appendingPathComponent(name).path, target.path)
            }
        }
        if fileManager.fileExists(atPath: layout.stagingFolder.path) {
            try FolderSwap.remove(layout.stagingFolder)
        }
        for folder in [layout.root, layout.stateFolder] {
            for name in (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            where name.hasPrefix(AtomicFile.temporaryPrefix) {
                try FolderSwap.remove(folder.appendingPathComponent(name))
            }
        }
    }

    /// Discards what this build staged, leaving the published site as it was. Best effort: what
    /// cannot be removed now, the next run's `removeLeftovers` removes.
    public func discardStaging() {
        try? SafeRemoval.remove(layout.stagingFolder)
    }

    public struct Published: Sendable {
        /// User folders removed.
        public var removed: Int
        /// Artifacts whose content changed and were written.
        public var written: [URL]
        /// Folders of users who left that would not go; the state keeps them for the next build.
        public var leftovers: [BuildReport.Leftover]
    }

    /// Publishes the staged users, the new index and the other artifacts, removes users the index
    /// no longer lists, and writes the state last.
    /// - Parameters:
    ///   - staged: the users whose new folders are staged.
    ///   - index: `users.json`.
    ///   - departures: the folders under `users/` the index does not list.
    ///   - artifacts: what else the site shows (the page, host configs), written after the index.
    ///   - obsolete: files of earlier builds' artifacts that this one no longer writes, removed
    ///     once the artifacts that replace them are in place.
    ///   - state: the build's state, written once everything it describes is in place, with the
    ///     folders that would not go as pending.
    @discardableResult
    func publish(staged: [String], index: SiteArtifact, departures: Departures, artifacts: [SiteArtifact],
                 obsolete: [URL] = [], state: StateFile) throws(SiteError) -> Published {
        try FileManager.default.createDirectoryIfMissing(layout.usersFolder)
        // Staged files were written without a sync each: they reach the disk here, together,
        // before any of them becomes part of the site.
        if !staged.isEmpty { try FileWriter.flushFileSystem(containing: layout.root) }
        for id in staged {
            try FolderSwap.replace(layout.userFolder(id), with: layout.stagedUserFolder(id), fileSystem: fileSystem)
        }
        var written = try SiteArtifact.writeChanged([index] + artifacts)
        for file in obsolete where unlink(file.path) != 0 && errno != ENOENT {
            throw SiteError(path: file.path, reason: "cannot remove: \(String(cString: strerror(errno)))")
        }
        var failures = [FileName: SiteError]()
        for name in departures.folders {
            do throws(SiteError) {
                try removeDeparted(name, layout.usersFolder)
            } catch {
                failures[name] = error
            }
        }
        let outcome = departures.outcome(failures)
        discardStaging()
        var state = state
        state.pendingRemoval = outcome.pending
        written += try SiteArtifact.writeChanged([PublishedSite.artifact(state, layout: layout)])
        return Published(removed: outcome.removed, written: written, leftovers: outcome.leftovers)
    }

    /// Writes the report: in full to the state folder's `last-report.json` and to `extra`
    /// (`--report`), and, when the build published, its public summary to `build-report.json`
    /// (no server messages, no URLs, no ids the site does not show).
    public func writeReport(_ report: BuildReport, publishedIDs: Set<String>?, alsoTo extra: URL? = nil) throws(SiteError) {
        let full = try SiteJSON.encode(report)
        try AtomicFile.write(full, to: layout.lastReport)
        if let extra { try AtomicFile.write(full, to: extra) }
        if let publishedIDs {
            try AtomicFile.write(try SiteJSON.encode(PublishedReport(report, publishedIDs: publishedIDs)), to: layout.report)
        }
    }
}

extension FileManager {
    func createDirectoryIfMissing(_ url: URL) throws(SiteError) {
        // Most often only the last folder is missing: one mkdir (with Foundation's mode, 0777
        // less the umask), where Foundation looks at every folder of the path first. Anything
        // else is Foundation's to judge.
        if mkdir(url.path, 0o777) == 0 { return }
        do {
            try createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SiteError(path: url.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
