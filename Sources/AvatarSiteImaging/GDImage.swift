import CGD
import CImaging
package import Foundation
package import AvatarSiteContract

/// How an image is written out.
public enum ImageEncoding: Sendable, Hashable {
    case jpeg(quality: Int, optimizeCoding: Bool = false)
    case png
    case webp(quality: Int)
}

/// One libgd true-colour image. A class rather than a struct because `deinit` must free the
/// gd pointer; it is made, transformed and encoded inside one task and never crosses tasks.
package final class GDImage {
    private let pointer: gdImagePtr

    private init(taking pointer: gdImagePtr) {
        self.pointer = pointer
    }

    deinit {
        gdImageDestroy(pointer)
    }

    package var width: Int { Int(pointer.pointee.sx) }
    package var height: Int { Int(pointer.pointee.sy) }

    /// A true-colour canvas whose pixels the caller is about to write (libgd zeroes them).
    convenience init(blankWidth width: Int, height: Int) throws(ImagingError) {
        guard let pointer = gdImageCreateTrueColor(Int32(width), Int32(height)) else {
            throw ImagingError(.gd, "libgd could not allocate a \(width)x\(height) image")
        }
        self.init(taking: pointer)
    }

    /// A blank true-colour canvas filled with `color`.
    convenience init(width: Int, height: Int, filledWith color: RGBColor) throws(ImagingError) {
        try self.init(blankWidth: width, height: height)
        cimg_fill_rows(pointer.pointee.tpixels, Int32(width), Int32(height), color.gdColor)
    }

    /// Decodes `data`, whose header has already been checked; a warning libgd reports on the way
    /// is a failure (a truncated JPEG still "decodes", with a grey bottom) unless it is one of
    /// libjpeg's harmless ones (`GDDiagnostics.isHarmless`).
    package convenience init(decoding data: Data, format: ImageFormat) throws(ImagingError) {
        let (decoded, warnings) = GDDiagnostics.capturing { () -> gdImagePtr? in
            data.withUnsafeBytes { raw -> gdImagePtr? in
                let bytes = UnsafeMutableRawPointer(mutating: raw.baseAddress)
                let count = Int32(raw.count)
                return switch format {
                case .jpeg: gdImageCreateFromJpegPtrEx(count, bytes, 0)
                case .png: gdImageCreateFromPngPtr(count, bytes)
                case .gif: gdImageCreateFromGifPtr(count, bytes)
                case .webp: gdImageCreateFromWebpPtr(count, bytes)
                }
            }
        }
        guard let pointer = decoded else {
            throw ImagingError(.corrupt, "libgd could not decode the \(format.rawValue.uppercased()): \(warnings.first ?? "no detail")")
        }
        self.init(taking: pointer)
        if let warning = warnings.first(where: { !GDDiagnostics.isHarmless($0) }) {
            throw ImagingError(.corrupt, "the \(format.rawValue.uppercased()) is damaged: \(warning)")
        }
        if pointer.pointee.trueColor == 0, gdImagePaletteToTrueColor(pointer) == 0 {
            throw ImagingError(.gd, "libgd could not convert a palette image to true colour")
        }
    }

    /// The centred square of this image, `reduction` times smaller (the mean of each block of
    /// `reduction` x `reduction` pixels), composited over `background` so transparent corners of
    /// a PNG do not turn black in a JPEG.
    package func squared(over background: RGBColor, flatten: Bool, reduction: Int = 1) throws(ImagingError) -> GDImage {
        let factor = max(1, reduction)
        let side = min(width, height) / factor * factor
        if side == width && side == height && !flatten && factor == 1 { return self }
        let square = try GDImage(blankWidth: side / factor, height: side / factor)
        cimg_square_to_rows(UnsafePointer(OpaquePointer(pointer.pointee.tpixels)), Int32((width - side) / 2), Int32((height - side) / 2),
                            Int32(side), Int32(factor), flatten ? 1 : 0, background.gdColor, square.pointer.pointee.tpixels)
        return square
    }

    /// The centred square of this image as a JPEG, turned upright by its EXIF `orientation` and
    /// composited over `background` when `flatten` is set, encoded from this image's own rows:
    /// a photo's full-size square costs no copy of its pixels.
    func encodedCentredSquare(over background: RGBColor, flatten: Bool, orientation: Int, quality: Int,
                              optimizeCoding: Bool) throws(ImagingError) -> Data {
        let side = min(width, height)
        var length: UInt = 0
        let buffer = cimg_encode_jpeg_region(UnsafePointer(OpaquePointer(pointer.pointee.tpixels)), Int32((width - side) / 2),
                                             Int32((height - side) / 2), Int32(side), Int32(side), Int32(orientation), flatten ? 1 : 0,
                                             background.gdColor, Int32(quality), optimizeCoding ? 1 : 0, &length)
        return try owning(buffer, count: Int(length), as: .jpeg(quality: quality, optimizeCoding: optimizeCoding), by: "libjpeg") { cimg_free($0) }
    }

    /// An independent copy.
    func copied() throws(ImagingError) -> GDImage {
        guard let copy = gdImageClone(pointer) else { throw ImagingError(.gd, "libgd could not copy an image") }
        return GDImage(taking: copy)
    }

    package func encoded(_ encoding: ImageEncoding) throws(ImagingError) -> Data {
        switch encoding {
        case .jpeg(let quality, let optimize):
            var length: UInt = 0
            let buffer = cimg_encode_jpeg(pointer.pointee.tpixels, Int32(width), Int32(height), Int32(quality),
                                          optimize ? 1 : 0, &length)
            return try owning(buffer, count: Int(length), as: encoding, by: "libjpeg") { cimg_free($0) }
        case .png:
            var size: Int32 = 0
            gdImageSaveAlpha(pointer, 1)
            let buffer = gdImagePngPtrEx(pointer, &size, 6)
            return try owning(buffer, count: Int(size), as: encoding, by: "libgd") { gdFree($0) }
        case .webp(let quality):
            var size: Int32 = 0
            gdImageSaveAlpha(pointer, 1)
            let buffer = gdImageWebpPtrEx(pointer, &size, Int32(quality))
            return try owning(buffer, count: Int(size), as: encoding, by: "libgd") { gdFree($0) }
        }
    }

    /// An encoder's malloc'd output as Data that frees it with `free`; empty output is a failure.
    private func owning(_ buffer: UnsafeMutableRawPointer?, count: Int, as encoding: ImageEncoding, by encoder: String,
                        free: @escaping @Sendable (UnsafeMutableRawPointer) -> Void) throws(ImagingError) -> Data {
        guard let buffer, count > 0 else {
            if let buffer { free(buffer) }
            throw ImagingError(.gd, "\(encoder) could not encode a \(width)x\(height) image as \(encoding)")
        }
        return Data(bytesNoCopy: buffer, count: count, deallocator: .custom { pointer, _ in free(pointer) })
    }

    /// The box of pixels whose red channel exceeds `threshold`, on a black canvas; nil if none.
    func inkBox(threshold: Int32) -> TextBounds? {
        var box = [Int32](repeating: 0, count: 4)
        guard cimg_ink_box(UnsafePointer(OpaquePointer(pointer.pointee.tpixels)), Int32(width), Int32(height), threshold, &box) != 0 else {
            return nil
        }
        return TextBounds(left: Int(box[0]), top: Int(box[1]), right: Int(box[2]), bottom: Int(box[3]))
    }

    /// Runs `body` with the raw pointer, for drawing code in extensions; the pointer must not escape.
    func withPointer<T, Failure: Error>(_ body: (gdImagePtr) throws(Failure) -> T) throws(Failure) -> T {
        try body(pointer)
    }
}

extension RGBColor {
    var gdColor: Int32 { cgd_true_color(Int32(red), Int32(green), Int32(blue)) }
}
