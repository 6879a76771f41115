@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
import Yams
@testable import AvatarSiteContract

/// `output/hosting/`: the lookups and the view model, decided apart from files, then whole
/// builds that write the folder.
@Suite struct HostingTests {
    @Test(arguments: [1...48, 49...64, 65...96, 97...120, 121...240, 505...2048, 1...1, 7...7, 1...9, 10...99, 9...10,
                      99...101, 100...999, 1...2048, 1999...2001, 120...2048])
    func integerRangePatternMatchesExactlyItsRange(_ range: ClosedRange<Int>) throws {
        let pattern = try Regex("^(?:\(IntegerRangePattern.pattern(range)))$")
        for number in 0...5000 {
            #expect((String(number).wholeMatch(of: pattern) != nil) == range.contains(number), "\(range): \(number)")
        }
        // Never a leading zero: nginx's map strips them before it compares.
        #expect("048".wholeMatch(of: pattern) == nil)
    }

    @Test func everyGravatarSizeHasOneSizeThatAnswersIt() {
        let model = HostingViewModel(root: "/srv/site", sizes: PhotoSize.graphSizes, hosting: HostingConfiguration(),
                                     aliases: false, version: "1")
        let sides = PhotoSize.graphSizes.map(\.side)
        for requested in 1...3000 {
            let answering = model.sizes.filter { $0.gravatarRange.contains(requested) }.map(\.side)
            let expected = requested > GravatarRule.largestSize ? [] : [GravatarRule.side(answering: requested, among: sides)!]
            #expect(answering == expected, "s=\(requested)")
        }
        #expect(GravatarRule.side(answering: 1, among: sides) == 48)
        #expect(GravatarRule.side(answering: 80, among: sides) == 96)
        #expect(GravatarRule.side(answering: 2048, among: sides) == 648)
        let context = model.context
        #expect(context["prefix_regex"] as? String == "(?:/v1\\.0|/beta)?")
        #expect(context["largest"] as? String == "648x648")
    }

