/// `source:` — where the directory comes from and how hard to push it.
public struct SourceConfiguration: Sendable, Equatable {
    public var kind: Kind = .demo
    /// The API's root as site.yml gives it; nil takes the kind's default (`baseURL`).
    public var explicitBaseURL: String?
    public var auth = AuthConfiguration()
    public var users = UserQueryConfiguration()
    /// A CSV or JSON file of users, for sources that cannot list them (EWS, Outlook v2.0); for
    /// Graph it restricts the build to the users it names. Relative to the folder of site.yml.
    public var usersFile: String?
    public var ews = EWSConfiguration()
    public var upload = UploadConfiguration()
    /// Requests in flight at once: `auto`, or a fixed number.
    public var concurrency = ConcurrencySetting.auto
    /// The most `auto` grows to.
    public var maxConcurrency = 64
    public var timeoutSeconds = 30.0
    public var retries = 6
    /// The largest photo body accepted; Graph itself accepts uploads of up to 4 MB.
    public var maxPhotoBytes = 8 * 1024 * 1024
    public var demo = DemoConfiguration()

    public init() {}

    /// Graph's root, including the version segment (any national cloud works); Outlook's
    /// `https://outlook.office.com/api/v2.0`; for EWS, the `…/EWS/Exchange.asmx` URL.
    public var baseURL: String {
        get { explicitBaseURL ?? kind.settings.defaultBaseURL ?? "" }
        set { explicitBaseURL = newValue }
    }
}

extension SourceConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case baseURL = "base_url"
        case auth, users
        case usersFile = "users_file"
        case ews, upload, concurrency
        case maxConcurrency = "max_concurrency"
        case timeoutSeconds = "timeout_seconds"
        case retries
        case maxPhotoBytes = "max_photo_bytes"
        case demo
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(.kind, default: .demo)
        explicitBaseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
        try container.require(explicitBaseURL != nil || kind.settings.defaultBaseURL != nil, .kind,
                              "\(kind.rawValue) needs source.base_url, such as \(kind.settings.exampleBaseURL)")
        try container.require(HTTPEndpoint(baseURL) != nil, .baseURL,
                              "'\(baseURL)' is not an https:// URL (plain http is accepted for loopback hosts only)")
        auth = try container.decode(.auth, default: AuthConfiguration())
        users = try container.decode(.users, default: UserQueryConfiguration())
        usersFile = try container.decodeIfPresent(String.self, forKey: .usersFile)
        try container.require(usersFile.map { !$0.isEmpty } ?? true, .usersFile, "must name a file")
        try container.require(usersFile != nil || kind.settings.listsUsers, .kind,
                              "\(kind.rawValue) cannot list users: set source.users_file to a CSV or JSON file of them")
        ews = try container.decode(.ews, default: EWSConfiguration())
        upload = try container.decode(.upload, default: UploadConfiguration())
        concurrency = try container.decode(.concurrency, default: concurrency)
        maxConcurrency = try container.decode(.maxConcurrency, default: maxConcurrency)
        try container.require((1...256).contains(maxConcurrency), .maxConcurrency, "must be between 1 and 256")
        timeoutSeconds = try container.decode(.timeoutSeconds, default: timeoutSeconds)
        try container.require(timeoutSeconds > 0 && timeoutSeconds <= 600, .timeoutSeconds, "must be more than 0 and at most 600")
        retries = try container.decode(.retries, default: retries)
        try container.require((0...20).contains(retries), .retries, "must be between 0 and 20")
        maxPhotoBytes = try container.decode(.maxPhotoBytes, default: maxPhotoBytes)
        try container.require(maxPhotoBytes >= 1024, .maxPhotoBytes, "must be at least 1024")
        demo = try container.decode(.demo, default: DemoConfiguration())
    }
}
