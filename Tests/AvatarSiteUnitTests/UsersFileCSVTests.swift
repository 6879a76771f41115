import AvatarSite
@testable import DemoTenant
import Foundation
import PropertyBased
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// The users file's CSV read by Unicode scalars as RFC 4180 writes it: a delimiter or a quote
/// followed by a combining mark is still a delimiter or a quote.
@Suite struct UsersFileCSVTests {
    static func parse(_ text: String) throws(ConfigurationError) -> [DirectoryUser] {
        try UsersFile.parse(Data(text.utf8), file: "users.csv")
    }

    static func scalars(_ value: JSONValue?) -> [Unicode.Scalar]? {
        guard case .string(let text) = value else { return nil }
        return Array(text.unicodeScalars)
    }

    /// Should end a field at a comma even when the next field starts with a combining mark.
    @Test func aFieldStartingWithACombiningMarkIsAFieldOfItsOwn() throws {
        let users = try Self.parse("mail,displayName,id\na@x.example,\u{0301}Bob,bob-id\n")
        #expect(users.count == 1)
        #expect(users.first?.mail == "a@x.example")
        #expect(Self.scalars(users.first?.fields["displayName"]) == Array("\u{0301}Bob".unicodeScalars))
        #expect(users.first?.id == "bob-id")
    }

    /// Should read a doubled quote followed by a combining mark as a quote and the mark.
    @Test func aDoubledQuoteBeforeACombiningMarkIsAQuote() throws {
        let users = try Self.parse("mail,displayName\na@x.example,\"a\"\"\u{0301}b\"\n")
        #expect(Self.scalars(users.first?.fields["displayName"]) == Array("a\"\u{0301}b".unicodeScalars))
    }

    /// Should read CRLF line ends and a quoted name over two lines.
    @Test func readsCRLFAndLineBreaksInQuotes() throws {
        let users = try Self.parse("mail,displayName,id\r\na@x.example,\"Ann\r\nLee\",a-id\r\nb@x.example,Bob,b-id\r\n")
        #expect(users.map(\.id) == ["a-id", "b-id"])
        #expect(users.map(\.displayName) == ["Ann\r\nLee", "Bob"])
    }

    /// Should stop on each mistake with the file, the line, and what is wrong.
    @Test(arguments: [
        ("mail,displayName,id\na@x.example,Ann\n", 2, "the row has fewer fields (2) than the header has columns (3)"),
        ("mail,displayName\na@x.example,Ann\nb@x.example,Bob,extra\n", 3, "more fields"),
        ("mail,displayName\n\"a,b@x.example\",Ann\n", 2, "'a,b@x.example' is not a mail address: it holds a comma"),
        ("mail,displayName\na\u{1}b@x.example,Ann\n", 2, "is not a mail address: it holds the control character U+0001"),
        ("mail,displayName\n\"a\u{2028}b@x.example\",Ann\n", 2, "is not a mail address: it holds the control character U+2028"),
        ("mail,userPrincipalName\na@x.example,\"a,b@x.example\"\n", 2, "userPrincipalName 'a,b@x.example' holds a comma"),
        ("mail,displayName\na@x.example,Ann\nb@x.example,\"Bob\nc@x.example,Cy\n", 3, "the quoted field is not closed"),
        ("mail,displayName\r\na@x.example,\"Ann\r\nLee\"\r\nb@x.example,Bob\r\nb@x.example,Dup\r\n", 5, "also on line 4"),
        ("mail,displayName\na@x.example,\"Ann\"x\n", 2, "after the closing quote"),
    ])
    func namesTheLineOfEachMistake(text: String, line: Int, reason: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted a broken users file")
        } catch {
            #expect(error.line == line, "\(error.localizedDescription)")
            #expect(error.localizedDescription.hasPrefix("users.csv:\(line):"), "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(reason), "\(error.localizedDescription)")
        }
    }

    /// Rows of random scalars, combining marks, quotes, commas and line breaks among them.
    static let scalarPool: [Unicode.Scalar] = ["a", "B", "7", " ", ",", ";", "\t", "\"", "\r", "\n", "@", "\u{0301}", "\u{0308}",
                                               "\u{20DD}", "\u{200D}", "\u{00E9}", "\u{1F600}", "\u{0085}", "\u{2028}", "\u{FEFF}"]
    static let fieldValue = Gen.int(in: 0...(scalarPool.count - 1)).array(of: 0...8)
        .map { indices in String(String.UnicodeScalarView(indices.map { scalarPool[$0] })) }
    static let rows = zip(fieldValue, fieldValue, fieldValue, Gen.bool(0.3)).map { [$0, $1, $2, $3 ? "q" : ""] }
        .array(of: 1...6)

    /// An RFC 4180 writer: a field is quoted, its quotes doubled, when it holds a delimiter, a
    /// quote or a line break, and now and then when it need not be.
    static func csvField(_ text: String, quoteAnyway: Bool) -> String {
        let special = text.unicodeScalars.contains { [",", "\"", "\r", "\n"].contains($0) }
        guard special || quoteAnyway else { return text }
        // By scalars: `replacingOccurrences` compares characters, and `"` with a combining mark is one.
        var quoted = String.UnicodeScalarView(["\""])
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// Should read back, field for field and scalar for scalar, what an RFC 4180 writer wrote,
    /// with either line end and with or without a byte order mark.
    @Test func readsBackWhatAWriterWrote() async {
        let count = ProcessInfo.processInfo.environment["AVATAR_SITE_FUZZ_COUNT"].flatMap(Int.init) ?? 1000
        await propertyCheck(count: count, input: Self.rows, Gen.bool(), Gen.bool()) { rows, crlf, byteOrderMark in
            let lineEnd = crlf ? "\r\n" : "\n"
            var text = (byteOrderMark ? "\u{FEFF}" : "") + "mail,note1,note2,note3" + lineEnd
            for (index, row) in rows.enumerated() {
                let fields = ["u\(index)@x.example"] + row.prefix(3).enumerated().map { column, value in
                    Self.csvField(value, quoteAnyway: row[3] == "q" && column == index % 3)
                }
                text += fields.joined(separator: ",") + lineEnd
            }
            let users: [DirectoryUser]
            do {
                users = try Self.parse(text)
            } catch {
                Issue.record("\(error.localizedDescription) in \(text.debugDescription)")
                return
            }
            #expect(users.count == rows.count, "\(text.debugDescription)")
            for (user, row) in zip(users, rows) {
                for (column, value) in zip(["note1", "note2", "note3"], row) {
                    let trimmed = value.trimmingCharacters(in: .whitespaces)
                    #expect(Self.scalars(user.fields[column]) == (trimmed.isEmpty ? nil : Array(trimmed.unicodeScalars)),
                            "\(column) of \(row.map(\.debugDescription)) in \(text.debugDescription)")
                }
            }
        }
    }

    /// The demo tenant's users file quotes by scalar too: a quote followed by a combining mark
    /// is still a quote to double.
    @Test func theDemoTenantQuotesAQuoteBeforeACombiningMark() {
        #expect(DemoTenant.csvField("\"\u{301}a") == "\"\"\"\u{301}a\"")
        #expect(DemoTenant.csvField(",\u{301}b") == "\",\u{301}b\"")
        #expect(DemoTenant.csvField("plain") == "plain")
    }
}
