import Foundation

/// `placeholder:` — how initials avatars look.
public struct PlaceholderConfiguration: Sendable, Equatable {
    public enum Shape: String, Decodable, Sendable, CaseIterable {
        case square
        case circle
    }

    /// Deep Material shades; white text on each has a WCAG contrast of at least 4.5:1.
    public static let defaultPalette: [RGBColor] = [
        "#B71C1C", "#880E4F", "#4A148C", "#311B92", "#1A237E", "#0D47A1", "#01579B", "#006064",
        "#004D40", "#1B5E20", "#33691E", "#BF360C", "#3E2723", "#37474F",
    ].compactMap(RGBColor.init(hex:))

    /// WCAG AA for normal text.
    public static let minimumContrast = 4.5

    public var palette = Self.defaultPalette
    public var foreground = RGBColor(red: 255, green: 255, blue: 255)
    public var shape = Shape.square
    /// What a circle's corners show in the JPEG (the PNG beside it has them transparent).
    public var cornerColor = RGBColor(red: 255, green: 255, blue: 255)
    /// fontconfig patterns tried in order; then a bold font for each script (`FontChain`).
    public var fonts = ["DejaVu Sans:bold"]

    public init() {}
}

extension PlaceholderConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case palette, foreground, shape
        case cornerColor = "corner_color"
        case fonts
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        foreground = try container.decode(.foreground, default: foreground)
        palette = try container.decode(.palette, default: palette)
        try container.require(!palette.isEmpty, .palette, "needs at least one colour")
        for color in palette {
            let ratio = color.contrastRatio(with: foreground)
            try container.require(ratio >= Self.minimumContrast, .palette,
                                  "\(color) has a contrast of \(String(format: "%.2f", ratio)):1 with \(foreground); WCAG AA needs \(Self.minimumContrast):1")
        }
        shape = try container.decode(.shape, default: shape)
        cornerColor = try container.decode(.cornerColor, default: cornerColor)
        fonts = try container.decode(.fonts, default: fonts)
        try container.require(!fonts.isEmpty, .fonts, "needs at least one font")
    }
}
