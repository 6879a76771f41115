import Foundation

/// A JPEG's own bytes without the metadata people did not mean to publish: EXIF (camera,
/// GPS, the original's thumbnail), XMP, IPTC, comments, FlashPix previews and any thumbnail in
/// the JFIF header. What decoding needs stays: the JFIF header itself and Adobe's colour
/// transform marker. The ICC profile goes too, so this size is shown in the same colours as the
/// sizes libgd encodes, which carry none. The pixels are not decoded and encoded again, so there
/// is no second loss of quality and no encoding cost.
enum JPEGMetadataStripper {
    /// The stripped JPEG, or nil when it is not a plain baseline or progressive JPEG of one or
    /// three components whose markers all parse up to its end (the caller then encodes the
    /// pixels instead). Whatever follows the end-of-image marker (a phone's appended video, a
    /// maker's trailer) is left out too.
    static func stripped(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var kept = Data([0xFF, 0xD8])
        kept.reserveCapacity(bytes.count)
        var index = 2
        var sawFrame = false, sawScan = false
        while index + 2 <= bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            switch marker {
            case 0xFF:
                index += 1  // fill byte
                continue
            case 0xD9:
                guard sawScan else { return nil }
                kept.append(contentsOf: [0xFF, 0xD9])
                return kept
            case 0xD0...0xD7, 0x01:
                kept.append(contentsOf: bytes[index..<(index + 2)])  // no length
                index += 2
                continue
            default:
                break
            }
            guard index + 4 <= bytes.count else { return nil }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2, index + 2 + length <= bytes.count else { return nil }
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                // Baseline, extended or progressive Huffman; its component count at offset 7.
                guard length >= 8, [1, 3].contains(bytes[index + 9]) else { return nil }
                sawFrame = true
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                return nil  // lossless, hierarchical or arithmetic: leave to the encoder
            default:
                break
            }
            let payload = bytes[(index + 4)..<(index + 2 + length)]
            switch marker {
            case 0xE0 where payload.starts(with: Array("JFIF\0".utf8)) && payload.count >= 14:
                // The JFIF header up to its density, with no thumbnail (its size set to 0x0).
                kept.append(contentsOf: [0xFF, 0xE0, 0x00, 0x10])
                kept.append(contentsOf: payload.prefix(12))
                kept.append(contentsOf: [0x00, 0x00])
            case 0xEE where payload.starts(with: Array("Adobe".utf8)):
                kept.append(contentsOf: bytes[index..<(index + 2 + length)])
            case 0xE0...0xEF, 0xFE:
                break  // every other application segment, and comments
            default:
                kept.append(contentsOf: bytes[index..<(index + 2 + length)])
            }
            index += 2 + length
            if marker == 0xDA {
                // Start of scan: the entropy-coded data runs to the next marker that is neither
                // a stuffed 0xFF00 nor a restart.
                guard sawFrame else { return nil }
                sawScan = true
                let start = index
                index = bytes.withUnsafeBufferPointer { JPEGEntropyData.end(in: $0, from: start) }
                kept.append(contentsOf: bytes[start..<index])
            }
        }
        return nil
    }
}
