public import AvatarSiteSources

/// What an upload run did: counts, one line per file, and the requests it sent.
public struct UploadReport: Codable, Sendable {
    public enum Result: String, Codable, Sendable {
        case uploaded
        case unchanged
        /// `--dry-run`: would have been uploaded.
        case wouldUpload = "would_upload"
        /// Refused by a check: nothing was sent for it.
        case refused
        /// The service refused or failed the upload.
        case failed
    }

    public struct FileResult: Codable, Sendable, Equatable {
        public var file: String
        /// The user's id, once resolved.
        public var user: String?
        public var result: Result
        /// A refusal's reason (`not_an_image`, `too_large`…) or a failure's kind.
        public var reason: String?
        public var message: String?
        public var warnings: [String]
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var files = 0
        public var uploaded = 0
        public var unchanged = 0
        public var wouldUpload = 0
        public var refused = 0
        public var failed = 0
        /// Files in the folder that are not photos, left alone.
        public var ignored = 0

        enum CodingKeys: String, CodingKey {
            case files, uploaded, unchanged
            case wouldUpload = "would_upload"
            case refused, failed, ignored
        }
    }

    public var dryRun = false
    public var counts = Counts()
    public var files: [FileResult] = []
    /// Refused files counted by reason.
    public var refusedByReason: [String: Int] = [:]
    public var requests = RequestStatistics.Snapshot()
    public var exitCode = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case counts, files
        case refusedByReason = "refused_by_reason"
        case requests
        case exitCode = "exit_code"
    }

    mutating func add(_ file: FileResult) {
        files.append(file)
        counts.files += 1
        switch file.result {
        case .uploaded: counts.uploaded += 1
        case .unchanged: counts.unchanged += 1
        case .wouldUpload: counts.wouldUpload += 1
        case .refused:
            counts.refused += 1
            refusedByReason[file.reason ?? "refused", default: 0] += 1
        case .failed: counts.failed += 1
        }
    }

    /// A table for the terminal: the counts, then the refused and failed files with their reasons.
    public var summary: String {
        var lines = [
            "uploaded   \(counts.uploaded)", "unchanged  \(counts.unchanged)",
        ]
        if dryRun { lines.append("would upload \(counts.wouldUpload)") }
        lines.append("refused    \(counts.refused)" + (refusedByReason.isEmpty ? "" : "  (" + refusedByReason.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"))
        lines.append("failed     \(counts.failed)")
        lines.append("ignored    \(counts.ignored) (not .jpg, .jpeg or .png)")
        for file in files where file.result == .refused || file.result == .failed {
            lines.append("  \(file.result.rawValue) \(file.file): \(file.reason ?? "-") — \(file.message ?? "")")
        }
        for file in files where !file.warnings.isEmpty {
            lines.append("  warning \(file.file): \(file.warnings.joined(separator: "; "))")
        }
        return lines.joined(separator: "\n")
    }
}
