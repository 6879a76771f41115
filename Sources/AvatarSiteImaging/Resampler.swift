import CGD
import CImaging
import Foundation

/// A separable resampler: vertical first, as rows of fused multiply-adds, which is where most of
/// the work is when shrinking, then horizontal. The loops are C (`CImaging`), compiled for AVX
/// and FMA where the CPU has them.
package enum Resampler {
    /// A square image as four floats a pixel: a decoded photo converted once, or a size made
    /// from it, kept unrounded so smaller sizes can be made from it without losing precision.
    package struct FloatImage {
        let side: Int
        let stride: Int
        let pixels: [Float]

        package init(_ square: GDImage) {
            let (side, stride) = (square.width, cimg_stride(Int32(square.width)))
            self.side = side
            self.stride = stride
            pixels = [Float](unsafeUninitializedCapacity: side * stride) { buffer, count in
                square.withPointer { pointer in
                    cimg_rows_to_float(UnsafePointer(OpaquePointer(pointer.pointee.tpixels)), Int32(side), buffer.baseAddress, stride)
                }
                count = side * stride
            }
        }

        fileprivate init(side: Int, stride: Int, pixels: [Float]) {
            self.side = side
            self.stride = stride
            self.pixels = pixels
        }
    }

    /// Which build of the C loops to run: the fastest this CPU has, or the baseline one (for
    /// comparing the two).
    package enum Kernels {
        case fastest
        case baseline
    }

    /// `source` resized to `side` x `side`, rounded into a true-colour image and, when
    /// `keepingFloats`, also kept unrounded for making smaller sizes from.
    package static func resize(_ source: FloatImage, toSide side: Int, filter: ResampleWeights.Filter, keepingFloats: Bool,
                       kernels: Kernels = .fastest) throws(ImagingError) -> (image: GDImage, floats: FloatImage?) {
        let vertical = kernels == .fastest ? cimg_resample_vertical : cimg_resample_vertical_generic
        let horizontal = kernels == .fastest ? cimg_resample_horizontal : cimg_resample_horizontal_generic
        let weights = ResampleWeights.forResizing(source.side, to: side, filter: filter)
        let (stride, outStride) = (source.stride, cimg_stride(Int32(side)))
        let middle = [Float](unsafeUninitializedCapacity: side * stride) { buffer, count in
            source.pixels.withUnsafeBufferPointer { input in
                weights.withAxis { axis, _ in
                    vertical(input.baseAddress, stride, axis, buffer.baseAddress)
                }
            }
            count = side * stride
        }
        let image = try GDImage(blankWidth: side, height: side)
        var floats = [Float]()
        if keepingFloats {
            floats = [Float](unsafeUninitializedCapacity: side * outStride) { _, count in count = side * outStride }
        }
        image.withPointer { pointer in
            middle.withUnsafeBufferPointer { input in
                floats.withUnsafeMutableBufferPointer { output in
                    weights.withAxis { axis, expanded in
                        horizontal(input.baseAddress, stride, Int32(side), axis, expanded,
                                   keepingFloats ? output.baseAddress : nil, outStride, pointer.pointee.tpixels)
                    }
                }
            }
        }
        return (image, keepingFloats ? FloatImage(side: side, stride: outStride, pixels: floats) : nil)
    }
}
