public import Foundation
import AvatarSiteContract
import AvatarSiteImaging

/// A photo ready to go up: the bytes to send (the file's own, or, with `--fit`, re-encoded) and
/// what the checks noticed.
public struct PreparedPhoto: Sendable {
    public var data: Data
    /// Whether `data` was made by `--fit` rather than read from the file.
    public var fitted: Bool
    public var contentType: String
    public var width: Int
    public var height: Int
    /// SHA-256 of `data`: what the upload state records, to know a file already sent.
    public var digest: String
    /// Things worth knowing that do not stop the upload (a photo that is not square).
    public var warnings: [String]
}

/// The checks every file passes before anything is sent, and `--fit`, which makes a photo pass:
/// the bytes must be a JPEG or PNG (by their magic bytes, then by really decoding them), at least
/// 48x48, at most `imaging.max_pixels`, and at most the 4 MB the service accepts.
public struct PhotoPreparation: Sendable {
    /// The service's limit on a photo's bytes.
    public static let maxBytes = 4 * 1024 * 1024
    /// Files larger than this are not even read: no photo is, and `--fit` has nothing to fit.
    public static let maxFileBytes = 64 * 1024 * 1024
    public static let minimumSide = 48

    /// `--fit`: turned upright by its EXIF orientation, cropped to a centred square, scaled down
    /// to at most `maxSide`, re-encoded as JPEG under `maxBytes`.
    public struct Fit: Sendable {
        public var maxSide: Int
        public var quality: Int

        public init(maxSide: Int = 648, quality: Int = 85) {
            self.maxSide = maxSide
            self.quality = quality
        }
    }

    public var maxPixels: Int
    public var fit: Fit?

    public init(maxPixels: Int, fit: Fit?) {
        self.maxPixels = maxPixels
        self.fit = fit
    }

    public func prepare(_ data: Data) throws(UploadRefusal) -> PreparedPhoto {
        guard let format = ImageFormat(sniffing: data), format == .jpeg || format == .png else {
            throw UploadRefusal(.notAnImage, "the bytes are not a JPEG or PNG image")
        }
        let header: ImageHeader
        do {
            header = try ImageHeader(reading: data)
        } catch {
            throw UploadRefusal(.corrupt, error.message)
        }
        guard header.pixelCount <= maxPixels else {
            throw UploadRefusal(.tooManyPixels, "\(header.width)x\(header.height) is more than \(maxPixels) pixels")
        }
        let decoded: GDImage
        do {
            decoded = try GDImage(decoding: data, format: format)
        } catch {
            throw UploadRefusal(.corrupt, error.message)
        }
        guard min(decoded.width, decoded.height) >= Self.minimumSide else {
            throw UploadRefusal(.tooSmall, "\(decoded.width)x\(decoded.height) is smaller than \(Self.minimumSide)x\(Self.minimumSide)")
        }
        if let fit {
            return try fitted(decoded, orientation: format == .jpeg ? EXIFOrientation.of(data) : 1, fit: fit)
        }
        guard data.count <= Self.maxBytes else {
            throw UploadRefusal(.tooLarge, "\(data.count) bytes is more than the \(Self.maxBytes) the service accepts (--fit makes it fit)")
        }
        var warnings = [String]()
        if decoded.width != decoded.height {
            warnings.append("not square (\(decoded.width)x\(decoded.height)): the service crops it; --fit crops it to the centre")
        }
        if format == .jpeg, EXIFOrientation.of(data) != 1 {
            warnings.append("turned by its EXIF orientation, which not every client applies; --fit stores it upright")
        }
        return PreparedPhoto(data: data, fitted: false, contentType: format.mediaType, width: decoded.width, height: decoded.height,
                             digest: Self.digest(data), warnings: warnings)
    }

    private func fitted(_ decoded: GDImage, orientation: Int, fit: Fit) throws(UploadRefusal) -> PreparedPhoto {
        let image: GDImage
        do throws(ImagingError) {
            let square = try decoded.oriented(orientation).squared(over: RGBColor(red: 255, green: 255, blue: 255), flatten: true)
            let side = min(square.width, fit.maxSide)
            image = side == square.width ? square
                : try Resampler.resize(Resampler.FloatImage(square), toSide: side, filter: ResizeSchedule.filter,
                                       keepingFloats: false).image
        } catch {
            throw UploadRefusal(.corrupt, error.message)
        }
        // At 648 px a JPEG is far under the limit; a large --max-size may need a lower quality.
        for quality in [fit.quality] + Array(stride(from: fit.quality - 10, through: 30, by: -10)) {
            guard let jpeg = try? image.encoded(.jpeg(quality: quality)) else { continue }
            if jpeg.count <= Self.maxBytes {
                return PreparedPhoto(data: jpeg, fitted: true, contentType: "image/jpeg", width: image.width, height: image.height,
                                     digest: Self.digest(jpeg), warnings: [])
            }
        }
        throw UploadRefusal(.tooLarge, "no JPEG of \(image.width)x\(image.height) fits in \(Self.maxBytes) bytes; lower --max-size")
    }

    static func digest(_ data: Data) -> String {
        MediaETag.hexDigest(data)
    }
}
