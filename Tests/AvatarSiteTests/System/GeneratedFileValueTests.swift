@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import PropertyBased
import SiteTemplates
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

/// Values from site.yml and the directory that are written into generated files — nginx.conf,
/// nginx-http.conf, `_headers`, `_redirects`, the sync scripts, the maps, the page — are
/// refused with their key when they could end or escape what holds them, and are inert when
/// accepted. The property test tries a hundredth of `AVATAR_SITE_FUZZ_COUNT` random values
/// (each runs bash, perl and nginx), 60 by default.
@Suite struct GeneratedFileValueTests {
    /// The keys whose values reach a generated file, and how a value is set in site.yml or the
    /// directory. Every value lands in a folder of its own below `base`, never elsewhere.
    enum Key: String, CaseIterable, Sendable {
        case root = "hosting.root"
        case cacheControl = "hosting.cache_control"
        case prefix = "hosting.prefix"
        case title = "page.title"
        case outputFolder = "output.dir"
        case mail

        func siteFile(with value: String, base: URL) -> String {
            var lines = ["source: {kind: demo}", "output:", "  aliases: [mail]"]
            // One folder below `base`: a slash in a folder's value is no part of what is tried here.
            let name = value.replacingOccurrences(of: "/", with: "_")
            switch self {
            case .root: lines += ["hosting:", "  root: \(yamlQuoted(base.path + "/r-" + name))"]
            case .cacheControl: lines += ["hosting:", "  cache_control: \(yamlQuoted("public, " + value))"]
            case .prefix: lines += ["hosting:", "  prefix: \(yamlQuoted("/v" + value))"]
            case .title: lines += ["page:", "  title: \(yamlQuoted("People " + value))"]
            case .outputFolder: lines += ["  dir: \(yamlQuoted("site-" + name))"]
            case .mail: break
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// A YAML double-quoted scalar holding exactly `text`, every scalar outside printable ASCII
    /// written as an escape.
    static func yamlQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: quoted += "\\\""
            case 0x5C: quoted += "\\\\"
            case 0x20..<0x7F: quoted.unicodeScalars.append(scalar)
            case ..<0x1_0000: quoted += "\\u" + hex(scalar.value, digits: 4)
            default: quoted += "\\U" + hex(scalar.value, digits: 8)
            }
        }
        return quoted + "\""
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    static func load(_ text: String, in folder: URL) throws(ConfigurationError) -> ConfigurationLoader.Loaded {
        let file = folder.appendingPathComponent("site.yml")
        do {
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            preconditionFailure("cannot write \(file.path): \(error)")
        }
        return try ConfigurationLoader.load(file: file)
    }

    static let controlScalars: [Unicode.Scalar] = (0..<0x20).compactMap(Unicode.Scalar.init) + ["\u{7F}", "\u{85}", "\u{2028}", "\u{2029}"]

    @Test func everyControlCharacterIsRefusedInEveryKeyOfSiteYml() async throws {
        try await withTemporaryDirectory { folder in
            for key in Key.allCases where key != .mail {
                for scalar in Self.controlScalars {
                    let text = key.siteFile(with: "a\(Character(scalar))b", base: folder)
                    let error = #expect(throws: ConfigurationError.self, "\(key) with U+\(Self.hex(scalar.value, digits: 4))") {
                        try Self.load(text, in: folder)
                    }
                    #expect(error?.keyPath == key.rawValue, "\(String(describing: error))")
                }
            }
        }
    }

