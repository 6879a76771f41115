public import Foundation

/// An answer of `serve`, before it goes out through the web server: status, headers, body.
public struct ServeResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    /// Empty for HEAD, whose Content-Length still says how long the body would be.
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, ignoring case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Graph's `ImageNotFound`, the answer to everything the site does not have.
    static func notFound(head: Bool) -> ServeResponse {
        let body = Data(ResponseProfile.notFoundBody.utf8)
        return ServeResponse(status: 404, headers: ResponseProfile.notFoundHeaders + [("Content-Length", String(body.count))],
                         body: head ? Data() : body)
    }

    /// A short text answer, for the statuses that no location names (400, 405, 412, 500).
    static func plain(_ status: Int, _ text: String, head: Bool, headers: [(name: String, value: String)] = []) -> ServeResponse {
        let body = Data((text + "\n").utf8)
        return ServeResponse(status: status, headers: headers + [("Content-Type", "text/plain; charset=utf-8"),
                                                             ("Content-Length", String(body.count))],
                         body: head ? Data() : body)
    }
}
