import Foundation
public import Logging
public import AvatarSiteContract
import AvatarSiteImaging
public import AvatarSiteSources

/// The nightly build, as named stages:
/// 1. **build users**: list the directory page by page and, while it is still being listed,
///    build each user a batch at a time (at most `concurrency` batches at once): ask the source
///    for their photos, render new ones on the CPU workers, stage their files;
/// 2. **publish**: swap the staged users in, write the site's artifacts (the index, the page,
///    the state), remove users who left.
///
/// Each stage is timed into the report, and an error that stops it says which stage it was.
/// Nothing published changes until every user is built: a failed listing, a rejected secret
/// or a suspicious number of departures leaves the site exactly as it was.
public struct BuildPipeline: Sendable {
    public let configuration: SiteConfiguration
    public let source: any DirectorySource
    public let layout: SiteLayout
    public let statistics: RequestStatistics
    /// The permits the source's requests take: users are built while it has room for them.
    public let limiter: ConcurrencyLimiter
    public let options: BuildOptions
    let logger: Logger
    /// Removes one folder of a user who left; a test puts a removal that fails in its place.
    var removeDeparted: @Sendable (FileName, URL) throws(SiteError) -> Void = SafeRemoval.remove(_:in:)

    public init(configuration: SiteConfiguration, layout: SiteLayout, source: any DirectorySource,
                statistics: RequestStatistics, limiter: ConcurrencyLimiter? = nil, options: BuildOptions = BuildOptions(),
                logger: Logger) {
        self.configuration = configuration
        self.source = source
        self.layout = layout
        self.statistics = statistics
        self.limiter = limiter ?? configuration.source.makeLimiter()
        self.options = options
        self.logger = logger
    }

    public func run() async throws(BuildError) -> BuildReport {
        try OutputGuard.check(layout, allowDeletions: options.allowDeletions)
        // An unattended night against a closing service (Exchange Online's EWS) says why it may fail, in its log.
        let source = configuration.source
        switch source.kind.settings.notice(for: source, on: Date()) {
        case .unaffected: break
        case .closing(let warning): logger.warning("\(warning)")
        case .switchedOff(let reason, let fix): logger.error("\(reason) \(fix)")
        }
        // A folder the host configs cannot name stops the build before any work, not at its end.
        do {
            _ = try HostingArtifacts.root(configuration, layout: layout)
        } catch {
            throw .site(error)
        }
        let lock: BuildLock
        do {
            try FileManager.default.createDirectoryIfMissing(layout.root)
            try FileManager.default.createDirectoryIfMissing(layout.stateFolder)
            lock = try BuildLock(layout: layout)
        } catch {
            throw .site(error)
        }
        defer { lock.release() }
        try OutputGuard.checkSameFileSystem(layout)
        let started = ContinuousClock.now
        let workers = CPUWorkers()
        do {
            return try await withCleanup({ () async throws(BuildError) in try await build(workers: workers) },
                                         cleanup: workers.shutdown, what: "stopping the CPU workers", logger: logger)
        } catch where error.isCancellation {
            reportCancelled(since: started)
            throw error
        }
    }

    /// Says in the full reports (`--report`, the state folder's last report) that the build was
    /// stopped; the published one still describes the site as it is.
    private func reportCancelled(since started: ContinuousClock.Instant) {
        var report = BuildReport()
        report.status = .cancelled
        report.exitCode = Int(BuildError.cancelled.exitCode)
        report.requests = statistics.snapshot
        report.seconds["total"] = (ContinuousClock.now - started).seconds
        report.peakMemoryBytes = Self.peakMemoryBytes()
        do {
            try SitePublisher(layout: layout).writeReport(report, publishedIDs: nil, alsoTo: options.reportFile)
        } catch {
            logger.warning("the report of the stopped build could not be written: \(error.localizedDescription)")
        }
    }