    /// Each of these got through a check that compared `Character`s: `"\r\n"` is one, and so is
    /// a quote followed by a combining mark.
    @Test(arguments: [
        (Key.cacheControl, "'\u{301}\r\ntouch PWNED #", "U+000D"),
        (Key.cacheControl, "max-age=60'\u{301}; touch PWNED", "'"),
        (Key.cacheControl, "max-age=60\"\u{301}", "\""),
        (Key.root, "av\r\ninclude /etc/passwd", "U+000D"),
        (Key.root, "av$\u{301}x", "$"),
        (Key.root, "avatars[1]", "["), (Key.root, "site*", "*"), (Key.root, "site?", "?"),
        (Key.outputFolder, "x\r\ninclude /etc/passwd", "U+000D"),
        (Key.prefix, "1.0\u{301}", "path prefix"),
        (Key.title, "x\u{2028}y", "U+2028"),
    ])
    func valuesThatCharacterChecksMissedAreRefusedByScalar(_ key: Key, _ value: String, _ reason: String) async throws {
        try await withTemporaryDirectory { folder in
            let error = #expect(throws: ConfigurationError.self) { try Self.load(key.siteFile(with: value, base: folder), in: folder) }
            #expect(error?.keyPath == key.rawValue)
            #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        }
    }

    @Test func addressesWithControlCharactersOrQuotesNeverReachTheAliasMap() {
        let users: [(id: String, addresses: UserAddresses)] = [
            ("a", UserAddresses(mail: "a\u{85}@x.example")), ("b", UserAddresses(mail: "b\u{2028}@x.example")),
            ("c", UserAddresses(mail: "c\u{90}@x.example")), ("d", UserAddresses(mail: "d\"\u{301}@x.example")),
            ("e", UserAddresses(mail: "e`x`@x.example")), ("f", UserAddresses(mail: "é@x.example")),
        ]
        let map = AliasMap(users, fields: [.mail])
        #expect(map.ids == ["é@x.example": "f"])
        #expect(map.refused == 5)
    }

    /// The build command refuses the value that ran `touch PWNED`, with exit 2, naming the key,
    /// before anything is written.
    @Test func theBuildRefusesAnInjectedCacheControlWithExitTwoAndWritesNothing() async throws {
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let config = try writeSiteFile("""
                source: {kind: demo}
                output: {dir: \(site.path)}
                hosting:
                  cache_control: "public'\\u0301\\r\\ntouch PWNED #"
                """, in: folder)
            let result = try await CommandRunner.run(["build", "--config", config.path, "--quiet"], in: folder)
            #expect(result.status == 2, "\(result.standardError)")
            #expect(result.standardError.contains("hosting.cache_control"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: site.path))
            #expect(filesBelow(folder) == ["site.yml"])
        }
    }

    // MARK: - Random values into every generated file

    static let pieces = [
        "'", "\u{301}", "\r\n", "\n", "\r", "\0", "$(touch PWNED)", "`touch PWNED`", ";", "{", "}", "\"", "\\", "#", " ",
        "a", "/", "é", "\u{2028}", "\u{85}", "${HOME}", "max-age=60", "&&", "|", ">PWNED", "\t", "\u{7F}", "%", "*", ".",
        "~", "include /etc/passwd", "\u{202E}", "😀", "-",
    ]

    struct Case: Sendable, CustomStringConvertible {
        var key: Key
        var value: String
        var gravatar: Bool
        var description: String { "\(key.rawValue) = \(value.debugDescription), gravatar \(gravatar)" }
    }

    static let cases = zip(Gen.element(of: Key.allCases), Gen.int(in: 0...(pieces.count - 1)).array(of: 1...8), Gen.bool())
        .map { key, pieces, gravatar in Case(key: key ?? .cacheControl, value: pieces.map { Self.pieces[$0] }.joined(), gravatar: gravatar) }

    static let count = ProcessInfo.processInfo.environment["AVATAR_SITE_FUZZ_COUNT"].flatMap(Int.init).map { $0 / 100 } ?? 60

    /// Either site.yml is refused (exit 2, before anything is written), or every generated
    /// script parses, running it without arguments creates no file, and nginx accepts the config.
    @Test func randomValuesAreRefusedOrInertInEveryGeneratedFile() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            let nginx = try #require(GeneratedFiles.nginx, "nginx is not installed: scripts/setup.sh --tests installs it")
            let templates = try #require(SiteTemplates.folder("hosting"))
            let accepted = Counter()
            await propertyCheck(count: max(Self.count, 20), input: Self.cases) { example in
                try await withTemporaryDirectory { base in
                    if try GeneratedFiles.check(example, base: base, templates: templates, nginx: nginx) { accepted.add() }
                }
            }
            // Values made of harmless pieces are accepted, so some cases reach bash, perl and nginx.
            #expect(accepted.value > 0)
            for value in ["max-age=60", "é", "a.b"] {
                let reached = try await withTemporaryDirectory { base in
                    try GeneratedFiles.check(Case(key: .cacheControl, value: value, gravatar: true), base: base, templates: templates,
                                             nginx: nginx)
                }
                #expect(reached, "\(value)")
            }
    
        }
    }
}

