import Synchronization

/// Text layouts already measured, by initials and font. Measuring draws the initials two or
/// three times at the largest size; the layout does not depend on the colour, so a directory
/// where many people share initials measures each pair once.
final class TextLayoutCache: Sendable {
    private struct Key: Hashable {
        var initials: String
        var font: String
        var side: Int
    }

    private let layouts = Mutex<[Key: PlaceholderRenderer.TextLayout]>([:])
    /// Enough for every pair of Latin capitals and thousands of other initials; then it starts over.
    private let capacity = 20_000

    func layout(_ initials: String, font: String, side: Int) throws(ImagingError) -> PlaceholderRenderer.TextLayout {
        let key = Key(initials: initials, font: font, side: side)
        if let known = layouts.withLock({ $0[key] }) { return known }
        let measured = try PlaceholderRenderer.TextLayout(initials, font: font, side: side)
        layouts.withLock { layouts in
            if layouts.count >= capacity { layouts.removeAll() }
            layouts[key] = measured
        }
        return measured
    }
}
