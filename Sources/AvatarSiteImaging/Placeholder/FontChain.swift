import CFontconfig
import Foundation
import Synchronization

/// Finds, for a piece of text, an installed font that has a glyph for every character of it,
/// so that a placeholder never shows tofu boxes.
///
/// fontconfig's own matching always answers with *some* font, silently, even for a family that
/// is not installed; and libgd draws a box for a glyph the font lacks, without an error. So each
/// pattern is matched once to a font file, and that file's character set is checked before the
/// file (not the pattern) is handed to libgd.
package final class FontChain: Sendable {
    /// Tried after the configured fonts: a bold face for each script a directory is likely to hold.
    static let scriptFallbacks = [
        "DejaVu Sans:bold", "Noto Sans:bold", "Noto Sans CJK JP:bold", "Noto Sans Arabic:bold",
        "Noto Sans Hebrew:bold", "Noto Sans Devanagari:bold", "Noto Sans Thai:bold",
    ]

    private struct Candidate: @unchecked Sendable {
        // Kept alive for the life of the process: its character set is read on every lookup.
        let match: OpaquePointer
        let file: String
    }

    private let candidates: [Candidate]
    /// The font chosen for each text: a directory repeats initials, but hostile names need not,
    /// so the memory is bounded (and starts over when full).
    private let chosen = Mutex<[String: String?]>([:])
    private static let capacity = 8192
    private static let lock = Mutex(())

    package init(patterns: [String]) {
        var seen = Set<String>()
        var candidates = [Candidate]()
        Self.lock.withLock { _ in
            guard FcInit() != 0 else { return }
            for pattern in patterns + Self.scriptFallbacks {
                guard let candidate = Self.match(pattern) else { continue }
                guard seen.insert(candidate.file).inserted else {
                    FcPatternDestroy(candidate.match)
                    continue
                }
                candidates.append(candidate)
            }
        }
        self.candidates = candidates
    }

    /// The file of the first font that can draw every character of `text`, or nil.
    package func fontFile(for text: String) -> String? {
        if let known = chosen.withLock({ $0[text] }) { return known }
        let scalars = text.unicodeScalars.filter { !$0.properties.isWhitespace && $0.properties.generalCategory != .format }
        let file = Self.lock.withLock { _ in
            candidates.first { candidate in
                var charset: OpaquePointer?
                guard FcPatternGetCharSet(candidate.match, FC_CHARSET, 0, &charset) == FcResultMatch, let charset else {
                    return false
                }
                return scalars.allSatisfy { FcCharSetHasChar(charset, $0.value) != 0 }
            }?.file
        }
        chosen.withLock { chosen in
            if chosen.count >= Self.capacity { chosen.removeAll(keepingCapacity: true) }
            chosen[text] = file
        }
        return file
    }

    /// The font file fontconfig picks for `pattern`, with its character set.
    private static func match(_ pattern: String) -> Candidate? {
        guard let parsed = pattern.withCString({ FcNameParse(UnsafeRawPointer($0).assumingMemoryBound(to: FcChar8.self)) })
        else { return nil }
        defer { FcPatternDestroy(parsed) }
        FcConfigSubstitute(nil, parsed, FcMatchPattern)
        FcDefaultSubstitute(parsed)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, parsed, &result), result == FcResultMatch else { return nil }
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let file else {
            FcPatternDestroy(match)
            return nil
        }
        return Candidate(match: match, file: String(cString: UnsafeRawPointer(file).assumingMemoryBound(to: CChar.self)))
    }
}
