import AvatarSite
@testable import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `serve` against clients that open sockets and send nothing, or half a request: it closes
/// them after its timeouts, and keeps room for a real request over its connection cap. Every
/// wait is on an event (the server closing a socket, an answer) with a generous bound, so a
/// loaded machine makes these slower, not wrong.
@Suite struct ServeLimitsTests {
    /// The bound on every wait: far above the timeouts under test.
    static let patience: Duration = .seconds(30)

    /// Should close sockets that send nothing, half a head, or a head a byte at a time, after the
    /// head timeout: the idle timeout is far away and they are fewer than the cap, so nothing
    /// else closes them.
    @Test func closesClientsThatSendNoHeadInTime() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(300), headerTimeout: .seconds(1), maxConnections: 20)
        try await Self.withServer(limits) { port in
            var clients: [RawClient] = []
            for index in 0..<10 {
                let client = try RawClient(port: port)
                if index.isMultiple(of: 2) { try client.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: loc") }
                clients.append(client)
            }
            let trickling = try RawClient(port: port)
            let head = Array("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\nX-Padding: ".utf8)
                + Array(repeating: UInt8(ascii: "a"), count: 1000)
            let deadline = ContinuousClock.now + Self.patience
            var sent = 0
            // A byte every 0.3 s: the connection is never silent, and its head never ends.
            while !trickling.isClosed, ContinuousClock.now < deadline, sent < head.count {
                do {
                    try trickling.send(bytes: [head[sent]])
                    sent += 1
                } catch {
                    break
                }
                try await Task.sleep(for: .milliseconds(300))
                trickling.poll()
            }
            clients.append(trickling)
            let open = await RawClient.waitUntilClosed(clients, atLeast: clients.count, within: Self.patience)
            #expect(open.count == 0, "\(open.count) of \(clients.count) sockets still open, the trickling one sent \(sent) bytes")
        }
    }

    /// Should close a kept-alive connection after its answer once the idle timeout passes.
    @Test func closesAKeptAliveConnectionAfterTheIdleTimeout() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(1), headerTimeout: .seconds(300), maxConnections: 20)
        try await Self.withServer(limits) { port in
            let keptAlive = try RawClient(port: port)
            try keptAlive.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try await keptAlive.readUntil(Data("photo-bytes".utf8), within: Self.patience)
            #expect(answer.starts(with: Data("HTTP/1.1 200".utf8)), "\(String(decoding: answer, as: UTF8.self))")
            let open = await RawClient.waitUntilClosed([keptAlive], atLeast: 1, within: Self.patience)
            #expect(open.isEmpty, "the kept-alive socket is still open after \(Self.patience)")
        }
    }

    /// The size of the file a client stops reading: more than the kernel buffers of both ends of
    /// a loopback connection hold (`tcp_wmem` allows the server 4 MB), so the answer cannot
    /// leave the server without the client reading.
    static let largeFileSize = 16 << 20

    /// Should close a connection whose client stopped reading in the middle of an answer once no
    /// write has completed for the send timeout, so that its place serves another client.
    @Test func closesAClientThatStopsReading() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(300), headerTimeout: .seconds(300), sendTimeout: .seconds(1), maxConnections: 1)
        try await Self.withServer(limits, preparing: Self.writeLargePhoto) { port in
            let stalled = try RawClient(port: port, receiveBuffer: 4096)
            try stalled.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await stalled.waitForBytes(within: Self.patience), "no answer began")
            // The only place is the stalled connection's until the send timeout closes it.
            let answer = try await Self.request("/users/user-1/photos/48x48.jpg", port: port, within: Self.patience)
            #expect(answer.hasPrefix("HTTP/1.1 200") && answer.hasSuffix("\r\n\r\nsmall-bytes"), "\(answer.prefix(200))")
            let received = try await stalled.readToEnd(within: Self.patience)
            #expect(stalled.isClosed && received.count < Self.largeFileSize, "the stalled client got \(received.count) bytes")
        }
    }

    /// Should keep a connection that is waiting for its next request, however long after the
    /// send timeout: there is nothing to send, so nothing is stalled.
    @Test func keepsAKeptAliveConnectionPastTheSendTimeout() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(300), headerTimeout: .seconds(300), sendTimeout: .seconds(1), maxConnections: 4)
        try await Self.withServer(limits) { port in
            let client = try RawClient(port: port)
            let request = "GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\n\r\n"
            try client.send(request)
            _ = try await client.readUntil(Data("photo-bytes".utf8), within: Self.patience)
            // Three send timeouts with nothing to send; a server that is slower only waits less.
            try await Task.sleep(for: .seconds(3))
            client.poll()
            #expect(!client.isClosed, "closed between requests")
            try client.send(request.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n"))
            let answers = String(decoding: try await client.readToEnd(within: Self.patience), as: UTF8.self)
            #expect(answers.components(separatedBy: "HTTP/1.1 200").count == 3 && answers.hasSuffix("photo-bytes"), "\(answers)")
        }
    }

    /// Should keep sending to a client that reads slowly, but reads: the timeout runs between
    /// writes that complete, not over the whole answer.
    @Test func keepsSendingToAClientThatReadsSlowly() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(300), headerTimeout: .seconds(300), sendTimeout: .seconds(3), maxConnections: 4)
        try await Self.withServer(limits, preparing: Self.writeLargePhoto) { port in
            let client = try RawClient(port: port, receiveBuffer: 64 << 10)
            try client.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            // At most 128 KB every 50 ms: the answer takes seconds, longer than the send timeout.
            let answer = await client.readToEndOnItsOwnThread(within: .seconds(120), pause: .milliseconds(50), rate: 128 << 10)
            let head = answer.range(of: Data("\r\n\r\n".utf8)).map { answer[..<$0.upperBound] } ?? answer
            #expect(answer.count - head.count == Self.largeFileSize, "\(answer.count - head.count) of \(Self.largeFileSize) bytes")
        }
    }

    /// Should answer a request while more silent sockets than the cap are open, by closing the
    /// oldest of them, and keep the newest ones.
    @Test func makesRoomForARequestOverTheCap() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(300), headerTimeout: .seconds(300), maxConnections: 20)
        try await Self.withServer(limits) { port in
            var silent: [RawClient] = []
            for _ in 0..<30 { silent.append(try RawClient(port: port)) }
            let client = try RawClient(port: port)
            try client.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let answer = try await client.readToEnd(within: Self.patience)
            let text = String(decoding: answer, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200") && text.hasSuffix("\r\n\r\nphoto-bytes"), "\(text)")
            // 31 connections for 20 places: at least 11 of the silent ones make room.
            let open = await RawClient.waitUntilClosed(silent, atLeast: 11, within: Self.patience)
            #expect(silent.count - open.count >= 11, "only \(silent.count - open.count) silent sockets closed")
            #expect(!open.isEmpty, "the newest silent sockets stay open until their timeout")
        }
    }

    // MARK: - Support

    static func withServer(_ limits: ServeLimits, preparing prepare: (URL) throws -> Void = { _ in },
                           _ body: (UInt16) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            try ServeFixtures.writeSite(in: root)
            try prepare(root)
            let server = try await SiteServer.start(ServeSettings(root: root, limits: limits), logger: SiteBuildFixture.logger)
            do {
                let port = try #require(server.url.split(separator: ":").last.flatMap { UInt16($0) })
                try await body(port)
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
    }
    /// The user's photo replaced by ``largeFileSize`` bytes.
    static func writeLargePhoto(in root: URL) throws {
        try Data(repeating: UInt8(ascii: "x"), count: largeFileSize).write(to: root.appendingPathComponent("users/user-1/photo.jpg"))
    }

    /// The answer to a GET of `target` on a new connection, asked again until one is not refused
    /// (closed with nothing sent) or `limit` passes; the last answer, even empty.
    static func request(_ target: String, port: UInt16, within limit: Duration) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while true {
            let client = try RawClient(port: port)
            var answer = Data()
            do {
                try client.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                answer = try await client.readToEnd(within: deadline - ContinuousClock.now)
            } catch is RawClientError {
                // Refused before the request was sent.
            }
            if !answer.isEmpty || ContinuousClock.now >= deadline { return String(decoding: answer, as: UTF8.self) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
