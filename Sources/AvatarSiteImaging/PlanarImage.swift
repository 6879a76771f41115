import CGD
import CImaging
import Foundation

/// The scratch memory of the thread rendering a photo (`cimg_scratch_*`): one block per worker,
/// reused photo after photo, instead of megabytes of planes allocated, cleared and freed for
/// each.
enum ScratchMemory {
    /// Runs `body` for one photo. Every plane made in it lives in this thread's scratch memory
    /// and is invalid once the next photo on this thread begins: nothing made here may outlive
    /// `body` but the encoded `Data` it returns. Never nested.
    static func forPhoto<T>(_ body: () throws(ImagingError) -> T) throws(ImagingError) -> T {
        cimg_scratch_reset()
        return try body()
    }

    /// `body` with whatever it allocates in scratch memory freed after it.
    static func released<T>(after body: () throws(ImagingError) -> T) throws(ImagingError) -> T {
        let mark = cimg_scratch_mark()
        defer { cimg_scratch_release(mark) }
        return try body()
    }
}

/// One plane of float samples in the thread's scratch memory: each row `stride` floats, zero
/// past `width`. A struct holding a bare pointer rather than a class that frees: the memory
/// belongs to `ScratchMemory`, and a plane never leaves the render that made it.
struct FloatPlane {
    let width: Int
    let height: Int
    let stride: Int
    let pixels: UnsafeMutablePointer<Float>

    init(width: Int, height: Int) throws(ImagingError) {
        let stride = cimg_plane_stride(Int32(width))
        guard let raw = cimg_scratch_alloc(stride * height * MemoryLayout<Float>.stride) else {
            throw ImagingError(.gd, "could not allocate a \(width)x\(height) plane")
        }
        self.width = width
        self.height = height
        self.stride = stride
        pixels = raw.bindMemory(to: Float.self, capacity: stride * height)
    }

    var c: cimg_float_plane { cimg_float_plane(pixels: pixels, stride: stride, width: Int32(width), height: Int32(height)) }
}

/// A square image as JPEG keeps it: luma at full resolution and the two chroma planes at their
/// own, never RGB. Sizes are made from it as they are from a float RGB square, luma and chroma
/// each resampled by the same Lanczos kernels, and encoded as 4:2:0 straight from the planes.
struct PlanarImage {
    /// Where the square lies along one axis of the chroma planes, in chroma samples: a photo
    /// cropped at an odd pixel starts half way into a chroma sample.
    struct Span: Equatable {
        var offset: Double
        var extent: Double
    }

    let side: Int
    let luma: FloatPlane
    /// Cb and Cr; nil for a grayscale photo, whose chroma is 128 throughout.
    let chroma: (blue: FloatPlane, red: FloatPlane)?
    let across: Span
    let down: Span

    /// The chroma samples of a JPEG `side` pixels square (4:2:0, centred): ceil(side / 2).
    static func chromaSide(_ side: Int) -> Int { (side + 1) / 2 }

    /// Whether the chroma planes are already those of a 4:2:0 JPEG of this square.
    var hasJPEGChroma: Bool { hasJPEGChroma(ofSide: side) }

    /// Whether the chroma planes are those of a 4:2:0 JPEG `jpegSide` pixels square laid over
    /// this one (its own side, or a larger size's).
    func hasJPEGChroma(ofSide jpegSide: Int) -> Bool {
        guard let chroma else { return true }
        let expected = Self.chromaSide(jpegSide)
        let span = Span(offset: 0, extent: Double(jpegSide) / 2)
        return chroma.blue.width == expected && chroma.blue.height == expected && across == span && down == span
    }

    /// This square resampled to `side` x `side`; luma from luma, chroma from chroma at the
    /// geometry of a 4:2:0 JPEG of the new side.
    func resized(toSide newSide: Int, filter: ResampleWeights.Filter = ResizeSchedule.filter,
                 kernels: Resampler.Kernels = .fastest) throws(ImagingError) -> PlanarImage {
        let lumaWeights = ResampleWeights.forResizing(side, to: newSide, filter: filter)
        let resizedLuma = try Self.resampled(luma, vertical: lumaWeights, horizontal: lumaWeights, kernels: kernels)
        let span = Span(offset: 0, extent: Double(newSide) / 2)
        return PlanarImage(side: newSide, luma: resizedLuma, chroma: try chroma(ofJPEGSide: newSide, filter: filter, kernels: kernels),
                           across: span, down: span)
    }

    /// This square with its chroma resampled to the geometry of a 4:2:0 JPEG `jpegSide` pixels
    /// square laid over it: its own side by default, or the largest size made from it (itself
    /// when it has that geometry already).
    func withJPEGChroma(ofSide jpegSide: Int? = nil, filter: ResampleWeights.Filter = ResizeSchedule.filter) throws(ImagingError) -> PlanarImage {
        let jpegSide = jpegSide ?? side
        guard !hasJPEGChroma(ofSide: jpegSide) else { return self }
        let span = Span(offset: 0, extent: Double(jpegSide) / 2)
        return PlanarImage(side: side, luma: luma, chroma: try chroma(ofJPEGSide: jpegSide, filter: filter, kernels: .fastest),
                           across: span, down: span)
    }

