public import Foundation
import AvatarSiteContract

/// What one `avatar-site upload` tells an alerting system, as Prometheus metrics named
/// `avatar_site_upload_*`, apart from the build's: node_exporter's textfile collector reads every
/// `*.prom` file of its folder, and a name two files both wrote would fail the whole scrape. A
/// pure value, like `BuildMetrics`.
///
/// An upload *succeeds* when it went through the whole folder and was not a dry run (exit code
/// 0, or 1 for files refused or failed).
public struct UploadMetrics: Sendable {
    /// The run's report; nil when it stopped before going through the folder.
    public var report: UploadReport?
    public var exitCode: Int32
    public var seconds: Double?
    public var finishedAt: Date
    public var lastSuccess: Date?

    public init(report: UploadReport?, exitCode: Int32, seconds: Double?, finishedAt: Date, lastSuccess: Date?) {
        self.report = report
        self.exitCode = exitCode
        self.seconds = seconds
        self.finishedAt = finishedAt
        self.lastSuccess = lastSuccess
    }

    /// The metrics of a run that ended with `report` (nil: it stopped early) and `exitCode`.
    public init(report: UploadReport?, exitCode: Int32, seconds: Double?, finishedAt: Date, previousSuccess: Date?) {
        let succeeded = report.map { !$0.dryRun } ?? false
        self.init(report: report, exitCode: exitCode, seconds: seconds, finishedAt: finishedAt,
                  lastSuccess: succeeded ? finishedAt : previousSuccess)
    }

    public static let lastSuccessMetric = "avatar_site_upload_last_success_timestamp_seconds"

    public var exposition: MetricsExposition {
        typealias Family = MetricsExposition.Family
        var families = [
            Family("avatar_site_upload_info", .gauge, help: "The avatar-site version that wrote these metrics; always 1.",
                   [.init(1, labels: [("version", AvatarSiteVersion.current)])]),
            Family("avatar_site_upload_last_run_timestamp_seconds", .gauge,
                   help: "When the last upload ended, successful or not (Unix time).", value: finishedAt.timeIntervalSince1970),
            Family(Self.lastSuccessMetric, .gauge,
                   help: "When an upload last went through its folder, exit code 0 or 1, not a dry run (Unix time); 0 when none ever did.",
                   value: lastSuccess?.timeIntervalSince1970 ?? 0),
            Family("avatar_site_upload_exit_code", .gauge,
                   help: "The last upload's exit code: 0 done, 1 some files refused or failed, 2 configuration or arguments, 3 authentication.",
                   value: Double(exitCode)),
        ]
        if let seconds {
            families.append(Family("avatar_site_upload_duration_seconds", .gauge, help: "Seconds the last upload took.", value: seconds))
        }
        guard let report else { return MetricsExposition(families) }
        let counts = report.counts
        families += [
            Family("avatar_site_upload_dry_run", .gauge, help: "1 when the last upload was a dry run that sent no photo.",
                   value: report.dryRun ? 1 : 0),
            Family("avatar_site_upload_files", .gauge,
                   help: "Files of the last upload's folder by result; ignored: not named .jpg, .jpeg or .png.",
                   label: "result", [("uploaded", counts.uploaded), ("unchanged", counts.unchanged), ("would_upload", counts.wouldUpload),
                                     ("refused", counts.refused), ("failed", counts.failed), ("ignored", counts.ignored)]
                       .map { ($0.0, Double($0.1)) }),
            Family("avatar_site_upload_refused_files", .gauge, help: "Files the last upload refused before sending, by reason.",
                   label: "reason", report.refusedByReason.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value)) }),
        ]
        families += BuildMetrics.requestFamilies(report.requests, prefix: "avatar_site_upload", run: "upload")
        return MetricsExposition(families)
    }

    public var text: String { exposition.text }
}
