@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing

@Suite struct JPEGMetadataStripperTests {
    /// `jpeg` with `segments` (marker byte, payload) inserted right after its start-of-image.
    static func inserting(_ segments: [(UInt8, String)], into jpeg: Data) -> Data {
        var result = Data(jpeg.prefix(2))
        for (marker, payload) in segments {
            let bytes = Data(payload.utf8)
            result.append(contentsOf: [0xFF, marker, UInt8((bytes.count + 2) >> 8), UInt8((bytes.count + 2) & 0xFF)])
            result.append(bytes)
        }
        result.append(jpeg.dropFirst(2))
        return result
    }

    static func contains(_ data: Data, _ text: String) -> Bool {
        data.range(of: Data(text.utf8)) != nil
    }

    /// A square photo is published at its own size as its own pixels, without its EXIF (GPS),
    /// XMP or comments, but with its colour profile.
    @Test func publishesTheOriginalWithoutItsMetadata() throws {
        let original = Self.inserting([
            (0xE1, "Exif\0\0GPSLatitude 48.8584 secret"),
            (0xE1, "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>owner secret</x:xmpmeta>"),
            (0xE2, "ICC_PROFILE\0\u{1}\u{1}profile bytes"),
            (0xFE, "a comment with a secret"),
        ], into: TestImages.jpeg(width: 120, height: 120))
        let images = try PhotoRenderer(settings: RenderSettings(configuration: SiteConfiguration())).render(original)
        let published = images.largest.jpeg
        #expect(images.bySize[PhotoSize(side: 120)]?.jpeg == published)
        #expect(!Self.contains(published, "secret") && !Self.contains(published, "GPSLatitude"))
        #expect(Self.contains(published, "ICC_PROFILE"))
        // The compressed pixels are the original's, byte for byte.
        let scan = try #require(original.range(of: Data([0xFF, 0xDA])))
        #expect(published.suffix(original.count - scan.lowerBound) == original[scan.lowerBound...])
        let (before, after) = (try #require(TestImages.pixels(original)), try #require(TestImages.pixels(published)))
        for (x, y) in [(0, 0), (60, 60), (119, 119), (10, 100)] {
            #expect(before.rgb(x: x, y: y) == after.rgb(x: x, y: y))
        }
    }

    /// A photo that must be cropped is encoded again, so nothing of its file survives.
    @Test func encodesACroppedPhotoAgain() throws {
        let original = Self.inserting([(0xE1, "Exif\0\0GPS secret")], into: TestImages.jpeg(width: 160, height: 120))
        let images = try PhotoRenderer(settings: RenderSettings(configuration: SiteConfiguration())).render(original)
        #expect(!Self.contains(images.largest.jpeg, "secret"))
        #expect(TestImages.decodedSize(images.largest.jpeg)?.width == 120)
    }

    @Test func refusesWhatItCannotParse() {
        let jpeg = TestImages.jpeg(width: 64, height: 64)
        #expect(JPEGMetadataStripper.stripped(jpeg) != nil)
        // Cut inside a marker segment, a segment length running past the end, no frame.
        #expect(JPEGMetadataStripper.stripped(jpeg.prefix(30)) == nil)
        #expect(JPEGMetadataStripper.stripped(Data([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x00])) == nil)
        #expect(JPEGMetadataStripper.stripped(Data([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00, 0x00])) == nil)
        #expect(JPEGMetadataStripper.stripped(Data([0x89, 0x50, 0x4E, 0x47])) == nil)
    }
}
