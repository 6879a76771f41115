import AvatarSiteContract

/// How a route is answered from the folder: the files to try, in order, and the location whose
/// headers go with them (nginx's `try_files`), or an answer that needs no file.
public enum RouteTarget: Equatable, Sendable {
    /// The first of `candidates` (paths from the root) that is a file answers; none is a 404.
    case file(candidates: [String], profile: ResponseProfile)
    /// 204 with the Graph URLs' CORS headers.
    case preflight
    /// Graph's `ImageNotFound`.
    case notFound
    case badRequest

    /// Decides the answer to `route` given what the build wrote for its hosts.
    public init(_ route: SiteRoute, maps: HostingMaps) {
        switch route {
        case .graphPhoto(let user, let file):
            guard let id = maps.id(forUser: user) else { self = .notFound; return }
            self = .file(candidates: ["users/\(id)/\(file)"], profile: .graph)
        case .graphPreflight:
            self = .preflight
        case .dataFile(let path):
            self = .file(candidates: [path], profile: .data)
        case .page:
            self = .file(candidates: ["index.html"], profile: .page)
        case .asset(let path):
            self = .file(candidates: [path], profile: .asset)
        case .gravatar(let request):
            self = Self.gravatar(request, maps: maps)
        case .notFound:
            self = .notFound
        case .badRequest:
            self = .badRequest
        }
    }

    /// The user's image at the chosen size; else, unless `d=404`, the silhouette at that size.
    /// A placeholder user is a known user: their initials answer even with `d=404`.
    private static func gravatar(_ request: GravatarRequest, maps: HostingMaps) -> RouteTarget {
        guard maps.avatars != nil, let side = GravatarRule.side(answering: request.size, among: maps.sizes.map(\.side)) else { return .notFound }
        let size = PhotoSize(side: side)
        var candidates = [String]()
        if let id = maps.id(forHash: request.hash) {
            candidates.append("users/\(id)/photos/\(size).jpg")
        }
        if !request.notFoundWhenUnknown {
            candidates.append("hosting/default-avatar/\(size).jpg")
        }
        return candidates.isEmpty ? .notFound : .file(candidates: candidates, profile: .avatar)
    }
}

extension SiteRoute {
    /// Whether answering needs `hosting/aliases.map`.
    public var readsAliases: Bool {
        if case .graphPhoto = self { true } else { false }
    }

    /// Whether answering needs `hosting/avatars.map` and the sizes.
    public var readsAvatars: Bool {
        if case .gravatar = self { true } else { false }
    }
}
