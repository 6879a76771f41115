import AvatarSite
import Testing
import AvatarSiteContract
import AvatarSiteImaging

@Suite struct InitialsTests {
    /// (given name, surname, display name, mail) → initials.
    @Test(arguments: [
        // Latin, two and three words, particles, accents.
        ("Ada", "Lovelace", nil, nil, "AL"),
        (nil, nil, "Ada Lovelace", nil, "AL"),
        (nil, nil, "Maria de la Cruz", nil, "MC"),
        (nil, nil, "Jan van der Berg", nil, "JB"),
        (nil, nil, "Jean-Luc Picard", nil, "JP"),
        ("zoë", "ångström", nil, nil, "ZÅ"),
        (nil, nil, "Émile Zola", nil, "ÉZ"),
        (nil, nil, "Seán Ó Briain", nil, "SB"),
        // Titles, suffixes, notes.
        (nil, nil, "Dr. Jane Doe", nil, "JD"),
        (nil, nil, "Prof. Dr. Hans Müller", nil, "HM"),
        (nil, nil, "Sam Carter (Contractor)", nil, "SC"),
        (nil, nil, "Jane Doe - Admin", nil, "JD"),
        (nil, nil, "John Smith, PhD", nil, "JS"),
        (nil, nil, "Martin Luther King Jr.", nil, "MK"),
        (nil, nil, "Doe, Jane", nil, "JD"),
        (nil, nil, "[EXT] Priya Patel", nil, "PP"),
        // Mail-only users.
        (nil, nil, nil, "jane.doe+news@contoso.example", "JD"),
        (nil, nil, nil, "j_smith2@contoso.example", "JS"),
        (nil, nil, nil, "admin@contoso.example", "A"),
        (nil, nil, "", "helpdesk@contoso.example", "H"),
        // Cyrillic and Greek, upper-cased.
        (nil, nil, "иван петров", nil, "ИП"),
        ("Дмитрий", "Кузнецов", nil, nil, "ДК"),
        (nil, nil, "ελένη παπαδοπούλου", nil, "ΕΠ"),
        // Chinese, Japanese, Korean: the family name's first character.
        ("伟", "王", "王伟", nil, "王"),
        (nil, nil, "王伟", nil, "王"),
        (nil, nil, "佐藤 翔", nil, "佐"),
        ("翔", "佐藤", nil, nil, "佐"),
        (nil, nil, "さとう しょう", nil, "さ"),
        (nil, nil, "김민준", nil, "김"),
        ("민준", "김", nil, nil, "김"),
        // Arabic and Hebrew: one isolated letter.
        (nil, nil, "محمد العلي", nil, "م"),
        ("فاطمة", "حسن", nil, nil, "ف"),
        (nil, nil, "דוד כהן", nil, "ד"),
        // Thai: vowels written before their consonant are passed over.
        (nil, nil, "สมชาย ใจดี", nil, "สจ"),
        // Emoji, digits and punctuation skipped; nothing left gives nothing.
        (nil, nil, "🎉 Party Bot", nil, "PB"),
        (nil, nil, "3D Team", nil, "DT"),
        (nil, nil, "Nina 🌸", nil, "N"),
        (nil, nil, "!!!", nil, ""),
        (nil, nil, "  ", nil, ""),
        (nil, nil, nil, nil, ""),
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

    /// Devanagari initials are base letters: never a vowel sign or virama, alone or misplaced.
    @Test(arguments: [("प्रिया शर्मा", "पश"), ("अमित क़ुमार", "अक़"), ("क्षितिज", "क")])
    func drawsDevanagariBaseLetters(name: String, expected: String) {
        let initials = Initials.of(givenName: nil, surname: nil, displayName: name, mail: nil)
        #expect(initials == expected)
        #expect(initials.unicodeScalars.allSatisfy { $0.properties.generalCategory == .otherLetter || $0.value == 0x093C })
    }

    /// A name starting with a stray combining mark does not yield the lone mark.
    @Test func neverStartsWithALoneMark() {
        #expect(Initials.of(givenName: nil, surname: nil, displayName: "\u{301}Anna Berg", mail: nil) == "AB")
    }

    /// Initials of two scripts would need two fonts in one string: keep the first alone.
    @Test func doesNotMixScripts() {
        #expect(Initials.of(givenName: "José", surname: "王", displayName: nil, mail: nil) == "J")
    }
}

@Suite struct UserIDTests {
    @Test(arguments: ["0306c47c-c1f1-328a-c160-431aa8835bff", "user.name_1", "A-B", "a..b", "x.", String(repeating: "k", count: 128)])
    func acceptsDirectoryIDs(id: String) {
        #expect(UserID.isValid(id))
    }

    @Test(arguments: ["", ".", "..", "../x", "a/b", "a\\b", "x\u{0}y", "tab\there", ".hidden", String(repeating: "k", count: 129),
                      "ünïcode", "%2e%2e", "-\u{301}", "a b"])
    func refusesAnythingElse(id: String) {
        #expect(!UserID.isValid(id))
        #expect(UserID.problem(with: id) != nil)
    }

    /// Should not let one grapheme of thousands of marks become an initial: a silhouette instead.
    @Test func refusesUnboundedGraphemes() {
        let jamo = "가" + String(repeating: "\u{1161}", count: 10_000)
        #expect(jamo.count == 1)
        #expect(Initials.of(givenName: nil, surname: nil, displayName: jamo, mail: nil) == "")
        let marks = "Z" + String(repeating: "\u{0301}", count: 5_000) + " Ya"
        #expect(Initials.of(givenName: nil, surname: nil, displayName: marks, mail: nil) == "")
        #expect(Initials.of(givenName: nil, surname: nil, displayName: "Zoë Ya", mail: nil) == "ZY")
    }
}
