import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteContract

/// `scripts/package-deb.sh`: the Debian package holds a command that works from where dpkg puts
/// it, depends on Debian's packages only, and passes lintian.
///
/// The script builds for release as install.sh does, so after `InstallTests` in the same run its
/// build is already up to date. `AVATAR_SITE_INSTALL_TEST_NO_BUILD=1` packages the release build
/// as it is (`--no-build`); `AVATAR_SITE_PACKAGE_TEST_BIN_PATH=DIR` packages the build in DIR.
@Suite struct DebianPackageTests {
    static let packageRoot = PythonCheck.repositoryRoot
    static let dpkgDeb = URL(fileURLWithPath: "/usr/bin/dpkg-deb")
    static let lintian = URL(fileURLWithPath: "/usr/bin/lintian")

    /// Should package the release build with its units, manual, completions and example, name
    /// libgd and the fonts among its dependencies and no toolchain library, build the demo site
    /// with the command extracted from it, and give lintian nothing to call an error.
    @Test(.timeLimit(.minutes(45)))
    func packagedCommandBuildsTheDemoSiteAndPassesLintian() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.dpkgDeb.path),
                     "dpkg-deb is missing: scripts/setup.sh --tests installs dpkg-dev")
        try await MachineLoad.loading { try await withTemporaryDirectory { folder in
            let package = try await Self.buildPackage(into: folder.appendingPathComponent("dist"), from: folder)

            let fields = try await Self.controlFields(of: package, in: folder)
            #expect(fields["Package"] == "avatar-site")
            #expect(fields["Version"] == AvatarSiteVersion.current)
            #if arch(x86_64)
            #expect(fields["Architecture"] == "amd64")
            #endif
            let depends = fields["Depends"] ?? ""
            for dependency in ["libc6", "libgd3", "libfontconfig1", "adduser", "fonts-dejavu-core"] {
                #expect(depends.contains(dependency), "Depends lacks \(dependency): \(depends)")
            }
            #expect(!depends.lowercased().contains("swift"), "Depends names the toolchain: \(depends)")
            #expect(fields["Recommends"]?.contains("fonts-noto") == true)
            #expect(fields["Maintainer"]?.contains("@") == true)
            #expect(!(fields["Description"] ?? "").isEmpty)

            let root = folder.appendingPathComponent("root")
            let extracted = try await CommandRunner.run(["-x", package.path, root.path], executable: Self.dpkgDeb, in: folder)
            try #require(extracted.status == 0, "\(extracted.standardError)")
            for path in ["usr/bin/avatar-site", "usr/lib/avatar-site/avatar-site",
                         "usr/lib/avatar-site/avatar-site_SiteTemplates.resources/page/index.html",
                         "usr/lib/avatar-site/avatar-site-nightly.sh", "usr/lib/systemd/system/avatar-site.service",
                         "usr/lib/systemd/system/avatar-site.timer", "usr/share/man/man1/avatar-site.1.gz",
                         "usr/share/bash-completion/completions/avatar-site", "usr/share/zsh/vendor-completions/_avatar-site",
                         "usr/share/fish/vendor_completions.d/avatar-site.fish", "usr/share/doc/avatar-site/copyright",
                         "usr/share/doc/avatar-site/changelog.gz", "usr/share/doc/avatar-site/examples/site.yml"] {
                #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) is not in the package")
            }
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("usr/bin/avatar-site").path)
            #expect(link == "../lib/avatar-site/avatar-site")
            let service = try String(contentsOf: root.appendingPathComponent("usr/lib/systemd/system/avatar-site.service"), encoding: .utf8)
            #expect(service.contains("\nExecStart=/usr/lib/avatar-site/avatar-site-nightly.sh /etc/avatar-site/site.yml"))
            #expect(service.contains("\nUser=avatar-site\n"))

            // Only Debian's libraries: the Swift runtime is linked into the binary.
            let libraries = try await CommandRunner.run([root.appendingPathComponent("usr/lib/avatar-site/avatar-site").path],
                                                        executable: URL(fileURLWithPath: "/usr/bin/ldd"), in: folder)
            #expect(libraries.status == 0, "\(libraries.standardError)")
            #expect(!libraries.standardOutput.contains("not found"), "\(libraries.standardOutput)")
            #expect(!libraries.standardOutput.contains("libswiftCore"), "\(libraries.standardOutput)")

            let command = root.appendingPathComponent("usr/bin/avatar-site")
            let elsewhere = folder.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            let version = try await CommandRunner.run(["--version"], executable: command, in: elsewhere)
            #expect(version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == AvatarSiteVersion.current)
            _ = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 12 }
                output:
                  dir: \(folder.appendingPathComponent("site").path)
                """, in: elsewhere)
            let build = try await CommandRunner.run(["build", "--config", "site.yml", "--quiet"], executable: command, in: elsewhere)
            #expect(build.status == 0, "\(build.standardError)")
            for file in ["users.json", "index.html", "hosting/nginx.conf"] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/\(file)").path),
                        "the packaged command did not write \(file)")
            }

            if FileManager.default.isExecutableFile(atPath: Self.lintian.path) {
                let lintian = try await CommandRunner.run(["--allow-root", package.path], executable: Self.lintian, in: folder)
                let errors = lintian.standardOutput.split(separator: "\n").filter { $0.hasPrefix("E: ") }
                #expect(errors.isEmpty, "lintian:\n\(lintian.standardOutput)\(lintian.standardError)")
            }
        } }
    }

    /// Runs package-deb.sh at the lowest priority, as the install test runs install.sh.
    static func buildPackage(into output: URL, from folder: URL) async throws -> URL {
        var arguments = ["-n", "19", "/bin/bash", packageRoot.appendingPathComponent("scripts/package-deb.sh").path,
                         "--output", output.path]
        let environment = ProcessInfo.processInfo.environment
        if let bin = environment["AVATAR_SITE_PACKAGE_TEST_BIN_PATH"], !bin.isEmpty {
            arguments += ["--bin-path", bin]
        } else if environment["AVATAR_SITE_INSTALL_TEST_NO_BUILD"] == "1" {
            arguments.append("--no-build")
        }
        // The tests run under the shared build lock (see README), so the script must not take it again.
        let packaged = try await CommandRunner.run(arguments, environment: ["AVATAR_SITE_BUILD_LOCK_HELD": "1"],
                                                   executable: URL(fileURLWithPath: "/usr/bin/nice"), in: folder)
        try #require(packaged.status == 0, "\(packaged.standardOutput.suffix(2000))\n\(packaged.standardError.suffix(4000))")
        let path = packaged.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        try #require(path.hasSuffix(".deb") && FileManager.default.fileExists(atPath: path), "no package: \(packaged.standardOutput)")
        return URL(fileURLWithPath: path)
    }

    /// The control file's fields, a continued field's lines joined.
    static func controlFields(of package: URL, in folder: URL) async throws -> [String: String] {
        let control = try await CommandRunner.run(["-f", package.path], executable: dpkgDeb, in: folder)
        try #require(control.status == 0, "\(control.standardError)")
        var fields = [String: String]()
        var last: String?
        for line in control.standardOutput.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(" "), let key = last {
                fields[key, default: ""] += "\n" + line.dropFirst()
            } else if let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon])
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = key
            }
        }
        return fields
    }
}
