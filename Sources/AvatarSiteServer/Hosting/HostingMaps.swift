import AvatarSite
public import AvatarSiteContract

/// What the build wrote for its hosts that `serve` reads to answer: the aliases, the Gravatar
/// hashes and the sizes. Each is nil when the site has none (then nginx.conf has no such
/// location either: no aliases.map, no aliases; no avatars.map, no `/avatar/`).
public struct HostingMaps: Sendable {
    /// `hosting/aliases.map`: lower-cased userPrincipalName or mail → id.
    public var aliases: NginxMap?
    /// `hosting/avatars.map`: md5 and sha256 of the mail → id.
    public var avatars: NginxMap?
    /// `users.json`'s `sizes`, the sizes every user has.
    public var sizes: [PhotoSize]

    public init(aliases: NginxMap? = nil, avatars: NginxMap? = nil, sizes: [PhotoSize] = []) {
        self.aliases = aliases
        self.avatars = avatars
        self.sizes = sizes
    }

    /// The id a Graph URL's user segment names: an alias first (as nginx's map tries exact keys
    /// before its id pattern), else the segment itself when it is an id.
    public func id(forUser user: String) -> String? {
        if let id = aliases?[user], UserID.isValid(id) { return id }
        return UserID.isValid(user) ? user : nil
    }

    /// The id a Gravatar hash names, if the site knows it.
    public func id(forHash hash: String) -> String? {
        avatars?[hash].flatMap { UserID.isValid($0) ? $0 : nil }
    }
}
