public import Foundation
public import Logging

/// A whole build from a loaded site.yml: the HTTP client, the token, the source and the pipeline.
public enum SiteBuild {
    /// Where to reach the directory, when it is not what site.yml says (the embedded demo tenant).
    public struct Endpoint: Sendable {
        public var baseURL: String
        public var tokenURL: String
        public var clientSecret: String

        public init(baseURL: String, tokenURL: String, clientSecret: String) {
            self.baseURL = baseURL
            self.tokenURL = tokenURL
            self.clientSecret = clientSecret
        }
    }

    /// Fields the initials are made from; asked for whatever site.yml lists.
    static let nameFields = ["displayName", "givenName", "surname", "mail", "userPrincipalName"]

    /// Runs a build.
    /// - Parameter endpoint: overrides the URLs and the secret (for `kind: demo`); nil reads the
    ///   secret from the environment variable site.yml names.
    /// - Throws: `BuildError` when the build could not run or had to stop.
    public static func run(_ loaded: ConfigurationLoader.Loaded, endpoint: Endpoint? = nil,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           options: BuildPipeline<GraphSource>.Options = .init(),
                           logger: Logger) async throws(BuildError) -> BuildReport {
        var configuration = loaded.configuration
        guard configuration.source.kind == .graph || endpoint != nil else {
            throw .configuration(ConfigurationError(
                keyPath: "source.kind", line: nil,
                reason: "'\(configuration.source.kind.rawValue)' is not supported by this version; use graph or demo",
                file: "site.yml"))
        }
        let secret: String
        if let endpoint {
            configuration.source.baseURL = endpoint.baseURL
            configuration.source.auth.tokenURL = endpoint.tokenURL
            secret = endpoint.clientSecret
        } else {
            let variable = configuration.source.auth.clientSecretEnv
            guard let value = environment[variable], !value.isEmpty else {
                throw .configuration(ConfigurationError(
                    keyPath: "source.auth.client_secret_env", line: nil,
                    reason: "the environment variable \(variable) holding the client secret is not set", file: "site.yml"))
            }
            secret = value
        }
        var fields = configuration.source.users.fields
        for field in nameFields + configuration.output.publicFields where !fields.contains(field) {
            fields.append(field)
        }
        configuration.source.users.fields = fields

        let client = APIClient(concurrency: configuration.source.concurrency,
                               timeoutSeconds: configuration.source.timeoutSeconds, logger: logger)
        let auth = configuration.source.auth
        let tokens = ClientCredentialsTokenProvider(
            credentials: .init(tokenURL: auth.effectiveTokenURL, clientID: auth.clientID, clientSecret: secret,
                               scope: auth.effectiveScope(baseURL: configuration.source.baseURL)),
            client: client, retry: RetryPolicy(retries: configuration.source.retries))
        let source = GraphSource(configuration: configuration.source, tokens: tokens, client: client, logger: logger)
        let pipeline = BuildPipeline(configuration: configuration, outputDirectory: loaded.outputDirectory, source: source,
                                     statistics: client.statistics, options: options, logger: logger)
        return try await withCleanup({ () async throws(BuildError) in try await pipeline.run() },
                                     cleanup: client.shutdown, what: "closing HTTP connections", logger: logger)
    }
}
