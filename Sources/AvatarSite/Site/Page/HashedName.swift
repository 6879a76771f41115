import Crypto
public import Foundation
import AvatarSiteContract

/// The names of the page's files that never change in place: `{stem}.{hash}.{extension}`,
/// `{hash}` the first 16 hex digits of the SHA-256 of the bytes. New bytes get a new name, so
/// a CDN or a browser may keep each file forever and never pair an old script with new data.
public enum HashedName {
    /// The stems the build names this way: the data script at the top, the rest in `assets/`.
    static let dataStem = "directory"
    static let assetStems: Set<String> = ["app", "logo"]

    public static func make(stem: String, extension suffix: String, data: Data) -> String {
        "\(stem).\(hash(data)).\(suffix)"
    }

    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// Whether `name` is one of the build's own hashed names, in the folder it lives in
    /// (`directory.<hash>.js` at the top, `app.<hash>.css|js` and `logo.<hash>.*` in
    /// `assets/`): only those are ever removed, whatever else a folder holds.
    static func isOwn(_ name: String, inAssets: Bool) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].utf8.count == 16,
              parts[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
        else { return false }
        let (stem, suffix) = (String(parts[0]), String(parts[2]))
        if inAssets {
            switch stem {
            case "app": return suffix == "css" || suffix == "js"
            case "logo": return PageConfiguration.logoExtensions.contains(suffix)
            default: return false
            }
        }
        return stem == dataStem && suffix == "js"
    }
}
