public import Foundation

/// Why a photo could not be turned into avatars.
public struct ImagingError: LocalizedError, Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The bytes are not a JPEG, PNG, GIF or WebP image.
        case unknownFormat = "unknown_format"
        /// The header claims more pixels than `imaging.max_pixels`.
        case tooManyPixels = "too_many_pixels"
        /// libgd could not decode it, or decoded it only with warnings (a truncated JPEG).
        case corrupt
        /// libgd failed to allocate, encode or draw.
        case gd
        /// No installed font can draw the text.
        case font
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var errorDescription: String? { message }
}
