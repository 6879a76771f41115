import ArgumentParser
import Logging

struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Only warnings and errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Every request and every user.")
    var verbose = false

    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = quiet ? .warning : verbose ? .debug : .info
        return logger
    }
}
