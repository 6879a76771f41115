/// Which connections `serve` keeps once a new one would pass the cap: the decision alone, on
/// numbers, with no sockets. Connections are numbered in the order they open, so the oldest is
/// the lowest number.
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

    let capacity: Int
    /// Whether each open connection has a request in progress.
    private var busy: [Int: Bool] = [:]
    private var nextNumber = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { busy.count }

    mutating func admit() -> Admission {
        let number = nextNumber
        nextNumber += 1
        if busy.count < capacity {
            busy[number] = false
            return .admitted(number)
        }
        // A client waiting for nothing is the one to let go: one that sent no request yet, or
        // kept its connection after its answers.
        guard let oldest = busy.lazy.filter({ !$0.value }).map(\.key).min() else { return .refused }
        busy[oldest] = nil
        busy[number] = false
        return .admittedClosing(number, older: oldest)
    }

    /// A request began (`true`) or every request answered (`false`); nothing for a connection already let go.
    mutating func setBusy(_ number: Int, _ isBusy: Bool) {
        if busy[number] != nil { busy[number] = isBusy }
    }

    mutating func remove(_ number: Int) {
        busy[number] = nil
    }
}
