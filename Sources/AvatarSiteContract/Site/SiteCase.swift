/// One request to a built site and the answer every host must give it: `serve` (checked
/// in-process), nginx with the generated configuration and, for ids, the Pages rules. The
/// table is written with variables a runner binds to a site it knows:
///
///     {prefix}          each Graph prefix, and none
///     {id}              a user with a photo; {upn} and {mail} their aliases
///     {placeholder_id}  a user with an initials placeholder
///     {missing_id}      a valid id no user has
///     {size}, {SIZE}    the smallest size, as a file names it (48x48) and as Graph's id (48X48)
///     {s}               that size's side
///     {md5}, {sha256}   the hashes of {id}'s mail; {unknown_md5} a hash of nobody
public struct SiteCase: Sendable, Equatable, Encodable, CustomStringConvertible {
    public var target: String
    public var status: Int
    /// The file whose bytes answer, relative to the site's root; nil for an answer without one.
    public var file: String?
    public var type: String?
    /// Whether a static host without lookup tables (the Pages rules) answers it the same.
    public var pages: Bool
    /// Whether it needs aliases, or Gravatar, turned on.
    public var needs: String?

    init(_ target: String, _ status: Int, file: String? = nil, type: String? = nil, pages: Bool = false, needs: String? = nil) {
        self.target = target
        self.status = status
        self.file = file
        self.type = type
        self.pages = pages
        self.needs = needs
    }

    public var description: String { "GET \(target) → \(status)" }

    /// Every case, the Graph shapes first, from the contract's own table.
    public static let all: [SiteCase] = graphShapes + nearMisses + plainFiles + gravatar

    static var graphShapes: [SiteCase] {
        GraphPhotoShape.all.flatMap { shape -> [SiteCase] in
            let file = "users/{id}/" + shape.file(size: "{size}")
            var cases = [
                SiteCase("{prefix}/users/{id}/" + shape.path(size: "{size}"), 200, file: file, type: shape.mediaType, pages: true),
                SiteCase("{prefix}/users/{upn}/" + shape.path(size: "{size}"), 200, file: file, type: shape.mediaType, needs: "aliases"),
                SiteCase("{prefix}/users/{mail}/" + shape.path(size: "{size}"), 200, file: file, type: shape.mediaType, needs: "aliases"),
                SiteCase("{prefix}/users/{placeholder_id}/" + shape.path(size: "{size}"), 200,
                         file: "users/{placeholder_id}/" + shape.file(size: "{size}"), type: shape.mediaType, pages: true),
                SiteCase("{prefix}/users/{missing_id}/" + shape.path(size: "{size}"), 404, type: MediaType.json, pages: true),
            ]
            if shape.hasSize {
                cases.append(SiteCase("{prefix}/users/{id}/" + shape.path(size: "{SIZE}"), 200, file: file, type: shape.mediaType, pages: true))
                cases.append(SiteCase("{prefix}/users/{id}/" + shape.path(size: "0{size}"), 404, pages: true))
            }
            return cases
        }
    }

    /// URLs one step away from a shape: none of them is a photo.
    static let nearMisses: [SiteCase] = [
        SiteCase("/users/{id}/Photo", 404),
        SiteCase("/users/{id}/photo/$VALUE", 404),
        SiteCase("/users/{id}/photo/", 404),
        SiteCase("/users/{id}/photos/{size}/$value/x", 404),
        SiteCase("/users/{id}/photos/48x", 404),
        SiteCase("/users/{id}/photos/x48", 404),
        SiteCase("/users/{id}/photos/{size}x", 404),
        SiteCase("/users/.{id}/photo", 404),
    ]

    /// The files by their own paths, and the build's files that are never served.
    static let plainFiles: [SiteCase] = [
        SiteCase("/users.json", 200, file: "users.json", type: MediaType.json),
        SiteCase("/users/{id}/photo.jpg", 200, file: "users/{id}/photo.jpg", type: MediaType.jpeg),
        SiteCase("/users/{id}/photo.json", 200, file: "users/{id}/photo.json", type: MediaType.json),
        SiteCase("/users/{id}/photos.json", 200, file: "users/{id}/photos.json", type: MediaType.json),
        SiteCase("/users/{id}/photos/{size}.jpg", 200, file: "users/{id}/photos/{size}.jpg", type: MediaType.jpeg),
        SiteCase("/users/{id}/photos/{size}.json", 200, file: "users/{id}/photos/{size}.json", type: MediaType.json),
        SiteCase("/users/{id}/photos/{SIZE}.jpg", 404),
        SiteCase("/users/{id}/photos/{size}.gif", 404),
        SiteCase("/users/{id}/", 404),
        SiteCase("/users/", 404),
        SiteCase("/build-report.json", 404),
        SiteCase("/hosting/nginx.conf", 404),
        SiteCase("/hosting/aliases.map", 404),
        SiteCase("/.avatar-site/", 404),
    ]

    static let gravatar: [SiteCase] = [
        SiteCase("/avatar/{md5}?s={s}", 200, file: "users/{id}/photos/{size}.jpg", type: MediaType.jpeg, needs: "gravatar"),
        SiteCase("/avatar/{md5}.png?s={s}", 200, file: "users/{id}/photos/{size}.jpg", type: MediaType.jpeg, needs: "gravatar"),
        SiteCase("/avatar/{sha256}?size={s}", 200, file: "users/{id}/photos/{size}.jpg", type: MediaType.jpeg, needs: "gravatar"),
        SiteCase("/avatar/{unknown_md5}?s={s}", 200, file: "hosting/default-avatar/{size}.jpg", type: MediaType.jpeg, needs: "gravatar"),
        SiteCase("/avatar/{unknown_md5}?s={s}&d=404", 404, needs: "gravatar"),
        SiteCase("/avatar/{md5}.gif?s={s}", 404, needs: "gravatar"),
    ]
}
