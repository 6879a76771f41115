import CGD
import Foundation
import Synchronization

/// Draws photo-like head-and-shoulders portraits as JPEG, with gradients and grain so that
/// they weigh and compress like real photos. Each (look, size) is drawn once and kept.
final class DemoPortraitStudio: Sendable {
    /// Distinct looks; users share them, as a real directory shares nothing but the cost would.
    static let looks = 16

    private struct Key: Hashable {
        var look: Int
        var width: Int
        var height: Int
    }

    private let cache = Mutex<[Key: Data]>([:])

    func jpeg(variant: Int, width: Int, height: Int) -> Data {
        let key = Key(look: variant % Self.looks, width: width, height: height)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let data = Self.draw(look: key.look, width: width, height: height)
        cache.withLock { $0[key] = data }
        return data
    }

    /// A PNG of `width` x `height`: broad bands of colour, so that it is large when decoded and
    /// small on the wire.
    func png(width: Int, height: Int) -> Data {
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else { return Data() }
        defer { gdImageDestroy(image) }
        let bands = 8
        for band in 0..<bands {
            let top = Int32(height * band / bands), bottom = Int32(height * (band + 1) / bands - 1)
            gdImageFilledRectangle(image, 0, top, Int32(width - 1), max(top, bottom),
                                   cgd_true_color(Int32(40 + band * 25), Int32(200 - band * 20), Int32(90 + band * 15)))
        }
        var size: Int32 = 0
        guard let buffer = gdImagePngPtrEx(image, &size, 1) else { return Data() }
        defer { gdFree(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    private static func draw(look: Int, width: Int, height: Int) -> Data {
        guard let image = gdImageCreateTrueColor(Int32(width), Int32(height)) else { return Data() }
        defer { gdImageDestroy(image) }
        var random = SplitMix64(seed: UInt64(look) &* 7919 &+ 17)
        let top = (random.below(120) + 100, random.below(120) + 100, random.below(120) + 120)
        let bottom = (random.below(80) + 20, random.below(80) + 30, random.below(80) + 40)
        for y in 0..<height {
            let t = Double(y) / Double(max(height - 1, 1))
            let mix = { (a: Int, b: Int) in Int32(Double(a) * (1 - t) + Double(b) * t) }
            gdImageLine(image, 0, Int32(y), Int32(width - 1), Int32(y),
                        cgd_true_color(mix(top.0, bottom.0), mix(top.1, bottom.1), mix(top.2, bottom.2)))
        }
        let side = Double(min(width, height))
        let centreX = Int32(width / 2)
        let skin = [(241, 194, 167), (224, 172, 105), (141, 85, 36), (198, 134, 66), (255, 219, 172)][look % 5]
        let shirt = (random.below(200) + 30, random.below(200) + 30, random.below(200) + 30)
        gdImageFilledEllipse(image, centreX, Int32(Double(height) - side * 0.05), Int32(side * 0.9), Int32(side * 0.7),
                             cgd_true_color(Int32(shirt.0), Int32(shirt.1), Int32(shirt.2)))
        gdImageFilledEllipse(image, centreX, Int32(Double(height) / 2 - side * 0.08), Int32(side * 0.42), Int32(side * 0.52),
                             cgd_true_color(Int32(skin.0), Int32(skin.1), Int32(skin.2)))
        // Grain: real photos are noisy, and noise is what makes a JPEG weigh what a photo weighs.
        for y in stride(from: 0, to: height, by: 1) {
            for x in stride(from: 0, to: width, by: 1) where random.below(4) == 0 {
                let pixel = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
                let delta = Int32(random.below(25)) - 12
                let clamp = { (v: Int32) in max(0, min(255, v + delta)) }
                gdImageSetPixel(image, Int32(x), Int32(y),
                                cgd_true_color(clamp(pixel >> 16 & 0xFF), clamp(pixel >> 8 & 0xFF), clamp(pixel & 0xFF)))
            }
        }
        var size: Int32 = 0
        guard let buffer = gdImageJpegPtr(image, &size, 90) else { return Data() }
        defer { gdFree(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }
}
