/// The files of a user's folder that the site serves by their own path, as users.json and the
/// metadata name them: `photo.{ext}`, `photos.{ext}` and `photos/{W}x{H}.{ext}` (one to four
/// digits, a lower-case x), `ext` one of jpg, png, webp, json.
public enum UserFileName {
    static let stems = ["photo", "photos"]
    static let sizedFolder = "photos"
    static let maximumDigits = 4
    public static let extensions = ["jpg", "png", "webp", "json"]

    /// Whether the segments after `users/{id}/` name such a file.
    public static func isValid(_ segments: ArraySlice<String>) -> Bool {
        let name = segments.last ?? ""
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")),
              extensions.contains(where: { name.utf8[name.utf8.index(after: dot)...].elementsEqual($0.utf8) })
        else { return false }
        let stem = name.utf8[..<dot]
        if segments.count == 1 { return stems.contains { stem.elementsEqual($0.utf8) } }
        guard segments.count == 2, segments.first?.utf8.elementsEqual(sizedFolder.utf8) == true else { return false }
        let sides = stem.split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        return sides.count == 2 && sides.allSatisfy { !$0.isEmpty && $0.count <= maximumDigits && $0.allSatisfy(GraphPhotoShape.isDigit) }
    }

    /// `(?:photo|photos|photos/[0-9]{1,4}x[0-9]{1,4})\.(?:jpg|png|webp|json)`, for nginx.
    public static var pattern: String {
        let side = "[0-9]{1,\(maximumDigits)}"
        let names = stems + ["\(sizedFolder)/\(side)x\(side)"]
        return "(?:" + names.joined(separator: "|") + ")\\.(?:" + extensions.joined(separator: "|") + ")"
    }
}
