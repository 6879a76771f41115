import Foundation

/// Reads Prometheus's text format as strictly as the tests need: every sample belongs to a
/// family announced by `# HELP` and `# TYPE` just before it, and no series appears twice.
public enum PrometheusText {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Each series as written (`name{label="value"}`) with its value.
    public static func samples(_ text: String) throws -> [String: Double] {
        try parse(text).samples
    }

    /// The families' types by name, and each series' value.
    public static func parse(_ text: String) throws -> (types: [String: String], samples: [String: Double]) {
        var types = [String: String]()
        var helped = Set<String>()
        var samples = [String: Double]()
        guard text.hasSuffix("\n") else { throw Malformed(description: "the text does not end with a line break") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                let name = line.dropFirst(7).prefix { $0 != " " }
                guard helped.insert(String(name)).inserted else { throw Malformed(description: "\(name) has two HELP lines") }
            } else if line.hasPrefix("# TYPE ") {
                let words = line.dropFirst(7).split(separator: " ")
                guard words.count == 2, ["counter", "gauge"].contains(words[1]), helped.contains(String(words[0])) else {
                    throw Malformed(description: "bad TYPE line: \(line)")
                }
                types[String(words[0])] = String(words[1])
            } else {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) ?? special(line[line.index(after: space)...]) else {
                    throw Malformed(description: "bad sample line: \(line)")
                }
                let series = String(line[..<space])
                let name = String(series.prefix { $0 != "{" })
                guard types[name] != nil else { throw Malformed(description: "\(name) has no HELP and TYPE before it") }
                guard samples.updateValue(value, forKey: series) == nil else { throw Malformed(description: "\(series) appears twice") }
            }
        }
        return (types, samples)
    }

    private static func special(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: nil
        }
    }
}
