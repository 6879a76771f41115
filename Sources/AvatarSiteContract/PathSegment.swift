/// Decides whether a string from the server may become one segment of a file path (and a URL).
///
/// A whitelist rather than a blacklist: directory object ids are GUIDs, so anything beyond
/// letters, digits, `-`, `_` and `.` is more likely an attack or a bug than a real id.
public enum PathSegment {
    public static let maximumLength = 128

    public static func isSafe(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength, bytes.first != UInt8(ascii: "."),
              !text.contains("..")
        else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }

    /// Why `text` was refused, for the report; nil when it is safe.
    public static func problem(with text: String) -> String? {
        if isSafe(text) { return nil }
        if text.isEmpty { return "the id is empty" }
        if text.utf8.count > maximumLength { return "the id is \(text.utf8.count) bytes long (at most \(maximumLength))" }
        if text.contains("/") || text.contains("\\") || text.contains("..") { return "the id looks like a path" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "the id contains control characters" }
        return "the id contains characters other than letters, digits, '-', '_' and '.'"
    }
}
