/// Which file of a user's folder answers each of Graph's photo URLs, as nginx-http.conf's
/// `$avatar_site_file` map says:
///
///     photo                  photo.json
///     photo/$value           photo.jpg
///     photos                 photos.json
///     photos/{W}x{H}         photos/{W}x{H}.json   (x or X in the URL, x in the file)
///     photos/{W}x{H}/$value  photos/{W}x{H}.jpg
///
/// A size no file has (`photos/50x50`) still names a file; that it is missing makes the 404.
public enum GraphPhotoShape {
    /// The file for the URL's segments after `/users/{user}/`, or nil when they are no photo URL.
    public static func file(for segments: ArraySlice<String>) -> String? {
        var rest = segments
        guard let head = rest.popFirst() else { return nil }
        if head.isExactly("photo") {
            if rest.isEmpty { return "photo.json" }
            return rest.count == 1 && rest[rest.startIndex].isExactly("$value") ? "photo.jpg" : nil
        }
        guard head.isExactly("photos") else { return nil }
        guard let size = rest.popFirst() else { return "photos.json" }
        guard let name = sizeName(size) else { return nil }
        if rest.isEmpty { return "photos/\(name).json" }
        return rest.count == 1 && rest[rest.startIndex].isExactly("$value") ? "photos/\(name).jpg" : nil
    }

    /// `48x48` for `48x48` or `48X48`; the digits as written, so `048x48` names a file no site has.
    static func sizeName(_ text: String) -> String? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "x" || $0 == "X" }
        guard parts.count == 2, parts[0].isDigits, parts[1].isDigits else { return nil }
        return "\(parts[0])x\(parts[1])"
    }
}
