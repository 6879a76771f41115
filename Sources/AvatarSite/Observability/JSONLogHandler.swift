public import Foundation
public import Logging
import Synchronization

/// Logs one JSON object a line, for log shippers: `time` (RFC 3339, UTC, milliseconds),
/// `level`, `message`, `logger`, then the metadata as fields. A metadata value given as a
/// number or a Boolean (`.stringConvertible(42)`) is written as one; everything else as a
/// string, or as an object or array for a dictionary or list. A metadata key that would hide
/// one of the four is written with a `metadata_` prefix.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let now: @Sendable () -> Date
    private let write: @Sendable (String) -> Void

    static let reservedKeys: Set<String> = ["time", "level", "message", "logger"]

    /// - Parameters:
    ///   - now: the clock the `time` field reads.
    ///   - write: takes each line, newline included.
    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil, now: @escaping @Sendable () -> Date = { Date() },
                write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.now = now
        self.write = write
    }

    /// A handler writing to standard error, one `write(2)` a line so that lines of concurrent
    /// tasks never interleave.
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label, metadataProvider: LoggingSystem.metadataProvider) { line in
            StandardErrorLines.shared.write(line)
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let explicit = event.metadata { fields.merge(explicit) { _, new in new } }
        if let error = event.error, fields["error"] == nil { fields["error"] = .string("\(error)") }
        write(Self.line(time: now(), level: event.level, message: event.message.description, logger: label, fields: fields))
    }

    /// One record as its line, newline included.
    static func line(time: Date, level: Logger.Level, message: String, logger: String, fields: Logger.Metadata) -> String {
        var line = "{\"time\":\"\(rfc3339(time))\",\"level\":\"\(level.rawValue)\",\"message\":"
        appendString(message, to: &line)
        line += ",\"logger\":"
        appendString(logger, to: &line)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line += ","
            appendString(reservedKeys.contains(key) ? "metadata_\(key)" : key, to: &line)
            line += ":"
            append(value, to: &line)
        }
        return line + "}\n"
    }

    private static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            appendString(text, to: &line)
        case .stringConvertible(let value):
            switch value {
            case let flag as Bool:
                line += flag ? "true" : "false"
            case let number as any BinaryInteger:
                line += "\(number)"
            case let number as Double where number.isFinite:
                line += "\(number)"
            default:
                appendString(value.description, to: &line)
            }
        case .dictionary(let dictionary):
            line += "{"
            for (index, (key, value)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendString(key, to: &line)
                line += ":"
                append(value, to: &line)
            }
            line += "}"
        case .array(let values):
            line += "["
            for (index, value) in values.enumerated() {
                if index > 0 { line += "," }
                append(value, to: &line)
            }
            line += "]"
        }
    }

    /// `text` as a JSON string: quotes and backslashes escaped, control characters as `\n`,
    /// `\t`… or `\u00XX`, everything else (non-ASCII included) as its UTF-8.
    static func appendString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case "\u{08}": line += "\\b"
            case "\u{0C}": line += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                line += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            default:
                line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }

    /// `2026-05-04T02:00:00.123Z`: RFC 3339 in UTC with milliseconds (rounded down).
    static func rfc3339(_ date: Date) -> String {
        // Through whole microseconds, so that 0.123 s (122.99999… ms in binary) is 123 ms.
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = microseconds.quotientAndRemainderFloored(by: 1000).quotient
        var seconds = time_t(milliseconds.quotientAndRemainderFloored(by: 1000).quotient)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = milliseconds.quotientAndRemainderFloored(by: 1000).remainder
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):"
            + "\(two(parts.tm_sec)).\(String(repeating: "0", count: 3 - String(fraction).count))\(fraction)Z"
    }
}

private extension Int64 {
    /// Division that rounds towards minus infinity, so times before 1970 keep a positive fraction.
    func quotientAndRemainderFloored(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}

/// Standard error as a sink of whole lines: each goes out in one `write(2)`, under a lock.
final class StandardErrorLines: Sendable {
    static let shared = StandardErrorLines()
    private let lock = Mutex(())

    func write(_ line: String) {
        lock.withLock { _ in
            let bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    Foundation.write(STDERR_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                // A closed or full standard error loses the line; logging cannot report its own failure.
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
