import ArgumentParser
import AvatarSite
import DemoTenant
import Foundation
import Logging
import AvatarSiteContract
import AvatarSiteSources

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

    @Option(name: .long, help: ArgumentHelp(
        "Write Prometheus metrics of the build to this file, however it ends (instead of output.metrics_file).",
        valueName: "path"))
    var metricsFile: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let loaded: ConfigurationLoader.Loaded
        do {
            loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        } catch {
            logger.error("\(error.localizedDescription)")
            // Only --metrics-file can say where: site.yml's output.metrics_file was not read.
            recordMetrics(.failure(error), exitCode: 2, to: metricsFile.map { URL(fileURLWithPath: $0) }, logger: logger)
            throw ExitCode(2)
        }
        let metricsURL = metricsFile.map { URL(fileURLWithPath: $0) } ?? loaded.configuration.output.metricsFile.map(loaded.resolve)
        let options = BuildOptions(
            allowDeletions: allowDeletions, reportFile: self.report.map { URL(fileURLWithPath: $0) }, full: full,
            progress: logging.makeProgress(unit: "users", logger: logger))
        let build = Task { try await self.build(loaded, options: options, logger: logger) }
        let signals = StopSignals { build.cancel() }
        let outcome: Result<BuildReport, any Error>
        let exitCode: Int32
        do {
            let report = try await build.value
            outcome = .success(report)
            exitCode = Int32(report.exitCode)
            let counts = report.counts
            logger.info("""
                published \(counts.written) users (\(counts.photos) photos, \(counts.placeholders) placeholders; \
                \(counts.unchanged) unchanged, \(counts.downloaded) downloaded, \(counts.kept) kept from the last build, \(counts.failed) with failures, \(counts.skipped) skipped, \
                \(counts.removed) removed) with \(report.requests.totalRequests) requests \
                in \(String(format: "%.2f", report.seconds["total"] ?? 0)) s into \(loaded.outputDirectory.path)
                """)
        } catch let error as BuildError {
            logger.error("\(error.localizedDescription)")
            outcome = .failure(error)
            exitCode = error.isCancellation ? signals.exitCode : error.exitCode
        } catch {
            // The embedded demo tenant could not start: nothing was built.
            logger.error("\(error.localizedDescription)")
            outcome = .failure(error)
            exitCode = 1
        }
        recordMetrics(outcome, exitCode: exitCode, to: metricsURL, logger: logger)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Writes the build's metrics when a file for them is configured. A failure to write them
    /// is logged and leaves the exit code as the build made it: the site is what it is.
    private func recordMetrics(_ outcome: Result<BuildReport, any Error>, exitCode: Int32, to url: URL?, logger: Logger) {
        guard let url else { return }
        do {
            try BuildMetrics.record(outcome, exitCode: exitCode, to: url, at: Date())
        } catch {
            logger.error("the metrics could not be written: \(error.localizedDescription)")
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
