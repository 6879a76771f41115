/// A square avatar size such as `240x240`, as Graph names its HD photo sizes.
public struct PhotoSize: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let width: Int
    public let height: Int

    /// Graph's nine HD sizes, smallest first.
    public static let graphSizes: [PhotoSize] = [48, 64, 96, 120, 240, 360, 432, 504, 648].map { PhotoSize(side: $0) }

    /// The largest side a configured size may have; beyond it a typo (`2400x2400`) is more likely than intent.
    public static let maximumSide = 2048

    public init(side: Int) {
        self.width = side
        self.height = side
    }

    /// Parses `WxH`; avatars are square, so width and height must match.
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              width == height, (1...Self.maximumSide).contains(width)
        else { return nil }
        self.init(side: width)
    }

    public var side: Int { width }

    /// The file-name form, `240x240`.
    public var description: String { "\(width)x\(height)" }

    /// The id Graph gives a size's profilePhoto (`240X240`): in the metadata documents, the URLs
    /// Graph's own clients ask, and the state file's record of a source photo's size.
    public var profilePhotoID: String { "\(width)X\(height)" }

    public static func < (lhs: PhotoSize, rhs: PhotoSize) -> Bool { lhs.width < rhs.width }
}

extension PhotoSize: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let size = PhotoSize(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a square size such as 240x240 (sides 1 to \(Self.maximumSide))")
        }
        self = size
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
