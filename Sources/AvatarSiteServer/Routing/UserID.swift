/// The ids the site's folders are named by, as hosting/nginx.conf matches them:
/// `[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}`. Never `.` or `..`, never a slash: an id is always one
/// folder below `users/`.
public enum UserID {
    public static let maximumLength = 128

    public static func isValid<Text: StringProtocol>(_ text: Text) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, isWordByte(first), bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") }
    }

    /// `[A-Za-z0-9_-]`.
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

extension StringProtocol {
    /// Byte for byte, as nginx compares; `==` would also take canonically equivalent text
    /// (the Kelvin sign for a `K`) as equal.
    func isExactly(_ literal: String) -> Bool {
        utf8.elementsEqual(literal.utf8)
    }

    /// Only ASCII digits, at least one.
    var isDigits: Bool {
        !isEmpty && utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Only ASCII hexadecimal digits, either case.
    var isHexadecimal: Bool {
        utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                true
            default:
                false
            }
        }
    }
}
