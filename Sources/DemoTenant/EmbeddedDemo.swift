import AvatarSite
import Foundation
public import Logging
public import AvatarSiteContract

/// The demo tenant inside the tool: `kind: demo` starts one on loopback with the users
/// `source.demo` describes, and the build runs against it as against Graph, through the same
/// source and client code.
public enum EmbeddedDemo {
    /// The tenant site.yml's `source.demo` describes.
    public static func tenantConfiguration(for source: SourceConfiguration) -> DemoTenantConfiguration {
        var demo = DemoTenantConfiguration(userCount: source.demo.users, seed: source.demo.seed,
                                           latencyMilliseconds: source.demo.latencyMilliseconds)
        demo.clientSecret = UUID().uuidString
        demo.clientID = source.auth.clientID.isEmpty ? demo.clientID : source.auth.clientID
        demo.tenant = source.auth.tenant
        demo.hostileUsers = source.demo.hostileUsers
        demo.photos = source.demo.photos
        return demo
    }

    /// Starts the demo tenant and runs `body` with the configuration pointed at it (`kind:
    /// graph`, its URLs) and an environment that holds its client secret; stops it afterwards.
    public static func run<T: Sendable>(
        _ loaded: ConfigurationLoader.Loaded, logger: Logger,
        _ body: (ConfigurationLoader.Loaded, [String: String]) async throws -> T
    ) async throws -> T {
        let demo = tenantConfiguration(for: loaded.configuration.source)
        var serverLogger = logger
        // The embedded server logs its own shutdown as an error; only its crashes matter here.
        serverLogger.logLevel = .critical
        return try await DemoTenant(configuration: demo).withRunning(logger: serverLogger) { running in
            logger.info("demo tenant with \(demo.userCount) users listening on \(running.origin)")
            var pointed = loaded
            pointed.configuration.source.kind = .graph
            pointed.configuration.source.baseURL = running.baseURL
            pointed.configuration.source.auth.kind = .clientCredentials
            pointed.configuration.source.auth.tokenURL = running.tokenURL
            pointed.configuration.source.auth.clientID = demo.clientID
            pointed.configuration.source.auth.clientSecretEnv = "AVATAR_SITE_DEMO_SECRET"
            return try await body(pointed, ["AVATAR_SITE_DEMO_SECRET": demo.clientSecret])
        }
    }
}
