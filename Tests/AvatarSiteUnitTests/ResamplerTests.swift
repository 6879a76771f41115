@testable import AvatarSite
import CGD
import CImaging
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

/// The resampler against what a Lanczos filter must do, on images made here pixel by pixel.
@Suite struct ResamplerTests {
    /// A photo-like square: smooth gradients, a few hard edges and noise, from a fixed seed.
    static func detailed(side: Int) throws -> GDImage {
        let image = try GDImage(blankWidth: side, height: side)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        image.withPointer { pointer in
            for y in 0..<side {
                for x in 0..<side {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let noise = Int(state >> 59) - 16
                    let edge = (x / 37 + y / 53) % 2 == 0 ? 60 : 0
                    let red = max(0, min(255, 40 + x * 150 / side + edge + noise))
                    let green = max(0, min(255, 200 - y * 120 / side + noise))
                    let blue = max(0, min(255, (x + y) * 100 / side + edge + noise))
                    gdImageSetPixel(pointer, Int32(x), Int32(y), cgd_true_color(Int32(red), Int32(green), Int32(blue)))
                }
            }
        }
        return image
    }

    static func psnr(_ a: GDImage, _ b: GDImage) -> Double {
        var squared = 0.0
        a.withPointer { pa in
            b.withPointer { pb in
                for y in 0..<a.height {
                    for x in 0..<a.width {
                        let p = gdImageGetTrueColorPixel(pa, Int32(x), Int32(y)), q = gdImageGetTrueColorPixel(pb, Int32(x), Int32(y))
                        for shift: Int32 in [0, 8, 16] {
                            let d = Double((p >> shift) & 0xFF) - Double((q >> shift) & 0xFF)
                            squared += d * d
                        }
                    }
                }
            }
        }
        let mse = squared / Double(a.width * a.height * 3)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// A flat colour must stay exactly that colour at every size, edges included, made from the
    /// photo or from a larger size: the weights are normalised, and the padding the kernels read
    /// past each row (with a zero weight) holds no NaN.
    @Test(arguments: [648, 517, 96], [0.0, 3.0])
    func keepsAFlatColourFlat(side: Int, cascadeRatio: Double) throws {
        let flat = try GDImage(width: side, height: side, filledWith: RGBColor(red: 201, green: 13, blue: 77))
        var seen = 0
        try ResizeSchedule.resize(flat, to: PhotoSize.graphSizes, cascadeRatio: cascadeRatio) { (size, image) throws(ImagingError) in
            image.withPointer { pointer in
                for y in 0..<size.side {
                    for x in 0..<size.side {
                        let pixel = gdImageGetTrueColorPixel(pointer, Int32(x), Int32(y))
                        #expect(pixel & 0xFFFFFF == 0xC90D4D, "\(size) at \(x),\(y): \(String(pixel, radix: 16))")
                        if pixel & 0xFFFFFF != 0xC90D4D { return }
                    }
                }
            }
            seen += 1
        }
        #expect(seen == PhotoSize.graphSizes.count)
    }

    /// One-pixel stripes must average out to grey when shrunk: a filter that picks pixels
    /// instead of weighing them would give black or white.
    @Test func averagesDetailFinerThanTheTarget() throws {
        let stripes = try GDImage(blankWidth: 648, height: 648)
        stripes.withPointer { pointer in
            for y in 0..<648 {
                for x in 0..<648 where x % 2 == 0 { gdImageSetPixel(pointer, Int32(x), Int32(y), cgd_true_color(255, 255, 255)) }
            }
        }
        let small = try Resampler.resize(Resampler.FloatImage(stripes), toSide: 48, filter: ResizeSchedule.filter, keepingFloats: false).image
        small.withPointer { pointer in
            for x in 2..<46 {
                let red = Int(gdImageGetTrueColorPixel(pointer, Int32(x), 24) >> 16 & 0xFF)
                #expect(abs(red - 128) <= 2, "column \(x) is \(red)")
            }
        }
    }

    /// The AVX build and the baseline build of the C loops must compute the same image (on a
    /// CPU without AVX both are the baseline build, and this compares it with itself).
    @Test func baselineKernelsMatchTheFastOnes() throws {
        let photo = try Resampler.FloatImage(Self.detailed(side: 648))
        for side in [504, 240, 97, 48] {
            let fast = try Resampler.resize(photo, toSide: side, filter: ResizeSchedule.filter, keepingFloats: true, kernels: .fastest)
            let baseline = try Resampler.resize(photo, toSide: side, filter: ResizeSchedule.filter, keepingFloats: true, kernels: .baseline)
            let (a, b) = (try #require(fast.floats), try #require(baseline.floats))
            let largest = zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? .infinity
            #expect(largest < 0.01, "\(side) px differs by up to \(largest)")
            #expect(Self.psnr(fast.image, baseline.image) > 60)
        }
    }

    /// Only the sizes smaller ones are made from keep their floats.
    @Test func plansEachSizeFromTheSmallestLargeEnoughImage() {
        let plan = ResizeSchedule.plan(photo: 648, sizes: PhotoSize.graphSizes, cascadeRatio: 3)
        let sources = Dictionary(uniqueKeysWithValues: plan.map { ($0.size.side, $0.source) })
        #expect(sources == [648: 648, 504: 648, 432: 648, 360: 648, 240: 648, 120: 360, 96: 360, 64: 240, 48: 240])
        #expect(plan.filter(\.isSource).map(\.size.side) == [360, 240])
        #expect(ResizeSchedule.plan(photo: 96, sizes: PhotoSize.graphSizes, cascadeRatio: 3).allSatisfy { $0.source == 96 })
    }

    /// Small sizes made from a larger one already made stay close to those made from the photo
    /// (scripts/resize-quality.py measures both against a pristine master).
    @Test func cascadedSizesMatchDirectOnes() throws {
        let photo = try Self.detailed(side: 648)
        var direct = [Int: GDImage](), cascaded = [Int: GDImage]()
        try ResizeSchedule.resize(photo, to: PhotoSize.graphSizes, cascadeRatio: 0) { (size, image) throws(ImagingError) in direct[size.side] = image }
        try ResizeSchedule.resize(photo, to: PhotoSize.graphSizes, cascadeRatio: 3) { (size, image) throws(ImagingError) in cascaded[size.side] = image }
        for size in PhotoSize.graphSizes {
            let (a, b) = (try #require(direct[size.side]), try #require(cascaded[size.side]))
            #expect(Self.psnr(a, b) > 40, "\(size): \(Self.psnr(a, b)) dB")
        }
    }
}
