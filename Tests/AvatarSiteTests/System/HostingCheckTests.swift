import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract

/// The generated host configs against real servers and clients: Debian's nginx, Microsoft's
/// Graph SDK for Python, the AWS CLI against a local S3 (moto), systemd's verifier, and the
/// Netlify and Cloudflare Pages rules as those hosts apply them (`Tests/Hosting/`).
@Suite(.serialized) struct HostingCheckTests {
    @Test func aBuiltDemoSitePassesEveryHostingCheck() async throws {
        let demo = SiteBuildTests.tenantConfiguration(users: 40, extra: [SiteBuildTests.gradientUser, SiteBuildTests.pngUser])
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: site)
                configuration.output.aliases = [.userPrincipalName, .mail]
                return try await SiteBuildFixture.build(configuration, demo: demo)
            }
            #expect(report.exitCode == 0)
            #expect(report.counts.placeholders > 0 && report.counts.photos > 0)
            let result = try await PythonCheck.run("Tests/Hosting/run_all.py", ["--site", site.path], timeout: 900)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.summary == "6 passed, 0 failed", "\(result.output)")
        }
    }
}
