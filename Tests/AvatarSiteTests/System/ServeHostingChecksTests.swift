import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Logging
import PropertyBased
import Testing
import AvatarSiteSources

/// The `serve` command itself: against the hosting checks, and stopped by a signal.
@Suite struct ServeHostingChecksTests {
    /// Should pass the same hosting checks as nginx: every URL shape (check_urls.py) and Graph's
    /// SDK reading photos, against `avatar-site serve --config` on a demo site the build wrote,
    /// answering under site.yml's own prefixes with its own Cache-Control.
    @Test func passesTheHostingChecks() async throws {
        let cacheControl = "public, max-age=600, stale-while-revalidate=3600"
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 40, seed: 11 }
                output: { dir: site, aliases: [userPrincipalName, mail] }
                hosting: { prefix: [/v1.0, /graph/v2], cache_control: "\(cacheControl)" }
                """, in: folder)
            let build = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(build.status == 0, "\(build.standardError)")
            let site = folder.appendingPathComponent("site").path
            let server = try await CommandRunner.start(["serve", "--port", "0", "--quiet", "--config", config.path])
            defer { server.stop() }
            let url = try #require(server.fields["url"], "first line: \(server.firstLine)")
            let urls = try await PythonCheck.run("Tests/Hosting/check_urls.py", ["--site", site, "--base-url", url,
                                                                                "--prefix", "/v1.0", "--prefix", "/graph/v2",
                                                                                "--cache-control", cacheControl])
            #expect(urls.status == 0, "\(urls.output)")
            let sdk = try await PythonCheck.run("Tests/Hosting/graph_sdk_check.py", ["--site", site, "--base-url", url + "/graph/v2"])
            #expect(sdk.status == 0, "\(sdk.output)")
        }
    }

    /// Should stop within a few seconds of SIGTERM or SIGINT, with exit code 0.
    @Test(arguments: [SIGTERM, SIGINT])
    func stopsCleanlyOnASignal(signal: Int32) async throws {
        try await withTemporaryDirectory { root in
            try ServeFixtures.writeSite(in: root)
            let server = try await CommandRunner.start(["serve", "--port", "0", "--quiet", root.path])
            defer { server.stop() }
            #expect(server.firstLine.hasPrefix("listening url=http://127.0.0.1:"))
            let status = try await server.signalled(signal)
            #expect(status == 0)
        }
    }
}
