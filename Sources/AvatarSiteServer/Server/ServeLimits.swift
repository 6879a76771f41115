import Foundation

/// How long `serve` waits for a client, and how many clients it keeps at once: a client that
/// opens sockets and sends nothing must not hold every descriptor the process may open.
public struct ServeLimits: Equatable, Sendable {
    public static let defaultIdleTimeout: Duration = .seconds(60)
    public static let defaultHeaderTimeout: Duration = .seconds(10)
    /// Descriptors kept apart from connections: the files being read, the listening socket and
    /// the event loops' own.
    public static let descriptorReserve = 64
    /// The most connections a default allows, however many descriptors there are: each costs memory.
    public static let connectionCeiling = 10_000

    /// How long a connection may stay silent between requests before it is closed.
    public var idleTimeout: Duration
    /// How long a new connection has to send its first request head in full.
    public var headerTimeout: Duration
    /// The most connections open at once; over it, the oldest one without a request in progress
    /// is closed to make room, or the new one when every connection is answering.
    public var maxConnections: Int

    public init(idleTimeout: Duration = Self.defaultIdleTimeout, headerTimeout: Duration = Self.defaultHeaderTimeout,
                maxConnections: Int? = nil) {
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
        self.maxConnections = maxConnections ?? Self.connectionCap(descriptorLimit: Self.descriptorLimit())
    }

    /// The default cap for a process that may open `descriptorLimit` descriptors (nil: no limit):
    /// the limit less a reserve (half the limit when it is small), never below 1, never above
    /// ``connectionCeiling``.
    public static func connectionCap(descriptorLimit: Int?) -> Int {
        guard let descriptorLimit else { return connectionCeiling }
        let reserve = min(descriptorReserve, descriptorLimit / 2)
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
