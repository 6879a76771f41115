import ArgumentParser
import AvatarSite
import Foundation
import Logging
import AvatarSiteContract
import AvatarSiteSources

/// The network stage alone: list every user, ask for photo metadata in `$batch`es of 20 and
/// download every photo, with `concurrency` requests in flight, decoding nothing. Against a
/// server that adds L ms to each request, the ceiling is C / L requests per second.
struct NetworkBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Fetch a directory's photos without imaging and compare the request rate with C/L."
    )

    @Option(help: "site.yml of a graph source (its secret from the environment, as for a build).")
    var config: String

    @Option(help: "The latency the server adds to each request, for the ceiling C/L.")
    var latencyMs: Double

    @Option(help: "Requests in flight (default: source.concurrency of the config).")
    var concurrency: Int?

    func run() async throws {
        var loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        if let concurrency { loaded.configuration.source.concurrency = .fixed(concurrency) }
        let source = loaded.configuration.source
        let logger = Logger(label: "avatar-site-bench")
        let client = APIClient(source: source, logger: logger)
        let directory = try SourceFactory.make(loaded.configuration, baseDirectory: loaded.baseDirectory,
                                               environment: ProcessInfo.processInfo.environment, client: client)
        let clock = ContinuousClock()
        var users = [DirectoryUser]()
        let listingStarted = clock.now
        for try await page in directory.userPages() { users += page.users }
        let listing = clock.now - listingStarted
        let before = client.statistics.snapshot.totalRequests
        let started = clock.now
        // As the build asks: batches of the source's size, each one request in flight at a time,
        // C batches at once; every photo downloaded (no ETag is known).
        var pending = users.chunked(into: directory.batchSize ?? 1)[...]
        var photos = 0, failures = 0
        try await withThrowingTaskGroup(of: (photos: Int, failures: Int).self) { group in
            func start(_ batch: [DirectoryUser]) {
                group.addTask {
                    let answers = try await directory.photos(for: batch.map { PhotoRequest(user: $0, knownETag: nil) })
                    let downloaded = answers.values.filter { if case .success(.photo) = $0 { true } else { false } }.count
                    let failed = answers.values.filter { if case .failure = $0 { true } else { false } }.count
                    return (downloaded, failed)
                }
            }
            for _ in 0..<source.concurrency.initial {
                guard let batch = pending.popFirst() else { break }
                start(batch)
            }
            while let done = try await group.next() {
                photos += done.photos
                failures += done.failures
                if let batch = pending.popFirst() { start(batch) }
            }
        }
        let elapsed = clock.now - started
        let snapshot = client.statistics.snapshot
        try await client.shutdown()
        let requests = snapshot.totalRequests - before
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(requests) / seconds
        let ceiling = Double(source.concurrency.initial) / (latencyMs / 1000)
        print(String(format: "network: %d users listed in %.2f s; then %d requests (%d photos downloaded, %d users failed) in %.2f s",
                     users.count, Double(listing.components.seconds) + Double(listing.components.attoseconds) / 1e18,
                     requests, photos, failures, seconds))
        print(String(format: "  %.1f requests/s with C=%d at L=%.0f ms: %.1f%% of the ceiling C/L = %.1f/s; %.1f MB received",
                     rate, source.concurrency.initial, latencyMs, 100 * rate / ceiling, ceiling, Double(snapshot.bytesReceived) / 1e6))
    }
}
