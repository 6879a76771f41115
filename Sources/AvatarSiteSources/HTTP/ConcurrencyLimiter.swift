import Synchronization
import AvatarSiteContract

/// How many requests a run keeps in flight. Every request takes a permit first (a `$batch`
/// takes one), so a fixed number is never exceeded.
///
/// Adaptive, it finds what the server takes: from its start it doubles each round (a round: as
/// many answers as permits) while the throughput rises and nothing is throttled, then grows by
/// an eighth a round; a 429 or 503 halves it and holds every new request back for the
/// `Retry-After`. It never passes its maximum. The decisions are `AdaptiveLimit`, pure; this
/// class only keeps the permits and the waiters.
public final class ConcurrencyLimiter: Sendable {
    /// A request waiting for a permit; resumed with true when one was handed to it, false when
    /// it should look again (a pause began) or stop (it was cancelled).
    private struct Waiter {
        var id: Int
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var limit: AdaptiveLimit
        var inFlight = 0
        var waiters = [Waiter]()
        var nextWaiter = 0
        var pausedUntil: ContinuousClock.Instant?

        /// A pause that is over is no pause.
        mutating func pause(at now: ContinuousClock.Instant) -> Duration? {
            guard let until = pausedUntil else { return nil }
            if until <= now {
                pausedUntil = nil
                return nil
            }
            return until - now
        }
    }

    private let state: Mutex<State>
    public let isAdaptive: Bool

    public init(fixed count: Int) {
        isAdaptive = false
        state = Mutex(State(limit: AdaptiveLimit(fixed: max(1, count))))
    }

    public init(adaptiveFrom start: Int, upTo maximum: Int) {
        isAdaptive = true
        state = Mutex(State(limit: AdaptiveLimit(start: max(1, min(start, maximum)), maximum: maximum)))
    }

    /// Permits now.
    public var current: Int { state.withLock { $0.limit.current } }

    /// What the run reached and what it was told to slow down.
    public var summary: AdaptiveLimit.Summary { state.withLock { $0.limit.summary } }

    /// Waits for a permit: first for a pause a throttled answer asked for, then for room.
    /// Returns false when the calling task was cancelled while it waited (it holds no permit).
    public func acquire() async -> Bool {
        while !Task.isCancelled {
            if let pause = state.withLock({ $0.pause(at: .now) }) {
                do { try await Task.sleep(for: pause) } catch { return false }
                continue
            }
            if await waitForRoom() { return true }
        }
        return false
    }

    /// A permit now if there is room, else a place in the queue until one is handed over.
    private func waitForRoom() async -> Bool {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if Task.isCancelled || state.pause(at: .now) != nil { return false }
                    if state.inFlight < state.limit.current {
                        state.inFlight += 1
                        return true
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// Gives a permit back with what its request met: `throttled` for a 429 or 503, with the
    /// server's `Retry-After` when it gave one. Permits free after it go straight to waiters.
    public func release(throttled: Bool, retryAfter: Duration?) {
        let (granted, sentBack): ([Waiter], [Waiter]) = state.withLock { state in
            state.inFlight -= 1
            let now = ContinuousClock.now
            if throttled {
                state.limit.throttled()
                let until = now + min(retryAfter ?? .seconds(1), .seconds(30))
                if state.pausedUntil.map({ $0 < until }) ?? true { state.pausedUntil = until }
            } else {
                state.limit.answered(at: now)
            }
            if state.pause(at: now) != nil {
                // Everyone waits out the pause, then asks again.
                defer { state.waiters.removeAll() }
                return ([], state.waiters)
            }
            var granted = [Waiter]()
            while state.inFlight < state.limit.current, !state.waiters.isEmpty {
                state.inFlight += 1
                granted.append(state.waiters.removeFirst())
            }
            return (granted, [])
        }
        for waiter in granted { waiter.continuation.resume(returning: true) }
        for waiter in sentBack { waiter.continuation.resume(returning: false) }
    }
}

/// The adaptive limit's decisions, as values: a round of answers at the current limit, then
/// grow, hold or, on a throttled answer, cut.
public struct AdaptiveLimit: Sendable, Equatable {
    public struct Summary: Sendable, Codable, Equatable {
        /// `auto` or `fixed`.
        public var mode: String
        /// The most requests in flight allowed at any time.
        public var reached: Int
        /// The limit at the end.
        public var final: Int
        /// Answers that were 429 or 503.
        public var throttled: Int
    }

    public private(set) var current: Int
    let maximum: Int
    let adaptive: Bool
    /// Doubling each round until the first throttle or the first round that does not help.
    var slowStart = true
    var roundStart: ContinuousClock.Instant?
    var roundAnswers = 0
    var lastThroughput: Double?
    var reached: Int
    var throttledAnswers = 0

    init(fixed count: Int) {
        current = count
        maximum = count
        adaptive = false
        reached = count
    }

    init(start: Int, maximum: Int) {
        current = start
        self.maximum = maximum
        adaptive = true
        reached = start
    }

    var summary: Summary {
        Summary(mode: adaptive ? "auto" : "fixed", reached: reached, final: current, throttled: throttledAnswers)
    }

    /// One answer that was not throttled. At the end of a round: grow if the round's
    /// throughput beat the last one's by a tenth, else hold.
    mutating func answered(at now: ContinuousClock.Instant) {
        guard adaptive else { return }
        let start = roundStart ?? now
        roundStart = start
        roundAnswers += 1
        guard roundAnswers >= current else { return }
        let seconds = max((now - start).seconds, 0.001)
        let throughput = Double(roundAnswers) / seconds
        if lastThroughput.map({ throughput > $0 * 1.1 }) ?? true {
            current = min(maximum, slowStart ? current * 2 : current + max(1, current / 8))
            reached = max(reached, current)
        } else {
            slowStart = false
        }
        lastThroughput = throughput
        roundStart = now
        roundAnswers = 0
    }

    /// A 429 or 503: halve (multiplicative decrease), and start a new round.
    mutating func throttled() {
        throttledAnswers += 1
        guard adaptive else { return }
        current = max(1, current / 2)
        slowStart = false
        lastThroughput = nil
        roundStart = nil
        roundAnswers = 0
    }
}
