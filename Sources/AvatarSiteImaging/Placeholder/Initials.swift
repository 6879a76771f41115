import Foundation

/// Up to two initials for a user, grapheme by grapheme (a Swift `Character`), so an accented
/// letter, a combining sequence or an Indic cluster is never split.
///
/// The rules, script by script:
/// - Latin, Greek, Cyrillic and other cased scripts: the first letter of the first and of the
///   last name word, upper-cased ("Maria de la Cruz" → "MC", "иван петров" → "ИП").
/// - Chinese, Japanese and Korean: one character, the family name's first. These names are
///   written family name first, and two dense square characters do not read at 48 px; the
///   family name is also what colleagues in these cultures address each other by at work.
/// - Arabic and Hebrew: one letter, the given name's first. libgd neither shapes nor orders
///   right-to-left text, so two letters would be drawn unjoined and in the wrong order; one
///   letter in its isolated form is always right.
/// - Devanagari: the base letter of each name's first cluster ("प्रिया शर्मा" → "पश"), never a lone
///   vowel sign or virama. libgd draws without a shaping engine, so a conjunct or the vowel sign
///   ि, which is written before its consonant, would land in the wrong place; a base letter is
///   always drawn right.
/// - Thai: whole grapheme clusters, never a lone mark; vowels written before their consonant
///   (เ แ โ ใ ไ) are passed over.
/// - Titles ("Dr.", "Prof."), suffixes (", PhD", "Jr."), parenthesised notes ("(Contractor)"),
///   a trailing " - Admin", emoji, digits and punctuation are skipped. "Doe, Jane" is read as
///   family name, given name.
public enum Initials {
    static let titles: Set<String> = ["dr", "prof", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "lord", "lady",
                                      "herr", "frau", "mme", "mlle", "m", "sr", "sra", "srta", "rev", "fr", "hon", "ing"]
    static let suffixes: Set<String> = ["phd", "md", "jr", "sr", "ii", "iii", "iv", "mba", "cpa", "esq", "dds", "rn", "msc",
                                        "bsc", "ma", "ba", "pe", "pmp", "cfa"]

    /// The most Unicode scalars one initial may hold: a letter with its marks, a Hangul syllable
    /// spelled in jamo. A "character" of thousands of combining marks is one grapheme, and drawn
    /// at its full width it would take gigabytes; a name that gives one gets the silhouette.
    public static let maximumScalarsPerInitial = 4

    /// Initials from given name and surname, else the display name, else the mail's local part;
    /// empty (a silhouette) when they would not be a few ordinary characters.
    public static func of(givenName: String?, surname: String?, displayName: String?, mail: String?) -> String {
        let initials = unbounded(givenName: givenName, surname: surname, displayName: displayName, mail: mail)
        return initials.allSatisfy({ $0.unicodeScalars.count <= maximumScalarsPerInitial }) ? initials : ""
    }

    private static func unbounded(givenName: String?, surname: String?, displayName: String?, mail: String?) -> String {
        let given = givenName.map(words) ?? []
        let family = surname.map(words) ?? []
        if let first = given.first, let last = family.last {
            return initials(firstWord: first, lastWord: last, familyWord: family.first ?? last)
        }
        if let displayName, let result = fromDisplayName(displayName) {
            return result
        }
        if let mail, let local = mail.split(separator: "@").first {
            let tagless = local.split(separator: "+").first.map(String.init) ?? ""
            let parts = tagless.split(whereSeparator: { ".-_".contains($0) }).map(String.init).filter(hasLetter)
            if let first = parts.first {
                return initials(firstWord: first, lastWord: parts.last ?? first, familyWord: first)
            }
        }
        return ""
    }

    static func fromDisplayName(_ name: String) -> String? {
        var text = removingBracketed(name)
        // "Jane Doe - Admin", "Jane Doe | Sales": what follows is a note, not a name.
        for separator in [" - ", " – ", " — ", " | "] {
            if let range = text.range(of: separator) { text = String(text[..<range.lowerBound]) }
        }
        var parts = words(text)
        if let comma = text.firstIndex(of: ",") {
            let head = words(String(text[..<comma]))
            let tail = words(String(text[text.index(after: comma)...]))
            // "Doe, Jane" is family name first; "Jane Doe, PhD" ends in a suffix.
            parts = tail.isEmpty ? head : head.isEmpty ? tail : tail + head
        }
        guard let first = parts.first else { return nil }
        // East Asian display names come family name first: "王伟", "佐藤 翔".
        return initials(firstWord: first, lastWord: parts.last ?? first, familyWord: first)
    }

    /// The initials of a name whose given name starts `firstWord` and whose family name is
    /// `familyWord` … `lastWord`.
    static func initials(firstWord: String, lastWord: String, familyWord: String) -> String {
        guard let lead = firstLetter(of: firstWord) else { return "" }
        let script = Script(of: lead)
        if script.isEastAsian {
            let family = firstLetter(of: familyWord).map { Script(of: $0).isEastAsian ? $0 : lead } ?? lead
            return String(family)
        }
        if script.initialCount == 1 || firstWord == lastWord {
            return cased(lead)
        }
        guard let second = firstLetter(of: lastWord), Script(of: second) == script else { return cased(lead) }
        return cased(lead) + cased(second)
    }

    /// Name words: split on spaces and commas, titles, suffixes and letterless words dropped.
    static func words(_ text: String) -> [String] {
        removingBracketed(text)
            .split(whereSeparator: { $0.isWhitespace || $0 == "," })
            .map(String.init)
            .filter { word in
                let bare = word.lowercased().filter { $0 != "." }
                return hasLetter(word) && !titles.contains(bare) && !suffixes.contains(bare)
            }
    }

    static func removingBracketed(_ text: String) -> String {
        var kept = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[", "{", "（", "【": depth += 1
            case ")", "]", "}", "）", "】": depth = max(0, depth - 1)
            default: if depth == 0 { kept.append(character) }
            }
        }
        return kept
    }

    static func hasLetter(_ word: String) -> Bool {
        word.contains { $0.isLetter }
    }

    /// The first letter of `word`: a whole grapheme cluster, never a lone mark; for Thai, not a
    /// vowel that is written before its consonant.
    static func firstLetter(of word: String) -> Character? {
        word.first { character in
            guard character.isLetter, let scalar = character.unicodeScalars.first else { return false }
            return !(0x0E40...0x0E44).contains(scalar.value)
        }
    }

    /// Upper-cased where the script has case and the result stays one character ("ß" stays);
    /// a Devanagari cluster cut to its base letter and nukta.
    static func cased(_ letter: Character) -> String {
        if Script(of: letter) == .devanagari {
            var base = String.UnicodeScalarView()
            for scalar in letter.unicodeScalars {
                guard base.isEmpty || scalar.value == 0x093C else { break }  // the nukta belongs to its letter
                base.append(scalar)
            }
            return String(base)
        }
        let upper = String(letter).uppercased()
        return upper.count == 1 ? upper : String(letter)
    }
}
