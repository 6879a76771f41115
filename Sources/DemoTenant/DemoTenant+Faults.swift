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

    func answer(with fault: InjectedFault) -> DemoAnswer {
        switch fault {
        case .throttle:
            count("fault_429")
            return .json(.tooManyRequests, ["error": ["code": "TooManyRequests", "message": "Too many requests."]],
                         headers: ["Retry-After": String(configuration.faults.retryAfterSeconds)])
        case .unavailable:
            count("fault_503")
            return Self.graphError(.serviceUnavailable, "ServiceNotAvailable", "The service is temporarily unavailable.")
        case .drop:
            count("fault_drop")
            return .dropped(promising: 4096, part: Data("{\"value\": [".utf8), contentType: "application/json")
        }
    }
}
