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

    // MARK: - Decisions

    @Test(arguments: [(nil, 2, 10_000), (1_048_576, 2, 10_000), (65_536, 64, 10_000), (1024, 2, 950), (1024, 32, 800),
                      (1024, 64, 640), (256, 2, 182), (256, 32, 128), (100, 2, 50), (2, 2, 1), (1, 2, 1), (0, 2, 1)]
                     as [(Int?, Int, Int)])
    func capsConnectionsBelowTheDescriptorLimit(limit: Int?, cores: Int, cap: Int) {
        #expect(ServeLimits.connectionCap(descriptorLimit: limit, coreCount: cores) == cap)
        if let limit, limit > 1 { #expect(cap < limit) }
    }

    /// Should keep more descriptors apart on a larger machine: each core has an event loop and
    /// a thread reading files, each holding descriptors of its own.
    @Test(arguments: [(1, 69), (2, 74), (32, 224), (128, 704)])
    func growsTheReserveWithTheCores(cores: Int, reserve: Int) {
        #expect(ServeLimits.descriptorReserve(coreCount: cores) == reserve)
    }

    @Test func takesAnExplicitCapOverTheDefault() {
        #expect(ServeLimits(maxConnections: 7).maxConnections == 7)
        #expect(ServeLimits().maxConnections
            == ServeLimits.connectionCap(descriptorLimit: ServeLimits.descriptorLimit(), coreCount: ServeLimits.coreCount))
        #expect(ServeLimits().idleTimeout == .seconds(60) && ServeLimits().headerTimeout == .seconds(10))
        #expect(ServeLimits().sendTimeout == .seconds(60))
    }

    /// Should keep connections up to the cap, then close the oldest without a request in
    /// progress to make room, and refuse a new one only when every kept one is answering.
    @Test func makesRoomByClosingTheOldestIdleConnection() {
        var roster = ConnectionRoster(capacity: 3)
        #expect(roster.admit() == .admitted(0))
        #expect(roster.admit() == .admitted(1))
        #expect(roster.admit() == .admitted(2))
        roster.setBusy(0, true)
        #expect(roster.admit() == .admittedClosing(3, older: 1), "0 is answering, so 1 is the oldest idle")
        roster.setBusy(2, true)
        roster.setBusy(3, true)
        #expect(roster.admit() == .refused)
        #expect(roster.count == 3)
        roster.setBusy(2, false)
        #expect(roster.admit() == .admittedClosing(5, older: 2))
        roster.remove(0)
        #expect(roster.admit() == .admitted(6))
        roster.setBusy(1, true)
        roster.remove(1)
        #expect(roster.count == 3, "a connection let go is no longer counted, whatever it reports later")
        #expect(ConnectionRoster(capacity: 0).capacity == 1)
    }

    /// Should keep a connection picked to make room when a request head reached it before it was
    /// closed: closing it would cut that request off. The cap is passed by one until a
    /// connection closes, and the next one over the cap makes room with another idle connection.
    @Test func keepsAConnectionWhoseRequestArrivedBeforeItWasClosed() {
        var roster = ConnectionRoster(capacity: 2)
        #expect(roster.admit() == .admitted(0))
        #expect(roster.admit() == .admitted(1))
        #expect(roster.admit() == .admittedClosing(2, older: 0))
        roster.setBusy(0, true)
        let answeringLeft = roster.leave(0)
        #expect(!answeringLeft, "0 is answering: it stays")
        #expect(roster.count == 3)
        #expect(roster.admit() == .admittedClosing(3, older: 1))
        let idleLeft = roster.leave(1)
        #expect(idleLeft, "1 is still idle: it goes")
        let leftAgain = roster.leave(1)
        #expect(!leftAgain, "and goes once")
        roster.setBusy(1, true)
        #expect(roster.count == 3, "a connection let go is no longer counted, whatever it reports later")
        roster.remove(0)
        #expect(roster.admit() == .admittedClosing(4, older: 2), "2 and 3 fill the cap again")
    }

    /// Should start the clock at the first write, restart it at each write that completes, and
    /// find a stall only when writes have waited the whole timeout without one completing.
    @Test func findsAStallOnlyWhileWritesWait() {
        let start = ContinuousClock.now
        var stall = SendStall<ContinuousClock.Instant>(timeout: .seconds(60))
        #expect(stall.check(at: start + .seconds(600)) == .idle, "nothing to send is never a stall")
        #expect(stall.writeStarted(at: start) == start + .seconds(60))
        #expect(stall.writeStarted(at: start + .seconds(1)) == nil, "the clock runs already")
        #expect(stall.check(at: start + .seconds(59)) == .checkAgain(start + .seconds(60)))
        stall.writeEnded(at: start + .seconds(50))
        #expect(stall.check(at: start + .seconds(60)) == .checkAgain(start + .seconds(110)), "progress restarts the clock")
        #expect(stall.check(at: start + .seconds(110)) == .stalled)
        stall.writeEnded(at: start + .seconds(120))
        #expect(stall.pending == 0)
        #expect(stall.check(at: start + .seconds(1000)) == .idle, "a kept-alive connection between answers")
        #expect(stall.writeStarted(at: start + .seconds(1000)) == start + .seconds(1060), "the next answer starts a new clock")
    }

    // MARK: - Support

    static func withServer(_ limits: ServeLimits, preparing prepare: (URL) throws -> Void = { _ in },
                           _ body: (UInt16) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            try ServeFolderTests.writeSite(in: root)
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

/// A TCP socket to the server on loopback, sending bytes as given and never blocking: a test
/// polls it and sleeps between polls, so waiting holds no thread the server needs.
final class RawClient: @unchecked Sendable {
    // A class rather than a struct because deinit must close the descriptor.
    private let descriptor: Int32
    private var received = Data()
    private(set) var isClosed = false

    /// - Parameter receiveBuffer: `SO_RCVBUF`, set before connecting so that the window offered
    ///   to the server is small from the start; nil leaves the system's.
    init(port: UInt16, receiveBuffer: Int? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawClientError(operation: "socket", code: errno) }
        if var size = receiveBuffer.map(Int32.init) {
            guard setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                let code = errno
                close(descriptor)
                throw RawClientError(operation: "setsockopt", code: code)
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw RawClientError(operation: "connect", code: code)
        }
    }

    deinit {
        close(descriptor)
    }

    func send(_ text: String) throws {
        try send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawClientError(operation: "send", code: errno) }
    }

    /// Reads what has arrived, up to `limit` bytes, without waiting; marks the socket closed on
    /// EOF or a reset.
    func poll(upTo limit: Int = .max) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var read = 0
        while !isClosed, read < limit {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                received.append(contentsOf: buffer.prefix(count))
                read += count
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                isClosed = true
            } else {
                return
            }
        }
    }

    /// Waits until the server has sent something, without reading it; false if `limit` passed
    /// or the connection closed first.
    func waitForBytes(within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        var byte: UInt8 = 0
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            if count > 0 { return true }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Everything the server sent until it closed the connection, reading what has arrived,
    /// up to `rate` bytes, every `pause`.
    func readToEnd(within limit: Duration, pause: Duration = .milliseconds(20), rate: Int = .max) async throws -> Data {
        let deadline = ContinuousClock.now + limit
        while !isClosed, ContinuousClock.now < deadline {
            poll(upTo: rate)
            if !isClosed { try await Task.sleep(for: pause) }
        }
        return received
    }

    /// ``readToEnd(within:pause:rate:)`` on a thread of its own, so that a task pool kept busy by
    /// other tests cannot pause the reading for longer than `pause`.
    func readToEndOnItsOwnThread(within limit: Duration, pause: Duration, rate: Int) async -> Data {
        await withCheckedContinuation { continuation in
            Thread {
                let deadline = ContinuousClock.now + limit
                let seconds = Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18
                while !self.isClosed, ContinuousClock.now < deadline {
                    self.poll(upTo: rate)
                    if !self.isClosed { Thread.sleep(forTimeInterval: seconds) }
                }
                continuation.resume(returning: self.received)
            }.start()
        }
    }

    /// What the server sent until `marker` arrived, or the connection closed, or `limit` passed.
    func readUntil(_ marker: Data, within limit: Duration) async throws -> Data {
        let deadline = ContinuousClock.now + limit
        while !isClosed, received.range(of: marker) == nil, ContinuousClock.now < deadline {
            poll()
            if received.range(of: marker) == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        return received
    }

    /// Waits until at least `count` of `clients` are closed by the server, or `limit` passes;
    /// returns those still open.
    static func waitUntilClosed(_ clients: [RawClient], atLeast count: Int, within limit: Duration) async -> [RawClient] {
        let deadline = ContinuousClock.now + limit
        while true {
            clients.forEach { $0.poll() }
            let open = clients.filter { !$0.isClosed }
            if clients.count - open.count >= count || ContinuousClock.now >= deadline { return open }
            do { try await Task.sleep(for: .milliseconds(50)) } catch { return open }
        }
    }
}

struct RawClientError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
