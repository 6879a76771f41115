import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// `avatar-site serve`: which URL answers with which file, decided without a server: the path
/// as nginx reads it, the routes, the maps and Gravatar's URLs.
@Suite struct ServeTests {
    static let id = "3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b"
    static let prefixes = ServeSettings.defaultPrefixes

    static func route(_ target: String, _ method: HTTPRequest.Method = .get) -> SiteRoute {
        SiteRoute(method: method, target: target, prefixes: prefixes)
    }

    // MARK: - The path as nginx reads it

    @Test(arguments: [
        ("/users/a/photo", "/users/a/photo"), ("//users///a/photo", "/users/a/photo"), ("/a/./b/.", "/a/b/"),
        ("/a/../b", "/b"), ("/users/x/..", "/users/"), ("/a%2Fb", "/a/b"), ("/%61%62", "/ab"),
        ("/%252e%252e/x", "/%2e%2e/x"), ("/a/%2e/b", "/a/b"), ("/users/a%40b.com/photo", "/users/a@b.com/photo"),
        ("/", "/"), ("/users/", "/users/"),
    ])
    func normalisesPathsAsNginxDoes(raw: String, expected: String) throws {
        #expect(try RequestPath(normalizing: Substring(raw)).text == expected)
    }

    @Test(arguments: ["/..", "/../x", "/%2e%2e/x", "/%2E%2E/x", "/.%2e/x", "/users/..%2f..%2fx/photo", "/a/../../x",
                      "/x%00", "/x%0", "/x%zz", "/%", "x", ""])
    func refusesPathsNginxRefuses(raw: String) {
        #expect(throws: RequestPath.Problem.invalid) { try RequestPath(normalizing: Substring(raw)) }
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(throws: RequestPath.Problem.notUTF8) { try RequestPath(normalizing: "/users/%ff/photo") }
    }

    // MARK: - Routes

    /// Should answer Graph's five URLs (and the size in either case) bare and under each prefix.
    @Test(arguments: ["", "/v1.0", "/beta"])
    func routesEveryGraphShape(prefix: String) {
        let shapes = [
            ("photo", "photo.json"), ("photo/$value", "photo.jpg"), ("photo/%24value", "photo.jpg"), ("photos", "photos.json"),
            ("photos/48x48", "photos/48x48.json"), ("photos/48X48", "photos/48x48.json"),
            ("photos/240x240/$value", "photos/240x240.jpg"), ("photos/240X240/%24value", "photos/240x240.jpg"),
            ("photos/50x50", "photos/50x50.json"), ("photos/048x48/$value", "photos/048x48.jpg"),
        ]
        for (tail, file) in shapes {
            #expect(Self.route("\(prefix)/users/\(Self.id)/\(tail)") == .graphPhoto(user: Self.id, file: file), "\(tail)")
            #expect(Self.route("\(prefix)/users/Alice@Contoso.com/\(tail)?x=1") == .graphPhoto(user: "Alice@Contoso.com", file: file))
        }
    }

    @Test(arguments: ["/v2.0/users/a/photo", "/users/a/photo/", "/users/a/photo/value", "/users/a/photos/48x48/", "/users/a/photos/x48",
                      "/users/a/photos/48x", "/users/a/photos/48x48/$value/x", "/users/a", "/users//photo", "/V1.0/users/a/photo",
                      "/users/a/Photo", "/users/a/photo.json/$value"])
    func leavesOtherPathsUnrouted(target: String) {
        #expect(Self.route(target) == .notFound)
    }

    @Test func answersPreflightOnGraphURLsOnly() {
        #expect(Self.route("/v1.0/users/\(Self.id)/photo/$value", .options) == .graphPreflight)
        #expect(Self.route("/users/\(Self.id)/photo.jpg", .options) == .dataFile("users/\(Self.id)/photo.jpg"))
    }

    @Test func takesPrefixesFromTheSettings() {
        let route = SiteRoute(method: .get, target: "/graph/v1.0/users/a/photo", prefixes: ["/graph/v1.0"])
        #expect(route == .graphPhoto(user: "a", file: "photo.json"))
        #expect(SiteRoute(method: .get, target: "/v1.0/users/a/photo", prefixes: []) == .notFound)
    }

