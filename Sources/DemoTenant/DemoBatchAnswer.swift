import Foundation

/// A `$batch` answer's JSON, written as `JSONSerialization` would write it (sorted keys, no
/// slashes escaped) but with each binary body's base64 put in as it is: base64 needs no
/// escaping, and `JSONSerialization` escapes a photo's hundred kilobytes character by character,
/// three quarters of the demo server's CPU in a cold build. The server stands in for Graph,
/// whose CPU is not the client's machine's; here it shares the cores with the build it serves.
struct DemoBatchAnswer {
    private var items = [Data]()

    /// A sub-response whose body is JSON (or absent).
    mutating func append(_ item: [String: Any]) {
        items.append(Self.serialized(item))
    }

    /// A sub-response whose body is binary, sent as base64 text as Graph does.
    mutating func append(id: String, status: Int, headers: [String: String], binary body: Data) {
        // "body" sorts before "headers", "id" and "status": the rest follows the body's text.
        let rest = Self.serialized(["headers": headers, "id": id, "status": status])
        var item = Data("{\"body\":\"".utf8)
        item.append(body.base64EncodedData())
        item.append(contentsOf: "\",".utf8)
        item.append(rest.dropFirst())
        items.append(item)
    }

    var json: Data {
        var data = Data("{\"responses\":[".utf8)
        for (position, item) in items.enumerated() {
            if position > 0 { data.append(UInt8(ascii: ",")) }
            data.append(item)
        }
        data.append(contentsOf: "]}".utf8)
        return data
    }

    private static func serialized(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}
