import Foundation
import AvatarSiteContract

/// What the last published build knew about each user, so the next one can skip what did not
/// change: `.avatar-site/state.json`, written after every publish.
public struct StateFile: Codable, Sendable, Equatable {
    public struct UserRecord: Codable, Sendable, Equatable {
        /// The source's ETag of the photo the files were made from (Graph's `@odata.mediaEtag`,
        /// EWS's `ETag`); nil for a placeholder.
        public var photoETag: String?
        /// The photo's own size, `648X648`.
        public var sourceSize: String?
        /// The initials a placeholder shows; a rename that changes them draws it again.
        public var initials: String?
        public var placeholder: Bool
        /// A placeholder drawn because the photo failed: the next build tries again.
        public var provisional: Bool
        /// SHA-256 of `photos.json`, which holds the hash of every image written.
        public var filesDigest: String
        /// The fingerprint of the settings the files were made with (`SettingsFingerprints`).
        public var settings: String
        /// A placeholder drawn because the user has no mailbox (counted as such every night).
        public var noMailbox: Bool?

        public init(photoETag: String?, sourceSize: String?, initials: String?, placeholder: Bool, provisional: Bool,
                    filesDigest: String, settings: String, noMailbox: Bool? = nil) {
            self.photoETag = photoETag
            self.sourceSize = sourceSize
            self.initials = initials
            self.placeholder = placeholder
            self.provisional = provisional
            self.filesDigest = filesDigest
            self.settings = settings
            self.noMailbox = noMailbox
        }

        enum CodingKeys: String, CodingKey {
            case photoETag = "photo_etag"
            case sourceSize = "source_size"
            case initials, placeholder, provisional
            case filesDigest = "files_digest"
            case settings
            case noMailbox = "no_mailbox"
        }
    }

    public static let currentVersion = 2

    public var version = StateFile.currentVersion
    public var fingerprints = SettingsFingerprints(photo: "", placeholder: "")
    public var users: [String: UserRecord] = [:]
    /// Folders under `users/` of users who left that the last build could not remove: the next
    /// one removes them without counting them against `output.max_deletions` a second time.
    public var pendingRemoval: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case version, fingerprints, users
        case pendingRemoval = "pending_removal"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        fingerprints = try container.decode(SettingsFingerprints.self, forKey: .fingerprints)
        users = try container.decode([String: UserRecord].self, forKey: .users)
        pendingRemoval = try container.decodeIfPresent([String].self, forKey: .pendingRemoval) ?? []
    }

    init(fingerprints: SettingsFingerprints, users: [String: UserRecord]) {
        self.fingerprints = fingerprints
        self.users = users
    }

    /// The JSON of the state, record by record: encoding 50,000 records as one value would
    /// build the whole document in memory a second time.
    func encoded() throws(SiteError) -> Data {
        var data = Data("{\"fingerprints\":".utf8)
        data.append(try SiteJSON.encode(fingerprints))
        data.append(Data(",\"users\":{".utf8))
        for (position, id) in users.keys.sorted().enumerated() {
            guard let record = users[id] else { continue }
            if position > 0 { data.append(UInt8(ascii: ",")) }
            data.append(try SiteJSON.encode(id))
            data.append(UInt8(ascii: ":"))
            data.append(try SiteJSON.encode(record))
        }
        data.append(UInt8(ascii: "}"))
        if !pendingRemoval.isEmpty {
            data.append(Data(",\"pending_removal\":".utf8))
            data.append(try SiteJSON.encode(pendingRemoval))
        }
        data.append(Data(",\"version\":\(version)}".utf8))
        return data
    }

    /// The state of the last publish; empty when there is none or it is from another version
    /// (a lost state only makes the next build a full one).
    static func read(_ layout: SiteLayout) -> StateFile {
        guard let data = try? Data(contentsOf: layout.stateFile),
              let state = try? JSONDecoder().decode(StateFile.self, from: data), state.version == currentVersion
        else { return StateFile() }
        return state
    }
}

/// Hashes of the settings that shape the files, so a settings change re-renders what it
/// affects and nothing else: `photo` covers photo users, `placeholder` covers placeholders.
public struct SettingsFingerprints: Codable, Sendable, Equatable {
    public var photo: String
    public var placeholder: String

    /// Bumped when the renderers change what they draw for the same settings.
    static let rendererVersion = "2"

    init(photo: String, placeholder: String) {
        self.photo = photo
        self.placeholder = placeholder
    }

    init(_ configuration: SiteConfiguration) {
        let images = [
            "renderer=\(Self.rendererVersion)",
            "sizes=\(configuration.sizes.map(\.description).joined(separator: ","))",
            "formats=\(configuration.formats.map(\.rawValue).joined(separator: ","))",
            "jpeg=\(configuration.imaging.jpegQuality)", "webp=\(configuration.imaging.webpQuality)",
        ]
        let style = configuration.placeholder
        let placeholder = images + [
            "palette=\(style.palette.map(\.description).joined(separator: ","))",
            "foreground=\(style.foreground)", "shape=\(style.shape.rawValue)",
            "fonts=\(style.fonts.joined(separator: ","))",
        ]
        self.photo = Self.digest(images)
        self.placeholder = Self.digest(placeholder)
    }

    private static func digest(_ parts: [String]) -> String {
        MediaETag.hexDigest(Data(parts.joined(separator: "\n").utf8)).prefix(16).description
    }
}
