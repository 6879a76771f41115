import Crypto
public import Foundation

/// `@odata.mediaEtag` for bytes the site serves: a quoted prefix of their SHA-256, so the tag
/// changes exactly when the file does.
public enum MediaETag {
    public static func of(_ data: Data) -> String {
        "\"\(hexDigest(data).prefix(16).uppercased())\""
    }

    package static func hexDigest(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
