import Crypto
public import Foundation

/// `@odata.mediaEtag` for bytes the site serves: a quoted prefix of their SHA-256, so the tag
/// changes exactly when the file does.
public enum MediaETag {
    public static func of(_ data: Data) -> String {
        "\"\(hexDigest(data).prefix(16).uppercased())\""
    }

    /// Whether a source's ETag says the photo is the one the site holds: both known, not empty,
    /// and the same bytes (an ETag is opaque: no weak comparison, no case folding). The one
    /// place this is decided, for a metadata answer and for a server that ignored If-None-Match.
    public static func matches(_ answered: String?, known: String?) -> Bool {
        guard let answered, let known, !answered.isEmpty else { return false }
        return answered.utf8.elementsEqual(known.utf8)
    }

    package static func hexDigest(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
