@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteSources

/// The Prometheus text a build and an upload write, rendered from their reports without I/O.
@Suite struct MetricsExpositionTests {
    static let finished = Date(timeIntervalSince1970: 1_777_777_777.5)
    static let earlier = Date(timeIntervalSince1970: 1_777_700_000)

    static var smallReport: BuildReport {
        var report = BuildReport()
        report.version = "1.2.3"
        report.counts.listed = 100
        report.counts.written = 99
        report.counts.photos = 60
        report.counts.placeholders = 39
        report.counts.downloaded = 5
        report.counts.unchanged = 90
        report.counts.kept = 1
        report.counts.provisional = 1
        report.counts.noMailbox = 2
        report.counts.failed = 2
        report.counts.skipped = 1
        report.counts.removed = 3
        report.failuresByKind = ["transient:TooManyRequests": 1, "forbidden": 1]
        report.requests.requestsByKind = ["token": 1, "list_users": 1, "batch": 5, "photo_bytes": 6]
        report.requests.responsesByStatus = ["200": 9, "401": 1, "429": 1, "503": 1, "connection_error": 1]
        report.requests.responsesByKind = ["token": ["200": 1], "list_users": ["200": 1], "batch": ["200": 3, "429": 1, "503": 1],
                                           "photo_bytes": ["200": 4, "401": 1, "connection_error": 1]]
        report.requests.retries = 3
        report.requests.bytesReceived = 123_456
        report.seconds = ["total": 12.5, "listing": 1.25, "users": 10, "publish": 2.5]
        report.exitCode = 1
        report.peakMemoryBytes = 104_857_600
        return report
    }

