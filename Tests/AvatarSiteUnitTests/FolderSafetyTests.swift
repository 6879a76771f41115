@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// The output folder and the process: what a build refuses to write, what it never follows,
/// and how it publishes on file systems without exchange or hard links.
@Suite struct FolderSafetyTests {
    static func users(_ count: Int) -> [DirectoryUser] {
        (0..<count).map { DirectoryUser(id: "user-\($0)", displayName: "Person \($0)", mail: "p\($0)@contoso.example") }
    }

    static func build(_ users: [DirectoryUser], into layout: SiteLayout, allowDeletions: Bool = false,
                      photos: [String: InMemoryDirectory.Photo] = [:],
                      fileSystem: FileSystemSupport = FileSystemSupport()) async throws(BuildError) -> BuildReport {
        var configuration = SiteConfiguration()
        configuration.sizes = [PhotoSize(side: 48), PhotoSize(side: 96)]
        configuration.output.dir = layout.root.path
        configuration.output.page = false
        let pipeline = BuildPipeline(configuration: configuration, layout: layout,
                                     source: InMemoryDirectory(users: users, photos: photos), statistics: RequestStatistics(),
                                     options: BuildOptions(allowDeletions: allowDeletions, fileSystem: fileSystem),
                                     logger: SiteBuildFixture.logger)
        return try await pipeline.run()
    }

