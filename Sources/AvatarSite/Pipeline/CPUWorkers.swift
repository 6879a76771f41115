import NIOCore
import NIOPosix
import Synchronization

/// Threads for decoding, resizing, encoding and writing files, one per core, so that CPU work
/// never runs on the HTTP client's event loop nor starves the tasks waiting on the network.
public final class CPUWorkers: Sendable {
    private let pool: NIOThreadPool
    /// Set when the build stops: work still queued is dropped instead of run, so a stopped
    /// build does not wait for photos nobody will publish.
    private let stopping = Atomic(false)

    /// One worker per core.
    public static var defaultCount: Int { max(1, System.coreCount) }

    /// - Parameter threads: worker threads; nil for one per core.
    public init(threads: Int? = nil) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads ?? Self.defaultCount))
        pool.start()
    }

    /// Runs `body` on a worker thread and waits for its result. Throws only when the build is
    /// stopping (the calling task was cancelled, or `shutdown` began) before the work started.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(CancellationError) -> T {
        let result: T?
        do {
            result = try await pool.runIfActive { [self] () -> T? in
                stopping.load(ordering: .relaxed) ? nil : body()
            }
        } catch {
            // runIfActive refuses work for a cancelled task, or after shutdown.
            throw CancellationError()
        }
        guard let result else { throw CancellationError() }
        return result
    }

    /// Drops what is still queued and waits for the jobs that are running.
    public func shutdown() async throws {
        stopping.store(true, ordering: .relaxed)
        try await pool.shutdownGracefully()
    }
}
