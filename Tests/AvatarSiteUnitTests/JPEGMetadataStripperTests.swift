@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

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
    /// XMP, colour profile or comments.
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
        #expect(!Self.contains(published, "ICC_PROFILE"))
        // The compressed pixels are the original's, byte for byte.
        let scan = try #require(original.range(of: Data([0xFF, 0xDA])))
        #expect(published.suffix(original.count - scan.lowerBound) == original[scan.lowerBound...])
        let (before, after) = (try #require(TestImages.pixels(original)), try #require(TestImages.pixels(published)))
        for (x, y) in [(0, 0), (60, 60), (119, 119), (10, 100)] {
            #expect(before.rgb(x: x, y: y) == after.rgb(x: x, y: y))
        }
    }

    /// A phone's appended video after the end of the image, and metadata after the scan, are
    /// left out too.
    @Test func leavesOutWhatFollowsTheScan() throws {
        let jpeg = TestImages.jpeg(width: 96, height: 96)
        let trailer = Data("ftypmp42 a video of the secret".utf8)
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

    /// In a progressive JPEG, metadata between two scans goes and every scan stays.
    @Test func walksEveryScanOfAProgressiveJPEG() throws {
        let jpeg = TestImages.jpeg(width: 96, height: 96, progressive: true)
        let first = try #require(jpeg.range(of: Data([0xFF, 0xDA])))
        let second = try #require(jpeg.range(of: Data([0xFF, 0xDA]), in: first.upperBound..<jpeg.endIndex))
        var between = jpeg
        between.insert(contentsOf: Self.segment(0xE1, "Exif\0\0between scans secret"), at: second.lowerBound)
        let stripped = try #require(JPEGMetadataStripper.stripped(between))
        #expect(!Self.contains(stripped, "secret"))
        #expect(stripped == JPEGMetadataStripper.stripped(jpeg))
        let scans = { (data: Data) in data.indices.dropLast().filter { data[$0] == 0xFF && data[$0 + 1] == 0xDA }.count }
        #expect(scans(jpeg) > 1 && scans(stripped) == scans(jpeg))
        let (before, after) = (try #require(TestImages.pixels(jpeg)), try #require(TestImages.pixels(stripped)))
        #expect(before.rgb(x: 50, y: 50) == after.rgb(x: 50, y: 50))
    }

    /// A thumbnail inside the JFIF header goes; the header stays.
    @Test func removesTheJFIFThumbnail() throws {
        let jpeg = TestImages.jpeg(width: 64, height: 64)
        // gd's own JFIF header (18 bytes with its marker) replaced by one with a 2x1 thumbnail.
        #expect(jpeg[2...5] == Data([0xFF, 0xE0, 0x00, 0x10]))
        var header = Data("JFIF\0".utf8) + Data([1, 1, 0, 0, 1, 0, 1, 2, 1]) + Data("secret".utf8)
        header = Data([0xFF, 0xE0, 0x00, UInt8(header.count + 2)]) + header
        let withThumbnail = jpeg.prefix(2) + header + jpeg.dropFirst(20)
        #expect(TestImages.decodedSize(withThumbnail)?.width == 64)
        let stripped = try #require(JPEGMetadataStripper.stripped(withThumbnail))
        #expect(!Self.contains(stripped, "secret"))
        #expect(stripped[2...].starts(with: Data([0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF\0".utf8)))
        #expect(TestImages.decodedSize(stripped)?.width == 64)
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
