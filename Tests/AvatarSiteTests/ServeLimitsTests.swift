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

    /// Should close sockets that send nothing or half a head after the head timeout, and a
    /// kept-alive connection after the idle timeout, more of them than the cap.
    @Test func closesClientsThatSendNoRequest() async throws {
        let limits = ServeLimits(idleTimeout: .seconds(1), headerTimeout: .seconds(1), maxConnections: 20)
        try await Self.withServer(limits) { port in
            var clients: [RawClient] = []
            for index in 0..<25 {
                let client = try RawClient(port: port)
                if index.isMultiple(of: 2) { try client.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: loc") }
                clients.append(client)
            }
            let keptAlive = try RawClient(port: port)
            try keptAlive.send("GET /users/user-1/photo.jpg HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let answer = try await keptAlive.readUntil(Data("photo-bytes".utf8), within: Self.patience)
            #expect(answer.starts(with: Data("HTTP/1.1 200".utf8)), "\(String(decoding: answer, as: UTF8.self))")
            clients.append(keptAlive)
            let open = await RawClient.waitUntilClosed(clients, atLeast: clients.count, within: Self.patience)
            #expect(open.count == 0, "\(open.count) of \(clients.count) sockets still open after \(Self.patience)")
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

    @Test(arguments: [(nil, 10_000), (1_048_576, 10_000), (65_536, 10_000), (1024, 960), (256, 192), (100, 50), (2, 1), (1, 1),
                      (0, 1)] as [(Int?, Int)])
    func capsConnectionsBelowTheDescriptorLimit(limit: Int?, cap: Int) {
        #expect(ServeLimits.connectionCap(descriptorLimit: limit) == cap)
        if let limit, limit > 1 { #expect(cap < limit) }
    }

    @Test func takesAnExplicitCapOverTheDefault() {
        #expect(ServeLimits(maxConnections: 7).maxConnections == 7)
        #expect(ServeLimits().maxConnections == ServeLimits.connectionCap(descriptorLimit: ServeLimits.descriptorLimit()))
        #expect(ServeLimits().idleTimeout == .seconds(60) && ServeLimits().headerTimeout == .seconds(10))
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

    // MARK: - Support

    static func withServer(_ limits: ServeLimits, _ body: (UInt16) async throws -> Void) async throws {
        try await withTemporaryDirectory { root in
            try ServeFolderTests.writeSite(in: root)
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
}

/// A TCP socket to the server on loopback, sending bytes as given and never blocking: a test
/// polls it and sleeps between polls, so waiting holds no thread the server needs.
final class RawClient: @unchecked Sendable {
    // A class rather than a struct because deinit must close the descriptor.
    private let descriptor: Int32
    private var received = Data()
    private(set) var isClosed = false

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawClientError(operation: "socket", code: errno) }
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
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawClientError(operation: "send", code: errno) }
    }

    /// Reads what has arrived without waiting; marks the socket closed on EOF or a reset.
    func poll() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isClosed {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                received.append(contentsOf: buffer.prefix(count))
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                isClosed = true
            } else {
                return
            }
        }
    }

    /// Everything the server sent until it closed the connection.
    func readToEnd(within limit: Duration) async throws -> Data {
        let deadline = ContinuousClock.now + limit
        while !isClosed, ContinuousClock.now < deadline {
            poll()
            if !isClosed { try await Task.sleep(for: .milliseconds(20)) }
        }
        return received
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
