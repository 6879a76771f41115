public import Foundation

/// Turns a downloaded photo into every configured size: one header check, one decode, a centred
/// square crop, then each size resampled and encoded.
public struct PhotoRenderer: Sendable {
    public let settings: RenderSettings

    public init(settings: RenderSettings) {
        self.settings = settings
    }

    public func render(_ data: Data) throws(ImagingError) -> AvatarImages {
        let header = try ImageHeader(reading: data)
        guard header.pixelCount <= settings.maxPixels else {
            throw ImagingError(.tooManyPixels,
                               "the image claims \(header.width)x\(header.height) pixels, over the limit of \(settings.maxPixels)")
        }
        let decoded = try GDImage(decoding: data, format: header.format)
        // PNG, GIF and WebP may be see-through; JPEG never is and keeps its pixels as they are.
        let square = try decoded.squared(over: settings.matte, flatten: header.format != .jpeg)
        let sourceSize = PhotoSize(side: square.width)

        var bySize = [PhotoSize: EncodedImage]()
        for size in settings.sizes {
            bySize[size] = try settings.encode(try square.resized(toSide: size.side))
        }
        let largest: EncodedImage
        if let same = bySize[sourceSize] {
            largest = same
        } else {
            largest = try settings.encode(square)
        }
        return AvatarImages(bySize: bySize, largest: largest, sourceSize: sourceSize, isPlaceholder: false)
    }
}
