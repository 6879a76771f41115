import AvatarSiteContract

/// The keys under which a bucket (S3, Azure Blob) serves Graph's photo URLs, generated from the
/// contract's table for `link-keys.pl`, `sync-s3.sh` and `sync-azure.sh`. A bucket has no
/// rewrites: `users/{id}/photo` and `users/{id}/photo/$value` are objects of their own. One
/// folder cannot hold a name as both file and folder, so the keys are laid out in trees:
/// images under `files`, JSON under `json`, and a JSON key that is a folder of another JSON
/// key (`photos`, beside `photos/48x48`) under `lists`.
extension GraphPhotoShape {
    enum BucketTree: String {
        case files, json, lists
    }

    /// The tree that holds this shape's key.
    var bucketTree: BucketTree {
        guard mediaType == MediaType.json else { return .files }
        let folder = path(size: "*") + "/"
        let holdsAnother = Self.all.contains { $0.mediaType == mediaType && $0.path(size: "*").hasPrefix(folder) }
        return holdsAnother ? .lists : .json
    }

    /// A row of link-keys.pl's table: the file (a Perl pattern relative to the user's folder,
    /// capturing the size), the tree, and the key below `users/{id}/` (`$1` for the size).
    var linkKeysRow: [String: String] {
        ["file_pattern": filePattern, "tree": bucketTree.rawValue, "key": path(size: "$1")]
    }

    /// The file as a regex without anchors, capturing its size.
    var filePattern: String {
        file.split(separator: "{size}", omittingEmptySubsequences: false)
            .map { HostingViewModel.regexEscaped(String($0)) }.joined(separator: Self.sizeFilePattern)
    }

    /// `aws s3 sync` filters that take this shape's keys and nothing of the other trees. A
    /// filter's `*` crosses `/`, so a size that ends the key excludes what has a dot or more
    /// below it (the tree's own files, other trees' keys).
    var s3Filters: [String] {
        let key = "users/*/" + path(size: "*")
        guard segments.last == .size else { return ["--include '\(key)'"] }
        return ["--include '\(key)'", "--exclude '\(key).*'", "--exclude '\(key)/*'"]
    }

    /// The regex `azcopy --include-regex` takes for this shape's keys.
    var azureRegex: String {
        "^users/[^/]+/" + pattern(size: Self.sizeFilePattern) + "$"
    }

    /// The regex `azcopy` takes for the site's own file this shape answers with.
    var azureFileRegex: String {
        "^users/[^/]+/" + filePattern + "$"
    }

    /// A size as the site's files name it: `48x48`.
    static let sizeFilePattern = "([0-9]+x[0-9]+)"

    /// What the sync scripts' templates are filled with, by tree and media type.
    static var bucketContext: [String: Any] {
        func shapes(_ tree: BucketTree) -> [GraphPhotoShape] { all.filter { $0.bucketTree == tree } }
        let jsonFiles = all.filter { $0.mediaType == MediaType.json }
        return [
            "link_keys": all.map(\.linkKeysRow),
            "s3_image_filters": shapes(.files).flatMap(\.s3Filters).joined(separator: " "),
            "s3_json_filters": shapes(.json).flatMap(\.s3Filters).joined(separator: " "),
            "s3_list_filters": shapes(.lists).flatMap(\.s3Filters).joined(separator: " "),
            "azure_image_regex": shapes(.files).map(\.azureRegex).joined(separator: ";"),
            "azure_json_regex": (jsonFiles.map(\.azureFileRegex) + shapes(.json).map(\.azureRegex)).joined(separator: ";"),
            "azure_list_regex": shapes(.lists).map(\.azureRegex).joined(separator: ";"),
        ]
    }
}
