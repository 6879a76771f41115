public import AvatarSiteContract

/// What `templates/hosting/*` are rendered with: the site's folder, Graph's prefixes, the sizes
/// with the range of Gravatar's `s=` each answers, the cache policy, and which lookups exist.
public struct HostingViewModel: Sendable {
    public struct Size: Sendable, Equatable {
        /// `48x48`: the file name.
        public var name: String
        /// `48X48`: Graph's id of the size.
        public var id: String
        public var side: Int
        /// The `s=` this size answers: from just above the next smaller size up to its side; the
        /// largest also answers everything above, up to Gravatar's own limit.
        public var gravatarRange: ClosedRange<Int>
    }

    /// The folder the web server reads the site from.
    public var root: String
    public var prefixes: [String]
    public var sizes: [Size]
    public var cacheControl: String
    public var aliases: Bool
    public var gravatar: Bool
    public var version: String

    /// Gravatar answers up to 2048 px, so anything up to that is worth a size; the largest
    /// generated size answers everything above it.
    public static let largestGravatarSize = 2048
    /// What Gravatar answers when `s=` is missing or not a number.
    public static let defaultGravatarSize = 80

    public init(root: String, sizes: [PhotoSize], hosting: HostingConfiguration, aliases: Bool, version: String) {
        self.root = root
        prefixes = hosting.prefixes
        cacheControl = hosting.cacheControl
        gravatar = hosting.gravatar
        self.aliases = aliases
        self.version = version
        let sides = Set(sizes.map(\.side)).sorted()
        var low = 1
        self.sizes = sides.enumerated().map { index, side in
            let high = index == sides.count - 1 ? max(side, Self.largestGravatarSize) : side
            defer { low = side + 1 }
            return Size(name: "\(side)x\(side)", id: "\(side)X\(side)", side: side, gravatarRange: low...high)
        }
    }

    /// The side that answers Gravatar's `s=`: the smallest at or above it, else the largest.
    public static func gravatarSide(for requested: Int, among sides: [Int]) -> Int? {
        sides.sorted().first { $0 >= requested } ?? sides.max()
    }

    /// The values by the names the templates use.
    public var context: [String: Any] {
        [
            "root": root,
            "prefixes": prefixes.map { ["path": $0, "bare": false] as [String: Any] } + [["path": "", "bare": true]],
            "prefix_regex": prefixes.isEmpty ? "" : "(?:" + prefixes.map(Self.regexEscaped).joined(separator: "|") + ")?",
            "sizes": sizes.enumerated().map { index, size -> [String: Any] in
                [
                    "name": size.name, "id": size.id, "side": size.side,
                    "min_s": size.gravatarRange.lowerBound, "max_s": size.gravatarRange.upperBound,
                    "last": index == sizes.count - 1, "s_regex": IntegerRangePattern.pattern(size.gravatarRange),
                ]
            },
            "largest": sizes.last?.name ?? "",
            "cache_control": cacheControl,
            "aliases": aliases,
            "gravatar": gravatar,
            "version": version,
        ]
    }

    /// A prefix as a literal inside a regular expression (`/v1\.0`).
    static func regexEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\.^$|?*+()[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
