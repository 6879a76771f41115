/// Keeps tests that time a server's stalls (a one-second timeout) apart from tests that load
/// the machine (a release build for minutes, commands run as processes of their own): on two
/// cores those make the timers of the others fire seconds late. Timing tests share the machine
/// with each other; a loading test runs alone, while no timing test runs.
public actor MachineLoad {
    public static let gate = MachineLoad()

    private var timingTests = 0
    private var loading = false
    private var waiting: [(loads: Bool, continuation: CheckedContinuation<Void, Never>)] = []

    /// Runs `body` as a test whose timings matter; many may run at once.
    public static func timed<T>(_ body: () async throws -> T) async throws -> T {
        await gate.enter(loads: false)
        do {
            let result = try await body()
            await gate.leave(loads: false)
            return result
        } catch {
            await gate.leave(loads: false)
            throw error
        }
    }

    /// Runs `body`, which loads the machine, while no timing test runs.
    public static func loading<T>(_ body: () async throws -> T) async throws -> T {
        await gate.enter(loads: true)
        do {
            let result = try await body()
            await gate.leave(loads: true)
            return result
        } catch {
            await gate.leave(loads: true)
            throw error
        }
    }

    private func canEnter(loads: Bool) -> Bool {
        loads ? !loading && timingTests == 0 : !loading
    }

    private func take(loads: Bool) {
        if loads { loading = true } else { timingTests += 1 }
    }

    private func enter(loads: Bool) async {
        // First come, first served: a loading test that waits holds back timing tests that come after it.
        if waiting.isEmpty, canEnter(loads: loads) {
            take(loads: loads)
            return
        }
        await withCheckedContinuation { waiting.append((loads, $0)) }
    }

    private func leave(loads: Bool) {
        if loads { loading = false } else { timingTests -= 1 }
        while let next = waiting.first, canEnter(loads: next.loads) {
            waiting.removeFirst()
            take(loads: next.loads)
            next.continuation.resume()
        }
    }
}
