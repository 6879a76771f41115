public import Foundation

/// `page:` — how the directory page (`index.html`) is branded: its title, a logo, and a folder
/// of a company's own templates. Only read when `output.page` is true.
public struct PageConfiguration: Sendable, Equatable {
    public var title = "People"
    /// An image shown beside the title, copied into `assets/` under a hashed name. Relative to
    /// the folder of site.yml.
    public var logo: String?
    /// A folder holding any of `index.html`, `app.css` and `app.js`; a file it lacks is taken
    /// from the templates shipped with the tool. Relative to the folder of site.yml.
    public var templates: String?

    /// The image types a logo may be: what every browser shows in an `<img>`.
    public static let logoExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "svg"]

    public init() {}

    /// The same settings with `logo` and `templates` made absolute, relative ones taken from `base`.
    public func resolvingPaths(against base: URL) -> PageConfiguration {
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
        }
        var resolved = self
        resolved.logo = logo.map(resolve)
        resolved.templates = templates.map(resolve)
        return resolved
    }
}

extension PageConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, logo, templates
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(.title, default: title)
        try container.require(!title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, .title, "must not be empty")
        if let problem = GeneratedFileValue.problem(with: title, in: [.line]) {
            try container.require(false, .title, "must be one line of text: it \(problem)")
        }
        logo = try container.decodeIfPresent(String.self, forKey: .logo)
        if let logo {
            try container.require(!logo.isEmpty, .logo, "must name an image file")
            let suffix = URL(fileURLWithPath: logo).pathExtension.lowercased()
            try container.require(Self.logoExtensions.contains(suffix), .logo,
                                  "must be an image file (\(Self.logoExtensions.sorted().joined(separator: ", ")))")
        }
        templates = try container.decodeIfPresent(String.self, forKey: .templates)
        try container.require(templates.map { !$0.isEmpty } ?? true, .templates, "must name a folder")
    }
}
