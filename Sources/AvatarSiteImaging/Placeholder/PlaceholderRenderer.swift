import CGD
import CImaging
public import Foundation
public import AvatarSiteContract

/// Draws initials avatars: the user's initials on a colour chosen from the user's id, in a font
/// that has every glyph of them, or a neutral silhouette when no installed font has.
public struct PlaceholderRenderer: Sendable {
    public let settings: RenderSettings
    public let style: PlaceholderConfiguration
    let fonts: FontChain
    let layouts = TextLayoutCache()
    let masks: GlyphMaskCache

    /// The initials' em size as a share of the image side, before they are fitted to the box below.
    static let textScale = 0.40
    /// The box the inked initials are fitted into, as shares of the side: as tall as a Latin
    /// capital at `textScale`, so a small glyph (Arabic "م", Hebrew "ד") is drawn as large as "AB",
    /// and wide enough for two broad capitals ("WM"). The same shares at every size keep the same
    /// optical weight from 48 px to 648 px.
    static let inkHeight = 0.30
    static let inkWidth = 0.66

    /// The ink height for `initials`: a lone Chinese, Japanese or Korean character has thin
    /// strokes packed in a square and needs more room to weigh as much as two capitals; a lone
    /// Arabic or Hebrew letter sits between the two.
    static func inkHeight(for initials: String) -> Double {
        guard let first = initials.first else { return inkHeight }
        let script = Script(of: first)
        if script.isEastAsian { return 0.40 }
        if script == .arabic || script == .hebrew { return 0.36 }
        return inkHeight
    }

    public init(settings: RenderSettings, style: PlaceholderConfiguration) {
        self.init(settings: settings, style: style, maskBudget: GlyphMaskCache.defaultBudget)
    }

    init(settings: RenderSettings, style: PlaceholderConfiguration, maskBudget: Int) {
        self.settings = settings
        self.style = style
        self.fonts = FontChain(patterns: style.fonts)
        self.masks = GlyphMaskCache(budget: maskBudget)
    }

    /// The background of `userID`: stable across renames, builds and machines.
    public func background(for userID: String) -> RGBColor {
        style.palette[Int(StableHash.fnv1a64(userID) % UInt64(style.palette.count))]
    }

    /// The font file the initials will be drawn with; nil means a silhouette.
    public func fontFile(for initials: String) -> String? {
        initials.isEmpty ? nil : fonts.fontFile(for: initials)
    }

    public func render(initials: String, userID: String) throws(ImagingError) -> AvatarImages {
        try render(initials: initials, background: background(for: userID))
    }

    public func render(initials: String, background: RGBColor) throws(ImagingError) -> AvatarImages {
        let font = fontFile(for: initials)
        let largestSize = settings.sizes.max() ?? PhotoSize(side: 648)
        // Measured once, at the largest size, and scaled for the others.
        let layout = try font.map { (font) throws(ImagingError) in try layouts.layout(initials, font: font, side: largestSize.side) }
        var bySize = [PhotoSize: EncodedImage]()
        for size in settings.sizes {
            let image = try draw(initials, layout: layout, side: size.side, background: background)
            bySize[size] = style.shape == .circle
                ? try settings.encodeCircle(image, corners: style.cornerColor) : try settings.encode(image)
        }
        let largest = bySize[largestSize] ?? EncodedImage(jpeg: Data())
        return AvatarImages(bySize: bySize, largest: largest, sourceSize: largestSize, isPlaceholder: true)
    }

    /// One square placeholder as PNG (a circle is already PNG in `render`).
    public func png(initials: String, userID: String, side: Int) throws(ImagingError) -> Data {
        try draw(initials, side: side, background: background(for: userID)).encoded(.png)
    }

    func draw(_ initials: String, side: Int, background: RGBColor) throws(ImagingError) -> GDImage {
        let layout = try fontFile(for: initials).map { (font) throws(ImagingError) in try TextLayout(initials, font: font, side: side) }
        return try draw(initials, layout: layout, side: side, background: background)
    }

