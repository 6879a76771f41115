import AvatarSite
import Testing

@Suite struct InitialsTests {
    @Test(arguments: [
        ("Ada", "Lovelace", nil, nil, "AL"),
        ("zoë", "ångström", nil, nil, "ZÅ"),
        (nil, nil, "Maria de la Cruz", nil, "MC"),
        (nil, nil, "Dr. Jane Doe", nil, "JD"),
        (nil, nil, "Sam Carter (Contractor)", nil, "SC"),
        (nil, nil, "Иван Петров", nil, "ИП"),
        (nil, nil, "straße", nil, "S"),
        (nil, nil, nil, "jane.doe+news@contoso.example", "JD"),
        (nil, nil, "  ", nil, ""),
    ] as [(String?, String?, String?, String?, String)])
    func initials(given: String?, surname: String?, display: String?, mail: String?, expected: String) {
        #expect(Initials.of(givenName: given, surname: surname, displayName: display, mail: mail) == expected)
    }

    /// A decomposed "é" (e + combining acute) is one grapheme and stays whole.
    @Test func keepsCombiningMarksWithTheirLetter() {
        let initials = Initials.of(givenName: "e\u{301}mile", surname: "Zola", displayName: nil, mail: nil)
        #expect(initials.count == 2)
        #expect(initials.first == "E\u{301}")
    }
}

@Suite struct PathSegmentTests {
    @Test(arguments: ["0306c47c-c1f1-328a-c160-431aa8835bff", "user.name_1", "A-B"])
    func acceptsDirectoryIDs(id: String) {
        #expect(PathSegment.isSafe(id))
    }

    @Test(arguments: ["", ".", "..", "../x", "a/b", "a\\b", "x\u{0}y", "tab\there", ".hidden", String(repeating: "k", count: 129),
                      "a..b", "ünïcode", "%2e%2e"])
    func refusesAnythingElse(id: String) {
        #expect(!PathSegment.isSafe(id))
        #expect(PathSegment.problem(with: id) != nil)
    }
}
