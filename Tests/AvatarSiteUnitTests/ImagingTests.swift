@testable import AvatarSite
import CGD
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

@Suite struct ImagingTests {
    static let settings = RenderSettings(configuration: SiteConfiguration())

    @Test func readsDimensionsFromHeadersAlone() throws {
        let jpeg = try ImageHeader(reading: TestImages.jpeg(width: 321, height: 123))
        #expect(jpeg.format == .jpeg && jpeg.width == 321 && jpeg.height == 123)
        let png = try ImageHeader(reading: TestImages.png(width: 64, height: 48))
        #expect(png.format == .png && png.width == 64 && png.height == 48)
        let bomb = try ImageHeader(reading: TestImages.pixelBomb(width: 40_000, height: 30_000))
        #expect(bomb.width == 40_000 && bomb.height == 30_000)
    }

    @Test func identifiesFormatsByMagicBytesOnly() {
        #expect(ImageFormat(sniffing: TestImages.png(width: 4, height: 4)) == .png)
        #expect(ImageFormat(sniffing: Data("GIF89a......".utf8)) == .gif)
        #expect(ImageFormat(sniffing: Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageFormat(sniffing: Data("<!DOCTYPE html>".utf8)) == nil)
        #expect(ImageFormat(sniffing: Data()) == nil)
    }

