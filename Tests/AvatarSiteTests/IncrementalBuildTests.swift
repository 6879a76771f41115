import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// Nightly rebuilds that download and write only what changed.
@Suite struct IncrementalBuildTests {
    static func demo(users: Int = 40, mutation: DemoMutation = DemoMutation(), faults: DemoFaults = DemoFaults())
        -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: users, seed: 23)
        configuration.mutation = mutation
        configuration.faults = faults
        return configuration
    }

    static func build(_ demo: DemoTenantConfiguration, into folder: URL, full: Bool = false,
                      configure: (inout SiteConfiguration) -> Void = { _ in }) async throws -> (BuildReport, DemoTenant) {
        let tenant = DemoTenant(configuration: demo)
        let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
            configuration.output.maxDeletions = .percent(10)
            configure(&configuration)
            return try await SiteBuildFixture.build(configuration, demo: demo, options: .init(full: full))
        }
        return (report, tenant)
    }

    /// The users whose files differ between two snapshots.
    static func changedUsers(_ before: SiteSnapshot, _ after: SiteSnapshot) -> Set<String> {
        Set(after.changedFiles(since: before).compactMap { path in
            path.hasPrefix("users/") ? path.split(separator: "/").dropFirst().first.map(String.init) : nil
        })
    }

    /// Should ask only for the listing and one batch per 20 users, download nothing and write nothing.
    @Test func noChangeRebuildTouchesNothing() async throws {
        try await withTemporaryDirectory { folder in
            let (cold, tenant) = try await Self.build(Self.demo(), into: folder)
            #expect(cold.counts.downloaded == cold.counts.photos)
            let before = try SiteSnapshot(folder, includingIndex: true, includingState: true)
            let (warm, warmTenant) = try await Self.build(Self.demo(), into: folder)
            let users = tenant.enabledUsers.count
            #expect(warm.exitCode == 0)
            #expect(warm.counts.unchanged == users && warm.counts.downloaded == 0)
            #expect(warm.filesWritten == 0)
            let kinds = warm.requests.requestsByKind
            #expect(kinds["batch"] == (users + 19) / 20)
            #expect(kinds["photo_bytes"] == nil && kinds["photo_metadata"] == nil)
            #expect(tenant.requestsByRoute["photo_value"] == cold.counts.photos && warmTenant.requestsByRoute["photo_value"] == nil)
            #expect(warm.requests.totalRequests <= (users + 19) / 20 + 1 + 5)
            #expect(warm.requests.bytesReceived < cold.requests.bytesReceived / 20)
            try SiteSnapshot(folder, includingIndex: true, includingState: true).expectSameUsers(as: before)
        }
    }

    /// Should download exactly the changed photos and rewrite exactly their users' files.
    @Test func changedPhotosAreDownloadedAlone() async throws {
        try await withTemporaryDirectory { folder in
            let (_, original) = try await Self.build(Self.demo(), into: folder)
            let before = try SiteSnapshot(folder, includingIndex: true)
            let (report, changed) = try await Self.build(Self.demo(mutation: DemoMutation(changedPhotos: 3)), into: folder)
            let expected = Set(zip(original.enabledUsers, changed.enabledUsers).compactMap { old, new in
                if case .portrait(let a, _, _) = old.photo, case .portrait(let b, _, _) = new.photo, a != b { return new.id }
                return nil
            })
            #expect(expected.count == 3)
            // Downloaded in batches of their own, one for each batch of users that holds one,
            // beside the batches of metadata.
            let metadataBatches = (changed.enabledUsers.count + 19) / 20
            #expect(report.counts.downloaded == 3 && changed.requestsByRoute["photo_value"] == 3)
            #expect((metadataBatches + 1...metadataBatches + 3).contains(report.requests.requestsByKind["batch"] ?? 0))
            #expect(report.requests.requestsByKind["photo_bytes"] == nil)
            // Their files, and the state that records their new ETags; users.json is the same.
            // 9 sizes as .jpg and .json, photos.json, photo.jpg, photo.json: 21 files a user.
            #expect(report.filesWritten == 3 * 21 + 1)
            let after = try SiteSnapshot(folder, includingIndex: true)
            #expect(Self.changedUsers(before, after) == expected)
            #expect(!after.changedFiles(since: before).contains("users.json"))
            for id in expected { try SiteFiles(root: folder).expectCompleteUser(id, placeholder: false) }
        }
    }

    /// Should draw new placeholders for renamed users without a photo, and leave photo users' files alone.
    @Test func renamedUsersGetNewInitials() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(Self.demo(), into: folder)
            let before = try SiteSnapshot(folder, includingIndex: true)
            let (report, tenant) = try await Self.build(Self.demo(mutation: DemoMutation(renamed: 8)), into: folder)
            let renamed = tenant.enabledUsers.filter { $0.fields["givenName"] == "Renamed" }
            let renamedPlaceholders = Set(renamed.filter { $0.photo.largestSize == nil }.map(\.id))
            #expect(!renamedPlaceholders.isEmpty && renamedPlaceholders.count < renamed.count)
            #expect(report.counts.downloaded == 0)
            let after = try SiteSnapshot(folder, includingIndex: true)
            #expect(Self.changedUsers(before, after) == renamedPlaceholders)
            #expect(after.changedFiles(since: before).contains("users.json"))
            let index = try SiteFiles.usersDocument(in: folder)
            for user in renamed {
                #expect(index.value.first { $0.id == user.id }?.fields["displayName"] == user.fields["displayName"].map(JSONValue.string))
            }
        }
    }

    /// Should add new users and remove those who left.
    @Test func addsAndRemovesUsers() async throws {
        try await withTemporaryDirectory { folder in
            let (_, original) = try await Self.build(Self.demo(), into: folder)
            let (report, changed) = try await Self.build(Self.demo(mutation: DemoMutation(added: 3, removed: 2)), into: folder)
            let old = Set(original.enabledUsers.map(\.id)), new = Set(changed.enabledUsers.map(\.id))
            #expect(report.counts.removed == old.subtracting(new).count)
            #expect(report.counts.unchanged == old.intersection(new).count)
            let index = try SiteFiles.usersDocument(in: folder)
            #expect(Set(index.value.map(\.id)) == new)
            let folders = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("users").path)
            #expect(Set(folders) == new)
            for id in new.subtracting(old) {
                try SiteFiles(root: folder).expectCompleteUser(id, placeholder: index.value.first { $0.id == id }?.placeholder ?? false)
            }
        }
    }

    /// Should re-render exactly what a settings change affects.
    @Test func settingsChangesReRenderWhatTheyAffect() async throws {
        try await withTemporaryDirectory { folder in
            let (cold, tenant) = try await Self.build(Self.demo(), into: folder)
            let placeholderUsers = Set(tenant.enabledUsers.filter { $0.photo.largestSize == nil }.map(\.id))
            var before = try SiteSnapshot(folder)
            let (palette, _) = try await Self.build(Self.demo(), into: folder) {
                $0.placeholder.palette = [RGBColor(red: 0x1A, green: 0x23, blue: 0x7E)]
            }
            #expect(palette.counts.downloaded == 0)
            var after = try SiteSnapshot(folder)
            #expect(Self.changedUsers(before, after) == placeholderUsers)

            before = after
            let (quality, _) = try await Self.build(Self.demo(), into: folder) {
                $0.placeholder.palette = [RGBColor(red: 0x1A, green: 0x23, blue: 0x7E)]
                $0.imaging.jpegQuality = 70
            }
            #expect(quality.counts.downloaded == cold.counts.photos)
            after = try SiteSnapshot(folder)
            #expect(Self.changedUsers(before, after) == Set(tenant.enabledUsers.map(\.id)))
        }
    }

    /// Should download and render everyone again with --full, whatever the state says.
    @Test func fullBuildRedoesEverything() async throws {
        try await withTemporaryDirectory { folder in
            let (cold, _) = try await Self.build(Self.demo(), into: folder)
            let (full, tenant) = try await Self.build(Self.demo(), into: folder, full: true)
            #expect(full.counts.unchanged == 0)
            #expect(full.counts.downloaded == cold.counts.photos)
            #expect(tenant.requestsByRoute["photo_value"] == cold.counts.photos)
        }
    }

    /// Should make again a user whose published folder was deleted by hand.
    @Test func rebuildsAUserWhoseFilesWentMissing() async throws {
        try await withTemporaryDirectory { folder in
            let (_, tenant) = try await Self.build(Self.demo(), into: folder)
            let victim = try #require(tenant.enabledUsers.first { $0.photo.largestSize != nil })
            try FileManager.default.removeItem(at: SiteLayout(root: folder).userFolder(victim.id).appendingPathComponent("photos.json"))
            let (report, _) = try await Self.build(Self.demo(), into: folder)
            #expect(report.counts.downloaded == 1)
            try SiteFiles(root: folder).expectCompleteUser(victim.id, placeholder: false)
        }
    }

    /// Should make again, the night after, a user whose files were kept through a settings change.
    @Test func catchesUpAUserKeptThroughASettingsChange() async throws {
        var faults = DemoFaults()
        faults.failAllPhotos = true
        try await withTemporaryDirectory { folder in
            let (cold, _) = try await Self.build(Self.demo(users: 20), into: folder)
            let (failed, _) = try await Self.build(Self.demo(users: 20, faults: faults), into: folder) {
                $0.imaging.jpegQuality = 70
                $0.source.retries = 0
            }
            #expect(failed.counts.kept == cold.counts.written)
            let (next, _) = try await Self.build(Self.demo(users: 20), into: folder) { $0.imaging.jpegQuality = 70 }
            #expect(next.counts.unchanged == 0)
            #expect(next.counts.downloaded == cold.counts.photos)
        }
    }

    /// Should fall back to one request per user when the service refuses batches.
    @Test func fallsBackWhenBatchesAreRefused() async throws {
        var faults = DemoFaults()
        faults.batchUnsupported = true
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(Self.demo(users: 30, faults: faults), into: folder)
            let users = tenant.enabledUsers.count
            let photos = tenant.enabledUsers.filter { $0.photo.largestSize != nil }.count
            #expect(report.exitCode == 0)
            // One refused batch of metadata and one of photos a unit, then a request a user.
            #expect(report.requests.requestsByKind["batch"] == 2 * ((users + 19) / 20))
            #expect(report.requests.requestsByKind["photo_metadata"] == users)
            #expect(report.requests.requestsByKind["photo_bytes"] == photos)
            #expect(report.counts.written == users)
        }
    }

    /// Should retry the throttled requests inside a batch after their Retry-After, and only those.
    @Test func retriesThrottledRequestsInsideABatch() async throws {
        var faults = DemoFaults()
        faults.batchItemThrottleRate = 0.3
        faults.retryAfterSeconds = 0
        faults.seed = 5
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(Self.demo(users: 60, faults: faults), into: folder)
            let users = tenant.enabledUsers.count
            let throttled = tenant.requestsByRoute["fault_batch_429"] ?? 0
            #expect(throttled > 5)
            #expect(report.exitCode == 0, "\(report.failures)")
            #expect(report.requests.retries > 0)
            #expect(report.requests.requestsByKind["photo_metadata"] == nil && report.requests.requestsByKind["photo_bytes"] == nil)
            // Every user's metadata and every photo asked once, and again once per throttled answer.
            let photos = tenant.enabledUsers.filter { $0.photo.largestSize != nil }.count
            #expect(tenant.requestsByRoute["batch_item"] == users + photos + throttled)
            let site = SiteFiles(root: folder)
            for user in tenant.enabledUsers { try site.expectCompleteUser(user.id, placeholder: user.photo.largestSize == nil) }
        }
    }
}
