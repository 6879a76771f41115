import Foundation
public import Logging
import Synchronization
import AvatarSiteContract

/// Shows how far a build or an upload is: a bar redrawn in place on a terminal, a log line every few
/// seconds elsewhere (a CI log or a cron mail has no use for carriage returns), or, for a log
/// shipper, a `progress` record every few seconds with the numbers as fields.
public final class ProgressReporter: Sendable {
    public enum Display: Sendable {
        /// A bar on standard error, redrawn in place.
        case bar
        /// A log line: `progress: 120/1000 users, 35.2/s, ETA 25s`.
        case lines
        /// A log record `progress` with `done`, `listed`, `listing_complete`, `rate` (per
        /// second), `eta_seconds` (once the listing is complete) and `unit` as metadata.
        case records
    }

    private struct State {
        var listed = 0
        var done = 0
        var listingComplete = false
        var lastDraw: ContinuousClock.Instant?
    }

    private struct Snapshot {
        var listed: Int
        var done: Int
        var listingComplete: Bool
        var rate: Double

        var etaSeconds: Int? {
            guard listingComplete, rate > 0 else { return nil }
            return Int((Double(listed - done) / rate).rounded())
        }
    }

    private let state = Mutex(State())
    private let started = ContinuousClock.now
    private let display: Display
    private let interval: Duration
    private let unit: String
    private let logger: Logger

    /// - Parameters:
    ///   - display: how progress is shown; a bar is redrawn at most ten times a second, lines
    ///     and records come every `interval`.
    ///   - unit: what is counted (`users`, `photos`).
    public init(display: Display, interval: Duration = .seconds(5), unit: String = "users", logger: Logger) {
        self.display = display
        self.interval = interval
        self.unit = unit
        self.logger = logger
    }

    /// A bar on a terminal, log lines elsewhere.
    public convenience init(onTerminal: Bool, interval: Duration = .seconds(5), unit: String = "users", logger: Logger) {
        self.init(display: onTerminal ? .bar : .lines, interval: interval, unit: unit, logger: logger)
    }

    public func listed(_ count: Int) {
        state.withLock { $0.listed = count }
    }

    public func listingComplete() {
        state.withLock { $0.listingComplete = true }
    }

    public func userDone() {
        let snapshot: Snapshot? = state.withLock { state in
            state.done += 1
            let now = ContinuousClock.now
            let due = display == .bar ? Duration.milliseconds(100) : interval
            if let last = state.lastDraw, now - last < due { return nil }
            state.lastDraw = now
            return measure(state, now: now)
        }
        if let snapshot { show(snapshot) }
    }

    public func finish() {
        let snapshot = state.withLock { measure($0, now: .now) }
        show(snapshot)
        if display == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func measure(_ state: State, now: ContinuousClock.Instant) -> Snapshot {
        let elapsed = max((now - started).seconds, 0.001)
        return Snapshot(listed: state.listed, done: state.done, listingComplete: state.listingComplete,
                        rate: Double(state.done) / elapsed)
    }

    private func describe(_ snapshot: Snapshot) -> String {
        let total = snapshot.listingComplete ? "\(snapshot.listed)" : "\(snapshot.listed)+"
        var text = "\(snapshot.done)/\(total) \(unit), \(String(format: "%.1f", snapshot.rate))/s"
        if let eta = snapshot.etaSeconds { text += ", ETA \(eta)s" }
        return text
    }

    private func show(_ snapshot: Snapshot) {
        switch display {
        case .bar:
            let width = 30
            let fraction = snapshot.listed == 0 ? 0 : min(Double(snapshot.done) / Double(snapshot.listed), 1)
            let filled = Int(Double(width) * fraction)
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] "
            FileHandle.standardError.write(Data("\r\u{1B}[K\(bar)\(describe(snapshot))".utf8))
        case .lines:
            logger.info("progress: \(describe(snapshot))")
        case .records:
            var metadata: Logger.Metadata = [
                "done": .stringConvertible(snapshot.done), "listed": .stringConvertible(snapshot.listed),
                "listing_complete": .stringConvertible(snapshot.listingComplete),
                "rate": .stringConvertible((snapshot.rate * 10).rounded() / 10), "unit": .string(unit),
            ]
            if let eta = snapshot.etaSeconds { metadata["eta_seconds"] = .stringConvertible(eta) }
            logger.info("progress", metadata: metadata)
        }
    }
}
