import ArgumentParser
import AvatarSite
import AvatarSiteServer
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a built site over HTTP, answering the URLs its nginx configuration answers.",
        discussion: """
            Graph's photo URLs by id or alias, bare or under hosting.prefix; /avatar/{hash}; users.json, \
            the users' files and the directory page. The folder is read as it is at each request, so a \
            build while serving is seen at once.
            """
    )

    @Argument(help: "The built site's folder (default: output.dir of --config).")
    var folder: String?

    @Option(name: .long, help: "The site configuration, for output.dir and the hosting settings.")
    var config: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port (0 picks a free one).")
    var port = 8080

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard folder == nil || config == nil else { throw ValidationError("give a folder or --config, not both") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let settings: ServeSettings
        if let folder {
            settings = ServeSettings(root: URL(fileURLWithPath: folder))
        } else {
            do {
                settings = ServeSettings(try ConfigurationLoader.load(file: URL(fileURLWithPath: config ?? "site.yml")))
            } catch {
                logger.error("\(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let running: RunningSiteServer
        do {
            running = try await SiteServer.start(settings, host: host, port: port, logger: logger)
        } catch {
            logger.error("\(error.localizedDescription)")
            throw ExitCode(2)
        }
        // One line on stdout, so scripts and tests can read the address.
        FileHandle.standardOutput.write(Data("listening url=\(running.url)\n".utf8))
        logger.info("serving \(settings.root.path) at \(running.url)")
        // A server's normal end is a signal: stopping then is a clean exit, not a failure.
        let signals = StopSignals { Task { await running.stop() } }
        try await running.waitUntilStopped()
        withExtendedLifetime(signals) {}
        logger.info("stopped")
    }
}
