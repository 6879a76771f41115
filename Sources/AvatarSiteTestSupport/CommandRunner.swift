public import Foundation

/// Runs the built `avatar-site` executable, as a user or a nightly job would.
public enum CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable beside the test bundle in SwiftPM's build folder.
    public static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !folder.path.isEmpty, folder.path != "/" {
            let candidate = folder.appendingPathComponent("avatar-site")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/avatar-site")
    }

    /// Starts the command, kills it with SIGKILL after `delay` seconds, and returns its exit
    /// status, or nil when it was killed before it finished.
    public static func runKilled(_ arguments: [String], after delay: Double, environment: [String: String] = [:]) async throws
        -> Int32? {
        try await offTheCooperativePool { try runKilledBlocking(arguments, after: delay, environment: environment) }
    }

    /// Starts the command, sends it `signal` after `delay` seconds, and returns its exit status
    /// (nil when it had finished before) and how long it took to exit after the signal.
    public static func runSignalled(_ arguments: [String], signal: Int32, after delay: Double,
                                    environment: [String: String] = [:]) async throws -> (status: Int32?, secondsToExit: Double) {
        try await offTheCooperativePool {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(delay)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            guard process.isRunning else { return (nil, 0) }
            let signalled = Date()
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            // Foundation reports a death by signal as the signal's number; an exit as its code.
            let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
            return (status, Date().timeIntervalSince(signalled))
        }
    }

    /// A command left running (a server), stopped with `stop()`.
    public final class Running: @unchecked Sendable {
        let process: Process
        /// The first line it printed on standard output (a server's address).
        public let firstLine: String

        init(process: Process, firstLine: String) {
            self.process = process
            self.firstLine = firstLine
        }

        /// The `key=value` words of the first line.
        public var fields: [String: String] {
            Dictionary(firstLine.split(separator: " ").compactMap { word in
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { first, _ in first })
        }

        public var processIdentifier: Int32 { process.processIdentifier }

        /// Sends `signal` and waits up to `timeout` seconds for the command to exit: its exit
        /// status (128 + the signal's number when it died of it), or nil when it did not exit.
        public func signalled(_ signal: Int32, timeout: Double = 10) async throws -> Int32? {
            try await CommandRunner.offTheCooperativePool { [self] in
                kill(process.processIdentifier, signal)
                let deadline = Date().addingTimeInterval(timeout)
                while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                guard !process.isRunning else { return nil }
                return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
            }
        }

        public func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// Starts the command and returns once it has printed its first line.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) async throws -> Running {
        try await offTheCooperativePool {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A {
                line.append(first)
            }
            return Running(process: process, firstLine: String(decoding: line, as: UTF8.self))
        }
    }

    /// - Parameters:
    ///   - executable: another binary to run than the built one (an installed copy).
    ///   - directory: the working directory of the command; the test's own by default.
    public static func run(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil,
                           in directory: URL? = nil) async throws -> Result {
        try await offTheCooperativePool {
            try runBlocking(arguments, environment: environment, executable: executable ?? Self.executable, in: directory)
        }
    }

    /// Waiting for a child process blocks a thread; Swift's cooperative pool has one per core, and
    /// the in-process demo tenants of other tests need them.
    private static func offTheCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Swift.Result { try body() }) }
        }
    }

    private static func runKilledBlocking(_ arguments: [String], after delay: Double, environment: [String: String]) throws -> Int32? {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    private static func runBlocking(_ arguments: [String], environment: [String: String], executable: URL,
                                    in directory: URL?) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}
