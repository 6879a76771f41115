public import Foundation

/// Turns a downloaded photo into every configured size: one header check, one decode, a centred
/// square crop, then each size resampled and encoded.
public struct PhotoRenderer: Sendable {
    public let settings: RenderSettings

    public init(settings: RenderSettings) {
        self.settings = settings
    }

    /// Every size as lossless PNG, resized exactly as `render` does: for measuring resize quality.
    public func renderPNGs(_ data: Data) throws(ImagingError) -> [PhotoSize: Data] {
        let square = try decodeSquare(data)
        var pngs = [PhotoSize: Data]()
        try ResizeSchedule.resize(square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
            pngs[size] = try image.encoded(.png)
        }
        return pngs
    }

    public func render(_ data: Data) throws(ImagingError) -> AvatarImages {
        let square = try decodeSquare(data)
        let sourceSize = PhotoSize(side: square.width)
        // A square JPEG is published at its own size as its own bytes, metadata removed: no
        // second loss of quality, and one encode fewer (the largest, a tenth of a photo's CPU).
        let original = try ImageHeader(reading: data).isSquareJPEG ? JPEGMetadataStripper.stripped(data) : nil
        func encode(_ size: PhotoSize, _ image: GDImage) throws(ImagingError) -> EncodedImage {
            guard size == sourceSize, let original else { return try settings.encode(image) }
            return try settings.encode(image, jpeg: original)
        }
        var bySize = [PhotoSize: EncodedImage]()
        try ResizeSchedule.resize(square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
            bySize[size] = try encode(size, image)
        }
        let largest: EncodedImage
        if let same = bySize[sourceSize] {
            largest = same
        } else {
            largest = try encode(sourceSize, square)
        }
        return AvatarImages(bySize: bySize, largest: largest, sourceSize: sourceSize, isPlaceholder: false)
    }

    /// Milliseconds per stage for one photo, for the benchmark: decode (with the crop), the
    /// resizes, the encodes (the photo's own size stripped of metadata, as `render` does).
    public func stageTimings(_ data: Data, iterations: Int) throws(ImagingError) -> (decode: Double, resize: Double, encode: Double) {
        let clock = ContinuousClock()
        var decode = Duration.zero, resize = Duration.zero, encode = Duration.zero
        for _ in 0..<iterations {
            var started = clock.now
            let square = try decodeSquare(data)
            decode += clock.now - started
            var images = [(PhotoSize, GDImage)]()
            started = clock.now
            try ResizeSchedule.resize(square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
                images.append((size, image))
            }
            resize += clock.now - started
            started = clock.now
            let original = try ImageHeader(reading: data).isSquareJPEG ? JPEGMetadataStripper.stripped(data) : nil
            for (size, image) in images {
                _ = try size.side == square.width && original != nil ? settings.encode(image, jpeg: original) : settings.encode(image)
            }
            encode += clock.now - started
        }
        let ms = { (total: Duration) in total.seconds * 1000 / Double(iterations) }
        return (ms(decode), ms(resize), ms(encode))
    }

    /// The header checked, the photo decoded once, centre-cropped to a square.
    func decodeSquare(_ data: Data) throws(ImagingError) -> GDImage {
        let header = try ImageHeader(reading: data)
        guard header.pixelCount <= settings.maxPixels else {
            throw ImagingError(.tooManyPixels,
                               "the image claims \(header.width)x\(header.height) pixels, over the limit of \(settings.maxPixels)")
        }
        let decoded = try GDImage(decoding: data, format: header.format)
        // PNG, GIF and WebP may be see-through; JPEG never is and keeps its pixels as they are.
        return try decoded.squared(over: settings.matte, flatten: header.format != .jpeg)
    }
}
