import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteContract

@Suite struct ConfigurationTests {
    @Test func emptyFileGivesDefaults() throws {
        let configuration = try ConfigurationLoader.parse("")
        #expect(configuration.source.kind == .demo)
        #expect(configuration.sizes == PhotoSize.graphSizes)
        #expect(configuration.source.concurrency == .auto && configuration.source.maxConcurrency == 64)
        #expect(configuration.output.maxDeletions == .percent(5))
    }

    @Test func readsTheSpecSketch() throws {
        let configuration = try ConfigurationLoader.parse("""
            source:
              kind: graph
              base_url: https://graph.microsoft.us/v1.0
              auth: { kind: client_credentials, tenant: contoso.onmicrosoft.com, client_id: "abc",
                      client_secret_env: MY_SECRET, token_url: "https://login.microsoftonline.us/t/oauth2/v2.0/token" }
              users: { filter: "accountEnabled eq true", fields: [displayName, mail] }
              concurrency: 4
              timeout_seconds: 12
              retries: 3
            sizes: [96x96, 48x48]
            formats: [jpeg, webp]
            placeholder: { palette: ["#1A237E"], foreground: "#FFFFFF", shape: circle, fonts: ["DejaVu Sans:bold"] }
            output: { dir: site, public_fields: [displayName], page: false, max_deletions: 25 }
            """)
        #expect(configuration.source.kind == .graph)
        #expect(configuration.source.auth.clientSecretEnv == "MY_SECRET")
        #expect(configuration.source.auth.effectiveScope(baseURL: configuration.source.baseURL) == "https://graph.microsoft.us/.default")
        #expect(configuration.source.users.fields.first == "id")
        #expect(configuration.sizes.map(\.side) == [48, 96])
        #expect(configuration.formats == [.jpeg, .webp])
        #expect(configuration.placeholder.shape == .circle)
        #expect(configuration.output.maxDeletions == .count(25))
        #expect(configuration.output.page == false)
    }

    /// Should name the key path and the line of every kind of mistake.
    @Test(arguments: [
        ("source:\n  concurency: 4\n", "source.concurency", 2, "unknown key"),
        ("source:\n  concurrency: 0\n", "source.concurrency", 2, "between 1 and 256"),
        ("source:\n  concurrency: many\n", "source.concurrency", 2, "auto or a whole number"),
        ("sizes: [48x48,\n  50x40]\n", "sizes[1]", 2, "50x40"),
        ("output:\n  dir: out\n  max_deletions: lots\n", "output.max_deletions", 3, "percentage"),
        ("placeholder:\n  palette: ['#FFFF00']\n", "placeholder.palette", 2, "contrast"),
        ("source:\n  kind: ldap\n", "source.kind", 2, "ldap"),
        ("source:\n  base_url: http://graph.example.com/v1.0\n", "source.base_url", 2, "https"),
        ("source:\n  base_url: http://127.evil.example/v1.0\n", "source.base_url", 2, "https"),
        ("source:\n  auth:\n    client_secret_env: ''\n", "source.auth.client_secret_env", 3, "environment variable"),
        ("output:\n  public_fields: [photo]\n", "output.public_fields", 2, "written by the tool"),
        ("source: [1, 2]\n", "source", 1, "mapping"),
        ("page:\n  titel: Staff\n", "page.titel", 2, "unknown key"),
        ("page:\n  title: '  '\n", "page.title", 2, "must not be empty"),
        ("page:\n  title: \"a\\nb\"\n", "page.title", 2, "one line"),
        ("page:\n  logo: logo.bmp\n", "page.logo", 2, "must be an image file"),
        ("page:\n  templates: ''\n", "page.templates", 2, "must name a folder"),
    ])
    func reportsKeyPathAndLine(yaml: String, keyPath: String, line: Int, reasonFragment: String) {
        do {
            _ = try ConfigurationLoader.parse(yaml, file: "site.yml")
            Issue.record("accepted a broken configuration")
        } catch {
            #expect(error.keyPath == keyPath)
            #expect(error.line == line)
            #expect(error.localizedDescription.contains(reasonFragment), "\(error.localizedDescription)")
            #expect(error.localizedDescription.hasPrefix("site.yml:\(line):"))
        }
    }

    @Test func reportsTheLineOfAYAMLSyntaxError() {
        do {
            _ = try ConfigurationLoader.parse("source:\n  kind: demo\n  users: [a, b\n", file: "site.yml")
            Issue.record("accepted broken YAML")
        } catch {
            #expect(error.line != nil)
            #expect(error.localizedDescription.contains("not valid YAML"))
        }
    }

    @Test func resolvesTheOutputFolderAgainstTheConfigFile() async throws {
        try await withTemporaryDirectory { folder in
            let file = try writeSiteFile("output: { dir: public }\n", in: folder)
            let loaded = try ConfigurationLoader.load(file: file)
            #expect(loaded.outputDirectory.standardizedFileURL.path == folder.appendingPathComponent("public").standardizedFileURL.path)
        }
    }

    /// Should exit with code 2 and say where the mistake is, before any network traffic.
    @Test func commandExitsWithCode2OnAMistake() async throws {
        try await withTemporaryDirectory { folder in
            // A graph source with an unreachable host: any network attempt would fail differently (exit 3).
            let file = try writeSiteFile("""
                source:
                  kind: graph
                  base_url: https://graph.invalid/v1.0
                sizes: [48x48, 50x40]
                """, in: folder)
            let result = try await CommandRunner.run(["build", "--config", file.path])
            #expect(result.status == 2)
            #expect(result.standardError.contains("sizes[1]"), "\(result.standardError)")
            #expect(result.standardError.contains(":4:"), "\(result.standardError)")
        }
    }

    @Test func commandExitsWithCode2WhenTheSecretIsMissing() async throws {
        try await withTemporaryDirectory { folder in
            let file = try writeSiteFile("""
                source:
                  kind: graph
                  base_url: https://graph.invalid/v1.0
                  auth: { client_secret_env: AVATAR_SITE_TEST_UNSET_SECRET }
                output: { dir: out }
                """, in: folder)
            let result = try await CommandRunner.run(["build", "--config", file.path])
            #expect(result.status == 2)
            #expect(result.standardError.contains("AVATAR_SITE_TEST_UNSET_SECRET"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        }
    }
}
