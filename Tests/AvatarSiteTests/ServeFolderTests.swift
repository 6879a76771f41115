import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// `serve` reading a real folder: what it sends, what it refuses to read, what it sees change;
/// then the command itself against the hosting checks.
@Suite struct ServeFolderTests {
    static let id = "user-1"

    /// A small site: one user with a photo and two sizes, an alias, a Gravatar hash, a silhouette.
    static func writeSite(in root: URL) throws {
        let files: [String: String] = [
            "users.json": #"{"sizes":["48x48","96x96"],"value":[{"id":"user-1","mail":"Alice@Contoso.com"}]}"#,
            "users/user-1/photo.jpg": "photo-bytes",
            "users/user-1/photo.json": #"{"id":"96X96"}"#,
            "users/user-1/photos/48x48.jpg": "small-bytes",
            "users/user-1/photos/96x96.jpg": "large-bytes",
            "hosting/aliases.map": "\"alice@contoso.com\" user-1;\n",
            "hosting/avatars.map": "0123456789abcdef0123456789abcdef user-1;\n",
            "hosting/default-avatar/48x48.jpg": "silhouette-48",
            "hosting/default-avatar/96x96.jpg": "silhouette-96",
            "build-report.json": "{}",
            "index.html": "<!doctype html>",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func responder(_ root: URL) -> SiteResponder {
        SiteResponder(settings: ServeSettings(root: root), logger: SiteBuildFixture.logger)
    }

    @Test func sendsFilesWithTheirLocationsHeaders() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = Self.responder(root)
            let photo = responder.reply(method: .get, target: "/v1.0/users/ALICE%40contoso.com/photo/$value")
            #expect(photo.status == 200)
            #expect(String(decoding: photo.body, as: UTF8.self) == "photo-bytes")
            #expect(photo.header("Content-Type") == "image/jpeg")
            #expect(photo.header("Content-Length") == "11")
            #expect(photo.header("Cache-Control") == ServeSettings.defaultCacheControl)
            #expect(photo.header("Access-Control-Allow-Headers") == "Authorization, *")
            #expect(photo.header("X-Content-Type-Options") == "nosniff")
            let head = responder.reply(method: .head, target: "/users/user-1/photo.jpg")
            #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "11")
            #expect(head.header("ETag") == photo.header("ETag"))
            #expect(head.header("Access-Control-Allow-Headers") == nil, "plain files carry no preflight headers")
            let etag = try #require(photo.header("ETag"))
            let again = responder.reply(method: .get, target: "/users/user-1/photo/$value", conditions: .init(ifNoneMatch: etag))
            #expect(again.status == 304 && again.body.isEmpty)
            let page = responder.reply(method: .get, target: "/")
            #expect(page.status == 200 && page.header("Cache-Control") == "no-cache")
        }
    }

