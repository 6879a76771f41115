import Foundation
import NIOHTTP1
import AvatarSiteContract

/// GETs sent 20 at a time in one `POST /$batch`, as Graph's JSON batching allows, each answer
/// judged on its own: a throttled or failing sub-response is asked again after its
/// `Retry-After`, in a smaller batch; when the service refuses the batch itself (or its answer
/// is over the limit), each GET is sent alone. Photo metadata, photo bytes (base64 inside the
/// batch's JSON) and user lookups all travel this way.
extension GraphSource {
    /// Graph's limit of requests in one batch.
    public static let batchLimit = 20
    static let maxBatchBytes = 1024 * 1024

    /// One sub-response: its status, headers and body (a binary body already decoded from the
    /// base64 Graph wraps it in).
    struct BatchAnswer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// Sends `paths` (relative to the service root) in `$batch`es of `batchLimit`, one batch
    /// after another, and returns each one's answer in order, or the failure that stopped it.
    /// Throws only what must stop the build.
    /// - Parameters:
    ///   - kind: what the GETs are, for the report when they are sent alone.
    ///   - maxBytes: the limit of a batch's answer, and of each GET sent alone.
    ///   - aloneMaxBytes: the limit of each GET sent alone (default `maxBytes`).
    func batchGET(_ paths: [String], kind: RequestKind, maxBytes: Int, aloneMaxBytes: Int? = nil) async throws(SourceError)
        -> [Result<BatchAnswer, SourceError>] {
        var results = [Result<BatchAnswer, SourceError>]()
        for chunk in paths.chunked(into: Self.batchLimit) {
            results += try await batchChunk(chunk, kind: kind, maxBytes: maxBytes, aloneMaxBytes: aloneMaxBytes ?? maxBytes)
        }
        return results
    }