    /// Should render every family with its help and type, the stages in their order, every
    /// outcome, the failures by kind and the answers by status class, exactly.
    @Test func rendersAPublishedBuildExactly() {
        let metrics = BuildMetrics(outcome: .success(Self.smallReport), finishedAt: Self.finished, previousSuccess: Self.earlier)
        #expect(metrics.text == """
            # HELP avatar_site_info The avatar-site version that wrote these metrics; always 1.
            # TYPE avatar_site_info gauge
            avatar_site_info{version="1.2.3"} 1
            # HELP avatar_site_last_run_timestamp_seconds When the last build ended, successful or not (Unix time).
            # TYPE avatar_site_last_run_timestamp_seconds gauge
            avatar_site_last_run_timestamp_seconds 1777777777.5
            # HELP avatar_site_last_success_timestamp_seconds When a build last published the site, exit code 0 or 1 (Unix time); 0 when none ever did.
            # TYPE avatar_site_last_success_timestamp_seconds gauge
            avatar_site_last_success_timestamp_seconds 1777777777.5
            # HELP avatar_site_build_exit_code The last build's exit code: 0 done, 1 some users failed or the site could not be written, 2 configuration, 3 directory or authentication or deletion guard, 130/143 stopped.
            # TYPE avatar_site_build_exit_code gauge
            avatar_site_build_exit_code 1
            # HELP avatar_site_build_duration_seconds Seconds the last build took, by stage: listing and users from its start, publish on its own, total.
            # TYPE avatar_site_build_duration_seconds gauge
            avatar_site_build_duration_seconds{stage="listing"} 1.25
            avatar_site_build_duration_seconds{stage="users"} 10
            avatar_site_build_duration_seconds{stage="publish"} 2.5
            avatar_site_build_duration_seconds{stage="total"} 12.5
            # HELP avatar_site_listed_users Users the directory listed in the last published build.
            # TYPE avatar_site_listed_users gauge
            avatar_site_listed_users 100
            # HELP avatar_site_users Users of the last published build by outcome; outcomes overlap (unchanged and kept users are also photo or placeholder users).
            # TYPE avatar_site_users gauge
            avatar_site_users{outcome="photo"} 60
            avatar_site_users{outcome="placeholder"} 39
            avatar_site_users{outcome="downloaded"} 5
            avatar_site_users{outcome="unchanged"} 90
            avatar_site_users{outcome="kept"} 1
            avatar_site_users{outcome="provisional"} 1
            avatar_site_users{outcome="no_mailbox"} 2
            avatar_site_users{outcome="failed"} 2
            avatar_site_users{outcome="skipped"} 1
            avatar_site_users{outcome="removed"} 3
            # HELP avatar_site_user_failures Failures of the last published build by kind and service error code (one user may have several).
            # TYPE avatar_site_user_failures gauge
            avatar_site_user_failures{kind="forbidden"} 1
            avatar_site_user_failures{kind="transient:TooManyRequests"} 1
            # HELP avatar_site_requests_total Requests the last build sent (retries included), by kind and the status class of their answer; error: no complete answer (refused, reset, timed out, cancelled).
            # TYPE avatar_site_requests_total counter
            avatar_site_requests_total{kind="batch",status_class="2xx"} 3
            avatar_site_requests_total{kind="batch",status_class="3xx"} 0
            avatar_site_requests_total{kind="batch",status_class="4xx"} 1
            avatar_site_requests_total{kind="batch",status_class="5xx"} 1
            avatar_site_requests_total{kind="batch",status_class="error"} 0
            avatar_site_requests_total{kind="list_users",status_class="2xx"} 1
            avatar_site_requests_total{kind="list_users",status_class="3xx"} 0
            avatar_site_requests_total{kind="list_users",status_class="4xx"} 0
            avatar_site_requests_total{kind="list_users",status_class="5xx"} 0
            avatar_site_requests_total{kind="list_users",status_class="error"} 0
            avatar_site_requests_total{kind="photo_bytes",status_class="2xx"} 4
            avatar_site_requests_total{kind="photo_bytes",status_class="3xx"} 0
            avatar_site_requests_total{kind="photo_bytes",status_class="4xx"} 1
            avatar_site_requests_total{kind="photo_bytes",status_class="5xx"} 0
            avatar_site_requests_total{kind="photo_bytes",status_class="error"} 1
            avatar_site_requests_total{kind="token",status_class="2xx"} 1
            avatar_site_requests_total{kind="token",status_class="3xx"} 0
            avatar_site_requests_total{kind="token",status_class="4xx"} 0
            avatar_site_requests_total{kind="token",status_class="5xx"} 0
            avatar_site_requests_total{kind="token",status_class="error"} 0
            # HELP avatar_site_retries_total Requests the last build sent again after a failure.
            # TYPE avatar_site_retries_total counter
            avatar_site_retries_total 3
            # HELP avatar_site_throttled_total Answers of the last build that asked it to slow down (429, 503).
            # TYPE avatar_site_throttled_total counter
            avatar_site_throttled_total 2
            # HELP avatar_site_downloaded_bytes_total Response body bytes the last build received.
            # TYPE avatar_site_downloaded_bytes_total counter
            avatar_site_downloaded_bytes_total 123456
            # HELP avatar_site_peak_memory_bytes The last build's peak resident memory.
            # TYPE avatar_site_peak_memory_bytes gauge
            avatar_site_peak_memory_bytes 104857600

            """)
    }

    /// Should keep the last success of the previous metrics, and leave out the users, when a
    /// build stops before publishing; its requests and seconds are still told.
    @Test func aBuildThatDidNotPublishCarriesTheLastSuccessOver() throws {
        let error = BuildError.source(SourceError(.authentication, url: "https://login.example/token", message: "invalid_client"))
            .reporting(Self.smallReport.requests, seconds: 0.5, peakMemoryBytes: 1024)
        let metrics = BuildMetrics(outcome: .failure(error), finishedAt: Self.finished, previousSuccess: Self.earlier)
        let samples = try PrometheusText.samples(metrics.text)
        #expect(samples["avatar_site_build_exit_code"] == 3)
        #expect(samples["avatar_site_last_success_timestamp_seconds"] == Self.earlier.timeIntervalSince1970)
        #expect(samples["avatar_site_last_run_timestamp_seconds"] == Self.finished.timeIntervalSince1970)
        #expect(samples[#"avatar_site_build_duration_seconds{stage="total"}"#] == 0.5)
        #expect(samples[#"avatar_site_requests_total{kind="batch",status_class="2xx"}"#] == 3)
        #expect(!samples.keys.contains { $0.hasPrefix("avatar_site_users") || $0.hasPrefix("avatar_site_listed_users") })
    }

    /// Should say 0 for a last success that never was, so that an alert on its age fires, and
    /// take the command's exit code over the outcome's own.
    @Test func aBuildThatNeverRanWritesItsExitCodeAndNoSuccess() throws {
        struct Unreadable: Error {}
        let metrics = BuildMetrics(outcome: .failure(Unreadable()), exitCode: 2, finishedAt: Self.finished, previousSuccess: nil)
        let samples = try PrometheusText.samples(metrics.text)
        #expect(samples["avatar_site_build_exit_code"] == 2)
        #expect(samples["avatar_site_last_success_timestamp_seconds"] == 0)
        #expect(samples.count == 4, "\(samples.keys.sorted())")
    }

    /// Should write a stopped build's exit code as the command saw it (143 for SIGTERM).
    @Test func aStoppedBuildTakesTheSignalsExitCode() throws {
        let error = BuildError.cancelled.reporting(.init(), seconds: 1, peakMemoryBytes: 1)
        let metrics = BuildMetrics(outcome: .failure(error), exitCode: 143, finishedAt: Self.finished, previousSuccess: Self.earlier)
        #expect(try PrometheusText.samples(metrics.text)["avatar_site_build_exit_code"] == 143)
        #expect(error.report?.status == .cancelled)
    }

    /// Should escape what a label value may not hold bare, and drop other control characters.
    @Test func escapesLabelValuesAndHelp() {
        let exposition = MetricsExposition([
            .init("m", .gauge, help: "a \\ and a\nbreak", label: "kind", [("quote \" back \\ line\n tab\t bell\u{07} é", 1)]),
        ])
        #expect(exposition.text == """
            # HELP m a \\\\ and a\\nbreak
            # TYPE m gauge
            m{kind="quote \\" back \\\\ line\\n tab bell é"} 1

            """)
    }

    @Test func formatsNumbersAsPrometheusReadsThem() {
        #expect(MetricsExposition.format(42) == "42")
        #expect(MetricsExposition.format(-3) == "-3")
        #expect(MetricsExposition.format(0.25) == "0.25")
        #expect(MetricsExposition.format(.infinity) == "+Inf")
        #expect(MetricsExposition.format(-.infinity) == "-Inf")
        #expect(MetricsExposition.format(.nan) == "NaN")
        #expect(MetricsExposition.format(1e20) == "1e+20")
    }

    @Test func classesStatuses() {
        #expect(["200", "204", "304", "404", "429", "503", "connection_error", "999"].map(BuildMetrics.statusClass)
                    == ["2xx", "2xx", "3xx", "4xx", "4xx", "5xx", "error", "error"])
    }

    /// Should count an upload's files by result and its refusals by reason under names of its own.
    @Test func rendersAnUpload() throws {
        var report = UploadReport()
        report.counts = .init(files: 6, uploaded: 3, unchanged: 1, wouldUpload: 0, refused: 2, failed: 0, ignored: 1)
        report.refusedByReason = ["too_small": 1, "not_an_image": 1]
        report.requests.requestsByKind = ["token": 1, "photo_upload": 3]
        report.requests.responsesByStatus = ["200": 4]
        report.requests.responsesByKind = ["token": ["200": 1], "photo_upload": ["200": 3]]
        report.exitCode = 1
        let metrics = UploadMetrics(report: report, exitCode: 1, seconds: 2, finishedAt: Self.finished, previousSuccess: Self.earlier)
        let samples = try PrometheusText.samples(metrics.text)
        #expect(samples["avatar_site_upload_last_success_timestamp_seconds"] == Self.finished.timeIntervalSince1970)
        #expect(samples[#"avatar_site_upload_files{result="uploaded"}"#] == 3)
        #expect(samples[#"avatar_site_upload_files{result="ignored"}"#] == 1)
        #expect(samples[#"avatar_site_upload_refused_files{reason="too_small"}"#] == 1)
        #expect(samples[#"avatar_site_upload_requests_total{kind="photo_upload",status_class="2xx"}"#] == 3)
        #expect(samples.keys.allSatisfy { $0.hasPrefix("avatar_site_upload_") }, "a name the build's file also has")

        var dryRun = report
        dryRun.dryRun = true
        let rehearsal = UploadMetrics(report: dryRun, exitCode: 0, seconds: 1, finishedAt: Self.finished, previousSuccess: Self.earlier)
        #expect(try PrometheusText.samples(rehearsal.text)["avatar_site_upload_last_success_timestamp_seconds"]
                    == Self.earlier.timeIntervalSince1970)
    }

    /// Should carry the last success over from the file it replaces, and leave no temporary file.
    @Test func theFileCarriesTheLastSuccessOver() async throws {
        try await withTemporaryDirectory { folder in
            let file = folder.appendingPathComponent("textfile/avatar-site.prom")
            try BuildMetrics.record(.success(Self.smallReport), to: file, at: Self.earlier)
            #expect(MetricsFile.timestamp(BuildMetrics.lastSuccessMetric, in: file) == Self.earlier)
            try BuildMetrics.record(.failure(BuildError.cancelled), exitCode: 130, to: file, at: Self.finished)
            let samples = try PrometheusText.samples(String(decoding: try Data(contentsOf: file), as: UTF8.self))
            #expect(samples["avatar_site_last_success_timestamp_seconds"] == Self.earlier.timeIntervalSince1970)
            #expect(samples["avatar_site_last_run_timestamp_seconds"] == Self.finished.timeIntervalSince1970)
            #expect(samples["avatar_site_build_exit_code"] == 130)
            #expect(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path) == ["avatar-site.prom"])
        }
    }
}
