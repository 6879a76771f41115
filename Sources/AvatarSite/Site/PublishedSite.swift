import Foundation
public import AvatarSiteContract

/// What the site holds from the last published build, read once before a build changes
/// anything: the published index (`users.json`), the state file (each user's photo ETag and
/// file digest), and whether a user's published files are still those the state describes.
public struct PublishedSite: Sendable {
    public let layout: SiteLayout
    /// Whether each published user shows a placeholder, by id: all a build needs of `users.json`.
    public let publishedPlaceholders: [String: Bool]
    /// The state file of the last publish.
    public let state: StateFile

    public static func read(_ layout: SiteLayout) throws(SiteError) -> PublishedSite {
        PublishedSite(layout: layout, publishedPlaceholders: try readIndex(layout), state: StateFile.read(layout))
    }

    init(layout: SiteLayout, publishedPlaceholders: [String: Bool], state: StateFile) {
        self.layout = layout
        self.publishedPlaceholders = publishedPlaceholders
        self.state = state
    }

    /// Users in the published index.
    public var publishedCount: Int { publishedPlaceholders.count }

    /// What the site holds for `id`, as the per-user plan reads it. `full` disregards the
    /// state, so everyone is made again; what is published can still be kept through a failure.
    func published(_ id: String, full: Bool, sizes: [PhotoSize]) -> PublishedUser {
        guard let placeholder = publishedPlaceholders[id] else { return .none }
        let record = state.users[id]
        // photos.json holds the hash of every image: its digest stands for the whole folder.
        let collection = try? Data(contentsOf: layout.userFolder(id).appendingPathComponent("photos.json"))
        let intact = collection.map { MediaETag.hexDigest($0) } == record?.filesDigest && record != nil
        let keepable = collection.map { Self.lists($0, exactly: sizes) } ?? false && (record == nil || intact)
        return PublishedUser(placeholder: placeholder, record: full ? nil : record, filesIntact: intact && !full,
                             filesKeepable: keepable)
    }

    /// Whether a published `photos.json` lists exactly the configured sizes: kept files must
    /// still give every size a consumer may ask for.
    static func lists(_ collection: Data, exactly sizes: [PhotoSize]) -> Bool {
        guard let document = try? JSONDecoder().decode(PhotoCollectionDocument.self, from: collection) else { return false }
        return document.value.map(\.id) == sizes.map(\.profilePhotoID)
    }

    /// The state file as an artifact of the publish.
    static func artifact(_ state: StateFile, layout: SiteLayout) throws(SiteError) -> SiteArtifact {
        SiteArtifact(layout.stateFile, try state.encoded())
    }

    private struct Index: Decodable {
        struct Entry: Decodable {
            var id: String
            var placeholder: Bool
        }
        var value: [Entry]
    }

    private static func readIndex(_ layout: SiteLayout) throws(SiteError) -> [String: Bool] {
        guard FileManager.default.fileExists(atPath: layout.usersIndex.path) else { return [:] }
        do {
            let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: layout.usersIndex))
            return Dictionary(index.value.map { ($0.id, $0.placeholder) }) { first, _ in first }
        } catch {
            // users.json is only ever replaced whole, so this is not a half-written file: refuse
            // to guess, rather than treat every user as new and every old one as departed.
            throw SiteError(path: layout.usersIndex.path,
                            reason: "the published index cannot be read (\(error.localizedDescription)); move it away to start afresh")
        }
    }
}

/// What the site holds for one user before the build, as the per-user plan sees it.
public struct PublishedUser: Sendable, Equatable {
    /// Whether the published index lists the user with a placeholder (nil: not published).
    public var placeholder: Bool?
    /// The state's record of the user's files, when they are published and the build is not `--full`.
    public var record: StateFile.UserRecord?
    /// Whether the published files are still those the record describes.
    public var filesIntact: Bool
    /// Whether the published files may stand through a failure: whole (as far as the state
    /// knows) and giving every configured size.
    public var filesKeepable: Bool

    public init(placeholder: Bool?, record: StateFile.UserRecord?, filesIntact: Bool, filesKeepable: Bool) {
        self.placeholder = placeholder
        self.record = record
        self.filesIntact = filesIntact
        self.filesKeepable = filesKeepable
    }

    public static let none = PublishedUser(placeholder: nil, record: nil, filesIntact: false, filesKeepable: false)
}
