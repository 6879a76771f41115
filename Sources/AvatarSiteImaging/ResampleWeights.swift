import CImaging
import Foundation
import Synchronization

/// The filter taps for resampling one axis from `input` to `output` pixels, antialiased as
/// Pillow does: each output pixel is a weighted sum of the inputs under a filter stretched by
/// the scale factor. Computing them takes thousands of `sin` calls, so each pair of lengths is
/// computed once per process and shared.
package final class ResampleWeights: Sendable {
    package enum Filter: Hashable {
        /// Lanczos with `a` lobes (Pillow's LANCZOS is 3).
        case lanczos(Int)

        var support: Double {
            switch self {
            case .lanczos(let lobes): Double(lobes)
            }
        }

        func weight(_ x: Double) -> Double {
            switch self {
            case .lanczos(let lobes):
                let a = Double(lobes)
                if x == 0 { return 1 }
                if abs(x) >= a { return 0 }
                let px = Double.pi * x
                return a * sin(px) * sin(px / a) / (px * px)
            }
        }
    }

    let outputs: Int
    /// Taps per output, even: the horizontal kernel reads two pixels a step.
    let taps: Int
    let starts: [Int32]
    /// Taps each output reads. The weight after the last is zero, for the horizontal kernel's
    /// pairs.
    let counts: [Int32]
    let weights: [Float]
    /// Each weight four times over, one per channel of a pixel.
    let expanded: [Float]

    /// The taps of each output at `paddedTaps` apart, zero past its count: the single-sample
    /// horizontal kernel multiplies eight taps at a time.
    let padded: [Float]
    let paddedTaps: Int

    /// Output `i` is centred at `offset + (i + 0.5) * scale` input pixels, reading only inputs
    /// `0..<input`: a crop (`offset`) and a stretch that need not be `input / output`, as chroma
    /// sited by a crop at an odd pixel needs.
    private init(input: Int, output: Int, offset: Double, scale: Double, filter: Filter) {
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let taps = (Int(support.rounded(.up)) * 2 + 2) & ~1
        var starts = [Int32](repeating: 0, count: output)
        var counts = [Int32](repeating: 0, count: output)
        var weights = [Float](repeating: 0, count: output * taps)
        for index in 0..<output {
            let center = offset + (Double(index) + 0.5) * scale
            let first = max(0, Int((center - support + 0.5).rounded(.down)))
            let last = min(input, Int((center + support + 0.5).rounded(.down)))
            let count = max(0, min(taps, last - first))
            let row = (0..<count).map { filter.weight((Double(first + $0) - center + 0.5) / filterScale) }
            let total = row.reduce(0, +)
            for (tap, weight) in row.enumerated() {
                weights[index * taps + tap] = Float(weight / (total == 0 ? 1 : total))
            }
            starts[index] = Int32(first)
            counts[index] = Int32(count)
        }
        self.outputs = output
        self.taps = taps
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.expanded = weights.flatMap { [$0, $0, $0, $0] }
        let paddedTaps = (taps + 7) & ~7
        var padded = [Float](repeating: 0, count: output * paddedTaps)
        for index in 0..<output {
            for tap in 0..<taps { padded[index * paddedTaps + tap] = weights[index * taps + tap] }
        }
        self.padded = padded
        self.paddedTaps = paddedTaps
    }

    /// Calls `body` with the C view of these weights.
    func withAxis<T>(_ body: (cimg_axis, UnsafePointer<Float>) -> T) -> T {
        starts.withUnsafeBufferPointer { starts in
            counts.withUnsafeBufferPointer { counts in
                weights.withUnsafeBufferPointer { weights in
                    expanded.withUnsafeBufferPointer { expanded in
                        body(cimg_axis(outputs: Int32(outputs), taps: Int32(taps), start: starts.baseAddress,
                                       count: counts.baseAddress, weights: weights.baseAddress),
                             expanded.baseAddress!)
                    }
                }
            }
        }
    }

    private struct Key: Hashable {
        var input: Int
        var output: Int
        var offset: Double
        var scale: Double
        var filter: Filter
    }

    private static let cache = Mutex<[Key: ResampleWeights]>([:])

    /// The shared weights for this pair of lengths. The cache forgets everything past a few
    /// hundred pairs: photos come in a handful of sizes, but nothing here should grow unbounded.
    static func forResizing(_ input: Int, to output: Int, filter: Filter) -> ResampleWeights {
        forResampling(input, to: output, offset: 0, scale: Double(input) / Double(output), filter: filter)
    }

    /// The shared weights for `output` samples centred at `offset + (i + 0.5) * scale` of `input`.
    static func forResampling(_ input: Int, to output: Int, offset: Double, scale: Double, filter: Filter) -> ResampleWeights {
        let key = Key(input: input, output: output, offset: offset, scale: scale, filter: filter)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let weights = ResampleWeights(input: input, output: output, offset: offset, scale: scale, filter: filter)
        cache.withLock { cache in
            if cache.count >= 512 { cache.removeAll() }
            cache[key] = weights
        }
        return weights
    }
}
