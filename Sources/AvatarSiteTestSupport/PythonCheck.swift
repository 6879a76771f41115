public import Foundation

/// Runs one of the repository's Python checks (`Tests/Hosting/…`, `Tests/Browser/…`) with the
/// project's virtualenv, which `scripts/setup.sh` makes with everything they need. A missing
/// virtualenv is an error, never a skip: a check that did not run did not pass.
public enum PythonCheck {
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output and standard error, interleaved as they were written.
        public var output: String

        /// The last line, where every check prints its summary (`N passed, N failed`).
        public var summary: String {
            output.split(separator: "\n").last.map(String.init) ?? ""
        }
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The checkout the tests were built from: the checks are read from the source tree.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var python: URL { repositoryRoot.appendingPathComponent(".venv/bin/python") }

    /// Runs `script` (a path from the repository's root) and waits for it, killing it after
    /// `timeout` seconds.
    public static func run(_ script: String, _ arguments: [String], timeout: Double = 600,
                           environment: [String: String] = [:]) async throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Missing(description: "\(python.path) is missing: run scripts/setup.sh, which makes the virtualenv the checks need")
        }
        return try await withCheckedThrowingContinuation { continuation in
            // Waiting for a child blocks a thread; the cooperative pool has one per core.
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result {
                    try runBlocking([repositoryRoot.appendingPathComponent(script).path] + arguments, timeout: timeout,
                                    environment: environment)
                })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], timeout: Double, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-u"] + arguments
        process.currentDirectoryURL = repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: .now() + timeout)
        // SIGTERM first: the checks stop the servers they started when terminated.
        timer.setEventHandler { if process.isRunning { process.terminate() } }
        timer.resume()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
