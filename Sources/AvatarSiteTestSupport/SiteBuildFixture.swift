public import AvatarSite
public import DemoTenant
public import Foundation
public import Logging
public import AvatarSiteContract

/// Builds a site against a demo tenant over real loopback HTTP, as `avatar-site build` does.
public struct SiteBuildFixture: Sendable {
    public static let logger: Logger = {
        var logger = Logger(label: "avatar-site-test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["AVATAR_SITE_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    /// The photo APIs the demo tenant speaks.
    public enum Dialect: Sendable, CaseIterable, CustomStringConvertible {
        case graph, outlook, ewsREST, ewsSOAP

        public var description: String {
            switch self {
            case .graph: "graph"
            case .outlook: "outlook-v2"
            case .ewsREST: "ews (REST)"
            case .ewsSOAP: "ews (SOAP)"
            }
        }
    }

    /// A configuration pointed at `tenant` through the `graph` source kind.
    public static func configuration(for tenant: RunningDemoTenant, demo: DemoTenantConfiguration,
                                     outputDirectory: URL) -> SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.source.kind = .graph
        configuration.source.baseURL = tenant.baseURL
        configuration.source.auth.tokenURL = tenant.tokenURL
        configuration.source.auth.tenant = demo.tenant
        configuration.source.auth.clientID = demo.clientID
        configuration.source.auth.clientSecretEnv = "AVATAR_SITE_TEST_SECRET"
        configuration.output.dir = outputDirectory.path
        return configuration
    }

    /// A configuration pointed at `tenant` in `dialect`; the mailbox dialects read their users
    /// from `usersFile` (the tenant's `usersFileCSV()`, written by the caller).
    public static func configuration(for tenant: RunningDemoTenant, demo: DemoTenantConfiguration, outputDirectory: URL,
                                     dialect: Dialect, usersFile: URL?) -> SiteConfiguration {
        var configuration = configuration(for: tenant, demo: demo, outputDirectory: outputDirectory)
        configuration.source.usersFile = usersFile?.path
        switch dialect {
        case .graph:
            break
        case .outlook:
            configuration.source.kind = .outlookV2
            configuration.source.baseURL = tenant.outlookBaseURL
        case .ewsREST, .ewsSOAP:
            configuration.source.kind = .ews
            configuration.source.baseURL = tenant.ewsURL
            configuration.source.ews.api = dialect == .ewsREST ? .rest : .soap
        }
        return configuration
    }

    /// Runs one build of `configuration` with the demo tenant's secret in its environment.
    public static func build(_ configuration: SiteConfiguration, demo: DemoTenantConfiguration,
                             options: BuildOptions = .init()) async throws(BuildError) -> BuildReport {
        let loaded = ConfigurationLoader.Loaded(configuration: configuration,
                                                baseDirectory: URL(fileURLWithPath: configuration.output.dir))
        return try await SiteBuild.run(loaded, environment: environment(for: demo), options: options, logger: logger)
    }

    /// The environment a build against `demo` reads its secrets from.
    public static func environment(for demo: DemoTenantConfiguration) -> [String: String] {
        ["AVATAR_SITE_TEST_SECRET": demo.clientSecret, "AVATAR_SITE_TEST_USER": demo.basicUsername,
         "AVATAR_SITE_TEST_PASSWORD": demo.basicPassword]
    }
}
