/// What a build did, written to `build-report.json`: counts, failures and timings.
public struct BuildReport: Codable, Sendable {
    public struct Counts: Codable, Sendable, Equatable {
        /// Users the directory listed (duplicates counted once).
        public var listed = 0
        /// Users written to the site.
        public var written = 0
        /// Users written with their own photo.
        public var photos = 0
        /// Users written with initials (no photo, or their photo failed).
        public var placeholders = 0
        /// Users whose mailbox is missing or not in Exchange Online (they get placeholders).
        public var noMailbox = 0
        /// Users left out: an unsafe id, or nothing at all could be written.
        public var skipped = 0
        /// Users with at least one failure.
        public var failed = 0

        enum CodingKeys: String, CodingKey {
            case listed, written, photos, placeholders
            case noMailbox = "no_mailbox"
            case skipped, failed
        }
    }

    public var counts = Counts()
    public var failures: [UserFailure] = []
    public var requests = RequestStatistics.Snapshot()
    /// Seconds spent by stage: `listing`, `users`, `index`, `total`.
    public var seconds: [String: Double] = [:]
    public var exitCode = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case counts, failures, requests, seconds
        case exitCode = "exit_code"
    }
}
