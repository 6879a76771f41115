import Foundation
import AvatarSiteContract

/// The JPEG-native path: a JPEG photo is decoded into its Y, Cb and Cr planes, cropped, turned,
/// resized and encoded as planes, never as RGB, where libgd's path converts to RGB, widens to
/// four float channels and converts back, then throws three quarters of the chroma away.
/// Photos of any other kind, and JPEGs large enough to be reduced first, take libgd's path.
extension PhotoRenderer {
    /// A JPEG photo's centred square in planes, turned upright.
    struct PlanarPhoto {
        let square: PlanarImage
        /// A square upright JPEG's own bytes, stripped, published at its own size.
        let ownJPEG: Data?

        var sourceSize: PhotoSize { PhotoSize(side: square.side) }
    }

    /// Every size from planes, or nil when the photo is not one for the planes path.
    func renderPlanar(_ data: Data) throws(ImagingError) -> AvatarImages? {
        try ScratchMemory.forPhoto { () throws(ImagingError) -> AvatarImages? in
            guard let photo = try decodePlanar(data) else { return nil }
            var bySize = [PhotoSize: EncodedImage]()
            try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
                bySize[size] = try encodePlanar(size, image, of: photo)
            }
            let largest: EncodedImage
            if let same = bySize[photo.sourceSize] {
                largest = same
            } else {
                largest = try encodePlanar(photo.sourceSize, photo.square, of: photo)
            }
            return AvatarImages(bySize: bySize, largest: largest, sourceSize: photo.sourceSize, isPlaceholder: false)
        }
    }

    /// Every size as lossless PNG from planes (converted to RGB at the end, or its luma alone),
    /// or nil.
    func renderPlanarPNGs(_ data: Data, lumaOnly: Bool = false) throws(ImagingError) -> [PhotoSize: Data]? {
        try ScratchMemory.forPhoto { () throws(ImagingError) -> [PhotoSize: Data]? in
            guard let photo = try decodePlanar(data) else { return nil }
            var pngs = [PhotoSize: Data]()
            try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio) { (size, image) throws(ImagingError) in
                let shown = lumaOnly ? PlanarImage(side: image.side, luma: image.luma, chroma: nil, across: image.across, down: image.down) : image
                pngs[size] = try shown.rgbImage().encoded(.png)
            }
            return pngs
        }
    }

    /// Milliseconds per stage from planes, as `stageTimings`, or nil.
    func planarStageTimings(_ data: Data, iterations: Int) throws(ImagingError) -> (decode: Double, resize: Double, encode: Double)? {
        let clock = ContinuousClock()
        var decode = Duration.zero, resize = Duration.zero, encode = Duration.zero
        for _ in 0..<iterations {
            let planar = try ScratchMemory.forPhoto { () throws(ImagingError) -> Bool in
                var started = clock.now
                guard let photo = try decodePlanar(data) else { return false }
                decode += clock.now - started
                var images = [(PhotoSize, PlanarImage)]()
                started = clock.now
                try ResizeSchedule.resize(photo.square, to: settings.sizes, cascadeRatio: settings.cascadeRatio,
                                          keepingEvery: true) { (size, image) throws(ImagingError) in
                    images.append((size, image))
                }
                resize += clock.now - started
                started = clock.now
                for (size, image) in images { _ = try encodePlanar(size, image, of: photo) }
                encode += clock.now - started
                return true
            }
            guard planar else { return nil }
        }
        let ms = { (total: Duration) in total.seconds * 1000 / Double(iterations) }
        return (ms(decode), ms(resize), ms(encode))
    }

    /// The photo in planes, when it is a JPEG whose planes libjpeg reads (see
    /// `PlanarImage(decodingJPEG:orientation:)`) and whose square is not reduced; nil otherwise,
    /// and for every photo `decode` refuses before decoding (those it refuses again there, with
    /// the same error).
    func decodePlanar(_ data: Data) throws(ImagingError) -> PlanarPhoto? {
        guard settings.resizesJPEGInPlanes, let header = try? ImageHeader(reading: data), header.format == .jpeg,
              header.pixelCount <= min(settings.maxPixels, Self.largePhotoPixels) else { return nil }
        let largest = settings.sizes.max()?.side ?? 648
        guard min(header.width, header.height) / max(1, Int(Self.reductionThreshold * Double(largest))) <= 1 else { return nil }
        try ImageCompleteness.check(data, format: .jpeg)
        let orientation = EXIFOrientation.of(data)
        guard let square = try PlanarImage(decodingJPEG: data, orientation: orientation, largestSize: largest) else {
            return nil
        }
        let ownJPEG = header.isSquareJPEG && orientation == 1 ? JPEGMetadataStripper.stripped(data) : nil
        return PlanarPhoto(square: square, ownJPEG: ownJPEG)
    }

    private func encodePlanar(_ size: PhotoSize, _ image: PlanarImage, of photo: PlanarPhoto) throws(ImagingError) -> EncodedImage {
        let own = size == photo.sourceSize ? photo.ownJPEG : nil
        let jpeg = if let own { own } else { try image.encodedJPEG(quality: settings.jpegQuality, optimizeCoding: settings.jpegOptimizeCoding) }
        let webp = settings.formats.contains(.webp) ? try image.rgbImage().encoded(.webp(quality: settings.webpQuality)) : nil
        return EncodedImage(jpeg: jpeg, webp: webp)
    }
}
