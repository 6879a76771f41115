/// A request's path as nginx reads it before it picks a location (its `$uri`): percent-escapes
/// decoded once, `.` and `..` segments resolved, repeated slashes merged.
///
/// Routes match this form, never the raw one, so that `%2e%2e`, `..%2f` and `//` mean here what
/// they mean to nginx: a decoded `/` separates segments, a decoded `%` does not start another
/// escape (`%252e` stays `%2e`), and a path that climbs above the root is a bad request.
public struct RequestPath: Equatable, Sendable {
    /// The segments between slashes, none of them empty, `.` or `..`.
    public let segments: [String]
    /// Whether the path ends with a slash (a folder's URL).
    public let endsWithSlash: Bool

    public enum Problem: Error, Equatable {
        /// nginx answers 400: a broken escape, an escaped NUL, or `..` above the root.
        case invalid
        /// The decoded bytes are not UTF-8; no file or alias of the site can have such a name.
        case notUTF8
    }

    public init(segments: [String], endsWithSlash: Bool = false) {
        self.segments = segments
        self.endsWithSlash = endsWithSlash && !segments.isEmpty
    }

    /// Reads the path part of a request target (`/users/a%40b/photo`, without the query).
    public init(normalizing raw: Substring) throws(Problem) {
        guard raw.utf8.first == UInt8(ascii: "/") else { throw .invalid }
        let decoded = try Self.percentDecoded(raw.utf8)
        var segments = [String]()
        var endsWithSlash = false
        for segment in decoded.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            // A segment that names no file leaves the path ending in a slash, as in nginx:
            // `/users/` and `/users/x/..` are both the folder `/users/`.
            endsWithSlash = segment.isEmpty || segment.elementsEqual([0x2E]) || segment.elementsEqual([0x2E, 0x2E])
            if segment.isEmpty || segment.elementsEqual([0x2E]) { continue }
            if segment.elementsEqual([0x2E, 0x2E]) {
                guard segments.popLast() != nil else { throw .invalid }
                continue
            }
            guard let text = String(validating: segment, as: UTF8.self) else { throw .notUTF8 }
            segments.append(text)
        }
        self.init(segments: segments, endsWithSlash: endsWithSlash)
    }

    /// `/a/b` or `/a/b/`.
    public var text: String {
        "/" + relative + (endsWithSlash ? "/" : "")
    }

    /// `a/b`: the path from the site's root, as a file would lie below it.
    public var relative: String {
        segments.joined(separator: "/")
    }

    private static func percentDecoded(_ raw: Substring.UTF8View) throws(Problem) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(raw.count)
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalid
            }
            let decoded = high << 4 | low
            // A NUL would end the path early in the C library calls that open files.
            guard decoded != 0 else { throw .invalid }
            bytes.append(decoded)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
