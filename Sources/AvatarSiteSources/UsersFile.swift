public import Foundation
public import AvatarSiteContract

/// `source.users_file`: the users of a source that cannot list them (EWS, Outlook v2.0), or the
/// users a Graph build is restricted to. CSV with a header row (UTF-8, with or without a byte
/// order mark, RFC 4180 read by Unicode scalars in `CSVRecords`, `,` `;` or tab) or JSON
/// (`[…]` or `{"value": […]}`), with the columns `mail` (required), `displayName`, `givenName`,
/// `surname`, `jobTitle`, `department`, `officeLocation`, optional `id` and `manager` (the
/// manager's mail); any other column is a field like these, published only if
/// `output.public_fields` names it.
///
/// Everything is checked before any request is sent: a mistake is a `ConfigurationError`
/// naming the file and the line.
public enum UsersFile {
    /// One record as the file gives it, and where.
    struct Record {
        var line: Int
        var fields: [String: String]
    }

    public static func read(_ url: URL) throws(ConfigurationError) -> [DirectoryUser] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "cannot read the users file (\(error.localizedDescription))",
                                     file: url.path)
        }
        return try parse(data, file: url.path)
    }

    public static func parse(_ data: Data, file: String) throws(ConfigurationError) -> [DirectoryUser] {
        let records = looksLikeJSON(data, file: file) ? try jsonRecords(data, file: file) : try csvRecords(data, file: file)
        return try users(from: records, file: file)
    }

    private static func looksLikeJSON(_ data: Data, file: String) -> Bool {
        if file.lowercased().hasSuffix(".json") { return true }
        if file.lowercased().hasSuffix(".csv") { return false }
        let first = data.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
        return first == UInt8(ascii: "[") || first == UInt8(ascii: "{")
    }

    // MARK: - CSV

    private static func csvRecords(_ data: Data, file: String) throws(ConfigurationError) -> [Record] {
        let text = try utf8(data, file: file)
        let rows: [CSVRecords.Record]
        do {
            rows = try CSVRecords.parse(text, delimiter: CSVRecords.guessedDelimiter(in: text))
        } catch {
            throw ConfigurationError(keyPath: "", line: error.line, reason: "not valid CSV: \(error.reason)", file: file)
        }
        var columns = [String]()
        for name in rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) ?? [] {
            let canonical = canonicalName(name)
            guard UserQueryConfiguration.isFieldName(canonical) else {
                throw ConfigurationError(keyPath: "", line: 1, reason: "the column '\(name)' is not a field name (letters and digits)",
                                         file: file)
            }
            guard !columns.contains(canonical) else {
                throw ConfigurationError(keyPath: "", line: 1, reason: "the column '\(name)' appears twice", file: file)
            }
            columns.append(canonical)
        }
        guard columns.contains("mail") else {
            throw ConfigurationError(keyPath: "", line: 1, reason: "the header has no 'mail' column", file: file)
        }
        var records = [Record]()
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == columns.count else {
                let comparison = row.fields.count > columns.count ? "more" : "fewer"
                throw ConfigurationError(keyPath: "", line: row.line, reason: "the row has \(comparison) fields (\(row.fields.count)) "
                                         + "than the header has columns (\(columns.count))", file: file)
            }
            var fields = [String: String]()
            for (column, value) in zip(columns, row.fields) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { fields[column] = trimmed }
            }
            records.append(Record(line: row.line, fields: fields))
        }
        return records
    }

    /// Column names as people write them (`Mail`, `display name`, `Display_Name`) mapped to the
    /// field names the tool uses.
    private static func canonicalName(_ name: String) -> String {
        let known = ["id", "mail", "displayName", "givenName", "surname", "jobTitle", "department", "officeLocation",
                     "manager", "userPrincipalName"]
        let squeezed = name.filter { $0.isLetter || $0.isNumber }.lowercased()
        return known.first { $0.lowercased() == squeezed } ?? name
    }

    /// The text, or an error naming the line of the first byte that is not UTF-8.
    private static func utf8(_ data: Data, file: String) throws(ConfigurationError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var line = 1
        var index = data.startIndex
        while index < data.endIndex {
            let length = validUTF8Length(data, at: index)
            if length == 0 {
                throw ConfigurationError(keyPath: "", line: line, reason: "the file is not UTF-8 (byte \(index - data.startIndex + 1))",
                                         file: file)
            }
            if data[index] == 0x0A { line += 1 }
            index += length
        }
        throw ConfigurationError(keyPath: "", line: nil, reason: "the file is not UTF-8", file: file)
    }

    /// The length of the UTF-8 sequence at `index`, or 0 when it is not one.
    private static func validUTF8Length(_ data: Data, at index: Data.Index) -> Int {
        let lead = data[index]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0, index + length <= data.endIndex else { return 0 }
        let sequence = data[index..<index + length]
        return String(validating: sequence, as: UTF8.self) == nil ? 0 : length
    }

    // MARK: - JSON

    private static func jsonRecords(_ data: Data, file: String) throws(ConfigurationError) -> [Record] {
        _ = try utf8(data, file: file)
        let lines = LineIndex(data)
        let elements: [Range<Int>]
        do {
            let start = data.firstIndex { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } ?? data.startIndex
            let body = data[start...]
            if body.first == UInt8(ascii: "{") {
                guard let value = try JSONScanner.members(of: Data(body)).first(where: { $0.key == "value" })?.value else {
                    throw ConfigurationError(keyPath: "", line: 1, reason: "the JSON object has no \"value\" list of users", file: file)
                }
                elements = try JSONScanner.elements(ofArrayIn: Data(body), range: value).map { ($0.lowerBound + start)..<($0.upperBound + start) }
            } else {
                elements = try JSONScanner.elements(ofArrayIn: Data(body)).map { ($0.lowerBound + start)..<($0.upperBound + start) }
            }
        } catch let error as JSONScanner.Malformed {
            let start = data.firstIndex { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } ?? data.startIndex
            throw ConfigurationError(keyPath: "", line: lines.line(at: start - data.startIndex + error.offset),
                                     reason: "not valid JSON: \(error.reason)", file: file)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "not valid JSON", file: file)
        }
        var records = [Record]()
        for range in elements {
            let line = lines.line(at: range.lowerBound)
            guard let object = try? JSONSerialization.jsonObject(with: data.subdata(in: range)) as? [String: Any] else {
                throw ConfigurationError(keyPath: "", line: line, reason: "a user is not a JSON object of fields", file: file)
            }
            var fields = [String: String]()
            for (key, value) in object {
                let name = canonicalName(key)
                guard UserQueryConfiguration.isFieldName(name) else {
                    throw ConfigurationError(keyPath: "", line: line, reason: "'\(key)' is not a field name (letters and digits)", file: file)
                }
                switch value {
                case let text as String:
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty { fields[name] = trimmed }
                case is NSNull:
                    continue
                default:
                    throw ConfigurationError(keyPath: "", line: line, reason: "'\(key)' is not a string", file: file)
                }
            }
            records.append(Record(line: line, fields: fields))
        }
        return records
    }

    /// Line numbers of byte offsets.
    struct LineIndex {
        private let starts: [Int]

        init(_ data: Data) {
            var starts = [0]
            for (offset, byte) in data.enumerated() where byte == 0x0A { starts.append(offset + 1) }
            self.starts = starts
        }

        func line(at offset: Int) -> Int {
            var low = 0, high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] <= offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    // MARK: - Users

    private static func users(from records: [Record], file: String) throws(ConfigurationError) -> [DirectoryUser] {
        var users = [DirectoryUser]()
        var lineOfAddress = [String: Int]()
        var lineOfKey = [String: Int]()
        var managers = [(index: Int, address: String)]()
        for record in records {
            guard let mail = record.fields["mail"] else {
                throw ConfigurationError(keyPath: "", line: record.line, reason: "the user has no mail", file: file)
            }
            if let problem = forbiddenCharacter(in: mail) {
                throw ConfigurationError(keyPath: "", line: record.line,
                                         reason: "'\(shown(mail))' is not a mail address: it holds \(problem)", file: file)
            }
            guard isAddress(mail) else {
                throw ConfigurationError(keyPath: "", line: record.line, reason: "'\(shown(mail))' is not a mail address", file: file)
            }
            if let name = record.fields["userPrincipalName"], let problem = forbiddenCharacter(in: name) {
                throw ConfigurationError(keyPath: "", line: record.line,
                                         reason: "the userPrincipalName '\(shown(name))' holds \(problem)", file: file)
            }
            let address = mail.lowercased()
            if let earlier = lineOfAddress[address] {
                throw ConfigurationError(keyPath: "", line: record.line, reason: "\(mail) is also on line \(earlier)", file: file)
            }
            lineOfAddress[address] = record.line
            let key = record.fields["id"] ?? UserKey.derived(fromAddress: mail)
            if let problem = UserID.problem(with: key) {
                throw ConfigurationError(keyPath: "", line: record.line, reason: "the id cannot be a folder name: \(problem)", file: file)
            }
            if let earlier = lineOfKey[key] {
                throw ConfigurationError(keyPath: "", line: record.line, reason: "the id \(key) is also on line \(earlier)", file: file)
            }
            lineOfKey[key] = record.line
            if let manager = record.fields["manager"] { managers.append((users.count, manager.lowercased())) }
            var fields = record.fields.mapValues(JSONValue.string)
            fields["manager"] = nil
            fields["id"] = .string(key)
            users.append(DirectoryUser(id: key, record: fields))
        }
        // Managers are named by mail; a manager who is not in the file is simply not known.
        let keyOfAddress = Dictionary(uniqueKeysWithValues: users.compactMap { user in user.mail.map { ($0.lowercased(), user.id) } })
        for (index, address) in managers {
            users[index].manager = keyOfAddress[address]
        }
        return users
    }

    /// What an address or a user principal name may never hold, in words: a comma (a second
    /// address in a header, or a shifted row), or a control character, line separators
    /// included. Nil when it holds neither.
    static func forbiddenCharacter(in text: String) -> String? {
        if text.unicodeScalars.contains(",") { return "a comma" }
        guard let control = text.unicodeScalars.first(where: isControl) else { return nil }
        let hex = String(control.value, radix: 16, uppercase: true)
        return "the control character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// A value as an error message shows it: its first 80 scalars, control characters as `\u{…}`.
    private static func shown(_ text: String) -> String {
        text.unicodeScalars.prefix(80).map { isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
    }

    /// Something that can be a mailbox address: a local part, an `@`, a domain; no spaces or
    /// control characters (it is put into URLs and XML).
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.utf8.count <= 320 else { return false }
        return !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }
}

/// The folder name of a user known only by address: the first 32 hex digits of the SHA-256 of
/// the lower-cased address. Stable across builds and renames of everything but the address,
/// a safe path segment whatever the address holds, and not the address itself.
public enum UserKey {
    public static func derived(fromAddress address: String) -> String {
        String(MediaETag.hexDigest(Data(address.lowercased().utf8)).prefix(32))
    }
}
