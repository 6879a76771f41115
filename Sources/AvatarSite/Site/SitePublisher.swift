public import Foundation

/// Publishes a build in an order that keeps the folder a consistent site at every instant, even
/// if the process is killed between two steps: every user `users.json` lists has all its files.
///
/// 1. Each staged user folder replaces the published one in one step (`DirectorySwap`).
/// 2. `users.json` is replaced, listing exactly the users now in place.
/// 3. Folders of users it no longer lists are removed.
///
/// A killed run leaves staged folders and temporary files behind; `removeLeftovers()` clears
/// them at the start of the next run, which then does the work again.
public struct SitePublisher: Sendable {
    public let layout: SiteLayout
    public let sizes: [PhotoSize]
    /// The directory page's template; nil writes no page.
    public let pageTemplate: String?

    public init(layout: SiteLayout, sizes: [PhotoSize], pageTemplate: String? = nil) {
        self.layout = layout
        self.sizes = sizes
        self.pageTemplate = pageTemplate
    }

    /// Removes what a killed run left: the staging folder and temporary files at the top.
    public func removeLeftovers() throws(SiteError) {
        let fileManager = FileManager.default
        // A user's old folder parked aside by a swap that was cut short goes back first.
        let stagedUsers = layout.stagingFolder.appendingPathComponent("users")
        for name in (try? fileManager.contentsOfDirectory(atPath: stagedUsers.path)) ?? []
        where name.hasPrefix(DirectorySwap.asidePrefix) {
            let id = String(name.dropFirst(DirectorySwap.asidePrefix.count))
            let target = layout.userFolder(id)
            if PathSegment.isSafe(id), !fileManager.fileExists(atPath: target.path) {
                _ = rename(stagedUsers.appendingPathComponent(name).path, target.path)
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
        /// Whether `users.json` changed (it is not rewritten when its content is the same).
        public var indexWritten: Bool
        /// Whether `index.html` changed, likewise.
        public var pageWritten: Bool
    }

    /// Publishes the staged users and the new index, and removes users no longer listed.
    @discardableResult
    public func publish(staged: [String], entries: [IndexEntry]) throws(SiteError) -> Published {
        try FileManager.default.createDirectoryIfMissing(layout.usersFolder)
        // Staged files were written without a sync each: they reach the disk here, together,
        // before any of them becomes part of the site.
        if !staged.isEmpty { try FileWriter.flushFileSystem(containing: layout.root) }
        for id in staged {
            try DirectorySwap.replace(layout.userFolder(id), with: layout.stagedUserFolder(id))
        }
        let index = try IndexEntry.index(entries, sizes: sizes)
        // An unchanged index keeps its bytes and its modification time, so a sync uploads nothing.
        let indexWritten = (try? Data(contentsOf: layout.usersIndex)) != index
        if indexWritten { try AtomicFile.write(index, to: layout.usersIndex) }
        var pageWritten = false
        if let pageTemplate {
            let page = try DirectoryPage.render(template: pageTemplate, index: index)
            let url = layout.root.appendingPathComponent("index.html")
            pageWritten = (try? Data(contentsOf: url)) != page
            if pageWritten { try AtomicFile.write(page, to: url) }
        }

        let listed = Set(entries.map(\.id))
        var removed = 0
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: layout.usersFolder.path)) ?? []
        for name in folders where !listed.contains(name) {
            try DirectorySwap.remove(layout.usersFolder.appendingPathComponent(name))
            removed += 1
        }
        discardStaging()
        return Published(removed: removed, indexWritten: indexWritten, pageWritten: pageWritten)
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
