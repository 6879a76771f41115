import Foundation
public import AvatarSiteContract

/// `hosting/aliases.map`: each lower-cased address (`output.aliases`: user principal names,
/// mails) and the id it stands for, in nginx's `map` syntax (`"address" id;`), which
/// `avatar-site serve` reads too. An address two users share names neither: it is left out,
/// as is one a config cannot quote.
///
/// A lookup table rather than a copy or a link per alias: at 50,000 users and two aliases each
/// it is one file of about 6 MB that nginx hashes once at reload, where links would be 100,000
/// more directory entries for every sync to walk, and copies 100,000 more images.
public struct AliasMap: Sendable, Equatable {
    /// Address → id, sorted by address when written.
    public private(set) var ids: [String: String] = [:]
    /// Addresses left out because two users have them.
    public private(set) var ambiguous: Set<String> = []
    /// Addresses left out because no config could hold them.
    public private(set) var refused = 0

    /// The longest address an e-mail standard allows; nginx.conf's bucket size is set for it.
    static let longestAddress = 254

    public init(_ users: [(id: String, addresses: UserAddresses)], fields: [AliasField]) {
        for (id, addresses) in users {
            for field in fields {
                guard let address = addresses[field].map(Self.normalized) else { continue }
                add(address, id: id)
            }
        }
    }

    private mutating func add(_ address: String, id: String) {
        guard Self.isWritable(address) else {
            refused += 1
            return
        }
        guard !ambiguous.contains(address) else { return }
        if let known = ids[address], known != id {
            ids[address] = nil
            ambiguous.insert(address)
        } else {
            ids[address] = id
        }
    }

    /// Trimmed and lower-cased, as the configs compare it.
    static func normalized(_ address: String) -> String {
        address.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// An address with an `@` (so it never reads as another user's id), that fits one URL
    /// segment and one quoted nginx string.
    static func isWritable(_ address: String) -> Bool {
        guard address.contains("@"), address.utf8.count <= longestAddress else { return false }
        guard GeneratedFileValue.problem(with: address, in: [.nginxQuoted, .line]) == nil else { return false }
        return !address.unicodeScalars.contains { $0 == "/" || $0.properties.isWhitespace }
    }

    /// The file's text: one line an address, sorted. A key starting with `~` would read as a
    /// regular expression to nginx, so it is escaped.
    public var text: String {
        var text = "# avatar-site: addresses that name a user in the site's URLs, and the user's id.\n"
        for address in ids.keys.sorted() {
            let key = address.hasPrefix("~") ? "\\" + address : address
            text += "\"\(key)\" \(ids[address]!);\n"
        }
        return text
    }

    /// Reads a file `text` wrote (and nginx's own `map` lines of that form); other lines are ignored.
    public static func parse(_ text: Substring) -> [String: String] {
        var ids = [String: String]()
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.trimmingCharacters(in: .whitespaces)
            guard parts.hasPrefix("\""), parts.hasSuffix(";"), let close = parts.dropFirst().firstIndex(of: "\"") else { continue }
            var key = String(parts[parts.index(after: parts.startIndex)..<close])
            if key.hasPrefix("\\~") { key.removeFirst() }
            let id = parts[parts.index(after: close)...].dropLast().trimmingCharacters(in: .whitespaces)
            if !id.isEmpty { ids[key.lowercased()] = id }
        }
        return ids
    }
}
