import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM stop the running work instead of killing the process, so a build can
/// leave the site as it was, release its lock and say in its report that it was stopped. A
/// second signal ends the process at once.
final class StopSignals: Sendable {
    /// The first signal received.
    private final class Received: Sendable {
        let signal = Mutex<Int32?>(nil)
    }

    private let received = Received()
    /// Kept only to keep the handlers alive; never touched again.
    private nonisolated(unsafe) let sources: [any DispatchSourceSignal]

    /// - Parameter stop: called once, on the first signal.
    init(_ stop: @escaping @Sendable () -> Void) {
        let received = self.received
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let first = received.signal.withLock { signal in
                    defer { signal = signal ?? number }
                    return signal == nil
                }
                if first { stop() } else { _exit(Self.exitCode(for: number)) }
            }
            source.resume()
            return source
        }
    }

    /// The exit code of a process stopped by the signal it received: 128 + its number.
    var exitCode: Int32 {
        received.signal.withLock { $0.map(Self.exitCode(for:)) } ?? 130
    }

    static func exitCode(for signal: Int32) -> Int32 {
        128 + signal
    }
}
