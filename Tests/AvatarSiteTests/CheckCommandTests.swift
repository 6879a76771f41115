import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract

/// `avatar-site check` as a new user runs it, against a demo tenant over loopback: a good
/// configuration passes every line, and each thing that goes wrong in a first hour gets its own
/// ✗ line with its fix and exit code 1, with nothing written anywhere.
@Suite struct CheckCommandTests {
    static let secretVariable = "CHECK_TEST_SECRET"

    /// What one run of the command printed.
    struct Run {
        var status: Int32
        var results: [CheckResult]
        var output: String

        func result(_ check: String) -> CheckResult? { results.first { $0.check == check } }
    }

    /// The mistakes of a first hour, each with the line that must catch it.
    enum Mistake: String, CaseIterable, CustomStringConvertible, Sendable {
        case secretUnset, wrongSecret, expiredSecret, unknownTenant, unknownClient, listingWithoutConsent,
             photosWithoutConsent, readOnlyOutput, missingLogo, missingFonts

        var description: String { rawValue }

        /// The check that must fail, and words its detail and its fix must hold.
        var expected: (check: String, detail: String, fix: String) {
            switch self {
            case .secretUnset: ("secret", CheckCommandTests.secretVariable, "export \(CheckCommandTests.secretVariable)=")
            case .wrongSecret: ("token", "AADSTS7000215", "not its Secret ID")
            case .expiredSecret: ("token", "AADSTS7000222", "Create a new client secret")
            case .unknownTenant: ("token", "AADSTS90002", "source.auth.tenant")
            case .unknownClient: ("token", "AADSTS700016", "source.auth.client_id")
            case .listingWithoutConsent: ("users", "Authorization_RequestDenied", "User.Read.All application permission")
            case .photosWithoutConsent: ("photo", "Authorization_RequestDenied", "ProfilePhoto.Read.All application permission")
            case .readOnlyOutput: ("output", "cannot be written", "write")
            case .missingLogo: ("templates", "logo", "page.logo")
            case .missingFonts: ("fonts", "Latin", "fonts-dejavu-core")
            }
        }
    }

    /// A site.yml pointed at `running` through Graph.
    static func graphYAML(_ running: RunningDemoTenant, tenant: String, clientID: String) -> String {
        """
        source:
          kind: graph
          base_url: \(running.baseURL)
          auth: { tenant: \(tenant), client_id: "\(clientID)", client_secret_env: \(secretVariable), authority: "\(running.origin)" }
        output: { dir: site }
        """
    }

    /// Runs `avatar-site check --config FILE` from `work`, with JSON output unless `text`.
    /// With `readOnly`, that folder is read-only for the command, even for root: a read-only
    /// bind mount in a mount namespace of the command's own (permissions do not stop root).
    static func run(_ config: URL, environment: [String: String], in work: URL, readOnly: URL? = nil,
                    text: Bool = false) async throws -> Run {
        var arguments = ["check", "--config", config.path] + (text ? [] : ["--json"])
        var executable = CommandRunner.executable
        if let readOnly, geteuid() == 0 {
            arguments = ["--mount", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", readOnly.path,
                         executable.path] + arguments
            executable = URL(fileURLWithPath: "/usr/bin/unshare")
        }
        let result = try await MachineLoad.loading {
            try await CommandRunner.run(arguments, environment: environment, executable: executable, in: work)
        }
        let results = text ? [] : (try? JSONDecoder().decode([CheckResult].self, from: Data(result.standardOutput.utf8))) ?? []
        return Run(status: result.status, results: results, output: result.standardOutput + result.standardError)
    }

