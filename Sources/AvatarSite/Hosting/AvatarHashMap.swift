import Crypto
import Foundation
import AvatarSiteContract

/// `hosting/avatars.map`: Gravatar's and Libravatar's hashes of each user's mail (MD5 and
/// SHA-256 of the trimmed, lower-cased address) and the id they stand for, in nginx's `map`
/// syntax (`hash id;`), which `avatar-site serve` reads too. A mail two users share is left out.
public struct AvatarHashMap: Sendable, Equatable {
    /// Hash (lower-case hex) → id.
    public private(set) var ids: [String: String] = [:]

    public init(_ users: [(id: String, addresses: UserAddresses)]) {
        var owners = [String: String?]()
        for (id, addresses) in users {
            guard let mail = addresses.mail.map(AliasMap.normalized), !mail.isEmpty else { continue }
            if let owner = owners[mail], owner != id {
                owners[mail] = .some(nil)
            } else {
                owners[mail] = id
            }
        }
        for case let (mail, id?) in owners {
            for hash in Self.hashes(of: mail) { ids[hash] = id }
        }
    }

    /// MD5 (Gravatar's first) and SHA-256 (both now accept it) of an address as given.
    public static func hashes(of mail: String) -> [String] {
        let bytes = Data(mail.utf8)
        return [Insecure.MD5.hash(data: bytes).hexString, SHA256.hash(data: bytes).hexString]
    }

    public var text: String {
        var text = "# avatar-site: MD5 and SHA-256 of each user's trimmed, lower-cased mail, and the user's id.\n"
        for hash in ids.keys.sorted() { text += "\(hash) \(ids[hash]!);\n" }
        return text
    }

    public static func parse(_ text: Substring) -> [String: String] {
        var ids = [String: String]()
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, words[1].hasSuffix(";"), !words[0].hasPrefix("#") else { continue }
            ids[words[0].lowercased()] = String(words[1].dropLast())
        }
        return ids
    }
}
