/// Up to two initials for a user, taken grapheme by grapheme (a Swift `Character`), so an
/// accented letter or a combining sequence is never split.
public enum Initials {
    /// Words that are titles, not names.
    static let titles: Set<String> = ["dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "phd", "md", "jr", "sr"]

    /// Initials from given name and surname, else the display name, else the mail's local part.
    public static func of(givenName: String?, surname: String?, displayName: String?, mail: String?) -> String {
        if let given = firstLetter(givenName), let family = firstLetter(surname) {
            return given + family
        }
        if let displayName, let initials = fromWords(words(in: displayName)) {
            return initials
        }
        if let mail, let local = mail.split(separator: "@").first {
            let localWords = local.split(separator: "+").first.map { $0.split(whereSeparator: { ".-_".contains($0) }) } ?? []
            if let initials = fromWords(localWords.map(String.init)) {
                return initials
            }
        }
        return ""
    }

    static func words(in name: String) -> [String] {
        var cleaned = ""
        var depth = 0
        for character in name {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            default: if depth == 0 { cleaned.append(character) }
            }
        }
        return cleaned.split(whereSeparator: { $0.isWhitespace || $0 == "," })
            .map(String.init)
            .filter { !titles.contains($0.lowercased().trimmingCharacters(in: ".")) }
    }

    static func fromWords(_ words: [String]) -> String? {
        let letters = words.compactMap(firstLetter)
        guard let first = letters.first else { return nil }
        return letters.count > 1 ? first + (letters.last ?? "") : first
    }

    /// The first letter of `word`, upper-cased where that keeps it one letter.
    static func firstLetter(_ word: String?) -> String? {
        guard let letter = word?.first(where: { $0.isLetter }) else { return nil }
        let upper = String(letter).uppercased()
        return upper.count == 1 ? upper : String(letter)
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