    private func batchChunk(_ paths: [String], kind: RequestKind, maxBytes: Int, aloneMaxBytes: Int) async throws(SourceError)
        -> [Result<BatchAnswer, SourceError>] {
        var results = [Result<BatchAnswer, SourceError>?](repeating: nil, count: paths.count)
        var pending = Array(paths.indices)
        var attempt = 0
        var waited = Duration.zero
        while !pending.isEmpty {
            let answers: [Int: BatchAnswer]
            do {
                answers = try await sendBatch(pending.map { paths[$0] }, maxBytes: maxBytes)
            } catch {
                switch error.kind {
                case _ where error.isFatal:
                    throw error
                case .transient:
                    // The service is asking us to back off: twenty single requests would not help.
                    for index in pending { results[index] = .failure(error.during(kind)) }
                    return results.map { $0 ?? .failure(error.during(kind)) }
                default:
                    // A service that refuses or garbles batches, an answer over the limit, or a
                    // batch that broke or stalled even when asked again (one sub-request can hold
                    // up all twenty): one by one, so only what is wrong fails.
                    for index in pending { results[index] = try await alone(paths[index], kind: kind, maxBytes: aloneMaxBytes) }
                    return results.map { $0 ?? .failure(.missingAnswer(for: "")) }
                }
            }
            var again = [Int]()
            var retryAfter: (delay: Duration, text: String)?
            for (position, index) in pending.enumerated() {
                guard let answer = answers[position] else {
                    again.append(index)
                    continue
                }
                results[index] = .success(answer)
                if http.retry.retriedStatuses.contains(answer.status) {
                    again.append(index)
                    if let text = answer.header("Retry-After"), let asked = RetryPolicy.parseRetryAfter(text),
                       asked > (retryAfter?.delay ?? .zero) || retryAfter == nil {
                        retryAfter = (asked, text)
                    }
                }
            }
            attempt += 1
            guard !again.isEmpty,
                  let delay = http.retry.delay(beforeRetry: attempt, waited: waited, retryAfter: retryAfter?.text,
                                               random: Double.random(in: 0..<1))
            else { break }
            http.client.statistics.recordRetry()
            waited += delay
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw SourceError.cancelled(url: "\(baseURL)/$batch")
            }
            pending = again
        }
        let missing = SourceError(.invalidResponse, url: "\(baseURL)/$batch", message: "the batch had no answer for a request")
        return results.map { $0 ?? .failure(missing.during(kind)) }
    }

    /// One GET of a batch sent alone, with the transport's own retries.
    func alone(_ path: String, kind: RequestKind, maxBytes: Int) async throws(SourceError) -> Result<BatchAnswer, SourceError> {
        do {
            let response = try await http.get(kind, url: baseURL + path, maxBytes: maxBytes)
            var headers = [String: String]()
            for (name, value) in response.headers { headers[name] = value }
            return .success(BatchAnswer(status: response.status, headers: headers, body: response.body))
        } catch {
            if error.isFatal { throw error }
            return .failure(error.during(kind))
        }
    }

    private struct BatchRequest: Encodable {
        struct Item: Encodable {
            var id: String
            var method = "GET"
            var url: String
        }
        var requests: [Item]
    }

    private struct BatchResponse: Decodable {
        struct Item: Decodable {
            var id: String
            var status: Int
            var headers: [String: String]?
            var body: Body?
        }
        /// A body as Graph sends it: a string (base64 of a binary body) is taken as a string
        /// straight away, without trying it first as the other kinds of value.
        enum Body: Decodable {
            case text(String)
            case json(JSONValue)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self = .text(text)
                } else {
                    self = .json(try container.decode(JSONValue.self))
                }
            }
        }
        var responses: [Item]
    }

    /// Sends one batch; throws when the batch as a whole failed (after the transport's
    /// retries). Answers are keyed by position in `paths`.
    private func sendBatch(_ paths: [String], maxBytes: Int) async throws(SourceError) -> [Int: BatchAnswer] {
        let url = "\(baseURL)/$batch"
        // Sub-request ids are positions, so a user id never has to survive a JSON round trip.
        let request = BatchRequest(requests: paths.enumerated().map { .init(id: String($0), url: $1) })
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            throw SourceError(.invalidResponse, url: url, message: "cannot encode the batch: \(error)")
        }
        let response = try await http.send(.batch, method: .POST, url: url, headers: [("Content-Type", "application/json")],
                                           body: body, maxBytes: maxBytes)
        guard response.status == 200 else { throw SourceError.odata(response, url: url) }
        guard let answers = Self.decodeBatch(response.body, requests: paths.count) else {
            throw SourceError(.invalidResponse, url: url, status: 200, message: "the batch answer is not a JSON batch response")
        }
        return answers
    }

    /// A `$batch` answer's sub-responses by position (their ids), those for no request left
    /// out; nil when the body is not a batch answer at all.
    static func decodeBatch(_ body: Data, requests: Int) -> [Int: BatchAnswer]? {
        guard JSONScanner.maximumDepth(of: body) <= GraphListingPage.maximumFastDepth,
              let decoded = try? JSONDecoder().decode(BatchResponse.self, from: body) else { return nil }
        var answers = [Int: BatchAnswer]()
        let encoder = JSONEncoder()
        for item in decoded.responses {
            guard let index = Int(item.id), (0..<requests).contains(index) else { continue }
            let headers = item.headers ?? [:]
            answers[index] = BatchAnswer(status: item.status, headers: headers, body: bodyData(item.body, headers: headers, encoder: encoder))
        }
        return answers
    }

    /// A sub-response's body as bytes: JSON as JSON, a binary body (Graph sends it as a base64
    /// string) decoded; a damaged one comes out empty, which the image checks refuse.
    private static func bodyData(_ body: BatchResponse.Body?, headers: [String: String], encoder: JSONEncoder) -> Data {
        let type = headers.first { $0.key.caseInsensitiveCompare("Content-Type") == .orderedSame }?.value.lowercased() ?? ""
        switch body {
        case nil:
            return Data()
        case .text(let text) where !type.contains("json"):
            return Data(base64Encoded: text) ?? Data()
        case .text(let text):
            return (try? encoder.encode(text)) ?? Data()
        case .json(let value):
            return (try? encoder.encode(value)) ?? Data()
        }
    }
}

extension GraphSource {
    public func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        let paths = users.map { "/users/\(FormEncoding.escape($0.id))/photo" }
        let answers = try await batchGET(paths, kind: .photoMetadata, maxBytes: Self.maxBatchBytes)
        var results = [String: Result<PhotoMetadata?, SourceError>]()
        for (user, answer) in zip(users, answers) {
            let url = photoURL(user)
            results[user.id] = answer.flatMap { answer in
                Result { () throws(SourceError) in try Self.interpretMetadata(status: answer.status, body: answer.body, url: url) }
            }
            if case .failure(let error) = results[user.id], error.isFatal { throw error }
        }
        return results
    }
}
