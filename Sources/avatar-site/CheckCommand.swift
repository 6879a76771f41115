import ArgumentParser
import AvatarSite
import DemoTenant
import Foundation
import AvatarSiteContract

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a site.yml against the directory and this machine, writing nothing.",
        discussion: """
            One line per check, each ✓ or ✗ with the fix: the configuration parses, the secret's variable is set, \
            a token is issued, a page of users can be listed, one user's photo can be read, the output folder can be \
            written and has room, and fonts for the placeholders are installed. Exit codes: 0 all passed, 1 some \
            failed, 2 site.yml does not parse.
            """
    )

    @Option(name: .long, help: "The site configuration.")
    var config = "site.yml"

    @Flag(name: .long, help: "Print a JSON array of {check, ok, detail, fix} instead of lines.")
    var json = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "avatar-site")
        let (first, loaded) = SiteCheckup.configuration(file: URL(fileURLWithPath: config))
        var results = [first]
        if let loaded {
            if loaded.configuration.source.kind == .demo {
                results += try await EmbeddedDemo.run(loaded, logger: logger) { pointed, environment in
                    await SiteCheckup.run(pointed, environment: environment, logger: logger)
                }
            } else {
                results += await SiteCheckup.run(loaded, logger: logger)
            }
        } else {
            results += SiteCheckup.notChecked()
        }
        if json {
            FileHandle.standardOutput.write(try SiteCheckup.json(results) + Data("\n".utf8))
        } else {
            print(results.map(\.line).joined(separator: "\n"))
        }
        let status = SiteCheckup.exitCode(results)
        if status != 0 { throw ExitCode(status) }
    }
}
