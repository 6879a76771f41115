@testable import AvatarSite
import AvatarSiteTestSupport
import CImaging
import Foundation
import Testing
@testable import AvatarSiteContract
@testable import AvatarSiteImaging

/// The JPEG-native path (planes in, planes out) against libgd's RGB path on the same photos.
@Suite struct PlanarImagingTests {
    /// Quality 100, so that what is compared is the resizing, not two encoders' noise.
    static let settings: RenderSettings = {
        var settings = RenderSettings(configuration: SiteConfiguration())
        settings.jpegQuality = 100
        return settings
    }()

    enum Layout: String, CaseIterable, Sendable {
        case yuv420, yuv422, yuv444, grayscale, progressive, cmyk
    }

    /// A photo-like image: smooth colour gradients and soft discs, as a function of position.
    static func scene(_ x: Double, _ y: Double) -> (Double, Double, Double) {
        let disc = { (cx: Double, cy: Double, r: Double) in max(0, 1 - hypot(x - cx, y - cy) / r) }
        let a = disc(0.3, 0.35, 0.25), b = disc(0.7, 0.6, 0.3)
        return (60 + 120 * x + 70 * a, 80 + 100 * y + 60 * b, 200 - 120 * x * y + 40 * a - 30 * b)
    }

    /// A JPEG of `width` x `height` in `layout`, made from planes with libjpeg, `color` giving
    /// each pixel's RGB from its position (0...1 across and down).
    static func jpeg(_ layout: Layout, width: Int, height: Int, quality: Int = 95,
                     color: (Double, Double) -> (Double, Double, Double) = scene) -> Data {
        let (h, v) = switch layout {
        case .yuv420, .progressive: (2, 2)
        case .yuv422: (2, 1)
        default: (1, 1)
        }
        var rgb = [(Double, Double, Double)]()
        for y in 0..<height {
            for x in 0..<width { rgb.append(color((Double(x) + 0.5) / Double(width), (Double(y) + 0.5) / Double(height))) }
        }
        func plane(_ w: Int, _ hh: Int, _ value: (Int, Int) -> Double) -> [Float] {
            var samples = [Float](repeating: 0, count: w * hh)
            for y in 0..<hh { for x in 0..<w { samples[y * w + x] = Float(value(x, y)) } }
            return samples
        }
        let luma = { (p: (Double, Double, Double)) in 0.299 * p.0 + 0.587 * p.1 + 0.114 * p.2 }
        let blue = { (p: (Double, Double, Double)) in 128 - 0.168736 * p.0 - 0.331264 * p.1 + 0.5 * p.2 }
        let red = { (p: (Double, Double, Double)) in 128 + 0.5 * p.0 - 0.418688 * p.1 - 0.081312 * p.2 }
        // Chroma as the mean of the pixels each sample covers.
        let (cw, ch) = ((width + h - 1) / h, (height + v - 1) / v)
        func chroma(_ f: @escaping ((Double, Double, Double)) -> Double) -> [Float] {
            plane(cw, ch) { cx, cy in
                var sum = 0.0, n = 0.0
                for y in cy * v..<min(height, cy * v + v) {
                    for x in cx * h..<min(width, cx * h + h) { sum += f(rgb[y * width + x]); n += 1 }
                }
                return sum / n
            }
        }
        var planes: [[Float]]
        var sizes: [(Int, Int)]
        var samplings: [(Int32, Int32)]
        switch layout {
        case .grayscale:
            planes = [plane(width, height) { luma(rgb[$1 * width + $0]) }]
            sizes = [(width, height)]
            samplings = [(1, 1)]
        case .cmyk:
            planes = (0..<4).map { c in
                plane(width, height) { x, y in
                    let p = rgb[y * width + x]
                    return c == 0 ? 255 - p.0 : c == 1 ? 255 - p.1 : c == 2 ? 255 - p.2 : 255
                }
            }
            sizes = Array(repeating: (width, height), count: 4)
            samplings = Array(repeating: (1, 1), count: 4)
        default:
            planes = [plane(width, height) { luma(rgb[$1 * width + $0]) }, chroma(blue), chroma(red)]
            sizes = [(width, height), (cw, ch), (cw, ch)]
            samplings = [(Int32(h), Int32(v)), (1, 1), (1, 1)]
        }
        var length: UInt = 0
        let pointers = planes.map { samples in
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: samples.count)
            pointer.initialize(from: samples, count: samples.count)
            return pointer
        }
        defer { pointers.forEach { $0.deallocate() } }
        let described = zip(pointers, sizes).map { cimg_float_plane(pixels: $0, stride: $1.0, width: Int32($1.0), height: Int32($1.1)) }
        guard let buffer = cimg_encode_jpeg_planes(described, Int32(planes.count), samplings.map(\.0), samplings.map(\.1), Int32(width),
                                                   Int32(height), Int32(quality), 0, layout == .progressive ? 1 : 0, &length) else {
            return Data()
        }
        defer { cimg_free(buffer) }
        return Data(bytes: buffer, count: Int(length))
    }

    /// Every size (and the photo's own) as JPEG by libgd's RGB path, for comparison.
    static func rgbPath(_ data: Data) throws -> [PhotoSize: Data] {
        let renderer = PhotoRenderer(settings: settings)
        let photo = try renderer.decode(data)
        var result = [PhotoSize(side: photo.square.width): try photo.square.encoded(.jpeg(quality: 100))]
        try ResizeSchedule.resize(photo.square, to: settings.sizes) { (size, image) throws(ImagingError) in
            result[size] = try image.encoded(.jpeg(quality: 100))
        }
        return result
    }

    /// Every size from the planes path; fails the test when the photo did not take it.
    static func planarPath(_ data: Data) throws -> [PhotoSize: Data] {
        let images = try #require(try PhotoRenderer(settings: settings).renderPlanar(data), "the planes path did not take the photo")
        var result = images.bySize.mapValues(\.jpeg)
        result[images.sourceSize] = images.largest.jpeg
        return result
    }

    /// PSNR over the three channels of two decoded images of one size.
    static func psnr(_ a: Data, _ b: Data) throws -> Double {
        let x = try #require(TestImages.pixels(a)), y = try #require(TestImages.pixels(b))
        try #require(x.width == y.width && x.height == y.height)
        var squares = 0.0
        for row in 0..<x.height {
            for column in 0..<x.width {
                let p = x.rgb(x: column, y: row), q = y.rgb(x: column, y: row)
                squares += Double((p.red - q.red) * (p.red - q.red) + (p.green - q.green) * (p.green - q.green)
                                  + (p.blue - q.blue) * (p.blue - q.blue))
            }
        }
        let mse = squares / Double(3 * x.width * x.height)
        return mse == 0 ? 99 : 10 * log10(255 * 255 / mse)
    }

    static func expectSamePhoto(_ data: Data, _ label: String) throws {
        let planar = try planarPath(data), rgb = try rgbPath(data)
        #expect(Set(planar.keys) == Set(rgb.keys), "\(label)")
        for (size, jpeg) in planar.sorted(by: { $0.key.side > $1.key.side }) {
            let other = try #require(rgb[size])
            let value = try psnr(jpeg, other)
            #expect(value >= 40, "\(label) at \(size): \(value) dB")
        }
    }

    /// Should make every size from planes as libgd's RGB path makes it, whatever the sampling.
    @Test(arguments: [Layout.yuv420, .yuv422, .yuv444, .grayscale, .progressive])
    func makesTheSameSizesAsTheRGBPath(_ layout: Layout) throws {
        try Self.expectSamePhoto(Self.jpeg(layout, width: 300, height: 300), "\(layout) 300x300")
        try Self.expectSamePhoto(Self.jpeg(layout, width: 640, height: 480), "\(layout) 640x480")
    }

    /// Should bring chroma as fine as luma along an axis to 4:2:0's geometry as it decodes, so
    /// that no size resamples the whole of it, unless a size is larger than the photo, which
    /// could show more of it.
    @Test(arguments: [Layout.yuv444, .yuv422])
    func decodesFineChromaAs420(_ layout: Layout) throws {
        var small = Self.settings
        small.sizes = [PhotoSize(side: 48), PhotoSize(side: 120), PhotoSize(side: 200)]
        for (width, height) in [(300, 300), (263, 201)] {
            let jpeg = Self.jpeg(layout, width: width, height: height)
            for (settings, reduced) in [(small, true), (Self.settings, false)] {
                let renderer = PhotoRenderer(settings: settings)
                let square = try #require(try ScratchMemory.forPhoto { () throws(ImagingError) in try renderer.decodePlanar(jpeg)?.square })
                #expect(square.hasJPEGChroma == reduced, "\(layout) \(width)x\(height), sizes \(settings.sizes)")
                #expect((square.chroma?.blue.height == PlanarImage.chromaSide(square.side)) == reduced)
            }
        }
    }

    /// Should bring an upscaled photo's 4:4:4 chroma to the 4:2:0 geometry of the largest size
    /// as it decodes: that size's bytes stay those made from the whole chroma, and the others
    /// stay the RGB path's.
    @Test func decodesUpscaledFineChromaAsTheLargestSize() throws {
        let jpeg = Self.jpeg(.yuv444, width: 432, height: 432)
        let largest = 648
        let square = try #require(try ScratchMemory.forPhoto { () throws(ImagingError) in
            try PhotoRenderer(settings: Self.settings).decodePlanar(jpeg)?.square
        })
        #expect(square.side == 432 && square.hasJPEGChroma(ofSide: largest) && !square.hasJPEGChroma)
        #expect(square.chroma?.blue.width == PlanarImage.chromaSide(largest))
        func largestSize(_ reducedFor: Int?) throws -> Data {
            try ScratchMemory.forPhoto { () throws(ImagingError) -> Data in
                guard let square = try PlanarImage(decodingJPEG: jpeg, orientation: 1, largestSize: reducedFor) else { return Data() }
                return try square.resized(toSide: largest).encodedJPEG(quality: 100, optimizeCoding: false)
            }
        }
        let reduced = try largestSize(largest), whole = try largestSize(nil)
        #expect(!reduced.isEmpty && reduced == whole)
        try Self.expectSamePhoto(jpeg, "yuv444 432x432")
    }

    /// Should reduce fine chroma to the photo's own 4:2:0 geometry when no size is larger, to
    /// the largest size's when that is coarser than the stored chroma along both axes, else not.
    @Test(arguments: [
        (648, (1, 1), 648, 648), (700, (2, 1), 648, 700), (700, (1, 2), 648, 700), (700, (2, 2), 648, nil),
        (432, (1, 1), 648, 648), (325, (1, 1), 648, 648), (324, (1, 1), 648, nil), (240, (1, 1), 648, nil),
        (432, (2, 1), 648, nil), (432, (2, 2), 648, nil),
    ] as [(Int, (Int, Int), Int, Int?)])
    func choosesTheChromaReduction(_ side: Int, _ factors: (Int, Int), _ largest: Int, _ expected: Int?) {
        #expect(PlanarImage.fineChromaReduction(side: side, samplingFactors: factors, largestSize: largest) == expected)
    }

    /// Should keep chroma where it belongs when the square starts at an odd pixel, in either
    /// direction, and when the sides are odd.
    @Test(arguments: [(201, 263), (263, 201), (255, 255), (97, 130)])
    func sitesChromaOnOddCrops(_ width: Int, _ height: Int) throws {
        for layout in [Layout.yuv420, .yuv422, .yuv444] {
            try Self.expectSamePhoto(Self.jpeg(layout, width: width, height: height), "\(layout) \(width)x\(height)")
        }
    }

    /// Should turn the planes upright by every EXIF orientation: each quadrant's colour lands
    /// where the RGB path puts it.
    @Test(arguments: 1...8)
    func turnsPlanesUpright(orientation: Int) throws {
        // Stored (in a 180x140 photo cropped to its centred 140 square): red top left, green top
        // right, blue bottom left, white bottom right.
        let quadrants = { (x: Double, y: Double) -> (Double, Double, Double) in
            let (right, bottom) = (x > 0.5, y > 0.5)
            switch (right, bottom) {
            case (false, false): return (220, 30, 30)
            case (true, false): return (30, 200, 30)
            case (false, true): return (30, 30, 220)
            case (true, true): return (240, 240, 240)
            }
        }
        let photo = TestImages.withEXIFOrientation(Self.jpeg(.yuv420, width: 180, height: 140, color: quadrants), orientation)
        let images = try #require(try PhotoRenderer(settings: Self.settings).renderPlanar(photo))
        let small = try #require(images.bySize[PhotoSize(side: 96)]).jpeg
        let pixels = try #require(TestImages.pixels(small))
        // Where upright (x, y) comes from in the stored square (as cimg_orient maps it).
        let side = 96
        func stored(_ x: Int, _ y: Int) -> (Int, Int) {
            switch orientation {
            case 2: (side - 1 - x, y)
            case 3: (side - 1 - x, side - 1 - y)
            case 4: (x, side - 1 - y)
            case 5: (y, x)
            case 6: (y, side - 1 - x)
            case 7: (side - 1 - y, side - 1 - x)
            case 8: (side - 1 - y, x)
            default: (x, y)
            }
        }
        for (x, y) in [(24, 24), (72, 24), (24, 72), (72, 72)] {
            let (sx, sy) = stored(x, y)
            let expected = quadrants(Double(sx) / Double(side), Double(sy) / Double(side))
            let got = pixels.rgb(x: x, y: y)
            #expect(abs(Double(got.red) - expected.0) < 24 && abs(Double(got.green) - expected.1) < 24
                    && abs(Double(got.blue) - expected.2) < 24, "orientation \(orientation) at (\(x), \(y)): \(got), expected \(expected)")
        }
        try Self.expectSamePhoto(TestImages.withEXIFOrientation(Self.jpeg(.yuv420, width: 181, height: 140), orientation),
                                 "orientation \(orientation)")
    }

    /// Should leave a CMYK JPEG to libgd, and still make every size from it.
    @Test func leavesCMYKToTheRGBPath() throws {
        let cmyk = Self.jpeg(.cmyk, width: 200, height: 160)
        let renderer = PhotoRenderer(settings: Self.settings)
        #expect(try renderer.decodePlanar(cmyk) == nil)
        let images = try renderer.render(cmyk)
        #expect(TestImages.decodedSize(images.largest.jpeg).map { [$0.width, $0.height] } == [160, 160])
    }

    /// Should publish a square upright JPEG's own bytes at its own size, as the RGB path does.
    @Test func keepsASquareJPEGsOwnBytes() throws {
        let square = Self.jpeg(.yuv420, width: 240, height: 240)
        let images = try #require(try PhotoRenderer(settings: Self.settings).renderPlanar(square))
        #expect(images.largest.jpeg == JPEGMetadataStripper.stripped(square))
    }

    /// Should refuse a JPEG cut short or damaged in its scan, as the RGB path does.
    @Test func refusesDamagedJPEGs() throws {
        let photo = Self.jpeg(.yuv420, width: 300, height: 300)
        let renderer = PhotoRenderer(settings: Self.settings)
        for cut in [photo.count / 3, photo.count - 40] {
            #expect(throws: ImagingError.self) { try renderer.renderPlanar(photo.prefix(cut)) }
        }
        // Bytes overwritten inside the scan: whichever path decodes it decides alike.
        var damaged = [UInt8](photo)
        for index in stride(from: damaged.count / 2, to: damaged.count / 2 + 64, by: 4) { damaged[index] = 0xFF }
        let planes = Result { try renderer.renderPlanar(Data(damaged)) }
        let rgb = Result { try renderer.decode(Data(damaged)) }
        #expect((try? planes.get()) == nil && (try? rgb.get()) == nil, "\(planes) \(rgb)")
    }

    /// Should reuse the thread's scratch memory photo after photo without growing it, and make
    /// the same bytes each time.
    @Test func reusesScratchMemory() throws {
        let renderer = PhotoRenderer(settings: Self.settings)
        let photo = Self.jpeg(.yuv420, width: 400, height: 300)
        let first = try #require(try renderer.renderPlanar(photo))
        _ = try renderer.renderPlanar(photo)
        let held = cimg_scratch_capacity()
        for _ in 0..<5 {
            let again = try #require(try renderer.renderPlanar(photo))
            #expect(again.bySize == first.bySize)
        }
        // Other tests may have used this thread's memory first, for larger photos: it must not
        // grow, whatever it holds.
        #expect(held > 0 && cimg_scratch_capacity() == held)
    }
}
