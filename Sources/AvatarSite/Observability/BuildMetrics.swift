public import Foundation
import AvatarSiteContract
import AvatarSiteSources

/// What one `avatar-site build` tells an alerting system, as Prometheus metrics: when it ran,
/// when a build last published, how it ended, what it did to the users and what it asked of
/// the directory. A pure value: the timestamps are given, nothing is read or written.
///
/// A build *succeeds* when it publishes (exit code 0, or 1 for users that failed): only then
/// does `avatar_site_last_success_timestamp_seconds` move; any other ending carries the last
/// success over. User counts describe a build that published and are left out otherwise.
public struct BuildMetrics: Sendable {
    /// What the build said about itself: the published report, or what a failed build had
    /// gathered when it stopped; nil when it stopped before it started (site.yml did not load).
    public var report: BuildReport?
    public var published: Bool
    public var exitCode: Int32
    public var finishedAt: Date
    /// The last build that published, this one included; nil when none ever did (written as 0,
    /// so that an alert on its age fires).
    public var lastSuccess: Date?

    public init(report: BuildReport?, published: Bool, exitCode: Int32, finishedAt: Date, lastSuccess: Date?) {
        self.report = report
        self.published = published
        self.exitCode = exitCode
        self.finishedAt = finishedAt
        self.lastSuccess = lastSuccess
    }

    /// The metrics of a build's outcome: its report, or the error that stopped it (a
    /// `BuildError` carries what the build had done by then).
    /// - Parameters:
    ///   - exitCode: the process's exit code when it differs from the outcome's own (130 or 143
    ///     for a stopped build, which only the command knows; 2 for a site.yml that did not load).
    ///   - previousSuccess: the last success the previous metrics recorded.
    public init(outcome: Result<BuildReport, any Error>, exitCode: Int32? = nil, finishedAt: Date, previousSuccess: Date?) {
        switch outcome {
        case .success(let report):
            self.init(report: report, published: true, exitCode: exitCode ?? Int32(report.exitCode), finishedAt: finishedAt,
                      lastSuccess: finishedAt)
        case .failure(let error):
            let error = error as? BuildError
            self.init(report: error?.report, published: false, exitCode: exitCode ?? error?.exitCode ?? 1, finishedAt: finishedAt,
                      lastSuccess: previousSuccess)
        }
    }

    /// The metric that carries the last success from one build to the next.
    public static let lastSuccessMetric = "avatar_site_last_success_timestamp_seconds"

    /// What `avatar_site_users{outcome}` counts, in the order written.
    static func outcomes(_ counts: BuildReport.Counts) -> [(String, Int)] {
        [("photo", counts.photos), ("placeholder", counts.placeholders), ("downloaded", counts.downloaded),
         ("unchanged", counts.unchanged), ("kept", counts.kept), ("provisional", counts.provisional),
         ("no_mailbox", counts.noMailbox), ("failed", counts.failed), ("skipped", counts.skipped), ("removed", counts.removed)]
    }

    public var exposition: MetricsExposition {
        typealias Family = MetricsExposition.Family
        var families = [
            Family("avatar_site_info", .gauge, help: "The avatar-site version that wrote these metrics; always 1.",
                   [.init(1, labels: [("version", report?.version ?? AvatarSiteVersion.current)])]),
            Family("avatar_site_last_run_timestamp_seconds", .gauge, help: "When the last build ended, successful or not (Unix time).",
                   value: finishedAt.timeIntervalSince1970),
            Family(Self.lastSuccessMetric, .gauge,
                   help: "When a build last published the site, exit code 0 or 1 (Unix time); 0 when none ever did.",
                   value: lastSuccess?.timeIntervalSince1970 ?? 0),
            Family("avatar_site_build_exit_code", .gauge,
                   help: "The last build's exit code: 0 done, 1 some users failed or the site could not be written, 2 configuration, 3 directory or authentication or deletion guard, 130/143 stopped.",
                   value: Double(exitCode)),
        ]
        guard let report else { return MetricsExposition(families) }
        families.append(Family("avatar_site_build_duration_seconds", .gauge,
                               help: "Seconds the last build took, by stage: listing and users from its start, publish on its own, total.",
                               label: "stage", Self.stages(report.seconds)))
        if published {
            let counts = report.counts
            families += [
                Family("avatar_site_listed_users", .gauge, help: "Users the directory listed in the last published build.",
                       value: Double(counts.listed)),
                Family("avatar_site_users", .gauge,
                       help: "Users of the last published build by outcome; outcomes overlap (unchanged and kept users are also photo or placeholder users).",
                       label: "outcome", Self.outcomes(counts).map { ($0.0, Double($0.1)) }),
                Family("avatar_site_user_failures", .gauge,
                       help: "Failures of the last published build by kind and service error code (one user may have several).",
                       label: "kind", report.failuresByKind.sorted { $0.key < $1.key }.map { ($0.key, Double($0.value)) }),
            ]
        }
        families += Self.requestFamilies(report.requests, prefix: "avatar_site", run: "build")
        families += [
            Family("avatar_site_peak_memory_bytes", .gauge, help: "The last build's peak resident memory.",
                   value: Double(report.peakMemoryBytes)),
        ]
        return MetricsExposition(families)
    }

    public var text: String { exposition.text }

    /// The report's seconds in the order the stages run, any other after them by name.
    static func stages(_ seconds: [String: Double]) -> [(String, Double)] {
        let order = ["listing", "users", "publish", "total"]
        return seconds.sorted { left, right in
            let (l, r) = (order.firstIndex(of: left.key) ?? order.count, order.firstIndex(of: right.key) ?? order.count)
            return l == r ? left.key < right.key : l < r
        }.map { ($0.key, $0.value) }
    }

    /// Requests by kind and the status class of their answers, retries, throttled answers and bytes.
    static func requestFamilies(_ requests: RequestStatistics.Snapshot, prefix: String, run: String) -> [MetricsExposition.Family] {
        var throttled = 0
        for (status, count) in requests.responsesByStatus where status == "429" || status == "503" { throttled += count }
        var samples = [MetricsExposition.Sample]()
        for (kind, sent) in requests.requestsByKind.sorted(by: { $0.key < $1.key }) {
            var classes = ["2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, "error": 0]
            for (status, count) in requests.responsesByKind[kind] ?? [:] { classes[statusClass(status), default: 0] += count }
            // A request that got no complete answer, or none at all (cancelled), is an error.
            classes["error", default: 0] += max(0, sent - classes.values.reduce(0, +))
            for (answer, count) in classes.sorted(by: { $0.key < $1.key }) {
                samples.append(.init(Double(count), labels: [("kind", kind), ("status_class", answer)]))
            }
        }
        return [
            .init("\(prefix)_requests_total", .counter,
                  help: "Requests the last \(run) sent (retries included), by kind and the status class of their answer; "
                      + "error: no complete answer (refused, reset, timed out, cancelled).", samples),
            .init("\(prefix)_retries_total", .counter, help: "Requests the last \(run) sent again after a failure.",
                  value: Double(requests.retries)),
            .init("\(prefix)_throttled_total", .counter, help: "Answers of the last \(run) that asked it to slow down (429, 503).",
                  value: Double(throttled)),
            .init("\(prefix)_downloaded_bytes_total", .counter, help: "Response body bytes the last \(run) received.",
                  value: Double(requests.bytesReceived)),
        ]
    }

    /// `2xx`…`5xx` for an HTTP status, `error` for a request that got no answer.
    static func statusClass(_ status: String) -> String {
        guard let code = Int(status), (100...599).contains(code) else { return "error" }
        return "\(code / 100)xx"
    }
}
