/// The site's one rule for user ids, the names of the folders below `users/`: one to 128 bytes
/// of `A-Z a-z 0-9 . _ -`, never starting with a dot. So an id is never `.`, `..` or a hidden
/// file, never holds a slash, and is the same text in a path, a URL and an nginx variable.
/// Directory object ids are GUIDs; anything else is more likely an attack or a bug.
///
/// Everything else derives from this: the build drops users whose id breaks it, `serve` and
/// the nginx configuration (`pattern`) answer only such ids, and the page's data carries the
/// pattern so that the page checks links by the same rule.
public enum UserID {
    public static let maximumLength = 128

    /// The bytes an id may hold anywhere; the dot not first.
    static let bytes: [ClosedRange<UInt8>] = [
        UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: ".")...UInt8(ascii: "."), UInt8(ascii: "_")...UInt8(ascii: "_"), UInt8(ascii: "-")...UInt8(ascii: "-"),
    ]
    static let dot = UInt8(ascii: ".")

    public static func isValid<Text: StringProtocol>(_ text: Text) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, first != dot, utf8.count <= maximumLength else { return false }
        return utf8.allSatisfy(isIDByte)
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        bytes.contains { $0.contains(byte) }
    }

    /// `[A-Za-z0-9_-]`: an id's bytes but the dot, as the page script's hash is written.
    package static func isWordByte(_ byte: UInt8) -> Bool {
        byte != dot && isIDByte(byte)
    }

    /// The rule as a regular expression (PCRE and JavaScript alike), without anchors:
    /// `[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}`.
    public static let pattern: String = {
        func characterClass(_ ranges: [ClosedRange<UInt8>]) -> String {
            // A hyphen last is a literal; so the ranges keep the order above.
            "[" + ranges.map { range in
                range.count == 1 ? String(UnicodeScalar(range.lowerBound)) : "\(UnicodeScalar(range.lowerBound))-\(UnicodeScalar(range.upperBound))"
            }.joined() + "]"
        }
        return characterClass(bytes.filter { !$0.contains(dot) }) + characterClass(bytes) + "{0,\(maximumLength - 1)}"
    }()

    /// Why `text` was refused, for the report; nil when it is a valid id.
    public static func problem(with text: String) -> String? {
        if isValid(text) { return nil }
        if text.isEmpty { return "the id is empty" }
        if text.utf8.count > maximumLength { return "the id is \(text.utf8.count) bytes long (at most \(maximumLength))" }
        if text.contains("/") || text.contains("\\") || text.utf8.first == dot { return "the id looks like a path or a hidden file" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "the id contains control characters" }
        return "the id contains characters other than letters, digits, '-', '_' and '.'"
    }
}
