import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Logging
import PropertyBased
import Testing
import AvatarSiteSources

/// `serve` reading a real folder, asked random requests: it answers each with a file of the
/// site, a slice of one or a 4xx, and never with a file outside the folder.
@Suite struct ServeFuzzTests {
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
                try ServeFixtures.writeSite(in: root)
                try Data("secret".utf8).write(to: folder.appendingPathComponent("canary.txt"))
                let responder = ServeFixtures.responder(root)
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

    static func check(_ reply: ServeResponse, method: HTTPRequest.Method, files: [Data]) {
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
}
