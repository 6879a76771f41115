public import Foundation
public import Logging

/// The nightly build: list users → fetch each photo → render (libgd) → write the static folder.
///
/// Users are processed while the listing is still being paged, at most `concurrency` at a time;
/// CPU work goes to `CPUWorkers`, so the network and the cores stay busy together.
public struct BuildPipeline<Source: DirectorySource>: Sendable {
    public let configuration: SiteConfiguration
    public let source: Source
    public let writer: SiteWriter
    public let statistics: RequestStatistics
    let photos: PhotoRenderer
    let placeholders: PlaceholderRenderer
    let logger: Logger

    public init(configuration: SiteConfiguration, outputDirectory: URL, source: Source, statistics: RequestStatistics,
                logger: Logger) {
        self.configuration = configuration
        self.source = source
        self.writer = SiteWriter(root: outputDirectory, sizes: configuration.sizes)
        self.statistics = statistics
        let settings = RenderSettings(configuration: configuration)
        self.photos = PhotoRenderer(settings: settings)
        self.placeholders = PlaceholderRenderer(settings: settings, style: configuration.placeholder)
        self.logger = logger
    }

    public func run() async throws(BuildError) -> BuildReport {
        let clock = ContinuousClock()
        let started = clock.now
        let workers = CPUWorkers()
        let result: Result<BuildReport, BuildError>
        do {
            result = .success(try await buildUsers(workers: workers, clock: clock, started: started))
        } catch {
            result = .failure(error)
        }
        do {
            try await workers.shutdown()
        } catch {
            logger.warning("stopping the CPU workers failed: \(error)")
        }
        return try result.get()
    }

    private func buildUsers(workers: CPUWorkers, clock: ContinuousClock, started: ContinuousClock.Instant)
        async throws(BuildError) -> BuildReport {
        var report = BuildReport()
        var entries = [UserEntry]()
        do {
            try await withThrowingTaskGroup(of: UserResult.self) { group in
                var seen = Set<String>()
                var inFlight = 0
                for try await page in source.userPages() {
                    report.seconds["listing"] = (clock.now - started).seconds
                    for user in page where seen.insert(user.id).inserted {
                        report.counts.listed += 1
                        if inFlight == configuration.source.concurrency, let result = try await group.next() {
                            record(result, into: &report, entries: &entries)
                            inFlight -= 1
                        }
                        group.addTask { try await build(user, workers: workers) }
                        inFlight += 1
                    }
                }
                while let result = try await group.next() {
                    record(result, into: &report, entries: &entries)
                }
            }
        } catch let error as SourceError {
            throw .source(error)
        } catch {
            throw .source(SourceError(.invalidResponse, url: "", message: "\(error)"))
        }
        report.seconds["users"] = (clock.now - started).seconds

        do {
            try writer.writeIndex(entries)
        } catch {
            throw .site(error)
        }
        report.requests = statistics.snapshot
        report.exitCode = report.failures.isEmpty ? 0 : 1
        report.seconds["total"] = (clock.now - started).seconds
        do {
            try writer.writeReport(report)
        } catch {
            throw .site(error)
        }
        return report
    }

    enum UserResult: Sendable {
        case written(UserEntry, noMailbox: Bool, failures: [UserFailure])
        case skipped([UserFailure])
    }

    private func record(_ result: UserResult, into report: inout BuildReport, entries: inout [UserEntry]) {
        switch result {
        case .written(let entry, let noMailbox, let failures):
            entries.append(entry)
            report.counts.written += 1
            if entry.placeholder { report.counts.placeholders += 1 } else { report.counts.photos += 1 }
            if noMailbox { report.counts.noMailbox += 1 }
            if !failures.isEmpty { report.counts.failed += 1 }
            report.failures += failures
        case .skipped(let failures):
            report.counts.skipped += 1
            report.counts.failed += 1
            report.failures += failures
        }
    }

    /// Builds one user. Throws only for failures that must stop the whole build (authentication).
    private func build(_ user: DirectoryUser, workers: CPUWorkers) async throws(SourceError) -> UserResult {
        if let problem = PathSegment.problem(with: user.id) {
            logger.warning("skipping a user whose id is unsafe", metadata: ["reason": "\(problem)"])
            return .skipped([UserFailure(id: user.id, stage: .id, kind: "unsafe_id", message: problem)])
        }
        var failures = [UserFailure]()
        var noMailbox = false
        var photoBytes: Data?
        do {
            if try await source.photoMetadata(userID: user.id) != nil {
                do {
                    photoBytes = try await source.photoBytes(userID: user.id).data
                } catch {
                    try record(error, stage: .download, user: user, failures: &failures, noMailbox: &noMailbox)
                }
            }
        } catch {
            try record(error, stage: .metadata, user: user, failures: &failures, noMailbox: &noMailbox)
        }

        let initials = Initials.of(user)
        let downloaded = photoBytes
        let outcome = await workers.run { [photos, placeholders, writer] () -> RenderOutcome in
            var failures = [UserFailure]()
            var images: AvatarImages?
            if let downloaded {
                do throws(ImagingError) {
                    images = try photos.render(downloaded)
                } catch {
                    failures.append(UserFailure(id: user.id, stage: .image, error))
                }
            }
            do {
                let final = try images ?? placeholders.render(initials: initials, userID: user.id)
                try writer.writeUser(id: user.id, images: final)
                return RenderOutcome(placeholder: final.isPlaceholder, failures: failures, written: true)
            } catch let error as ImagingError {
                failures.append(UserFailure(id: user.id, stage: .placeholder, error))
            } catch {
                failures.append(UserFailure(id: user.id, stage: .write, kind: "write", message: error.localizedDescription))
            }
            return RenderOutcome(placeholder: true, failures: failures, written: false)
        }
        failures += outcome.failures
        for failure in failures {
            logger.notice("user failed", metadata: ["user": "\(failure.id)", "stage": "\(failure.stage.rawValue)",
                                                     "kind": "\(failure.kind)", "message": "\(failure.message)"])
        }
        guard outcome.written else { return .skipped(failures) }
        let publicFields = user.fields.filter { configuration.output.publicFields.contains($0.key) }
        return .written(UserEntry(id: user.id, fields: publicFields, placeholder: outcome.placeholder),
                        noMailbox: noMailbox, failures: failures)
    }

    private struct RenderOutcome: Sendable {
        var placeholder: Bool
        var failures: [UserFailure]
        var written: Bool
    }

    /// Files a source failure against the user, or rethrows it when it must stop the build.
    private func record(_ error: SourceError, stage: UserFailure.Stage, user: DirectoryUser,
                        failures: inout [UserFailure], noMailbox: inout Bool) throws(SourceError) {
        switch error.kind {
        case .authentication:
            throw error
        case .noMailbox:
            noMailbox = true
        default:
            failures.append(UserFailure(id: user.id, stage: stage, error))
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
