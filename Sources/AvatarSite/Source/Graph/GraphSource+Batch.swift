import Foundation
import NIOHTTP1

/// Photo metadata for up to 20 users in one `POST /$batch`, as Graph's JSON batching allows.
/// Each sub-response is judged on its own: a throttled one is asked again after its
/// `Retry-After`, in a smaller batch; when the batch itself fails, each user is asked alone.
extension GraphSource {
    /// Graph's limit of requests in one batch.
    public static let batchLimit = 20
    static let maxBatchBytes = 1024 * 1024

    public func photoMetadata(userIDs: [String]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        var results = [String: Result<PhotoMetadata?, SourceError>]()
        var pending = Array(userIDs.prefix(Self.batchLimit))
        var attempt = 0
        var waited = Duration.zero
        while !pending.isEmpty {
            let answers: [String: BatchAnswer]
            do {
                answers = try await sendBatch(pending)
            } catch {
                switch error.kind {
                case .authentication:
                    throw error
                case .transient, .connection:
                    // The service is asking us to back off: twenty single requests would not help.
                    for id in pending { results[id] = .failure(error) }
                    return results
                default:
                    // A service that refuses or garbles batches: ask user by user.
                    return results.merging(try await photoMetadataOneByOne(pending)) { _, alone in alone }
                }
            }
            var again = [String]()
            var longestRetryAfter: Duration?
            var retryAfterText: String?
            for id in pending {
                let url = "\(baseURL)/users/\(FormEncoding.escape(id))/photo"
                guard let answer = answers[id] else {
                    again.append(id)
                    continue
                }
                if RetryPolicy.retriedStatuses.contains(answer.status) {
                    again.append(id)
                    if let text = answer.header("Retry-After"), let asked = RetryPolicy.parseRetryAfter(text),
                       asked > (longestRetryAfter ?? .zero) || longestRetryAfter == nil {
                        longestRetryAfter = asked
                        retryAfterText = text
                    }
                    results[id] = .failure(GraphTransport.error(status: answer.status, body: answer.body, url: url))
                    continue
                }
                do {
                    results[id] = .success(try Self.interpretMetadata(status: answer.status, body: answer.body, url: url))
                } catch {
                    if error.kind == .authentication { throw error }
                    results[id] = .failure(error)
                }
            }
            attempt += 1
            guard !again.isEmpty,
                  let delay = retry.delay(beforeRetry: attempt, waited: waited, retryAfter: retryAfterText,
                                          random: Double.random(in: 0..<1))
            else { break }
            transport.client.statistics.recordRetry()
            waited += delay
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw SourceError(.connection, url: "\(baseURL)/$batch", message: "the build was stopped")
            }
            pending = again
        }
        return results
    }

    struct BatchAnswer {
        var status: Int
        var headers: [String: String]
        var body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
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
            var body: JSONValue?
        }
        var responses: [Item]
    }

    /// Sends one batch; throws when the batch as a whole failed (after the transport's retries).
    private func sendBatch(_ ids: [String]) async throws(SourceError) -> [String: BatchAnswer] {
        let url = "\(baseURL)/$batch"
        // Sub-request ids are positions, so a user id never has to survive a JSON round trip.
        let request = BatchRequest(requests: ids.enumerated().map { index, id in
            .init(id: String(index), url: "/users/\(FormEncoding.escape(id))/photo")
        })
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            throw SourceError(.invalidResponse, url: url, message: "cannot encode the batch: \(error)")
        }
        let response = try await transport.send(.batch, method: .POST, url: url, body: body, maxBytes: Self.maxBatchBytes)
        guard response.status == 200 else { throw GraphTransport.error(for: response, url: url) }
        guard let decoded = try? JSONDecoder().decode(BatchResponse.self, from: response.body) else {
            throw SourceError(.invalidResponse, url: url, status: 200, message: "the batch answer is not a JSON batch response")
        }
        var answers = [String: BatchAnswer]()
        let encoder = JSONEncoder()
        for item in decoded.responses {
            guard let index = Int(item.id), ids.indices.contains(index) else { continue }
            let bodyData = item.body.flatMap { try? encoder.encode($0) } ?? Data()
            answers[ids[index]] = BatchAnswer(status: item.status, headers: item.headers ?? [:], body: bodyData)
        }
        return answers
    }
}