    @Test func answersMissesWithGraphsError() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = Self.responder(root)
            for target in ["/users/user-2/photo", "/users/user-1/photos/64x64/$value", "/build-report.json", "/hosting/aliases.map",
                           "/users/nobody@contoso.com/photo"] {
                let reply = responder.reply(method: .get, target: target)
                #expect(reply.status == 404, "\(target)")
                #expect(String(decoding: reply.body, as: UTF8.self) == ResponseProfile.notFoundBody)
                #expect(reply.header("Cache-Control") == "public, max-age=300")
                #expect(reply.header("Content-Type") == "application/json")
            }
            #expect(responder.reply(method: .head, target: "/users/user-2/photo").body.isEmpty)
            #expect(responder.reply(method: .post, target: "/users/user-1/photo").status == 405)
            #expect(responder.reply(method: .post, target: "/users/user-2/photo").status == 404)
            let preflight = responder.reply(method: .options, target: "/beta/users/user-1/photo/$value")
            #expect(preflight.status == 204 && preflight.header("Access-Control-Max-Age") == "86400")
            #expect(responder.reply(method: .get, target: "/users/..%2f..%2fx/photo").status == 400)
        }
    }

    @Test func answersGravatarFromTheFolder() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = Self.responder(root)
            let known = responder.reply(method: .get, target: "/avatar/0123456789ABCDEF0123456789ABCDEF.png?s=49")
            #expect(String(decoding: known.body, as: UTF8.self) == "large-bytes")
            #expect(known.header("Content-Type") == "image/jpeg")
            let unknown = String(repeating: "e", count: 64)
            let silhouette = responder.reply(method: .get, target: "/avatar/\(unknown)?size=10")
            #expect(String(decoding: silhouette.body, as: UTF8.self) == "silhouette-48")
            #expect(responder.reply(method: .get, target: "/avatar/\(unknown)?d=404").status == 404)
        }
    }

    /// Should never read a file through a link below the root, whether the link is the file or a folder.
    @Test func refusesSymbolicLinksOutOfTheFolder() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try Self.writeSite(in: root)
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside.appendingPathComponent("photos"), withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: outside.appendingPathComponent("photo.jpg"))
            try Data("secret".utf8).write(to: outside.appendingPathComponent("photos/48x48.jpg"))
            let fileManager = FileManager.default
            try fileManager.removeItem(at: root.appendingPathComponent("users/user-1/photo.jpg"))
            try fileManager.createSymbolicLink(at: root.appendingPathComponent("users/user-1/photo.jpg"),
                                               withDestinationURL: outside.appendingPathComponent("photo.jpg"))
            try fileManager.createSymbolicLink(at: root.appendingPathComponent("users/linked"), withDestinationURL: outside)
            let responder = Self.responder(root)
            for target in ["/users/user-1/photo/$value", "/users/user-1/photo.jpg", "/users/linked/photos/48x48/$value",
                           "/users/linked/photo.jpg"] {
                let reply = responder.reply(method: .get, target: target)
                #expect(reply.status == 404, "\(target)")
                #expect(!String(decoding: reply.body, as: UTF8.self).contains("secret"))
            }
            // The root itself may be a link, as when a deploy switches releases.
            let current = folder.appendingPathComponent("current")
            try fileManager.createSymbolicLink(at: current, withDestinationURL: root)
            #expect(Self.responder(current).reply(method: .get, target: "/users/user-1/photos/48x48/$value").status == 200)
        }
    }

    /// Should see a rebuild at the next request: new files, and map files read again once changed.
    @Test func seesTheFolderChange() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = Self.responder(root)
            #expect(responder.reply(method: .get, target: "/users/bob@contoso.com/photo").status == 404)
            try Data("\"alice@contoso.com\" user-1;\n\"bob@contoso.com\" user-1;\n".utf8)
                .write(to: root.appendingPathComponent("hosting/aliases.map"), options: .atomic)
            #expect(responder.reply(method: .get, target: "/users/bob@contoso.com/photo").status == 200)
            try Data("new-photo".utf8).write(to: root.appendingPathComponent("users/user-1/photo.jpg"), options: .atomic)
            let photo = responder.reply(method: .get, target: "/users/user-1/photo/$value")
            #expect(String(decoding: photo.body, as: UTF8.self) == "new-photo")
            try FileManager.default.removeItem(at: root.appendingPathComponent("hosting/aliases.map"))
            #expect(responder.reply(method: .get, target: "/users/alice@contoso.com/photo").status == 404)
            #expect(responder.reply(method: .get, target: "/users/user-1/photo").status == 200)
        }
    }

    @Test func doesNotHangOnAFIFO() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            try FileManager.default.removeItem(at: root.appendingPathComponent("users/user-1/photo.jpg"))
            #expect(mkfifo(root.appendingPathComponent("users/user-1/photo.jpg").path, 0o644) == 0)
            #expect(Self.responder(root).reply(method: .get, target: "/users/user-1/photo.jpg").status == 404)
        }
    }

    /// Should pass the same hosting checks as nginx: every URL shape (check_urls.py) and Graph's
    /// SDK reading photos, against `avatar-site serve --config` on a demo site the build wrote,
    /// answering under site.yml's own prefixes with its own Cache-Control.
    @Test func passesTheHostingChecks() async throws {
        let cacheControl = "public, max-age=600, stale-while-revalidate=3600"
        try await withTemporaryDirectory { folder in
            let config = try writeSiteFile("""
                source:
                  kind: demo
                  demo: { users: 40, seed: 11 }
                output: { dir: site, aliases: [userPrincipalName, mail] }
                hosting: { prefix: [/v1.0, /graph/v2], cache_control: "\(cacheControl)" }
                """, in: folder)
            let build = try await CommandRunner.run(["build", "--config", config.path, "--quiet"])
            #expect(build.status == 0, "\(build.standardError)")
            let site = folder.appendingPathComponent("site").path
            let server = try await CommandRunner.start(["serve", "--port", "0", "--quiet", "--config", config.path])
            defer { server.stop() }
            let url = try #require(server.fields["url"], "first line: \(server.firstLine)")
            let urls = try await PythonCheck.run("Tests/Hosting/check_urls.py", ["--site", site, "--base-url", url,
                                                                                "--prefix", "/v1.0", "--prefix", "/graph/v2",
                                                                                "--cache-control", cacheControl])
            #expect(urls.status == 0, "\(urls.output)")
            let sdk = try await PythonCheck.run("Tests/Hosting/graph_sdk_check.py", ["--site", site, "--base-url", url + "/graph/v2"])
            #expect(sdk.status == 0, "\(sdk.output)")
        }
    }

    /// Should stop within a few seconds of SIGTERM or SIGINT, with exit code 0.
    @Test(arguments: [SIGTERM, SIGINT])
    func stopsCleanlyOnASignal(signal: Int32) async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let server = try await CommandRunner.start(["serve", "--port", "0", "--quiet", root.path])
            defer { server.stop() }
            #expect(server.firstLine.hasPrefix("listening url=http://127.0.0.1:"))
            let status = try await server.signalled(signal)
            #expect(status == 0)
        }
    }
}
