import Foundation
public import Logging
import Synchronization

/// Shows how far a build is: a bar redrawn in place on a terminal, a log line every few
/// seconds elsewhere (a CI log or a cron mail has no use for carriage returns).
public final class BuildProgress: Sendable {
    private struct State {
        var listed = 0
        var done = 0
        var listingComplete = false
        var lastDraw: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let started = ContinuousClock.now
    private let onTerminal: Bool
    private let interval: Duration
    private let unit: String
    private let logger: Logger

    /// - Parameters:
    ///   - onTerminal: draw a bar on standard error; otherwise log every `interval`.
    ///   - unit: what is counted (`users`, `photos`).
    public init(onTerminal: Bool, interval: Duration = .seconds(5), unit: String = "users", logger: Logger) {
        self.onTerminal = onTerminal
        self.interval = interval
        self.unit = unit
        self.logger = logger
    }

    public func listed(_ count: Int) {
        state.withLock { $0.listed = count }
    }

    public func listingComplete() {
        state.withLock { $0.listingComplete = true }
    }

    public func userDone() {
        let line: String? = state.withLock { state in
            state.done += 1
            let now = ContinuousClock.now
            let due = onTerminal ? Duration.milliseconds(100) : interval
            if let last = state.lastDraw, now - last < due { return nil }
            state.lastDraw = now
            return describe(state, now: now)
        }
        if let line { show(line) }
    }

    public func finish() {
        let line = state.withLock { describe($0, now: .now) }
        show(line)
        if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func describe(_ state: State, now: ContinuousClock.Instant) -> String {
        let elapsed = max((now - started).seconds, 0.001)
        let rate = Double(state.done) / elapsed
        let total = state.listingComplete ? "\(state.listed)" : "\(state.listed)+"
        var text = "\(state.done)/\(total) \(unit), \(String(format: "%.1f", rate))/s"
        if state.listingComplete, rate > 0 {
            text += ", ETA \(Int((Double(state.listed - state.done) / rate).rounded()))s"
        }
        guard onTerminal else { return text }
        let width = 30
        let fraction = state.listed == 0 ? 0 : Double(state.done) / Double(state.listed)
        let filled = Int(Double(width) * fraction)
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] " + text
    }

    private func show(_ line: String) {
        if onTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
        } else {
            logger.info("progress: \(line)")
        }
    }
}
