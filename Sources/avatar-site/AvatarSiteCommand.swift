import ArgumentParser
import AvatarSite
import AvatarSiteContract
import AvatarSiteImaging

@main
struct AvatarSiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avatar-site",
        abstract: "Turns a Microsoft 365 / Exchange directory into a static avatar site.",
        version: AvatarSiteVersion.current,
        subcommands: [BuildCommand.self, CheckCommand.self, InitCommand.self, UploadCommand.self, ServeCommand.self,
                      DemoServerCommand.self, PlaceholderCommand.self],
        defaultSubcommand: BuildCommand.self
    )

    static func main() async {
        AllocatorTuning.keepLargeBuffersInHeap()
        await main(nil)
    }
}
