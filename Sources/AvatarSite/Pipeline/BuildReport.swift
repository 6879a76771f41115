import AvatarSiteContract
public import AvatarSiteSources

/// What a build did, written to `build-report.json`: counts, failures and timings.
public struct BuildReport: Codable, Sendable {
    public struct Counts: Codable, Sendable, Equatable {
        /// Users the directory listed (duplicates counted once).
        public var listed = 0
        /// Users in the published index after the build.
        public var written = 0
        /// Users written with their own photo.
        public var photos = 0
        /// Users written with initials (no photo, or their photo failed).
        public var placeholders = 0
        /// Users whose mailbox is missing or not in Exchange Online (they get placeholders).
        public var noMailbox = 0
        /// Users whose photo was downloaded and rendered anew.
        public var downloaded = 0
        /// Users left exactly as the last build published them.
        public var unchanged = 0
        /// Users whose photo could not be refreshed and whose last good files were kept.
        public var kept = 0
        /// Users who got a placeholder only because their photo failed and none was kept.
        public var provisional = 0
        /// Users left out: an unsafe id, or nothing at all could be written.
        public var skipped = 0
        /// User folders removed: users who left the directory.
        public var removed = 0
        /// Folders of users who left that would not go (`leftovers`); the next build tries again.
        public var leftOver = 0
        /// Users with at least one failure.
        public var failed = 0

        enum CodingKeys: String, CodingKey {
            case listed, written, photos, placeholders
            case noMailbox = "no_mailbox"
            case downloaded, unchanged, kept, provisional, skipped, removed
            case leftOver = "left_over"
            case failed
        }
    }

    public enum Status: String, Codable, Sendable {
        /// The build ran to its end and published.
        case published
        /// SIGINT or SIGTERM stopped the build; the site is as it was.
        case cancelled
        /// Something else stopped the build before it published (the directory could not be
        /// read, the deletion guard, the site could not be written): the report a `BuildError`
        /// carries for the build's metrics.
        case failed
    }

    /// A folder the build meant to remove and could not: a warning, not a failure, since the
    /// index and the state already leave its user out; the next build tries again.
    public struct Leftover: Codable, Sendable, Equatable {
        /// The folder, relative to the output: `users/{id}`.
        public var path: String
        /// What would not go, and why.
        public var reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// The avatar-site that wrote the report.
    public var version = AvatarSiteVersion.current
    public var status = Status.published
    public var counts = Counts()
    public var failures: [UserFailure] = []
    /// Failures counted by kind and service error code, such as `transient:TooManyRequests`.
    public var failuresByKind: [String: Int] = [:]
    /// Folders of users who left that would not go.
    public var leftovers: [Leftover] = []
    public var requests = RequestStatistics.Snapshot()
    /// The concurrency the build ran at: `auto` or `fixed`, the most reached, the last, and the
    /// answers that were throttled (429, 503).
    public var concurrency: AdaptiveLimit.Summary?
    /// Seconds from the start: `listing` (last page read), `users` (every user done), and
    /// `publish` (its own duration), `total`.
    public var seconds: [String: Double] = [:]
    public var exitCode = 0
    /// Files the build wrote, the report aside: every file of a re-rendered user, `users.json`
    /// and the state when their content changed.
    public var filesWritten = 0
    /// The build process's peak resident memory.
    public var peakMemoryBytes = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case version, status, counts, failures
        case failuresByKind = "failures_by_kind"
        case leftovers
        case requests, concurrency, seconds
        case exitCode = "exit_code"
        case peakMemoryBytes = "peak_memory_bytes"
        case filesWritten = "files_written"
    }
}
