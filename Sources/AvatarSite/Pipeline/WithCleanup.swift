import Logging

/// Runs `body`, then `cleanup` whether `body` threw or not. A failing cleanup (closing
/// connections, stopping threads) is logged: it must not hide the build's own result.
func withCleanup<T, Failure: Error>(
    _ body: () async throws(Failure) -> T, cleanup: () async throws -> Void, what: String, logger: Logger
) async throws(Failure) -> T {
    let result: Result<T, Failure>
    do {
        result = .success(try await body())
    } catch {
        result = .failure(error)
    }
    do {
        try await cleanup()
    } catch {
        logger.warning("\(what) failed: \(error)")
    }
    return try result.get()
}
