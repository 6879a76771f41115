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
    /// `reducingFineChroma`: chroma finer than 4:2:0 is resampled to the square's 4:2:0 geometry.
    init?(decodingJPEG data: Data, orientation: Int, reducingFineChroma: Bool = false) throws(ImagingError) {
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
        // Chroma sampled as finely as luma along an axis (4:4:4, 4:2:2) is resampled to 4:2:0's
        // geometry once, here, and every size is made from that: resampling the whole chroma of
        // a 4:4:4 photo for each size cost more than its luma, and a size no larger than the
        // photo keeps only 4:2:0's. A larger one would lose detail it could show: not then.
        if reducingFineChroma, h == 1 || v == 1 { self = try withJPEGChroma() }
    }
}