    /// Should pass every line, one per check in order, for a configuration that works, and send
    /// every request as avatar-site/VERSION.
    @Test func aGoodConfigurationPassesEveryLine() async throws {
        let demo = DemoTenantConfiguration(userCount: 5, seed: 7)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                let config = try writeSiteFile(Self.graphYAML(running, tenant: demo.tenant, clientID: demo.clientID), in: folder)
                let work = folder.appendingPathComponent("work")
                try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
                let before = try FolderSnapshot(folder)
                let run = try await Self.run(config, environment: [Self.secretVariable: demo.clientSecret], in: work, text: true)
                #expect(run.status == 0, "\(run.output)")
                let lines = run.output.split(separator: "\n").map(String.init)
                #expect(lines.map { $0.split(separator: ":").first.map(String.init) ?? "" }
                    == ["✓ configuration", "✓ secret", "✓ token", "✓ users", "✓ photo", "✓ output", "✓ templates", "✓ fonts"], "\(run.output)")
                #expect(try FolderSnapshot(folder).changes(since: before).isEmpty)
                #expect(tenant.lastUserAgent == "avatar-site/\(AvatarSiteVersion.current)")
                let json = try await Self.run(config, environment: [Self.secretVariable: demo.clientSecret], in: work)
                #expect(json.status == 0)
                #expect(json.results.count == 8 && json.results.allSatisfy { $0.ok && $0.fix == nil }, "\(json.results)")
            }
        }
    }

    /// Should give each mistake its own ✗ line with the fix, leave the checks it blocks unrun
    /// and the others passing, exit 1, and write nothing in the output folder or the current one.
    @Test(arguments: Mistake.allCases)
    func eachMistakeGetsItsOwnLineAndFix(_ mistake: Mistake) async throws {
        var demo = DemoTenantConfiguration(userCount: 5, seed: 7)
        demo.faults.expiredSecret = mistake == .expiredSecret
        demo.faults.listingDenied = mistake == .listingWithoutConsent
        demo.faults.photosDenied = mistake == .photosWithoutConsent
        try await withTemporaryDirectory { folder in
            try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                let config = try writeSiteFile(Self.graphYAML(
                    running, tenant: mistake == .unknownTenant ? "fabrikam.onmicrosoft.com" : demo.tenant,
                    clientID: mistake == .unknownClient ? "11111111-2222-3333-4444-555555555555" : demo.clientID)
                    + (mistake == .missingLogo ? "\npage: { logo: missing.png }\n" : ""), in: folder)
                var environment = [Self.secretVariable: mistake == .wrongSecret ? "not-the-secret" : demo.clientSecret]
                if mistake == .secretUnset { environment = [:] }
                if mistake == .missingFonts {
                    // fontconfig with a configuration that names no font folder: no font at all.
                    let empty = folder.appendingPathComponent("fonts.conf")
                    try "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n".write(to: empty, atomically: true, encoding: .utf8)
                    environment["FONTCONFIG_FILE"] = empty.path
                }
                let site = folder.appendingPathComponent("site")
                let work = folder.appendingPathComponent("work")
                for made in [site, work] { try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true) }
                let readOnly = mistake == .readOnlyOutput ? site : nil
                if readOnly != nil, geteuid() != 0 { chmod(site.path, 0o555) }
                defer { chmod(site.path, 0o755) }
                let before = try FolderSnapshot(folder)
                let run = try await Self.run(config, environment: environment, in: work, readOnly: readOnly)
                #expect(try FolderSnapshot(folder).changes(since: before).isEmpty, "the check wrote something")

                #expect(run.status == 1, "\(run.output)")
                let expected = mistake.expected
                let failing = try #require(run.result(expected.check), "\(run.output)")
                #expect(!failing.ok)
                #expect(failing.detail.contains(expected.detail), "\(failing.detail)")
                #expect(failing.fix?.contains(expected.fix) == true, "\(failing.fix ?? "no fix")")
                #expect(run.results.filter { !$0.ok && !$0.wasSkipped }.map(\.check) == [expected.check], "\(run.results)")
                #expect(run.results.map(\.check) == ["configuration", "secret", "token", "users", "photo", "output", "templates", "fonts"])
                // What it blocks is shown as not checked; nothing else fails.
                for result in run.results where result.wasSkipped {
                    #expect(["token", "users", "photo"].contains(result.check), "\(result)")
                }
            }
        }
    }

    /// Should take a user without a photo as fine: a placeholder is drawn for them.
    @Test func aUserWithoutAPhotoIsFine() async throws {
        var demo = DemoTenantConfiguration(userCount: 0, seed: 7)
        demo.extraUsers = [DemoUser(id: "no-photo", fields: ["displayName": "Zoë Ångström", "mail": "zoe@contoso.example"],
                                    photo: .none)]
        try await withTemporaryDirectory { folder in
            try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
                let config = try writeSiteFile(Self.graphYAML(running, tenant: demo.tenant, clientID: demo.clientID), in: folder)
                let run = try await Self.run(config, environment: [Self.secretVariable: demo.clientSecret], in: folder)
                #expect(run.status == 0, "\(run.output)")
                let photo = try #require(run.result("photo"))
                #expect(photo.ok && photo.detail.contains("Zoë Ångström") && photo.detail.contains("no photo"), "\(photo.detail)")
            }
        }
    }

    /// Should check the Outlook REST API and EWS (REST, SOAP, with basic authentication) with
    /// the users file's first user.
    @Test(arguments: [SiteBuildFixture.Dialect.outlook, .ewsREST, .ewsSOAP])
    func mailboxDialectsTryTheUsersFilesFirstUser(_ dialect: SiteBuildFixture.Dialect) async throws {
        let demo = DemoTenantConfiguration(userCount: 4, seed: 7)
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try tenant.usersFileCSV().write(to: folder.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
                let source = switch dialect {
                case .outlook:
                    """
                      kind: outlook-v2
                      base_url: \(running.outlookBaseURL)
                      auth: { tenant: \(demo.tenant), client_id: "\(demo.clientID)", client_secret_env: \(Self.secretVariable),
                              authority: "\(running.origin)" }
                    """
                default:
                    """
                      kind: ews
                      base_url: \(running.ewsURL)
                      ews: { api: \(dialect == .ewsREST ? "rest" : "soap") }
                      auth: { kind: basic, username_env: CHECK_TEST_USER, password_env: CHECK_TEST_PASSWORD }
                    """
                }
                let config = try writeSiteFile("source:\n\(source)\n  users_file: users.csv\noutput: { dir: site }\n", in: folder)
                let run = try await Self.run(config, environment: [Self.secretVariable: demo.clientSecret,
                                                                   "CHECK_TEST_USER": demo.basicUsername,
                                                                   "CHECK_TEST_PASSWORD": demo.basicPassword], in: folder)
                #expect(run.status == 0, "\(run.output)")
                let first = try #require(tenant.enabledUsers.first?.fields["mail"])
                #expect(run.result("users")?.detail.contains(first) == true, "\(run.results)")
                #expect(run.result("photo")?.detail.contains(first) == true, "\(run.results)")
            }
        }
    }

    /// Should check `kind: demo` against the embedded demo tenant.
    @Test func theDemoKindChecksTheEmbeddedTenant() async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("source: { kind: demo, demo: { users: 5 } }\noutput: { dir: site }\n", in: folder)
            let before = try FolderSnapshot(folder)
            let run = try await Self.run(config, environment: [:], in: folder)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.results.count == 8 && run.results.allSatisfy { $0.ok })
            #expect(try FolderSnapshot(folder).changes(since: before).isEmpty)
        }
    }

    /// Should stop at a site.yml that does not parse, with exit code 2.
    @Test func aConfigurationThatDoesNotParseExitsWith2() async throws {
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("source:\n  kind: exchange-online\n", in: folder)
            let run = try await Self.run(config, environment: [:], in: folder)
            #expect(run.status == 2)
            let first = try #require(run.results.first)
            #expect(first.check == "configuration" && !first.ok && first.detail.contains("source.kind"), "\(first)")
            #expect(run.results.dropFirst().allSatisfy { $0.wasSkipped })
        }
    }
}
