import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Logging
import PropertyBased
import Testing
import AvatarSiteSources

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

    /// Should answer one range of a file with 206 and its slice, HEAD alike; a range past the
    /// end with 416; and leave 304 and 404 as they are.
    @Test func answersRangesOfFiles() async throws {
        try await withTemporaryDirectory { root in
            try Self.writeSite(in: root)
            let responder = Self.responder(root)
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

    // MARK: - Fuzzing

    static let fuzzCount = ProcessInfo.processInfo.environment["AVATAR_SITE_FUZZ_COUNT"].flatMap(Int.init) ?? 1000

    /// One of the site's URLs edited at random (a quarter left as they are): words of the site
    /// and random bytes, raw or percent-encoded, put in or over it; then a random method and
    /// random `Range`, `If-Range`, `If-None-Match` and `If-Modified-Since`.
    struct RandomRequest: Sendable, CustomStringConvertible {
        var base: Int
        var method: Int
        var edits: [Int]
        var bytes: [UInt8]
        var rangeParts: [Int]
        var flags: Int

        static let methods: [HTTPRequest.Method] = [.get, .get, .get, .get, .head, .head, .post, .options, .put, .delete, .trace]
        static let unknownHash = String(repeating: "e", count: 64)
        static let targets = [
            "/users/user-1/photo/$value", "/v1.0/users/alice@contoso.com/photos/48x48/$value", "/beta/users/ALICE%40contoso.com/photo",
            "/users/user-1/photos/96x96.jpg", "/users/user-1/photo.jpg", "/users/user-1/photo.json", "/users/user-1/photos/96X96/%24value",
            "/users.json", "/", "/index.html", "/avatar/0123456789abcdef0123456789abcdef?s=49", "/avatar/\(unknownHash).jpg?d=404",
            "/avatar/\(unknownHash)?size=10", "/users/user-1/photos",
        ]
        static let vocabulary = [
            "/", "/", "users", "user-1", "photo", "$value", "%24value", "photos", "48x48", "96X96", "photo.jpg", "photo.json", "v1.0",
            "beta", "avatar", ".jpg", "..", ".", "%2e", "%2f", "%2F", "%00", "%", "%zz", "index.html", "hosting", "aliases.map",
            "default-avatar", "build-report.json", "users.json", "alice@contoso.com", "?", "s=49", "&", "d=404", "#", "assets", "é",
            "%C3%A9", "//", "../canary.txt", "/../../canary.txt",
        ]

        var target: String {
            var text = Array(Self.targets[base % Self.targets.count])
            for (index, edit) in edits.prefix(flags & 3 == 0 ? 0 : edits.count).enumerated() {
                let insertion: String
                if index < bytes.count, flags & (1 << (2 + index % 8)) != 0 {
                    let byte = bytes[index]
                    insertion = edit.isMultiple(of: 2) ? String(format: "%%%02X", byte) : String(decoding: [byte], as: UTF8.self)
                } else {
                    insertion = Self.vocabulary[edit % Self.vocabulary.count]
                }
                let position = edit / 64 % (text.count + 1)
                let removed = min(text.count - position, edit / 7 % 3)
                text.replaceSubrange(position..<position + removed, with: insertion)
            }
            return String(text)
        }

        var range: String? {
            guard flags & (1 << 10) != 0 else { return nil }
            let prefix = ["bytes=", "bytes=", "Bytes=", "bits=", ""][(flags >> 11) % 5]
            if flags & (1 << 24) != 0 {
                // Well formed, so that ranges of the site's small files are often satisfiable.
                let first = rangeParts.first.map { $0 % 16 } ?? 0
                let last = rangeParts.last.map { $0 % 16 } ?? 15
                return prefix + ["\(first)-\(last)", "\(first)-", "-\(last)", "\(first)-\(last),\(last)-"][(flags >> 25) % 4]
            }
            return prefix + rangeParts.map { part in
                switch part % 7 {
                case 0, 1: String(part / 7 % 16)
                case 2: "-"
                case 3: ","
                case 4: " "
                case 5: String(part * 1_000_003)
                default: String(decoding: [UInt8(truncatingIfNeeded: part)], as: UTF8.self)
                }
            }.joined()
        }

        func pick(_ choices: [String?], shift: Int) -> String? {
            choices[(flags >> shift) % choices.count]
        }

        var description: String { "\(Self.methods[method % Self.methods.count]) \(target) range \(range ?? "-") flags \(flags)" }
    }

    static let randomRequests = zip(
        Gen.int(in: 0...1000), Gen.int(in: 0...1000), Gen.int(in: 0...100_000).array(of: 0...6), Gen<UInt8>.value().array(of: 0...6),
        Gen.int(in: 0...10_000).array(of: 0...8), Gen.int(in: 0...(1 << 28))
    ).map { RandomRequest(base: $0, method: $1, edits: $2, bytes: $3, rangeParts: $4, flags: $5) }

    /// Should answer any request with a 2xx, 304 or 4xx, never crash, and send only the bytes of
    /// a file the site serves (for 206 a slice of one), never one outside the folder.
    @Test func answersRandomRequestsWithAFileOrA4xx() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            try await withTemporaryDirectory { folder in
                let root = folder.appendingPathComponent("site")
                try Self.writeSite(in: root)
                try Data("secret".utf8).write(to: folder.appendingPathComponent("canary.txt"))
                let responder = Self.responder(root)
                let served = ["users.json", "users/user-1/photo.jpg", "users/user-1/photo.json", "users/user-1/photos/48x48.jpg",
                              "users/user-1/photos/96x96.jpg", "hosting/default-avatar/48x48.jpg", "hosting/default-avatar/96x96.jpg",
                              "index.html"].map { root.appendingPathComponent($0) }
                let files = try served.map { try Data(contentsOf: $0) }
                let photo = responder.reply(method: .get, target: "/users/user-1/photo.jpg")
                let etag = photo.header("ETag")
                let lastModified = photo.header("Last-Modified")
                let tally = StatusTally()
                await propertyCheck(count: Self.fuzzCount, input: Self.randomRequests) { request in
                    let method = RandomRequest.methods[request.method % RandomRequest.methods.count]
                    let conditions = ConditionalRequest(
                        ifNoneMatch: request.pick([nil, nil, nil, "*", etag, "\"x\"", etag.map { "W/" + $0 }], shift: 14),
                        ifModifiedSince: request.pick([nil, nil, lastModified, "garbage", HTTPDate.format(0)], shift: 17))
                    let range = RangeRequest(range: request.range,
                                             ifRange: request.pick([nil, nil, nil, etag, lastModified, "\"x\"", "garbage"], shift: 20))
                    let reply = responder.reply(method: method, target: request.target, conditions: conditions, range: range)
                    Self.check(reply, method: method, files: files)
                    tally.add(reply.status)
                }
                let counts = tally.counts
                // About 9% of the requests answer 200, 6% 304, 1% 206 and 416: a run that reaches
                // none of them tests the generator, not the server.
                let expected = Self.fuzzCount >= 20_000 ? [200, 206, 304, 404, 416] : Self.fuzzCount >= 1000 ? [200, 304, 404] : []
                #expect(expected.allSatisfy { counts[$0, default: 0] > 0 }, "the requests reach too few answers: \(counts)")
                if ProcessInfo.processInfo.environment["AVATAR_SITE_FUZZ_COUNT"] != nil {
                    print("serve fuzz: \(counts.values.reduce(0, +)) requests, by status \(counts.sorted { $0.key < $1.key })")
                }
            }
    
        }
    }

    /// How many answers of each status the fuzzing got, from whichever thread checks them.
    final class StatusTally: @unchecked Sendable {
        // @unchecked: the counts are read and written under the lock only.
        private let lock = NSLock()
        private var storage: [Int: Int] = [:]

        func add(_ status: Int) {
            lock.withLock { storage[status, default: 0] += 1 }
        }

        var counts: [Int: Int] { lock.withLock { storage } }
    }

    static func check(_ reply: SiteReply, method: HTTPRequest.Method, files: [Data]) {
        #expect([200, 204, 206, 304].contains(reply.status) || (400..<500).contains(reply.status), "status \(reply.status)")
        #expect(reply.status != 204 || method == .options)
        #expect(!reply.body.contains(Data("secret".utf8)) && reply.body != Data("{}".utf8))
        if method == .head {
            #expect(reply.body.isEmpty)
            return
        }
        if let length = reply.header("Content-Length") { #expect(length == String(reply.body.count)) }
        switch reply.status {
        case 200:
            #expect(files.contains(reply.body), "a 200 that is no file of the site")
        case 206:
            let parts = reply.header("Content-Range").map { Array($0.split(whereSeparator: { " -/".contains($0) }).dropFirst()) } ?? []
            let numbers = parts.compactMap { Int($0) }
            guard numbers.count == 3 else {
                Issue.record("206 with Content-Range \(reply.header("Content-Range") ?? "none")")
                return
            }
            #expect(files.contains { $0.count == numbers[2] && $0.dropFirst(numbers[0]).prefix(numbers[1] - numbers[0] + 1) == reply.body },
                    "a 206 that is no slice of a file of the site")
        default:
            break
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
