@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import PropertyBased
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging
@testable import AvatarSiteSources

/// Everything that reads bytes a server sent — listing pages, `$batch` answers, token answers,
/// SOAP answers, image headers and EXIF, users files — fed valid samples with random bytes
/// overwritten, cut short, or followed by garbage, and pure random bytes. None may crash; what
/// each accepts must make sense. `AVATAR_SITE_FUZZ_COUNT` sets the inputs per decoder (1,000
/// by default, so the suite stays quick; a few hundred thousand for a long run).
@Suite struct DecoderFuzzTests {
    static let count = ProcessInfo.processInfo.environment["AVATAR_SITE_FUZZ_COUNT"].flatMap(Int.init) ?? 1000

    /// How one input is made from a sample: bytes overwritten at positions, then maybe cut short,
    /// then maybe random bytes appended; or, when `randomOnly`, random bytes alone.
    struct Mutation: Sendable, CustomStringConvertible {
        var sample: Int
        var writes: [Int]
        var bytes: [UInt8]
        var cut: Int?
        var randomOnly: Bool

        func apply(to samples: [Data]) -> Data {
            if randomOnly { return Data(bytes) }
            var data = [UInt8](samples[sample % samples.count])
            guard !data.isEmpty else { return Data(bytes) }
            for (position, byte) in zip(writes, bytes) { data[position % data.count] = byte }
            if let cut { data = Array(data.prefix(cut % (data.count + 1))) }
            if bytes.count > 40 { data += bytes.suffix(8) }
            return Data(data)
        }

        var description: String { "sample \(sample), writes \(writes.prefix(4))…, cut \(String(describing: cut)), random \(randomOnly)" }
    }

    static let mutations = zip(
        Gen.int(in: 0...1000), Gen.int(in: 0...100_000).array(of: 0...12), Gen<UInt8>.value().array(of: 0...64),
        Gen.int(in: 0...100_000).optional, Gen.bool(0.1)
    ).map { Mutation(sample: $0, writes: $1, bytes: $2, cut: $3, randomOnly: $4) }

    static func fuzz(_ samples: [Data], _ check: @Sendable @escaping (Data) -> Void) async {
        await propertyCheck(count: count, input: mutations) { mutation in
            check(mutation.apply(to: samples))
        }
    }

    static let listingSamples = [
        Data(#"{"value": [{"id": "a", "displayName": "Ann", "mail": "a@x.example"}, {"id": "b", "jobTitle": ["x"]}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=2"}"#.utf8),
        Data(#"{"value": [{"id": "\ud800", "x": 1e400}, {"id": "c", "d": {"e": [[[[]]]]}}]}"#.utf8),
    ]

    @Test func listingPages() async {
        await Self.fuzz(Self.listingSamples) { data in
            guard let page = try? GraphListingPage.decode(data, url: "https://graph.example/users") else { return }
            #expect(page.users.allSatisfy { !$0.id.isEmpty })
        }
    }

    @Test func batchAnswers() async {
        let samples = [
            Data(#"{"responses": [{"id": "0", "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": "48X48", "width": 48}}, {"id": "1", "status": 404, "body": {"error": {"code": "ImageNotFound"}}}, {"id": "7", "status": 200, "headers": {"Content-Type": "image/jpeg"}, "body": "/9j/4AAQ"}]}"#.utf8),
        ]
        await Self.fuzz(samples) { data in
            guard let answers = GraphSource.decodeBatch(data, requests: 5) else { return }
            #expect(answers.keys.allSatisfy { (0..<5).contains($0) })
        }
    }

    @Test func tokenAnswers() async {
        let samples = [Data(#"{"token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAi"}"#.utf8),
                       Data(#"{"expires_in": "1e300", "access_token": "x"}"#.utf8)]
        await Self.fuzz(samples) { data in
            guard let (token, lifetime) = ClientCredentialsTokenProvider.parse(data) else { return }
            #expect(!token.isEmpty && ClientCredentialsTokenProvider.lifetimeRange.contains(lifetime))
        }
    }

    @Test func soapAnswers() async {
        let samples = [Data("""
            <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">\
            <ResponseCode>NoError</ResponseCode><HasChanged>true</HasChanged><PictureData>/9j/4AAQSkZJRg==</PictureData>\
            </GetUserPhotoResponse></s:Body></s:Envelope>
            """.utf8)]
        await Self.fuzz(samples) { data in
            guard let result = try? GetUserPhotoResult.parse(data, maxPictureBytes: 64) else { return }
            #expect((result.pictureData?.count ?? 0) <= 64)
        }
    }

    static let imageSamples = [
        TestImages.jpeg(width: 40, height: 30), TestImages.png(width: 20, height: 20), TestImages.gif(width: 16, height: 12),
        TestImages.withEXIFOrientation(TestImages.jpeg(width: 30, height: 20), 6), TestImages.pixelBomb(),
    ]

    @Test func imageHeadersAndStructure() async {
        await Self.fuzz(Self.imageSamples) { data in
            if let header = try? ImageHeader(reading: data) {
                #expect(header.width > 0 && header.height > 0)
                try? ImageCompleteness.check(data, format: header.format)
            }
            #expect((1...8).contains(EXIFOrientation.of(data)))
            _ = JPEGMetadataStripper.stripped(data)
        }
    }

    @Test func usersFiles() async {
        let samples = [Data("mail,displayName,manager\na@x.example,\"Ann, A\",b@x.example\nb@x.example,Bob,\n".utf8),
                       Data(#"{"value": [{"mail": "a@x.example", "id": "u1"}]}"#.utf8)]
        await Self.fuzz(samples) { data in
            for file in ["users.csv", "users.json"] {
                guard let users = try? UsersFile.parse(data, file: file) else { continue }
                #expect(users.allSatisfy { UserID.isValid($0.id) })
            }
        }
    }

    /// Random bytes decoded as a whole image: libgd must refuse or decode, never crash.
    @Test func wholeDecodes() async {
        let renderer = PhotoRenderer(settings: RenderSettings(configuration: SiteConfiguration()))
        await propertyCheck(count: max(50, Self.count / 10), input: Self.mutations) { mutation in
            _ = try? renderer.render(mutation.apply(to: Self.imageSamples))
        }
    }
}
