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

    /// Runs `body` on a worker thread and waits for its result.
    public func run<T: Sendable, Failure: Error>(_ body: @escaping @Sendable () throws(Failure) -> T) async throws(Failure) -> T {
        let result: Result<T, Failure>
        do {
            result = try await pool.runIfActive { () -> Result<T, Failure> in
                do throws(Failure) { return .success(try body()) } catch { return .failure(error) }
            }
        } catch {
            // Only a pool that was shut down refuses work; shutdown comes after every job is done.
            preconditionFailure("CPU work submitted after shutdown: \(error)")
        }
        return try result.get()
    }

    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
