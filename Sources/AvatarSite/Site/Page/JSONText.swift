/// Compact JSON written byte by byte, as Python's `json.dumps(…, ensure_ascii=False,
/// separators=(",", ":"))` writes it, so the data script can be compared with the reference
/// generator's byte for byte. Written by hand because JSONEncoder neither keeps key order nor
/// leaves `/` alone, and at 50,000 people the script is a few megabytes of strings. Without
/// `escapingLineSeparators`, strings are escaped exactly as `JSONEncoder` escapes them.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    private let escapesLineSeparators: Bool

    init(capacity: Int = 0, escapingLineSeparators: Bool = true) {
        bytes.reserveCapacity(capacity)
        escapesLineSeparators = escapingLineSeparators
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A string literal. U+2028 and U+2029 are escaped too, unless told not to: JSON allows them
    /// raw, JavaScript before ES2019 does not.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": raw("\\\"")
            case "\\": raw("\\\\")
            case "\n": raw("\\n")
            case "\r": raw("\\r")
            case "\t": raw("\\t")
            case "\u{08}": raw("\\b")
            case "\u{0C}": raw("\\f")
            case "\u{2028}" where escapesLineSeparators: raw("\\u2028")
            case "\u{2029}" where escapesLineSeparators: raw("\\u2029")
            case _ where scalar.value < 0x20:
                raw("\\u00")
                bytes.append(Self.hexDigits[Int(scalar.value >> 4)])
                bytes.append(Self.hexDigits[Int(scalar.value & 0xF)])
            case _ where scalar.isASCII:
                bytes.append(UInt8(scalar.value))
            default:
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `[a,b,c]`, each element written by `element`.
    mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONText, S.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