    @Test func routesPlainFilesPageAndAssets() {
        let user = "/users/\(Self.id)"
        for file in ["photo.jpg", "photo.json", "photos.json", "photos/48x48.jpg", "photos/648x648.webp", "photos/1x1.png",
                     "photos/9999x9999.json"] {
            #expect(Self.route("\(user)/\(file)") == .dataFile("users/\(Self.id)/\(file)"), "\(file)")
        }
        for file in ["photos/48X48.jpg", "photos/12345x1.jpg", "photo.gif", "photo.JPG", "photos/48x48.jpg.txt", "photos/48x48/x.jpg",
                     "other.jpg"] {
            #expect(Self.route("\(user)/\(file)") == .notFound, "\(file)")
        }
        #expect(Self.route("/users/.hidden/photo.jpg") == .notFound)
        #expect(Self.route("/users.json") == .dataFile("users.json"))
        #expect(Self.route("/") == .page)
        #expect(Self.route("/index.html?v=2") == .page)
        #expect(Self.route("/assets/page.css") == .asset("assets/page.css"))
        #expect(Self.route("/assets/fonts/a.woff2") == .asset("assets/fonts/a.woff2"))
        #expect(Self.route("/directory.Ab_9-x.js") == .asset("directory.Ab_9-x.js"))
        for target in ["/assets", "/assets/", "/assets/fonts/", "/directory..js", "/directory.a.b.js", "/index.htm", "/users.json/"] {
            #expect(Self.route(target) == .notFound, "\(target)")
        }
    }

    /// Should never route to the build's own files, under any prefix or escape.
    @Test(arguments: ["/.avatar-site/", "/.avatar-site/state.json", "/build-report.json", "/hosting/", "/hosting/nginx.conf",
                      "/hosting/aliases.map", "/hosting/default-avatar/48x48.jpg", "/users/", "/users", "/v1.0/build-report.json",
                      "/%2eavatar-site/state.json", "/users/../build-report.json", "/users/x/photos/", "/assets../x.txt", "/users../x.txt",
                      "/users/%2e%2e/hosting/aliases.map"])
    func neverRoutesTheBuildsFiles(target: String) {
        #expect(Self.route(target) == .notFound)
    }

    @Test(arguments: ["/users/../../canary.txt", "/users/..%2f..%2fcanary/photo/$value",
                      "/v1.0/users/../../../canary/photos/48x48/$value", "/avatar/..%2f..%2fcanary", "/assets/../../canary.txt",
                      "/users/3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b/../../../canary.txt", "/users/..%00/photo", "/.%2e/canary.txt"])
    func refusesTraversalAboveTheRoot(target: String) {
        #expect(Self.route(target) == .badRequest)
    }

    // MARK: - Maps and users

    static let aliasesMap = """
        # aliases
        "alice@contoso.com" \(id);

        "bob_fabrikam.com#ext#@contoso.onmicrosoft.com" bob-id;
        "\\~tilde@contoso.com" tilde-id;
          "spaced@contoso.com"   spaced-id ;   # a comment
        "bad@contoso.com" ../escape;
        "looks-like-an-id" alice-id;
        not a map line
        ~^regex$ regex-id;
        """

    @Test func readsMapFilesAsNginxDoes() {
        let map = NginxMap(parsing: Self.aliasesMap)
        #expect(map["alice@contoso.com"] == Self.id)
        #expect(map["~tilde@contoso.com"] == "tilde-id")
        #expect(map["spaced@contoso.com"] == "spaced-id")
        #expect(map["bob_fabrikam.com#ext#@contoso.onmicrosoft.com"] == "bob-id")
        #expect(map.skippedLines == 2)
        #expect(map.count == 6)
        // nginx folds ASCII letters only: É and é stay different keys.
        let accented = NginxMap(parsing: "\"élise@contoso.com\" elise-id;\n")
        #expect(accented["ÉLISE@CONTOSO.COM"] == nil && accented["éLISE@CONTOSO.COM"] == "elise-id")
    }

    /// Should find an alias whatever its case, prefer it over an id of the same spelling, and
    /// take a user that is no alias as an id only when it is one.
    @Test func resolvesAliasesIgnoringCaseThenIds() {
        let maps = HostingMaps(aliases: NginxMap(parsing: Self.aliasesMap))
        for written in ["alice@contoso.com", "ALICE@CONTOSO.COM", "Alice@Contoso.Com"] {
            #expect(maps.id(forUser: written) == Self.id, "\(written)")
        }
        #expect(maps.id(forUser: "Looks-Like-An-Id") == "alice-id")
        #expect(maps.id(forUser: Self.id) == Self.id)
        #expect(maps.id(forUser: "nobody@contoso.com") == nil)
        #expect(maps.id(forUser: "bad@contoso.com") == nil, "a map value that is no id is never a path")
        #expect(HostingMaps().id(forUser: "alice@contoso.com") == nil, "without aliases.map, no aliases")
        #expect(HostingMaps().id(forUser: ".hidden") == nil)
        let answer = RouteTarget(Self.route("/beta/users/ALICE%40contoso.com/photos/48X48/$value"), maps: maps)
        #expect(answer == .file(candidates: ["users/\(Self.id)/photos/48x48.jpg"], profile: .graph))
        #expect(RouteTarget(Self.route("/users/nobody@contoso.com/photo"), maps: maps) == .notFound)
    }

