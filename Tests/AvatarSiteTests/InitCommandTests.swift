@testable import AvatarSite
import AvatarSiteTestSupport
import Foundation
import Testing
import Yams
@testable import AvatarSiteContract

/// `avatar-site init`: a commented site.yml that holds every key its kind reads, at the very
/// defaults the loader has, that builds as it is (for the demo), and never replaces a file.
@Suite struct InitCommandTests {
    /// The configuration a template of `kind` must load as: the defaults, with what the kind needs.
    static func expected(for kind: SourceConfiguration.Kind) -> SiteConfiguration {
        var configuration = SiteConfiguration()
        configuration.source.kind = kind
        switch kind {
        case .graph:
            configuration.source.baseURL = "https://graph.microsoft.com/v1.0"
        case .outlookV2:
            configuration.source.baseURL = "https://outlook.office.com/api/v2.0"
            configuration.source.usersFile = "users.csv"
        case .ews:
            configuration.source.baseURL = EWSKind.exampleBaseURL
            configuration.source.usersFile = "users.csv"
        case .demo:
            break
        }
        return configuration
    }

    /// Should load as the defaults: a value in the template that differs from the loader's
    /// default fails here.
    @Test(arguments: SourceConfiguration.Kind.allCases)
    func theTemplateLoadsAsTheDefaults(kind: SourceConfiguration.Kind) throws {
        let text = ConfigurationTemplate.text(for: kind)
        #expect(try ConfigurationLoader.parse(text) == Self.expected(for: kind), "\(text)")
    }

    /// Should hold every key the loader reads (commented out where it has no default), but the
    /// sections the kind never reads, each with a comment above it: a key added to the loader
    /// and not to the template fails here.
    @Test(arguments: SourceConfiguration.Kind.allCases)
    func theTemplateHoldsEveryKeyWithAComment(kind: SourceConfiguration.Kind) throws {
        let text = ConfigurationTemplate.text(for: kind)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let omitted = ConfigurationTemplate.omittedKeyPaths(for: kind)
        let sections: [(String, [String])] = [
            ("", SiteConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source", SourceConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source.auth", AuthConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source.users", UserQueryConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source.ews", EWSConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source.upload", UploadConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("source.demo", DemoConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("imaging", ImagingConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("placeholder", PlaceholderConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("output", OutputConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("hosting", HostingConfiguration.CodingKeys.allCases.map(\.rawValue)),
            ("page", PageConfiguration.CodingKeys.allCases.map(\.rawValue)),
        ]
        for (section, keys) in sections where !omitted.contains(section) {
            let depth = section.isEmpty ? 0 : section.split(separator: ".").count
            let indent = String(repeating: "  ", count: depth)
            for key in keys {
                let path = section.isEmpty ? key : "\(section).\(key)"
                if omitted.contains(path) {
                    #expect(!lines.contains { $0.hasPrefix("\(indent)\(key):") }, "\(path) is not read by \(kind.rawValue)")
                    continue
                }
                let index = lines.firstIndex { $0.hasPrefix("\(indent)\(key):") || $0.hasPrefix("\(indent)# \(key):") }
                guard let index else {
                    Issue.record("\(path) is missing from the \(kind.rawValue) template")
                    continue
                }
                #expect(index > 0 && lines[index - 1].hasPrefix("\(indent)# "), "\(path) has no comment")
            }
        }
    }

    /// Should write site.yml that builds the demo tenant as it is, and refuse a second time.
    @Test func initWritesADemoSiteThatBuildsAndRefusesASecondTime() async throws {
        try await withTemporaryDirectory { folder in
            let target = folder.appendingPathComponent("new")
            let first = try await CommandRunner.run(["init", target.path, "--kind", "demo"])
            #expect(first.status == 0, "\(first.standardError)")
            let config = target.appendingPathComponent("site.yml")
            let written = try Data(contentsOf: config)
            let build = try await MachineLoad.loading { try await CommandRunner.run(["build", "--config", config.path, "--quiet"]) }
            #expect(build.status == 0, "\(build.standardError)")
            #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("output/users.json").path))

            let second = try await CommandRunner.run(["init", target.path, "--kind", "graph"])
            #expect(second.status == 1)
            #expect(second.standardError.contains("already exists"), "\(second.standardError)")
            #expect(try Data(contentsOf: config) == written)
            #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == ["output", "site.yml"])
        }
    }

    /// Should write into the current folder by default, a graph configuration.
    @Test func initDefaultsToGraphInTheCurrentFolder() async throws {
        try await withTemporaryDirectory { folder in
            let result = try await CommandRunner.run(["init"], in: folder)
            #expect(result.status == 0, "\(result.standardError)")
            let loaded = try ConfigurationLoader.load(file: folder.appendingPathComponent("site.yml"))
            #expect(loaded.configuration.source.kind == .graph)
        }
    }
}
