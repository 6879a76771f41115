import Foundation

/// `hosting:` — what the generated host configs (`output/hosting/`) say about where the site is
/// served from and how it may be cached.
public struct HostingConfiguration: Sendable, Equatable {
    /// The folder the web server reads the site from, as the configs name it; nil: the output
    /// folder's absolute path on this machine. Set it when the site is served from elsewhere
    /// (a container's `/srv/avatars`).
    public var root: String?
    /// Graph's version prefixes the configs also answer under (`/v1.0/users/{id}/photo`).
    public var prefixes = ["/v1.0", "/beta"]
    /// `Cache-Control` of photos and their metadata: they change in place, under the same URL,
    /// so they are revalidated, never `immutable`.
    public var cacheControl = "public, max-age=3600, stale-while-revalidate=86400"
    /// Gravatar's and Libravatar's `/avatar/{hash}` paths.
    public var gravatar = true

    public init() {}

    /// Where the root is written: quoted in nginx.conf, in the include lines of the maps, and
    /// in the configs' comments.
    static let rootDestinations: [GeneratedFileValue.Destination] = [.nginxQuoted, .nginxIncludePath, .line]
    /// Where `cache_control` is written: nginx.conf, `_headers`, and the sync scripts.
    static let cacheControlDestinations: [GeneratedFileValue.Destination] = [.nginxQuoted, .shellSingleQuoted, .line]

    /// Why `path` cannot be the root the configs name, or nil when it can.
    public static func problem(withRoot path: String) -> String? {
        if !path.hasPrefix("/") { return "must be an absolute path" }
        if let problem = GeneratedFileValue.problem(with: path, in: rootDestinations) {
            return "\(problem); serve the site from a folder without it"
        }
        return nil
    }

    /// The longest `max-age` a photo may be cached for before it is revalidated: a changed photo
    /// shows within a day.
    static let longestMaxAge = 86_400

    static func problem(withCacheControl value: String) -> String? {
        if value.isEmpty { return "must not be empty" }
        if let problem = GeneratedFileValue.problem(with: value, in: cacheControlDestinations) { return problem }
        let directives = value.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if directives.contains("immutable") { return "photos change under the same URL: they must never be immutable" }
        for directive in directives where directive.hasPrefix("max-age=") {
            guard let seconds = Int(directive.dropFirst("max-age=".count)), seconds <= longestMaxAge else {
                return "max-age must be a number of seconds up to \(longestMaxAge) (a day), so a new photo shows the next day"
            }
        }
        return nil
    }

    static func problem(withPrefix prefix: String) -> String? {
        let bytes = prefix.utf8
        let allowed = bytes.dropFirst().allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"):
                true
            default:
                false
            }
        }
        guard bytes.first == UInt8(ascii: "/"), bytes.count > 1, bytes.last != UInt8(ascii: "/"), allowed, !prefix.contains("//") else {
            return "\(prefix.debugDescription) is not a path prefix like /v1.0 (letters, digits, . _ - and /, no trailing /)"
        }
        return nil
    }
}

extension HostingConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case root
        case prefixes = "prefix"
        case cacheControl = "cache_control"
        case gravatar
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if var root = try container.decodeIfPresent(String.self, forKey: .root) {
            while root.count > 1, root.hasSuffix("/") { root.removeLast() }
            if let problem = Self.problem(withRoot: root) { try container.require(false, .root, problem) }
            self.root = root
        }
        // One prefix may be written alone: `prefix: /v1.0`.
        if let single = try? container.decodeIfPresent(String.self, forKey: .prefixes) {
            prefixes = [single]
        } else {
            prefixes = try container.decode(.prefixes, default: prefixes)
        }
        for prefix in prefixes {
            if let problem = Self.problem(withPrefix: prefix) { try container.require(false, .prefixes, problem) }
        }
        try container.require(Set(prefixes).count == prefixes.count, .prefixes, "a prefix is listed twice")
        cacheControl = try container.decode(.cacheControl, default: cacheControl)
        if let problem = Self.problem(withCacheControl: cacheControl) { try container.require(false, .cacheControl, problem) }
        gravatar = try container.decode(.gravatar, default: gravatar)
    }
}
