public import Foundation

/// Where everything lives in the output folder, the published files and the build's own.
public struct SiteLayout: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    public var usersIndex: URL { root.appendingPathComponent("users.json") }
    public var report: URL { root.appendingPathComponent("build-report.json") }
    public var usersFolder: URL { root.appendingPathComponent("users") }

    public func userFolder(_ id: String) -> URL {
        usersFolder.appendingPathComponent(id)
    }

    /// The build's own state, hidden from static hosts that skip dot-folders (and excluded by
    /// the hosting configs): never part of the published site.
    public var stateFolder: URL { root.appendingPathComponent(".avatar-site") }

    /// Where a build writes users' new files before it commits them all at once.
    public var stagingFolder: URL { stateFolder.appendingPathComponent("staging") }

    public func stagedUserFolder(_ id: String) -> URL {
        stagingFolder.appendingPathComponent("users").appendingPathComponent(id)
    }
}
