import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteSources

/// `avatar-site build` and `upload` with `--metrics-file` against the demo tenant over
/// loopback: the metrics agree with the report, read as Prometheus's Python client and
/// promtool read them, however the run ends; and the alert rules shipped in deploy/ hold.
@Suite struct MetricsCommandTests {
    /// A tenant of about 200 whose photos fail for two users (1 %): one answers 401 (`forbidden`),
    /// one 400 with a long error code.
    static func failingDemo() -> (DemoTenantConfiguration, failing: [String]) {
        var demo = DemoTenantConfiguration(userCount: 200, seed: 11)
        let users = DemoTenant(configuration: demo).enabledUsers
        let failing = [users[17].id, users[150].id]
        demo.faults.unauthorizedPhotoUsers = [failing[0]]
        demo.faults.hugeErrorUsers = [failing[1]]
        demo.faults.hugeErrorCodeBytes = 300
        return (demo, failing)
    }

    static func siteFile(for running: RunningDemoTenant, demo: DemoTenantConfiguration, in folder: URL,
                         output: String = "{ dir: site }") throws -> URL {
        try writeSiteFile("""
            source:
              kind: graph
              base_url: \(running.baseURL)
              auth: { tenant: \(demo.tenant), client_id: "\(demo.clientID)", client_secret_env: TEST_SECRET,
                      token_url: "\(running.tokenURL)" }
              retries: 1
            output: \(output)
            """, in: folder)
    }

