import Foundation

/// What the last committed build published, read from its `users.json` before a build changes
/// anything: each user's id and whether they show a placeholder (all a build needs of it).
public struct PublishedSite: Sendable {
    /// Whether each published user shows a placeholder, by id.
    public let placeholders: [String: Bool]

    public static let empty = PublishedSite(placeholders: [:])

    init(placeholders: [String: Bool]) {
        self.placeholders = placeholders
    }

    public var count: Int { placeholders.count }

    public func contains(_ id: String) -> Bool {
        placeholders[id] != nil
    }

    private struct Index: Decodable {
        struct Entry: Decodable {
            var id: String
            var placeholder: Bool
        }
        var value: [Entry]
    }

    /// Reads the published index; a site that was never built is empty.
    public static func read(_ layout: SiteLayout) throws(SiteError) -> PublishedSite {
        guard FileManager.default.fileExists(atPath: layout.usersIndex.path) else { return .empty }
        do {
            let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: layout.usersIndex))
            return PublishedSite(placeholders: Dictionary(index.value.map { ($0.id, $0.placeholder) }) { first, _ in first })
        } catch {
            // users.json is only ever replaced whole, so this is not a half-written file: refuse
            // to guess, rather than treat every user as new and every old one as departed.
            throw SiteError(path: layout.usersIndex.path,
                            reason: "the published index cannot be read (\(error.localizedDescription)); move it away to start afresh")
        }
    }
}
