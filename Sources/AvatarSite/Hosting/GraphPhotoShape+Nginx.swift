import AvatarSiteContract

/// The nginx forms of Graph's photo URLs, generated from the contract's table.
extension GraphPhotoShape {
    /// `photos/[0-9]+[xX][0-9]+/\$value`: the URL tail as a PCRE, without anchors.
    var nginxPattern: String {
        pattern(size: "[0-9]+[xX][0-9]+")
    }

    /// The URL tail as a regex without anchors, literals escaped and `size` for the size.
    func pattern(size: String) -> String {
        segments.map { segment in
            switch segment {
            case .literal(let text): HostingViewModel.regexEscaped(text)
            case .size: size
            }
        }.joined(separator: "/")
    }

    /// The line of nginx-http.conf's `$avatar_site_file` map: `photo photo.json;`, or for a
    /// shape with a size a regex whose captures name the file (`photos/$1x$2.json`).
    var nginxMapEntry: String {
        guard hasSize else {
            let key = path()
            return (key.contains("$") ? "\"\(key)\"" : key) + " " + file + ";"
        }
        let key = nginxPattern.replacing("[0-9]+[xX][0-9]+", with: "([0-9]+)[xX]([0-9]+)")
        return "\"~^\(key)$\" \(file(size: "$1x$2"));"
    }

    /// Every shape as one alternation, for nginx.conf's location.
    static var nginxAlternation: String {
        all.map(\.nginxPattern).joined(separator: "|")
    }
}
