public import AvatarSiteServer
public import Foundation

/// What the `serve` suites share: a small site written to a folder, and a responder reading it.
public enum ServeFixtures {
    /// A small site: one user with a photo and two sizes, an alias, a Gravatar hash, a silhouette.
    public static func writeSite(in root: URL) throws {
        let files: [String: String] = [
            "users.json": #"{"sizes":["48x48","96x96"],"value":[{"id":"user-1","mail":"Alice@Contoso.com"}]}"#,
            "users/user-1/photo.jpg": "photo-bytes",
            "users/user-1/photo.json": #"{"id":"96X96"}"#,
            "users/user-1/photos/48x48.jpg": "small-bytes",
            "users/user-1/photos/96x96.jpg": "large-bytes",
            "hosting/aliases.map": "\"alice@contoso.com\" user-1;\n",
            "hosting/avatars.map": "0123456789abcdef0123456789abcdef user-1;\n",
            "hosting/default-avatar/48x48.jpg": "silhouette-48",
            "hosting/default-avatar/96x96.jpg": "silhouette-96",
            "build-report.json": "{}",
            "index.html": "<!doctype html>",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    public static func responder(_ root: URL) -> SiteResponder {
        SiteResponder(settings: ServeSettings(root: root), logger: SiteBuildFixture.logger)
    }
}
