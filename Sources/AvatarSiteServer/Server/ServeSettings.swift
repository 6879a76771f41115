import AvatarSite
public import Foundation
public import AvatarSiteContract

/// What `serve` needs to know about the site: where its folder is, and the two hosting choices
/// that nginx.conf was rendered with.
public struct ServeSettings: Sendable {
    /// The defaults of `hosting.prefix` and `hosting.cache_control`, as nginx.conf gets them.
    public static let defaultPrefixes = HostingConfiguration().prefixes
    public static let defaultCacheControl = HostingConfiguration().cacheControl

    /// The built folder.
    public var root: URL
    /// The Graph version prefixes answered besides the bare root (`hosting.prefix`).
    public var prefixes: [String]
    /// `Cache-Control` of the site's data (`hosting.cache_control`).
    public var cacheControl: String
    /// Timeouts and the connection cap.
    public var limits: ServeLimits

    public init(root: URL, prefixes: [String] = Self.defaultPrefixes, cacheControl: String = Self.defaultCacheControl,
                limits: ServeLimits = ServeLimits()) {
        self.root = root
        self.prefixes = prefixes
        self.cacheControl = cacheControl
        self.limits = limits
    }

    /// The folder of site.yml's `output.dir`, with the hosting settings nginx.conf is rendered with.
    public init(_ loaded: ConfigurationLoader.Loaded, limits: ServeLimits = ServeLimits()) {
        let hosting = loaded.configuration.hosting
        self.init(root: loaded.outputDirectory, prefixes: hosting.prefixes, cacheControl: hosting.cacheControl, limits: limits)
    }
}
