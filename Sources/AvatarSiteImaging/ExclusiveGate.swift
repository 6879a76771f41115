import Foundation
import Synchronization

/// One thread at a time through a stretch of work that blocks (a worker thread may wait, the
/// cooperative pool never does: it is used only on the CPU workers).
final class ExclusiveGate: Sendable {
    private let busy = Mutex(false)

    func enter() {
        while true {
            let entered = busy.withLock { busy in
                guard !busy else { return false }
                busy = true
                return true
            }
            if entered { return }
            // Another worker is decoding a large photo; it takes tens of milliseconds.
            usleep(2_000)
        }
    }

    func leave() {
        busy.withLock { $0 = false }
    }
}
