import Foundation
import AvatarSiteContract

/// A user's line of `users.json`, encoded as soon as the user is done: a 50,000-user build
/// holds one short JSON string per user instead of every user's fields, and writes the index
/// without building it again in memory.
public struct IndexEntry: Sendable {
    public let id: String
    public let placeholder: Bool
    /// For the host configs' aliases and Gravatar hashes.
    public let addresses: UserAddresses
    let json: Data

    init(_ entry: UserEntry) throws(SiteError) {
        id = entry.id
        placeholder = entry.placeholder
        addresses = entry.addresses
        json = try SiteJSON.encode(entry)
    }

    /// `{"sizes": […], "value": [entries sorted by id]}`, the same bytes for the same users.
    static func index(_ entries: [IndexEntry], sizes: [PhotoSize]) throws(SiteError) -> Data {
        var data = Data("{\"sizes\":".utf8)
        data.append(try SiteJSON.encode(sizes.map(\.description)))
        data.append(Data(",\"value\":[".utf8))
        for (position, entry) in entries.sorted(by: { $0.id < $1.id }).enumerated() {
            if position > 0 { data.append(UInt8(ascii: ",")) }
            data.append(entry.json)
        }
        data.append(Data("]}".utf8))
        return data
    }
}
