public import Foundation
public import Logging
public import AvatarSiteContract
import AvatarSiteSources

/// A whole build from a loaded site.yml: the HTTP client, the source and the pipeline.
public enum SiteBuild {
    /// Fields the initials are made from; asked for whatever site.yml lists.
    static let nameFields = ["displayName", "givenName", "surname", "mail", "userPrincipalName"]

    /// Runs a build.
    /// - Parameter environment: where the secrets site.yml names are read from.
    /// - Throws: `BuildError` when the build could not run or had to stop.
    public static func run(_ loaded: ConfigurationLoader.Loaded,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           options: BuildOptions = BuildOptions(), logger: Logger) async throws(BuildError) -> BuildReport {
        var configuration = askingForBuildFields(loaded.configuration)
        configuration.page = configuration.page.resolvingPaths(against: loaded.baseDirectory)
        let client = APIClient(source: configuration.source, logger: logger)
        let started = ContinuousClock.now
        do {
            return try await build(configuration, loaded, client: client, environment: environment, options: options, logger: logger)
        } catch {
            throw error.reporting(client.statistics.snapshot, seconds: (ContinuousClock.now - started).seconds,
                                  peakMemoryBytes: BuildPipeline.peakMemoryBytes())
        }
    }

    private static func build(_ configuration: SiteConfiguration, _ loaded: ConfigurationLoader.Loaded, client: APIClient,
                              environment: [String: String], options: BuildOptions,
                              logger: Logger) async throws(BuildError) -> BuildReport {
        try await withCleanup({ () async throws(BuildError) in
            let source: any DirectorySource
            do throws(ConfigurationError) {
                source = try SourceFactory.make(configuration, baseDirectory: loaded.baseDirectory, environment: environment,
                                                client: client)
            } catch {
                throw .configuration(error)
            }
            let pipeline = BuildPipeline(configuration: configuration, layout: loaded.layout, source: source,
                                         statistics: client.statistics, limiter: client.limiter, options: options, logger: logger)
            return try await pipeline.run()
        }, cleanup: client.shutdown, what: "closing HTTP connections", logger: logger)
    }

    /// The configuration with the listing asking for every field the build reads: the name
    /// fields initials come from and `output.public_fields`, whatever `source.users.fields` lists.
    static func askingForBuildFields(_ configuration: SiteConfiguration) -> SiteConfiguration {
        var configuration = configuration
        var fields = configuration.source.users.fields
        for field in nameFields + configuration.output.publicFields where !fields.contains(field) {
            fields.append(field)
        }
        configuration.source.users.fields = fields
        return configuration
    }
}
