import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
public import NIOHTTP1

/// One response, its body read in full (within a size limit).
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The single HTTP client of a build: bounded bodies, a timeout per request, no redirects
/// (a redirect could carry the bearer token to another host), and a count of everything sent.
public final class APIClient: Sendable {
    public let statistics = RequestStatistics()
    private let http: HTTPClient
    private let timeout: TimeAmount
    private let logger: Logger

    public init(concurrency: Int, timeoutSeconds: Double, logger: Logger) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(concurrency, 1)
        configuration.timeout.connect = .seconds(10)
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        self.logger = logger
    }

    /// Closes the connection pool; call once when the build is done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends one request and reads the body, refusing bodies over `maxBytes`.
    public func send(
        _ kind: RequestKind, method: HTTPMethod = .GET, url: String, headers: [(String, String)] = [],
        body: Data? = nil, maxBytes: Int
    ) async throws(SourceError) -> APIResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        statistics.recordRequest(kind)
        do {
            let response = try await http.execute(request, timeout: timeout, logger: logger)
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: maxBytes)
            } catch is NIOTooManyBytesError {
                statistics.recordResponse(status: Int(response.status.code), bytes: maxBytes)
                throw SourceError(.bodyTooLarge, url: url, status: Int(response.status.code),
                                  message: "the response is larger than \(maxBytes) bytes")
            }
            statistics.recordResponse(status: Int(response.status.code), bytes: buffer.readableBytes)
            return APIResponse(status: Int(response.status.code),
                               headers: response.headers.map { ($0.name, $0.value) },
                               body: Data(buffer: buffer))
        } catch let error as SourceError {
            throw error
        } catch {
            statistics.recordResponse(status: nil, bytes: 0)
            throw SourceError(.connection, url: url, message: Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            return "\(error)"
        }
        return String(describing: error)
    }
}
