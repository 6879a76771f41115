/// When an answer the client has stopped taking is given up, as nginx's `send_timeout` does: the
/// decision alone, on instants. The timeout runs while writes are pending, from the last one
/// that completed (or from the first one handed over), so a client that reads slowly but reads
/// is served to the end, and a kept-alive connection with nothing to send is never stalled.
struct SendStall<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// What a check finds.
    enum Verdict: Equatable, Sendable {
        /// Nothing is waiting to be sent: no deadline until the next write.
        case idle
        /// Writes are waiting, and the last progress is recent: check again at this instant.
        case checkAgain(Instant)
        /// Writes have waited the whole timeout without one completing: close the connection.
        case stalled
    }

    let timeout: Duration
    /// Writes handed to the socket and not yet completed.
    private(set) var pending = 0
    /// When a write last completed, or when the first of the pending ones was handed over.
    private var lastProgress: Instant?

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// A write was handed over at `now`; returns the instant to check at when it starts the clock
    /// (nothing was pending), nil when a check is already due.
    mutating func writeStarted(at now: Instant) -> Instant? {
        pending += 1
        guard pending == 1 else { return nil }
        lastProgress = now
        return now.advanced(by: timeout)
    }

    /// A write completed (or failed) at `now`: the client took its bytes.
    mutating func writeEnded(at now: Instant) {
        pending = max(0, pending - 1)
        lastProgress = now
    }

    func check(at now: Instant) -> Verdict {
        guard pending > 0, let lastProgress else { return .idle }
        let due = lastProgress.advanced(by: timeout)
        return now < due ? .checkAgain(due) : .stalled
    }
}
