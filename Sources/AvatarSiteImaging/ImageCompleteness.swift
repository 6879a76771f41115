import Foundation

/// Whether an image's bytes run to their end: libgd decodes a truncated JPEG, PNG or GIF
/// silently (grey, black or blank at the bottom), so a cut-short download would be published
/// and kept forever. Each format's structure is walked to its last marker.
enum ImageCompleteness {
    static func check(_ data: Data, format: ImageFormat) throws(ImagingError) {
        let complete = data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            switch format {
            case .jpeg: return jpegReachesItsEnd(bytes)
            case .png: return pngReachesItsEnd(bytes)
            case .gif: return gifReachesItsEnd(bytes)
            case .webp: return webpReachesItsEnd(bytes)
            }
        }
        guard complete else {
            throw ImagingError(.corrupt, "the \(format.rawValue.uppercased()) is cut short: it ends before its last marker")
        }
    }

    /// Segments up to the first scan, then entropy-coded data (where 0xFF is always followed by
    /// 0x00 or a restart marker) up to the next marker, and so on, to the end-of-image marker.
    static func jpegReachesItsEnd(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 2
        while i + 1 < b.count {
            guard b[i] == 0xFF else {
                i += 1  // stray bytes between segments, which libjpeg skips too
                continue
            }
            let marker = b[i + 1]
            switch marker {
            case 0xD9:
                return true
            case 0xFF:
                i += 1
            case 0x01, 0xD0...0xD8:
                i += 2
            default:
                guard i + 3 < b.count else { return false }
                let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                guard length >= 2 else { return false }
                i += 2 + length
                guard marker == 0xDA else { continue }
                // Entropy-coded data: on to the next marker that is not stuffing or a restart.
                i = JPEGEntropyData.end(in: b, from: i)
            }
        }
        return false
    }

    /// Chunks (length, type, data, CRC) up to `IEND`.
    static func pngReachesItsEnd(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 8
        while i + 8 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            let type = (b[i + 4], b[i + 5], b[i + 6], b[i + 7])
            let end = i + 12 + length
            guard length >= 0, end <= b.count else { return false }
            if type == (0x49, 0x45, 0x4E, 0x44) { return true }  // IEND
            i = end
        }
        return false
    }

    /// Blocks (extensions and images, each a run of sub-blocks) up to the trailer.
    static func gifReachesItsEnd(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 13 else { return false }
        var i = 13
        if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 0x07) + 1) }  // global colour table
        func skipSubBlocks(_ start: Int) -> Int? {
            var j = start
            while j < b.count {
                let size = Int(b[j])
                if size == 0 { return j + 1 }
                j += 1 + size
            }
            return nil
        }
        while i < b.count {
            switch b[i] {
            case 0x3B:
                return true
            case 0x21:
                guard i + 2 <= b.count, let next = skipSubBlocks(i + 2) else { return false }
                i = next
            case 0x2C:
                guard i + 10 <= b.count else { return false }
                var j = i + 10
                if b[i + 9] & 0x80 != 0 { j += 3 << (Int(b[i + 9] & 0x07) + 1) }  // local colour table
                guard j < b.count, let next = skipSubBlocks(j + 1) else { return false }  // after the LZW code size
                i = next
            default:
                return false
            }
        }
        return false
    }

    /// The RIFF container says how long it is.
    static func webpReachesItsEnd(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 12 else { return false }
        let size = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
        return size + 8 <= b.count
    }
}
