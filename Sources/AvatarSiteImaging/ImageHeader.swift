public import Foundation

/// An image's dimensions read from its header alone, so that a decompression bomb (a small file
/// that claims 40000x40000 pixels) is refused before libgd allocates anything for it.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFormat
    public var width: Int
    public var height: Int

    /// Width times height, saturating: a hostile header must not overflow the check meant to stop it.
    public var pixelCount: Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? Int.max : product
    }

    var isSquareJPEG: Bool { format == .jpeg && width == height }

    /// Reads the header; throws when the format is unknown or the header is missing or broken.
    public init(reading data: Data) throws(ImagingError) {
        guard let format = ImageFormat(sniffing: data) else {
            throw ImagingError(.unknownFormat, "the bytes are not a JPEG, PNG, GIF or WebP image")
        }
        let bytes = [UInt8](data.prefix(256 * 1024))
        let size: (Int, Int)? = switch format {
        case .jpeg: Self.jpegSize(bytes)
        case .png: Self.pngSize(bytes)
        case .gif: Self.gifSize(bytes)
        case .webp: Self.webpSize(bytes)
        }
        guard let (width, height) = size, width > 0, height > 0 else {
            throw ImagingError(.corrupt, "the \(format.rawValue.uppercased()) header is missing or broken")
        }
        self.format = format
        self.width = width
        self.height = height
    }

    private static func bigEndian16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func littleEndian16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func littleEndian24(_ b: [UInt8], _ i: Int) -> Int { littleEndian16(b, i) | Int(b[i + 2]) << 16 }

    /// Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
    private static func jpegSize(_ b: [UInt8]) -> (Int, Int)? {
        var i = 2
        while i + 3 < b.count {
            // Stray bytes between segments are skipped, as libjpeg does (with a harmless warning).
            guard b[i] == 0xFF else {
                i += 1
                continue
            }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xD9 || marker == 0xDA { return nil }
            let length = bigEndian16(b, i + 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 8 < b.count else { return nil }
                return (bigEndian16(b, i + 7), bigEndian16(b, i + 5))
            }
            i += 2 + length
        }
        return nil
    }

    private static func pngSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        let width = b[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = b[20..<24].reduce(0) { $0 << 8 | Int($1) }
        return (width, height)
    }

    private static func gifSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 10 else { return nil }
        return (littleEndian16(b, 6), littleEndian16(b, 8))
    }

    private static func webpSize(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 30 else { return nil }
        switch String(decoding: b[12..<16], as: UTF8.self) {
        case "VP8 ":
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { return nil }
            return (littleEndian16(b, 26) & 0x3FFF, littleEndian16(b, 28) & 0x3FFF)
        case "VP8L":
            guard b[20] == 0x2F else { return nil }
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            return ((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1)
        case "VP8X":
            return (littleEndian24(b, 24) + 1, littleEndian24(b, 27) + 1)
        default:
            return nil
        }
    }
}
