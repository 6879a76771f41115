import CGD
public import Foundation
import AvatarSiteContract

/// A grid of placeholders with a label under each, for people to see what they get.
public enum ContactSheet {
    public struct Entry: Sendable {
        public var label: String
        public var name: String

        public init(label: String, name: String) {
            self.label = label
            self.name = name
        }
    }

    /// Renders the sheet as PNG. Each entry's colour comes from its name, as a user's does from the id.
    public static func render(_ entries: [Entry], renderer: PlaceholderRenderer, side: Int = 120, columns: Int = 6)
        throws(ImagingError) -> Data {
        let margin = 16, labelHeight = 26
        let rows = (entries.count + columns - 1) / columns
        let sheet = try GDImage(width: margin + columns * (side + margin), height: margin + rows * (side + labelHeight + margin),
                                filledWith: RGBColor(red: 255, green: 255, blue: 255))
        for (index, entry) in entries.enumerated() {
            let x = margin + (index % columns) * (side + margin)
            let y = margin + (index / columns) * (side + labelHeight + margin)
            let isMail = entry.name.contains("@")
            let initials = Initials.of(givenName: nil, surname: nil, displayName: isMail ? nil : entry.name,
                                       mail: isMail ? entry.name : nil)
            let avatar = try renderer.draw(initials, side: side, background: renderer.background(for: entry.name))
            if renderer.style.shape == .circle { avatar.fillOutsideCircle(color: RGBColor(red: 255, green: 255, blue: 255)) }
            sheet.withPointer { target in
                avatar.withPointer { source in gdImageCopy(target, source, Int32(x), Int32(y), 0, 0, Int32(side), Int32(side)) }
            }
            if let font = renderer.fontFile(for: entry.label) {
                let pointSize = 10.0
                let box = try GDText.bounds(of: entry.label, font: font, pointSize: pointSize)
                try GDText.draw(entry.label, on: sheet, font: font, pointSize: pointSize,
                                color: RGBColor(red: 0x33, green: 0x33, blue: 0x33),
                                baselineX: x + (side - box.width) / 2 - box.left, baselineY: y + side + 18)
            }
        }
        return try sheet.encoded(.png)
    }
}