    @Test func aliasesAreLowerCasedAndAnAddressTwoUsersShareNamesNeither() {
        let users: [(id: String, addresses: UserAddresses)] = [
            ("a1", UserAddresses(mail: "Ada@Contoso.com", userPrincipalName: "ada@contoso.onmicrosoft.com")),
            ("b2", UserAddresses(mail: "shared@contoso.com", userPrincipalName: "bob@contoso.com")),
            ("c3", UserAddresses(mail: " SHARED@contoso.com", userPrincipalName: "~tilde@contoso.com")),
            ("d4", UserAddresses(mail: "quote\"s@contoso.com", userPrincipalName: "no-at-sign")),
            ("e5", UserAddresses(mail: "eve@contoso.com", userPrincipalName: "eve@contoso.com")),
        ]
        let map = AliasMap(users, fields: [.userPrincipalName, .mail])
        #expect(map.ids == ["ada@contoso.com": "a1", "ada@contoso.onmicrosoft.com": "a1", "bob@contoso.com": "b2",
                            "~tilde@contoso.com": "c3", "eve@contoso.com": "e5"])
        #expect(map.ambiguous == ["shared@contoso.com"])
        #expect(map.refused == 2)
        #expect(map.text.contains("\"\\~tilde@contoso.com\" c3;\n"))
        #expect(AliasMap.parse(Substring(map.text)) == map.ids)
        #expect(AliasMap(users, fields: [.mail]).ids.keys.sorted() == ["ada@contoso.com", "eve@contoso.com"])
    }

    @Test func gravatarHashesAreOfTheTrimmedLowerCasedMail() {
        let map = AvatarHashMap([("t1", UserAddresses(mail: "  Test@Example.com ")), ("n2", UserAddresses(mail: nil)),
                                 ("x3", UserAddresses(mail: "twice@example.com")), ("y4", UserAddresses(mail: "Twice@example.com"))])
        // Gravatar's documented example, and the SHA-256 Python's hashlib gives for it.
        #expect(map.ids == ["55502f40dc8b7c769880b10874abc9d0": "t1",
                            "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b": "t1"])
        #expect(AvatarHashMap.parse(Substring(map.text)) == map.ids)
    }

    @Test(arguments: [
        ("hosting: {cache_control: 'public, max-age=31536000, immutable'}", "immutable"),
        ("hosting: {cache_control: 'public, max-age=604800'}", "max-age"),
        ("hosting: {cache_control: 'public\", max-age=60'}", "quotes"),
        ("hosting: {prefix: [v1.0]}", "path prefix"),
        ("hosting: {prefix: ['/v1.0/']}", "path prefix"),
        ("hosting: {root: srv/site}", "absolute"),
        ("hosting: {root: '/srv/$site'}", "cannot quote"),
        ("hosting: {prefixes: [/v1.0]}", "unknown key"),
        ("output: {aliases: [mail, mail]}", "twice"),
        ("output: {aliases: [proxyAddresses]}", "proxyAddresses"),
    ])
    func hostingSettingsThatCannotWorkAreRefused(_ yaml: String, _ reason: String) throws {
        let error = #expect(throws: DecodingError.self) { try YAMLDecoder().decode(SiteConfiguration.self, from: yaml) }
        #expect("\(String(describing: error))".contains(reason), "\(String(describing: error))")
    }

    @Test func hostingSettingsAreRead() throws {
        let configuration = try YAMLDecoder().decode(SiteConfiguration.self, from: """
            output: {aliases: [userPrincipalName, mail]}
            hosting: {root: /srv/avatars/, prefix: /v1.0, cache_control: 'public, max-age=600', gravatar: false}
            """)
        #expect(configuration.output.aliases == [.userPrincipalName, .mail])
        #expect(configuration.hosting.root == "/srv/avatars")
        #expect(configuration.hosting.prefixes == ["/v1.0"])
        #expect(configuration.hosting.cacheControl == "public, max-age=600")
        #expect(configuration.hosting.gravatar == false)
    }

    /// Every build writes the folder; a rebuild with nothing changed rewrites none of it; a
    /// lookup turned off leaves no file behind.
    @Test func buildsWriteTheHostingFolderAndRewriteOnlyWhatChanged() async throws {
        let demo = SiteBuildTests.tenantConfiguration(users: 30, extra: [SiteBuildTests.gradientUser])
        let tenant = DemoTenant(configuration: demo)
        try await withTemporaryDirectory { folder in
            try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: folder)
                configuration.output.aliases = [.userPrincipalName, .mail]
                let first = try await SiteBuildFixture.build(configuration, demo: demo)
                #expect(first.exitCode == 0)
                let hosting = folder.appendingPathComponent("hosting")
                for name in ["nginx.conf", "nginx-http.conf", "_redirects", "_headers", "404.html", "sync-s3.sh", "sync-azure.sh",
                             "prepare-pages.sh", "link-keys.pl", "aliases.map", "avatars.map"] {
                    #expect(FileManager.default.fileExists(atPath: hosting.appendingPathComponent(name).path), "\(name)")
                }
                let nginx = try String(contentsOf: hosting.appendingPathComponent("nginx.conf"), encoding: .utf8)
                #expect(nginx.contains("root \"\(folder.standardizedFileURL.path)\";"))
                #expect(!nginx.contains("{{"))
                let script = try FileManager.default.attributesOfItem(atPath: hosting.appendingPathComponent("sync-s3.sh").path)
                #expect((script[.posixPermissions] as? Int).map { $0 & 0o111 == 0o111 } == true)

                let aliases = AliasMap.parse(Substring(try String(contentsOf: hosting.appendingPathComponent("aliases.map"),
                                                                   encoding: .utf8)))
                #expect(aliases["grace@contoso.example"] == "gradient-user")
                let hashes = AvatarHashMap.parse(Substring(try String(contentsOf: hosting.appendingPathComponent("avatars.map"),
                                                                       encoding: .utf8)))
                #expect(hashes["a2500c7a3061b5f9522547ef010593d4"] == "gradient-user")
                for size in PhotoSize.graphSizes {
                    let image = try Data(contentsOf: hosting.appendingPathComponent("default-avatar/\(size).jpg"))
                    #expect(TestImages.decodedSize(image)?.width == size.side)
                }

                let before = try Self.modificationTimes(in: hosting)
                let again = try await SiteBuildFixture.build(configuration, demo: demo)
                #expect(again.filesWritten == 0)
                #expect(try Self.modificationTimes(in: hosting) == before)

                configuration.output.aliases = []
                configuration.hosting.gravatar = false
                configuration.sizes = [PhotoSize(side: 48), PhotoSize(side: 96)]
                _ = try await SiteBuildFixture.build(configuration, demo: demo, options: BuildOptions(full: true))
                let left = try FileManager.default.subpathsOfDirectory(atPath: hosting.path).sorted()
                #expect(!left.contains("aliases.map") && !left.contains("avatars.map"))
                #expect(!left.contains { $0.hasPrefix("default-avatar/") }, "\(left)")
                let redirects = try String(contentsOf: hosting.appendingPathComponent("_redirects"), encoding: .utf8)
                #expect(redirects.contains("/users/:id/photos/96X96/$value") && !redirects.contains("648X648"))
            }
        }
    }

    static func modificationTimes(in folder: URL) throws -> [String: Date] {
        var times = [String: Date]()
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) {
            times[path] = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.modificationDate]
                as? Date
        }
        return times
    }
}
