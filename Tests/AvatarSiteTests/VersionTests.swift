import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract

/// The one version: printed by `--version`, written in both reports, and sent as the
/// `User-Agent` of every request.
@Suite struct VersionTests {
    @Test func printsItsVersion() async throws {
        let result = try await CommandRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == AvatarSiteVersion.current)
    }

    /// Should send `User-Agent: avatar-site/VERSION` and write the version in the full report
    /// and in the published `build-report.json`.
    @Test func buildsSayWhichVersionMadeThem() async throws {
        let demo = DemoTenantConfiguration(userCount: 6, seed: 11)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try await SiteBuildFixture.build(SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder),
                                                 demo: demo)
            }
            #expect(tenant.lastUserAgent == "avatar-site/\(AvatarSiteVersion.current)")
            #expect(report.version == AvatarSiteVersion.current)
            let published = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("build-report.json")))
            #expect((published as? [String: Any])?["version"] as? String == AvatarSiteVersion.current)
        }
    }
}
