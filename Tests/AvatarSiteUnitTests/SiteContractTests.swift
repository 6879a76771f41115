import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Testing
@testable import AvatarSiteContract

/// The contract's one table of cases, answered in-process by `serve`'s router and folder (no
/// server, no process), and the export the Python checks read.
@Suite struct SiteContractTests {
    static let bindings: [String: String] = [
        "id": "user-1", "upn": "Alice.UPN@contoso.com", "mail": "alice@contoso.com", "placeholder_id": "user.2",
        "missing_id": "user-3", "size": "48x48", "SIZE": "48X48", "s": "48",
        "md5": "0123456789abcdef0123456789abcdef", "sha256": String(repeating: "ab", count: 32),
        "unknown_md5": "ffffffffffffffffffffffffffffffff",
    ]
    static let prefixes = ["/v1.0", "/beta"]

    /// A site with every file the cases name, each file's text its own path (users.json aside).
    static func writeSite(in root: URL) throws {
        var paths = ["users.json", "build-report.json", "hosting/nginx.conf", ".avatar-site/state.json",
                     "hosting/default-avatar/48x48.jpg", "hosting/default-avatar/96x96.jpg"]
        for id in ["user-1", "user.2"] {
            paths += ["photo.jpg", "photo.json", "photos.json"].map { "users/\(id)/\($0)" }
            for size in ["48x48", "96x96"] { paths += ["jpg", "json"].map { "users/\(id)/photos/\(size).\($0)" } }
        }
        for path in paths {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(path.utf8).write(to: url)
        }
        let index = #"{"sizes":["48x48","96x96"],"value":[{"id":"user-1","mail":"alice@contoso.com"},{"id":"user.2"}]}"#
        try Data(index.utf8).write(to: root.appendingPathComponent("users.json"))
        let aliases = "\"alice.upn@contoso.com\" user-1;\n\"alice@contoso.com\" user-1;\n"
        try Data(aliases.utf8).write(to: root.appendingPathComponent("hosting/aliases.map"))
        let avatars = "\(bindings["md5"]!) user-1;\n\(bindings["sha256"]!) user-1;\n"
        try Data(avatars.utf8).write(to: root.appendingPathComponent("hosting/avatars.map"))
    }

    static func expand(_ text: String, prefix: String) -> String {
        var text = text.replacing("{prefix}", with: prefix)
        for (name, value) in bindings.sorted(by: { $0.key.count > $1.key.count }) { text = text.replacing("{\(name)}", with: value) }
        return text
    }

    @Test(arguments: SiteCase.all)
    func serveAnswersTheCase(_ siteCase: SiteCase) async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = SiteResponder(settings: ServeSettings(root: root, prefixes: Self.prefixes), logger: SiteBuildFixture.logger)
            let prefixes = siteCase.target.contains("{prefix}") ? [""] + Self.prefixes : [""]
            for prefix in prefixes {
                let target = Self.expand(siteCase.target, prefix: prefix)
                let reply = responder.reply(method: .get, target: target)
                #expect(reply.status == siteCase.status, "\(target)")
                if let file = siteCase.file {
                    let expected = try Data(contentsOf: root.appendingPathComponent(Self.expand(file, prefix: "")))
                    #expect(reply.body == expected, "\(target)")
                }
                if let type = siteCase.type {
                    #expect(reply.header("Content-Type") == type, "\(target)")
                }
            }
        }
    }

    /// Should match, as a regular expression, exactly the ids the byte rule accepts.
    @Test func theIDPatternIsTheIDRule() throws {
        let regex = try Regex("^" + UserID.pattern + "$")
        let alphabet = Array("aZ09._-/ \\%é\u{0}.")
        var generator = SystemRandomNumberGenerator()
        var samples = ["", ".", "..", "a..b", ".a", "a.", String(repeating: "k", count: 128), String(repeating: "k", count: 129)]
        for _ in 0..<5000 {
            samples.append(String((0..<Int.random(in: 1...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for sample in samples {
            #expect(((try regex.wholeMatch(in: sample)) != nil) == UserID.isValid(sample), "\(sample.debugDescription)")
        }
        #expect(UserID.pattern == "[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
    }

    /// Should take a photo as unchanged only for the same, non-empty ETag, byte for byte.
    @Test func anETagMatchesOnlyItself() {
        #expect(MediaETag.matches("\"A1\"", known: "\"A1\""))
        #expect(!MediaETag.matches("\"A1\"", known: "\"a1\""))
        #expect(!MediaETag.matches("\"A1\"", known: nil) && !MediaETag.matches(nil, known: "\"A1\"") && !MediaETag.matches("", known: ""))
        #expect(!MediaETag.matches("\u{E9}", known: "e\u{301}"), "canonically equivalent is not the same tag")
    }

    /// Should be what docs/site-contract.json holds; `AVATAR_SITE_RECORD=1` writes it again.
    @Test func theExportedContractIsCurrent() throws {
        let file = PythonCheck.repositoryRoot.appendingPathComponent("docs/site-contract.json")
        let exported = try SiteContractDocument.json()
        if ProcessInfo.processInfo.environment["AVATAR_SITE_RECORD"] == "1" { try exported.write(to: file) }
        #expect(try Data(contentsOf: file) == exported, "docs/site-contract.json is stale: run the test with AVATAR_SITE_RECORD=1")
    }
}
