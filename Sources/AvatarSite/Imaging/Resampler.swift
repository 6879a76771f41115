import CGD
import Foundation

/// A separable resampler on libgd's pixel rows, antialiased like Pillow's: each output pixel is
/// a weighted sum of the input pixels under a filter stretched by the scale factor. libgd's own
/// `gdImageCopyResampled` costs about 17 ns per source pixel and only averages boxes; this one
/// precomputes the weights once per axis and works on four float lanes a pixel.
enum Resampler {
    enum Filter {
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

    /// For each output index, the first input index, how many inputs it reads, and their weights.
    struct Contributions {
        var starts: [Int]
        var counts: [Int]
        var taps: Int
        var weights: [Float]

        init(input: Int, output: Int, filter: Filter) {
            let scale = Double(input) / Double(output)
            let filterScale = max(scale, 1)
            let support = filter.support * filterScale
            taps = Int(support.rounded(.up)) * 2 + 1
            starts = [Int](repeating: 0, count: output)
            counts = [Int](repeating: 0, count: output)
            weights = [Float](repeating: 0, count: output * taps)
            for index in 0..<output {
                let center = (Double(index) + 0.5) * scale
                let first = max(0, Int((center - support + 0.5).rounded(.down)))
                let last = min(input, Int((center + support + 0.5).rounded(.down)))
                let count = max(0, min(taps, last - first))
                var row = [Double](repeating: 0, count: count)
                for tap in 0..<count {
                    row[tap] = filter.weight((Double(first + tap) - center + 0.5) / filterScale)
                }
                let total = row.reduce(0, +)
                for tap in 0..<count {
                    weights[index * taps + tap] = Float(row[tap] / (total == 0 ? 1 : total))
                }
                starts[index] = first
                counts[index] = count
            }
        }
    }

    /// An image as four float lanes a pixel (the fourth unused): converted once, read by every
    /// size, with one load and one fused multiply-add per filter tap.
    struct FloatImage {
        let width: Int
        let height: Int
        var pixels: [SIMD4<Float>]

        init(_ image: GDImage) {
            width = image.width
            height = image.height
            var pixels = [SIMD4<Float>](repeating: .zero, count: width * height)
            let (width, height) = (self.width, self.height)
            image.withPointer { pointer in
                guard let rows = pointer.pointee.tpixels else { return }
                pixels.withUnsafeMutableBufferPointer { out in
                    for y in 0..<height {
                        guard let row = rows[y] else { continue }
                        for x in 0..<width {
                            let pixel = row[x]
                            out[y * width + x] = SIMD4(Float(pixel >> 16 & 0xFF), Float(pixel >> 8 & 0xFF), Float(pixel & 0xFF), 0)
                        }
                    }
                }
            }
            self.pixels = pixels
        }
    }

    /// `source` resized to `side` x `side` into a new true-colour image.
    static func resize(_ source: FloatImage, toSide side: Int, filter: Filter) throws(ImagingError) -> GDImage {
        let (width, height) = (source.width, source.height)
        let horizontal = Contributions(input: width, output: side, filter: filter)
        let vertical = Contributions(input: height, output: side, filter: filter)
        var middle = [SIMD4<Float>](repeating: .zero, count: height * side)
        source.pixels.withUnsafeBufferPointer { input in
            horizontal.weights.withUnsafeBufferPointer { weights in
                horizontal.starts.withUnsafeBufferPointer { starts in
                    horizontal.counts.withUnsafeBufferPointer { counts in
                        middle.withUnsafeMutableBufferPointer { out in
                            let taps = horizontal.taps
                            for y in 0..<height {
                                let row = y * width
                                for x in 0..<side {
                                    var sum = SIMD4<Float>.zero
                                    let start = row + starts[x], base = x * taps
                                    for tap in 0..<counts[x] {
                                        sum += input[start + tap] * weights[base + tap]
                                    }
                                    out[y * side + x] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
        let target = try GDImage(width: side, height: side, filledWith: RGBColor(red: 0, green: 0, blue: 0))
        var line = [SIMD4<Float>](repeating: .zero, count: side)
        target.withPointer { pointer in
            guard let rows = pointer.pointee.tpixels else { return }
            vertical.weights.withUnsafeBufferPointer { weights in
                middle.withUnsafeBufferPointer { input in
                    line.withUnsafeMutableBufferPointer { line in
                        for y in 0..<side {
                            guard let row = rows[y] else { continue }
                            let start = vertical.starts[y], base = y * vertical.taps
                            for x in 0..<side { line[x] = .zero }
                            // Row by row, so every step reads memory in order.
                            for tap in 0..<vertical.counts[y] {
                                let w = weights[base + tap], from = (start + tap) * side
                                for x in 0..<side { line[x] += input[from + x] * w }
                            }
                            for x in 0..<side { row[x] = pack(line[x]) }
                        }
                    }
                }
            }
        }
        return target
    }

    /// Rounds channels back to bytes, clamped (Lanczos overshoots at edges).
    @inline(__always)
    private static func pack(_ value: SIMD4<Float>) -> Int32 {
        let clamped = (value + 0.5).clamped(lowerBound: .zero, upperBound: SIMD4(repeating: 255))
        return Int32(clamped.x) << 16 | Int32(clamped.y) << 8 | Int32(clamped.z)
    }
}
