public import Foundation
public import Logging
import SiteTemplates

/// The nightly build: list users → fetch each photo → render (libgd) → stage → publish.
///
/// Users are processed while the listing is still being paged, at most `concurrency` at a time;
/// CPU work goes to `CPUWorkers`, so the network and the cores stay busy together. Nothing
/// published changes until every user is done: a failed listing, a rejected secret or a
/// suspicious number of departures leaves the site exactly as it was.
public struct BuildPipeline<Source: DirectorySource>: Sendable {
    public struct Options: Sendable {
        /// Publish even when more users would be removed than `output.max_deletions` allows.
        public var allowDeletions = false
        /// Also write the report here.
        public var reportFile: URL?
        /// Build every user again, ignoring what the last build left in its state.
        public var full = false
        public var progress: BuildProgress?

        public init(allowDeletions: Bool = false, reportFile: URL? = nil, full: Bool = false, progress: BuildProgress? = nil) {
            self.allowDeletions = allowDeletions
            self.reportFile = reportFile
            self.full = full
            self.progress = progress
        }
    }

    public let configuration: SiteConfiguration
    public let source: Source
    public let layout: SiteLayout
    public let statistics: RequestStatistics
    public let options: Options
    let logger: Logger

    public init(configuration: SiteConfiguration, outputDirectory: URL, source: Source, statistics: RequestStatistics,
                options: Options = Options(), logger: Logger) {
        self.configuration = configuration
        self.source = source
        self.layout = SiteLayout(root: outputDirectory)
        self.statistics = statistics
        self.options = options
        self.logger = logger
    }

    public func run() async throws(BuildError) -> BuildReport {
        let lock: BuildLock
        do {
            try FileManager.default.createDirectoryIfMissing(layout.stateFolder)
            lock = try BuildLock(layout: layout)
        } catch {
            throw .site(error)
        }
        defer { lock.release() }
        let workers = CPUWorkers()
        return try await withCleanup({ () async throws(BuildError) in try await build(workers: workers) },
                                     cleanup: workers.shutdown, what: "stopping the CPU workers", logger: logger)
    }

    private func build(workers: CPUWorkers) async throws(BuildError) -> BuildReport {
        let clock = ContinuousClock()
        let started = clock.now
        let template = configuration.output.page ? SiteTemplates.directoryPage : nil
        if configuration.output.page && template == nil {
            logger.warning("the directory page's template was not installed beside the binary; writing no index.html")
        }
        let publisher = SitePublisher(layout: layout, sizes: configuration.sizes, pageTemplate: template)
        let previous: PublishedSite
        do {
            try publisher.removeLeftovers()
            previous = try PublishedSite.read(layout)
        } catch {
            throw .site(error)
        }
        let fingerprints = SettingsFingerprints(configuration)
        let settings = RenderSettings(configuration: configuration)
        let placeholders = PlaceholderRenderer(settings: settings, style: configuration.placeholder)
        let builder = UserBuilder(
            source: source, photos: PhotoRenderer(settings: settings),
            placeholderLooks: PlaceholderLooks(root: layout.stagingFolder.appendingPathComponent("looks"), renderer: placeholders,
                                               sizes: configuration.sizes),
            layout: layout, sizes: configuration.sizes, publicFields: Set(configuration.output.publicFields),
            published: previous, state: BuildState.read(layout), fingerprints: fingerprints, full: options.full,
            workers: workers, logger: logger)

        var tally = BuildTally()
        do {
            try await processUsers(with: builder, into: &tally, clock: clock, started: started)
        } catch {
            publisher.discardStaging()
            throw error
        }
        tally.report.seconds["users"] = (clock.now - started).seconds
        options.progress?.finish()

        let listed = Set(tally.entries.map(\.id))
        let departing = previous.placeholders.keys.filter { !listed.contains($0) }.count
        let allowed = configuration.output.maxDeletions.allowed(outOf: previous.count)
        if departing > allowed && !options.allowDeletions {
            publisher.discardStaging()
            throw .tooManyDeletions(removing: departing, allowed: allowed, published: previous.count)
        }

        let publishStarted = clock.now
        do {
            let published = try publisher.publish(staged: tally.staged, entries: tally.entries)
            tally.report.counts.removed = published.removed
            let state = BuildState(fingerprints: fingerprints, users: tally.records)
            tally.report.filesWritten += (published.indexWritten ? 1 : 0) + (published.pageWritten ? 1 : 0)
                + (try state.write(layout) ? 1 : 0)
        } catch {
            throw .site(error)
        }
        tally.report.seconds["publish"] = (clock.now - publishStarted).seconds
        tally.report.requests = statistics.snapshot
        tally.report.exitCode = tally.report.failures.isEmpty ? 0 : 1
        tally.report.seconds["total"] = (clock.now - started).seconds
        tally.report.peakMemoryBytes = Self.peakMemoryBytes()
        do {
            try publisher.writeReport(tally.report, alsoTo: options.reportFile)
        } catch {
            throw .site(error)
        }
        return tally.report
    }

    static func peakMemoryBytes() -> Int {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return usage.ru_maxrss * 1024  // Linux reports KiB
    }

    /// Lists users page by page and builds them a batch at a time, `concurrency` batches at once
    /// (each batch has one request in flight at a time).
    private func processUsers(with builder: UserBuilder<Source>, into tally: inout BuildTally, clock: ContinuousClock,
                              started: ContinuousClock.Instant) async throws(BuildError) {
        let limit = configuration.source.concurrency
        do {
            try await withThrowingTaskGroup(of: [UserOutcome].self) { group in
                var seen = Set<String>()
                var inFlight = 0
                for try await page in source.userPages() {
                    tally.report.seconds["listing"] = (clock.now - started).seconds
                    let fresh = page.filter { seen.insert($0.id).inserted }
                    tally.report.counts.listed += fresh.count
                    options.progress?.listed(tally.report.counts.listed)
                    for start in stride(from: 0, to: fresh.count, by: GraphSource.batchLimit) {
                        let batch = Array(fresh[start..<min(start + GraphSource.batchLimit, fresh.count)])
                        if inFlight == limit, let outcomes = try await group.next() {
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
        } catch let error as SourceError {
            throw .source(error)
        } catch {
            throw .source(SourceError(.invalidResponse, url: "", message: "\(error)"))
        }
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

extension Initials {
    static func of(_ user: DirectoryUser) -> String {
        of(givenName: user.string("givenName"), surname: user.string("surname"), displayName: user.string("displayName"),
           mail: user.string("mail") ?? user.string("userPrincipalName"))
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
