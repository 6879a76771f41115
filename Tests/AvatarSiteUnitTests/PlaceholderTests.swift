@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

@Suite struct PlaceholderTests {
    static let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: SiteConfiguration()),
                                              style: PlaceholderConfiguration())
    static let background = RGBColor(red: 0x1A, green: 0x23, blue: 0x7E)

    /// Names in every script a global directory holds, for coverage and golden images.
    static let names: [(file: String, name: String)] = [
        ("latin", "Ada Lovelace"), ("accents", "Zoë Ångström"), ("cyrillic", "Дмитрий Кузнецов"),
        ("greek", "Ελένη Παπαδοπούλου"), ("chinese", "王伟"), ("japanese", "佐藤 翔"), ("korean", "김민준"),
        ("arabic", "محمد العلي"), ("hebrew", "דוד כהן"), ("devanagari", "प्रिया शर्मा"), ("thai", "สมชาย ใจดี"),
    ]

    static func initials(_ name: String) -> String {
        Initials.of(givenName: nil, surname: nil, displayName: name, mail: nil)
    }

    /// Should find an installed font with every glyph for every script, so nothing is drawn as tofu.
    @Test(arguments: names.map(\.name))
    func everyScriptHasAFont(name: String) throws {
        let initials = Self.initials(name)
        #expect(!initials.isEmpty)
        let font = try #require(Self.renderer.fontFile(for: initials), "no installed font draws \(initials)")
        #expect(FileManager.default.fileExists(atPath: font))
        let png = try Self.renderer.draw(initials, side: 96, background: Self.background).encoded(.png)
        let ink = try #require(TestImages.pixels(png)?.inkBox { $0.red > 200 && $0.green > 200 }, "\(name) drew nothing")
        #expect(ink.maxX - ink.minX >= 10 && ink.maxY - ink.minY >= 10)
    }

    /// Should draw a silhouette, never tofu, for a name no installed font can draw.
    @Test(arguments: ["𐀀𐀁", "", "𓀀"])
    func drawsASilhouetteWithoutAFont(initials: String) throws {
        #expect(Self.renderer.fontFile(for: initials) == nil)
        let png = try Self.renderer.draw(initials, side: 96, background: Self.background).encoded(.png)
        let grid = try #require(TestImages.pixels(png))
        let head = grid.rgb(x: 48, y: 38), corner = grid.rgb(x: 2, y: 2)
        #expect(head.red > 150 && head.green > 150, "no head where the silhouette's head is: \(head)")
        #expect(corner.red == 0x1A && corner.blue == 0x7E, "the background is not the background: \(corner)")
    }

    /// Should give the initials the same share of the image at 48 px as at 648 px.
    @Test(arguments: ["AB", "王", "ИП"])
    func keepsTheSameOpticalWeightAtEverySize(initials: String) throws {
        func inkShare(_ side: Int) throws -> Double {
            let png = try Self.renderer.draw(initials, side: side, background: RGBColor(red: 0, green: 0, blue: 0)).encoded(.png)
            let grid = try #require(TestImages.pixels(png))
            var ink = 0.0
            for y in 0..<side { for x in 0..<side { ink += Double(grid.rgb(x: x, y: y).red) / 255 } }
            return ink / Double(side * side)
        }
        let small = try inkShare(48), large = try inkShare(648)
        #expect(abs(small - large) / large < 0.2, "ink share \(small) at 48 px, \(large) at 648 px")
    }

    /// Should write circles as a JPEG with painted corners and a PNG with transparent ones.
    @Test func drawsCirclesWithTransparentCorners() throws {
        var style = PlaceholderConfiguration()
        style.shape = .circle
        style.cornerColor = RGBColor(red: 0xEE, green: 0xEE, blue: 0xEE)
        var configuration = SiteConfiguration()
        configuration.sizes = [PhotoSize(side: 96)]
        let images = try PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: style)
            .render(initials: "AB", background: Self.background)
        let image = try #require(images.bySize[PhotoSize(side: 96)])
        let pngData = try #require(image.png)
        let png = try #require(TestImages.pixels(pngData))
        #expect(png.alpha(x: 1, y: 1) == 127 && png.alpha(x: 48, y: 48) == 0 && png.alpha(x: 48, y: 2) == 0)
        var partial = 0
        for y in 0..<96 { for x in 0..<96 where (1...126).contains(png.alpha(x: x, y: y)) { partial += 1 } }
        #expect(partial > 100, "the edge is not antialiased: \(partial) partly transparent pixels")
        let jpeg = try #require(TestImages.pixels(image.jpeg))
        let corner = jpeg.rgb(x: 1, y: 1)
        #expect(abs(corner.red - 0xEE) < 6 && abs(corner.blue - 0xEE) < 6)
    }

    /// Golden images, one per script, compared with a tolerance; `AVATAR_SITE_RECORD_GOLDENS=1`
    /// records them again after a deliberate change.
    @Test(arguments: names)
    func matchesTheGoldenImage(file: String, name: String) throws {
        let png = try Self.renderer.draw(Self.initials(name), side: 96, background: Self.background).encoded(.png)
        try Golden.compare(png, to: "placeholder-\(file).png")
    }
}

extension PlaceholderTests {
    /// Should keep initials centred at every size though they are measured once, at the largest.
    @Test(arguments: ["AB", "Jq", "王", "م"])
    func centresInitialsAtEverySize(initials: String) throws {
        var style = PlaceholderConfiguration()
        style.foreground = RGBColor(red: 255, green: 255, blue: 255)
        var configuration = SiteConfiguration()
        configuration.imaging.jpegQuality = 100
        let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: style)
        let images = try renderer.render(initials: initials, background: RGBColor(red: 0, green: 0, blue: 0))
        for size in [48, 96, 240] {
            let jpeg = try #require(images.bySize[PhotoSize(side: size)]).jpeg
            let box = try #require(TestImages.pixels(jpeg)?.inkBox { $0.red > 128 })
            #expect(abs(box.minX + box.maxX - (size - 1)) <= 2, "\(initials) at \(size): ink \(box.minX)…\(box.maxX)")
            #expect(abs(box.minY + box.maxY - (size - 1)) <= 2, "\(initials) at \(size): ink \(box.minY)…\(box.maxY)")
        }
    }
}