    func draw(_ initials: String, layout: TextLayout?, side: Int, background: RGBColor) throws(ImagingError) -> GDImage {
        let image = try GDImage(width: side, height: side, filledWith: background)
        guard let layout else {
            drawSilhouette(on: image, side: side, background: background)
            return image
        }
        guard side <= GlyphMaskCache.largestSide else {
            let (pointSize, x, y) = layout.placement(side: side)
            try GDText.draw(initials, on: image, font: layout.font, pointSize: pointSize, color: style.foreground,
                            baselineX: x, baselineY: y)
            return image
        }
        let mask = try masks.mask(initials, font: layout.font, side: side, layout: layout)
        image.withPointer { pointer in
            mask.coverage.withUnsafeBufferPointer { coverage in
                cimg_composite_mask(pointer.pointee.tpixels, Int32(mask.left), Int32(mask.top), Int32(mask.width),
                                    Int32(mask.height), coverage.baseAddress, style.foreground.gdColor)
            }
        }
        return image
    }

    /// Where initials go: their size fitted to the box, their inked glyphs centred. Measured at
    /// one side and scaled to the others, since text scales with its point size.
    struct TextLayout: Sendable {
        let font: String
        let side: Int
        let pointSize: Double
        let ink: TextBounds

        init(_ initials: String, font: String, side: Int) throws(ImagingError) {
            // libgd renders at 96 dpi: points = pixels * 72 / 96.
            var pointSize = Double(side) * PlaceholderRenderer.textScale * 72 / 96
            var box = try GDText.inkBounds(of: initials, font: font, pointSize: pointSize)
            // Cased letters are sized by a capital H, so an accent or a descender ("Å", "Д") does
            // not shrink the initials; other scripts by their own ink.
            let cased = initials.first.map { Script(of: $0) == .cased } ?? false
            let reference = cased ? try GDText.inkBounds(of: "H", font: font, pointSize: pointSize) : box
            let fit = min(PlaceholderRenderer.inkHeight(for: initials) * Double(side) / Double(max(reference.height, 1)),
                          PlaceholderRenderer.inkWidth * Double(side) / Double(max(box.width, 1)))
            if abs(fit - 1) > 0.03 {
                pointSize *= fit
                box = try GDText.inkBounds(of: initials, font: font, pointSize: pointSize)
            }
            self.font = font
            self.side = side
            self.pointSize = pointSize
            self.ink = box
        }

        /// Point size and baseline origin at `side`, centring the inked box.
        func placement(side target: Int) -> (pointSize: Double, x: Int, y: Int) {
            let scale = Double(target) / Double(side)
            let (left, top) = (Double(ink.left) * scale, Double(ink.top) * scale)
            let (width, height) = (Double(ink.width) * scale, Double(ink.height) * scale)
            let x = (Double(target) - width) / 2 - left
            let y = (Double(target) - height) / 2 - top
            return (pointSize * scale, Int(x.rounded()), Int(y.rounded()))
        }
    }

    /// Head and shoulders in the text colour, softened toward the background: for a name no
    /// font can draw, or no name at all.
    private func drawSilhouette(on image: GDImage, side: Int, background: RGBColor) {
        let s = Double(side)
        let figure = style.foreground.mixed(with: background, amount: 0.25)
        image.fillEllipse(centerX: s / 2, centerY: s * 0.40, radiusX: s * 0.17, radiusY: s * 0.19, color: figure)
        image.fillEllipse(centerX: s / 2, centerY: s * 0.98, radiusX: s * 0.33, radiusY: s * 0.32, color: figure)
    }
}

extension RGBColor {
    /// This colour moved toward `other` by `amount` (0 keeps it, 1 gives `other`).
    func mixed(with other: RGBColor, amount: Double) -> RGBColor {
        let mix = { (a: UInt8, b: UInt8) in UInt8((Double(a) * (1 - amount) + Double(b) * amount).rounded()) }
        return RGBColor(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }
}
