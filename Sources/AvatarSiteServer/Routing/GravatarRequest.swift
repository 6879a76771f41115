import AvatarSiteContract

/// What `/avatar/{hash}?s=…&d=…` asks for, read as nginx-http.conf's maps read it, so that a
/// Gravatar or Libravatar client gets the same answer from `serve` as from nginx.
public struct GravatarRequest: Equatable, Sendable {
    /// Gravatar's size when none is asked for, or when what is asked is not a positive number.
    public static let defaultSize = GravatarRule.defaultSize

    /// The hash, lower-cased: md5 (32 hex digits) or sha256 (64) of the trimmed, lower-cased mail.
    public var hash: String
    /// The side asked for, in pixels.
    public var size: Int
    /// `d=404` (or `default=404`): an unknown hash answers 404 rather than a silhouette.
    public var notFoundWhenUnknown: Bool

    public init(hash: String, size: Int = Self.defaultSize, notFoundWhenUnknown: Bool = false) {
        self.hash = hash
        self.size = size
        self.notFoundWhenUnknown = notFoundWhenUnknown
    }

    /// Reads the last segment of `/avatar/…` (`{hash}`, `{hash}.jpg`, `.jpeg` or `.png`, the
    /// suffix case-sensitive as in nginx) and the query; nil when the segment is no hash.
    public init?(segment: String, query: QueryArguments) {
        var hash = Substring(segment)
        for suffix in GravatarRule.extensions.map({ "." + $0 }) where hash.utf8.count > suffix.utf8.count && hash.utf8.reversed().starts(with: suffix.utf8.reversed()) {
            hash = hash.dropLast(suffix.count)
            break
        }
        guard GravatarRule.isHash(hash) else { return nil }
        self.init(hash: hash.lowercased(), size: Self.size(s: query["s"], size: query["size"]),
                  notFoundWhenUnknown: Self.notFoundWhenUnknown(d: query["d"], default: query["default"]))
    }

    /// `s=` (Gravatar) when it is a positive number, else `size=` (Libravatar), else 80.
    ///
    /// nginx matches `"$arg_s:$arg_size"` against `^0*([1-9][0-9]{0,8}):` and then
    /// `:0*([1-9][0-9]{0,8})$`: the text before the first colon, then after the last, must be
    /// a number of at most nine significant digits.
    static func size(s: Substring, size: Substring) -> Int {
        let joined = Array("\(s):\(size)".utf8)
        let beforeFirstColon = joined.prefix { $0 != colon }
        let afterLastColon = joined.reversed().prefix { $0 != colon }.reversed()
        return positiveNumber(beforeFirstColon) ?? positiveNumber(Array(afterLastColon)) ?? defaultSize
    }

    /// nginx matches `"$arg_d:$arg_default"` against `^404:` and `^:404$`: `d` decides when given.
    static func notFoundWhenUnknown(d: Substring, default fallback: Substring) -> Bool {
        let joined = Array("\(d):\(fallback)".utf8)
        return joined.starts(with: "404:".utf8) || joined.elementsEqual(":404".utf8)
    }

    private static let colon = UInt8(ascii: ":")

    /// `0*[1-9][0-9]{0,8}`, the leading zeros dropped.
    private static func positiveNumber<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard !bytes.isEmpty, bytes.allSatisfy(digits.contains) else { return nil }
        let significant = bytes.drop { $0 == UInt8(ascii: "0") }
        guard !significant.isEmpty, significant.count <= 9 else { return nil }
        return significant.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
