import ArgumentParser
import AvatarSite
import Foundation
import AvatarSiteContract
import AvatarSiteImaging

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

/// CPU time of this process per iteration of `body`, in milliseconds, after a warm-up: on a
/// machine that other work shares, the time a photo costs one core, which wall time is not.
func cpuMillisecondsPerIteration(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }
    try body()
    let started = now()
    for _ in 0..<iterations { try body() }
    return (now() - started) / Double(iterations)
}

struct PhotoBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photo",
        abstract: "Decode one photo, resize it to every configured size and encode them all, repeatedly.",
        discussion: """
            A JPEG is measured twice: resized in its own Y, Cb and Cr planes (what a build does) and \
            through libgd's RGB path. With --python, Pillow and libvips are timed on the same photo and \
            one core by scripts/resize-quality.py, and with --master every row gets its luma PSNR \
            against LANCZOS from that pristine master.
            """
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

    @Option(help: "A Python with the packages of scripts/bench-requirements.txt: also time Pillow and libvips.")
    var python: String?

    @Option(help: "The pristine master the photo was made from (larger, lossless): print each size's PSNR against it.")
    var master: String?

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: input))
        var settings = RenderSettings(configuration: SiteConfiguration())
        if let cascadeRatio { settings.cascadeRatio = cascadeRatio }
        if let optimizeCoding { settings.jpegOptimizeCoding = optimizeCoding }
        var rgbSettings = settings
        rgbSettings.resizesJPEGInPlanes = false
        let paths = [("avatar-site", PhotoRenderer(settings: settings)), ("avatar-site, RGB path", PhotoRenderer(settings: rgbSettings))]
        var rows = [(label: String, ms: Double, pngs: [PhotoSize: Data])]()
        for (index, (label, renderer)) in paths.enumerated() {
            let ms = try cpuMillisecondsPerIteration(iterations) { _ = try renderer.render(data) }
            let stages = try renderer.stageTimings(data, iterations: iterations)
            let images = try renderer.render(data)
            print(String(format: "%@: %.2f ms of CPU per photo (decode + resize to %d sizes + encode), one core", label, ms,
                         settings.sizes.count))
            print(String(format: "  stages (wall time): decode and crop %.2f ms, resizes %.2f ms, encodes %.2f ms; %d bytes for the %d JPEGs",
                         stages.decode, stages.resize, stages.encode, images.bySize.values.reduce(0) { $0 + $1.jpeg.count },
                         images.bySize.count))
            rows.append((label, ms, try renderer.renderPNGs(data, lumaOfPlanes: python != nil)))
            // A PNG, GIF or WebP takes one path only.
            if index == 0 && !data.starts(with: [0xFF, 0xD8]) { break }
        }
        if let pngOut {
            try write(try paths[0].1.renderPNGs(data), to: pngOut)
            print("wrote every size as PNG to \(pngOut)")
        }
        guard let python else {
            if master != nil { throw ValidationError("--master needs --python, which measures the PSNR") }
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avatar-site-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = [Self.script.path, "peers", "--source", input]
        if let master { arguments += ["--master", master] }
        for (index, row) in rows.enumerated() {
            let pngs = folder.appendingPathComponent("\(index)")
            try write(row.pngs, to: pngs.path)
            arguments += ["--ours", "\(row.label)=\(pngs.path)=\(row.ms)"]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(Self.script.lastPathComponent) peers exited with \(process.terminationStatus)")
        }
    }

    private func write(_ pngs: [PhotoSize: Data], to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (size, png) in pngs {
            try png.write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(size).png"))
        }
    }

    /// scripts/resize-quality.py of the checkout this was built from.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/resize-quality.py")
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