    private func build(workers: CPUWorkers) async throws(BuildError) -> BuildReport {
        let clock = ContinuousClock()
        let started = clock.now
        var publisher = SitePublisher(layout: layout, fileSystem: options.fileSystem)
        publisher.removeDeparted = removeDeparted
        let design = try pageDesign()
        let site: PublishedSite
        do throws(SiteError) {
            try publisher.removeLeftovers()
            site = try PublishedSite.read(layout)
        } catch {
            throw .site(error)
        }

        let fingerprints = SettingsFingerprints(configuration)
        var timings = [String: Double]()
        var tally = try await stage("build users", timed: "users", since: started, in: clock, into: &timings) {
            () async throws(BuildError) in
            do throws(BuildError) {
                return try await buildUsers(site: site, fingerprints: fingerprints, workers: workers, clock: clock, started: started)
            } catch {
                publisher.discardStaging()
                throw error
            }
        }
        options.progress?.finish()

        // A build stopped now still changes nothing; once publishing starts it runs to its end.
        if Task.isCancelled {
            publisher.discardStaging()
            throw .cancelled
        }
        let publishStarted = clock.now
        try await stage("publish", timed: "publish", since: publishStarted, in: clock, into: &timings) {
            () async throws(BuildError) in
            try publish(&tally, site: site, fingerprints: fingerprints, publisher: publisher, design: design)
        }
        tally.report.seconds.merge(timings) { _, stage in stage }
        tally.report.requests = statistics.snapshot
        tally.report.concurrency = limiter.summary
        tally.report.exitCode = tally.report.failures.isEmpty ? 0 : 1
        tally.report.seconds["total"] = (clock.now - started).seconds
        tally.report.peakMemoryBytes = Self.peakMemoryBytes()
        do {
            try publisher.writeReport(tally.report, publishedIDs: Set(tally.entries.map(\.id)), alsoTo: options.reportFile)
        } catch {
            throw .site(error)
        }
        return tally.report
    }

    /// Runs one stage: its errors carry its name, and the seconds from `since` to its end go in
    /// `timings` under `key`.
    private func stage<T>(_ name: String, timed key: String, since: ContinuousClock.Instant, in clock: ContinuousClock,
                          into timings: inout [String: Double],
                          _ body: () async throws(BuildError) -> T) async throws(BuildError) -> T {
        do {
            let result = try await body()
            timings[key] = (clock.now - since).seconds
            logger.debug("stage done", metadata: ["stage": "\(name)", "seconds": "\(timings[key] ?? 0)"])
            return result
        } catch {
            throw error.in(stage: name)
        }
    }

    /// Lists users page by page and builds them a batch at a time. Each batch has one request in
    /// flight at a time, and as many batches run as the limiter has permits, plus one a core so
    /// that batches rendering on the CPU workers leave the network busy; every request still
    /// takes a permit, so the concurrency is never exceeded, and the batches in flight bound
    /// the photos held in memory.
    private func buildUsers(site: PublishedSite, fingerprints: SettingsFingerprints, workers: CPUWorkers, clock: ContinuousClock,
                            started: ContinuousClock.Instant) async throws(BuildError) -> BuildTally {
        let settings = RenderSettings(configuration: configuration)
        let builder = UserBuilder(
            source: source, photos: PhotoRenderer(settings: settings),
            placeholderLooks: PlaceholderLooks(root: layout.looksFolder,
                                               renderer: PlaceholderRenderer(settings: settings, style: configuration.placeholder),
                                               sizes: configuration.sizes, fileSystem: options.fileSystem),
            layout: layout, sizes: configuration.sizes, publicFields: Set(configuration.output.publicFields),
            site: site, fingerprints: fingerprints, full: options.full, workers: workers, logger: logger)
        let batchSize = source.batchSize ?? 1
        let limiter = self.limiter
        var tally = BuildTally()
        do {
            try await withThrowingTaskGroup(of: [UserOutcome].self) { group in
                var seen = Set<String>()
                var inFlight = 0
                for try await page in source.userPages() {
                    tally.report.seconds["listing"] = (clock.now - started).seconds
                    let fresh = page.users.filter { seen.insert($0.id).inserted }
                    tally.report.counts.listed += fresh.count + page.invalid.count
                    tally.record(page.invalid.map { .skipped([UserFailure(invalid: $0)]) }, progress: nil)
                    options.progress?.listed(tally.report.counts.listed)
                    for batch in fresh.chunked(into: batchSize) {
                        while inFlight >= limiter.current + CPUWorkers.defaultCount, let outcomes = try await group.next() {
                            tally.record(outcomes, progress: options.progress)
                            inFlight -= 1
                        }
                        group.addTask { try await builder.build(batch) }
                        inFlight += 1
                    }
                }
                options.progress?.listingComplete()
                while let outcomes = try await group.next() {
                    tally.record(outcomes, progress: options.progress)
                }
            }
        } catch let error as SourceError where error.kind == .cancelled {
            throw .cancelled
        } catch let error as SourceError {
            throw .source(error)
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .source(SourceError(.invalidResponse, url: "", message: "\(error)"))
        }
        return tally
    }
}
