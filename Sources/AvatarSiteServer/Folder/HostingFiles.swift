import AvatarSite
import Foundation
import Logging
import AvatarSiteContract

/// Reads the files `serve` parses to answer (the two map files and users.json's sizes), each
/// only when a route needs it and only again when it changed on disk.
struct HostingFiles: Sendable {
    static let aliasesFile = "hosting/aliases.map"
    static let avatarsFile = "hosting/avatars.map"
    static let usersIndexFile = "users.json"

    private let maps: ParsedFileCache<NginxMap>
    private let sizes: ParsedFileCache<[PhotoSize]>

    init(logger: Logger) {
        maps = ParsedFileCache { path, data in
            let map = NginxMap(parsing: String(decoding: data, as: UTF8.self))
            if map.skippedLines > 0 {
                logger.warning("\(path): \(map.skippedLines) lines are not `key value;` entries and were skipped")
            }
            return map
        }
        sizes = ParsedFileCache { path, data in
            struct Index: Decodable {
                var sizes: [PhotoSize]
            }
            do {
                return try JSONDecoder().decode(Index.self, from: data).sizes
            } catch {
                logger.warning("\(path) has no list of sizes that can be read; /avatar/ answers 404 until it has (\(error))")
                return []
            }
        }
    }

    /// What answering `route` needs of them; the rest stays unread.
    func maps(for route: SiteRoute, in folder: SiteFolder) throws(SiteFolderError) -> HostingMaps {
        var hosting = HostingMaps()
        if route.readsAliases {
            hosting.aliases = try maps.value(of: Self.aliasesFile, in: folder)
        }
        if route.readsAvatars {
            hosting.avatars = try maps.value(of: Self.avatarsFile, in: folder)
            hosting.sizes = try sizes.value(of: Self.usersIndexFile, in: folder) ?? []
        }
        return hosting
    }
}
