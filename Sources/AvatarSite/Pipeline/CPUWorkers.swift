import NIOCore
import NIOPosix

/// Threads for decoding, resizing, encoding and writing files, one per core, so that CPU work
/// never runs on the HTTP client's event loop nor starves the tasks waiting on the network.
public final class CPUWorkers: Sendable {
    private let pool: NIOThreadPool

    /// - Parameter threads: worker threads; nil for one per core.
    public init(threads: Int? = nil) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads ?? System.coreCount))
        pool.start()
    }

    /// Runs `body` on a worker thread and waits for its result. Throws only when the calling
    /// task was cancelled (the build is stopping), before the work started.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws(CancellationError) -> T {
        do {
            return try await pool.runIfActive(body)
        } catch {
            // runIfActive refuses work for a cancelled task, or after shutdown, which comes only
            // once every job is done: either way the build is stopping.
            throw CancellationError()
        }
    }

    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
