public import Foundation
public import AvatarSiteContract

/// One avatar image in every format the site is written in.
public struct EncodedImage: Sendable, Equatable {
    public var jpeg: Data
    public var webp: Data?
    /// A PNG with transparent corners, for circular placeholders.
    public var png: Data?

    public init(jpeg: Data, webp: Data? = nil, png: Data? = nil) {
        self.jpeg = jpeg
        self.webp = webp
        self.png = png
    }
}

/// Everything a user's folder shows: each configured size, and the largest image (`photo.jpg`).
public struct AvatarImages: Sendable {
    public var bySize: [PhotoSize: EncodedImage]
    /// `photo.jpg`: the photo at its own (square) size, or the placeholder at the largest size.
    public var largest: EncodedImage
    /// The side of the square the photo really had, before any resizing.
    public var sourceSize: PhotoSize
    public var isPlaceholder: Bool

    public init(bySize: [PhotoSize: EncodedImage], largest: EncodedImage, sourceSize: PhotoSize, isPlaceholder: Bool) {
        self.bySize = bySize
        self.largest = largest
        self.sourceSize = sourceSize
        self.isPlaceholder = isPlaceholder
    }
}

/// The encoder settings and sizes every image of a build is made with.
public struct RenderSettings: Sendable {
    public var sizes: [PhotoSize]
    public var formats: [OutputFormat]
    public var jpegQuality: Int
    public var webpQuality: Int
    public var maxPixels: Int
    /// What shows through transparent parts of a photo.
    public var matte = RGBColor(red: 255, green: 255, blue: 255)
    /// Optimised Huffman tables: smaller files for a little more CPU (see README).
    public var jpegOptimizeCoding = false
    /// How much larger an image must be to make a smaller size from it (see `ResizeSchedule`).
    public var cascadeRatio = ResizeSchedule.defaultCascadeRatio
    /// JPEG photos resized in their own Y, Cb and Cr planes (see `PhotoRenderer.renderPlanar`);
    /// off, every photo takes libgd's RGB path (for comparing the two).
    public var resizesJPEGInPlanes = true

    public init(configuration: SiteConfiguration) {
        sizes = configuration.sizes
        formats = configuration.formats
        jpegQuality = configuration.imaging.jpegQuality
        webpQuality = configuration.imaging.webpQuality
        maxPixels = configuration.imaging.maxPixels
    }

    /// `image` in every output format; `jpeg`, when given, is used as its JPEG.
    func encode(_ image: GDImage, jpeg given: Data? = nil) throws(ImagingError) -> EncodedImage {
        let jpeg = try given ?? image.encoded(.jpeg(quality: jpegQuality, optimizeCoding: jpegOptimizeCoding))
        let webp = formats.contains(.webp) ? try image.encoded(.webp(quality: webpQuality)) : nil
        return EncodedImage(jpeg: jpeg, webp: webp)
    }

    /// A circle: the JPEG with `corners` painted outside it, the PNG (and WebP) transparent there.
    func encodeCircle(_ image: GDImage, corners: RGBColor) throws(ImagingError) -> EncodedImage {
        let transparent = try image.copied()
        transparent.clearOutsideCircle()
        let png = try transparent.encoded(.png)
        let webp = formats.contains(.webp) ? try transparent.encoded(.webp(quality: webpQuality)) : nil
        image.fillOutsideCircle(color: corners)
        return EncodedImage(jpeg: try image.encoded(.jpeg(quality: jpegQuality, optimizeCoding: jpegOptimizeCoding)), webp: webp, png: png)
    }
}
