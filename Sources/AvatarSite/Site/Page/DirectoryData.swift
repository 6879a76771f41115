public import Foundation
import AvatarSiteContract
import AvatarSiteSources

/// `directory.<hash>.js`, the directory as the page reads it: a classic script that sets one
/// global (`file://` pages can neither fetch nor import), holding the people as a table of
/// columns. The format, and why each part has its shape, is docs/directory-data.md;
/// scripts/directory_fixture.py is the reference, and for the same users both write the same bytes.
public enum DirectoryData {
    public static let prefix = "window.avatarSiteDirectory="
    public static let format = 1
    /// The image paths as templates; the ids and sizes are put in by the page.
    public static let photoTemplate = "users/{id}/photo.jpg"
    public static let photosTemplate = "users/{id}/photos/{size}.jpg"
    /// The id rule, anchored, so that the page checks ids by the site's own rule.
    public static let idPattern = "^" + UserID.pattern + "$"

    /// The data script's bytes.
    /// - Parameters:
    ///   - users: the entries of `users.json`, in any order. Their ids are valid: a user whose id
    ///     breaks `UserID` is dropped where the record enters the build (`UserPlan`).
    ///   - fields: the public fields the page shows, in the order it shows them (`manager`
    ///     travels as rows of its own, never as a column).
    ///   - sizes: the sizes every user has, as `WxH`, ascending.
    public static func script(users: [UserEntry], fields: [String], sizes: [String]) -> Data {
        let rows = ordered(users)
        let fields = fields.filter { $0 != "manager" }
        var rowOfID = [String: Int](minimumCapacity: rows.count)
        for (row, user) in rows.enumerated() { rowOfID[user.id] = row }

        var json = JSONText(capacity: 64 + rows.count * 160)
        json.raw(#"{"format":"#)
        json.integer(format)
        json.raw(#","sizes":"#)
        json.array(sizes) { $0.string($1) }
        json.raw(#","photo":"#)
        json.string(photoTemplate)
        json.raw(#","photos":"#)
        json.string(photosTemplate)
        json.raw(#","id_pattern":"#)
        json.string(idPattern)
        json.raw(#","fields":"#)
        json.array(fields) { $0.string($1) }
        if rows.allSatisfy({ isGUID($0.id) }) {
            json.raw(#","guids":"#)
            json.string(rows.map { $0.id.replacingOccurrences(of: "-", with: "") }.joined())
        } else {
            json.raw(#","ids":"#)
            json.array(rows) { $0.string($1.id) }
        }
        json.raw(#","columns":"#)
        json.array(fields) { json, field in
            write(Column(rows.map { text(of: $0.fields[field]) }), to: &json)
        }
        json.raw(#","placeholder":"#)
        json.array(rows) { $0.integer($1.placeholder ? 1 : 0) }
        json.raw(#","manager":"#)
        json.array(rows.enumerated()) { json, row in
            json.integer(managerRow(of: row.element, at: row.offset, rowOfID: rowOfID))
        }
        json.raw("};\n")
        return Data(prefix.utf8) + Data(json.bytes)
    }

    /// The order the list shows with nothing typed: by the search fold of the name, then by
    /// id, so the same directory gives the same bytes every night.
    static func ordered(_ users: [UserEntry]) -> [UserEntry] {
        let keyed = users.map { (name: SearchFold.fold(text(of: $0.fields["displayName"])), user: $0) }
        return keyed.sorted { left, right in
            if !left.name.unicodeScalars.elementsEqual(right.name.unicodeScalars) {
                return SearchFold.precedes(left.name, right.name)
            }
            return SearchFold.precedes(left.user.id, right.user.id)
        }.map(\.user)
    }

    /// A field as the page shows it: a string as it is, a list of strings (`businessPhones`)
    /// joined, anything else (a number, a flag, nothing) empty.
    static func text(of value: JSONValue?) -> String {
        switch value {
        case .string(let text)?:
            return text
        case .array(let items)?:
            var texts = [String]()
            for item in items {
                guard case .string(let text) = item else { return "" }
                texts.append(text)
            }
            return texts.joined(separator: ", ")
        default:
            return ""
        }
    }

    /// The manager's row, or -1: no manager, one who is not a row, or the user themself.
    static func managerRow(of user: UserEntry, at row: Int, rowOfID: [String: Int]) -> Int {
        guard case .string(let manager)? = user.fields["manager"], let managerRow = rowOfID[manager], managerRow != row else {
            return -1
        }
        return managerRow
    }

    /// A column's two forms: the values row by row, or, when there are few distinct values (at
    /// most a quarter of the rows, e.g. departments), the distinct values in order of first
    /// appearance and an index per row.
    enum Column: Equatable {
        case list([String])
        case table(values: [String], rows: [Int])

        init(_ values: [String]) {
            var index = [String: Int]()
            var distinct = [String]()
            var rows = [Int]()
            rows.reserveCapacity(values.count)
            for value in values {
                if let known = index[value] {
                    rows.append(known)
                } else {
                    index[value] = distinct.count
                    rows.append(distinct.count)
                    distinct.append(value)
                }
            }
            self = distinct.count * 4 > values.count ? .list(values) : .table(values: distinct, rows: rows)
        }
    }

    private static func write(_ column: Column, to json: inout JSONText) {
        switch column {
        case .list(let values):
            json.array(values) { $0.string($1) }
        case .table(let values, let rows):
            json.raw(#"{"values":"#)
            json.array(values) { $0.string($1) }
            json.raw(#","rows":"#)
            json.array(rows) { $0.integer($1) }
            json.raw("}")
        }
    }

    /// An Entra ID object id in canonical form: lower-case hex, 8-4-4-4-12.
    static func isGUID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count == 36 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                else { return false }
            }
        }
        return true
    }
}
