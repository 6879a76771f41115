import AvatarSite
import AvatarSiteServer
import AvatarSiteTestSupport
import Foundation
import HTTPTypes
import Testing
import AvatarSiteContract
import AvatarSiteSources

/// The headers `serve` reads and writes, decided without a server: HTTP dates, conditional
/// requests, `Range` and `If-Range` as nginx answers them, and content types.
@Suite struct ServeHeadersTests {
    // MARK: - Headers and validators

    @Test func formatsAndReadsHTTPDates() {
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(1_709_164_800) == "Thu, 29 Feb 2024 00:00:00 GMT")
        for seconds in [0, 784_111_777, 951_782_400, 1_709_164_800, 4_102_444_799] {
            #expect(HTTPDate.parse(HTTPDate.format(seconds)) == seconds)
        }
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        // A year that would overflow the arithmetic is no date, not a crash of the server.
        #expect(HTTPDate.parse("Thu, 01 Jan 999999999999999 00:00:00 GMT") == nil)
        #expect(HTTPDate.parse("Thu, 01 Jan -9223372036854775807 00:00:00 GMT") == nil)
    }

    @Test func answersConditionalRequestsAsNginxDoes() {
        let file = FileValidators(size: 1234, modified: 1_700_000_000)
        #expect(file.entityTag == "\"6553f100-4d2\"")
        let etag = file.entityTag
        #expect(ConditionalRequest(ifNoneMatch: etag).outcome(for: file) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "\"x\", W/\(etag)").outcome(for: file) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "*").outcome(for: file) == .notModified)
        #expect(ConditionalRequest(ifNoneMatch: "\"something-else\"").outcome(for: file) == .send)
        #expect(ConditionalRequest(ifModifiedSince: file.lastModified).outcome(for: file) == .notModified)
        #expect(ConditionalRequest(ifModifiedSince: HTTPDate.format(1_800_000_000)).outcome(for: file) == .send,
                "only the exact time: a file put back with an older time is sent")
        #expect(ConditionalRequest(ifNoneMatch: "\"other\"", ifModifiedSince: file.lastModified).outcome(for: file) == .send,
                "If-None-Match decides when both are sent")
        #expect(ConditionalRequest(ifMatch: "\"other\"").outcome(for: file) == .preconditionFailed)
        #expect(ConditionalRequest(ifMatch: "W/\(etag)").outcome(for: file) == .preconditionFailed, "If-Match compares strongly")
    }

    // MARK: - Range

    /// Each case answered by nginx 1.22 for a 10-byte file (several ranges: nginx answers
    /// multipart/byteranges, `serve` the whole file).
    @Test(arguments: [
        ("bytes=2-4", .partial(2..<5)), ("bytes=-3", .partial(7..<10)), ("bytes=7-", .partial(7..<10)), ("bytes=9-100", .partial(9..<10)),
        ("bytes=-20", .partial(0..<10)), ("Bytes=0-1", .partial(0..<2)), ("bytes= 1 - 2 ", .partial(1..<3)),
        ("bytes=0-1,100-200", .partial(0..<2)), ("bytes=10-", .unsatisfiable), ("bytes=abc", .unsatisfiable),
        ("bytes=5-3", .unsatisfiable), ("bytes=-0", .unsatisfiable), ("bytes=1", .unsatisfiable), ("bytes=0-1x", .unsatisfiable),
        ("bytes=0-99999999999999999999", .unsatisfiable), ("bytes=0-1,abc", .unsatisfiable), ("bytes=0-1,", .unsatisfiable),
        ("bytes=,0-1", .unsatisfiable), ("bytes=-", .unsatisfiable), ("bytes=--1", .unsatisfiable), ("bytes=0-1;", .unsatisfiable),
        ("bits=0-1", .whole), ("bytes=", .whole), ("bytes=0-9,0-9", .whole), ("bytes=0-1,5-6", .whole), ("bytes=0-1, 3-4", .whole),
        // A combining mark after `bytes=` is bytes of the range, not part of the `=`.
        ("bytes=\u{301}", .unsatisfiable), ("bytes=\u{301}0-1", .unsatisfiable), ("BYTES=\u{301}", .unsatisfiable),
        ("bytes\u{301}=0-1", .whole),
    ] as [(String, RangeRequest.Outcome)])
    func answersRangesAsNginxDoes(header: String, outcome: RangeRequest.Outcome) {
        let file = FileValidators(size: 10, modified: 1_700_000_000)
        #expect(RangeRequest(range: header).outcome(for: file) == outcome)
        #expect(RangeRequest().outcome(for: file) == .whole)
    }

    @Test func answersAnEmptyFileWhole() {
        let empty = FileValidators(size: 0, modified: 1_700_000_000)
        for header in ["bytes=0-", "bytes=0-0", "bytes=-1", "bytes=0-0,5-6"] {
            #expect(RangeRequest(range: header).outcome(for: empty) == .whole, "\(header)")
        }
        #expect(RangeRequest(range: "bytes=1-").outcome(for: empty) == .unsatisfiable)
    }

    /// Should read the first `Range` field of a request and ignore the others, as nginx 1.22 does,
    /// rather than the fields joined into one list of ranges.
    @Test func readsTheFirstRangeField() {
        let file = FileValidators(size: 10, modified: 1_700_000_000)
        var fields = HTTPFields()
        fields.append(HTTPField(name: .range, value: "bytes=2-4"))
        fields.append(HTTPField(name: .range, value: "bytes=20-30"))
        fields[.ifRange] = file.entityTag
        let range = RangeRequest(fields)
        #expect(range.range == "bytes=2-4" && range.ifRange == file.entityTag)
        #expect(range.outcome(for: file) == .partial(2..<5))
        #expect(RangeRequest(HTTPFields()).range == nil)
    }

    /// Should send the range only when If-Range is the file's exact ETag or Last-Modified.
    @Test func answersIfRangeAsNginxDoes() {
        let file = FileValidators(size: 10, modified: 1_700_000_000)
        let ranged = { (ifRange: String) in RangeRequest(range: "bytes=1-2", ifRange: ifRange).outcome(for: file) }
        #expect(ranged(file.entityTag) == .partial(1..<3))
        #expect(ranged(file.lastModified) == .partial(1..<3))
        #expect(ranged("W/\(file.entityTag)") == .whole, "a weak tag never matches")
        #expect(ranged("\"other\"") == .whole)
        #expect(ranged(HTTPDate.format(1_600_000_000)) == .whole)
        #expect(ranged("garbage") == .whole)
        #expect(RangeRequest(range: "bytes=20-", ifRange: "\"other\"").outcome(for: file) == .whole,
                "an If-Range that does not match answers whole before the range is read")
    }

    @Test func namesContentTypesByLocation() {
        #expect(ResponseProfile.graph.contentType(of: "users/a/photos/48x48.json") == "application/json")
        #expect(ResponseProfile.data.contentType(of: "users/a/photo.webp") == "image/webp")
        #expect(ResponseProfile.avatar.contentType(of: "users/a/photos/48x48.jpg") == "image/jpeg")
        #expect(ResponseProfile.page.contentType(of: "index.html") == "text/html; charset=utf-8")
        #expect(ResponseProfile.asset.contentType(of: "assets/page.CSS") == "text/css; charset=utf-8")
        #expect(ResponseProfile.asset.contentType(of: "assets/font.ttf") == "application/octet-stream")
    }
}
