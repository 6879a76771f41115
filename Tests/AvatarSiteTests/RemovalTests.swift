@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// Removing the folders of users who left: whatever a folder holds (names that are not UTF-8,
/// read-only files and folders, links, deep nesting, many files), and what a night does when a
/// folder will not go.
@Suite struct RemovalTests {
    static let sizes = [PhotoSize(side: 48), PhotoSize(side: 96)]

    static func users(_ keys: [String]) -> [DirectoryUser] {
        keys.map { DirectoryUser(id: $0, displayName: "Person \($0)", mail: "\($0)@contoso.example") }
    }

    /// One night's build of `keys` into `layout`, allowed to remove one user; `removal` stands in
    /// for the removal of departed users' folders.
    static func night(_ keys: [String], into layout: SiteLayout,
                      removal: (@Sendable (FileName, URL) throws(SiteError) -> Void)? = nil) async -> Result<BuildReport, BuildError> {
        var configuration = SiteConfiguration()
        configuration.sizes = sizes
        configuration.output.dir = layout.root.path
        configuration.output.page = false
        configuration.output.maxDeletions = .count(1)
        var pipeline = BuildPipeline(configuration: configuration, layout: layout,
                                     source: InMemoryDirectory(users: users(keys), photos: [:]), statistics: RequestStatistics(),
                                     logger: SiteBuildFixture.logger)
        if let removal { pipeline.removeDeparted = removal }
        do {
            return .success(try await pipeline.run())
        } catch {
            return .failure(error)
        }
    }

    /// The report of a night that should have published, or nil with the error recorded.
    static func published(_ result: Result<BuildReport, BuildError>, _ night: String,
                          sourceLocation: SourceLocation = #_sourceLocation) -> BuildReport? {
        switch result {
        case .success(let report):
            return report
        case .failure(let error):
            Issue.record("\(night) did not publish: \(error.localizedDescription) (exit \(error.exitCode))",
                         sourceLocation: sourceLocation)
            return nil
        }
    }

