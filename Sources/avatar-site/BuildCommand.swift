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

    @Flag(name: .long, help: "Publish even if more users would be removed than output.max_deletions allows.")
    var allowDeletions = false

    @Flag(name: .long, help: "Download and render every user again, ignoring what the last build recorded.")
    var full = false

    @Option(name: .long, help: "Also write the build report to this file.")
    var report: String?

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
            let progress = BuildProgress(onTerminal: !logging.quiet && isatty(STDERR_FILENO) != 0, logger: logger)
            let options = BuildOptions(
                allowDeletions: allowDeletions, reportFile: self.report.map { URL(fileURLWithPath: $0) }, full: full,
                progress: logging.quiet ? nil : progress)
            let build = Task { try await self.build(loaded, options: options, logger: logger) }
            let signals = StopSignals { build.cancel() }
            let report: BuildReport
            do {
                report = try await build.value
            } catch let error as BuildError where error.isCancellation {
                logger.error("\(error.localizedDescription)")
                throw ExitCode(signals.exitCode)
            }
            let counts = report.counts
            logger.info("""
                published \(counts.written) users (\(counts.photos) photos, \(counts.placeholders) placeholders; \
                \(counts.unchanged) unchanged, \(counts.downloaded) downloaded, \(counts.kept) kept from the last build, \(counts.failed) with failures, \(counts.skipped) skipped, \
                \(counts.removed) removed) with \(report.requests.totalRequests) requests \
                in \(String(format: "%.2f", report.seconds["total"] ?? 0)) s into \(loaded.outputDirectory.path)
                """)
            if report.exitCode != 0 { throw ExitCode(Int32(report.exitCode)) }
        } catch let error as BuildError {
            logger.error("\(error.localizedDescription)")
            throw ExitCode(error.exitCode)
        }
    }

    /// Builds against the configured source, or against an embedded demo tenant for `kind: demo`.
    private func build(_ loaded: ConfigurationLoader.Loaded, options: BuildOptions, logger: Logger) async throws -> BuildReport {
        guard loaded.configuration.source.kind == .demo else {
            return try await SiteBuild.run(loaded, options: options, logger: logger)
        }
        return try await EmbeddedDemo.run(loaded, logger: logger) { loaded, environment in
            try await SiteBuild.run(loaded, environment: environment, options: options, logger: logger)
        }
    }
}