    /// Should write, for a build where 1 % of the photos fail, metrics whose user counts and
    /// failure kinds are the report's, in Swift, in Prometheus's Python client and in promtool.
    @Test func aBuildsMetricsAgreeWithItsReport() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            let (demo, failing) = Self.failingDemo()
            let tenant = DemoTenant(configuration: demo)
            try await withTemporaryDirectory { folder in
                try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                    // Where site.yml says, relative to its folder: no --metrics-file.
                    let config = try Self.siteFile(for: running, demo: demo, in: folder,
                                                   output: "{ dir: site, metrics_file: textfile/avatar-site.prom }").path
                    let report = folder.appendingPathComponent("report.json")
                    let result = try await CommandRunner.run(["build", "--config", config, "--report", report.path,
                                                              "--log-format", "json", "--verbose"],
                                                             environment: ["TEST_SECRET": demo.clientSecret])
                    #expect(result.status == 1, "\(result.standardError.suffix(2000))")
                    try JSONLogLines.check(result.standardError)

                    let decoded = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: report))
                    #expect(Set(decoded.failures.map(\.id)) == Set(failing))
                    #expect(decoded.counts.failed == 2 && decoded.counts.listed == tenant.enabledUsers.count)
                    let metrics = folder.appendingPathComponent("textfile/avatar-site.prom")
                    let samples = try PrometheusText.samples(String(contentsOf: metrics, encoding: .utf8))
                    let counts = decoded.counts
                    let expected: [String: Int] = [
                        "photo": counts.photos, "placeholder": counts.placeholders, "downloaded": counts.downloaded,
                        "unchanged": counts.unchanged, "kept": counts.kept, "provisional": counts.provisional,
                        "no_mailbox": counts.noMailbox, "failed": counts.failed, "skipped": counts.skipped, "removed": counts.removed,
                    ]
                    for (outcome, count) in expected {
                        #expect(samples["avatar_site_users{outcome=\"\(outcome)\"}"] == Double(count), "\(outcome)")
                    }
                    #expect(samples["avatar_site_listed_users"] == Double(tenant.enabledUsers.count))
                    let kinds = samples.filter { $0.key.hasPrefix("avatar_site_user_failures{") }
                    #expect(kinds.count == decoded.failuresByKind.count)
                    for (kind, count) in decoded.failuresByKind {
                        let series = "avatar_site_user_failures{kind=\"\(kind.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"}"
                        #expect(samples[series] == Double(count), "\(series)")
                    }
                    #expect(samples["avatar_site_build_exit_code"] == 1)
                    #expect(samples["avatar_site_last_success_timestamp_seconds"] == samples["avatar_site_last_run_timestamp_seconds"])
                    #expect(samples["avatar_site_downloaded_bytes_total"] == Double(decoded.requests.bytesReceived))

                    try await Self.expectReadable(metrics, ["--build-report", report.path, "--published"])
                }
            }
    
        }
    }

    /// Should still write the metrics of a build that cannot authenticate (exit 3) and of a
    /// site.yml that does not parse (exit 2, with --metrics-file), each keeping the last
    /// success of the build that published before.
    @Test func aFailedBuildKeepsTheLastSuccess() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            let demo = DemoTenantConfiguration(userCount: 20, seed: 5)
            let tenant = DemoTenant(configuration: demo)
            try await withTemporaryDirectory { folder in
                try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                    let config = try Self.siteFile(for: running, demo: demo, in: folder).path
                    let metrics = folder.appendingPathComponent("textfile/avatar-site.prom")
                    let good = try await CommandRunner.run(["build", "--config", config, "--metrics-file", metrics.path],
                                                           environment: ["TEST_SECRET": demo.clientSecret])
                    #expect(good.status == 0, "\(good.standardError.suffix(2000))")
                    let published = try PrometheusText.samples(String(contentsOf: metrics, encoding: .utf8))
                    let success = try #require(published["avatar_site_last_success_timestamp_seconds"])
                    #expect(success > 0)

                    let refused = try await CommandRunner.run(["build", "--config", config, "--metrics-file", metrics.path,
                                                               "--log-format", "json"],
                                                              environment: ["TEST_SECRET": "not-the-secret"])
                    #expect(refused.status == 3, "\(refused.standardError.suffix(2000))")
                    try JSONLogLines.check(refused.standardError)
                    let failed = try PrometheusText.samples(String(contentsOf: metrics, encoding: .utf8))
                    #expect(failed["avatar_site_build_exit_code"] == 3)
                    #expect(failed["avatar_site_last_success_timestamp_seconds"] == success)
                    #expect(failed[#"avatar_site_requests_total{kind="token",status_class="4xx"}"#] ?? 0 >= 1)
                    #expect(!failed.keys.contains { $0.hasPrefix("avatar_site_users") })
                    try await Self.expectReadable(metrics, ["--exit-code", "3"])

                    try FileManager.default.createDirectory(at: folder.appendingPathComponent("broken"), withIntermediateDirectories: true)
                    let broken = try writeSiteFile("source: { kind: graph, retries: many }\n", in: folder.appendingPathComponent("broken"))
                    let unparsed = try await CommandRunner.run(["build", "--config", broken.path, "--metrics-file", metrics.path,
                                                                "--log-format", "json"])
                    #expect(unparsed.status == 2, "\(unparsed.standardError)")
                    try JSONLogLines.check(unparsed.standardError)
                    let unread = try PrometheusText.samples(String(contentsOf: metrics, encoding: .utf8))
                    #expect(unread["avatar_site_build_exit_code"] == 2)
                    #expect(unread["avatar_site_last_success_timestamp_seconds"] == success)
                    try await Self.expectReadable(metrics, ["--exit-code", "2"])
                }
            }
    
        }
    }

    /// Should write an upload's metrics under names of their own, agreeing with its report.
    @Test func anUploadWritesItsOwnMetrics() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            let demo = UploadTests.demo()
            let tenant = DemoTenant(configuration: demo)
            try await withTemporaryDirectory { folder in
                try UploadTests.writeFolder(folder.appendingPathComponent("photos"))
                try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                    let config = try Self.siteFile(for: running, demo: demo, in: folder)
                    let report = folder.appendingPathComponent("upload.json")
                    let metrics = folder.appendingPathComponent("textfile/avatar-site-upload.prom")
                    let result = try await CommandRunner.run(["upload", folder.appendingPathComponent("photos").path, "--config", config.path,
                                                              "--report", report.path, "--metrics-file", metrics.path,
                                                              "--log-format", "json", "--verbose"],
                                                             environment: ["TEST_SECRET": demo.clientSecret])
                    #expect(result.status == 1, "\(result.standardError.suffix(2000))")
                    try JSONLogLines.check(result.standardError)
                    let samples = try PrometheusText.samples(String(contentsOf: metrics, encoding: .utf8))
                    #expect(samples[#"avatar_site_upload_files{result="uploaded"}"#] == 3)
                    #expect(samples[#"avatar_site_upload_files{result="refused"}"#] == 4)
                    #expect(samples[#"avatar_site_upload_refused_files{reason="too_large"}"#] == 1)
                    #expect(samples["avatar_site_upload_exit_code"] == 1)
                    #expect(samples["avatar_site_upload_last_success_timestamp_seconds"] == samples["avatar_site_upload_last_run_timestamp_seconds"])
                    try await Self.expectReadable(metrics, ["--upload-report", report.path])
                }
            }
    
        }
    }

    /// Should ship alert rules promtool accepts, whose unit tests (each alert firing and not
    /// firing) pass.
    @Test func theAlertRulesHold() async throws {
        let rules = PythonCheck.repositoryRoot.appendingPathComponent("deploy/prometheus-rules.yml").path
        let check = try await Promtool.run(["check", "rules", rules])
        #expect(check.status == 0 && check.output.contains("SUCCESS: 4 rules found"), "\(check.output)")
        let tests = try await Promtool.run(["test", "rules", rules.replacingOccurrences(of: ".yml", with: ".test.yml")])
        #expect(tests.status == 0 && tests.output.contains("SUCCESS"), "\(tests.output)")
    }

    /// The file as Prometheus's Python client reads it (checked against a report when given),
    /// and as `promtool check metrics` lints it.
    static func expectReadable(_ metrics: URL, _ arguments: [String]) async throws {
        let python = try await PythonCheck.run("Tests/Metrics/check_metrics.py", [metrics.path] + arguments)
        #expect(python.status == 0 && python.summary.hasSuffix(" 0 failed"), "\(python.output)")
        let lint = try await Promtool.run(["check", "metrics"], input: metrics)
        #expect(lint.status == 0 && lint.output.isEmpty, "\(lint.output)")
    }
}

/// Runs Prometheus's promtool (Debian's `prometheus` package; `scripts/setup.sh --tests`
/// installs it). Missing, it is an error, never a skip.
enum Promtool {
    struct Missing: Error, CustomStringConvertible {
        var description = "promtool is not installed: run scripts/setup.sh --tests (apt-get install prometheus)"
    }

    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("promtool") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Its exit status and its output (standard output and error together).
    static func run(_ arguments: [String], input: URL? = nil) async throws -> (status: Int32, output: String) {
        guard let executable else { throw Missing() }
        return try await withCheckedThrowingContinuation { continuation in
            // Waiting for a child blocks a thread; the cooperative pool has one per core.
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = executable
                    process.arguments = arguments
                    process.currentDirectoryURL = PythonCheck.repositoryRoot
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = output
                    if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                })
            }
        }
    }
}
