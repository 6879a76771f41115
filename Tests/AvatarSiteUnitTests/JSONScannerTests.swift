import Foundation
import PropertyBased
import Testing
@testable import AvatarSiteSources

/// The scanner that measures and splits documents before they are decoded.
@Suite struct JSONScannerTests {
    @Test(arguments: [
        ("1", 0), ("[]", 1), ("{\"a\":[{}]}", 3), ("[[[[\"]]]]\"]]]]", 4),
        // Brackets and escaped quotes inside strings do not count.
        (#"{"a":"[[\"{{"}"#, 1), (#"["\\", [1]]"#, 2),
        // A document that ends inside a string or an escape is measured as far as it goes.
        (#"[["abc"#, 2), (#"[["\"#, 2),
    ])
    func depthIsCountedOutsideStrings(document: String, depth: Int) {
        #expect(JSONScanner.maximumDepth(of: Data(document.utf8)) == depth, "\(document)")
    }

    /// Should measure any run of quotes, backslashes and brackets as reading it byte by byte does.
    @Test func depthAgreesWithAByteByByteReading() async {
        let pool = Array(#""\"\[]{}a"#.utf8)
        let documents = Gen.int(in: 0...(pool.count - 1)).array(of: 0...40).map { Data($0.map { pool[$0] }) }
        await propertyCheck(count: 2000, input: documents) { document in
            var depth = 0, deepest = 0, index = 0
            let bytes = [UInt8](document)
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; deepest = max(deepest, depth)
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            }
            #expect(JSONScanner.maximumDepth(of: document) == deepest, "\(String(decoding: document, as: UTF8.self))")
        }
    }

    @Test func aDeepDocumentIsMeasuredWithoutRecursion() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONScanner.maximumDepth(of: Data(deep.utf8)) == 100_000)
    }

    @Test func membersAndElementsAreFoundByTheirBytes() throws {
        let document = Data(#"{"value": [{"id": "a"}, {"id": "b\"]"}], "next": null}"#.utf8)
        let members = try JSONScanner.members(of: document)
        #expect(members.map(\.key) == ["value", "next"])
        let elements = try JSONScanner.elements(ofArrayIn: document, range: members[0].value)
        #expect(elements.map { String(decoding: document[$0], as: UTF8.self) } == [#"{"id": "a"}"#, #"{"id": "b\"]"}"#])
    }
}
