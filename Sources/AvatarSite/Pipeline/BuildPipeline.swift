import Foundation
public import Logging
import SiteTemplates
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
        // An unattended night against Exchange Online's EWS says why it may fail, in its log.
        switch ExchangeOnlineEWSRetirement.verdict(for: configuration.source, on: Date()) {
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
        let site: SiteState
        do throws(SiteError) {
            try publisher.removeLeftovers()
            site = try SiteState.read(layout)
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
    private func buildUsers(site: SiteState, fingerprints: SettingsFingerprints, workers: CPUWorkers, clock: ContinuousClock,
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
                    let fresh = page.users.filter { seen.insert($0.key).inserted }
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

    /// Checks the departures against `output.max_deletions`, then publishes in the order
    /// `SitePublisher` documents, with the index, the page and the state as artifacts.
    private func publish(_ tally: inout BuildTally, site: SiteState, fingerprints: SettingsFingerprints,
                         publisher: SitePublisher, design: PageDesign?) throws(BuildError) {
        // What publishing would really remove: every folder under users/ the new index does not
        // list, whether or not the old index (which may be gone) listed it. Folders an earlier
        // build already took out of its index and could not remove were counted by that build.
        let present: [FileName]
        do {
            present = try SafeRemoval.names(in: layout.usersFolder)
        } catch {
            publisher.discardStaging()
            throw .site(error)
        }
        let departures = Departures(present: present, listed: Set(tally.entries.map(\.id)), pending: site.state.pendingRemoval)
        let published = max(site.publishedCount, present.count - departures.retried.count)
        let allowed = configuration.output.maxDeletions.allowed(outOf: published)
        if departures.newlyDeparted > allowed && !options.allowDeletions {
            publisher.discardStaging()
            throw .tooManyDeletions(removing: departures.newlyDeparted, allowed: allowed, published: published)
        }
        let page: DirectoryPageArtifacts
        do {
            let index = try IndexEntry.index(tally.entries, sizes: configuration.sizes)
            page = try pageArtifacts(index: index, design: design)
            let hosting = try hostingArtifacts(tally.entries)
            let published = try publisher.publish(
                staged: tally.staged, index: SiteArtifact(layout.usersIndex, index), departures: departures,
                artifacts: page.artifacts + (hosting?.artifacts ?? []), obsolete: hosting?.obsolete ?? [],
                state: BuildState(fingerprints: fingerprints, users: tally.records))
            tally.report.counts.removed = published.removed
            tally.report.counts.leftOver = published.leftovers.count
            tally.report.leftovers = published.leftovers
            tally.report.filesWritten += published.written.count
        } catch {
            throw .site(error)
        }
        for leftover in tally.report.leftovers {
            // Not a failure of any user: the site is whole and consistent, the folder only costs space.
            logger.warning("""
                the folder of a user who left could not be removed; the next build tries again. If it stays, check the \
                folder's owner and attributes (lsattr) and remove it by hand
                """,
                           metadata: ["path": "\(leftover.path)", "reason": "\(leftover.reason)"])
        }
        do {
            try page.removeObsolete()
        } catch {
            // The new page and everything it names are in place; an old file left over costs space, not correctness.
            logger.warning("an old file of the directory page could not be removed: \(error.localizedDescription)")
        }
    }

    /// The directory page, when `output.page` asks for it and its templates are installed.
    private func pageArtifacts(index: Data, design: PageDesign?) throws(SiteError) -> DirectoryPageArtifacts {
        guard let design else { return .none }
        return try DirectoryPageArtifacts.make(index: index, design: design, fields: configuration.output.publicFields, layout: layout)
    }

    /// The page's title, logo and templates, read before anything is fetched so that a mistake
    /// in them costs no downloads.
    private func pageDesign() throws(BuildError) -> PageDesign? {
        guard configuration.output.page else { return nil }
        do throws(ConfigurationError) {
            guard let design = try PageDesign.load(configuration.page) else {
                logger.warning("the directory page's templates were not installed beside the binary; writing no index.html")
                return nil
            }
            return design
        } catch {
            throw .configuration(error)
        }
    }

    /// `hosting/`: the host configs and the lookups they read.
    private func hostingArtifacts(_ entries: [IndexEntry]) throws(SiteError) -> HostingArtifacts? {
        guard let templates = SiteTemplates.folder("hosting") else {
            logger.warning("the host-config templates were not installed beside the binary; writing no hosting/ folder")
            return nil
        }
        let silhouette = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: configuration.placeholder)
        let hosting = try HostingArtifacts(configuration: configuration, layout: layout,
                                           users: entries.map { ($0.id, $0.addresses) }, templates: templates,
                                           silhouette: silhouette)
        if hosting.ambiguousAliases > 0 {
            logger.notice("addresses two users share name neither in the site's URLs",
                          metadata: ["addresses": "\(hosting.ambiguousAliases)"])
        }
        return hosting
    }

    /// The build's own peak resident memory: `VmHWM`, the high-water mark of this process's
    /// memory since it was executed. `getrusage`'s `ru_maxrss` is not: Linux carries it across
    /// `exec`, so a build started by a large process (a test runner, a scheduler's agent)
    /// would report that process's peak.
    static func peakMemoryBytes() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kibibytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            return kibibytes * 1024
        }
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024  // Linux reports KiB
    }
}

/// What the build has gathered so far: entries for the index, staged users, state, the report.
struct BuildTally {
    var entries = [IndexEntry]()
    var staged = [String]()
    var records = [String: BuildState.UserRecord]()
    var report = BuildReport()

    mutating func record(_ outcomes: [UserOutcome], progress: BuildProgress?) {
        for outcome in outcomes {
            record(outcome)
            progress?.userDone()
        }
    }

    mutating func record(_ outcome: UserOutcome) {
        switch outcome {
        case .unchanged(let entry, let record):
            publish(entry, record)
            report.counts.unchanged += 1
            if record.noMailbox == true { report.counts.noMailbox += 1 }
        case .staged(let entry, let record, let files, let noMailbox, let failures):
            publish(entry, record)
            staged.append(entry.id)
            report.filesWritten += files
            if noMailbox { report.counts.noMailbox += 1 }
            if !failures.isEmpty { report.counts.provisional += 1 }
            if !entry.placeholder { report.counts.downloaded += 1 }
            add(failures)
        case .kept(let entry, let record, let failures):
            publish(entry, record)
            report.counts.kept += 1
            add(failures)
        case .skipped(let failures):
            report.counts.skipped += 1
            add(failures)
        }
    }

    private mutating func publish(_ entry: UserEntry, _ record: BuildState.UserRecord?) {
        do {
            entries.append(try IndexEntry(entry))
        } catch {
            // Encoding plain strings and numbers cannot fail; if it ever did, the user is left out
            // of the index rather than the build stopping, and the report says so.
            report.failures.append(UserFailure(id: entry.id, stage: .write, kind: "write", message: error.localizedDescription))
            return
        }
        records[entry.id] = record
        report.counts.written += 1
        if entry.placeholder { report.counts.placeholders += 1 } else { report.counts.photos += 1 }
    }

    private mutating func add(_ failures: [UserFailure]) {
        guard !failures.isEmpty else { return }
        report.counts.failed += 1
        report.failures += failures
        for failure in failures {
            report.failuresByKind[[failure.kind, failure.code].compactMap { $0 }.joined(separator: ":"), default: 0] += 1
        }
    }
}
