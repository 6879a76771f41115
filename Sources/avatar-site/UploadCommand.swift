import ArgumentParser
import AvatarSite
import DemoTenant
import Foundation
import Logging

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

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (PhotoPreparation.minimumSide...PhotoSize.maximumSide).contains(maxSize) else {
            throw ValidationError("--max-size must be between \(PhotoPreparation.minimumSide) and \(PhotoSize.maximumSide)")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let loaded: ConfigurationLoader.Loaded
        do {
            loaded = try ConfigurationLoader.load(file: URL(fileURLWithPath: config))
        } catch {
            logger.error("\(error.localizedDescription)")
            throw ExitCode(2)
        }
        let progress = logging.quiet ? nil : BuildProgress(onTerminal: isatty(STDERR_FILENO) != 0, unit: "photos", logger: logger)
        let options = PhotoUpload.Options(dryRun: dryRun, force: force,
                                          fit: fit ? PhotoPreparation.Fit(maxSide: maxSize, quality: loaded.configuration.imaging.jpegQuality)
                                              : nil,
                                          progress: progress)
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
            throw ExitCode(2)
        } catch let error as SourceError where error.stopsTheBuild {
            logger.error("authentication failed, nothing was sent: \(error.localizedDescription)")
            throw ExitCode(3)
        }
        print(result.summary)
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(result).write(to: URL(fileURLWithPath: report))
        }
        if result.exitCode != 0 { throw ExitCode(Int32(result.exitCode)) }
    }
}
