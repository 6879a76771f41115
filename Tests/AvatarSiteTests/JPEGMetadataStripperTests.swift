@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing

@Suite struct JPEGMetadataStripperTests {
    /// A marker segment: 0xFF, the marker, the length, the payload.
    static func segment(_ marker: UInt8, _ payload: String) -> Data {
        let bytes = Data(payload.utf8)
        return Data([0xFF, marker, UInt8((bytes.count + 2) >> 8), UInt8((bytes.count + 2) & 0xFF)]) + bytes
    }

    /// `jpeg` with `segments` (marker byte, payload) inserted right after its start-of-image.
    static func inserting(_ segments: [(UInt8, String)], into jpeg: Data) -> Data {
        segments.reduce(Data(jpeg.prefix(2))) { $0 + segment($1.0, $1.1) } + jpeg.dropFirst(2)
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

    /// A phone's appended video after the end of the image, and metadata between the scans of a
    /// progressive JPEG, are left out too.
    @Test func leavesOutWhatFollowsTheImage() throws {
        let jpeg = TestImages.jpeg(width: 96, height: 96)
        let trailer = Data("ftypmp42 a video of the secret".utf8)
        // An APP1 segment after the scan, just before the end-of-image marker.
        var late = jpeg
        let end = try #require(jpeg.range(of: Data([0xFF, 0xD9]), options: .backwards))
        late.replaceSubrange(end, with: Self.segment(0xE1, "Exif\0\0late secret") + Data([0xFF, 0xD9]))
        let stripped = try #require(JPEGMetadataStripper.stripped(late + trailer))
        #expect(!Self.contains(stripped, "secret"))
        let scan = try #require(stripped.range(of: Data([0xFF, 0xDA])))
        let originalScan = try #require(jpeg.range(of: Data([0xFF, 0xDA])))
        #expect(stripped[scan.lowerBound...] == jpeg[originalScan.lowerBound...])
        #expect(TestImages.decodedSize(stripped)?.width == 96)
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
