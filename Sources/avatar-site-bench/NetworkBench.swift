import ArgumentParser
import AvatarSite
import Foundation
import Logging

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

    enum Job: Sendable {
        case metadata([DirectoryUser])
        case photo(DirectoryUser)
    }

    func run() async throws {
        var loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        if let concurrency { loaded.configuration.source.concurrency = concurrency }
        let source = loaded.configuration.source
        let logger = Logger(label: "avatar-site-bench")
        let client = APIClient(concurrency: source.concurrency, timeoutSeconds: source.timeoutSeconds, logger: logger)
        let directory = try SourceFactory.make(loaded.configuration, baseDirectory: loaded.baseDirectory,
                                               environment: ProcessInfo.processInfo.environment, client: client, logger: logger)
        let clock = ContinuousClock()
        var users = [DirectoryUser]()
        let listingStarted = clock.now
        for try await page in directory.userPages() { users += page }
        let listing = clock.now - listingStarted
        let before = client.statistics.snapshot.totalRequests
        let started = clock.now
        let batchSize = directory.batchSize ?? 1
        var pending = stride(from: 0, to: users.count, by: batchSize).map {
            Job.metadata(Array(users[$0..<min($0 + batchSize, users.count)]))
        }
        var photos = 0, failures = 0
        // C jobs in flight at all times: a finished metadata batch queues its photos.
        try await withThrowingTaskGroup(of: [Job].self) { group in
            func start(_ job: Job) {
                group.addTask {
                    switch job {
                    case .metadata(let batch):
                        let answers = try await directory.photoMetadata(of: batch)
                        return batch.compactMap { user in
                            if case .success(.some) = answers[user.key] { return .photo(user) }
                            return nil
                        }
                    case .photo(let user):
                        _ = try await directory.photoBytes(of: [user])
                        return []
                    }
                }
            }
            var running = 0
            while running < source.concurrency, !pending.isEmpty {
                start(pending.removeFirst())
                running += 1
            }
            while running > 0 {
                let more: [Job]
                do {
                    more = try await group.next() ?? []
                } catch {
                    failures += 1
                    more = []
                }
                running -= 1
                photos += more.count
                pending.append(contentsOf: more)
                while running < source.concurrency, !pending.isEmpty {
                    start(pending.removeFirst())
                    running += 1
                }
            }
        }
        let elapsed = clock.now - started
        let snapshot = client.statistics.snapshot
        try await client.shutdown()
        let requests = snapshot.totalRequests - before
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(requests) / seconds
        let ceiling = Double(source.concurrency) / (latencyMs / 1000)
        print(String(format: "network: %d users listed in %.2f s; then %d requests (metadata batches and %d photos, %d failed) in %.2f s",
                     users.count, Double(listing.components.seconds) + Double(listing.components.attoseconds) / 1e18,
                     requests, photos, failures, seconds))
        print(String(format: "  %.1f requests/s with C=%d at L=%.0f ms: %.1f%% of the ceiling C/L = %.1f/s; %.1f MB received",
                     rate, source.concurrency, latencyMs, 100 * rate / ceiling, ceiling, Double(snapshot.bytesReceived) / 1e6))
    }
}
