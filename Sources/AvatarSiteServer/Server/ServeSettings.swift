public import AvatarSite
public import Foundation

/// What `serve` needs to know about the site: where its folder is, and the two hosting choices
/// that nginx.conf was rendered with.
public struct ServeSettings: Sendable {
    /// The defaults of `hosting.prefix`: Graph's two versions, besides the bare root.
    public static let defaultPrefixes = ["/v1.0", "/beta"]
    /// The default of `hosting.cache_control`: revalidated after an hour, a stale copy shown
    /// for a day while it is, since a photo changes in place under the same URL.
    public static let defaultCacheControl = "public, max-age=3600, stale-while-revalidate=86400"

    /// The built folder.
    public var root: URL
    /// The Graph version prefixes answered besides the bare root (`hosting.prefix`).
    public var prefixes: [String]
    /// `Cache-Control` of the site's data (`hosting.cache_control`).
    public var cacheControl: String

    public init(root: URL, prefixes: [String] = Self.defaultPrefixes, cacheControl: String = Self.defaultCacheControl) {
        self.root = root
        self.prefixes = prefixes
        self.cacheControl = cacheControl
    }

    /// The folder of site.yml's `output.dir`, with its hosting settings.
    public init(_ loaded: ConfigurationLoader.Loaded) {
        let hosting = Self.hostingSettings(of: loaded.configuration)
        self.init(root: loaded.outputDirectory, prefixes: hosting.prefixes, cacheControl: hosting.cacheControl)
    }

    /// `hosting.prefix` and `hosting.cache_control` of site.yml, the values nginx.conf is rendered
    /// with. Until `SiteConfiguration` reads a `hosting:` section these are the defaults; when it
    /// does, this is the one place to take them from it.
    static func hostingSettings(of configuration: SiteConfiguration) -> (prefixes: [String], cacheControl: String) {
        (defaultPrefixes, defaultCacheControl)
    }
}
