import Foundation
import AvatarSiteContract
import AvatarSiteImaging

/// Which scripts the placeholder renderer can draw initials in, found with the very font chain
/// it uses (`placeholder.fonts`, then DejaVu Sans Bold and the Noto faces per script).
enum FontCoverage {
    /// A script and letters its initials are made of.
    struct Sample: Sendable, Equatable {
        var script: String
        var letters: String
    }

    static let samples = [
        Sample(script: "Latin", letters: "AZÉÇ"), Sample(script: "Greek", letters: "ΑΩ"),
        Sample(script: "Cyrillic", letters: "АЯ"), Sample(script: "Chinese and Japanese", letters: "王佐"),
        Sample(script: "Korean", letters: "김"), Sample(script: "Arabic", letters: "م"),
        Sample(script: "Hebrew", letters: "ד"), Sample(script: "Devanagari", letters: "प"),
        Sample(script: "Thai", letters: "ก"),
    ]

    static let packagesFix = "Install fonts-dejavu-core, and for other scripts fonts-noto-core and fonts-noto-cjk (scripts/setup.sh does)."

    /// The verdict from the font file found for each sample (nil: none has its glyphs). Latin
    /// must have one; any other script without one is named, since its users get a silhouette.
    static func verdict(_ files: [(sample: Sample, file: String?)]) -> CheckOutcome {
        let missing = files.filter { $0.file == nil }.map(\.sample.script)
        guard let latin = files.first(where: { $0.sample.script == "Latin" }), let latinFile = latin.file else {
            return .failed("no installed font draws Latin initials"
                           + (missing.count > 1 ? " (nor \(missing.filter { $0 != "Latin" }.joined(separator: ", ")))" : "") + ".",
                           fix: packagesFix)
        }
        let font = URL(fileURLWithPath: latinFile).lastPathComponent
        guard missing.isEmpty else {
            return .passed("Latin initials are drawn with \(font); no font for \(missing.joined(separator: ", ")), whose names "
                           + "get a silhouette (fonts-noto-core and fonts-noto-cjk have them).")
        }
        return .passed("Latin initials are drawn with \(font), and every script checked has a font.")
    }

    /// The font chain of `placeholder` asked for each sample.
    static func check(_ placeholder: PlaceholderConfiguration) -> CheckOutcome {
        let chain = FontChain(patterns: placeholder.fonts)
        return verdict(samples.map { ($0, chain.fontFile(for: $0.letters)) })
    }
}