/// Renders `hosting/` for one value and runs what reads it: bash, perl and nginx.
enum GeneratedFiles {
    static let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].first(where: FileManager.default.isExecutableFile)

    /// Whether the value was accepted, and so checked in the generated files.
    @discardableResult
    static func check(_ example: GeneratedFileValueTests.Case, base: URL, templates: [String: Data], nginx: String) throws -> Bool {
        let loaded: ConfigurationLoader.Loaded
        do {
            loaded = try GeneratedFileValueTests.load(example.key.siteFile(with: example.value, base: base), in: base)
        } catch {
            #expect(error.keyPath == example.key.rawValue, "\(error)")
            return false
        }
        var configuration = loaded.configuration
        configuration.hosting.gravatar = example.gravatar
        let mail = example.key == .mail ? "x\(example.value)@contoso.example" : "ada@contoso.example"
        let silhouette = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: configuration.placeholder)
        let hosting = try HostingArtifacts(configuration: configuration, layout: loaded.layout,
                                           users: [("ada-1", UserAddresses(mail: mail, userPrincipalName: "u.\(mail)"))],
                                           templates: templates, silhouette: silhouette)
        // The configs name `root`; the files go to `root/hosting`, which is always below `base`.
        let root = try HostingArtifacts.root(configuration, layout: loaded.layout)
        try #require(root.hasPrefix(base.path + "/") && !root.dropFirst(base.path.count + 1).contains("/"), "\(root)")
        let folder = URL(fileURLWithPath: root).appendingPathComponent("hosting")
        let source = loaded.layout.hostingFolder.standardizedFileURL.path + "/"
        for artifact in hosting.artifacts {
            let relative = String(artifact.url.standardizedFileURL.path.dropFirst(source.count))
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try artifact.data.write(to: url)
        }
        let before = filesBelow(base)
        let empty = base.appendingPathComponent("cwd")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let script = folder.appendingPathComponent(name).path
            if name.hasSuffix(".sh") {
                let syntax = try run("/bin/bash", ["-n", script], in: empty)
                #expect(syntax.status == 0, "\(name) for \(example): \(syntax.output)")
                let bare = try run("/bin/bash", [script], in: empty)
                #expect(bare.status != 0, "\(name) without arguments must stop at its usage line")
            } else if name.hasSuffix(".pl") {
                let syntax = try run("/usr/bin/perl", ["-c", script], in: empty)
                #expect(syntax.status == 0, "\(name) for \(example): \(syntax.output)")
            }
        }
        #expect(filesBelow(base) == before, "a generated script created a file for \(example)")
        let prefix = base.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
        let main = prefix.appendingPathComponent("nginx.conf")
        try """
            pid \(prefix.path)/nginx.pid;
            error_log stderr;
            events { worker_connections 16; }
            http {
                access_log off;
                include "\(folder.path)/nginx-http.conf";
                server {
                    listen 127.0.0.1:8;
                    include "\(folder.path)/nginx.conf";
                }
            }
            """.write(to: main, atomically: true, encoding: .utf8)
        let test = try run(nginx, ["-t", "-q", "-p", prefix.path, "-c", main.path], in: empty)
        #expect(test.status == 0, "nginx -t for \(example): \(test.output)")
        return true
    }

    static func run(_ executable: String, _ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": folder.path, "LC_ALL": "C.UTF-8"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A count the property test's closures add to.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.withLock { count += 1 }
    }

    var value: Int { lock.withLock { count } }
}
