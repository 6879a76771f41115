import AvatarSiteContract
@testable import AvatarSiteSources
import Testing

/// Every `source.kind` is registered with a type that brings all a kind must: settings the
/// configuration reads, and a source, a writer and advice.
@Suite struct SourceKindTests {
    @Test(arguments: SourceConfiguration.Kind.allCases)
    func everyRegisteredKindBringsItsSource(kind: SourceConfiguration.Kind) throws {
        let implementation = kind.implementation
        var source = SourceConfiguration()
        source.kind = kind
        #expect(!implementation.permissionFix(source).isEmpty)
        #expect(implementation.omittedKeyPaths.allSatisfy { $0.hasPrefix("source.") })
        // A kind without a default URL shows an example of the one it needs.
        #expect(implementation.defaultBaseURL ?? implementation.exampleBaseURL == implementation.exampleBaseURL)
        #expect(HTTPEndpoint(implementation.exampleBaseURL) != nil)
    }

    @Test func kindsThatCannotListUsersNeedAUsersFile() throws {
        for kind in SourceConfiguration.Kind.allCases where !kind.settings.listsUsers {
            let text = "source: { kind: \(kind.rawValue), base_url: \"https://mail.contoso.com/EWS/Exchange.asmx\" }"
            #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse(text) }
        }
        #expect(SourceConfiguration.Kind.allCases.contains { !$0.settings.listsUsers })
    }
}
