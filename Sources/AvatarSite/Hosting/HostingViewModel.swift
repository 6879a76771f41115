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

    public init(root: String, sizes: [PhotoSize], hosting: HostingConfiguration, aliases: Bool, version: String) {
        self.root = root
        prefixes = hosting.prefixes
        cacheControl = hosting.cacheControl
        gravatar = hosting.gravatar
        self.aliases = aliases
        self.version = version
        self.sizes = GravatarRule.ranges(for: sizes.map(\.side)).map { side, range in
            let size = PhotoSize(side: side)
            return Size(name: size.description, id: size.profilePhotoID, side: side, gravatarRange: range)
        }
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
            "id_regex": UserID.pattern,
            "graph_shape_regex": GraphPhotoShape.nginxAlternation,
            "graph_shape_map": GraphPhotoShape.all.map(\.nginxMapEntry),
            "user_file_regex": UserFileName.pattern,
            "gravatar_hash_regex": GravatarRule.hashPattern,
            "gravatar_extension_regex": GravatarRule.extensions.joined(separator: "|"),
            "gravatar_default_s": GravatarRule.defaultSize,
            "redirect_rules": PagesRedirects.rules(prefixes: prefixes, sizes: sizes.map { PhotoSize(side: $0.side) }),
        ].merging(GraphPhotoShape.bucketContext) { own, _ in own }
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
