import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Logging
import PropertyBased
import Testing
import AvatarSiteSources

/// `serve` reading a real folder: what it sends, what it refuses to read, what it sees change.
@Suite struct ServeFolderTests {
    static let id = "user-1"

    @Test func sendsFilesWithTheirLocationsHeaders() async throws {
        try await withTemporaryDirectory { root in
            try ServeFixtures.writeSite(in: root)
            let responder = ServeFixtures.responder(root)
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
            try ServeFixtures.writeSite(in: root)
            let responder = ServeFixtures.responder(root)
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
            try ServeFixtures.writeSite(in: root)
            let responder = ServeFixtures.responder(root)
            let known = responder.reply(method: .get, target: "/avatar/0123456789ABCDEF0123456789ABCDEF.png?s=49")
            #expect(String(decoding: known.body, as: UTF8.self) == "large-bytes")
            #expect(known.header("Content-Type") == "image/jpeg")
            let unknown = String(repeating: "e", count: 64)
            let silhouette = responder.reply(method: .get, target: "/avatar/\(unknown)?size=10")
            #expect(String(decoding: silhouette.body, as: UTF8.self) == "silhouette-48")
            #expect(responder.reply(method: .get, target: "/avatar/\(unknown)?d=404").status == 404)
        }
    }

    /// Should answer one range of a file with 206 and its slice, HEAD alike; a range past the
    /// end with 416; and leave 304 and 404 as they are.
    @Test func answersRangesOfFiles() async throws {
        try await withTemporaryDirectory { root in
            try ServeFixtures.writeSite(in: root)
            let responder = ServeFixtures.responder(root)
            let target = "/v1.0/users/user-1/photo/$value"
            let whole = responder.reply(method: .get, target: target)
            #expect(whole.status == 200 && whole.header("Accept-Ranges") == "bytes")
            let part = responder.reply(method: .get, target: target, range: .init(range: "bytes=6-"))
            #expect(part.status == 206 && String(decoding: part.body, as: UTF8.self) == "bytes")
            #expect(part.header("Content-Range") == "bytes 6-10/11" && part.header("Content-Length") == "5")
            #expect(part.header("ETag") == whole.header("ETag") && part.header("Content-Type") == "image/jpeg")
            #expect(part.header("Accept-Ranges") == nil)
            let head = responder.reply(method: .head, target: target, range: .init(range: "bytes=6-"))
            #expect(head.status == 206 && head.body.isEmpty)
            #expect(head.header("Content-Range") == "bytes 6-10/11" && head.header("Content-Length") == "5")
            let beyond = responder.reply(method: .get, target: target, range: .init(range: "bytes=11-"))
            #expect(beyond.status == 416 && beyond.header("Content-Range") == "bytes */11")
            #expect(beyond.header("ETag") == nil && beyond.header("Cache-Control") == ServeSettings.defaultCacheControl)
            let etag = try #require(whole.header("ETag"))
            let cached = responder.reply(method: .get, target: target, conditions: .init(ifNoneMatch: etag),
                                         range: .init(range: "bytes=0-1"))
            #expect(cached.status == 304 && cached.header("Content-Range") == nil)
            #expect(responder.reply(method: .get, target: "/users/user-2/photo/$value", range: .init(range: "bytes=0-1")).status == 404)
            #expect(responder.reply(method: .get, target: target, range: .init(range: "bytes=0-1", ifRange: "\"old\"")).status == 200)
            #expect(responder.reply(method: .get, target: target, range: .init(range: "bytes=0-1,4-5")).body == whole.body)
        }
    }

    /// Should never read a file through a link below the root, whether the link is the file or a folder.
    @Test func refusesSymbolicLinksOutOfTheFolder() async throws {
        try await withTemporaryDirectory { folder in
            let root = folder.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try ServeFixtures.writeSite(in: root)
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside.appendingPathComponent("photos"), withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: outside.appendingPathComponent("photo.jpg"))
            try Data("secret".utf8).write(to: outside.appendingPathComponent("photos/48x48.jpg"))
            let fileManager = FileManager.default
            try fileManager.removeItem(at: root.appendingPathComponent("users/user-1/photo.jpg"))
            try fileManager.createSymbolicLink(at: root.appendingPathComponent("users/user-1/photo.jpg"),
                                               withDestinationURL: outside.appendingPathComponent("photo.jpg"))
            try fileManager.createSymbolicLink(at: root.appendingPathComponent("users/linked"), withDestinationURL: outside)
            let responder = ServeFixtures.responder(root)
            for target in ["/users/user-1/photo/$value", "/users/user-1/photo.jpg", "/users/linked/photos/48x48/$value",
                           "/users/linked/photo.jpg"] {
                let reply = responder.reply(method: .get, target: target)
                #expect(reply.status == 404, "\(target)")
                #expect(!String(decoding: reply.body, as: UTF8.self).contains("secret"))
            }
            // The root itself may be a link, as when a deploy switches releases.
            let current = folder.appendingPathComponent("current")
            try fileManager.createSymbolicLink(at: current, withDestinationURL: root)
            #expect(ServeFixtures.responder(current).reply(method: .get, target: "/users/user-1/photos/48x48/$value").status == 200)
        }
    }

    /// Should see a rebuild at the next request: new files, and map files read again once changed.
    @Test func seesTheFolderChange() async throws {
        try await withTemporaryDirectory { root in
            try ServeFixtures.writeSite(in: root)
            let responder = ServeFixtures.responder(root)
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
            try ServeFixtures.writeSite(in: root)
            try FileManager.default.removeItem(at: root.appendingPathComponent("users/user-1/photo.jpg"))
            #expect(mkfifo(root.appendingPathComponent("users/user-1/photo.jpg").path, 0o644) == 0)
            #expect(ServeFixtures.responder(root).reply(method: .get, target: "/users/user-1/photo.jpg").status == 404)
        }
    }
}
