public import Foundation

/// A mistake in site.yml, located by key path and line so the user can fix it at once.
public struct ConfigurationError: LocalizedError, Sendable, Equatable {
    /// Dotted key path such as `source.concurrency` or `sizes[2]`; empty for the whole file.
    public let keyPath: String
    /// 1-based line in the file, when known.
    public let line: Int?
    public let reason: String
    public let file: String

    public init(keyPath: String, line: Int?, reason: String, file: String) {
        self.keyPath = keyPath
        self.line = line
        self.reason = reason
        self.file = file
    }

    public var errorDescription: String? {
        let location = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        let key = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(location):\(key) \(reason)"
    }
}