    // MARK: - Gravatar

    static let md5 = "0123456789abcdef0123456789abcdef"
    static let sha256 = String(repeating: "a1b2c3d4", count: 8)
    static let avatarMaps = HostingMaps(avatars: NginxMap(parsing: "\(md5) \(id);\n\(sha256) \(id);\n"), sizes: PhotoSize.graphSizes)

    /// Should answer the smallest size at or above `s`, else the largest, at every boundary.
    @Test(arguments: [(1, 48), (47, 48), (48, 48), (49, 64), (64, 64), (65, 96), (120, 120), (121, 240), (504, 504),
                      (505, 648), (648, 648), (649, 648), (2048, 648), (4096, 648), (999_999_999, 648)])
    func choosesTheSmallestSizeAtOrAbove(requested: Int, side: Int) {
        #expect(GravatarRule.side(answering: requested, among: PhotoSize.graphSizes.map(\.side)) == side)
    }

    @Test func choosesNothingWithoutSizes() {
        #expect(GravatarRule.side(answering: 80, among: []) == nil)
        #expect(GravatarRule.side(answering: 80, among: [64]) == 64)
    }

    @Test(arguments: [("", 80), ("?s=48", 48), ("?S=48", 48), ("?size=200", 200), ("?s=48&size=200", 48), ("?s=0", 80), ("?s=abc", 80),
                      ("?s=-5", 80), ("?s=048", 48), ("?s=abc&size=200", 200), ("?s=0&size=0", 80), ("?s=1234567890", 80),
                      ("?s=000000000123456789", 123_456_789), ("?s=4%38", 80), ("?s=48:x", 48), ("?r=g&s=96&d=mp", 96), ("?s=", 80)])
    func readsTheSizeAsked(query: String, size: Int) {
        guard case .gravatar(let request) = Self.route("/avatar/\(Self.md5)\(query)") else {
            Issue.record("not a Gravatar route")
            return
        }
        #expect(request.size == size)
    }

    @Test(arguments: [("?d=404", true), ("?default=404", true), ("?d=404&default=mm", true), ("?d=mp&default=404", false),
                      ("?d=mp", false), ("?d=4040", false), ("", false), ("?D=404", true)])
    func readsWhetherAnUnknownHashIsA404(query: String, notFound: Bool) {
        guard case .gravatar(let request) = Self.route("/avatar/\(Self.md5).png\(query)") else {
            Issue.record("not a Gravatar route")
            return
        }
        #expect(request.notFoundWhenUnknown == notFound)
    }

    @Test func answersGravatarFromTheUserThenTheSilhouette() {
        let known = RouteTarget(Self.route("/avatar/\(Self.md5.uppercased()).jpeg?s=100"), maps: Self.avatarMaps)
        #expect(known == .file(candidates: ["users/\(Self.id)/photos/120x120.jpg", "hosting/default-avatar/120x120.jpg"], profile: .avatar))
        let knownNoDefault = RouteTarget(Self.route("/avatar/\(Self.sha256)?d=404"), maps: Self.avatarMaps)
        #expect(knownNoDefault == .file(candidates: ["users/\(Self.id)/photos/96x96.jpg"], profile: .avatar))
        let unknown = String(repeating: "f", count: 32)
        #expect(RouteTarget(Self.route("/avatar/\(unknown)"), maps: Self.avatarMaps)
            == .file(candidates: ["hosting/default-avatar/96x96.jpg"], profile: .avatar))
        #expect(RouteTarget(Self.route("/avatar/\(unknown)?d=404"), maps: Self.avatarMaps) == .notFound)
        #expect(RouteTarget(Self.route("/avatar/\(Self.md5)"), maps: HostingMaps(sizes: PhotoSize.graphSizes)) == .notFound,
                "without avatars.map there is no /avatar/")
    }

    @Test(arguments: ["/avatar/0123456789abcdef0123456789abcde", "/avatar/0123456789abcdef0123456789abcdef0",
                      "/avatar/0123456789abcdef0123456789abcdef.gif", "/avatar/0123456789abcdef0123456789abcdef.JPG",
                      "/avatar/0123456789abcdef0123456789abcdef.jpg.txt", "/avatar/", "/avatar/0123456789abcdef0123456789abcdef/x",
                      "/avatar/gggggggggggggggggggggggggggggggg", "/avatar/0123456789abcdef0123456789abcdef/"])
    func refusesMalformedHashes(target: String) {
        #expect(Self.route(target) == .notFound)
    }
}
