import AvatarSite
@testable import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

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
