import CGD
public import Foundation

/// Images made and inspected with libgd directly, independent of the library's own wrapper.
public enum TestImages {
    /// A JPEG of `width` x `height`: a left-to-right gradient from `left` to `right`, so a test
    /// can tell which part of a photo ended up where.
    public static func jpeg(width: Int, height: Int, left: (Int, Int, Int) = (255, 0, 0), right: (Int, Int, Int) = (0, 0, 255),
                            quality: Int = 92, progressive: Bool = false) -> Data {
        encode(gradient(width: width, height: height, left: left, right: right)) {
            gdImageInterlace($0, progressive ? 1 : 0)
            return gdImageJpegPtr($0, &$1, Int32(quality))
        }
    }

    /// A PNG like `jpeg(width:height:)`.
    public static func png(width: Int, height: Int, left: (Int, Int, Int) = (255, 0, 0), right: (Int, Int, Int) = (0, 0, 255)) -> Data {
        encode(gradient(width: width, height: height, left: left, right: right)) { gdImagePngPtr($0, &$1) }
    }

    /// A GIF like `jpeg(width:height:)` (palette colours).
    public static func gif(width: Int, height: Int) -> Data {
        encode(gradient(width: width, height: height, left: (255, 0, 0), right: (0, 0, 255))) { gdImageGifPtr($0, &$1) }
    }

    /// `jpeg` with bytes that belong to no segment before its second marker: libjpeg warns
    /// "extraneous bytes before marker", and every pixel is still right.
    public static func withExtraneousBytes(_ jpeg: Data) -> Data {
        var bytes = [UInt8](jpeg)
        let firstSegmentLength = Int(bytes[4]) << 8 | Int(bytes[5])
        bytes.insert(contentsOf: [0x00, 0x11, 0x22], at: 4 + firstSegmentLength)
        return Data(bytes)
    }

    /// `jpeg` (which starts with a JFIF segment) claiming JFIF version 2.01: libjpeg warns of
    /// an unknown revision, and decodes it as ever.
    public static func withJFIFVersion2(_ jpeg: Data) -> Data {
        var bytes = [UInt8](jpeg)
        bytes[11] = 2
        bytes[12] = 1
        return Data(bytes)
    }

