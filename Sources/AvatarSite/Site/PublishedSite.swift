import Foundation

/// What the last committed build published: its `users.json`, read before a build changes anything.
public struct PublishedSite: Sendable {
    /// The users of the published `users.json`, by id.
    public let entries: [String: UserEntry]

    public static let empty = PublishedSite(entries: [:])

    init(entries: [String: UserEntry]) {
        self.entries = entries
    }

    /// Reads the published index; a site that was never built is empty.
    public static func read(_ layout: SiteLayout) throws(SiteError) -> PublishedSite {
        guard FileManager.default.fileExists(atPath: layout.usersIndex.path) else { return .empty }
        do {
            let document = try JSONDecoder().decode(UsersDocument.self, from: Data(contentsOf: layout.usersIndex))
            return PublishedSite(entries: Dictionary(document.value.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        } catch {
            // users.json is only ever replaced whole, so this is not a half-written file: refuse
            // to guess, rather than treat every user as new and every old one as departed.
            throw SiteError(path: layout.usersIndex.path,
                            reason: "the published index cannot be read (\(error.localizedDescription)); move it away to start afresh")
        }
    }
}
