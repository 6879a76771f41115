import CImaging
import Foundation

extension PlanarImage {
    /// The centred square of a JPEG, decoded into its planes by libjpeg and turned upright as
    /// EXIF `orientation` says, or nil when the JPEG is of a kind only libgd decodes here (CMYK,
    /// RGB, arithmetic-coded, 12-bit, unusual sampling). Warnings are judged as libgd's are: a
    /// JPEG libjpeg had to patch up is refused unless the warning is harmless.
    ///
    /// Luma is cropped exactly as the RGB square is; chroma keeps every sample the square
    /// touches, and `across`/`down` say where in them the square lies.
    /// The planes live in the thread's scratch memory (`ScratchMemory.forPhoto`).
    /// `largestSize`: the side of the largest size to be made from it, when chroma finer than
    /// 4:2:0 may be reduced to what that size can show (`fineChromaReduction`).
    init?(decodingJPEG data: Data, orientation: Int, largestSize: Int? = nil) throws(ImagingError) {
        var planes = cimg_jpeg_planes()
        var message = [CChar](repeating: 0, count: 256)
        let capacity = message.count
        let result = data.withUnsafeBytes { raw in
            message.withUnsafeMutableBufferPointer { text in
                cimg_decode_jpeg_planes(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &planes, text.baseAddress, capacity)
            }
        }
        let detail = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch result {
        case 0: return nil
        case 1: break
        default: throw ImagingError(.corrupt, "libjpeg could not decode the JPEG: \(detail.isEmpty ? "no detail" : detail)")
        }
        if !detail.isEmpty, !GDDiagnostics.isHarmless(detail) {
            throw ImagingError(.corrupt, "the JPEG is damaged: \(detail)")
        }
        let (width, height) = (Int(planes.width), Int(planes.height))
        let side = min(width, height)
        let (left, top) = ((width - side) / 2, (height - side) / 2)
        let orientation = (1...8).contains(orientation) ? orientation : 1
        guard let lumaSamples = planes.plane.0 else { return nil }
        let luma = try FloatPlane(width: side, height: side)
        cimg_plane_to_float(lumaSamples, planes.stride.0, Int32(left), Int32(top), Int32(side), Int32(side), Int32(orientation),
                            luma.pixels, luma.stride)
        guard planes.components == 3, let blueSamples = planes.plane.1, let redSamples = planes.plane.2 else {
            let span = Span(offset: 0, extent: Double(side) / 2)
            self.init(side: side, luma: luma, chroma: nil, across: span, down: span)
            return
        }
        // The chroma samples the square touches, and where the square starts in them.
        let (h, v) = (Int(planes.h_factor), Int(planes.v_factor))
        let first = (x: left / h, y: top / v)
        let end = (x: min(Int(planes.plane_width.1), (left + side + h - 1) / h), y: min(Int(planes.plane_height.1), (top + side + v - 1) / v))
        let stored = (across: Span(offset: Double(left) / Double(h) - Double(first.x), extent: Double(side) / Double(h)),
                      down: Span(offset: Double(top) / Double(v) - Double(first.y), extent: Double(side) / Double(v)))
        let count = (x: end.x - first.x, y: end.y - first.y)
        // Turned upright: orientations 5 to 8 swap the axes; some run an axis backwards, so the
        // square's offset is counted from the other end.
        let swapped = orientation >= 5
        let uprightSize = swapped ? (width: count.y, height: count.x) : (width: count.x, height: count.y)
        var across = swapped ? stored.down : stored.across
        var down = swapped ? stored.across : stored.down
        if [2, 3, 6, 7].contains(orientation) { across.offset = Double(uprightSize.width) - across.offset - across.extent }
        if [3, 4, 7, 8].contains(orientation) { down.offset = Double(uprightSize.height) - down.offset - down.extent }
        let blue = try FloatPlane(width: uprightSize.width, height: uprightSize.height)
        let red = try FloatPlane(width: uprightSize.width, height: uprightSize.height)
        for (samples, stride, plane) in [(blueSamples, planes.stride.1, blue), (redSamples, planes.stride.2, red)] {
            cimg_plane_to_float(samples, stride, Int32(first.x), Int32(first.y), Int32(count.x), Int32(count.y),
                                Int32(orientation), plane.pixels, plane.stride)
        }
        self.init(side: side, luma: luma, chroma: (blue, red), across: across, down: down)
        if let largestSize, let jpegSide = Self.fineChromaReduction(side: side, samplingFactors: (h, v), largestSize: largestSize) {
            self = try withJPEGChroma(ofSide: jpegSide)
        }
    }

    /// The side of the 4:2:0 JPEG whose chroma geometry a photo's chroma is resampled to as it
    /// is decoded, or nil to keep the chroma as stored.
    ///
    /// Chroma sampled as finely as luma along an axis (4:4:4, 4:2:2) is resampled once, and
    /// every size is made from that: resampling the whole chroma of a 4:4:4 photo for each size
    /// cost more than its luma. When no size is larger than the photo, to the 4:2:0 geometry of
    /// the photo's own square, all any size keeps. When one is, to that of the largest size, which
    /// is all any size can show (a 432 px 4:4:4 photo's 432 samples to 648 px's 324); the largest
    /// size's chroma is then exactly what it would have been, and nothing is reduced when that
    /// geometry is no coarser than the stored chroma along both axes.
    static func fineChromaReduction(side: Int, samplingFactors: (h: Int, v: Int), largestSize: Int) -> Int? {
        let (h, v) = samplingFactors
        guard h == 1 || v == 1 else { return nil }
        if largestSize <= side { return side }
        return largestSize < 2 * side / max(h, v) ? largestSize : nil
    }
}
