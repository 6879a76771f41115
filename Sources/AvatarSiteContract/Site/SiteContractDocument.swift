public import Foundation

/// The contract as JSON, for the checks written in other languages (the Python hosting and
/// page checks read docs/site-contract.json, which a unit test keeps equal to this).
public enum SiteContractDocument {
    struct Shape: Encodable {
        var path: String
        var file: String
        var type: String
    }

    struct Document: Encodable {
        var idPattern = UserID.pattern
        var idMaximumLength = UserID.maximumLength
        var graphShapes = GraphPhotoShape.all.map { Shape(path: $0.path(size: "{size}"), file: $0.file, type: $0.mediaType) }
        var userFilePattern = UserFileName.pattern
        var gravatarDefaultSize = GravatarRule.defaultSize
        var gravatarLargestSize = GravatarRule.largestSize
        var gravatarHashLengths = GravatarRule.hashLengths
        var gravatarExtensions = GravatarRule.extensions
        var cases = SiteCase.all
    }

    public static func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document()) + Data("\n".utf8)
    }
}
