/// The headers of each location of hosting/nginx.conf, which `serve` sends the same way.
public enum ResponseProfile: Equatable, Sendable {
    /// Graph's photo URLs: data headers plus what a browser's preflight needs.
    case graph
    /// users.json and the user's files by their own paths.
    case data
    /// The directory page: revalidated on every visit.
    case page
    /// Scripts, styles and fonts named by their content's hash: kept for a year.
    case asset
    /// `/avatar/{hash}`: always a JPEG, whatever suffix was asked for.
    case avatar

    /// A miss is cached briefly: a new user appears with the next build.
    public static let notFoundCacheControl = "public, max-age=300"
    public static let notFoundBody = #"{"error":{"code":"ImageNotFound","message":"The photo wasn't found."}}"#

    /// The headers besides the validators and the length.
    /// - Parameter cacheControl: `hosting.cache_control`, for the site's data.
    public func headers(cacheControl: String) -> [(name: String, value: String)] {
        switch self {
        case .graph:
            [("Cache-Control", cacheControl), ("Access-Control-Allow-Origin", "*"),
             // Graph's SDKs in a browser send Authorization, which `*` does not cover.
             ("Access-Control-Allow-Headers", "Authorization, *"), ("Access-Control-Max-Age", "86400"),
             ("X-Content-Type-Options", "nosniff")]
        case .data, .avatar:
            [("Cache-Control", cacheControl), ("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff")]
        case .page:
            [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        case .asset:
            [("Cache-Control", "public, max-age=31536000, immutable"), ("X-Content-Type-Options", "nosniff")]
        }
    }

    /// The headers of Graph's `ImageNotFound` 404, on every location.
    public static let notFoundHeaders: [(name: String, value: String)] = [
        ("Content-Type", "application/json"), ("Cache-Control", notFoundCacheControl),
        ("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff"),
    ]

    /// The media type of `file` in this location, by its extension as nginx's `types` blocks map them.
    public func contentType(of file: String) -> String {
        let fileExtension = file.split(separator: "/").last.flatMap { name in
            name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() }
        } ?? ""
        switch self {
        case .avatar:
            return "image/jpeg"
        case .page:
            return "text/html; charset=utf-8"
        case .graph, .data:
            return Self.dataTypes[fileExtension] ?? "application/octet-stream"
        case .asset:
            return Self.assetTypes[fileExtension] ?? "application/octet-stream"
        }
    }

    private static let dataTypes = ["json": "application/json", "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"]

    private static let assetTypes = [
        "css": "text/css; charset=utf-8", "js": "application/javascript; charset=utf-8", "json": "application/json",
        // Every type a page.logo may be.
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "woff2": "font/woff2",
    ]
}
