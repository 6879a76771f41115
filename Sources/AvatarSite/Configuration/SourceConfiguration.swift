/// `source:` — where the directory comes from and how hard to push it.
public struct SourceConfiguration: Sendable, Equatable {
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case graph
        case outlookV2 = "outlook-v2"
        case ews
        case demo
    }

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
    /// The limiter every request of a run passes through, as this configuration asks.
    public func makeLimiter() -> ConcurrencyLimiter {
        switch concurrency {
        case .auto: ConcurrencyLimiter(adaptiveFrom: ConcurrencySetting.autoStart, upTo: max(maxConcurrency, 1))
        case .fixed(let count): ConcurrencyLimiter(fixed: count)
        }
    }

    /// The largest photo body accepted; Graph itself accepts uploads of up to 4 MB.
    public var maxPhotoBytes = 8 * 1024 * 1024
    public var demo = DemoConfiguration()

    public init() {}

    /// Graph's root, including the version segment (any national cloud works); Outlook's
    /// `https://outlook.office.com/api/v2.0`; for EWS, the `…/EWS/Exchange.asmx` URL.
    public var baseURL: String {
        get { explicitBaseURL ?? Self.defaultBaseURL(for: kind) ?? "" }
        set { explicitBaseURL = newValue }
    }

    static func defaultBaseURL(for kind: Kind) -> String? {
        switch kind {
        case .graph, .demo: "https://graph.microsoft.com/v1.0"
        case .outlookV2: "https://outlook.office.com/api/v2.0"
        case .ews: nil
        }
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
        try container.require(explicitBaseURL != nil || kind != .ews, .kind,
                              "ews needs source.base_url, the EWS URL such as https://mail.contoso.com/EWS/Exchange.asmx")
        try container.require(HTTPEndpoint(baseURL) != nil, .baseURL,
                              "'\(baseURL)' is not an https:// URL (plain http is accepted for loopback hosts only)")
        auth = try container.decode(.auth, default: AuthConfiguration())
        users = try container.decode(.users, default: UserQueryConfiguration())
        usersFile = try container.decodeIfPresent(String.self, forKey: .usersFile)
        try container.require(usersFile.map { !$0.isEmpty } ?? true, .usersFile, "must name a file")
        try container.require(usersFile != nil || (kind != .ews && kind != .outlookV2), .kind,
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

/// `source.auth:` — OAuth2 client credentials (Entra ID), HTTP basic (Exchange on premises) or a
/// bearer token obtained elsewhere. Secrets never live in the file: it names environment variables.
public struct AuthConfiguration: Sendable, Equatable {
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case clientCredentials = "client_credentials"
        case basic
        case bearer
    }

    public var kind: Kind = .clientCredentials
    public var tenant = "contoso.onmicrosoft.com"
    public var clientID = ""
    /// The environment variable that holds the client secret.
    public var clientSecretEnv = "AVATAR_SITE_CLIENT_SECRET"
    /// For `basic`: the variables holding the user name and the password.
    public var usernameEnv = "AVATAR_SITE_USERNAME"
    public var passwordEnv = "AVATAR_SITE_PASSWORD"
    /// For `bearer`: the variable holding the access token.
    public var tokenEnv = "AVATAR_SITE_TOKEN"
    /// The Entra ID authority; national clouds have their own.
    public var authority = "https://login.microsoftonline.com"
    /// Explicit token endpoint; by default `{authority}/{tenant}/oauth2/v2.0/token`.
    public var tokenURL: String?
    /// Explicit scope; by default `{scheme}://{host of base_url}/.default`.
    public var scope: String?

    public init() {}

    static func isVariableName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("=") && !name.contains(where: \.isWhitespace)
    }

    /// The token endpoint in effect.
    public var effectiveTokenURL: String {
        tokenURL ?? "\(authority.trimmingSuffix("/"))/\(tenant)/oauth2/v2.0/token"
    }

    /// The scope in effect for a source at `baseURL`.
    public func effectiveScope(baseURL: String) -> String {
        if let scope { return scope }
        guard let endpoint = HTTPEndpoint(baseURL) else { return "https://graph.microsoft.com/.default" }
        return "\(endpoint.origin)/.default"
    }
}

