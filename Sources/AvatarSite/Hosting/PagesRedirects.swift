public import AvatarSiteContract

/// The `_redirects` rules of Netlify, Cloudflare Pages and GitLab Pages for Graph's photo URLs,
/// generated from the contract's table: each rewrites (status 200) a URL to the file that
/// answers it.
///
/// The first rule that matches wins, and Cloudflare Pages applies it even where a file exists.
/// So Graph's upper-case sizes (48X48) come first, and without a prefix every size has rules of
/// its own: there, a `:size` placeholder would also catch the plain files (48x48.jpg). Within a
/// group, a longer URL comes before the shorter one it extends.
public enum PagesRedirects {
    public static func rules(prefixes: [String], sizes: [PhotoSize]) -> [String] {
        let sized = longestFirst(GraphPhotoShape.all.filter(\.hasSize))
        let plain = longestFirst(GraphPhotoShape.all.filter { !$0.hasSize })
        var rules = [String]()
        for prefix in prefixes + [""] {
            let bare = prefix.isEmpty
            func rule(_ shape: GraphPhotoShape, url: String, file: String) {
                rules.append("\(prefix)/users/:id/\(shape.path(size: url)) /users/:id/\(shape.file(size: file)) 200")
            }
            for size in sizes {
                for shape in sized { rule(shape, url: size.profilePhotoID, file: size.description) }
            }
            if bare {
                for size in sizes {
                    for shape in sized { rule(shape, url: size.description, file: size.description) }
                }
            }
            for shape in plain { rule(shape, url: "", file: "") }
            if !bare {
                for shape in sized { rule(shape, url: ":size", file: ":size") }
            }
        }
        return rules
    }

    /// Stable: the table's order, a shape before those it extends.
    static func longestFirst(_ shapes: [GraphPhotoShape]) -> [GraphPhotoShape] {
        shapes.enumerated().sorted { a, b in
            let (x, y) = (a.element.segments, b.element.segments)
            if x.first == y.first, x.count != y.count { return x.count > y.count }
            return a.offset < b.offset
        }.map(\.element)
    }
}
