import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    /// `POST /$batch`: up to 20 GETs answered in one response, each with its own status,
    /// headers and JSON body, as Graph's JSON batching does.
    func batch(_ body: Data) -> DemoAnswer {
        if configuration.faults.batchUnsupported {
            return Self.graphError(.badRequest, "Request_BadRequest", "Batch requests are not supported on this endpoint.")
        }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let requests = object["requests"] as? [[String: Any]]
        else {
            return Self.graphError(.badRequest, "BadRequest", "Invalid batch payload format.")
        }
        guard requests.count <= 20 else {
            return Self.graphError(.badRequest, "BadRequest", "The number of batch requests exceeds 20.")
        }
        var responses = DemoBatchAnswer()
        for item in requests {
            guard let id = item["id"] as? String, let url = item["url"] as? String else {
                return Self.graphError(.badRequest, "BadRequest", "A batch request lacks its id or url.")
            }
            count("batch_item")
            let roll = dice.roll("batch item", for: url)
            let faults = configuration.faults
            if roll < faults.batchItemMissingRate {
                count("fault_batch_missing")
                continue
            }
            if roll < faults.batchItemMissingRate + faults.batchItemUnavailableRate {
                count("fault_batch_503")
                responses.append(["id": id, "status": 503,
                                  "body": ["error": ["code": "ServiceNotAvailable", "message": "The service is temporarily unavailable."]]])
                continue
            }
            if shouldThrottleBatchItem(url) {
                count("fault_batch_429")
                responses.append(["id": id, "status": 429,
                                  "headers": ["Retry-After": String(configuration.faults.retryAfterSeconds)],
                                  "body": ["error": ["code": "TooManyRequests", "message": "Too many requests."]]])
                continue
            }
            let (path, query) = url.split(separator: "?", maxSplits: 1).map(String.init).splitPathAndQuery()
            let route = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
            guard (item["method"] as? String ?? "GET").uppercased() == "GET" else {
                return Self.graphError(.badRequest, "BadRequest", "Only GET is served inside a batch here.")
            }
            switch get(route, query: Self.queryParameters(query), apiRoot: "", path: path) {
            case .json(let status, let object, let headers):
                responses.append(["id": id, "status": Int(status.code),
                                  "headers": headers.merging(["Content-Type": "application/json"]) { first, _ in first },
                                  "body": object])
            case .bytes(let status, var data, let contentType, let headers):
                if contentType.hasPrefix("image/"), roll > 1 - faults.batchItemTruncatedRate {
                    count("fault_batch_truncated")
                    data = data.prefix(data.count / 2)
                }
                // Graph sends binary bodies inside a batch base64-encoded.
                responses.append(id: id, status: Int(status.code),
                                 headers: headers.merging(["Content-Type": contentType]) { first, _ in first }, binary: data)
            case .dropped:
                return .dropped(promising: 4096, part: Data("{\"responses\": [".utf8), contentType: "application/json")
            case .stalled(_, _, _, let trickle):
                // One stalled photo holds up the whole answer, as it would on a real service.
                return .stalled(promising: 4096, part: Data("{\"responses\": [".utf8), contentType: "application/json", trickle: trickle)
            case .rawJSON(let status, let data, _):
                responses.append(["id": id, "status": Int(status.code), "headers": ["Content-Type": "application/json"],
                                  "body": (try? JSONSerialization.jsonObject(with: data)) ?? [:]])
            }
        }
        return .rawJSON(.ok, responses.json, contentType: DemoAnswer.graphJSON)
    }

    private func shouldThrottleBatchItem(_ url: String) -> Bool {
        let rate = configuration.faults.batchItemThrottleRate
        guard rate > 0 else { return false }
        return dice.roll("batch item throttle", for: url) < rate
    }
}

extension Array where Element == String {
    func splitPathAndQuery() -> (String, String?) {
        (first ?? "", count > 1 ? self[1] : nil)
    }
}