    static func refusal(_ body: () async throws(BuildError) -> BuildReport) async -> BuildError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    /// Should count what publishing would really remove: with users.json moved away, the folders
    /// still under users/ are departures too.
    @Test func theDeletionGuardCountsFoldersNotIndexEntries() async throws {
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder)
            _ = try await Self.build(Self.users(40), into: layout)
            try FileManager.default.moveItem(at: layout.usersIndex, to: folder.appendingPathComponent("users.json.moved"))
            let error = await Self.refusal { () async throws(BuildError) in try await Self.build(Self.users(10), into: layout) }
            guard case .tooManyDeletions(let removing, _, let published) = error?.reason else {
                Issue.record("30 of 40 user folders were removed without a question: \(String(describing: error))")
                return
            }
            #expect(removing == 30 && published == 40 && error?.exitCode == 3)
            #expect(try FileManager.default.contentsOfDirectory(atPath: layout.usersFolder.path).count == 40)
        }
    }

    /// Should refuse `/`, the home folder and a folder of other files, unless told to.
    @Test func refusesFoldersThatAreNotSites() async throws {
        for root in [URL(fileURLWithPath: "/"), FileManager.default.homeDirectoryForCurrentUser] {
            let error = await Self.refusal { () async throws(BuildError) in try await Self.build(Self.users(1), into: SiteLayout(root: root)) }
            guard case .unsafeOutput = error?.reason else {
                Issue.record("\(root.path) was taken for a site")
                continue
            }
            #expect(error?.exitCode == 2)
        }
        try await withTemporaryDirectory { folder in
            try Data("my thesis".utf8).write(to: folder.appendingPathComponent("thesis.tex"))
            let error = await Self.refusal { () async throws(BuildError) in
                try await Self.build(Self.users(2), into: SiteLayout(root: folder))
            }
            guard case .unsafeOutput = error?.reason else {
                Issue.record("a folder of other files was taken for a site")
                return
            }
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("users").path))
            let allowed = try await Self.build(Self.users(2), into: SiteLayout(root: folder), allowDeletions: true)
            #expect(allowed.exitCode == 0)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("thesis.tex").path))
            // Once it is a site, it is one.
            #expect(try await Self.build(Self.users(2), into: SiteLayout(root: folder)).exitCode == 0)
        }
    }

    /// Should refuse (exit 2) an output whose own folders are links, and never follow a link
    /// found where a user's folder was.
    @Test func neverFollowsLinks() async throws {
        try await withTemporaryDirectory { folder in
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            let canary = outside.appendingPathComponent("canary.txt")
            try Data("keep me".utf8).write(to: canary)
            // hosting/ and assets/ too: their files of earlier builds are removed as they are replaced.
            for name in ["users", ".avatar-site", "hosting", "hosting/default-avatar", "assets"] {
                let root = folder.appendingPathComponent("site-\(name.replacingOccurrences(of: "/", with: "-"))")
                try FileManager.default.createDirectory(at: root.appendingPathComponent(name).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(at: root.appendingPathComponent(name), withDestinationURL: outside)
                let error = await Self.refusal { () async throws(BuildError) in try await Self.build(Self.users(2), into: SiteLayout(root: root)) }
                guard case .unsafeOutput(_, let reason) = error?.reason else {
                    Issue.record("a linked \(name) folder was written through")
                    continue
                }
                #expect(reason.contains("symbolic link"), "\(name): \(reason)")
                #expect(error?.exitCode == 2)
            }
            // A user's folder replaced by a link to elsewhere: the link goes, its target stays.
            let site = folder.appendingPathComponent("site")
            let layout = SiteLayout(root: site)
            _ = try await Self.build(Self.users(4), into: layout)
            for id in ["user-0", "user-3"] {
                try SafeRemoval.remove(layout.userFolder(id))
                try FileManager.default.createSymbolicLink(at: layout.userFolder(id), withDestinationURL: outside)
            }
            let report = try await Self.build(Array(Self.users(3)), into: layout, allowDeletions: true)
            #expect(report.counts.removed == 1)
            #expect(FileManager.default.fileExists(atPath: canary.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["canary.txt"])
            #expect(!SafeRemoval.isSymbolicLink(layout.userFolder("user-0")))
            try SiteFiles(root: site).expectCompleteUser("user-0", placeholder: true, sizes: [PhotoSize(side: 48), PhotoSize(side: 96)])
        }
    }

    /// Should publish on a file system without exchange or hard links: the old folder moved
    /// aside, placeholder files copied.
    @Test func publishesWithoutExchangeOrHardLinks() async throws {
        let without = FileSystemSupport(exchange: false, hardLinks: false)
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder)
            var users = Self.users(3)
            for index in users.indices { users[index].displayName = "Sam Carter" }
            _ = try await Self.build(users, into: layout, fileSystem: without)
            users[1].displayName = "Alex Smith"
            let report = try await Self.build(users, into: layout, fileSystem: without)
            #expect(report.exitCode == 0)
            for user in users {
                try SiteFiles(root: folder).expectCompleteUser(user.id, placeholder: true, sizes: [PhotoSize(side: 48), PhotoSize(side: 96)])
                let attributes = try FileManager.default.attributesOfItem(atPath: layout.userFolder(user.id)
                    .appendingPathComponent("photos/96x96.jpg").path)
                #expect((attributes[.referenceCount] as? Int) == 1, "a copy, not a link")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: layout.usersFolder.path).sorted() == users.map(\.id))
        }
    }

    /// Should keep the build's own files where `output.state_dir` says, out of the published folder.
    @Test func keepsItsStateWhereToldTo() async throws {
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder.appendingPathComponent("site"), stateFolder: folder.appendingPathComponent("state"))
            let photos: [String: InMemoryDirectory.Photo] = ["user-0": .bytes(TestImages.jpeg(width: 100, height: 100), etag: "\"a\"")]
            _ = try await Self.build(Self.users(3), into: layout, photos: photos)
            let second = try await Self.build(Self.users(3), into: layout, photos: photos)
            #expect(second.counts.unchanged == 3 && second.filesWritten == 0)
            #expect(!FileManager.default.fileExists(atPath: layout.root.appendingPathComponent(".avatar-site").path))
            #expect(FileManager.default.fileExists(atPath: layout.stateFile.path))
            #expect(FileManager.default.fileExists(atPath: layout.lastReport.path))
        }
    }

    /// Should publish a report without server messages, URLs or ids the site does not show.
    @Test func publishesNoServerMessages() async throws {
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder)
            let secretish = "token endpoint https://login.example/tenant said: AADSTS-something"
            let users = Self.users(3) + [DirectoryUser(id: "../hidden-id")]
            let photos: [String: InMemoryDirectory.Photo] = [
                "user-1": .failure(SourceError(.transient, url: "https://graph.example/users/user-1", status: 503, code: "Busy",
                                               message: secretish)),
            ]
            let report = try await Self.build(users, into: layout, photos: photos)
            #expect(report.failures.contains { $0.message == secretish })
            let published = try String(contentsOf: layout.report, encoding: .utf8)
            #expect(!published.contains("AADSTS") && !published.contains("https://") && !published.contains("hidden-id"))
            #expect(published.contains("user-1") && published.contains("Busy"))
            let full = try String(contentsOf: layout.lastReport, encoding: .utf8)
            #expect(full.contains("AADSTS") && full.contains("hidden-id"))
        }
    }
}
