import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import AvatarSiteImaging

/// The upload's decisions and local checks, with no server.
@Suite struct UploadCheckTests {
    static let preparation = PhotoPreparation(maxPixels: 25_000_000, fit: nil)

    /// Should skip a file only when its bytes were sent and the user's photo is still what they became.
    @Test func skipsOnlyWhatIsStillInPlace() {
        let record = UploadState.Record(digest: "abc", etag: "\"v2\"", file: "a.jpg")
        #expect(UploadPlan.action(digest: "abc", record: record, currentETag: "\"v2\"", force: false) == .unchanged)
        #expect(UploadPlan.action(digest: "abc", record: record, currentETag: "\"v2\"", force: true) == .upload)
        #expect(UploadPlan.action(digest: "abd", record: record, currentETag: "\"v2\"", force: false) == .upload)
        #expect(UploadPlan.action(digest: "abc", record: record, currentETag: "\"v3\"", force: false) == .upload)
        #expect(UploadPlan.action(digest: "abc", record: record, currentETag: nil, force: false) == .upload)
        #expect(UploadPlan.action(digest: "abc", record: nil, currentETag: "\"v2\"", force: false) == .upload)
    }

    /// Should trust the bytes, not the name: a PNG named .jpg goes up as a PNG, a page named .jpg not at all.
    @Test func judgesBytesNotNames() throws {
        let png = try Self.preparation.prepare(TestImages.png(width: 64, height: 64))
        #expect(png.contentType == "image/png")
        #expect(throws: UploadRefusal(.notAnImage, "the bytes are not a JPEG or PNG image")) {
            try Self.preparation.prepare(Data("<!doctype html><title>Sign in</title>".utf8))
        }
    }

    /// Should refuse a cut-short JPEG and a pixel bomb, and warn about a photo that is not square.
    @Test func refusesDamageAndBombsAndWarnsOfShape() throws {
        let whole = TestImages.jpeg(width: 200, height: 200)
        #expect(throws: UploadRefusal.self) { try Self.preparation.prepare(whole.prefix(whole.count / 2)) }
        do {
            _ = try Self.preparation.prepare(TestImages.pixelBomb())
            Issue.record("a pixel bomb was accepted")
        } catch {
            #expect(error.reason == .tooManyPixels)
        }
        let wide = try Self.preparation.prepare(TestImages.jpeg(width: 300, height: 200))
        #expect(wide.warnings.contains { $0.contains("not square") })
        #expect(wide.data == TestImages.jpeg(width: 300, height: 200))
    }

    /// Should fit a photo at any configured quality, a low one included.
    @Test func fitsAtALowQuality() throws {
        let preparation = PhotoPreparation(maxPixels: 25_000_000, fit: PhotoPreparation.Fit(maxSide: 120, quality: 20))
        let photo = try preparation.prepare(TestImages.jpeg(width: 300, height: 200))
        #expect(photo.width == 120 && photo.height == 120 && photo.fitted && photo.contentType == "image/jpeg")
    }

    /// Should read the orientation a phone writes, and ignore a broken one.
    @Test func readsEXIFOrientation() {
        let jpeg = TestImages.jpeg(width: 40, height: 30)
        for orientation in 1...8 { #expect(EXIFOrientation.of(TestImages.withEXIFOrientation(jpeg, orientation)) == orientation) }
        #expect(EXIFOrientation.of(jpeg) == 1)
        #expect(EXIFOrientation.of(TestImages.withEXIFOrientation(jpeg, 9)) == 1)
        #expect(EXIFOrientation.of(Data([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x45])) == 1)
    }
}
