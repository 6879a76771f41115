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

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard users >= 0 else { throw ValidationError("--users must not be negative") }
        guard latencyMilliseconds >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard (1...999).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 999") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "demo-tenant")
        var configuration = DemoTenantConfiguration(userCount: users, seed: seed, latencyMilliseconds: latencyMilliseconds)
        configuration.clientSecret = clientSecret
        configuration.maxPageSize = pageSize
        let tenant = DemoTenant(configuration: configuration)
        let running = try await tenant.start(port: port, logger: logger)
        // One line on stdout, so scripts can read the address.
        let line = "\(running.origin) base_url=\(running.baseURL) token_url=\(running.tokenURL) client_id=\(configuration.clientID)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        try await running.waitUntilStopped()
    }
}
