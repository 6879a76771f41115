public import Foundation

/// `index.html`: the directory page, with the site's `users.json` embedded so it opens from a
/// copy on disk (file://) with no network. The data goes in a JSON script element, escaped so that
/// no value can close the element or start markup; the page's script sets every value as text.
public enum DirectoryPage {
    /// Where the template takes the data.
    public static let marker = "<!-- avatar-site:directory -->"

    public static func render(template: String, index: Data) throws(SiteError) -> Data {
        guard let range = template.range(of: marker) else {
            throw SiteError(path: "index.html", reason: "the page template has no \(marker) where the directory goes")
        }
        let json = String(decoding: index, as: UTF8.self)
        var escaped = ""
        escaped.reserveCapacity(json.utf8.count)
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": escaped += "\\u003c"
            case ">": escaped += "\\u003e"
            case "&": escaped += "\\u0026"
            case "\u{2028}": escaped += "\\u2028"
            case "\u{2029}": escaped += "\\u2029"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        let element = "<script type=\"application/json\" id=\"directory\">\(escaped)</script>"
        return Data(template.replacingCharacters(in: range, with: element).utf8)
    }
}