    /// `users.json`, the state and the folders under `users/` all name exactly `ids`.
    static func expectAgreement(_ layout: SiteLayout, on ids: Set<String>, folders: Set<String>? = nil,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let index = Set(try SiteFiles.usersDocument(in: layout.root).value.map(\.id))
        let state = Set(StateFile.read(layout).users.keys)
        #expect(index == ids, "users.json", sourceLocation: sourceLocation)
        #expect(state == ids, "state.json", sourceLocation: sourceLocation)
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: layout.usersFolder.path))
        #expect(present == folders ?? ids, "users/", sourceLocation: sourceLocation)
    }

    /// `path` as the bytes of a C string: a name that is not UTF-8 must not pass through `String`.
    static func cPath(_ folder: URL, _ name: [UInt8]) -> [CChar] {
        (Array(folder.path.utf8) + [UInt8(ascii: "/")] + name + [0]).map { CChar(bitPattern: $0) }
    }

    /// A removal that cannot remove anything in bob's folder, as if a file there were immutable.
    static let refusingBob: @Sendable (FileName, URL) throws(SiteError) -> Void = { name, folder throws(SiteError) in
        guard name.string == "bob" else { return try SafeRemoval.remove(name, in: folder) }
        throw SiteError(path: folder.appendingPathComponent("bob/junk.txt").path, reason: "cannot remove: Operation not permitted")
    }

    static func createFile(_ path: [CChar], mode: mode_t = 0o644) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        close(descriptor)
    }

    static func createFolder(_ path: [CChar], mode: mode_t = 0o755) throws {
        guard mkdir(path, mode) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Should remove a departed user's folder holding a name that is not UTF-8, a read-only
    /// file, a read-only folder and a link to a file outside the site, without following the
    /// link; and every later night should publish too.
    @Test func removesADepartedFolderWhateverItHolds() async throws {
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let layout = SiteLayout(root: site)
            _ = Self.published(await Self.night(["alice", "bob"], into: layout), "night 1")
            let outside = folder.appendingPathComponent("outside.txt")
            try Data("keep me".utf8).write(to: outside)
            let bob = layout.userFolder("bob")
            try Self.createFile(Self.cPath(bob, Array("junk".utf8) + [0xFF] + Array(".txt".utf8)))
            try Self.createFile(Self.cPath(bob, Array("read-only.txt".utf8)), mode: 0o444)
            let locked = bob.appendingPathComponent("locked")
            try Self.createFolder(Self.cPath(bob, Array("locked".utf8)))
            try Self.createFolder(Self.cPath(locked, Array("inner".utf8)))
            try Self.createFile(Self.cPath(locked.appendingPathComponent("inner"), [0xC3, 0x28, 0xFE]), mode: 0o444)
            try Self.createFile(Self.cPath(locked, Array("file".utf8)), mode: 0o444)
            try FileManager.default.createSymbolicLink(at: bob.appendingPathComponent("link"), withDestinationURL: outside)
            let outsideFolder = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outsideFolder, withIntermediateDirectories: true)
            try Data("keep me too".utf8).write(to: outsideFolder.appendingPathComponent("canary.txt"))
            try FileManager.default.createSymbolicLink(at: locked.appendingPathComponent("folder-link"), withDestinationURL: outsideFolder)
            chmod(locked.appendingPathComponent("inner").path, 0o555)
            chmod(locked.path, 0o555)

            let second = Self.published(await Self.night(["alice"], into: layout), "night 2")
            let third = Self.published(await Self.night(["alice"], into: layout), "night 3")
            #expect(second?.counts.removed == 1 && second?.exitCode == 0)
            #expect(third?.exitCode == 0)
            #expect(!FileManager.default.fileExists(atPath: bob.path))
            #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outsideFolder.path) == ["canary.txt"])
            try Self.expectAgreement(layout, on: ["alice"])
            try SiteFiles(root: site).expectCompleteUser("alice", placeholder: true, sizes: Self.sizes)
        }
    }

    /// Should remove a departed folder of 100,000 files and one nested 200 folders deep, each
    /// level holding a name that is not UTF-8. The walk keeps at most 32 folders open, so depth
    /// never runs it out of descriptors.
    @Test func removesHugeAndDeepFolders() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            // tmpfs, where the files are made and removed at memory speed.
            let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
                : FileManager.default.temporaryDirectory
            let folder = scratch.appendingPathComponent("avatar-site-removal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let layout = SiteLayout(root: folder)
            _ = Self.published(await Self.night(["alice", "bob", "carol"], into: layout), "night 1")
            let bob = layout.userFolder("bob")
            for number in 0..<100_000 {
                try Self.createFile(Self.cPath(bob, Array("f\(number)".utf8)))
            }
            var deep = layout.userFolder("carol")
            for level in 0..<200 {
                try Self.createFolder(Self.cPath(deep, Array("d\(level)".utf8)))
                deep.appendPathComponent("d\(level)")
                try Self.createFile(Self.cPath(deep, [0xFF, UInt8(ascii: "x")]))
            }
            let second = Self.published(await Self.night(["alice", "carol"], into: layout), "night 2")
            let third = Self.published(await Self.night(["alice"], into: layout), "night 3")
            #expect(second?.counts.removed == 1 && third?.counts.removed == 1)
            try Self.expectAgreement(layout, on: ["alice"])
    
        }
    }

    /// Should publish a night whose departed folder will not go — the user out of users.json
    /// and the state, the report warning with the folder and why, exit 0 — and remove the
    /// folder the next night.
    @Test func aFolderThatWillNotGoIsRetriedTheNextNight() async throws {
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder)
            _ = Self.published(await Self.night(["alice", "bob"], into: layout), "night 1")
            let second = try #require(Self.published(await Self.night(["alice"], into: layout, removal: Self.refusingBob), "night 2"))
            #expect(second.exitCode == 0 && second.failures.isEmpty)
            #expect(second.counts.removed == 0 && second.counts.leftOver == 1)
            #expect(second.leftovers.map(\.path) == ["users/bob"])
            #expect(second.leftovers.first?.reason.contains("bob/junk.txt: cannot remove: Operation not permitted") == true)
            try Self.expectAgreement(layout, on: ["alice"], folders: ["alice", "bob"])
            #expect(StateFile.read(layout).pendingRemoval == ["bob"])
            let published = try JSONSerialization.jsonObject(with: Data(contentsOf: layout.report)) as? [String: Any]
            #expect((published?["counts"] as? [String: Any])?["left_over"] as? Int == 1)
            #expect(published?["leftovers"] == nil, "the published report names no user the site does not show")
            let full = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: layout.lastReport))
            #expect(full.leftovers == second.leftovers)

            let third = try #require(Self.published(await Self.night(["alice"], into: layout), "night 3"))
            #expect(third.exitCode == 0 && third.counts.removed == 1 && third.counts.leftOver == 0 && third.leftovers.isEmpty)
            try Self.expectAgreement(layout, on: ["alice"])
            #expect(StateFile.read(layout).pendingRemoval.isEmpty)
        }
    }

    /// Should not count a folder that would not go against `output.max_deletions` again: the
    /// night that took its user out of the index counted it.
    @Test func theDeletionGuardCountsALeftoverOnce() async throws {
        try await withTemporaryDirectory { folder in
            let layout = SiteLayout(root: folder)
            _ = Self.published(await Self.night(["alice", "bob", "carol"], into: layout), "night 1")
            _ = Self.published(await Self.night(["alice", "carol"], into: layout, removal: Self.refusingBob), "night 2")
            // Bob still will not go, and carol leaves: one new departure, within the limit of one.
            let third = try #require(Self.published(await Self.night(["alice"], into: layout, removal: Self.refusingBob), "night 3"))
            #expect(third.counts.removed == 1 && third.leftovers.map(\.path) == ["users/bob"])
            try Self.expectAgreement(layout, on: ["alice"], folders: ["alice", "bob"])
            let fourth = try #require(Self.published(await Self.night(["alice"], into: layout), "night 4"))
            #expect(fourth.counts.removed == 1 && fourth.leftovers.isEmpty)
            try Self.expectAgreement(layout, on: ["alice"])
        }
    }

    /// Should take as departures every name under users/ the index does not list, a name that
    /// is not UTF-8 among them even where its repaired spelling is a listed id, and count for
    /// the deletion guard only those no earlier build left pending.
    @Test func departuresAreWhatTheIndexDoesNotList() {
        let stray = FileName(bytes: Array("carol".utf8) + [0xFF])
        let present = [FileName("alice"), FileName("bob"), stray, FileName("dave")]
        let departures = Departures(present: present, listed: ["alice", "carol\u{FFFD}"], pending: ["bob", "erin"])
        #expect(departures.folders == [FileName("bob"), stray, FileName("dave")])
        #expect(departures.retried == [FileName("bob")])
        #expect(departures.newlyDeparted == 2)
    }

    /// Should say of each folder that would not go where it is and why, and keep it pending;
    /// the others count as removed.
    @Test func theOutcomeNamesWhatWouldNotGo() {
        let departures = Departures(present: [FileName("bob"), FileName("dave")], listed: [], pending: [])
        let outcome = departures.outcome([FileName("dave"): SiteError(path: "/site/users/dave/x", reason: "cannot remove: Busy")])
        #expect(outcome == Departures.Outcome(
            removed: 1, leftovers: [BuildReport.Leftover(path: "users/dave", reason: "/site/users/dave/x: cannot remove: Busy")],
            pending: ["dave"]))
        #expect(departures.outcome([:]) == Departures.Outcome(removed: 2))
    }

    /// Should keep what is pending removal in the state, and read a state without it as none.
    @Test func theStateKeepsWhatIsPendingRemoval() throws {
        var state = StateFile()
        state.pendingRemoval = ["bob"]
        #expect(try JSONDecoder().decode(StateFile.self, from: state.encoded()) == state)
        let older = Data(#"{"fingerprints":{"photo":"","placeholder":""},"users":{},"version":2}"#.utf8)
        #expect(try JSONDecoder().decode(StateFile.self, from: older) == StateFile())
        #expect(try StateFile().encoded() == older)
    }

    /// Should remove a name that is not UTF-8, and a link without following it, working by the
    /// names' own bytes.
    @Test func removesByTheNamesOwnBytes() async throws {
        try await withTemporaryDirectory { folder in
            let target = folder.appendingPathComponent("target.txt")
            try Data("keep me".utf8).write(to: target)
            let departed = folder.appendingPathComponent("departed")
            try FileManager.default.createDirectory(at: departed, withIntermediateDirectories: true)
            let name = FileName(bytes: [0x61, 0xFF, 0xFE])
            try Self.createFolder(Self.cPath(departed, [0x61, 0xFF, 0xFE]), mode: 0o555)
            try FileManager.default.createSymbolicLink(at: departed.appendingPathComponent("link"), withDestinationURL: target)
            #expect(try SafeRemoval.names(in: departed).sorted { $0.description < $1.description } == [name, FileName("link")])
            try SafeRemoval.remove(name, in: departed)
            #expect(try SafeRemoval.names(in: departed) == [FileName("link")])
            try SafeRemoval.remove(departed)
            #expect(!FileManager.default.fileExists(atPath: departed.path))
            #expect(FileManager.default.fileExists(atPath: target.path))
            try SafeRemoval.remove(departed)  // nothing there: nothing to do
        }
    }

    /// Should empty folders their owner may not write, search or even read, as an ordinary
    /// user running the nightly build would meet them.
    @Test func emptiesReadOnlyFoldersAsTheirOwner() async throws {
        try await withTemporaryDirectory { folder in
            let departed = folder.appendingPathComponent("departed")
            try Self.createFolder(Self.cPath(folder, Array("departed".utf8)))
            try Self.createFile(Self.cPath(departed, Array("read-only.txt".utf8)), mode: 0o444)
            for (name, mode) in [("read-only", 0o555), ("unsearchable", 0o600), ("unreadable", 0o300), ("closed", 0o000)] {
                let inner = departed.appendingPathComponent(name)
                try Self.createFolder(Self.cPath(departed, Array(name.utf8)))
                try Self.createFolder(Self.cPath(inner, Array("nested".utf8)))
                try Self.createFile(Self.cPath(inner.appendingPathComponent("nested"), [0x78, 0xFF]), mode: 0o444)
                chmod(inner.appendingPathComponent("nested").path, 0o500)
                chmod(inner.path, mode_t(mode))
            }
            try Self.asOrdinaryUser(owning: folder) { () throws(SiteError) in try SafeRemoval.remove(departed) }
            #expect(!FileManager.default.fileExists(atPath: departed.path))
        }
    }

    /// Runs `body` on this thread with the file-system identity of `nobody`, who is given
    /// `folder` and everything in it: root ignores mode bits, an ordinary user does not.
    static func asOrdinaryUser(owning folder: URL, _ body: () throws(SiteError) -> Void) throws {
        let nobody: uid_t = 65534
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "setfsuid") else {
            Issue.record("setfsuid is not available")
            return
        }
        // setfsuid changes this thread's identity for file access only, and nothing awaits in between.
        let setFileSystemUser = unsafeBitCast(symbol, to: (@convention(c) (uid_t) -> Int32).self)
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        lchown(folder.path, nobody, nobody)
        while let path = enumerator?.nextObject() as? String {
            lchown(folder.appendingPathComponent(path).path, nobody, nobody)
        }
        _ = setFileSystemUser(nobody)
        defer { _ = setFileSystemUser(0) }
        try body()
    }
}
