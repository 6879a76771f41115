import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// Users files: CSV and JSON in the forms people write them, and every mistake named by line.
@Suite struct UsersFileTests {
    static func parse(_ text: String, file: String = "users.csv") throws(ConfigurationError) -> [DirectoryUser] {
        try UsersFile.parse(Data(text.utf8), file: file)
    }

    /// Should read a header row, a byte order mark, quoted fields with commas, quotes and line
    /// breaks, and blank lines.
    @Test func readsCSVAsSpreadsheetsWriteIt() throws {
        let users = try Self.parse([
            "\u{FEFF}Mail,Display Name,givenName,surname,department,manager,mobilePhone",
            #"jane@contoso.example,"Doe, Jane",Jane,Doe,"R&D ""Labs""",,+1 555"#,
            "",
            "JOHN@contoso.example,\"John\nSmith\",John,Smith,Sales,jane@contoso.example,",
        ].joined(separator: "\r\n") + "\r\n")
        #expect(users.count == 2)
        #expect(users[0].displayName == "Doe, Jane" && users[0].givenName == "Jane" && users[0].mail == "jane@contoso.example")
        #expect(users[0].fields["department"] == .string("R&D \"Labs\""))
        #expect(users[0].fields["mobilePhone"] == .string("+1 555"))
        #expect(users[1].displayName == "John\nSmith")
        // A user known only by address gets a key derived from it, case-insensitively.
        #expect(users[1].id == UserKey.derived(fromAddress: "john@contoso.example"))
        #expect(users[1].id.count == 32 && UserID.isValid(users[1].id))
        #expect(users[1].manager == users[0].id)
    }

    /// Should take the ids a file gives as the users' folders, and a semicolon-separated export.
    @Test func readsIDsAndSemicolons() throws {
        let users = try Self.parse("id;mail;displayName\n8a1f-0001;a@contoso.example;Ann\n8a1f-0002;b@contoso.example;Bob\n")
        #expect(users.map(\.id) == ["8a1f-0001", "8a1f-0002"])
        #expect(users.map(\.displayName) == ["Ann", "Bob"])
    }

    /// Should read JSON as a list of users or Graph's `{"value": […]}`.
    @Test func readsJSON() throws {
        let list = try Self.parse(#"[{"mail": "a@contoso.example", "displayName": "Ann", "jobTitle": null}]"#, file: "users.json")
        #expect(list.map(\.displayName) == ["Ann"])
        let graph = try Self.parse("""
            {"@odata.context": "x", "value": [
              {"id": "u1", "mail": "a@contoso.example"},
              {"id": "u2", "mail": "b@contoso.example", "manager": "a@contoso.example"}
            ]}
            """, file: "users.json")
        #expect(graph.map(\.id) == ["u1", "u2"] && graph[1].manager == "u1")
    }

    /// Should stop on each mistake with the file and the line, before any request.
    @Test(arguments: [
        ("mail,displayName\na@contoso.example,Ann\n,Nobody\n", "users.csv", 3, "no mail"),
        ("displayName\nAnn\n", "users.csv", 1, "no 'mail' column"),
        ("mail,displayName\na@contoso.example,\"Ann\nLee\"\nA@Contoso.example,Dup\n", "users.csv", 4, "also on line 2"),
        ("mail\na@contoso.example\nnot-an-address\n", "users.csv", 3, "not a mail address"),
        ("id,mail\n../x,a@contoso.example\n", "users.csv", 2, "folder name"),
        ("id,mail\nu1,a@contoso.example\nu1,b@contoso.example\n", "users.csv", 3, "id u1 is also on line 2"),
        ("[\n  {\"mail\": \"a@contoso.example\"},\n  {\"mail\": 42}\n]", "users.json", 3, "not a string"),
        ("[\n  {\"mail\": \"a@contoso.example\"},\n  {\"mail\": \"b@x.example\"\n]", "users.json", 4, "not valid JSON"),
        ("{\"users\": []}", "users.json", 1, "no \"value\""),
        ("\n\n[\n  {\"mail\": \"a@contoso.example\"},\n  {\"mail\": \"b@x.example\"\n]", "users.json", 6, "not valid JSON"),
        ("[{\"mail\": \"a@contoso.example\"}]\n[{\"mail\": \"b@contoso.example\"}]", "users.json", 2, "follows"),
        ("mail,displayName\na@contoso.example,Ann\nb@contoso.example,Bob,extra\n", "users.csv", 3, "more fields"),
    ])
    func namesTheLineOfEachMistake(text: String, file: String, line: Int, reason: String) {
        do {
            _ = try Self.parse(text, file: file)
            Issue.record("accepted a broken users file")
        } catch {
            #expect(error.file == file)
            #expect(error.line == line, "\(error.localizedDescription)")
            #expect(error.localizedDescription.contains(reason), "\(error.localizedDescription)")
            #expect(error.localizedDescription.hasPrefix("\(file):\(line):"))
        }
    }

    /// Should name the line of the first byte that is not UTF-8.
    @Test func namesTheLineOfBadUTF8() {
        var data = Data("mail,displayName\na@contoso.example,Ann\nb@contoso.example,B".utf8)
        data.append(contentsOf: [0xC3, 0x28])
        do {
            _ = try UsersFile.parse(data, file: "users.csv")
            Issue.record("accepted a file that is not UTF-8")
        } catch {
            #expect(error.line == 3 && error.localizedDescription.contains("not UTF-8"))
        }
    }

    /// Should say a missing file is missing.
    @Test func aMissingFileIsAnError() async throws {
        try await withTemporaryDirectory { folder in
            let url = folder.appendingPathComponent("nobody.csv")
            #expect(throws: ConfigurationError.self) { try UsersFile.read(url) }
        }
    }
}
