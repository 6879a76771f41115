public import Foundation

/// Where everything lives in the output folder, the published files and the build's own.
/// The folders a build names once a user are named as folders: without the hint, Foundation
/// asks the file system whether each name is one.
public struct SiteLayout: Sendable {
    public let root: URL
    /// The build's own state, lock and staging area; `.avatar-site/` in the output by default.
    public let stateFolder: URL

    public init(root: URL, stateFolder: URL? = nil) {
        self.root = root
        self.stateFolder = stateFolder ?? root.appendingPathComponent(".avatar-site")
    }

    public var usersIndex: URL { root.appendingPathComponent("users.json") }
    public var report: URL { root.appendingPathComponent("build-report.json") }
    public var usersFolder: URL { root.appendingPathComponent("users", isDirectory: true) }
    public var page: URL { root.appendingPathComponent("index.html") }
    /// Host configs, bucket scripts and the lookups they read; the build's own, never served.
    public var hostingFolder: URL { root.appendingPathComponent("hosting") }
    /// The page's stylesheet, script and logo, under hashed names.
    public var assetsFolder: URL { root.appendingPathComponent("assets") }

    public func userFolder(_ id: String) -> URL {
        usersFolder.appendingPathComponent(id, isDirectory: true)
    }

    /// `state.json`: what the last publish knew about each user.
    public var stateFile: URL { stateFolder.appendingPathComponent("state.json") }

    /// The last build's full report, with the server messages the published one leaves out.
    public var lastReport: URL { stateFolder.appendingPathComponent("last-report.json") }

    /// Held while a build runs, so two builds never write one folder.
    public var lockFile: URL { stateFolder.appendingPathComponent("lock") }

    /// Where a build writes users' new files before it commits them all at once.
    public var stagingFolder: URL { stateFolder.appendingPathComponent("staging", isDirectory: true) }

    /// Staged user folders, each swapped into `users/` at the publish.
    public var stagedUsersFolder: URL { stagingFolder.appendingPathComponent("users", isDirectory: true) }

    public func stagedUserFolder(_ id: String) -> URL {
        stagedUsersFolder.appendingPathComponent(id, isDirectory: true)
    }

    /// Placeholder looks drawn once and hard-linked into every user who has them.
    public var looksFolder: URL { stagingFolder.appendingPathComponent("looks", isDirectory: true) }
}
