import Foundation

/// Prometheus's text exposition format (version 0.0.4), as node_exporter's textfile collector
/// and the Pushgateway read it: per family a `# HELP` and a `# TYPE` line, then its samples.
/// No sample carries a timestamp: the collector stamps them when it is scraped.
public struct MetricsExposition: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    /// One value of a family, with its labels in the order they are written.
    public struct Sample: Sendable, Equatable {
        public var labels: [(name: String, value: String)]
        public var value: Double

        public init(_ value: Double, labels: [(name: String, value: String)] = []) {
            self.labels = labels
            self.value = value
        }

        public static func == (left: Sample, right: Sample) -> Bool {
            left.value == right.value && left.labels.elementsEqual(right.labels) { $0.name == $1.name && $0.value == $1.value }
        }
    }

    /// Every sample of one metric name, with what it means.
    public struct Family: Sendable, Equatable {
        public var name: String
        public var help: String
        public var kind: Kind
        public var samples: [Sample]

        public init(_ name: String, _ kind: Kind, help: String, _ samples: [Sample]) {
            self.name = name
            self.help = help
            self.kind = kind
            self.samples = samples
        }

        /// A family of one sample without labels.
        public init(_ name: String, _ kind: Kind, help: String, value: Double) {
            self.init(name, kind, help: help, [Sample(value)])
        }

        /// One sample per key of `values`, labelled `label`, in the keys' order.
        public init(_ name: String, _ kind: Kind, help: String, label: String, _ values: [(String, Double)]) {
            self.init(name, kind, help: help, values.map { Sample($0.1, labels: [(label, $0.0)]) })
        }
    }

    public var families: [Family]

    public init(_ families: [Family]) {
        self.families = families
    }

    /// The text, ending with a newline; a family without samples is left out, since a `# TYPE`
    /// with nothing under it says nothing.
    public var text: String {
        var text = ""
        for family in families where !family.samples.isEmpty {
            text += "# HELP \(family.name) \(Self.escapedHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                text += family.name
                if !sample.labels.isEmpty {
                    text += "{" + sample.labels.map { "\($0.name)=\"\(Self.escapedLabelValue($0.value))\"" }.joined(separator: ",") + "}"
                }
                text += " \(Self.format(sample.value))\n"
            }
        }
        return text
    }

    /// A help text may hold anything but a line break; backslashes are doubled.
    static func escapedHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A label value is quoted: backslash, double quote and line feed are escaped; other control
    /// characters are dropped, since a reader of the text format may not take them.
    static func escapedLabelValue(_ value: String) -> String {
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Whole numbers without a fraction (`42`, not `42.0`), others as Swift's shortest
    /// round-tripping form; infinities and NaN as the format spells them.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