extension AuthConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, tenant
        case clientID = "client_id"
        case clientSecretEnv = "client_secret_env"
        case usernameEnv = "username_env"
        case passwordEnv = "password_env"
        case tokenEnv = "token_env"
        case authority
        case tokenURL = "token_url"
        case scope
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(.kind, default: .clientCredentials)
        tenant = try container.decode(.tenant, default: tenant)
        try container.require(PathSegment.isSafe(tenant), .tenant, "'\(tenant)' is not a tenant id or domain")
        clientID = try container.decode(.clientID, default: clientID)
        for (key, keyPath) in [(CodingKeys.clientSecretEnv, \Self.clientSecretEnv), (.usernameEnv, \.usernameEnv),
                               (.passwordEnv, \.passwordEnv), (.tokenEnv, \.tokenEnv)] {
            let name = try container.decode(key, default: self[keyPath: keyPath])
            try container.require(Self.isVariableName(name), key,
                                  "must name an environment variable (the secret itself never goes in site.yml)")
            self[keyPath: keyPath] = name
        }
        authority = try container.decode(.authority, default: authority)
        try container.require(HTTPEndpoint(authority) != nil, .authority, "'\(authority)' is not an https:// URL")
        tokenURL = try container.decodeIfPresent(String.self, forKey: .tokenURL)
        if let tokenURL {
            try container.require(HTTPEndpoint(tokenURL) != nil, .tokenURL, "'\(tokenURL)' is not an https:// URL")
        }
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
    }
}

/// `source.users:` — which users to list and which of their fields to ask for.
public struct UserQueryConfiguration: Sendable, Equatable {
    public var filter: String? = "accountEnabled eq true"
    public var fields = ["id", "displayName", "givenName", "surname", "userPrincipalName", "mail",
                         "jobTitle", "department", "officeLocation"]
    /// `$top` of each listing page; Graph's maximum for users is 999.
    public var pageSize = 999
    /// The most users a listing may hold; past it, a server linking page after page forever
    /// is assumed, and the night stops with nothing changed.
    public var limit = 2_000_000

    public init() {}
}

extension UserQueryConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case filter, fields
        case pageSize = "page_size"
        case limit
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.filter) {
            let filter = try container.decodeIfPresent(String.self, forKey: .filter)
            self.filter = (filter?.isEmpty ?? true) ? nil : filter
        }
        var fields = try container.decode(.fields, default: fields)
        try container.require(fields.allSatisfy(Self.isFieldName), .fields, "field names are letters and digits only")
        if !fields.contains("id") { fields.insert("id", at: 0) }
        self.fields = fields
        pageSize = try container.decode(.pageSize, default: pageSize)
        try container.require((1...999).contains(pageSize), .pageSize, "must be between 1 and 999")
        limit = try container.decode(.limit, default: limit)
        try container.require(limit >= 1, .limit, "must be at least 1")
    }

    static func isFieldName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

/// `source.ews:` — how to speak Exchange Web Services.
public struct EWSConfiguration: Sendable, Equatable {
    public enum API: String, Decodable, Sendable, CaseIterable {
        /// `GET …/s/GetUserPhoto?email=…&size=…`, with `If-None-Match` answered `304`.
        case rest
        /// The SOAP `GetUserPhoto` operation.
        case soap
    }

    public var api = API.rest

    public init() {}
}

extension EWSConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case api
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        api = try container.decode(.api, default: .rest)
    }
}

/// `source.upload:` — how `avatar-site upload` sets photos.
public struct UploadConfiguration: Sendable, Equatable {
    public enum Method: String, Decodable, Sendable, CaseIterable {
        case put, patch
    }

    /// Graph takes `PUT` and `PATCH` alike on `…/photo/$value`; the Outlook API always gets `PATCH`.
    public var method = Method.put

    public init() {}
}

extension UploadConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case method
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        method = try container.decode(.method, default: .put)
    }
}

/// `source.demo:` — the embedded demo tenant's knobs, used when `kind: demo`.
public struct DemoConfiguration: Sendable, Equatable {
    public var users = 120
    public var latencyMilliseconds = 0
    public var seed: UInt64 = 2026
    /// Adds users built to attack the tool (path-like ids, script tags, broken and bomb photos).
    public var hostileUsers = false
    /// False: nobody has a photo, so every user is a placeholder and a large directory builds fast.
    public var photos = true

    public init() {}
}

extension DemoConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case users
        case latencyMilliseconds = "latency_ms"
        case seed
        case hostileUsers = "hostile_users"
        case photos
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decode(.users, default: users)
        try container.require((0...1_000_000).contains(users), .users, "must be between 0 and 1000000")
        latencyMilliseconds = try container.decode(.latencyMilliseconds, default: latencyMilliseconds)
        try container.require((0...10_000).contains(latencyMilliseconds), .latencyMilliseconds, "must be between 0 and 10000")
        seed = try container.decode(.seed, default: seed)
        hostileUsers = try container.decode(.hostileUsers, default: hostileUsers)
        photos = try container.decode(.photos, default: photos)
    }
}
