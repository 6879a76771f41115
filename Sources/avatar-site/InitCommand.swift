import ArgumentParser
import AvatarSite
import Foundation
import AvatarSiteContract

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented site.yml with every key at its default, for one source kind.",
        discussion: "An existing site.yml is never overwritten (exit code 1). Then: avatar-site check --config DIR/site.yml"
    )

    @Argument(help: "The folder to write site.yml into.")
    var directory = "."

    @Option(help: ArgumentHelp("The source kind.", valueName: SourceConfiguration.Kind.allCases.map(\.rawValue).joined(separator: "|")))
    var kind = SourceConfiguration.Kind.graph.rawValue

    func validate() throws {
        guard SourceConfiguration.Kind(rawValue: kind) != nil else {
            throw ValidationError("--kind must be one of \(SourceConfiguration.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        do {
            let file = try ConfigurationTemplate.write(for: SourceConfiguration.Kind(rawValue: kind) ?? .graph,
                                                       in: URL(fileURLWithPath: directory))
            print("wrote \(file.path); fill it in, then: avatar-site check --config \(file.path)")
        } catch {
            FileHandle.standardError.write(Data("avatar-site init: \(error.localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
    }
}
