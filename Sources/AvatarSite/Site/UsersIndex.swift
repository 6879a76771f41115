import Foundation
import AvatarSiteContract

/// `users.json`: `{"sizes": […], "value": [entries sorted by id]}`, the same bytes for the
/// same users. Encoded once, at publish, from the entries the build gathered; the page is made
/// from the same entries, never from these bytes read back.
enum UsersIndex {
    static func encode(_ entries: [UserEntry], sizes: [PhotoSize]) throws(SiteError) -> Data {
        var data = Data("{\"sizes\":".utf8)
        data.append(try SiteJSON.encode(sizes.map(\.description)))
        data.append(Data(",\"value\":[".utf8))
        for (position, entry) in entries.sorted(by: { $0.id < $1.id }).enumerated() {
            if position > 0 { data.append(UInt8(ascii: ",")) }
            data.append(try SiteJSON.encode(entry))
        }
        data.append(Data("]}".utf8))
        return data
    }
}
