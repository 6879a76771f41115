@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteSources

/// The directory page's data script (docs/directory-data.md), as pure functions of users.
@Suite struct DirectoryDataTests {
    static let fields = ["displayName", "jobTitle", "department", "officeLocation", "mail"]
    static let sizes = ["48x48", "96x96"]

    static func user(_ id: String, _ name: String?, placeholder: Bool = false, manager: String? = nil,
                     _ fields: [String: String] = [:]) -> UserEntry {
        var values = fields.mapValues(JSONValue.string)
        values["displayName"] = name.map(JSONValue.string)
        values["manager"] = manager.map(JSONValue.string)
        return UserEntry(id: id, fields: values, placeholder: placeholder)
    }

    /// The JSON object inside a data script, after checking the bytes around it.
    static func object(_ script: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let prefix = Data("window.avatarSiteDirectory=".utf8)
        #expect(script.starts(with: prefix), sourceLocation: sourceLocation)
        #expect(script.suffix(2) == Data(";\n".utf8), sourceLocation: sourceLocation)
        let json = script.dropFirst(prefix.count).dropLast(2)
        return try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any], sourceLocation: sourceLocation)
    }

    static func guid(_ number: Int) -> String {
        let hex = String(number, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Should write every documented key, one entry per person in every per-person array.
    @Test func writesTheDocumentedObject() throws {
        let users = [
            Self.user(Self.guid(2), "Bea Boss", ["jobTitle": "Chief", "mail": "bea@contoso.example"]),
            Self.user(Self.guid(1), "Al Able", placeholder: true, manager: Self.guid(2), ["department": "Sales"]),
            Self.user(Self.guid(3), "Cy Cole", manager: Self.guid(1), ["department": "Sales", "officeLocation": "Kraków"]),
        ]
        let script = DirectoryData.script(users: users, fields: Self.fields + ["manager"], sizes: Self.sizes)
        let text = String(decoding: script, as: UTF8.self)
        #expect(text.hasPrefix(#"window.avatarSiteDirectory={"format":1,"sizes":["48x48","96x96"],"photo":"users/{id}/photo.jpg","#))
        let object = try Self.object(script)
        #expect(object["format"] as? Int == 1)
        #expect(object["sizes"] as? [String] == Self.sizes)
        #expect(object["photos"] as? String == "users/{id}/photos/{size}.jpg")
        #expect(object["fields"] as? [String] == Self.fields, "manager travels as rows, not as a column")
        #expect(object["ids"] == nil)
        let guids = try #require(object["guids"] as? String)
        #expect(guids == [1, 2, 3].map { Self.guid($0).replacingOccurrences(of: "-", with: "") }.joined())
        let columns = try #require(object["columns"] as? [Any])
        #expect(columns.count == Self.fields.count)
        #expect(columns[0] as? [String] == ["Al Able", "Bea Boss", "Cy Cole"])
        #expect(columns[1] as? [String] == ["", "Chief", ""])
        #expect(columns[4] as? [String] == ["", "bea@contoso.example", ""])
        #expect(object["placeholder"] as? [Int] == [1, 0, 0])
        #expect(object["manager"] as? [Int] == [1, -1, 0])
    }

    /// Should keep every value a string inside the script, whatever it holds: the file is
    /// JavaScript, and U+2028 and U+2029 end a line in JavaScript engines before ES2019.
    @Test func escapesValuesThatCouldBreakTheScript() throws {
        let hostile = [
            "</script><script>alert(1)</script>", "line\u{2028}separator\u{2029}paragraph", #"say "hi" \ bye"#,
            "tab\tnew\nline\u{1}bell\u{7F}", "Ｗｉｄｅ 王伟 José",
        ]
        let users = hostile.enumerated().map { Self.user("user-\($0.offset)", $0.element, ["mail": $0.element]) }
        let script = DirectoryData.script(users: users, fields: Self.fields, sizes: Self.sizes)
        #expect(!script.contains(Data("\u{2028}".utf8)) && !script.contains(Data("\u{2029}".utf8)))
        #expect(script.contains(Data(#"\u2028separator\u2029"#.utf8)))
        #expect(script.contains(Data("王伟".utf8)), "non-ASCII is written as itself")
        #expect(script.split(separator: UInt8(ascii: "\n")).count == 1, "one line, ended by the only line feed")
        let object = try Self.object(script)
        let ids = try #require(object["ids"] as? [String])
        let names = try #require((object["columns"] as? [Any])?.first as? [String])
        for (offset, value) in hostile.enumerated() {
            let row = try #require(ids.firstIndex(of: "user-\(offset)"))
            #expect(names[row] == value)
        }
    }

    /// Should list people by their folded name (case and accents aside), then by id.
    @Test func ordersRowsByFoldedNameThenID() throws {
        let names = ["Zoë Öztürk", "zoe ozturk", "Łukasz Nowak", "Lukas Berg", "Åsa Dahl", "adam West", "", "O'Brien"]
        let users = names.enumerated().map { Self.user("id-\(9 - $0.offset)", $0.element) }
        let object = try Self.object(DirectoryData.script(users: users, fields: ["displayName"], sizes: Self.sizes))
        let shown = try #require((object["columns"] as? [Any])?.first as? [String])
        #expect(shown == ["", "adam West", "Åsa Dahl", "Lukas Berg", "Łukasz Nowak", "O'Brien", "zoe ozturk", "Zoë Öztürk"])
        #expect(object["ids"] as? [String] == ["id-3", "id-4", "id-5", "id-6", "id-7", "id-2", "id-8", "id-9"])
    }

    @Test(arguments: [
        ("José Müller-Łódź", "jose muller lodz"), ("İlker Işıl", "ilker isil"), ("佐藤 翔", "佐藤 翔"),
        ("O'Brien", "obrien"), ("Straße", "strasse"), ("  Ævar -- Þór  ", "aevar thor"), ("ΟΔΥΣΣΕΑΣ", "οδυσσεασ"),
        ("محمدُ", "محمد"), ("Ｗｉｄｅ", "wide"), ("김민준", "김민준"),
    ])
    func foldsAsThePageSearches(text: String, folded: String) {
        #expect(SearchFold.fold(text) == folded)
    }

    /// Should write a column as a table of its distinct values when they are at most a quarter
    /// of the rows, else as a list.
    @Test func compactsColumnsWithFewDistinctValues() {
        let eight = ["a", "b", "a", "a", "b", "b", "a", "a"]
        #expect(DirectoryData.Column(eight) == .table(values: ["a", "b"], rows: [0, 1, 0, 0, 1, 1, 0, 0]))
        #expect(DirectoryData.Column(eight + ["c"]) == .list(eight + ["c"]))
        #expect(DirectoryData.Column(["x", "y", "z"]) == .list(["x", "y", "z"]))
        #expect(DirectoryData.Column([]) == .table(values: [], rows: []))
    }

    @Test func writesTablesIntoTheScript() throws {
        let users = (0..<12).map { Self.user(Self.guid($0), "Person \($0)", ["department": $0 % 3 == 0 ? "Legal" : "Sales"]) }
        let object = try Self.object(DirectoryData.script(users: users, fields: ["displayName", "department"], sizes: Self.sizes))
        let department = try #require((object["columns"] as? [Any])?.last as? [String: Any])
        #expect(department["values"] as? [String] == ["Legal", "Sales"])
        let names = try #require((object["columns"] as? [Any])?.first as? [String])
        #expect(department["rows"] as? [Int] == names.map { Int($0.dropFirst(7))! % 3 == 0 ? 0 : 1 })
    }

    /// Should write `ids` as strings as soon as one id is not a canonical GUID.
    @Test func writesIDsWhenAnyIsNotAGUID() throws {
        let users = [Self.user(Self.guid(1), "A"), Self.user(Self.guid(2).uppercased(), "B"), Self.user("c-key", "C")]
        let object = try Self.object(DirectoryData.script(users: users, fields: ["displayName"], sizes: Self.sizes))
        #expect(object["guids"] == nil)
        #expect(object["ids"] as? [String] == [Self.guid(1), Self.guid(2).uppercased(), "c-key"])
        #expect(DirectoryData.isGUID(Self.guid(7)))
        #expect(!DirectoryData.isGUID(Self.guid(0xab).uppercased()) && !DirectoryData.isGUID("0000000000004000800000000000007"))
    }

    /// Should point a manager who is not a row, or is the user, at no one.
    @Test func managersAreRowsOfTheDirectory() throws {
        let users = [
            Self.user("boss", "Boss"), Self.user("self", "Self", manager: "self"), Self.user("gone", "Gone", manager: "left-the-company"),
            Self.user("loop-a", "Loop A", manager: "loop-b"), Self.user("loop-b", "Loop B", manager: "loop-a"),
            Self.user("report", "Report", manager: "boss"), Self.user("under-nobody", "Under", manager: "../escape"),
        ]
        let object = try Self.object(DirectoryData.script(users: users, fields: ["displayName"], sizes: Self.sizes))
        let ids = try #require(object["ids"] as? [String])
        #expect(ids == ["boss", "gone", "loop-a", "loop-b", "report", "self", "under-nobody"])
        #expect(object["manager"] as? [Int] == [-1, -1, 3, 2, 0, -1, -1])
        #expect(object["placeholder"] as? [Int] == [0, 0, 0, 0, 0, 0, 0])
    }

    /// Should join a list of strings and leave other kinds of values empty.
    @Test func showsOnlyTextValues() {
        #expect(DirectoryData.text(of: .array([.string("+1 555"), .string("+44 20")])) == "+1 555, +44 20")
        #expect(DirectoryData.text(of: .array([.string("a"), .number(1)])) == "")
        #expect(DirectoryData.text(of: .number(42)) == "" && DirectoryData.text(of: .bool(true)) == "" && DirectoryData.text(of: nil) == "")
    }

    /// Should write, for the same users, the bytes of the reference generator
    /// (scripts/directory_fixture.py), hostile values and all.
    @Test func matchesTheReferenceGenerator() async throws {
        var users = [
            Self.user(Self.guid(1), "José García", ["department": "Legal", "officeLocation": "Madrid", "mail": "jose@contoso.example"]),
            Self.user(Self.guid(2), "</script><img src=x onerror=alert(1)>", ["jobTitle": "\"Chief\" \\ Officer"]),
            Self.user(Self.guid(3), "line\u{2028}break\u{2029}", manager: Self.guid(1), ["officeLocation": "Łódź"]),
            Self.user(Self.guid(4), "王伟", manager: Self.guid(9), ["mail": "wang@contoso.example", "jobTitle": "tab\there\u{1}"]),
            Self.user(Self.guid(5), nil, placeholder: true, manager: Self.guid(3), ["mail": "nobody@contoso.example"]),
        ]
        users += (6..<30).map { Self.user(Self.guid($0), "Person \($0 % 7)", placeholder: $0 % 2 == 0, manager: Self.guid($0 / 2),
                                          ["department": $0 % 3 == 0 ? "Sales" : "Legal", "officeLocation": "Paris"]) }
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: site.appendingPathComponent("users"), withIntermediateDirectories: true)
            let document = UsersDocument(sizes: Self.sizes, value: users)
            try JSONEncoder().encode(document).write(to: site.appendingPathComponent("users.json"))
            let reference = folder.appendingPathComponent("reference")
            let result = try await PythonCheck.run("scripts/directory_fixture.py", ["--from-site", site.path, "--out", reference.path])
            #expect(result.status == 0, "\(result.output)")
            let written = try #require(filesBelow(reference).first { $0.hasPrefix("directory.") })
            let expected = try Data(contentsOf: reference.appendingPathComponent(written))
            let script = DirectoryData.script(users: users, fields: Self.fields + ["manager"], sizes: Self.sizes)
            #expect(script == expected, "\(String(decoding: script, as: UTF8.self))\n---\n\(String(decoding: expected, as: UTF8.self))")
            #expect(HashedName.make(stem: "directory", extension: "js", data: script) == written)
        }
    }
}
