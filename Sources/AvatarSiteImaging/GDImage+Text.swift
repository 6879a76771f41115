import CGD
import AvatarSiteContract

/// The box that drawn text covers, relative to the point where its baseline starts.
struct TextBounds: Equatable {
    var left: Int
    var top: Int
    var right: Int
    var bottom: Int

    var width: Int { right - left }
    var height: Int { bottom - top }
}

/// FreeType text through libgd, with fonts given as files (`FontChain` picks them).
enum GDText {
    /// libgd's font cache must be set up once before several threads draw text.
    private static let ready: Bool = gdFontCacheSetup() == 0

    /// The box `text` covers at `pointSize` in `font`, without drawing it.
    static func bounds(of text: String, font: String, pointSize: Double) throws(ImagingError) -> TextBounds {
        var box = [Int32](repeating: 0, count: 8)
        try render(into: nil, box: &box, text: text, font: font, pointSize: pointSize, color: 0, x: 0, y: 0)
        // brect: lower-left (0,1), lower-right (2,3), upper-right (4,5), upper-left (6,7).
        return TextBounds(left: Int(min(box[0], box[6])), top: Int(min(box[5], box[7])),
                          right: Int(max(box[2], box[4])), bottom: Int(max(box[1], box[3])))
    }

    /// The box of the pixels `text` really inks. FreeType's box (`bounds`) holds the glyphs'
    /// outlines plus side bearings, which leaves initials visibly off-centre; this draws the text
    /// once on a scratch canvas and measures what was drawn.
    static func inkBounds(of text: String, font: String, pointSize: Double) throws(ImagingError) -> TextBounds {
        let outline = try bounds(of: text, font: font, pointSize: pointSize)
        let margin = 4
        let scratch = try GDImage(width: outline.width + 2 * margin, height: outline.height + 2 * margin,
                                  filledWith: RGBColor(red: 0, green: 0, blue: 0))
        let originX = margin - outline.left, originY = margin - outline.top
        try draw(text, on: scratch, font: font, pointSize: pointSize, color: RGBColor(red: 255, green: 255, blue: 255),
                 baselineX: originX, baselineY: originY)
        // Half-covered edge pixels count as ink, as the eye counts them.
        guard let ink = scratch.inkBox(threshold: 128) else { return outline }
        return TextBounds(left: ink.left - originX, top: ink.top - originY,
                          right: ink.right - originX + 1, bottom: ink.bottom - originY + 1)
    }

    static func draw(_ text: String, on image: GDImage, font: String, pointSize: Double, color: RGBColor,
                     baselineX: Int, baselineY: Int) throws(ImagingError) {
        var box = [Int32](repeating: 0, count: 8)
        try image.withPointer { (pointer) throws(ImagingError) in
            gdImageAlphaBlending(pointer, 1)
            try render(into: pointer, box: &box, text: text, font: font, pointSize: pointSize,
                       color: color.gdColor, x: baselineX, y: baselineY)
        }
    }

    private static func render(into pointer: gdImagePtr?, box: inout [Int32], text: String, font: String,
                               pointSize: Double, color: Int32, x: Int, y: Int) throws(ImagingError) {
        guard ready else { throw ImagingError(.font, "libgd could not set up its font cache") }
        let failure: String? = box.withUnsafeMutableBufferPointer { boxPointer in
            font.withCString { fontName in
                text.withCString { string in
                    gdImageStringFT(pointer, boxPointer.baseAddress, color, UnsafeMutablePointer(mutating: fontName),
                                    pointSize, 0, Int32(x), Int32(y), UnsafeMutablePointer(mutating: string))
                        .map { String(cString: $0) }
                }
            }
        }
        if let failure {
            throw ImagingError(.font, "libgd could not draw text with '\(font)': \(failure)")
        }
    }
}
