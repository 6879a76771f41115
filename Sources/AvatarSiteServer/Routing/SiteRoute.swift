public import HTTPTypes
import AvatarSiteContract

/// What a request asks for, decided from its method, path and query alone: the locations of
/// hosting/nginx.conf, tried in nginx's order. Which user an alias or hash names, and which
/// files exist, are decided later, by `RouteTarget` and the folder.
public enum SiteRoute: Equatable, Sendable {
    /// One of Graph's photo URLs: `user` as written (an alias or an id, percent-decoded), `file`
    /// the file of the user's folder that answers it.
    case graphPhoto(user: String, file: String)
    /// A browser asking before it sends Graph's URL with an Authorization header.
    case graphPreflight
    /// A data file by its own path (`users.json`, `users/{id}/photos/48x48.jpg`), relative to the root.
    case dataFile(String)
    /// The directory page, `/` or `/index.html`.
    case page
    /// The page's scripts, styles and fonts: `assets/…`, `directory.{hash}.js`.
    case asset(String)
    /// Gravatar's and Libravatar's `/avatar/{hash}`.
    case gravatar(GravatarRequest)
    /// Everything else: listings, the build's own files, unknown paths.
    case notFound
    /// A path nginx refuses to read: a broken escape, an escaped NUL, `..` above the root.
    case badRequest

    /// - Parameters:
    ///   - target: the request target as sent, `/v1.0/users/a%40b/photo/$value?x=1`.
    ///   - prefixes: the Graph version prefixes answered besides the bare root (`/v1.0`, `/beta`).
    public init(method: HTTPRequest.Method, target: String, prefixes: [String]) {
        let (rawPath, query) = Self.split(target)
        let path: RequestPath
        do {
            path = try RequestPath(normalizing: rawPath)
        } catch .invalid {
            self = .badRequest
            return
        } catch {
            self = .notFound
            return
        }
        if let file = Self.graphFile(path, prefixes: prefixes) {
            self = method == .options ? .graphPreflight : .graphPhoto(user: file.user, file: file.name)
        } else {
            self = Self.plainRoute(path, query: QueryArguments(query))
        }
    }

    /// Path and query of an origin-form target; an absolute-form one (`http://host/path`, as
    /// sent to proxies) loses its scheme and host first.
    static func split(_ target: String) -> (path: Substring, query: Substring?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let afterScheme = rest[colon...].dropFirst(3)
            rest = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? "/"
        }
        guard let mark = rest.firstIndex(of: "?") else { return (rest, nil) }
        return (rest[..<mark], rest[rest.index(after: mark)...])
    }

    /// `[{prefix}]/users/{user}/{shape}`: the user segment and the file its shape names.
    static func graphFile(_ path: RequestPath, prefixes: [String]) -> (user: String, name: String)? {
        guard !path.endsWithSlash else { return nil }
        for prefix in [[]] + prefixes.map(segments(of:)) {
            let rest = path.segments.dropFirst(prefix.count)
            guard path.segments.starts(with: prefix, by: { $0.isExactly($1) }), rest.count >= 3,
                  rest[rest.startIndex].isExactly("users")
            else { continue }
            let user = rest[rest.startIndex + 1]
            if let name = GraphPhotoShape.file(for: rest.dropFirst(2)) { return (user, name) }
        }
        return nil
    }

    private static func segments(of prefix: String) -> [String] {
        prefix.split(separator: "/").map(String.init)
    }

    /// The other locations, by the path's first segment.
    private static func plainRoute(_ path: RequestPath, query: QueryArguments) -> SiteRoute {
        let segments = path.segments
        guard let first = segments.first else { return .page }
        if first.isExactly("assets") {
            // `assets/.+`: any file below (PCRE's `.` stops at a line feed); a folder has nothing to serve.
            guard segments.count >= 2, !path.endsWithSlash, !segments.contains(where: { $0.utf8.contains(0x0A) }) else {
                return .notFound
            }
            return .asset(path.relative)
        }
        guard !path.endsWithSlash else { return .notFound }
        switch segments.count {
        case 1 where first.isExactly("users.json"):
            return .dataFile("users.json")
        case 1 where first.isExactly("index.html"):
            return .page
        case 1 where isDirectoryScript(first):
            return .asset(first)
        case 2 where first.isExactly("avatar"):
            return GravatarRequest(segment: segments[1], query: query).map(SiteRoute.gravatar) ?? .notFound
        case 3...4 where first.isExactly("users") && UserID.isValid(segments[1]) && UserFileName.isValid(segments[2...]):
            return .dataFile(path.relative)
        default:
            return .notFound
        }
    }

    /// `directory.{hash}.js` (`[A-Za-z0-9_-]+`), the page's script named by its content's hash.
    private static func isDirectoryScript(_ name: String) -> Bool {
        let bytes = name.utf8
        guard bytes.starts(with: "directory.".utf8), bytes.reversed().starts(with: ".js".utf8.reversed()) else { return false }
        let hash = bytes.dropFirst("directory.".utf8.count).dropLast(".js".utf8.count)
        return !hash.isEmpty && hash.allSatisfy { UserID.isWordByte($0) }
    }
}
