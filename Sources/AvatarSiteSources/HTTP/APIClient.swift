import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOFoundationCompat
public import NIOHTTP1
import Synchronization
public import AvatarSiteContract

/// One response, its body read in full (within a size limit).
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The single HTTP client of a build: bounded bodies, a deadline for each whole request, no
/// redirects (a redirect could carry the bearer token to another host), and a count of
/// everything sent.
///
/// AsyncHTTPClient's own deadline stops counting once a response's head arrives, so a server
/// that sends headers and then stalls, or trickles a byte a second, would hold a request
/// forever: each request here races a deadline that covers head and body together, and an
/// idle connection also times out on reading. Either is a broken connection, retried.
public final class APIClient: Sendable {
    public let statistics = RequestStatistics()
    /// The permits every request takes (`source.concurrency`).
    public let limiter: ConcurrencyLimiter
    private let http: HTTPClient
    private let timeout: Duration
    private let logger: Logger

    /// A client for the source site.yml describes: its concurrency and its timeout.
    public convenience init(source: SourceConfiguration, logger: Logger) {
        let maximum = switch source.concurrency {
        case .auto: source.maxConcurrency
        case .fixed(let count): count
        }
        self.init(limiter: source.makeLimiter(), connections: maximum, timeoutSeconds: source.timeoutSeconds, logger: logger)
    }

    public init(limiter: ConcurrencyLimiter, connections: Int, timeoutSeconds: Double, logger: Logger) {
        self.limiter = limiter
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(connections, 1)
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = .milliseconds(Int64(timeoutSeconds * 1000))
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = .milliseconds(Int64(timeoutSeconds * 1000))
        self.logger = logger
    }

    /// Closes the connection pool; call once when the build is done.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Sends a request and reads the body, refusing bodies over `maxBytes`. Under `retry`, 429,
    /// 503, 504 and broken connections are tried again; when the retries run out, the last
    /// response is returned (or the last connection error thrown) for the caller to classify.
    public func send(
        _ kind: RequestKind, method: HTTPMethod = .GET, url: String, headers: [(String, String)] = [],
        body: Data? = nil, maxBytes: Int, retry: RetryPolicy? = nil
    ) async throws(SourceError) -> APIResponse {
        var attempt = 0
        var waited = Duration.zero
        while true {
            let retryHeaders = attempt == 0 ? headers : headers + [("Retry-Attempt", String(attempt))]
            let outcome = await sendOnce(kind, method: method, url: url, headers: retryHeaders, body: body, maxBytes: maxBytes)
            let retryAfter: String?
            switch outcome {
            case .success(let response) where retry?.retriedStatuses.contains(response.status) ?? false:
                retryAfter = response.header("Retry-After")
            case .success(let response):
                return response
            case .failure(let error) where error.kind == .connection:
                retryAfter = nil
            case .failure(let error):
                throw error
            }
            if Task.isCancelled { throw SourceError.cancelled(url: url) }
            attempt += 1
            guard let retry, let delay = retry.delay(beforeRetry: attempt, waited: waited, retryAfter: retryAfter,
                                                     random: Double.random(in: 0..<1))
            else { return try outcome.get() }
            statistics.recordRetry()
            logger.debug("retrying", metadata: ["kind": "\(kind.rawValue)", "attempt": "\(attempt)",
                                                "after": "\(delay)", "url": "\(SourceError.withoutQuery(url))"])
            waited += delay
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw SourceError.cancelled(url: url)
            }
        }
    }

    private func sendOnce(
        _ kind: RequestKind, method: HTTPMethod, url: String, headers: [(String, String)], body: Data?, maxBytes: Int
    ) async -> Result<APIResponse, SourceError> {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: AvatarSiteVersion.userAgent)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        guard await limiter.acquire() else { return .failure(.cancelled(url: url)) }
        statistics.recordRequest(kind)
        let (http, statistics, prepared) = (self.http, self.statistics, request)
        let outcome = await Self.race(deadline: timeout) {
            await Self.exchange(kind, prepared, with: http, url: url, maxBytes: maxBytes, statistics: statistics)
        }
        if case .success(let response)? = outcome {
            let throttled = response.status == 429 || response.status == 503
            limiter.release(throttled: throttled,
                            retryAfter: throttled ? response.header("Retry-After").flatMap { RetryPolicy.parseRetryAfter($0) } : nil)
        } else {
            limiter.release(throttled: false, retryAfter: nil)
        }
        if let outcome { return outcome }
        if Task.isCancelled { return .failure(.cancelled(url: url)) }
        statistics.recordResponse(kind, status: nil, bytes: 0)
        return .failure(SourceError(.connection, url: url, message: "no complete answer within \(timeout) (head and body)"))
    }

    /// `work`'s result, or nil when `deadline` passes first (or the calling task is cancelled).
    /// The loser is cancelled and not waited for: a request stuck in a stalled read would hold
    /// the caller until its connection gave up.
    static func race<T: Sendable>(deadline: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        let race = Race<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
                race.start(continuation,
                           Task { race.finish(await work()) },
                           Task {
                               try? await Task.sleep(for: deadline)
                               race.finish(nil)
                           })
            }
        } onCancel: {
            race.finish(nil)
        }
    }

    /// Who won a race: the first to finish resumes the caller and cancels the rest.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T?, Never>?
            var tasks: [Task<Void, Never>] = []
            var result: T??
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T?, Never>, _ tasks: Task<Void, Never>...) {
            let early: T?? = state.withLock { state in
                state.tasks = tasks
                guard let result = state.result else {
                    state.continuation = continuation
                    return nil
                }
                return .some(result)
            }
            if let early {
                tasks.forEach { $0.cancel() }
                continuation.resume(returning: early)
            }
        }

        func finish(_ value: T?) {
            let (continuation, tasks): (CheckedContinuation<T?, Never>?, [Task<Void, Never>]) = state.withLock { state in
                guard state.result == nil else { return (nil, []) }
                state.result = .some(value)
                defer { state.continuation = nil }
                return (state.continuation, state.tasks)
            }
            tasks.forEach { $0.cancel() }
            continuation?.resume(returning: value)
        }
    }

    /// One request and its whole body. AsyncHTTPClient gets no logger: at trace level it would
    /// print request headers, bearer token included.
    private static func exchange(_ kind: RequestKind, _ request: HTTPClientRequest, with http: HTTPClient, url: String, maxBytes: Int,
                                 statistics: RequestStatistics) async -> Result<APIResponse, SourceError> {
        do {
            let response = try await http.execute(request, timeout: .hours(1))
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: maxBytes)
            } catch is NIOTooManyBytesError {
                statistics.recordResponse(kind, status: Int(response.status.code), bytes: maxBytes)
                return .failure(SourceError(.bodyTooLarge, url: url, status: Int(response.status.code),
                                            message: "the response is larger than \(maxBytes) bytes"))
            }
            statistics.recordResponse(kind, status: Int(response.status.code), bytes: buffer.readableBytes)
            return .success(APIResponse(status: Int(response.status.code),
                                        headers: response.headers.map { ($0.name, $0.value) },
                                        body: Data(buffer: buffer)))
        } catch {
            if Task.isCancelled { return .failure(.cancelled(url: url)) }
            statistics.recordResponse(kind, status: nil, bytes: 0)
            return .failure(SourceError(.connection, url: url, message: describe(error)))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            return "\(error)"
        }
        return String(describing: error)
    }
}
