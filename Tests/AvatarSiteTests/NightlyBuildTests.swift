import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// Builds that run into what a cloud API does at night: throttling, outages, broken connections.
@Suite struct NightlyBuildTests {
    static func demo(users: Int, pageSize: Int = 999, faults: DemoFaults = DemoFaults()) -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: users, seed: 11)
        configuration.maxPageSize = pageSize
        configuration.faults = faults
        return configuration
    }

    /// Builds `demo` into `folder` with a tenant of its own.
    static func build(_ demo: DemoTenantConfiguration, into folder: URL, secret: String? = nil,
                      options: BuildOptions = .init(),
                      configure: (inout SiteConfiguration) -> Void = { _ in }) async throws -> BuildReport {
        let tenant = DemoTenant(configuration: demo)
        return try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
            configure(&configuration)
            var credentials = demo
            if let secret { credentials.clientSecret = secret }
            return try await SiteBuildFixture.build(configuration, demo: credentials, options: options)
        }
    }

    /// Should finish a build through 20% 429s, 5% 503s, 2% dropped connections and 2% cut-short
    /// photos — of whole requests and of the requests inside batches — with every user the
    /// tenant serves on retry correct, and no file that fails to decode.
    @Test func survivesAStormOfFaults() async throws {
        var faults = DemoFaults()
        faults.throttleRate = 0.20
        faults.retryAfterSeconds = 0
        faults.unavailableRate = 0.05
        faults.dropRate = 0.02
        faults.truncatedPhotoRate = 0.02
        faults.batchItemThrottleRate = 0.20
        faults.batchItemUnavailableRate = 0.05
        faults.batchItemTruncatedRate = 0.02
        faults.batchItemMissingRate = 0.02
        faults.seed = 99
        let demo = Self.demo(users: 300, pageSize: 50, faults: faults)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(
                    SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder), demo: demo)
            }
            #expect(report.exitCode == 0 || report.exitCode == 1)
            #expect(report.requests.retries > 50, "the storm should have caused retries")
            let faultsServed = tenant.requestsByRoute.filter { $0.key.hasPrefix("fault_") }.values.reduce(0, +)
            #expect(faultsServed > 50)

            let failed = Set(report.failures.map(\.id))
            #expect(failed.count <= 3, "\(report.failures)")
            let index = try SiteFiles.usersDocument(in: folder)
            #expect(Set(index.value.map(\.id)) == Set(tenant.enabledUsers.map(\.id)))
            let site = SiteFiles(root: folder)
            for user in tenant.enabledUsers where !failed.contains(user.id) {
                try site.expectCompleteUser(user.id, placeholder: user.photo.largestSize == nil)
            }
            for file in filesBelow(folder) where file.hasSuffix(".jpg") {
                #expect(TestImages.decodedSize(try site.data(file)) != nil, "\(file) does not decode")
            }
        }
    }

    /// Should keep every photo of the last good build, byte for byte, when no photo can be fetched.
    @Test func keepsLastGoodPhotosWhenEveryPhotoRequestFails() async throws {
        try await withTemporaryDirectory { folder in
            let first = try await Self.build(Self.demo(users: 30), into: folder)
            #expect(first.exitCode == 0)
            let before = try SiteSnapshot(folder)

            var faults = DemoFaults()
            faults.failAllPhotos = true
            let second = try await Self.build(Self.demo(users: 30, faults: faults), into: folder) { $0.source.retries = 1 }
            #expect(second.exitCode == 1)
            #expect(second.counts.kept == first.counts.written)
            #expect(second.counts.provisional == 0)
            #expect(second.failures.count == first.counts.written)
            #expect(second.failures.allSatisfy { $0.kind == "transient" && $0.code == "ServiceNotAvailable" && $0.status == 503 })
            #expect(second.failuresByKind["transient:ServiceNotAvailable"] == first.counts.written)
            try SiteSnapshot(folder).expectSameUsers(as: before)
            let index = try SiteFiles.usersDocument(in: folder)
            #expect(index.value.filter(\.placeholder).count == first.counts.placeholders)
        }
    }

    /// Should change nothing when the listing fails part way.
    @Test func listingFailureChangesNothing() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(Self.demo(users: 40, pageSize: 7), into: folder)
            let before = try SiteSnapshot(folder, includingIndex: true)
            var faults = DemoFaults()
            faults.listingFailsAfterPages = 2
            do {
                _ = try await Self.build(Self.demo(users: 45, pageSize: 7, faults: faults), into: folder) { $0.source.retries = 1 }
                Issue.record("the build went on without the full listing")
            } catch {
                let error = try #require(error as? BuildError)
                #expect(error.exitCode == 3)
                guard case .source(let source) = error.reason else { Issue.record("\(error)"); return }
                #expect(source.status == 503)
            }
            try SiteSnapshot(folder, includingIndex: true).expectSameUsers(as: before)
            #expect(!FileManager.default.fileExists(atPath: SiteLayout(root: folder).stagingFolder.path))
        }
    }

    /// Should change nothing when the client secret is refused.
    @Test func authenticationFailureChangesNothing() async throws {
        try await withTemporaryDirectory { folder in
            _ = try await Self.build(Self.demo(users: 20), into: folder)
            let before = try SiteSnapshot(folder, includingIndex: true)
            do {
                _ = try await Self.build(Self.demo(users: 25), into: folder, secret: "revoked-secret")
                Issue.record("the build went on with a refused secret")
            } catch {
                let error = try #require(error as? BuildError)
                #expect(error.exitCode == 3)
                guard case .source(let source) = error.reason else { Issue.record("\(error)"); return }
                #expect(source.kind == .authentication && source.code == "invalid_client")
            }
            try SiteSnapshot(folder, includingIndex: true).expectSameUsers(as: before)
        }
    }

    /// Should renew a revoked token once and go on.
    @Test func renewsARevokedToken() async throws {
        var faults = DemoFaults()
        faults.revokeTokensAfterRequests = 2
        try await withTemporaryDirectory { folder in
            let report = try await Self.build(Self.demo(users: 30, faults: faults), into: folder)
            #expect(report.exitCode == 0, "\(report.failures)")
            #expect(report.requests.requestsByKind["token"] == 2)
            #expect((report.requests.responsesByStatus["401"] ?? 0) >= 1)
        }
    }

    /// Should refuse to remove more users than `max_deletions` allows, unless told to.
    @Test func deletionGuardStopsAMassRemoval() async throws {
        try await withTemporaryDirectory { folder in
            let first = try await Self.build(Self.demo(users: 40), into: folder)
            let before = try SiteSnapshot(folder, includingIndex: true)
            do {
                _ = try await Self.build(Self.demo(users: 30), into: folder)
                Issue.record("a quarter of the directory was removed without a question")
            } catch {
                let error = try #require(error as? BuildError)
                #expect(error.exitCode == 3)
                guard case .tooManyDeletions(let removing, let allowed, let published) = error.reason else { Issue.record("\(error)"); return }
                #expect(published == first.counts.written && allowed == published * 5 / 100 && removing > allowed)
                #expect(error.localizedDescription.contains("--allow-deletions"))
            }
            try SiteSnapshot(folder, includingIndex: true).expectSameUsers(as: before)

            let allowed = try await Self.build(Self.demo(users: 30), into: folder,
                                               options: .init(allowDeletions: true))
            let remaining = try SiteFiles.usersDocument(in: folder).value.map(\.id)
            #expect(allowed.counts.removed == first.counts.written - remaining.count)
            let folders = try FileManager.default.contentsOfDirectory(atPath: SiteLayout(root: folder).usersFolder.path)
            #expect(Set(folders) == Set(remaining))
        }
    }

    /// Should mark a placeholder drawn because the photo failed, when there was nothing to keep.
    @Test func marksPlaceholdersOfFailedPhotosAsProvisional() async throws {
        var faults = DemoFaults()
        faults.failAllPhotos = true
        try await withTemporaryDirectory { folder in
            let report = try await Self.build(Self.demo(users: 10, faults: faults), into: folder) { $0.source.retries = 0 }
            #expect(report.counts.provisional == report.counts.written)
            let site = SiteFiles(root: folder)
            for entry in try SiteFiles.usersDocument(in: folder).value {
                #expect(try site.photoDocument(entry.id).provisional == true)
                try site.expectCompleteUser(entry.id, placeholder: true)
            }
        }
    }
}
