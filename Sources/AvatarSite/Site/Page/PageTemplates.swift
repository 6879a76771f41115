public import Foundation
import Mustache
import SiteTemplates
public import AvatarSiteContract

/// The page's three templates: `index.html` (Mustache), `app.css` and `app.js` (copied as they
/// are; the tool's own are shipped in parts, see `joinedParts`). Each comes from the company's
/// folder (`page.templates`) when it holds it, else from the templates shipped with the tool,
/// so a company can restyle the page without copying its script. Parsed and tried once, when
/// loaded: a broken template is a configuration error that names the file and the line, found
/// before the build sends a request.
public struct PageTemplates: Sendable {
    static let pageName = "index.html"
    static let stylesheetName = "app.css"
    static let scriptName = "app.js"
    static let names = [pageName, stylesheetName, scriptName]
    /// The variables a page cannot work without: its data, its code and its styles (the
    /// Content-Security-Policy allows no inline script or style to replace them).
    static let requiredVariables = ["data_script", "script", "stylesheet"]

    let page: MustacheTemplate
    let stylesheet: Data
    let script: Data

    /// - Parameter folder: the company's folder, if site.yml names one.
    /// - Returns: nil when there is no company folder and the shipped templates were not
    ///   installed beside the binary.
    public static func load(folder: URL?) throws(ConfigurationError) -> PageTemplates? {
        let shipped = SiteTemplates.folder("page") ?? [:]
        var files = [String: (data: Data, path: String)]()
        if let page = shipped[pageName] { files[pageName] = (page, "the tool's own \(pageName)") }
        for name in [stylesheetName, scriptName] {
            if let joined = joinedParts(of: name, in: shipped) { files[name] = (joined, "the tool's own \(name)") }
        }
        if let folder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ConfigurationError(keyPath: "page.templates", line: nil, reason: "\(folder.path) is not a folder", file: "site.yml")
            }
            for name in names {
                let url = folder.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                do {
                    files[name] = (try Data(contentsOf: url), url.path)
                } catch {
                    throw ConfigurationError(keyPath: "page.templates", line: nil,
                                             reason: "cannot read \(name) (\(error.localizedDescription))", file: url.path)
                }
            }
        }
        let missing = names.filter { files[$0] == nil }
        guard missing.isEmpty, let page = files[pageName], let stylesheet = files[stylesheetName], let script = files[scriptName] else {
            if folder == nil { return nil }
            throw ConfigurationError(keyPath: "page.templates", line: nil,
                                     reason: "the folder has no \(missing.joined(separator: ", ")), and the tool's own templates "
                                         + "were not installed beside the binary to stand in", file: folder?.path ?? "site.yml")
        }
        return PageTemplates(page: try parse(page.data, path: page.path), stylesheet: stylesheet.data, script: script.data)
    }

    /// The tool's own `app.js` or `app.css`: the shipped files `app-*.js` (`app-*.css`) joined
    /// in name order. They are kept in parts short enough to read, but ship (and are hashed) as
    /// one file, as a company's own `app.js` does. Nil when no part was installed.
    static func joinedParts(of name: String, in shipped: [String: Data]) -> Data? {
        let stem = (name as NSString).deletingPathExtension + "-"
        let suffix = "." + (name as NSString).pathExtension
        let parts = shipped.filter { $0.key.hasPrefix(stem) && $0.key.hasSuffix(suffix) }.sorted { $0.key < $1.key }
        return parts.isEmpty ? nil : parts.reduce(into: Data()) { $0.append($1.value) }
    }

    /// The page template, parsed and tried with sample values.
    static func parse(_ data: Data, path: String) throws(ConfigurationError) -> MustacheTemplate {
        func failure(_ reason: String, line: Int? = nil) -> ConfigurationError {
            ConfigurationError(keyPath: "page.templates", line: line, reason: "\(pageName): \(reason)", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw failure("not UTF-8 text") }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw failure("\(describe(error.error)) (column \(error.context.columnNumber))", line: error.context.lineNumber)
        } catch {
            throw failure("not a Mustache template (\(error))")
        }
        let sample = PageView(title: "title", logo: "assets/logo.png", stylesheet: "\u{1}stylesheet\u{1}", script: "\u{1}script\u{1}",
                              dataScript: "\u{1}data_script\u{1}", count: 1)
        let (html, unknownNames) = sample.render(template)
        if let name = unknownNames.first {
            throw failure("uses {{\(name)}}, which is not a page variable (\(PageView.variableNames.sorted().joined(separator: ", ")))")
        }
        for name in requiredVariables where !html.contains("\u{1}\(name)\u{1}") {
            throw failure("never uses {{\(name)}}, without which the page cannot work")
        }
        return template
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case MustacheTemplate.Error.unfinishedName: "a tag is not closed"
        case MustacheTemplate.Error.expectedSectionEnd: "a section is never closed"
        case MustacheTemplate.Error.invalidSetDelimiter: "a set-delimiter tag is malformed"
        default: "\(error)"
        }
    }
}
