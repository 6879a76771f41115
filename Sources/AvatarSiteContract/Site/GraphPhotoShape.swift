/// Graph's photo URLs below `/users/{user}/`, and the file of the user's folder that answers
/// each. The one table of them: `serve` matches requests with it, and the nginx maps and
/// location, the Pages rules and the hosting checks are generated from it.
///
///     photo                  photo.json
///     photo/$value           photo.jpg
///     photos                 photos.json
///     photos/{W}x{H}         photos/{W}x{H}.json   (x or X in the URL, x in the file)
///     photos/{W}x{H}/$value  photos/{W}x{H}.jpg
///
/// A size no file has (`photos/50x50`) still names a file; that it is missing makes the 404.
public struct GraphPhotoShape: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case literal(String)
        /// `{W}x{H}`, digits, `x` or `X`.
        case size
    }

    /// The URL's segments after `/users/{user}/`.
    public let segments: [Segment]
    /// The file, relative to the user's folder, with `{size}` for the size as `WxH`.
    public let file: String
    public let mediaType: String

    public static let all: [GraphPhotoShape] = [
        GraphPhotoShape([.literal("photo")], file: "photo.json", mediaType: MediaType.json),
        GraphPhotoShape([.literal("photo"), .literal("$value")], file: "photo.jpg", mediaType: MediaType.jpeg),
        GraphPhotoShape([.literal("photos")], file: "photos.json", mediaType: MediaType.json),
        GraphPhotoShape([.literal("photos"), .size], file: "photos/{size}.json", mediaType: MediaType.json),
        GraphPhotoShape([.literal("photos"), .size, .literal("$value")], file: "photos/{size}.jpg", mediaType: MediaType.jpeg),
    ]

    init(_ segments: [Segment], file: String, mediaType: String) {
        self.segments = segments
        self.file = file
        self.mediaType = mediaType
    }

    public var hasSize: Bool { segments.contains(.size) }

    /// The URL tail with `size` (as the URL writes it: `48x48` or `48X48`) for the size.
    public func path(size: String = "") -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .size: size
            }
        }.joined(separator: "/")
    }

    /// The file with `size` (`48x48`) for the size.
    public func file(size: String) -> String {
        file.replacingSize(with: size)
    }

    /// The file for the URL's segments after `/users/{user}/`, or nil when they are no photo URL.
    /// Compared byte for byte, as nginx compares.
    public static func file(for segments: ArraySlice<String>) -> String? {
        for shape in all where shape.segments.count == segments.count {
            var size: String?
            let matches = zip(shape.segments, segments).allSatisfy { expected, actual in
                switch expected {
                case .literal(let text):
                    return actual.utf8.elementsEqual(text.utf8)
                case .size:
                    size = sizeName(actual)
                    return size != nil
                }
            }
            if matches { return shape.file(size: size ?? "") }
        }
        return nil
    }

    /// `48x48` for `48x48` or `48X48`; the digits as written, so `048x48` names a file no site has.
    static func sizeName(_ text: String) -> String? {
        let parts = text.utf8.split(omittingEmptySubsequences: false) { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }) else { return nil }
        return "\(String(decoding: parts[0], as: UTF8.self))x\(String(decoding: parts[1], as: UTF8.self))"
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

extension String {
    func replacingSize(with size: String) -> String {
        replacing("{size}", with: size)
    }
}

/// The media types of the site's files, as every host must send them.
public enum MediaType {
    public static let json = "application/json"
    public static let jpeg = "image/jpeg"
}
