/// Everything site.yml says, with a default for every key.
public struct SiteConfiguration: Sendable, Equatable {
    public var source = SourceConfiguration()
    public var sizes: [PhotoSize] = PhotoSize.graphSizes
    public var formats: [OutputFormat] = [.jpeg]
    public var imaging = ImagingConfiguration()
    public var placeholder = PlaceholderConfiguration()
    public var output = OutputConfiguration()
    public var hosting = HostingConfiguration()
    public var page = PageConfiguration()

    public init() {}

    /// The largest configured size; `photo.jpg` of a placeholder user is drawn at it.
    public var largestSize: PhotoSize { sizes.max() ?? PhotoSize(side: 648) }
}

/// An image format the site is written in besides the always-present JPEG.
public enum OutputFormat: String, Decodable, Sendable, CaseIterable {
    case jpeg
    case webp
}

extension SiteConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case source, sizes, formats, imaging, placeholder, output, hosting, page
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        source = try container.decode(.source, default: SourceConfiguration())
        let sizes = try container.decode(.sizes, default: PhotoSize.graphSizes)
        try container.require(!sizes.isEmpty, .sizes, "at least one size is needed")
        try container.require(Set(sizes).count == sizes.count, .sizes, "a size is listed twice")
        self.sizes = sizes.sorted()
        var formats = try container.decode(.formats, default: [OutputFormat.jpeg])
        if !formats.contains(.jpeg) { formats.insert(.jpeg, at: 0) }
        self.formats = formats
        imaging = try container.decode(.imaging, default: ImagingConfiguration())
        placeholder = try container.decode(.placeholder, default: PlaceholderConfiguration())
        output = try container.decode(.output, default: OutputConfiguration())
        hosting = try container.decode(.hosting, default: HostingConfiguration())
        page = try container.decode(.page, default: PageConfiguration())
    }
}
