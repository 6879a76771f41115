/// A request's query as nginx's `$arg_NAME` reads it: the first argument of that name (compared
/// ignoring ASCII case), its value exactly as sent, still percent-encoded; absent and empty are
/// the same.
public struct QueryArguments: Sendable {
    private let pairs: [(name: Substring, value: Substring)]

    public init(_ query: Substring?) {
        pairs = (query ?? "").split(separator: "&").compactMap { part in
            guard let equals = part.firstIndex(of: "=") else { return nil }
            return (part[..<equals], part[part.index(after: equals)...])
        }
    }

    /// The value of the first argument called `name`, or "" when there is none.
    public subscript(name: String) -> Substring {
        pairs.first { $0.name.utf8.elementsEqual(name.utf8, by: Self.sameIgnoringASCIICase) }?.value ?? ""
    }

    private static func sameIgnoringASCIICase(_ left: UInt8, _ right: UInt8) -> Bool {
        lowered(left) == lowered(right)
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
