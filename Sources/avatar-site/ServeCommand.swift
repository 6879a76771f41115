import ArgumentParser
import AvatarSite
import AvatarSiteServer
import Foundation
import Logging
import AvatarSiteContract

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

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may wait between requests before it is closed.")
    var idleTimeout: Double = Double(ServeLimits.defaultIdleTimeout.components.seconds)

    @Option(name: .customLong("header-timeout"), help: "Seconds a new connection has to send its first request head.")
    var headerTimeout: Double = Double(ServeLimits.defaultHeaderTimeout.components.seconds)

    @Option(name: .customLong("send-timeout"), help: "Seconds an answer may wait for the client to read any of it before it is closed.")
    var sendTimeout: Double = Double(ServeLimits.defaultSendTimeout.components.seconds)

    @Option(name: .customLong("max-connections"), help: ArgumentHelp(
        "Connections kept open at once (default: the open-file limit less \(ServeLimits.descriptorReserveBase) "
            + "and \(ServeLimits.descriptorReservePerCore) per core, at most \(ServeLimits.connectionCeiling))."))
    var maxConnections: Int?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard folder == nil || config == nil else { throw ValidationError("give a folder or --config, not both") }
        for (name, seconds) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--send-timeout", sendTimeout)] {
            guard seconds > 0, seconds <= 86_400 else { throw ValidationError("\(name) must be more than 0 and at most 86400 seconds") }
        }
        guard (maxConnections ?? 1) >= 1 else { throw ValidationError("--max-connections must be at least 1") }
    }

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let limits = ServeLimits(idleTimeout: .seconds(idleTimeout), headerTimeout: .seconds(headerTimeout),
                                 sendTimeout: .seconds(sendTimeout), maxConnections: maxConnections)
        if let maxConnections, let descriptors = ServeLimits.descriptorLimit(), maxConnections >= descriptors {
            logger.warning("--max-connections \(maxConnections) is not below the open-file limit \(descriptors): files may fail to open")
        }
        let settings: ServeSettings
        if let folder {
            settings = ServeSettings(root: URL(fileURLWithPath: folder), limits: limits)
        } else {
            do {
                settings = ServeSettings(try ConfigurationLoader.load(file: URL(fileURLWithPath: config ?? "site.yml")), limits: limits)
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
        logger.info("serving \(settings.root.path) at \(running.url)", metadata: [
            "max_connections": "\(limits.maxConnections)", "idle_timeout": "\(idleTimeout)", "header_timeout": "\(headerTimeout)",
            "send_timeout": "\(sendTimeout)",
        ])
        // A server's normal end is a signal: stopping then is a clean exit, not a failure.
        let signals = StopSignals { Task { await running.stop() } }
        try await running.waitUntilStopped()
        withExtendedLifetime(signals) {}
        logger.info("stopped")
    }
}
