import ArgumentParser
import DemoTenant
import Foundation
import Logging

struct DemoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Run the demo tenant alone: a Graph-compatible server with synthetic users on 127.0.0.1."
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port = 8080

    @Option(help: "Synthetic users.")
    var users = 1000

    @Option(name: .customLong("latency-ms"), help: "Latency added to every answer, in milliseconds.")
    var latencyMilliseconds = 0

    @Option(help: "Seed of the synthetic directory.")
    var seed: UInt64 = 2026

    @Option(name: .customLong("client-secret"), help: "The client secret the token endpoint accepts.")
    var clientSecret = "demo-secret"

    @Option(name: .customLong("page-size"), help: "The most users one listing page holds.")
    var pageSize = 999

    @Option(name: .customLong("rate-429"), help: "Share of Graph requests answered 429 with Retry-After.")
    var throttleRate = 0.0

    @Option(name: .customLong("retry-after"), help: "The Retry-After of those 429s, in seconds.")
    var retryAfter = 1

    @Option(name: .customLong("rate-503"), help: "Share of Graph requests answered 503.")
    var unavailableRate = 0.0

    @Option(name: .customLong("rate-drop"), help: "Share of Graph requests whose connection is dropped mid-answer.")
    var dropRate = 0.0

    @Option(name: .customLong("rate-truncated"), help: "Share of photo downloads cut short.")
    var truncatedRate = 0.0

    @Option(name: .customLong("change-photos"), help: "Users whose photo differs from the unchanged directory's.")
    var changedPhotos = 0

    @Option(help: "Users renamed (new initials).")
    var rename = 0

    @Option(help: "Users added.")
    var add = 0

    @Option(help: "Users removed.")
    var remove = 0

    @Option(name: .customLong("max-concurrency"), help: "Answer 429 with Retry-After above this many requests in flight (a $batch counts as one).")
    var maxConcurrency: Int?

    @Flag(name: .customLong("no-batch"), help: "Refuse POST /$batch, so clients must fall back to one request per user.")
    var noBatch = false

    @Flag(name: .customLong("hostile-users"), help: "Add users with path-like ids, script tags, non-image and pixel-bomb photos.")
    var hostileUsers = false

    @Flag(name: .customLong("huge-users"), help: "Add users with a 24-megapixel PNG, a 65,000x1 PNG and names of one grapheme with thousands of marks.")
    var hugeUsers = false

    @Flag(name: .customLong("no-photos"), help: "Give nobody a photo: every user is a placeholder, so a large directory builds fast.")
    var noPhotos = false

    @Option(name: .customLong("users-file"), help: "Write the enabled users here as a users file (CSV), for outlook-v2 and ews builds.")
    var usersFile: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard users >= 0 else { throw ValidationError("--users must not be negative") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard [changedPhotos, rename, add, remove].allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--change-photos, --rename, --add and --remove take counts of 0 or more")
        }
        guard (1...999).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 999") }
        for (name, rate) in [("--rate-429", throttleRate), ("--rate-503", unavailableRate), ("--rate-drop", dropRate),
                             ("--rate-truncated", truncatedRate)] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard throttleRate + unavailableRate + dropRate <= 1 else {
            throw ValidationError("--rate-429, --rate-503 and --rate-drop add up to more than 1")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "demo-tenant")
        var configuration = DemoTenantConfiguration(userCount: users, seed: seed, latencyMilliseconds: latencyMilliseconds)
        configuration.clientSecret = clientSecret
        configuration.maxPageSize = pageSize
        configuration.hostileUsers = hostileUsers
        configuration.hugeUsers = hugeUsers
        configuration.photos = !noPhotos
        configuration.faults.throttleRate = throttleRate
        configuration.faults.retryAfterSeconds = retryAfter
        configuration.faults.unavailableRate = unavailableRate
        configuration.faults.dropRate = dropRate
        configuration.faults.truncatedPhotoRate = truncatedRate
        configuration.faults.batchUnsupported = noBatch
        configuration.maxConcurrency = maxConcurrency
        configuration.throttleRetryAfterSeconds = retryAfter
        configuration.mutation = DemoMutation(changedPhotos: changedPhotos, renamed: rename, added: add, removed: remove)
        let tenant = DemoTenant(configuration: configuration)
        if let usersFile {
            try tenant.usersFileCSV().write(toFile: usersFile, atomically: true, encoding: .utf8)
        }
        tenant.warmUp()
        let running = try await tenant.start(port: port, logger: logger)
        // One line on stdout, so scripts can read the address.
        let line = "\(running.origin) base_url=\(running.baseURL) token_url=\(running.tokenURL) client_id=\(configuration.clientID) "
            + "outlook_url=\(running.outlookBaseURL) ews_url=\(running.ewsURL)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        try await running.waitUntilStopped()
    }
}
