/// The entries of a map file the build writes for nginx's `map` blocks (`hosting/aliases.map`,
/// `hosting/avatars.map`): one `key value;` a line, the key bare or in double quotes, blank
/// lines and `#` comments between.
///
/// Keys are compared as nginx compares them, ignoring case; a key written `"\~…"` is the literal
/// `~…` (the backslash keeps nginx from reading it as a regular expression). Lines that are not
/// entries, and regular-expression keys, which the build never writes, are counted and skipped.
public struct NginxMap: Sendable {
    private var entries: [String: String] = [:]
    /// Lines that were neither entries, blank nor comments.
    public private(set) var skippedLines = 0

    public init(parsing text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.drop(while: \.isWhitespace)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let (key, value) = Self.entry(trimmed) else {
                skippedLines += 1
                continue
            }
            // nginx refuses a map that lists a key twice; the first is as good a reading as any.
            if entries[key] == nil { entries[key] = value }
        }
    }

    /// The value for `key`, ignoring case as nginx does: ASCII letters only (`É` is not `é`).
    public subscript(key: String) -> String? {
        entries[Self.asciiLowercased(key)]
    }

    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    public var count: Int { entries.count }

    /// `"key" value;` or `key value;`, maybe followed by a comment.
    private static func entry(_ line: Substring) -> (String, String)? {
        var rest = line
        var key: String
        if let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            key = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            guard rest.first?.isWhitespace == true else { return nil }
        } else {
            key = String(rest.prefix { !$0.isWhitespace })
            rest = rest.dropFirst(key.count)
            if key.hasPrefix("~") { return nil }
        }
        if key.hasPrefix("\\") { key.removeFirst() }
        rest = rest.drop(while: \.isWhitespace)
        let value = rest.prefix { !$0.isWhitespace && $0 != ";" }
        rest = rest.dropFirst(value.count).drop(while: \.isWhitespace)
        guard !key.isEmpty, !value.isEmpty, rest.first == ";" else { return nil }
        let after = rest.dropFirst().drop(while: \.isWhitespace)
        guard after.isEmpty || after.hasPrefix("#") else { return nil }
        return (asciiLowercased(key), String(value))
    }
}
