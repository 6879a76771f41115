import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteContract

/// `scripts/install.sh`: a release build installed with its resources works from any folder.
///
/// The script builds for release (incrementally: a release build already there is reused and
/// brought up to date); `AVATAR_SITE_INSTALL_TEST_NO_BUILD=1` installs the release build as it
/// is, without building (`install.sh --no-build`), for a quick run after `swift build -c release`.
@Suite struct InstallTests {
    static let packageRoot = PythonCheck.repositoryRoot

    /// Should install the binary, its resources bundle, completions and a manual page, and the
    /// installed command, run through PREFIX/bin from another folder, should build the demo
    /// site with its page.
    @Test(.timeLimit(.minutes(45)))
    func anInstalledBinaryBuildsTheDemoSiteFromAnyFolder() async throws {
        try await MachineLoad.loading { try await withTemporaryDirectory { folder in
            let prefix = folder.appendingPathComponent("prefix")
            // At the lowest priority: the build runs beside tests that time their servers' stalls.
            var arguments = ["-n", "19", "/bin/bash", Self.packageRoot.appendingPathComponent("scripts/install.sh").path,
                             "--prefix", prefix.path]
            if ProcessInfo.processInfo.environment["AVATAR_SITE_INSTALL_TEST_NO_BUILD"] == "1" { arguments.append("--no-build") }
            // The tests run under the shared build lock (see README), so the script must not take it again;
            // the manual page is our own, since the generate-manual plugin builds every product once more.
            let install = try await CommandRunner.run(arguments, environment: ["AVATAR_SITE_BUILD_LOCK_HELD": "1",
                                                                               "AVATAR_SITE_INSTALL_MANUAL": "page"],
                                                      executable: URL(fileURLWithPath: "/usr/bin/nice"), in: folder)
            #expect(install.status == 0, "\(install.standardOutput.suffix(2000))\n\(install.standardError.suffix(4000))")

            let command = prefix.appendingPathComponent("bin/avatar-site")
            for path in ["bin/avatar-site", "lib/avatar-site/avatar-site", "lib/avatar-site/avatar-site_SiteTemplates.resources/page/index.html",
                         "share/bash-completion/completions/avatar-site", "share/zsh/site-functions/_avatar-site",
                         "share/fish/vendor_completions.d/avatar-site.fish", "share/man/man1/avatar-site.1"] {
                #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), "\(path) was not installed")
            }
            let completion = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/avatar-site"),
                                        encoding: .utf8)
            #expect(completion.contains("check") && completion.contains("init"))

            let elsewhere = folder.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let version = try await CommandRunner.run(["--version"], executable: command, in: elsewhere)
            #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == AvatarSiteVersion.current)
            let initialized = try await CommandRunner.run(["init", "--kind", "demo"], executable: command, in: elsewhere)
            #expect(initialized.status == 0, "\(initialized.standardError)")
            let config = try String(contentsOf: elsewhere.appendingPathComponent("site.yml"), encoding: .utf8)
            try config.replacingOccurrences(of: "  users: 120", with: "  users: 12")
                .write(to: elsewhere.appendingPathComponent("site.yml"), atomically: true, encoding: .utf8)
            let build = try await CommandRunner.run(["build", "--config", "site.yml", "--quiet"], executable: command, in: elsewhere)
            #expect(build.status == 0, "\(build.standardError)")
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("output/index.html").path),
                    "the installed binary did not find its page template")
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("output/users.json").path))
            #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("output/hosting/nginx.conf").path),
                    "the installed binary did not find its host-config templates")
        } }
    }
}
