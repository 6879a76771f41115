/// The writing systems whose initials need rules of their own.
enum Script: Equatable {
    /// Latin, Greek, Cyrillic, Armenian…: two initials, upper-cased.
    case cased
    /// Chinese, Japanese: one character.
    case han
    case kana
    case hangul
    /// Right to left, and joined (Arabic) or not (Hebrew): one isolated letter.
    case arabic
    case hebrew
    /// Abugidas whose letters carry marks: whole grapheme clusters.
    case devanagari
    case thai
    /// Letters of any other script: two initials, as they are.
    case other

    init(of character: Character) {
        guard let scalar = character.unicodeScalars.first else {
            self = .other
            return
        }
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: self = .han
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: self = .kana
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF: self = .hangul
        case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: self = .arabic
        case 0x0590...0x05FF, 0xFB1D...0xFB4F: self = .hebrew
        case 0x0900...0x097F, 0xA8E0...0xA8FF: self = .devanagari
        case 0x0E00...0x0E7F: self = .thai
        default: self = scalar.properties.changesWhenUppercased || scalar.properties.isUppercase ? .cased : .other
        }
    }

    /// Scripts written family name first, without spaces between the parts of a name.
    var isEastAsian: Bool { self == .han || self == .kana || self == .hangul }

    /// How many initials a name in this script gets.
    var initialCount: Int {
        switch self {
        case .han, .kana, .hangul, .arabic, .hebrew: 1
        case .cased, .devanagari, .thai, .other: 2
        }
    }
}
