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

    /// - Parameter request: the request, named by what it asks (see `FaultDice`); made only
    ///   when faults are on.
    func drawFault(for request: @autoclosure () -> String) -> InjectedFault? {
        let faults = configuration.faults
        guard faults.throttleRate + faults.unavailableRate + faults.dropRate > 0 else { return nil }
        let roll = dice.roll("fault", for: request())
        if roll < faults.throttleRate { return .throttle }
        if roll < faults.throttleRate + faults.unavailableRate { return .unavailable }
        if roll < faults.throttleRate + faults.unavailableRate + faults.dropRate { return .drop }
        return nil
    }

    func shouldTruncatePhoto(_ photo: @autoclosure () -> String) -> Bool {
        let rate = configuration.faults.truncatedPhotoRate
        guard rate > 0 else { return false }
        return dice.roll("truncate", for: photo()) < rate
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
