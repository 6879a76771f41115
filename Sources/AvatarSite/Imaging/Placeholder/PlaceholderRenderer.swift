import Foundation

/// Draws initials avatars: the user's initials in white on a colour chosen from the user's id.
public struct PlaceholderRenderer: Sendable {
    public let settings: RenderSettings
    public let style: PlaceholderConfiguration

    /// The initials' cap height as a share of the image side.
    static let textScale = 0.40

    public init(settings: RenderSettings, style: PlaceholderConfiguration) {
        self.settings = settings
        self.style = style
    }

    /// The background of `userID`: stable across renames, builds and machines.
    public func background(for userID: String) -> RGBColor {
        style.palette[Int(StableHash.fnv1a64(userID) % UInt64(style.palette.count))]
    }

    public func render(initials: String, userID: String) throws(ImagingError) -> AvatarImages {
        let background = background(for: userID)
        var bySize = [PhotoSize: EncodedImage]()
        for size in settings.sizes {
            bySize[size] = try settings.encode(try draw(initials, side: size.side, background: background))
        }
        let largestSize = settings.sizes.max() ?? PhotoSize(side: 648)
        let largest = bySize[largestSize] ?? EncodedImage(jpeg: Data())
        return AvatarImages(bySize: bySize, largest: largest, sourceSize: largestSize, isPlaceholder: true)
    }

    func draw(_ initials: String, side: Int, background: RGBColor) throws(ImagingError) -> GDImage {
        let image = try GDImage(width: side, height: side, filledWith: background)
        guard !initials.isEmpty, let font = style.fonts.first else { return image }
        // libgd renders at 96 dpi: points = pixels * 72 / 96.
        let pointSize = Double(side) * Self.textScale * 72 / 96
        let box = try GDText.inkBounds(of: initials, font: font, pointSize: pointSize)
        // Centre the glyphs' real box, not the font's advance and line height.
        let x = (side - box.width) / 2 - box.left
        let y = (side - box.height) / 2 - box.top
        try GDText.draw(initials, on: image, font: font, pointSize: pointSize, color: style.foreground, baselineX: x, baselineY: y)
        return image
    }
}
