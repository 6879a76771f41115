/// Which of the page's hashed files a build removes: those that neither the new page nor the
/// page it replaces names. The previous page's files stay one more build, because an
/// `index.html` fetched just before the publish (or held by a CDN edge while it revalidates)
/// still asks for them; files two builds old are no longer named by any page in use.
enum HashedFileRetention {
    /// - Parameters:
    ///   - present: the build's own hashed files now in the site, as paths from its root
    ///     (`directory.<hash>.js`, `assets/app.<hash>.css`…).
    ///   - written: the paths the new page names.
    ///   - previousPage: the text of the `index.html` being replaced, nil when there is none.
    /// - Returns: the paths to remove, sorted.
    static func obsolete(present: [String], written: Set<String>, previousPage: String?) -> [String] {
        present.filter { path in
            !written.contains(path) && !(previousPage?.contains(path) ?? false)
        }.sorted()
    }
}
