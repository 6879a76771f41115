import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    /// A fault to inject into this answer, drawn with the configured rates.
    enum InjectedFault {
        case throttle
        case unavailable
        case drop
    }

    struct DroppedConnection: Error {}

    func drawFault() -> InjectedFault? {
        let faults = configuration.faults
        guard faults.throttleRate + faults.unavailableRate + faults.dropRate > 0 else { return nil }
        let roll = dice.withLock { Double($0.next() % 1_000_000) / 1_000_000 }
        if roll < faults.throttleRate { return .throttle }
        if roll < faults.throttleRate + faults.unavailableRate { return .unavailable }
        if roll < faults.throttleRate + faults.unavailableRate + faults.dropRate { return .drop }
        return nil
    }

    func shouldTruncatePhoto() -> Bool {
        let rate = configuration.faults.truncatedPhotoRate
        guard rate > 0 else { return false }
        return dice.withLock { Double($0.next() % 1_000_000) / 1_000_000 } < rate
    }

    func respond(with fault: InjectedFault) -> Response {
        switch fault {
        case .throttle:
            count("fault_429")
            var response = Self.graphError(.tooManyRequests, "TooManyRequests", "Too many requests.")
            response.headers[.retryAfter] = String(configuration.faults.retryAfterSeconds)
            return response
        case .unavailable:
            count("fault_503")
            return Self.graphError(.serviceUnavailable, "ServiceNotAvailable", "The service is temporarily unavailable.")
        case .drop:
            count("fault_drop")
            return Self.droppedConnection(promising: 4096, sending: Data("{\"value\": [".utf8))
        }
    }

    /// Sends the head and part of the body, then drops the connection, as a broken network does.
    static func droppedConnection(promising length: Int, sending part: Data, contentType: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: contentType],
                 body: ResponseBody(contentLength: length) { writer in
                     try await writer.write(ByteBuffer(data: part))
                     throw DroppedConnection()
                 })
    }
}
