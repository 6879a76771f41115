@testable import DemoTenant
import Foundation
import Testing

/// The demo server's `$batch` answer, written by hand for speed, is the JSON it always was.
@Suite struct DemoBatchAnswerTests {
    /// Should write byte for byte what `JSONSerialization` writes for the same sub-responses.
    @Test func writesWhatJSONSerializationWrites() throws {
        let photo = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        let error: [String: Any] = ["id": "1", "status": 429, "headers": ["Retry-After": "2"],
                                    "body": ["error": ["code": "TooManyRequests", "message": "Too many / requests."]]]
        let photoHeaders = ["Content-Type": "image/jpeg", "ETag": "\"W/\\\"a/b\\\"\""]
        var answer = DemoBatchAnswer()
        answer.append(id: "0", status: 200, headers: photoHeaders, binary: photo)
        answer.append(error)
        answer.append(id: "12", status: 200, headers: [:], binary: Data())

        let expected = try JSONSerialization.data(withJSONObject: ["responses": [
            ["id": "0", "status": 200, "headers": photoHeaders, "body": photo.base64EncodedString()],
            error,
            ["id": "12", "status": 200, "headers": [String: String](), "body": ""],
        ]], options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(String(decoding: answer.json, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        #expect(DemoBatchAnswer().json == Data(#"{"responses":[]}"#.utf8))
    }
}
