import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// Builds from every photo API of the seeds — Graph, Outlook REST v2.0, EWS in its REST and SOAP
/// forms — over real loopback HTTP against the demo tenant, checked by the same site checks.
@Suite struct SourceKindTests {
    static func demo(users: Int = 30, extra: [DemoUser] = [], mutation: DemoMutation = DemoMutation()) -> DemoTenantConfiguration {
        var configuration = DemoTenantConfiguration(userCount: users, seed: 41)
        configuration.extraUsers = extra
        configuration.mutation = mutation
        return configuration
    }

    /// Builds `demo` into `folder` through `dialect`, with the tenant's users file (and `extraRows`).
    static func build(_ demo: DemoTenantConfiguration, dialect: SiteBuildFixture.Dialect, into folder: URL,
                      includingIDs: Bool = true, extraRows: [String] = [],
                      configure: (inout SiteConfiguration) -> Void = { _ in }) async throws -> (BuildReport, DemoTenant) {
        let tenant = DemoTenant(configuration: demo)
        let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
            let usersFile = folder.appendingPathComponent("users-\(UUID().uuidString).csv")
            try (tenant.usersFileCSV(includingIDs: includingIDs) + extraRows.joined(separator: "\r\n"))
                .write(to: usersFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: usersFile) }
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo,
                                                               outputDirectory: folder.appendingPathComponent("site"),
                                                               dialect: dialect, usersFile: dialect == .graph ? nil : usersFile)
            configure(&configuration)
            return try await SiteBuildFixture.build(configuration, demo: demo)
        }
        return (report, tenant)
    }

    /// Should write the same output contract from every dialect: every enabled user with every
    /// file, photos where the tenant has them and placeholders where it has none (404 or `1X1`).
    @Test(arguments: SiteBuildFixture.Dialect.allCases)
    func everyDialectBuildsTheSameSite(dialect: SiteBuildFixture.Dialect) async throws {
        let extra = [
            DemoUser(id: "no-photo-404", fields: ["displayName": "Zoë Ångström", "mail": "zoe@contoso.example"], photo: .none),
            DemoUser(id: "no-photo-1x1", fields: ["displayName": "Ivan Petrov", "mail": "ivan@contoso.example"], photo: .oneByOne),
            // An apostrophe must survive OData's quoted key, a query string and XML alike.
            DemoUser(id: "apostrophe", fields: ["displayName": "Seán O'Hara", "mail": "sean.o'hara@contoso.example",
                                                "userPrincipalName": "sean.o'hara@contoso.example"],
                     photo: .portrait(variant: 5, width: 240, height: 240)),
        ]
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(Self.demo(extra: extra), dialect: dialect, into: folder)
            #expect(report.exitCode == 0, "\(report.failures)")
            let site = SiteFiles(root: folder.appendingPathComponent("site"))
            let index = try SiteFiles.usersDocument(in: site.root)
            #expect(Set(index.value.map(\.id)) == Set(tenant.enabledUsers.map(\.id)))
            for user in tenant.enabledUsers {
                try site.expectCompleteUser(user.id, placeholder: user.photo.largestSize == nil)
            }
            try await SiteConsistency.check(site.root)
            #expect(report.counts.photos == tenant.enabledUsers.filter { $0.photo.largestSize != nil }.count)
            #expect(try site.photoDocument("no-photo-1x1").placeholder == true)
            #expect(try site.photoDocument("apostrophe").placeholder == nil)
        }
    }

    /// Should key users known only by address by a hash of the lower-cased address.
    @Test func usersWithoutIDsAreKeyedByAddress() async throws {
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(Self.demo(users: 8), dialect: .ewsREST, into: folder, includingIDs: false)
            #expect(report.exitCode == 0)
            let index = try SiteFiles.usersDocument(in: folder.appendingPathComponent("site"))
            let expected = tenant.enabledUsers.compactMap { $0.fields["mail"] }.map { UserKey.derived(fromAddress: $0) }
            #expect(Set(index.value.map(\.id)) == Set(expected))
        }
    }

    /// Should make an address EWS does not know that user's failure, and build everyone else.
    @Test(arguments: [SiteBuildFixture.Dialect.ewsREST, .ewsSOAP])
    func anUnknownEWSAddressFailsOnlyThatUser(dialect: SiteBuildFixture.Dialect) async throws {
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(Self.demo(users: 10), dialect: dialect, into: folder,
                                                        extraRows: ["ghost-id,ghost@contoso.example,Ghost,,,,,"])
            #expect(report.exitCode == 1)
            #expect(report.failures.map(\.id) == ["ghost-id"])
            #expect(report.failures.first?.kind == "unknown_address")
            #expect(report.counts.written == tenant.enabledUsers.count + 1)
            #expect(try SiteFiles(root: folder.appendingPathComponent("site")).photoDocument("ghost-id").provisional == true)
            // Asked twice (a 500 is given one more chance), not retried like a busy server.
            #expect(tenant.requestsByRoute["ews_unknown"] == 2)
        }
    }

    /// Should download no photo bytes and write no file on a night when nothing changed: every
    /// answer a 304 (REST) or `HasChanged` false (SOAP); then download a changed photo alone.
    @Test(arguments: [SiteBuildFixture.Dialect.ewsREST, .ewsSOAP])
    func anEWSNoChangeNightCostsOneSmallAnswerAUser(dialect: SiteBuildFixture.Dialect) async throws {
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let (cold, original) = try await Self.build(Self.demo(), dialect: dialect, into: folder)
            let photoUsers = original.enabledUsers.filter { $0.photo.largestSize != nil }
            #expect(cold.counts.downloaded == photoUsers.count)
            let before = try SiteSnapshot(site, includingIndex: true, includingState: true)

            let (warm, tenant) = try await Self.build(Self.demo(), dialect: dialect, into: folder)
            #expect(warm.exitCode == 0)
            #expect(warm.counts.unchanged == original.enabledUsers.count && warm.counts.downloaded == 0)
            #expect(warm.filesWritten == 0)
            #expect(tenant.requestsByRoute["ews_not_modified"] == photoUsers.count)
            #expect(tenant.requestsByRoute["ews_photo_bytes"] == nil)
            #expect(warm.requests.bytesReceived < cold.requests.bytesReceived / 20)
            try SiteSnapshot(site, includingIndex: true, includingState: true).expectSameUsers(as: before)

            let (changed, changedTenant) = try await Self.build(Self.demo(mutation: DemoMutation(changedPhotos: 2)), dialect: dialect,
                                                                into: folder)
            let expected = Set(zip(original.enabledUsers, changedTenant.enabledUsers).compactMap { old, new in
                if case .portrait(let a, _, _) = old.photo, case .portrait(let b, _, _) = new.photo, a != b { return new.id }
                return nil
            })
            #expect(expected.count == 2)
            #expect(changed.counts.downloaded == 2 && changedTenant.requestsByRoute["ews_photo_bytes"] == 2)
            let after = try SiteSnapshot(site, includingIndex: true)
            let changedUsers = Set(after.changedFiles(since: before).compactMap { path in
                path.hasPrefix("users/") ? path.split(separator: "/").dropFirst().first.map(String.init) : nil
            })
            #expect(changedUsers == expected)
        }
    }

    /// Should read SOAP answers written with the namespaces of Microsoft's documentation too.
    @Test func readsSOAPWithTheDocumentationsNamespaces() async throws {
        var demo = Self.demo(users: 10)
        demo.ewsDocumentationNamespaces = true
        try await withTemporaryDirectory { folder in
            let (report, tenant) = try await Self.build(demo, dialect: .ewsSOAP, into: folder)
            #expect(report.exitCode == 0, "\(report.failures)")
            #expect(report.counts.photos == tenant.enabledUsers.filter { $0.photo.largestSize != nil }.count)
        }
    }

    /// Should sign in to EWS with HTTP basic, as Exchange on premises takes it.
    @Test func ewsTakesBasicAuthentication() async throws {
        try await withTemporaryDirectory { folder in
            let (report, _) = try await Self.build(Self.demo(users: 6), dialect: .ewsREST, into: folder) { configuration in
                configuration.source.auth.kind = .basic
                configuration.source.auth.usernameEnv = "AVATAR_SITE_TEST_USER"
                configuration.source.auth.passwordEnv = "AVATAR_SITE_TEST_PASSWORD"
            }
            #expect(report.exitCode == 0)
            #expect(report.requests.requestsByKind["token"] == nil)
        }
    }

    /// Should restrict a Graph build to the users a users file names.
    @Test func aUsersFileRestrictsAGraphBuild() async throws {
        try await withTemporaryDirectory { folder in
            let demo = Self.demo(users: 20)
            let tenant = DemoTenant(configuration: demo)
            let chosen = Array(tenant.enabledUsers.prefix(3))
            let file = folder.appendingPathComponent("some.csv")
            try (["mail"] + chosen.compactMap { $0.fields["mail"]?.uppercased() }).joined(separator: "\n")
                .write(to: file, atomically: true, encoding: .utf8)
            let report = try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo,
                                                                   outputDirectory: folder.appendingPathComponent("site"))
                configuration.source.usersFile = file.path
                return try await SiteBuildFixture.build(configuration, demo: demo)
            }
            let index = try SiteFiles.usersDocument(in: folder.appendingPathComponent("site"))
            #expect(Set(index.value.map(\.id)) == Set(chosen.map(\.id)))
            #expect(report.counts.listed == 3)
        }
    }

    /// Should stop with exit code 2, naming the users file and the line, before any request.
    @Test(arguments: [
        ("mail,displayName\nann@contoso.example,Ann\n,Nobody\n", 3, "no mail"),
        ("mail\nann@contoso.example\nANN@contoso.example\n", 3, "also on line 2"),
        ("displayName\nAnn\n", 1, "no 'mail' column"),
    ])
    func usersFileMistakesStopBeforeAnyRequest(file text: String, line: Int, reason: String) async throws {
        let tenant = DemoTenant(configuration: Self.demo(users: 3))
        try await withTemporaryDirectory { folder in
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                try text.write(to: folder.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
                let config = try writeSiteFile("""
                    source:
                      kind: ews
                      base_url: \(running.ewsURL)
                      users_file: people.csv
                      auth: { kind: basic, username_env: EWS_USER, password_env: EWS_PASSWORD }
                    output: { dir: site }
                    """, in: folder)
                let result = try await CommandRunner.run(["build", "--config", config.path],
                                                         environment: ["EWS_USER": "u", "EWS_PASSWORD": "p"])
                #expect(result.status == 2)
                #expect(result.standardError.contains("people.csv:\(line): "), "\(result.standardError)")
                #expect(result.standardError.contains(reason), "\(result.standardError)")
            }
            #expect(tenant.requestsByRoute.isEmpty, "\(tenant.requestsByRoute)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/users.json").path))
        }
    }
}
