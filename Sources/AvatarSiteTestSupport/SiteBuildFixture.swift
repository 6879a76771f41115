public import AvatarSite
public import DemoTenant
public import Foundation
public import Logging

/// Builds a site against a demo tenant over real loopback HTTP, as `avatar-site build` does.
public struct SiteBuildFixture: Sendable {
    public static let logger: Logger = {
        var logger = Logger(label: "avatar-site-test") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["AVATAR_SITE_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

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

    /// Runs one build of `configuration` with the demo tenant's secret in its environment.
    public static func build(_ configuration: SiteConfiguration, demo: DemoTenantConfiguration,
                             options: BuildPipeline<GraphSource>.Options = .init()) async throws(BuildError) -> BuildReport {
        let loaded = ConfigurationLoader.Loaded(configuration: configuration,
                                                baseDirectory: URL(fileURLWithPath: configuration.output.dir))
        return try await SiteBuild.run(loaded, environment: ["AVATAR_SITE_TEST_SECRET": demo.clientSecret], options: options,
                                       logger: logger)
    }
}