    /// A JPEG of seeded noise: it compresses badly, so a few megapixels make a file of megabytes.
    public static func noiseJPEG(width: Int, height: Int, quality: Int = 100, seed: UInt64 = 7) -> Data {
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else { return Data() }
        var state = seed
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                gdImageSetPixel(image, Int32(x), Int32(y), Int32(truncatingIfNeeded: state >> 40) & 0xFFFFFF)
            }
        }
        return encode(image) { gdImageJpegPtr($0, &$1, Int32(quality)) }
    }

    /// `jpeg` with an EXIF segment saying the stored pixels must be turned as `orientation`
    /// (1–8) says to stand upright, as a phone writes it.
    public static func withEXIFOrientation(_ jpeg: Data, _ orientation: Int) -> Data {
        let tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // big-endian TIFF, IFD0 at 8
                             0x00, 0x01,  // one entry
                             0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, UInt8(orientation), 0x00, 0x00,
                             0x00, 0x00, 0x00, 0x00]  // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        var bytes = [UInt8](jpeg.prefix(2))
        bytes += [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        bytes += jpeg.dropFirst(2)
        return Data(bytes)
    }

    /// A valid JPEG whose start-of-frame header claims `width` x `height` pixels: the shape of a
    /// decompression bomb, small on the wire and enormous once decoded.
    public static func pixelBomb(width: Int = 40_000, height: Int = 40_000) -> Data {
        var bytes = [UInt8](jpeg(width: 16, height: 16))
        var index = 2
        while index + 9 < bytes.count {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xC2).contains(marker) {
                bytes[index + 5] = UInt8(height >> 8 & 0xFF)
                bytes[index + 6] = UInt8(height & 0xFF)
                bytes[index + 7] = UInt8(width >> 8 & 0xFF)
                bytes[index + 8] = UInt8(width & 0xFF)
                break
            }
            index += 2 + length
        }
        return Data(bytes)
    }

    /// The size of a JPEG or PNG as libgd decodes it, or nil when it does not decode cleanly
    /// (a truncated JPEG counts as not decoding).
    public static func decodedSize(_ data: Data) -> (width: Int, height: Int)? {
        withDecoded(data) { image in (Int(image.pointee.sx), Int(image.pointee.sy)) }
    }

    /// The colour at (`x`, `y`) of a decoded JPEG or PNG, as (red, green, blue).
    public static func pixel(_ data: Data, x: Int, y: Int) -> (red: Int, green: Int, blue: Int)? {
        withDecoded(data) { image in
            let color = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
            return (Int(color >> 16 & 0xFF), Int(color >> 8 & 0xFF), Int(color & 0xFF))
        }
    }

    /// Every pixel of a decoded JPEG or PNG, decoded once, for tests that scan a whole image.
    public static func pixels(_ data: Data) -> PixelGrid? {
        withDecoded(data) { image in
            let width = Int(image.pointee.sx), height = Int(image.pointee.sy)
            var values = [UInt32](repeating: 0, count: width * height)
            // Keep the alpha channel of a PNG as it was saved.
            gdImageSaveAlpha(image, 1)
            for y in 0..<height {
                for x in 0..<width { values[y * width + x] = UInt32(bitPattern: gdImageGetTrueColorPixel(image, Int32(x), Int32(y))) }
            }
            return PixelGrid(width: width, height: height, values: values)
        }
    }

    /// The number of distinct colours in a decoded image, a cheap "is anything drawn here" check.
    public static func distinctColors(_ data: Data) -> Int {
        withDecoded(data) { image in
            var colors = Set<Int32>()
            for y in 0..<image.pointee.sy {
                for x in 0..<image.pointee.sx { colors.insert(gdImageGetTrueColorPixel(image, x, y)) }
            }
            return colors.count
        } ?? 0
    }

    private static func withDecoded<T>(_ data: Data, _ body: (gdImagePtr) -> T) -> T? {
        let bytes = [UInt8](data)
        guard bytes.count > 8 else { return nil }
        let isJPEG = bytes.starts(with: [0xFF, 0xD8, 0xFF])
        // A truncated JPEG decodes into a grey-bottomed image with only a warning; insist on the end marker.
        if isJPEG, bytes.suffix(2) != [0xFF, 0xD9] { return nil }
        var copy = bytes
        let image: gdImagePtr? = copy.withUnsafeMutableBytes { raw in
            isJPEG ? gdImageCreateFromJpegPtr(Int32(raw.count), raw.baseAddress)
                : gdImageCreateFromPngPtr(Int32(raw.count), raw.baseAddress)
        }
        guard let image else { return nil }
        defer { gdImageDestroy(image) }
        return body(image)
    }

    private static func gradient(width: Int, height: Int, left: (Int, Int, Int), right: (Int, Int, Int)) -> gdImagePtr? {
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else { return nil }
        for x in 0..<width {
            let t = Double(x) / Double(max(width - 1, 1))
            let mix = { (a: Int, b: Int) in Int32(Double(a) * (1 - t) + Double(b) * t) }
            gdImageLine(image, Int32(x), 0, Int32(x), Int32(height - 1),
                        cgd_true_color(mix(left.0, right.0), mix(left.1, right.1), mix(left.2, right.2)))
        }
        return image
    }

    private static func encode(_ image: gdImagePtr?, _ encoder: (gdImagePtr, inout Int32) -> UnsafeMutableRawPointer?) -> Data {
        guard let image else { return Data() }
        defer { gdImageDestroy(image) }
        var size: Int32 = 0
        guard let buffer = encoder(image, &size) else { return Data() }
        defer { gdFree(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }
}

/// A decoded image's pixels, row by row, as libgd's 0xAARRGGBB.
public struct PixelGrid: Sendable {
    public let width: Int
    public let height: Int
    let values: [UInt32]

    public func rgb(x: Int, y: Int) -> (red: Int, green: Int, blue: Int) {
        let value = values[y * width + x]
        return (Int(value >> 16 & 0xFF), Int(value >> 8 & 0xFF), Int(value & 0xFF))
    }

    /// libgd's alpha: 0 opaque, 127 fully transparent.
    public func alpha(x: Int, y: Int) -> Int {
        Int(values[y * width + x] >> 24 & 0x7F)
    }

    /// The smallest box holding every pixel for which `isInk` holds, or nil when none does.
    public func inkBox(_ isInk: ((red: Int, green: Int, blue: Int)) -> Bool) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var box: (minX: Int, minY: Int, maxX: Int, maxY: Int)?
        for y in 0..<height {
            for x in 0..<width where isInk(rgb(x: x, y: y)) {
                box = (min(box?.minX ?? x, x), min(box?.minY ?? y, y), max(box?.maxX ?? x, x), max(box?.maxY ?? y, y))
            }
        }
        return box
    }
}
