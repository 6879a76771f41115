import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat

/// What the demo tenant answers, before it becomes an HTTP response, so that the same route
/// can answer alone or as one part of a `$batch`.
enum DemoAnswer {
    case json(HTTPResponse.Status, [String: Any], headers: [String: String] = [:])
    case bytes(HTTPResponse.Status, Data, contentType: String, headers: [String: String] = [:])
    /// Send the head and `part` of a body promised to be `length` bytes, then drop the connection.
    case dropped(promising: Int, part: Data, contentType: String)
    /// Send the head and `part` of a body promised to be `length` bytes, then nothing more
    /// (or, with `trickle`, a byte a second), until the client gives up.
    case stalled(promising: Int, part: Data, contentType: String, trickle: Bool)
    /// JSON text as it is, valid or not.
    case rawJSON(HTTPResponse.Status, Data, contentType: String = "application/json")

    /// The type Graph gives its JSON answers.
    static let graphJSON = "application/json; odata.metadata=minimal"

    struct DroppedConnection: Error {}

    var status: HTTPResponse.Status {
        switch self {
        case .json(let status, _, _), .bytes(let status, _, _, _): status
        case .dropped, .stalled: .ok
        case .rawJSON(let status, _, _): status
        }
    }

    var response: Response {
        switch self {
        case .json(let status, let object, let headers):
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
            return Response(status: status, headers: Self.fields(headers, contentType: Self.graphJSON),
                            body: .init(byteBuffer: ByteBuffer(data: data)))
        case .bytes(let status, let data, let contentType, let headers):
            return Response(status: status, headers: Self.fields(headers, contentType: contentType),
                            body: .init(byteBuffer: ByteBuffer(data: data)))
        case .dropped(let length, let part, let contentType):
            return Response(status: .ok, headers: [.contentType: contentType],
                            body: ResponseBody(contentLength: length) { writer in
                                try await writer.write(ByteBuffer(data: part))
                                throw DroppedConnection()
                            })
        case .stalled(let length, let part, let contentType, let trickle):
            return Response(status: .ok, headers: [.contentType: contentType],
                            body: ResponseBody(contentLength: length) { writer in
                                try await writer.write(ByteBuffer(data: part))
                                for _ in 0..<3600 {
                                    try await Task.sleep(for: .seconds(1))
                                    if trickle { try await writer.write(ByteBuffer(bytes: [0])) }
                                }
                                throw DroppedConnection()
                            })
        case .rawJSON(let status, let data, let contentType):
            return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }

    private static func fields(_ headers: [String: String], contentType: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: contentType]
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return fields
    }
}