    /// Should refuse a decompression bomb from its header, before libgd allocates anything.
    @Test func refusesAPixelBombBeforeDecoding() {
        #expect(throws: ImagingError(.tooManyPixels, "the image claims 40000x40000 pixels, over the limit of 25000000")) {
            try PhotoRenderer(settings: Self.settings).render(TestImages.pixelBomb())
        }
    }

    /// Should refuse a bomb in well under 100 ms: from its header, without decoding a pixel.
    @Test func refusesAPixelBombInMilliseconds() {
        let bomb = TestImages.pixelBomb()
        let renderer = PhotoRenderer(settings: Self.settings)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<10 { _ = try? renderer.render(bomb) }
        let each = (clock.now - started) / 10
        #expect(each < .milliseconds(100), "\(each) per refusal")
    }

    /// A PNG header claiming 4294967295 x 4294967295 must be refused, not overflow the check.
    @Test func refusesAnOverflowingPNGHeader() throws {
        var png = [UInt8](TestImages.png(width: 8, height: 8))
        for index in 16..<24 { png[index] = 0xFF }
        let header = try ImageHeader(reading: Data(png))
        #expect(header.pixelCount == Int.max)
        #expect(throws: ImagingError.self) { try PhotoRenderer(settings: Self.settings).render(Data(png)) }
    }

    /// A photo smaller than the largest size keeps its own size exact: the smaller sizes are
    /// never made from an upscaled copy.
    @Test func neverResizesFromAnUpscaledCopy() throws {
        let photo = TestImages.jpeg(width: 240, height: 240, quality: 100)
        let pngs = try PhotoRenderer(settings: Self.settings).renderPNGs(photo)
        let ownPNG = try #require(pngs[PhotoSize(side: 240)])
        let own = try #require(TestImages.pixels(ownPNG))
        let source = try #require(TestImages.pixels(photo))
        var difference = 0
        for y in stride(from: 0, to: 240, by: 7) {
            for x in stride(from: 0, to: 240, by: 7) { difference = max(difference, abs(own.rgb(x: x, y: y).red - source.rgb(x: x, y: y).red)) }
        }
        #expect(difference <= 2, "the 240 px size is not the 240 px photo")
    }

    /// libgd decodes a truncated JPEG "successfully" with a grey bottom; we must not.
    @Test func refusesATruncatedJPEG() {
        let photo = TestImages.jpeg(width: 300, height: 300)
        for cut in [photo.count / 3, photo.count / 2, photo.count - 40] {
            #expect(throws: ImagingError.self) { try PhotoRenderer(settings: Self.settings).render(photo.prefix(cut)) }
        }
    }

    @Test func makesEveryConfiguredSizeFromOneDecode() throws {
        let images = try PhotoRenderer(settings: Self.settings).render(TestImages.jpeg(width: 504, height: 504))
        #expect(images.sourceSize == PhotoSize(side: 504))
        #expect(!images.isPlaceholder)
        for size in PhotoSize.graphSizes {
            let image = try #require(images.bySize[size])
            let decoded = try #require(TestImages.decodedSize(image.jpeg))
            #expect(decoded.width == size.side && decoded.height == size.side)
        }
        #expect(TestImages.decodedSize(images.largest.jpeg)?.width == 504)
    }

    /// Should lay a transparent PNG over white, not black.
    @Test func flattensTransparencyOverWhite() throws {
        let transparent = try GDImage(width: 50, height: 50, filledWith: RGBColor(red: 0, green: 0, blue: 0))
        transparent.withPointer { pointer in
            gdImageAlphaBlending(pointer, 0)
            gdImageFilledRectangle(pointer, 0, 0, 49, 49, cgd_true_color_alpha(0, 0, 0, 127))
        }
        let png = try transparent.encoded(.png)
        let images = try PhotoRenderer(settings: Self.settings).render(png)
        let small = try #require(images.bySize[PhotoSize(side: 48)])
        let pixel = try #require(TestImages.pixel(small.jpeg, x: 24, y: 24))
        #expect(pixel.red > 240 && pixel.green > 240 && pixel.blue > 240, "\(pixel)")
    }

    /// Should centre the initials on their real glyph box, not on the font's line metrics.
    @Test(arguments: ["AB", "Jq", "Ωg", "W"])
    func centresInitials(text: String) throws {
        let renderer = PlaceholderRenderer(settings: Self.settings, style: PlaceholderConfiguration())
        let image = try renderer.draw(text, side: 240, background: RGBColor(red: 0, green: 0, blue: 0)).encoded(.png)
        let grid = try #require(TestImages.pixels(image))
        let box = try #require(grid.inkBox { $0.red > 128 }, "nothing was drawn")
        #expect(abs(box.minX + box.maxX - 239) <= 2, "horizontal ink \(box.minX)…\(box.maxX)")
        #expect(abs(box.minY + box.maxY - 239) <= 2, "vertical ink \(box.minY)…\(box.maxY)")
    }

    @Test func coloursAreStableAcrossProcesses() {
        // FNV-1a 64 test vectors: the colour of a user must never depend on the process.
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
        let renderer = PlaceholderRenderer(settings: Self.settings, style: PlaceholderConfiguration())
        #expect(renderer.background(for: "a") == PlaceholderConfiguration.defaultPalette[Int(UInt64(0xaf63_dc4c_8601_ec8c) % 14)])
    }

    @Test func defaultPaletteMeetsWCAGAA() {
        for color in PlaceholderConfiguration.defaultPalette {
            #expect(color.contrastRatio(with: RGBColor(red: 255, green: 255, blue: 255)) >= 4.5, "\(color)")
        }
    }

    /// Should publish photos libjpeg only warns about harmlessly, and refuse every format cut short.
    @Test func tellsHarmlessWarningsFromDamage() throws {
        let renderer = PhotoRenderer(settings: Self.settings)
        let jpeg = TestImages.jpeg(width: 120, height: 120)
        #expect([UInt8](jpeg.prefix(11).suffix(5)) == Array("JFIF\u{0}".utf8), "the test JPEG starts with JFIF")
        _ = try renderer.render(TestImages.withExtraneousBytes(jpeg))
        _ = try renderer.render(TestImages.withJFIFVersion2(jpeg))
        for (name, whole) in [("jpeg", jpeg), ("png", TestImages.png(width: 120, height: 120)), ("gif", TestImages.gif(width: 120, height: 120))] {
            _ = try renderer.render(whole)
            #expect(throws: ImagingError.self, "\(name) cut short") { try renderer.render(whole.prefix(whole.count * 2 / 3)) }
        }
        // A harmless warning does not hide damage after it.
        let both = TestImages.withExtraneousBytes(jpeg)
        #expect(throws: ImagingError.self) { try renderer.render(both.prefix(both.count * 2 / 3)) }
    }

    /// Should turn a photo upright by its EXIF orientation at every size, its own size included.
    @Test(arguments: [6, 8, 3])
    func turnsPhotosUpright(orientation: Int) throws {
        // Stored red on the left and blue on the right.
        let stored = TestImages.withEXIFOrientation(TestImages.jpeg(width: 200, height: 200), orientation)
        let images = try PhotoRenderer(settings: Self.settings).render(stored)
        for image in [images.largest.jpeg, try #require(images.bySize[PhotoSize(side: 96)]).jpeg] {
            let side = try #require(TestImages.decodedSize(image)).width
            let top = try #require(TestImages.pixel(image, x: side / 2, y: 2))
            let bottom = try #require(TestImages.pixel(image, x: side / 2, y: side - 3))
            let left = try #require(TestImages.pixel(image, x: 2, y: side / 2))
            switch orientation {
            case 6: #expect(top.red > 170 && bottom.blue > 170, "\(top) \(bottom)")  // turned clockwise
            case 8: #expect(top.blue > 170 && bottom.red > 170, "\(top) \(bottom)")  // turned anticlockwise
            default: #expect(left.blue > 170, "\(left)")  // turned half way
            }
        }
        #expect(images.largest.jpeg != JPEGMetadataStripper.stripped(stored), "the own size was copied, not turned")
    }

    /// Should reduce a large photo before the float work, and still make every size from it.
    @Test func reducesALargePhotoFirst() throws {
        let large = TestImages.png(width: 3200, height: 2400, left: (0, 140, 0), right: (0, 140, 0))
        let photo = try PhotoRenderer(settings: Self.settings).decode(large)
        // 2400 / (1.5 x 648) = 2: the square is averaged down by two.
        #expect(photo.square.width == 1200 && photo.ownJPEG == nil)
        let images = try PhotoRenderer(settings: Self.settings).render(large)
        #expect(images.sourceSize == PhotoSize(side: 2400))
        let largest = try #require(images.bySize[PhotoSize(side: 648)])
        let green = try #require(TestImages.pixel(largest.jpeg, x: 300, y: 300))
        #expect(green.green > 120 && green.red < 30, "\(green)")
    }

    /// Should publish `photo.jpg` at the photo's own size even when the sizes are made from a
    /// reduced square: the reduction saves memory, it must not shrink the photo Graph serves.
    @Test(arguments: [(format: "jpeg", orientation: 1), (format: "jpeg", orientation: 6), (format: "png", orientation: 1)])
    func publishesThePhotoAtItsOwnSizeWhenItIsReduced(_ format: String, _ orientation: Int) throws {
        let (width, height) = orientation >= 5 ? (3000, 4000) : (4000, 3000)
        let stored = format == "png" ? TestImages.png(width: width, height: height)
            : TestImages.withEXIFOrientation(TestImages.jpeg(width: width, height: height), orientation)
        let renderer = PhotoRenderer(settings: Self.settings)
        #expect(try renderer.decode(stored).square.width < 3000, "the square is reduced")
        let images = try renderer.render(stored)
        #expect(images.sourceSize == PhotoSize(side: 3000))
        #expect(TestImages.decodedSize(images.largest.jpeg).map { [$0.width, $0.height] } == [3000, 3000])
        // The gradient runs from red to blue along the stored rows; turned by EXIF 6, it runs
        // from the top to the bottom of the upright photo.
        let start = try #require(TestImages.pixel(images.largest.jpeg, x: orientation == 6 ? 1500 : 20, y: orientation == 6 ? 20 : 1500))
        let end = try #require(TestImages.pixel(images.largest.jpeg, x: orientation == 6 ? 1500 : 2980, y: orientation == 6 ? 2980 : 1500))
        #expect(start.red > start.blue && end.blue > end.red, "\(start) \(end)")
    }

    /// Should publish a large square upright JPEG as its own bytes, stripped, even when its
    /// square is reduced for the sizes: no second generation of loss, no full-size encode.
    @Test func publishesALargeSquareJPEGAsItsOwnBytes() throws {
        let stored = TestImages.jpeg(width: 2400, height: 2400)
        let renderer = PhotoRenderer(settings: Self.settings)
        #expect(try renderer.decode(stored).square.width < 2400, "the square is reduced")
        let images = try renderer.render(stored)
        #expect(images.sourceSize == PhotoSize(side: 2400))
        #expect(images.largest.jpeg == JPEGMetadataStripper.stripped(stored))
    }
}
