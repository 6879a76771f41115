import ArgumentParser
import AvatarSite
import DemoTenant
import Foundation
import Logging

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "List the directory, fetch photos, draw placeholders and write the site."
    )

    @Option(name: .long, help: "The site configuration.")
    var config = "site.yml"

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let loaded: ConfigurationLoader.Loaded
        do {
            loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        } catch {
            logger.error("\(error.localizedDescription)")
            throw ExitCode(2)
        }
        do {
            let report = try await build(loaded, logger: logger)
            let counts = report.counts
            logger.info("""
                built \(counts.written) users (\(counts.photos) photos, \(counts.placeholders) placeholders, \
                \(counts.failed) failed, \(counts.skipped) skipped) with \(report.requests.totalRequests) requests \
                in \(String(format: "%.2f", report.seconds["total"] ?? 0)) s into \(loaded.outputDirectory.path)
                """)
            if report.exitCode != 0 { throw ExitCode(Int32(report.exitCode)) }
        } catch let error as BuildError {
            logger.error("\(error.localizedDescription)")
            throw ExitCode(error.exitCode)
        }
    }

    /// Builds against the configured source, or against an embedded demo tenant for `kind: demo`.
    private func build(_ loaded: ConfigurationLoader.Loaded, logger: Logger) async throws -> BuildReport {
        let source = loaded.configuration.source
        guard source.kind == .demo else {
            return try await SiteBuild.run(loaded, logger: logger)
        }
        var demo = DemoTenantConfiguration(userCount: source.demo.users, seed: source.demo.seed,
                                           latencyMilliseconds: source.demo.latencyMilliseconds)
        demo.clientSecret = UUID().uuidString
        demo.clientID = source.auth.clientID.isEmpty ? demo.clientID : source.auth.clientID
        demo.tenant = source.auth.tenant
        var loaded = loaded
        loaded.configuration.source.auth.clientID = demo.clientID
        let tenant = DemoTenant(configuration: demo)
        var serverLogger = logger
        // The embedded server logs its own shutdown as an error; only its crashes matter here.
        serverLogger.logLevel = .critical
        return try await tenant.withRunning(logger: serverLogger) { running in
            logger.info("demo tenant with \(demo.userCount) users listening on \(running.origin)")
            let endpoint = SiteBuild.Endpoint(baseURL: running.baseURL, tokenURL: running.tokenURL,
                                              clientSecret: demo.clientSecret)
            return try await SiteBuild.run(loaded, endpoint: endpoint, logger: logger)
        }
    }
}
