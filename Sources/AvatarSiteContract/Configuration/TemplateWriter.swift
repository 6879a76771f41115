import Foundation

/// Writes commented YAML a key at a time: the comment goes on the line above its key, and
/// values are quoted only where YAML would read them as something else.
struct TemplateWriter {
    enum Value {
        case string(String)
        case number(any Numeric & CustomStringConvertible)
        case bool(Bool)
        case list([String])

        var yaml: String {
            switch self {
            case .string(let text): TemplateWriter.scalar(text)
            case .number(let number): number.description
            case .bool(let value): value ? "true" : "false"
            case .list(let items): "[" + items.map(TemplateWriter.scalar).joined(separator: ", ") + "]"
            }
        }
    }

    private(set) var lines = [String]()
    private var indent = ""

    var text: String { lines.joined(separator: "\n") + "\n" }

    mutating func comment(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append("\(indent)# \(line)")
        }
    }

    mutating func key<Key: CodingKey>(_ key: Key, _ value: Value, _ comment: String) {
        self.comment(comment)
        lines.append("\(indent)\(key.stringValue): \(value.yaml)")
    }

    /// A key without a default value, shown commented out with an example.
    mutating func optional<Key: CodingKey>(_ key: Key, example: String, _ comment: String) {
        self.comment(comment)
        lines.append("\(indent)# \(key.stringValue): \(Self.scalar(example))")
    }

    mutating func section<Key: CodingKey>(_ key: Key, _ comment: String, _ body: (inout TemplateWriter) -> Void) {
        self.comment(comment)
        lines.append("\(indent)\(key.stringValue):")
        let outer = indent
        indent += "  "
        body(&self)
        indent = outer
    }

    /// `text` as a YAML scalar: plain when it reads back as the same string, else double-quoted
    /// (JSON's string syntax is a subset of YAML's double-quoted one).
    static func scalar(_ text: String) -> String {
        let plain = text.range(of: #"^[A-Za-z][A-Za-z0-9._/@+-]*(:[A-Za-z0-9._/@+-]+)*$"#, options: .regularExpression) != nil
            || text.range(of: #"^https?://[A-Za-z0-9._/@:+-]+$"#, options: .regularExpression) != nil
            || text.range(of: #"^[0-9]+x[0-9]+$"#, options: .regularExpression) != nil
        let special: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
        if plain, !special.contains(text.lowercased()) { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        guard let data = try? encoder.encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
