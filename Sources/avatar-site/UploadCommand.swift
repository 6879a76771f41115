import ArgumentParser
import AvatarSite
import DemoTenant
import Foundation
import Logging
import AvatarSiteContract
import AvatarSiteSources

struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Set users' photos from a folder of {userPrincipalName | mail | id}.jpg|png files, checked first.",
        discussion: """
            Every file is checked before anything is sent: it must decode as a JPEG or PNG, be at least 48x48, \
            at most imaging.max_pixels and at most 4 MB (--fit makes it fit). A file already sent, for a user whose \
            photo has not changed since, is skipped. Exit codes: 0 all done, 1 some files refused or failed, \
            2 a mistake in the arguments or site.yml, 3 authentication failed.
            """
    )

    @Argument(help: "The folder of photos.")
    var folder: String

    @Option(name: .long, help: "The site configuration.")
    var config = "site.yml"

    @Flag(name: .long, help: "Read what is needed and print what would change; send no photo.")
    var dryRun = false

    @Flag(name: .long, help: "Send every photo, even those already sent.")
    var force = false

    @Flag(name: .long, help: "Turn photos upright, crop them square, scale them down and re-encode them to fit.")
    var fit = false

    @Option(name: .long, help: "With --fit, the largest side (default 648).")
    var maxSize = 648

    @Option(name: .long, help: "Also write the report (JSON) to this file.")
    var report: String?

    @Option(name: .long, help: ArgumentHelp(
        "Write Prometheus metrics of the upload (avatar_site_upload_*) to this file, however it ends; not the build's file.",
        valueName: "path"))
    var metricsFile: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (PhotoPreparation.minimumSide...PhotoSize.maximumSide).contains(maxSize) else {
            throw ValidationError("--max-size must be between \(PhotoPreparation.minimumSide) and \(PhotoSize.maximumSide)")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let clock = ContinuousClock()
        let started = clock.now
        var result: UploadReport?
        let exitCode = await upload(logger: logger) { result = $0 }
        if let metricsFile {
            do {
                try UploadMetrics.record(result, exitCode: exitCode, seconds: Self.seconds(started.duration(to: clock.now)),
                                         to: URL(fileURLWithPath: metricsFile), at: Date())
            } catch {
                logger.error("the metrics could not be written: \(error.localizedDescription)")
            }
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Runs the upload and returns its exit code; `finished` gets the report of a run that went
    /// through the folder.
    private func upload(logger: Logger, finished: (UploadReport) -> Void) async -> Int32 {
        let loaded: ConfigurationLoader.Loaded
        do {
            loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        } catch {
            logger.error("\(error.localizedDescription)")
            return 2
        }
        let options = PhotoUpload.Options(dryRun: dryRun, force: force,
                                          fit: fit ? PhotoPreparation.Fit(maxSide: maxSize, quality: loaded.configuration.imaging.jpegQuality)
                                              : nil,
                                          progress: logging.makeProgress(unit: "photos", logger: logger))
        let result: UploadReport
        do {
            if loaded.configuration.source.kind == .demo {
                result = try await EmbeddedDemo.run(loaded, logger: logger) { loaded, environment in
                    try await PhotoUpload.run(folder: URL(fileURLWithPath: folder), loaded, environment: environment, options: options,
                                              logger: logger)
                }
            } else {
                result = try await PhotoUpload.run(folder: URL(fileURLWithPath: folder), loaded, options: options, logger: logger)
            }
        } catch let error as ConfigurationError {
            logger.error("\(error.localizedDescription)")
            return 2
        } catch let error as SourceError where error.isFatal {
            logger.error("authentication failed, nothing was sent: \(error.localizedDescription)")
            return 3
        } catch {
            logger.error("\(error.localizedDescription)")
            return 1
        }
        finished(result)
        print(result.summary)
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            do {
                try encoder.encode(result).write(to: URL(fileURLWithPath: report))
            } catch {
                logger.error("the report could not be written to \(report): \(error.localizedDescription)")
                return 1
            }
        }
        return Int32(result.exitCode)
    }
}
