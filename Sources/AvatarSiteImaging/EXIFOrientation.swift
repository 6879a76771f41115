import CGD
import CImaging
public import Foundation

/// The orientation a camera wrote in a JPEG's EXIF (tag 0x0112): how the stored pixels must be
/// turned to stand upright. Phones store the sensor's pixels as they came and say "turn me 90°"
/// here; an image shown without it is sideways.
public enum EXIFOrientation {
    /// 1 (upright) to 8; 1 when the photo says nothing, is not a JPEG, or the EXIF is broken.
    public static func of(_ data: Data) -> Int {
        let bytes = [UInt8](data.prefix(256 * 1024))
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 1 }
        var index = 2
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else {
                index += 1  // stray bytes between segments
                continue
            }
            let marker = bytes[index + 1]
            if marker == 0xDA || marker == 0xD9 { return 1 }  // pixels begin: no EXIF before them
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2, index + 2 + length <= bytes.count else { return 1 }
            if marker == 0xE1, length >= 8, Array(bytes[index + 4..<index + 10]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
                return orientation(inTIFF: Array(bytes[index + 10..<index + 2 + length]))
            }
            index += 2 + length
        }
        return 1
    }

    /// Reads IFD0 of the TIFF structure inside the EXIF segment.
    static func orientation(inTIFF tiff: [UInt8]) -> Int {
        guard tiff.count >= 8 else { return 1 }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return 1
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return 1 }
        for entry in 0..<min(entries, 512) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return 1 }
            if tag == 0x0112, u16(at + 2) == 3, let value = u16(at + 8), (1...8).contains(value) {
                return value
            }
        }
        return 1
    }
}

extension GDImage {
    /// This image turned upright as EXIF `orientation` says (itself when it is 1).
    package func oriented(_ orientation: Int) throws(ImagingError) -> GDImage {
        guard (2...8).contains(orientation) else { return self }
        let swapped = orientation >= 5
        let upright = try GDImage(blankWidth: swapped ? height : width, height: swapped ? width : height)
        withPointer { source in
            upright.withPointer { target in
                cimg_orient(UnsafePointer(OpaquePointer(source.pointee.tpixels)), Int32(width), Int32(height), Int32(orientation),
                            target.pointee.tpixels)
            }
        }
        return upright
    }
}
