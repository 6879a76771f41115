import ArgumentParser
import AvatarSite
import Foundation

/// Micro-benchmarks of the CPU stages, single-threaded, printing figures (never pass/fail).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avatar-site-bench",
        abstract: "Measure the CPU cost of avatar-site's imaging on one core.",
        subcommands: [PhotoBench.self, PlaceholderBench.self, NetworkBench.self]
    )

    static func main() async {
        AllocatorTuning.keepLargeBuffersInHeap()
        await main(nil)
    }
}

/// Wall time of `body` per iteration, in milliseconds, after a warm-up.
func millisecondsPerIteration(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    let clock = ContinuousClock()
    let started = clock.now
    for _ in 0..<iterations { try body() }
    let elapsed = clock.now - started
    let (seconds, attoseconds) = elapsed.components
    return (Double(seconds) + Double(attoseconds) / 1e18) * 1000 / Double(iterations)
}

struct PhotoBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photo",
        abstract: "Decode one photo, resize it to every configured size and encode them all, repeatedly."
    )

    @Argument(help: "A JPEG or PNG photo (648x648 is what Graph serves).")
    var input: String

    @Option(help: "Iterations.")
    var iterations = 50

    @Option(help: "Write each size here as PNG (lossless), for measuring resize quality.")
    var pngOut: String?

    @Option(help: "Make each size from an image at least this many times its side (0: all from the photo).")
    var cascadeRatio: Double?

    @Option(help: "JPEG Huffman tables optimised per image (true) or libjpeg's standard ones (false).")
    var optimizeCoding: Bool?

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: input))
        var settings = RenderSettings(configuration: SiteConfiguration())
        if let cascadeRatio { settings.cascadeRatio = cascadeRatio }
        if let optimizeCoding { settings.jpegOptimizeCoding = optimizeCoding }
        let renderer = PhotoRenderer(settings: settings)
        let ms = try millisecondsPerIteration(iterations) { _ = try renderer.render(data) }
        print(String(format: "photo: %.2f ms per photo (decode + resize to %d sizes + encode), one core", ms,
                     SiteConfiguration().sizes.count))
        let stages = try renderer.stageTimings(data, iterations: iterations)
        print(String(format: "  stages: decode and crop %.2f ms, resizes %.2f ms, encodes %.2f ms",
                     stages.decode, stages.resize, stages.encode))
        let images = try renderer.render(data)
        print("  bytes: \(images.bySize.values.reduce(0) { $0 + $1.jpeg.count }) for the \(images.bySize.count) JPEGs")
        if let pngOut {
            try FileManager.default.createDirectory(atPath: pngOut, withIntermediateDirectories: true)
            for (size, png) in try renderer.renderPNGs(data) {
                try png.write(to: URL(fileURLWithPath: pngOut).appendingPathComponent("\(size).png"))
            }
            print("wrote every size as PNG to \(pngOut)")
        }
    }
}

struct PlaceholderBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placeholders",
        abstract: "Draw placeholder sets (every size) for a realistic mix of names."
    )

    @Option(help: "Users whose placeholders to draw.")
    var users = 2000

    func run() throws {
        let configuration = SiteConfiguration()
        let renderer = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: configuration.placeholder)
        let names = BenchNames.realistic(count: users)
        let clock = ContinuousClock()
        var started = clock.now
        let sample = min(users, 1000)
        for (index, name) in names.prefix(sample).enumerated() {
            _ = try renderer.render(initials: name, userID: "user-\(index)")
        }
        let drawn = (clock.now - started) / sample
        // As a build does: each look drawn and written once, every user's folder linked to it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avatar-site-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let looks = PlaceholderLooks(root: folder.appendingPathComponent("looks"), renderer: renderer, sizes: configuration.sizes)
        started = clock.now
        for (index, name) in names.enumerated() {
            _ = try looks.write(initials: name, userID: "user-\(index)", provisional: false,
                                to: folder.appendingPathComponent("users/user-\(index)"))
        }
        let linked = (clock.now - started) / users
        print(String(format: "placeholders: %d users, %d sizes: drawing and encoding a set %.2f ms (%.0f sets/s on one core); "
                     + "as a build makes them, drawn once per look and linked %.3f ms a user, files included "
                     + "(%.0f users/s on one core, %d distinct looks)",
                     users, configuration.sizes.count, drawn.milliseconds, 1000 / drawn.milliseconds,
                     linked.milliseconds, 1000 / linked.milliseconds, looks.count))
    }
}

/// Initials as a 50,000-person company has them: mostly Latin pairs, weighted toward common
/// letters, with CJK, Cyrillic and Arabic ones mixed in.
enum BenchNames {
    static func realistic(count: Int) -> [String] {
        let common = Array("JMSADCKRLBTEGPNHW")
        let rare = Array("FIOVYZQUX")
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let roll = Int.random(in: 0..<100, using: &generator)
            switch roll {
            case 0..<8: return ["王", "李", "张", "刘", "陈", "佐", "鈴", "김", "이", "박"].randomElement(using: &generator) ?? "王"
            case 8..<12: return ["ИП", "АС", "ДК", "ОК"].randomElement(using: &generator) ?? "ИП"
            case 12..<15: return ["م", "ف", "ع", "ד", "ש"].randomElement(using: &generator) ?? "م"
            default:
                let first = (roll % 10 == 0 ? rare : common).randomElement(using: &generator) ?? "A"
                let second = (roll % 7 == 0 ? rare : common).randomElement(using: &generator) ?? "A"
                return String(first) + String(second)
            }
        }
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return (Double(seconds) + Double(attoseconds) / 1e18) * 1000
    }
}
