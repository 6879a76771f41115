@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteSources

/// Concurrency that finds the server's limit, and photo bytes in `$batch`.
@Suite struct ConcurrencyTests {
    // MARK: - The adaptive limit's decisions

    /// Answers `count` requests at a steady `rate` a second, starting at `start`.
    static func answer(_ limit: inout AdaptiveLimit, count: Int, rate: Double, from start: ContinuousClock.Instant)
        -> ContinuousClock.Instant {
        var now = start
        for _ in 0..<count {
            now += .nanoseconds(Int64(1e9 / rate))
            limit.answered(at: now)
        }
        return now
    }

    /// Should double while throughput rises, then hold when it stops rising.
    @Test func growsWhileThroughputRises() {
        var limit = AdaptiveLimit(start: 8, maximum: 64)
        var now = ContinuousClock.now
        now = Self.answer(&limit, count: 8, rate: 50, from: now)
        #expect(limit.current == 16)
        now = Self.answer(&limit, count: 16, rate: 100, from: now)
        #expect(limit.current == 32)
        now = Self.answer(&limit, count: 32, rate: 101, from: now)
        #expect(limit.current == 32, "throughput stopped rising: hold")
        now = Self.answer(&limit, count: 32, rate: 150, from: now)
        #expect(limit.current == 36, "past slow start, an eighth a round")
        for _ in 0..<40 { now = Self.answer(&limit, count: limit.current, rate: 150 * Double(limit.current), from: now) }
        #expect(limit.current == 64 && limit.summary.reached == 64, "never past the maximum")
    }

    /// Should halve on a throttled answer, and never go below one.
    @Test func halvesWhenThrottled() {
        var limit = AdaptiveLimit(start: 8, maximum: 64)
        limit.throttled()
        #expect(limit.current == 4)
        for _ in 0..<5 { limit.throttled() }
        #expect(limit.current == 1 && limit.summary.throttled == 6)
    }

    /// Should leave a fixed number as it is, whatever happens.
    @Test func aFixedNumberStays() {
        var limit = AdaptiveLimit(fixed: 12)
        _ = Self.answer(&limit, count: 100, rate: 1000, from: .now)
        limit.throttled()
        #expect(limit.current == 12 && limit.summary.mode == "fixed" && limit.summary.throttled == 1)
    }

    // MARK: - Builds

    static func build(_ demo: DemoTenantConfiguration, into folder: URL, concurrency: ConcurrencySetting = .auto)
        async throws -> (BuildReport, DemoTenant) {
        let tenant = DemoTenant(configuration: demo)
        let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
            configuration.source.concurrency = concurrency
            configuration.sizes = [PhotoSize(side: 48), PhotoSize(side: 96)]
            return try await SiteBuildFixture.build(configuration, demo: demo)
        }
        return (report, tenant)
    }

    static func expectEveryUser(of tenant: DemoTenant, in folder: URL, except failed: Set<String> = []) throws {
        let site = SiteFiles(root: folder)
        let index = try SiteFiles.usersDocument(in: folder)
        #expect(Set(index.value.map(\.id)) == Set(tenant.enabledUsers.map(\.id)))
        for user in tenant.enabledUsers where !failed.contains(user.id) {
            try site.expectCompleteUser(user.id, placeholder: user.photo.largestSize == nil,
                                        sizes: [PhotoSize(side: 48), PhotoSize(side: 96)])
        }
    }

    /// Should handle a throttled, a 503, a truncated and a missing sub-response in a batch of
    /// photos as single downloads are handled: asked again, downloaded again.
    @Test func batchedDownloadsSurviveBadSubResponses() async throws {
        var demo = DemoTenantConfiguration(userCount: 80, seed: 31)
        demo.faults.batchItemThrottleRate = 0.1
        demo.faults.batchItemUnavailableRate = 0.1
        demo.faults.batchItemTruncatedRate = 0.1
        demo.faults.batchItemMissingRate = 0.1
        demo.faults.retryAfterSeconds = 0
        demo.faults.seed = 8
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(demo, into: folder)
            for fault in ["fault_batch_429", "fault_batch_503", "fault_batch_truncated", "fault_batch_missing"] {
                #expect((tenant.requestsByRoute[fault] ?? 0) > 0, "no \(fault)")
            }
            #expect(report.requests.requestsByKind["photo_bytes"] == nil, "photos came in batches")
            let failed = Set(report.failures.map(\.id))
            #expect(failed.count <= 2, "\(report.failures)")
            try Self.expectEveryUser(of: tenant, in: folder, except: failed)
            for file in filesBelow(folder) where file.hasSuffix(".jpg") {
                #expect(TestImages.decodedSize(try SiteFiles(root: folder).data(file)) != nil, "\(file)")
            }
        }
    }

    /// Should grow past where it starts against a server that takes more.
    @Test func autoGrowsAgainstAGenerousServer() async throws {
        var demo = DemoTenantConfiguration(userCount: 400, seed: 32, latencyMilliseconds: 20)
        demo.maxPageSize = 25
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(demo, into: folder)
            let summary = try #require(report.concurrency)
            #expect(summary.mode == "auto" && summary.reached > ConcurrencySetting.autoStart && summary.throttled == 0, "\(summary)")
            #expect(report.exitCode == 0)
            try Self.expectEveryUser(of: tenant, in: folder)
        }
    }

    /// Should back off against a server that takes four requests at once, and still build everyone.
    @Test func autoBacksOffAndFinishes() async throws {
        var demo = DemoTenantConfiguration(userCount: 120, seed: 33, latencyMilliseconds: 20)
        demo.maxConcurrency = 4
        demo.throttleRetryAfterSeconds = 0
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(demo, into: folder)
            let summary = try #require(report.concurrency)
            // Cut to four and below, then probing upward an eighth at a time: never far above.
            #expect(summary.throttled > 0 && summary.final <= 6, "\(summary)")
            #expect(report.exitCode == 0, "\(report.failures)")
            try Self.expectEveryUser(of: tenant, in: folder)
        }
    }

    /// Should never have more requests in flight than a fixed concurrency.
    @Test func aFixedConcurrencyIsNeverExceeded() async throws {
        let demo = DemoTenantConfiguration(userCount: 150, seed: 34, latencyMilliseconds: 10)
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(demo, into: folder, concurrency: .fixed(3))
            #expect(report.exitCode == 0)
            #expect(tenant.mostRequestsInFlight <= 3 && tenant.mostRequestsInFlight >= 2, "\(tenant.mostRequestsInFlight)")
            #expect(report.concurrency?.reached == 3)
        }
    }
}
