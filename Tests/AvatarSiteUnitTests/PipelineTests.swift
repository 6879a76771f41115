import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// The pipeline driven by an in-memory directory: no server, the decisions carried out on disk.
@Suite struct PipelineTests {
    static let users = (0..<6).map { DirectoryUser(id: "user-\($0)", displayName: "Person \($0)", mail: "p\($0)@contoso.example") }

    static func build(_ directory: InMemoryDirectory, into folder: URL) async throws(BuildError) -> BuildReport {
        var configuration = SiteConfiguration()
        configuration.sizes = [PhotoSize(side: 48), PhotoSize(side: 120)]
        configuration.output.dir = folder.path
        configuration.output.maxDeletions = .count(10)
        let pipeline = BuildPipeline(configuration: configuration, layout: SiteLayout(root: folder), source: directory,
                                     statistics: RequestStatistics(), logger: SiteBuildFixture.logger)
        return try await pipeline.run()
    }

    static func photos() -> [String: InMemoryDirectory.Photo] {
        [
            "user-0": .bytes(TestImages.jpeg(width: 200, height: 200), etag: "\"a\""),
            "user-1": .bytes(TestImages.png(width: 90, height: 90, left: (0, 0, 200), right: (0, 0, 200)), etag: "\"b\""),
            "user-2": .none,
        ]
    }

    /// Should render photos, draw placeholders, and on the next night ask with the ETags it holds
    /// and download nothing.
    @Test func buildsAndThenAsksWithTheETagsItHolds() async throws {
        try await withTemporaryDirectory { folder in
            let directory = InMemoryDirectory(users: Self.users, photos: Self.photos(), batchSize: 4)
            let cold = try await Self.build(directory, into: folder)
            #expect(cold.exitCode == 0 && cold.counts.photos == 2 && cold.counts.placeholders == 4)
            #expect(directory.asked.downloads == 2)
            #expect(directory.asked.requests.allSatisfy { $0.knownETag == nil })
            let site = SiteFiles(root: folder)
            try site.expectCompleteUser("user-0", placeholder: false, sizes: [PhotoSize(side: 48), PhotoSize(side: 120)])
            try site.expectCompleteUser("user-2", placeholder: true, sizes: [PhotoSize(side: 48), PhotoSize(side: 120)])

            let again = InMemoryDirectory(users: Self.users, photos: Self.photos())
            let warm = try await Self.build(again, into: folder)
            #expect(warm.counts.unchanged == 6 && warm.filesWritten == 0)
            #expect(again.asked.downloads == 0)
            let etags = Dictionary(uniqueKeysWithValues: again.asked.requests.map { ($0.user.id, $0.knownETag) })
            #expect(etags["user-0"] == "\"a\"" && etags["user-1"] == "\"b\"" && etags["user-2"] == .some(nil))
        }
    }

    /// Should keep a published user's files when their photo fails, and give a new user whose
    /// photo fails a provisional placeholder.
    @Test func keepsWhatIsPublishedThroughAFailure() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(InMemoryDirectory(users: Array(Self.users.prefix(3)), photos: Self.photos()), into: folder)
            let before = try SiteSnapshot(folder)
            var photos = Self.photos()
            let outage = SourceError(.transient, url: "", status: 503, code: "ServiceNotAvailable", message: "busy")
            photos["user-0"] = .failure(outage)
            photos["user-3"] = .failure(outage)
            let report = try await Self.build(InMemoryDirectory(users: Array(Self.users.prefix(4)), photos: photos), into: folder)
            #expect(report.exitCode == 1)
            #expect(report.counts.kept == 1 && report.counts.provisional == 1)
            #expect(Set(report.failures.map(\.id)) == ["user-0", "user-3"])
            #expect(try !SiteSnapshot(folder).changedFiles(since: before).contains { $0.hasPrefix("users/user-0/") })
            #expect(try SiteFiles(root: folder).photoDocument("user-3").provisional == true)
        }
    }

    /// Should download a photo that arrives damaged again, three times in all, then give up on it.
    @Test func downloadsADamagedPhotoThreeTimes() async throws {
        try await withTemporaryDirectory { folder in
            let whole = TestImages.jpeg(width: 200, height: 200)
            let directory = InMemoryDirectory(users: [Self.users[0]],
                                              photos: ["user-0": .bytes(whole.prefix(whole.count / 2), etag: "\"a\"")])
            let report = try await Self.build(directory, into: folder)
            #expect(directory.asked.downloads == 3)
            #expect(report.failures.first?.kind == "corrupt" && report.counts.provisional == 1)
        }
    }
}
