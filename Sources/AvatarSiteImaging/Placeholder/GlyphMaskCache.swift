import CGD
import CImaging
import Synchronization
import AvatarSiteContract

/// The coverage of drawn initials, by initials, font and size, cropped to the inked box. A
/// placeholder's look is its initials and its colour; the coverage depends only on the first,
/// so people who share initials but not a colour share one FreeType rendering (hinting alone
/// was a seventh of drawing a placeholder), and each look only paints its colour through it.
///
/// Only the small sizes are kept: FreeType's cost per call hardly depends on the size, while a
/// mask's bytes grow with its square. A directory's few hundred distinct initials fit in a few
/// megabytes up to 240 px; with the large sizes they would take a hundred.
final class GlyphMaskCache: Sendable {
    /// The largest side whose masks are cached; larger sizes are drawn with FreeType each time.
    static let largestSide = 240

    struct Mask: Sendable {
        var left: Int
        var top: Int
        var width: Int
        var height: Int
        var coverage: [UInt8]
    }

    private struct Key: Hashable {
        var initials: String
        var font: String
        var side: Int
        /// The side the layout was measured at: one measured at another size places the ink a
        /// pixel differently.
        var measuredAt: Int
    }

    private struct Entries {
        var masks: [Key: Mask] = [:]
        var bytes = 0
    }

    private let entries = Mutex(Entries())
    /// Masks of the largest sizes weigh tens of kilobytes; past this many bytes, masks are
    /// dropped at random until there is room again, so the common initials tend to stay.
    private let budget: Int

    static let defaultBudget = 16 << 20

    init(budget: Int = defaultBudget) {
        self.budget = budget
    }

    func mask(_ initials: String, font: String, side: Int, layout: PlaceholderRenderer.TextLayout) throws(ImagingError) -> Mask {
        let key = Key(initials: initials, font: font, side: side, measuredAt: layout.side)
        if let known = entries.withLock({ $0.masks[key] }) { return known }
        let drawn = try Self.draw(initials, font: font, side: side, layout: layout)
        entries.withLock { entries in
            guard entries.masks[key] == nil else { return }
            while entries.bytes + drawn.coverage.count > budget, let victim = entries.masks.randomElement() {
                entries.masks[victim.key] = nil
                entries.bytes -= victim.value.coverage.count
            }
            entries.masks[key] = drawn
            entries.bytes += drawn.coverage.count
        }
        return drawn
    }

    /// White initials on black at `side`, placed by `layout`, cropped to the pixels they cover.
    private static func draw(_ initials: String, font: String, side: Int, layout: PlaceholderRenderer.TextLayout) throws(ImagingError) -> Mask {
        let canvas = try GDImage(width: side, height: side, filledWith: RGBColor(red: 0, green: 0, blue: 0))
        let (pointSize, x, y) = layout.placement(side: side)
        try GDText.draw(initials, on: canvas, font: font, pointSize: pointSize, color: RGBColor(red: 255, green: 255, blue: 255),
                        baselineX: x, baselineY: y)
        guard let box = canvas.inkBox(threshold: 0) else {
            return Mask(left: 0, top: 0, width: 0, height: 0, coverage: [])
        }
        let (width, height) = (box.width + 1, box.height + 1)
        var coverage = [UInt8](repeating: 0, count: width * height)
        canvas.withPointer { pointer in
            guard let rows = pointer.pointee.tpixels else { return }
            for row in 0..<height {
                guard let pixels = rows[box.top + row] else { continue }
                for column in 0..<width {
                    coverage[row * width + column] = UInt8(truncatingIfNeeded: pixels[box.left + column] >> 16 & 0xFF)
                }
            }
        }
        return Mask(left: box.left, top: box.top, width: width, height: height, coverage: coverage)
    }
}