    /// The chroma planes of a 4:2:0 JPEG `jpegSide` pixels square laid over this one: these
    /// planes when they are that already (a size made from chroma reduced to its geometry),
    /// else resampled. Output sample i is centred on pixel 2i + 1 of that square.
    private func chroma(ofJPEGSide jpegSide: Int, filter: ResampleWeights.Filter,
                        kernels: Resampler.Kernels) throws(ImagingError) -> (blue: FloatPlane, red: FloatPlane)? {
        guard let chroma, !hasJPEGChroma(ofSide: jpegSide) else { return self.chroma }
        let outputs = Self.chromaSide(jpegSide)
        let vertical = ResampleWeights.forResampling(chroma.blue.height, to: outputs, offset: down.offset,
                                                     scale: 2 * down.extent / Double(jpegSide), filter: filter)
        let horizontal = ResampleWeights.forResampling(chroma.blue.width, to: outputs, offset: across.offset,
                                                       scale: 2 * across.extent / Double(jpegSide), filter: filter)
        return (try Self.resampled(chroma.blue, vertical: vertical, horizontal: horizontal, kernels: kernels),
                try Self.resampled(chroma.red, vertical: vertical, horizontal: horizontal, kernels: kernels))
    }

    /// Vertical pass first, as rows of fused multiply-adds, into a buffer freed after the
    /// horizontal pass.
    private static func resampled(_ plane: FloatPlane, vertical: ResampleWeights, horizontal: ResampleWeights,
                                  kernels: Resampler.Kernels) throws(ImagingError) -> FloatPlane {
        let output = try FloatPlane(width: horizontal.outputs, height: vertical.outputs)
        try ScratchMemory.released { () throws(ImagingError) in
            let middle = try FloatPlane(width: plane.width, height: vertical.outputs)
            vertical.withAxis { axis, _ in
                switch kernels {
                case .fastest: cimg_resample_vertical(plane.pixels, plane.stride, axis, middle.pixels)
                case .baseline: cimg_resample_vertical_generic(plane.pixels, plane.stride, axis, middle.pixels)
                }
            }
            horizontal.withPlaneTaps { starts, counts, padded in
                let run = kernels == .fastest ? cimg_resample_plane_horizontal : cimg_resample_plane_horizontal_generic
                run(middle.pixels, middle.stride, Int32(middle.height), starts, counts, Int32(horizontal.outputs), padded,
                    Int32(horizontal.paddedTaps), output.pixels, output.stride)
            }
        }
        return output
    }

    /// This square as a baseline 4:2:0 JPEG, encoded from its planes.
    func encodedJPEG(quality: Int, optimizeCoding: Bool) throws(ImagingError) -> Data {
        let square = try withJPEGChroma()
        let chromaSide = Self.chromaSide(side)
        let blank = cimg_float_plane(pixels: nil, stride: 0, width: Int32(chromaSide), height: Int32(chromaSide))
        let planes = [square.luma.c, square.chroma?.blue.c ?? blank, square.chroma?.red.c ?? blank]
        let horizontal: [Int32] = [2, 1, 1], vertical: [Int32] = [2, 1, 1]
        var length: UInt = 0
        let buffer = cimg_encode_jpeg_planes(planes, 3, horizontal, vertical, Int32(side), Int32(side), Int32(quality),
                                             optimizeCoding ? 1 : 0, 0, &length)
        guard let buffer, length > 0 else {
            if let buffer { cimg_free(buffer) }
            throw ImagingError(.gd, "libjpeg could not encode a \(side)x\(side) image")
        }
        return Data(bytesNoCopy: buffer, count: Int(length), deallocator: .custom { pointer, _ in cimg_free(pointer) })
    }

    /// This square in RGB, for the encoders that need it (PNG, WebP): chroma interpolated as
    /// libjpeg's decoder does.
    func rgbImage() throws(ImagingError) -> GDImage {
        let square = try withJPEGChroma()
        let image = try GDImage(blankWidth: side, height: side)
        image.withPointer { pointer in
            cimg_planes_to_rows(square.luma.pixels, square.luma.stride, square.chroma?.blue.pixels, square.chroma?.red.pixels,
                                square.chroma?.blue.stride ?? 0, Int32(side), pointer.pointee.tpixels)
        }
        return image
    }
}

extension ResampleWeights {
    /// Calls `body` with the starts, counts and padded weights the single-sample kernel reads.
    func withPlaneTaps<T>(_ body: (UnsafePointer<Int32>, UnsafePointer<Int32>, UnsafePointer<Float>) -> T) -> T {
        starts.withUnsafeBufferPointer { starts in
            counts.withUnsafeBufferPointer { counts in
                padded.withUnsafeBufferPointer { padded in
                    guard let starts = starts.baseAddress, let counts = counts.baseAddress, let padded = padded.baseAddress else {
                        preconditionFailure("weights for no outputs")
                    }
                    return body(starts, counts, padded)
                }
            }
        }
    }
}
