public import Foundation
public import AvatarSiteContract

/// Turns a downloaded photo into every configured size: one header check, one decode, a centred
/// square crop, then each size resampled and encoded.
public struct PhotoRenderer: Sendable {
    public let settings: RenderSettings

    public init(settings: RenderSettings) {
        self.settings = settings
    }

    /// Every size as lossless PNG, resized exactly as `render` does: for measuring resize quality.
    /// With `lumaOfPlanes`, a JPEG resized in planes is written as its luma plane alone (gray),
    /// which is the luma its JPEG encoder receives; converted to RGB, 4:2:0 chroma clipped at
    /// saturated edges would change it.
    public func renderPNGs(_ data: Data, lumaOfPlanes: Bool = false) throws(ImagingError) -> [PhotoSize: Data] {
        if let pngs = try renderPlanarPNGs(data, lumaOnly: lumaOfPlanes) { return pngs }
        let photo = try decode(data)
        var pngs = [PhotoSize: Data]()
        try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
            pngs[size] = try image.encoded(.png)
        }
        return pngs
    }

    public func render(_ data: Data) throws(ImagingError) -> AvatarImages {
        if let images = try renderPlanar(data) { return images }
        let photo = try decode(data)
        var bySize = [PhotoSize: EncodedImage]()
        try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
            bySize[size] = try encode(size, image, of: photo)
        }
        let largest: EncodedImage
        if let ownSize = photo.ownSize {
            largest = ownSize
        } else if let same = bySize[photo.sourceSize] {
            largest = same
        } else {
            largest = try encode(photo.sourceSize, photo.square, of: photo)
        }
        return AvatarImages(bySize: bySize, largest: largest, sourceSize: photo.sourceSize, isPlaceholder: false)
    }

    /// Milliseconds per stage for one photo, for the benchmark: decode (with the crop and, for a
    /// square JPEG, its metadata stripped), the resizes, the encodes, all as `render` does them.
    public func stageTimings(_ data: Data, iterations: Int) throws(ImagingError) -> (decode: Double, resize: Double, encode: Double) {
        if let timings = try planarStageTimings(data, iterations: iterations) { return timings }
        let clock = ContinuousClock()
        var decode = Duration.zero, resize = Duration.zero, encode = Duration.zero
        for _ in 0..<iterations {
            var started = clock.now
            let photo = try self.decode(data)
            decode += clock.now - started
            var images = [(PhotoSize, GDImage)]()
            started = clock.now
            try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
                images.append((size, image))
            }
            resize += clock.now - started
            started = clock.now
            for (size, image) in images { _ = try self.encode(size, image, of: photo) }
            encode += clock.now - started
        }
        let ms = { (total: Duration) in total.seconds * 1000 / Double(iterations) }
        return (ms(decode), ms(resize), ms(encode))
    }

    /// A photo decoded once and centre-cropped to a square.
    struct DecodedPhoto {
        /// The square the sizes are made from: reduced by a whole factor when the photo is large.
        let square: GDImage
        /// A square JPEG's own bytes with its metadata stripped, published at its own size as
        /// they are: no second loss of quality, and one encode fewer (a tenth of a photo's CPU).
        let ownJPEG: Data?
        /// `photo.jpg` of a photo whose square was reduced, encoded at the photo's own size
        /// from its full pixels before they were reduced.
        var ownSize: EncodedImage?
        /// The side of the photo's own square.
        let sourceSize: PhotoSize
    }

    /// The header checked, the bytes checked to run to their end, the photo decoded once,
    /// centre-cropped to a square — reduced first when it is large — and turned upright.
    ///
    /// A photo whose square is over `reductionThreshold` times the largest size is averaged
    /// down by a whole factor while it is cropped, so the float pixels of the resampler (16
    /// bytes a pixel) stay under 1.5 times the largest size squared: a 25-megapixel photo
    /// costs its decoded pixels and little more, not 650 MB. Cropping the centred square
    /// commutes with turning the photo, so the EXIF orientation is applied to the small square.
    func decode(_ data: Data) throws(ImagingError) -> DecodedPhoto {
        let header = try ImageHeader(reading: data)
        guard header.pixelCount <= settings.maxPixels else {
            throw ImagingError(.tooManyPixels,
                               "the image claims \(header.width)x\(header.height) pixels, over the limit of \(settings.maxPixels)")
        }
        try ImageCompleteness.check(data, format: header.format)
        let orientation = header.format == .jpeg ? EXIFOrientation.of(data) : 1
        // A photo of many megapixels takes hundreds of megabytes while it is decoded: one at a
        // time, so two workers never hold two of them at once.
        let gate = header.pixelCount > Self.largePhotoPixels ? Self.largePhotoGate : nil
        gate?.enter()
        defer { gate?.leave() }
        // A square upright JPEG is published at its own size as its own bytes, stripped; any
        // other photo is encoded from its pixels.
        let ownJPEG = header.isSquareJPEG && orientation == 1 ? JPEGMetadataStripper.stripped(data) : nil
        let square: GDImage
        var ownSize: EncodedImage?
        let side: Int
        do {
            let decoded = try GDImage(decoding: data, format: header.format)
            side = min(decoded.width, decoded.height)
            let largest = settings.sizes.max()?.side ?? 648
            let reduction = max(1, side / max(1, Int(Self.reductionThreshold * Double(largest))))
            // PNG, GIF and WebP may be see-through; JPEG never is and keeps its pixels as they are.
            let flatten = header.format != .jpeg
            if reduction > 1 {
                ownSize = try encodeOwnSize(decoded, flatten: flatten, orientation: orientation, ownJPEG: ownJPEG)
            }
            square = try decoded.squared(over: settings.matte, flatten: flatten, reduction: reduction)
        }
        return DecodedPhoto(square: try square.oriented(orientation), ownJPEG: ownJPEG, ownSize: ownSize, sourceSize: PhotoSize(side: side))
    }

    /// `photo.jpg` at the photo's own size, from the full pixels of `decoded`: the square JPEG's
    /// own bytes when it has them, else encoded straight from the decoded rows, turned as it is
    /// encoded, without a copy: a 24-megapixel photo costs its decoded pixels and no more. A
    /// photo also written as WebP needs its square as an image of its own for that encoder.
    private func encodeOwnSize(_ decoded: GDImage, flatten: Bool, orientation: Int, ownJPEG: Data?) throws(ImagingError) -> EncodedImage {
        guard settings.formats.contains(.webp) else {
            if let ownJPEG { return EncodedImage(jpeg: ownJPEG) }
            return EncodedImage(jpeg: try decoded.encodedCentredSquare(
                over: settings.matte, flatten: flatten, orientation: orientation, quality: settings.jpegQuality,
                optimizeCoding: settings.jpegOptimizeCoding))
        }
        let square = try decoded.squared(over: settings.matte, flatten: flatten).oriented(orientation)
        return try settings.encode(square, jpeg: ownJPEG)
    }

    /// How many times the largest size a photo's square may be before it is reduced.
    static let reductionThreshold = 1.5

    /// Photos over this many pixels are decoded one at a time (`largePhotoGate`).
    static let largePhotoPixels = 8_000_000
    static let largePhotoGate = ExclusiveGate()

    private func encode(_ size: PhotoSize, _ image: GDImage, of photo: DecodedPhoto) throws(ImagingError) -> EncodedImage {
        try settings.encode(image, jpeg: size == photo.sourceSize ? photo.ownJPEG : nil)
    }
}
