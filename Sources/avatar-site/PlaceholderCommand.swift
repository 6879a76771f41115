import ArgumentParser
import AvatarSite
import Foundation
import AvatarSiteContract
import AvatarSiteImaging

struct PlaceholderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placeholder",
        abstract: "Render one placeholder (or a contact sheet of several) with the style of a site.yml, to try styles."
    )

    @Argument(help: "The display name to take initials from.")
    var name: String?

    @Option(help: "The user id the colour is chosen from (default: the name).")
    var id: String?

    @Option(help: "The side in pixels.")
    var size = 240

    @Option(help: "Where to write it: .png (transparent corners for circles) or .jpg.")
    var out = "placeholder.png"

    @Option(help: "The site configuration whose placeholder style to use.")
    var config: String?

    @Option(help: "Override the shape: square or circle.")
    var shape: String?

    @Option(help: "A file of 'label|name' lines to render as a contact sheet instead of one placeholder.")
    var sheet: String?

    func validate() throws {
        guard (8...PhotoSize.maximumSide).contains(size) else { throw ValidationError("--size must be between 8 and \(PhotoSize.maximumSide)") }
        guard name != nil || sheet != nil else { throw ValidationError("give a name, or --sheet FILE") }
        if let shape, PlaceholderConfiguration.Shape(rawValue: shape) == nil {
            throw ValidationError("--shape must be square or circle")
        }
        guard out.hasSuffix(".png") || out.hasSuffix(".jpg") || out.hasSuffix(".jpeg") else {
            throw ValidationError("--out must end in .png or .jpg")
        }
    }

    func run() async throws {
        var configuration = SiteConfiguration()
        if let config {
            do {
                configuration = try ConfigurationLoader.load(file: URL(fileURLWithPath: config)).configuration
            } catch {
                FileHandle.standardError.write(Data("\(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
        }
        if let shape = shape.flatMap(PlaceholderConfiguration.Shape.init(rawValue:)) { configuration.placeholder.shape = shape }
        configuration.sizes = [PhotoSize(side: size)]
        let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: configuration.placeholder)
        let data: Data
        if let sheet {
            let lines = try String(contentsOfFile: sheet, encoding: .utf8).split(whereSeparator: \.isNewline)
            let entries = lines.filter { !$0.hasPrefix("#") }.map { line in
                let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return ContactSheet.Entry(label: parts[0], name: parts.count > 1 ? parts[1] : parts[0])
            }
            data = try ContactSheet.render(entries, renderer: renderer, side: size)
        } else {
            let initials = Initials.of(givenName: nil, surname: nil, displayName: name, mail: nil)
            let images = try renderer.render(initials: initials, userID: id ?? name ?? "")
            guard let image = images.bySize[PhotoSize(side: size)] else { throw ExitCode(1) }
            data = out.hasSuffix(".png") ? try image.png ?? renderer.png(initials: initials, userID: id ?? name ?? "", side: size)
                : image.jpeg
        }
        try data.write(to: URL(fileURLWithPath: out))
        print(out)
    }

}
