import CImaging
import Testing
@testable import AvatarSiteImaging

/// The single-sample horizontal pass (rows turned into columns in strips, resampled as rows
/// are, turned back) against the sum it stands for.
@Suite struct PlaneResampleTests {
    /// Should give every output exactly the taps' sum in order (fused multiply-adds where the
    /// fast kernels use them), and zeros past the outputs, for planes of one strip, several and
    /// a part one, with odd sides.
    @Test(arguments: [(241, 150, 100), (648, 130, 504), (97, 64, 40), (33, 9, 20), (300, 65, 301)])
    func resamplesRowsAsTheSumOfTheirTaps(_ width: Int, _ height: Int, _ outputs: Int) {
        let weights = ResampleWeights.forResizing(width, to: outputs, filter: ResizeSchedule.filter)
        let (stride, outStride) = (cimg_plane_stride(Int32(width)), cimg_plane_stride(Int32(outputs)))
        var input = [Float](repeating: 0, count: stride * height)
        for y in 0..<height {
            for x in 0..<width { input[y * stride + x] = Float((y * 7919 + x * 104_729) % 1000) / 3 }
        }
        var output = [Float](repeating: .nan, count: outStride * height)
        cimg_scratch_reset()
        weights.withPlaneTaps { starts, counts, padded in
            cimg_resample_plane_horizontal(input, stride, Int32(height), starts, counts, Int32(outputs), padded,
                                           Int32(weights.paddedTaps), &output, outStride)
        }
        let fused = cimg_uses_avx() != 0
        var wrong = 0
        for y in 0..<height {
            for x in 0..<outputs {
                var sum: Float = 0
                for tap in 0..<Int(weights.counts[x]) {
                    let sample = input[y * stride + Int(weights.starts[x]) + tap], weight = weights.padded[x * weights.paddedTaps + tap]
                    sum = fused ? sum.addingProduct(sample, weight) : sum + sample * weight
                }
                if output[y * outStride + x] != sum { wrong += 1 }
            }
            if output[(y * outStride + outputs)..<((y + 1) * outStride)].contains(where: { $0 != 0 }) { wrong += 1 }
        }
        #expect(wrong == 0, "\(width)x\(height) to \(outputs): \(wrong) rows or samples differ")
    }
}
