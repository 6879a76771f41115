import Foundation
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
