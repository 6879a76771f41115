import Foundation
import NIOCore

/// How long `serve` waits for a client, and how many clients it keeps at once: a client that
/// opens sockets and sends nothing must not hold every descriptor the process may open.
public struct ServeLimits: Equatable, Sendable {
    public static let defaultIdleTimeout: Duration = .seconds(60)
    public static let defaultHeaderTimeout: Duration = .seconds(10)
    public static let defaultSendTimeout: Duration = .seconds(60)
    /// Descriptors kept apart from connections whatever the machine: the listening socket, the
    /// logs, the files opened at start-up, and room for connections picked to make room but not
    /// yet closed.
    public static let descriptorReserveBase = 64
    /// Descriptors kept apart for each core: its event loop holds 3 (epoll, an eventfd and a
    /// timerfd) and its file-reading thread up to 2.
    public static let descriptorReservePerCore = 5
    /// The most connections a default allows, however many descriptors there are: each costs memory.
    public static let connectionCeiling = 10_000

    /// How long a connection may stay silent between requests before it is closed.
    public var idleTimeout: Duration
    /// How long a new connection has to send its first request head in full.
    public var headerTimeout: Duration
    /// How long an answer may wait for the client to take any of its bytes before the connection
    /// is closed.
    public var sendTimeout: Duration
    /// The most connections open at once; over it, the oldest one without a request in progress
    /// is closed to make room, or the new one when every connection is answering.
    public var maxConnections: Int

    public init(idleTimeout: Duration = Self.defaultIdleTimeout, headerTimeout: Duration = Self.defaultHeaderTimeout,
                sendTimeout: Duration = Self.defaultSendTimeout, maxConnections: Int? = nil) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.sendTimeout = sendTimeout
        self.maxConnections = maxConnections ?? Self.connectionCap(descriptorLimit: Self.descriptorLimit(), coreCount: Self.coreCount)
    }

    /// The cores `serve` runs an event loop and a file-reading thread on.
    public static var coreCount: Int { System.coreCount }

    /// The descriptors kept apart from connections on a machine of `coreCount` cores:
    /// ``descriptorReserveBase`` and ``descriptorReservePerCore`` for each core.
    public static func descriptorReserve(coreCount: Int) -> Int {
        descriptorReserveBase + descriptorReservePerCore * max(1, coreCount)
    }

    /// The default cap for a process that may open `descriptorLimit` descriptors (nil: no limit)
    /// on `coreCount` cores: the limit less ``descriptorReserve(coreCount:)`` (half the limit when
    /// it is small), never below 1, never above ``connectionCeiling``.
    public static func connectionCap(descriptorLimit: Int?, coreCount: Int) -> Int {
        guard let descriptorLimit else { return connectionCeiling }
        let reserve = min(descriptorReserve(coreCount: coreCount), descriptorLimit / 2)
        return min(connectionCeiling, max(1, descriptorLimit - reserve))
    }

    /// The soft `RLIMIT_NOFILE` of this process; nil when it is unlimited (`RLIM_INFINITY`, at or
    /// above `Int.max` everywhere) or cannot be read.
    public static func descriptorLimit() -> Int? {
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(Int.max) else { return nil }
        return Int(clamping: limit.rlim_cur)
    }
}
