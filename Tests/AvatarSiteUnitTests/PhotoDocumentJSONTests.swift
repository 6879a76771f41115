@testable import AvatarSite
import AvatarSiteContract
import Foundation
import PropertyBased
import Testing

/// The photo documents written directly are the bytes `JSONEncoder` (`SiteJSON.encode`) wrote.
@Suite struct PhotoDocumentJSONTests {
    static let scalarPool: [Unicode.Scalar] = ["a", "Z", "7", "X", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}",
                                               "\u{00}", "\u{01}", "\u{1F}", "\u{7F}", "\u{00E9}", "\u{1F600}", "\u{2028}"]
    static let text = Gen.int(in: 0...(scalarPool.count - 1)).array(of: 0...6)
        .map { indices in String(String.UnicodeScalarView(indices.map { scalarPool[$0] })) }
    static let flags = zip(Gen.bool(), Gen.bool(), Gen.bool())
    static let documents = zip(text, text, text, Gen.int(in: 0...5000), Gen.int(in: 0...5000), flags)
        .map { etag, id, type, width, height, flags in
            var document = PhotoDocument(image: Data(), size: PhotoSize(side: 48), placeholder: flags.0,
                                         provisional: flags.1, sourceSize: PhotoSize(side: 648))
            (document.mediaEtag, document.id, document.mediaContentType) = (etag, id, type)
            (document.width, document.height) = (width, height)
            document.upscaledFrom = flags.2 ? id + type : nil
            return document
        }

    /// Should write each document, and a collection of them, byte for byte as `JSONEncoder` does.
    @Test func writesWhatJSONEncoderWrites() async {
        await propertyCheck(count: 500, input: Self.documents.array(of: 1...9)) { documents in
            for document in documents {
                #expect(document.jsonData == (try? SiteJSON.encode(document)), "\(document)")
            }
            let collection = PhotoCollectionDocument(value: documents)
            #expect(collection.jsonData == (try? SiteJSON.encode(collection)))
        }
    }

    /// Should write a real size's document as the site has always had it.
    @Test func writesASizesDocument() {
        let document = PhotoDocument(image: Data([1, 2, 3]), size: PhotoSize(side: 648), placeholder: false,
                                     sourceSize: PhotoSize(side: 432))
        #expect(String(decoding: document.jsonData, as: UTF8.self)
                == #"{"@avatarSite.upscaledFrom":"432X432","@odata.mediaContentType":"image/jpeg","#
                + #""@odata.mediaEtag":"\"039058C6F2C0CB49\"","height":648,"id":"648X648","width":648}"#)
    }
}
