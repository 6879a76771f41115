import ArgumentParser
import AvatarSite
import Foundation
import Logging

/// How the log on standard error is written.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// swift-log's lines, without colours.
    case text
    /// One JSON object a line, for log shippers.
    case json

    /// The variable that sets the format when `--log-format` is not given.
    static let environmentVariable = "AVATAR_SITE_LOG_FORMAT"
}

struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Only warnings and errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Every request and every user.")
    var verbose = false

    @Option(name: .long, help: ArgumentHelp(
        "How the log on standard error is written: text, or json (one object a line with time, level, message and fields).",
        discussion: "Without it, $\(LogFormat.environmentVariable) says; text when neither does."))
    var logFormat: LogFormat?

    func validate() throws {
        _ = try format(environment: ProcessInfo.processInfo.environment)
    }

    /// `--log-format`, else `AVATAR_SITE_LOG_FORMAT`, else text.
    func format(environment: [String: String]) throws -> LogFormat {
        if let logFormat { return logFormat }
        guard let value = environment[LogFormat.environmentVariable], !value.isEmpty else { return .text }
        guard let format = LogFormat(rawValue: value.lowercased()) else {
            throw ValidationError("\(LogFormat.environmentVariable)=\(value) is neither text nor json")
        }
        return format
    }

    var resolvedFormat: LogFormat {
        (try? format(environment: ProcessInfo.processInfo.environment)) ?? .text
    }

    func makeLogger(label: String) -> Logger {
        var logger: Logger = switch resolvedFormat {
        case .text: Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        case .json: Logger(label: label) { JSONLogHandler.standardError(label: $0) }
        }
        logger.logLevel = quiet ? .warning : verbose ? .debug : .info
        return logger
    }

    /// How far a build or an upload is: nil with `--quiet`; a bar on a terminal in the text
    /// format; log lines elsewhere; records in the JSON format, which never draws.
    func makeProgress(unit: String, logger: Logger) -> ProgressReporter? {
        guard !quiet else { return nil }
        let display: ProgressReporter.Display = switch resolvedFormat {
        case .json: .records
        case .text: isatty(STDERR_FILENO) != 0 ? .bar : .lines
        }
        return ProgressReporter(display: display, unit: unit, logger: logger)
    }
}
