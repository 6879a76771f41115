import Synchronization

/// Counts every request the build makes, by kind and by status, and the bytes they brought.
public final class RequestStatistics: Sendable {
    public struct Snapshot: Sendable, Codable, Equatable {
        /// Requests sent, by `RequestKind` raw value.
        public var requestsByKind: [String: Int] = [:]
        /// Responses, by HTTP status (as text), or `"connection_error"`.
        public var responsesByStatus: [String: Int] = [:]
        /// The same responses by request kind, then status.
        public var responsesByKind: [String: [String: Int]] = [:]
        /// Response body bytes received.
        public var bytesReceived: Int = 0
        /// Requests sent again after a failure.
        public var retries: Int = 0

        public var totalRequests: Int { requestsByKind.values.reduce(0, +) }

        enum CodingKeys: String, CodingKey {
            case requestsByKind = "requests_by_kind"
            case responsesByStatus = "responses_by_status"
            case responsesByKind = "responses_by_kind"
            case bytesReceived = "bytes_received"
            case retries
        }

        public init() {}

        // Reports written before responses were counted by kind still read.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requestsByKind = try container.decode([String: Int].self, forKey: .requestsByKind)
            responsesByStatus = try container.decode([String: Int].self, forKey: .responsesByStatus)
            responsesByKind = try container.decodeIfPresent([String: [String: Int]].self, forKey: .responsesByKind) ?? [:]
            bytesReceived = try container.decode(Int.self, forKey: .bytesReceived)
            retries = try container.decode(Int.self, forKey: .retries)
        }
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func recordRequest(_ kind: RequestKind) {
        state.withLock { $0.requestsByKind[kind.rawValue, default: 0] += 1 }
    }

    func recordResponse(_ kind: RequestKind, status: Int?, bytes: Int) {
        let status = status.map(String.init) ?? "connection_error"
        state.withLock {
            $0.responsesByStatus[status, default: 0] += 1
            $0.responsesByKind[kind.rawValue, default: [:]][status, default: 0] += 1
            $0.bytesReceived += bytes
        }
    }

    func recordRetry() {
        state.withLock { $0.retries += 1 }
    }
}
