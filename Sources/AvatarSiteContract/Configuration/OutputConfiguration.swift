/// `imaging:` — encoder settings and the limits that keep hostile photos out.
public struct ImagingConfiguration: Sendable, Equatable {
    public var jpegQuality = 85
    public var webpQuality = 80
    /// Photos whose header claims more pixels than this are refused before decoding.
    public var maxPixels = 25_000_000

    public init() {}
}

extension ImagingConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case jpegQuality = "jpeg_quality"
        case webpQuality = "webp_quality"
        case maxPixels = "max_pixels"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jpegQuality = try container.decode(.jpegQuality, default: jpegQuality)
        try container.require((1...100).contains(jpegQuality), .jpegQuality, "must be between 1 and 100")
        webpQuality = try container.decode(.webpQuality, default: webpQuality)
        try container.require((1...100).contains(webpQuality), .webpQuality, "must be between 1 and 100")
        maxPixels = try container.decode(.maxPixels, default: maxPixels)
        try container.require((1...100_000_000).contains(maxPixels), .maxPixels, "must be between 1 and 100000000")
    }
}

/// `output:` — where the site goes and what of the directory it may show.
public struct OutputConfiguration: Sendable, Equatable {
    /// Relative paths are taken from the folder that holds site.yml.
    public var dir = "output"
    public var publicFields = ["displayName", "jobTitle", "department", "officeLocation", "mail"]
    public var page = true
    public var maxDeletions = DeletionLimit.percent(5)
    /// Where the build keeps its state, lock and staging area; nil: `.avatar-site/` inside
    /// `dir`. It must be on the same file system as `dir`.
    public var stateDir: String?
    /// The addresses that also name a user in the site's URLs (`/users/{upn}/photo`), as Graph
    /// accepts them: the host configs map them to ids; no image is copied.
    public var aliases: [AliasField] = []
    /// Where each build writes its Prometheus metrics (for node_exporter's textfile collector);
    /// nil: none. Relative paths are taken from the folder that holds site.yml.
    public var metricsFile: String?

    public init() {}
}

/// A directory field whose lower-cased value may stand for the user's id in a URL.
public enum AliasField: String, Decodable, Sendable, CaseIterable {
    case userPrincipalName
    case mail
}

extension OutputConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case dir
        case publicFields = "public_fields"
        case page
        case maxDeletions = "max_deletions"
        case stateDir = "state_dir"
        case aliases
        case metricsFile = "metrics_file"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dir = try container.decode(.dir, default: dir)
        try container.require(!dir.isEmpty, .dir, "must name a folder")
        // A control character in a folder's name is a mistake or an attack, and without
        // hosting.root the folder's path is written into the host configs.
        if let problem = GeneratedFileValue.problem(with: dir, in: [.line]) { try container.require(false, .dir, problem) }
        publicFields = try container.decode(.publicFields, default: publicFields)
        try container.require(publicFields.allSatisfy(UserQueryConfiguration.isFieldName), .publicFields,
                              "field names are letters and digits only")
        let reserved = publicFields.filter(UserEntryKeys.reserved.contains)
        try container.require(reserved.isEmpty, .publicFields,
                              "\(reserved.joined(separator: ", ")) is written by the tool itself; do not list it")
        page = try container.decode(.page, default: page)
        maxDeletions = try container.decode(.maxDeletions, default: maxDeletions)
        stateDir = try container.decodeIfPresent(String.self, forKey: .stateDir)
        try container.require(stateDir.map { !$0.isEmpty } ?? true, .stateDir, "must name a folder")
        if let problem = stateDir.flatMap({ GeneratedFileValue.problem(with: $0, in: [.line]) }) {
            try container.require(false, .stateDir, problem)
        }
        aliases = try container.decode(.aliases, default: aliases)
        try container.require(Set(aliases).count == aliases.count, .aliases, "a field is listed twice")
        metricsFile = try container.decodeIfPresent(String.self, forKey: .metricsFile)
        try container.require(metricsFile.map { !$0.isEmpty && !$0.hasSuffix("/") } ?? true, .metricsFile, "must name a file")
        if let problem = metricsFile.flatMap({ GeneratedFileValue.problem(with: $0, in: [.line]) }) {
            try container.require(false, .metricsFile, problem)
        }
    }
}
