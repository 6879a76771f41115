public import Foundation
public import AvatarSiteContract
import AvatarSiteImaging

/// Everything the page is made of but the directory: its title, its logo and its templates,
/// read and checked at the start of a build, so that a missing logo or a broken template stops
/// the build before a request is sent rather than after an hour of downloads.
public struct PageDesign: Sendable {
    public struct Logo: Sendable {
        public var data: Data
        /// The file's extension, lower case: the hashed name keeps it, so hosts serve the right type.
        public var suffix: String
    }

    public var title: String
    public var logo: Logo?
    public var templates: PageTemplates

    /// A logo is shown at 32 pixels: a file larger than this is a mistake (a print-resolution
    /// export), which every visitor would download.
    static let maximumLogoBytes = 1024 * 1024

    /// - Parameter configuration: `page:` with absolute paths (`resolvingPaths(against:)`).
    /// - Returns: nil when there is no company template folder and the shipped templates were
    ///   not installed beside the binary.
    public static func load(_ configuration: PageConfiguration) throws(ConfigurationError) -> PageDesign? {
        guard let templates = try PageTemplates.load(folder: configuration.templates.map { URL(fileURLWithPath: $0) }) else {
            return nil
        }
        return PageDesign(title: configuration.title, logo: try configuration.logo.map(readLogo), templates: templates)
    }

    static func readLogo(_ path: String) throws(ConfigurationError) -> Logo {
        func failure(_ reason: String) -> ConfigurationError {
            ConfigurationError(keyPath: "page.logo", line: nil, reason: "\(path): \(reason)", file: "site.yml")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure("cannot read the logo (\(error.localizedDescription))")
        }
        guard data.count <= maximumLogoBytes else {
            throw failure("the logo is \(data.count / 1024) KiB; at most \(maximumLogoBytes / 1024) KiB (it is shown 32 pixels high)")
        }
        let suffix = URL(fileURLWithPath: path).pathExtension.lowercased()
        let expected: ImageFormat? = switch suffix {
        case "jpg", "jpeg": .jpeg
        case "png": .png
        case "gif": .gif
        case "webp": .webp
        default: nil
        }
        if let expected {
            guard ImageFormat(sniffing: data) == expected else { throw failure("the file is not a \(expected.rawValue.uppercased()) image") }
        } else {
            let head = String(decoding: data.prefix(4096), as: UTF8.self)
            guard suffix == "svg", head.contains("<svg") else { throw failure("the file is not an SVG image") }
        }
        return Logo(data: data, suffix: suffix)
    }
}
