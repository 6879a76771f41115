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

    /// Characters that would end or escape a quoted value in nginx or a shell script.
    static let unsafeCharacters: Set<Character> = ["\"", "'", "\\", "$", "\n", "\r", "\0", ";", "{", "}"]

    /// Why `path` cannot be the root the configs name, or nil when it can.
    public static func problem(withRoot path: String) -> String? {
        if !path.hasPrefix("/") { return "must be an absolute path" }
        if let bad = path.first(where: unsafeCharacters.contains) {
            return "contains \(bad.debugDescription), which the configs cannot quote; serve the site from a folder without it"
        }
        return nil
    }

    /// The longest `max-age` a photo may be cached for before it is revalidated: a changed photo
    /// shows within a day.
    static let longestMaxAge = 86_400

    static func problem(withCacheControl value: String) -> String? {
        if value.isEmpty { return "must not be empty" }
        if value.contains(where: unsafeCharacters.contains) { return "must not contain quotes, backslashes, $, ; or braces" }
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
        let allowed = prefix.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-/".contains($0)) }
        guard prefix.hasPrefix("/"), prefix.count > 1, !prefix.hasSuffix("/"), allowed, !prefix.contains("//") else {
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
