import AvatarSiteSources

/// `build-report.json`, the part of the report that is published with the site: what a build
/// did and how long it took, and which shown users failed and how — but no server message, no
/// URL (a token endpoint, a filter) and no id the site does not show. The full report is
/// `--report FILE` and the state folder's `last-report.json`.
struct PublishedReport: Encodable {
    struct Failure: Encodable {
        var id: String
        var stage: UserFailure.Stage
        var kind: String
        var status: Int?
        var code: String?
    }

    struct Requests: Encodable {
        var requestsByKind: [String: Int]
        var responsesByStatus: [String: Int]
        var bytesReceived: Int
        var retries: Int

        enum CodingKeys: String, CodingKey {
            case requestsByKind = "requests_by_kind"
            case responsesByStatus = "responses_by_status"
            case bytesReceived = "bytes_received"
            case retries
        }
    }

    var version: String
    var status: BuildReport.Status
    var counts: BuildReport.Counts
    var failures: [Failure]
    var failuresByKind: [String: Int]
    var requests: Requests
    var concurrency: AdaptiveLimit.Summary?
    var seconds: [String: Double]
    var exitCode: Int
    var filesWritten: Int
    var peakMemoryBytes: Int

    enum CodingKeys: String, CodingKey {
        case version, status, counts, failures
        case failuresByKind = "failures_by_kind"
        case requests, concurrency, seconds
        case exitCode = "exit_code"
        case filesWritten = "files_written"
        case peakMemoryBytes = "peak_memory_bytes"
    }

    init(_ report: BuildReport, publishedIDs: Set<String>) {
        version = report.version
        status = report.status
        counts = report.counts
        failures = report.failures.filter { publishedIDs.contains($0.id) }.map {
            Failure(id: $0.id, stage: $0.stage, kind: $0.kind, status: $0.status, code: $0.code)
        }
        failuresByKind = report.failuresByKind
        requests = Requests(requestsByKind: report.requests.requestsByKind, responsesByStatus: report.requests.responsesByStatus,
                            bytesReceived: report.requests.bytesReceived, retries: report.requests.retries)
        concurrency = report.concurrency
        seconds = report.seconds
        exitCode = report.exitCode
        filesWritten = report.filesWritten
        peakMemoryBytes = report.peakMemoryBytes
    }
}
