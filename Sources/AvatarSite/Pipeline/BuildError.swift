public import Foundation
public import AvatarSiteContract
public import AvatarSiteSources

/// Why a build stopped before finishing, and in which stage; the site is left as it was.
public struct BuildError: LocalizedError, Sendable {
    public enum Reason: Sendable {
        /// site.yml, a users file or the environment is wrong: exit code 2.
        case configuration(ConfigurationError)
        /// The user list could not be read, or authentication failed: exit code 3.
        case source(SourceError)
        /// More users would be removed than `output.max_deletions` allows: exit code 3.
        case tooManyDeletions(removing: Int, allowed: Int, published: Int)
        /// The site could not be written: exit code 1.
        case site(SiteError)
        /// The output folder is not one a build may write (a symbolic link where the build's own
        /// folders go, `/`, the home folder, a folder of other files): exit code 2.
        case unsafeOutput(path: String, reason: String)
        /// SIGINT or SIGTERM stopped the build: exit code 130 (or 143 for SIGTERM, which the
        /// command knows).
        case cancelled
    }

    public var reason: Reason
    /// The stage of the build that stopped (`build users`, `publish`), when it had started.
    public var stage: String?
    /// What the build had done when it stopped (its requests, its seconds, its memory), for its
    /// metrics; nil when it stopped before it began.
    public var report: BuildReport?

    public init(_ reason: Reason, stage: String? = nil) {
        self.reason = reason
        self.stage = stage
    }

    public static func configuration(_ error: ConfigurationError) -> BuildError { BuildError(.configuration(error)) }
    public static func source(_ error: SourceError) -> BuildError { BuildError(.source(error)) }
    public static func site(_ error: SiteError) -> BuildError { BuildError(.site(error)) }
    public static let cancelled = BuildError(.cancelled)

    public var isCancellation: Bool {
        if case .cancelled = reason { return true }
        return false
    }

    public static func tooManyDeletions(removing: Int, allowed: Int, published: Int) -> BuildError {
        BuildError(.tooManyDeletions(removing: removing, allowed: allowed, published: published))
    }

    /// The same error, said to have happened in `stage` unless an inner stage already said so.
    func `in`(stage name: String) -> BuildError {
        var error = self
        error.stage = stage ?? name
        return error
    }

    public var errorDescription: String? {
        let description: String = switch reason {
        case .configuration(let error):
            error.localizedDescription
        case .source(let error) where error.kind == .authentication:
            "authentication failed, nothing was changed: \(error.localizedDescription)"
        case .source(let error):
            "the directory could not be read, nothing was changed: \(error.localizedDescription)"
        case .tooManyDeletions(let removing, let allowed, let published):
            """
            the build would remove \(removing) of \(published) published users, more than output.max_deletions \
            allows (\(allowed)); nothing was changed. If so many really left, run again with --allow-deletions.
            """
        case .site(let error):
            "the site could not be written: \(error.localizedDescription)"
        case .unsafeOutput(let path, let reason):
            "\(path): \(reason); nothing was changed"
        case .cancelled:
            "the build was stopped; the site is as it was"
        }
        return stage.map { "\($0): \(description)" } ?? description
    }

    public var exitCode: Int32 {
        switch reason {
        case .configuration, .unsafeOutput: 2
        case .source, .tooManyDeletions: 3
        case .site: 1
        case .cancelled: 130
        }
    }
}

extension BuildError {
    /// The same error carrying what the build had done when it stopped, unless it carries a
    /// report already.
    func reporting(_ requests: RequestStatistics.Snapshot, seconds: Double, peakMemoryBytes: Int) -> BuildError {
        guard report == nil else { return self }
        var report = BuildReport()
        report.status = isCancellation ? .cancelled : .failed
        report.exitCode = Int(exitCode)
        report.requests = requests
        report.seconds["total"] = seconds
        report.peakMemoryBytes = peakMemoryBytes
        var error = self
        error.report = report
        return error
    }
}
