public import Foundation
public import AvatarSiteContract

/// The one place that makes a directory source from `source.kind`: the build, the benchmarks
/// and the tests all get their source here. Everything that can be wrong before a request (a
/// users file, a secret's variable) is found here, as a `ConfigurationError`.
public enum SourceFactory {
    /// - Parameters:
    ///   - configuration: the whole site configuration (the sizes decide what EWS asks for).
    ///   - baseDirectory: the folder relative paths (`source.users_file`) are taken from.
    ///   - environment: where secrets are read from.
    public static func make(_ configuration: SiteConfiguration, baseDirectory: URL, environment: [String: String],
                            client: APIClient) throws(ConfigurationError) -> any DirectorySource {
        let retry = RetryPolicy(retries: configuration.source.retries)
        return try make(configuration, baseDirectory: baseDirectory,
                        credentials: try credentials(configuration.source, environment: environment, client: client, retry: retry),
                        client: client, retry: retry)
    }

    /// A source with credentials already read (`avatar-site check` reads them as a step of its own).
    package static func make(_ configuration: SiteConfiguration, baseDirectory: URL, credentials: Credentials, client: APIClient,
                     retry: RetryPolicy) throws(ConfigurationError) -> any DirectorySource {
        let source = configuration.source
        let http = AuthorizedClient(client: client, credentials: credentials, retry: retry)
        return source.kind.implementation.makeSource(configuration, http: http, users: try usersFile(source, baseDirectory: baseDirectory))
    }

    /// A source that can set photos (`avatar-site upload`), for kinds that can.
    public static func makeWriter(_ configuration: SiteConfiguration, baseDirectory: URL, environment: [String: String],
                                  client: APIClient) throws(ConfigurationError) -> any PhotoWritingSource {
        let source = configuration.source
        let retry = RetryPolicy(retries: source.retries)
        let http = AuthorizedClient(client: client, credentials: try credentials(source, environment: environment, client: client,
                                                                                 retry: retry),
                                    retry: retry)
        return try source.kind.implementation.makeWriter(configuration, http: http) { () throws(ConfigurationError) in
            try usersFile(source, baseDirectory: baseDirectory)
        }
    }

    /// The users of `source.users_file`, if it names one (relative to site.yml's folder).
    static func usersFile(_ source: SourceConfiguration, baseDirectory: URL) throws(ConfigurationError) -> [DirectoryUser]? {
        try source.usersFile.map { (path) throws(ConfigurationError) in
            try UsersFile.read(path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path))
        }
    }

    /// The credentials `source.auth` names, read from the environment.
    package static func credentials(_ source: SourceConfiguration, environment: [String: String], client: APIClient,
                            retry: RetryPolicy) throws(ConfigurationError) -> Credentials {
        let auth = source.auth
        func value(_ variable: String, _ key: String, _ what: String) throws(ConfigurationError) -> String {
            guard let value = environment[variable], !value.isEmpty else {
                throw ConfigurationError(keyPath: "source.auth.\(key)", line: nil,
                                         reason: "the environment variable \(variable) holding \(what) is not set", file: "site.yml")
            }
            return value
        }
        switch auth.kind {
        case .clientCredentials:
            let secret = try value(auth.clientSecretEnv, "client_secret_env", "the client secret")
            return .clientCredentials(ClientCredentialsTokenProvider(
                credentials: .init(tokenURL: auth.effectiveTokenURL, clientID: auth.clientID, clientSecret: secret,
                                   scope: auth.effectiveScope(baseURL: source.baseURL)),
                client: client, retry: retry))
        case .basic:
            return .basic(username: try value(auth.usernameEnv, "username_env", "the user name"),
                          password: try value(auth.passwordEnv, "password_env", "the password"))
        case .bearer:
            return .bearer(try value(auth.tokenEnv, "token_env", "the access token"))
        }
    }
}

/// A source restricted to the users of a users file: Graph lists everyone, and only those the
/// file names (by id, user principal name or mail, in any case) are built.
struct RestrictedSource: DirectorySource {
    let base: any DirectorySource
    let keys: Set<String>
    let addresses: Set<String>

    init(_ base: any DirectorySource, to users: [DirectoryUser]) {
        self.base = base
        self.keys = Set(users.map(\.id))
        self.addresses = Set(users.compactMap { $0.mail?.lowercased() })
    }

    var batchSize: Int? { base.batchSize }

    func userPages() -> UserPages {
        let (keys, addresses) = (self.keys, self.addresses)
        return base.userPages().filter { user in
            keys.contains(user.id) || [user.mail, user.userPrincipalName].contains { $0.map { addresses.contains($0.lowercased()) } ?? false }
        }
    }

    func photoMetadata(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoMetadata?, SourceError>] {
        try await base.photoMetadata(of: users)
    }

    func photoBytes(of users: [DirectoryUser]) async throws(SourceError) -> [String: Result<PhotoBytes, SourceError>] {
        try await base.photoBytes(of: users)
    }

    func photos(for requests: [PhotoRequest]) async throws(SourceError) -> [String: Result<PhotoAnswer, SourceError>] {
        try await base.photos(for: requests)
    }
}
