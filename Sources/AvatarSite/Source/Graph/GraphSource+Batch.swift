import Foundation
import NIOHTTP1

/// Photo metadata for up to 20 users in one `POST /$batch`, as Graph's JSON batching allows.
/// Each sub-response is judged on its own: a throttled one is asked again after its
/// `Retry-After`, in a smaller batch; when the batch itself fails, each user is asked alone.
extension GraphSource {
    /// Graph's limit of requests in one batch.
    public static let batchLimit = 20
    static let maxBatchBytes = 1024 * 1024

    public func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        var results = [String: Result<PhotoMetadata?, SourceError>]()
        var pending = Array(users.prefix(Self.batchLimit))
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
                    for user in pending { results[user.key] = .failure(error) }
                    return results
                default:
                    // A service that refuses or garbles batches: ask user by user.
                    let alone = try await eachUser(pending) { (user) throws(SourceError) in try await photoMetadata(of: user) }
                    return results.merging(alone) { _, alone in alone }
                }
            }
            var again = [DirectoryUser]()
            var longestRetryAfter: Duration?
            var retryAfterText: String?
            for user in pending {
                let (id, url) = (user.key, photoURL(user))
                guard let answer = answers[id] else {
                    again.append(user)
                    continue
                }
                if http.retry.retriedStatuses.contains(answer.status) {
                    again.append(user)
                    if let text = answer.header("Retry-After"), let asked = RetryPolicy.parseRetryAfter(text),
                       asked > (longestRetryAfter ?? .zero) || longestRetryAfter == nil {
                        longestRetryAfter = asked
                        retryAfterText = text
                    }
                    results[id] = .failure(SourceError.odata(status: answer.status, body: answer.body, url: url))
                    continue
                }
                do {
                    results[id] = .success(try Self.interpretMetadata(status: answer.status, body: answer.body, url: url))
                } catch {
                    if error.stopsTheBuild { throw error }
                    results[id] = .failure(error)
                }
            }
            attempt += 1
            guard !again.isEmpty,
                  let delay = http.retry.delay(beforeRetry: attempt, waited: waited, retryAfter: retryAfterText,
                                          random: Double.random(in: 0..<1))
            else { break }
            http.client.statistics.recordRetry()
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
    private func sendBatch(_ users: [DirectoryUser]) async throws(SourceError) -> [String: BatchAnswer] {
        let url = "\(baseURL)/$batch"
        let ids = users.map(\.key)
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
        let response = try await http.send(.batch, method: .POST, url: url, headers: [("Content-Type", "application/json")],
                                           body: body, maxBytes: Self.maxBatchBytes)
        guard response.status == 200 else { throw SourceError.odata(response, url: url) }
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
