import Foundation

/// The search fold of docs/directory-data.md: lower case, accents off, letters without a
/// decomposition spelled out, everything but letters, marks and digits one space. The page
/// searches folded text; the build orders the rows by the folded name, so the list reads the
/// same way the search thinks (`Łukasz` beside `Lukas`, not after `Zoë`).
enum SearchFold {
    static func fold(_ text: String) -> String {
        var scalars = Array(text.lowercased().unicodeScalars)
        if scalars.contains(where: { !$0.isASCII }) {
            var decomposed = String.UnicodeScalarView()
            for scalar in String(String.UnicodeScalarView(scalars)).decomposedStringWithCompatibilityMapping.unicodeScalars
            where !isStrippedMark(scalar) {
                if let spelled = spelledOut[scalar] {
                    decomposed.append(contentsOf: spelled.unicodeScalars)
                } else {
                    decomposed.append(scalar)
                }
            }
            scalars = Array(String(decomposed).precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        var folded = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in scalars where !apostrophes.contains(scalar) {
            guard isKept(scalar) else {
                pendingSpace = !folded.isEmpty
                continue
            }
            if pendingSpace {
                folded.append(" ")
                pendingSpace = false
            }
            folded.append(scalar)
        }
        return String(folded)
    }

    /// Orders folded strings by their Unicode scalar values, as the reference (Python) does;
    /// Swift's own `<` compares canonical equivalents instead.
    static func precedes(_ left: String, _ right: String) -> Bool {
        left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) { $0.value < $1.value }
    }

    /// Accents of Latin, Greek and Cyrillic, Hebrew points, Arabic vowel marks. Other marks
    /// change the letter, not its accent, and stay.
    private static func isStrippedMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F,
             0x0591...0x05C7,
             0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06ED:
            true
        default:
            false
        }
    }

    /// Letters that NFKD leaves whole.
    private static let spelledOut: [Unicode.Scalar: String] = [
        "ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ı": "i", "ŧ": "t", "ŀ": "l",
        "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ς": "σ",
    ]

    private static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{02BC}"]

    /// Letters, marks and numbers (general categories L, M and N).
    private static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            false
        }
    }
}
