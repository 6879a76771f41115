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
        try container.require(UserID.isValid(tenant), .tenant, "'\(tenant)' is not a tenant id or domain")
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
