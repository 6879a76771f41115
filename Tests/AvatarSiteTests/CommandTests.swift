import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing

/// The `avatar-site` executable as a nightly job runs it: exit codes, kills, logs.
@Suite struct CommandTests {
    /// Should leave a consistent site whenever the build is killed, and finish it on the next run.
    @Test func survivesBeingKilledAtRandomMoments() async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 80, latency_ms: 2, seed: 5 }
                output: { dir: site }
                """, in: folder)
            let site = folder.appendingPathComponent("site")
            // A first build publishes a site; every later run rebuilds it over the published one.
            let started = Date()
            let first = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(first.status == 0, "\(first.standardError)")
            // How long a whole run takes here; a run that finishes before its kill shortens it.
            var duration = Date().timeIntervalSince(started)
            var generator = SystemRandomNumberGenerator()
            var killed = 0
            for _ in 0..<24 where killed < 10 {
                // Anywhere from the listing through staging to publishing.
                let delay = Double.random(in: 0.05...max(0.1, duration * 0.95), using: &generator)
                let runStarted = Date()
                if try await CommandRunner.runKilled(["build", "--config", config.path, "--quiet"], after: delay) == nil {
                    killed += 1
                } else {
                    duration = min(duration, Date().timeIntervalSince(runStarted))
                }
                try await SiteConsistency.check(site)
            }
            #expect(killed >= 10, "only \(killed) runs were killed before they finished")
            let final = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(final.status == 0, "\(final.standardError)")
            try await SiteConsistency.check(site)
            let index = try SiteFiles.usersDocument(in: site)
            let tenant = DemoTenant(configuration: DemoTenantConfiguration(userCount: 80, seed: 5))
            #expect(Set(index.value.map(\.id)) == Set(tenant.enabledUsers.map(\.id)))
            let leftovers = filesBelow(site).filter { $0.contains(AtomicFile.temporaryPrefix) || $0.hasPrefix(".avatar-site/staging") }
            #expect(leftovers.isEmpty, "\(leftovers.prefix(3))")
        }
    }

    /// Should stop within 5 s of SIGTERM or SIGINT, leave the published site as it was, release
    /// its lock, say `cancelled` in its report, and exit 143 or 130.
    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func stopsCleanlyOnASignal(signal: Int32, exitCode: Int32) async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 150, latency_ms: 40, seed: 9 }
                output: { dir: site }
                """, in: folder)
            let site = folder.appendingPathComponent("site")
            let first = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(first.status == 0, "\(first.standardError)")
            let before = try SiteSnapshot(site, includingIndex: true, includingState: true)
            let report = folder.appendingPathComponent("report.json")
            // --full downloads everyone again: long enough to be stopped half way. How long the
            // stop takes is timed, so no release build or other loading test runs beside it.
            let (status, seconds) = try await MachineLoad.timed {
                try await CommandRunner.runSignalled(
                    ["build", "--config", config.path, "--full", "--quiet", "--report", report.path], signal: signal, after: 1.5)
            }
            #expect(status == exitCode)
            // Alone, the build stops within a few tenths of a second (0.2 s of it stopping the
            // embedded demo tenant); with the rest of the suite on two cores, seconds more.
            #expect(seconds < 15, "\(seconds) s to stop")
            try SiteSnapshot(site, includingIndex: true, includingState: true).expectSameUsers(as: before)
            let written = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: report))
            #expect(written.status == .cancelled)
            #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent(".avatar-site/staging").path))
            // The lock is free: the next night runs.
            let next = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(next.status == 0, "\(next.standardError)")
        }
    }

    /// Should refuse the pixel bomb fast and without the memory it asks for.
    @Test func refusesHostileUsersWithinAMemoryBudget() async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 10, hostile_users: true }
                output: { dir: site }
                """, in: folder)
            let result = try await CommandRunner.run(["build", "--config", config.path, "--report", folder.appendingPathComponent("report.json").path])
            #expect(result.status == 1, "\(result.standardError)")
            let report = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: folder.appendingPathComponent("report.json")))
            #expect(report.peakMemoryBytes > 0 && report.peakMemoryBytes < 200 * 1024 * 1024,
                    "peak RSS \(report.peakMemoryBytes / 1_048_576) MiB")
            let kinds = Dictionary(report.failures.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
            #expect(kinds["hostile-pixel-bomb"] == "too_many_pixels")
            #expect(kinds["hostile-html-photo"] == "unknown_format")
            #expect(kinds["hostile-truncated"] == "corrupt")
            #expect(report.counts.skipped == 4)
            try await SiteConsistency.check(folder.appendingPathComponent("site"))
            #expect(filesBelow(folder).allSatisfy { $0.hasPrefix("site/") || $0 == "site.yml" || $0 == "report.json" })
            // The script tag travels only as escaped JSON text, never as markup.
            let index = try String(contentsOf: folder.appendingPathComponent("site/users.json"), encoding: .utf8)
            #expect(index.contains("<script>alert('pwned')</script>"), "users.json holds the name as JSON text")
            // The page holds no directory value: names travel in the data script, as JSON strings.
            let page = try String(contentsOf: folder.appendingPathComponent("site/index.html"), encoding: .utf8)
            #expect(!page.contains("pwned"))
            let dataScript = try #require(filesBelow(folder.appendingPathComponent("site")).first { $0.hasPrefix("directory.") })
            let data = try String(contentsOf: folder.appendingPathComponent("site/\(dataScript)"), encoding: .utf8)
            #expect(data.hasPrefix("window.avatarSiteDirectory={") && data.contains(#""<script>alert('pwned')</script>""#))
            // It opens from a copy on disk: nothing is fetched from the network.
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("src=\"//"))
        }
    }

    /// Should report its own peak memory, not that of the process that started it: Linux
    /// carries `ru_maxrss` across `exec`, so a build spawned by a large process reported the
    /// parent's peak.
    @Test func reportsItsOwnPeakMemoryNotItsParents() async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("source: { kind: demo, demo: { users: 5 } }\noutput: { dir: site }\n", in: folder)
            let reportFile = folder.appendingPathComponent("report.json")
            // 1 GiB touched in this process while the build is started.
            let ballast = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 30, alignment: 4096)
            defer { ballast.deallocate() }
            for offset in stride(from: 0, to: ballast.count, by: 4096) { ballast[offset] = 1 }
            let result = try await CommandRunner.run(["build", "--config", config.path, "--report", reportFile.path, "--quiet"])
            #expect(result.status == 0, "\(result.standardError)")
            let report = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: reportFile))
            #expect(report.peakMemoryBytes > 0 && report.peakMemoryBytes < 512 * 1024 * 1024,
                    "peak RSS \(report.peakMemoryBytes / 1_048_576) MiB")
        }
    }

    /// Should build a directory holding a 24-megapixel PNG, a 65,000x1 PNG and names of one
    /// grapheme with thousands of marks in under 300 MB, as the build's own report measures it.
    /// The demo tenant runs as a process of its own, so its memory is not the build's.
    @Test func buildsHugePhotosAndNamesWithinAMemoryBudget() async throws {
        let server = try await CommandRunner.start(["demo-server", "--port", "0", "--users", "20", "--hostile-users", "--huge-users",
                                                    "--client-secret", "huge-secret", "--quiet"])
        defer { server.stop() }
        let fields = server.fields
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: graph
                  base_url: \(try #require(fields["base_url"]))
                  auth: { client_id: "\(try #require(fields["client_id"]))", client_secret_env: HUGE_SECRET,
                          token_url: "\(try #require(fields["token_url"]))" }
                output: { dir: site }
                """, in: folder)
            let reportFile = folder.appendingPathComponent("report.json")
            let result = try await CommandRunner.run(["build", "--config", config.path, "--report", reportFile.path, "--quiet"],
                                                     environment: ["HUGE_SECRET": "huge-secret"])
            #expect(result.status == 1, "\(result.standardError)")
            let report = try JSONDecoder().decode(BuildReport.self, from: Data(contentsOf: reportFile))
            #expect(report.peakMemoryBytes > 0 && report.peakMemoryBytes < 300 * 1024 * 1024,
                    "peak RSS \(report.peakMemoryBytes / 1_048_576) MiB")
            let site = SiteFiles(root: folder.appendingPathComponent("site"))
            try site.expectCompleteUser("huge-24mpx-png", placeholder: false)
            try site.expectCompleteUser("huge-65000x1-png", placeholder: false)
            for id in ["huge-jamo-name", "huge-combining-name"] {
                try site.expectCompleteUser(id, placeholder: true)
            }
            #expect(!report.failures.contains { $0.id.hasPrefix("huge-") }, "\(report.failures)")
        }
    }

    /// Should never print or write the client secret or a token, in verbose logs or failures.
    @Test func neverRevealsTheSecret() async throws {
        let canary = "CANARY-s3cr3t-\(UUID().uuidString)"
        var demo = DemoTenantConfiguration(userCount: 20, seed: 3)
        demo.clientSecret = canary
        demo.faults.throttleRate = 0.2
        demo.faults.retryAfterSeconds = 0
        demo.faults.unavailableRate = 0.05
        demo.faults.revokeTokensAfterRequests = 2
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                let config = try writeSiteFile("""
                    source:
                      kind: graph
                      base_url: \(running.baseURL)
                      auth: { tenant: \(demo.tenant), client_id: "\(demo.clientID)", client_secret_env: TEST_SECRET,
                              token_url: "\(running.tokenURL)" }
                    output: { dir: site }
                    """, in: folder)
                let good = try await CommandRunner.run(["build", "--config", config.path, "--verbose"], environment: ["TEST_SECRET": canary])
                #expect(good.status == 0 || good.status == 1, "\(good.standardError)")
                let refused = try await CommandRunner.run(["build", "--config", config.path, "--verbose"],
                                                    environment: ["TEST_SECRET": canary + "-wrong"])
                #expect(refused.status == 3)
                #expect(refused.standardError.contains("invalid_client"))
                for text in [good.standardOutput, good.standardError, refused.standardOutput, refused.standardError] {
                    #expect(!text.contains(canary), "the secret was printed")
                    #expect(tenant.issuedTokens.allSatisfy { !text.contains($0) }, "a bearer token was printed")
                }
                #expect(tenant.issuedTokens.count >= 2)
                for file in filesBelow(folder) where file != "site.yml" {
                    let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
                    #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(file) holds the secret")
                    #expect(tenant.issuedTokens.allSatisfy { bytes.range(of: Data($0.utf8)) == nil }, "\(file) holds a token")
                }
            }
        }
    }
}
