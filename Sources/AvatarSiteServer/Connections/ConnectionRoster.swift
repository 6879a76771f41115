/// Which connections `serve` keeps once a new one would pass the cap: the decision alone, on
/// numbers, with no sockets. Connections are numbered in the order they open, so the oldest is
/// the lowest number.
///
/// A connection picked to make room is closed on its own event loop, a moment after the pick;
/// a request head can reach it in that moment. It is then kept (``leave(_:)`` says no), since
/// closing it would cut that request off, and the cap is passed by one until a connection closes.
struct ConnectionRoster: Sendable {
    /// What to do with a connection that has just opened.
    enum Admission: Equatable, Sendable {
        /// Keep it: there was room.
        case admitted(Int)
        /// Keep it, and close this older one, which has no request in progress, to make room.
        case admittedClosing(Int, older: Int)
        /// Close it at once: every connection kept is answering a request.
        case refused
    }

    private enum State: Equatable, Sendable {
        case idle, busy
        /// Picked to make room, not closed yet: no longer counted, nor picked again.
        case leaving
    }

    let capacity: Int
    private var states: [Int: State] = [:]
    private var leaving = 0
    private var nextNumber = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The connections kept: open, and not picked to make room.
    var count: Int { states.count - leaving }

    mutating func admit() -> Admission {
        let number = nextNumber
        nextNumber += 1
        if count < capacity {
            states[number] = .idle
            return .admitted(number)
        }
        // A client waiting for nothing is the one to let go: one that sent no request yet, or
        // kept its connection after its answers.
        guard let oldest = states.lazy.filter({ $0.value == .idle }).map(\.key).min() else { return .refused }
        set(oldest, .leaving)
        states[number] = .idle
        return .admittedClosing(number, older: oldest)
    }

    /// A request began (`true`) or every request answered (`false`); nothing for a connection
    /// already let go. A request beginning on a connection picked to make room keeps it.
    mutating func setBusy(_ number: Int, _ isBusy: Bool) {
        if states[number] != nil { set(number, isBusy ? .busy : .idle) }
    }

    /// Whether a connection picked to make room is to be closed now: true, and it is let go, when
    /// no request began on it since; false when one did, or it is gone already.
    mutating func leave(_ number: Int) -> Bool {
        guard states[number] == .leaving else { return false }
        remove(number)
        return true
    }

    mutating func remove(_ number: Int) {
        set(number, nil)
    }

    private mutating func set(_ number: Int, _ state: State?) {
        if states[number] == .leaving { leaving -= 1 }
        if state == .leaving { leaving += 1 }
        states[number] = state
    }
}
