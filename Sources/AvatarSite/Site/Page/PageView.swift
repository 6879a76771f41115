import Mustache

/// The variables `index.html` is rendered with (docs/directory-data.md lists them), and the
/// rendering. Every value is HTML-escaped by Mustache's `{{name}}`; none comes from the
/// directory but the count.
struct PageView {
    var title: String
    /// The logo's path from the site's root, if there is one.
    var logo: String?
    var stylesheet: String
    var script: String
    var dataScript: String
    var count: Int

    static let variableNames: Set<String> = ["title", "logo", "stylesheet", "script", "data_script", "count"]

    var values: [String: Any] {
        var values: [String: Any] = ["title": title, "stylesheet": stylesheet, "script": script,
                                     "data_script": dataScript, "count": count]
        values["logo"] = logo
        return values
    }

    /// The page, and the names the template asked for that are not variables (Mustache would
    /// render them as nothing, which is how a typo like `{{data_scrpit}}` breaks a page silently).
    func render(_ template: MustacheTemplate) -> (html: String, unknownNames: [String]) {
        let lookup = Lookup(values)
        let html = template.render(lookup)
        return (html, lookup.unknownNames)
    }

    /// The root object of the rendering: answers the variables and notes any other name asked for.
    private final class Lookup: MustacheParent {
        let values: [String: Any]
        var unknownNames: [String] = []

        init(_ values: [String: Any]) {
            self.values = values
        }

        func child(named name: String) -> Any? {
            if let value = values[name] { return value }
            if !PageView.variableNames.contains(name), !unknownNames.contains(name) { unknownNames.append(name) }
            return nil
        }
    }
}
