@testable import AvatarSite
import CGD
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

/// Initials painted through a cached coverage mask must look like initials drawn by FreeType
/// straight onto the colour, whatever the cache has kept or dropped.
@Suite struct GlyphMaskCacheTests {
    static let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: SiteConfiguration()),
                                              style: SiteConfiguration().placeholder)

    static func largestDifference(_ a: GDImage, _ b: GDImage) -> (difference: Int, changed: Int) {
        var largest = 0, changed = 0
        a.withPointer { pa in
            b.withPointer { pb in
                for y in 0..<Int32(a.height) {
                    for x in 0..<Int32(a.width) {
                        let p = gdImageGetTrueColorPixel(pa, x, y), q = gdImageGetTrueColorPixel(pb, x, y)
                        for shift: Int32 in [0, 8, 16] { largest = max(largest, abs(Int((p >> shift) & 0xFF) - Int((q >> shift) & 0xFF))) }
                        if p != q { changed += 1 }
                    }
                }
            }
        }
        return (largest, changed)
    }

    @Test(arguments: ["AB", "Жю", "王", "م"], [48, 96, 240])
    func paintsWhatFreeTypeWouldDraw(initials: String, side: Int) throws {
        // A budget of one byte: every mask is dropped as soon as another is drawn.
        let renderer = PlaceholderRenderer(settings: Self.renderer.settings, style: Self.renderer.style, maskBudget: 1)
        let font = try #require(renderer.fontFile(for: initials))
        let background = RGBColor(red: 30, green: 90, blue: 160)
        let layout = try PlaceholderRenderer.TextLayout(initials, font: font, side: 648)
        let drawn = try GDImage(width: side, height: side, filledWith: background)
        let (pointSize, x, y) = layout.placement(side: side)
        try GDText.draw(initials, on: drawn, font: font, pointSize: pointSize, color: renderer.style.foreground,
                        baselineX: x, baselineY: y)
        // Painted with the mask just drawn, then again after other initials pushed it out.
        for other in ["", "QZ"] {
            if !other.isEmpty { _ = try renderer.draw(other, layout: PlaceholderRenderer.TextLayout(other, font: font, side: 648),
                                                      side: side, background: background) }
            let painted = try renderer.draw(initials, layout: layout, side: side, background: background)
            let (difference, changed) = Self.largestDifference(painted, drawn)
            // libgd blends with 7-bit alpha, the mask with 8 bits: a step of at most a few levels.
            #expect(difference <= 4, "\(initials) at \(side) px differs by up to \(difference)")
            #expect(changed < side * side / 4)
        }
    }
}
