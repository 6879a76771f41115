public import Foundation
import Yams

/// Reads site.yml into a `SiteConfiguration`, turning every mistake into a `ConfigurationError`
/// that names the key path and the line.
public enum ConfigurationLoader {
    /// The configuration and the folder its relative paths are taken from.
    public struct Loaded: Sendable {
        public var configuration: SiteConfiguration
        public var baseDirectory: URL

        public init(configuration: SiteConfiguration, baseDirectory: URL) {
            self.configuration = configuration
            self.baseDirectory = baseDirectory
        }

        /// `output.dir`, resolved against the folder that holds the file.
        public var outputDirectory: URL {
            resolve(configuration.output.dir)
        }

        /// Where the site's files and the build's own go.
        public var layout: SiteLayout {
            SiteLayout(root: outputDirectory, stateFolder: configuration.output.stateDir.map(resolve))
        }

        /// A path of site.yml, relative ones taken from the folder that holds the file.
        public func resolve(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
        }
    }

    public static func load(file: URL) throws(ConfigurationError) -> Loaded {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "cannot read the file (\(error.localizedDescription))",
                                     file: file.path)
        }
        let configuration = try parse(text, file: file.path)
        let loaded = Loaded(configuration: configuration, baseDirectory: file.deletingLastPathComponent())
        try checkOutputFolderAsRoot(loaded, text: text, file: file.path)
        return loaded
    }

    /// Without `hosting.root`, the host configs name the output folder as the site's root, so
    /// its absolute path (relative ones depend on where site.yml is) obeys the root's rule.
    static func checkOutputFolderAsRoot(_ loaded: Loaded, text: String, file: String) throws(ConfigurationError) {
        guard loaded.configuration.hosting.root == nil else { return }
        let path = loaded.outputDirectory.standardizedFileURL.path
        guard let problem = HostingConfiguration.problem(withRoot: path) else { return }
        let keys = ["output", "dir"].map { AnyCodingKey(stringValue: $0) }
        let line = (try? Yams.compose(yaml: text)).flatMap { $0.map { Self.line(of: keys, in: $0) } } ?? nil
        throw ConfigurationError(keyPath: "output.dir", line: line,
                                 reason: "the host configs name this folder (\(path.debugDescription)) as the site's root, and it \(problem); or set hosting.root to the folder the site is served from",
                                 file: file)
    }

    public static func parse(_ text: String, file: String = "site.yml") throws(ConfigurationError) -> SiteConfiguration {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping([:])
        } catch let error as YamlError {
            throw ConfigurationError(keyPath: "", line: error.line, reason: "not valid YAML: \(error.problem)", file: file)
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "not valid YAML: \(error)", file: file)
        }
        if case .scalar(let scalar) = root, scalar.string.isEmpty {
            return SiteConfiguration()
        }
        do {
            return try YAMLDecoder().decode(SiteConfiguration.self, from: root)
        } catch let error as DecodingError {
            throw describe(error, root: root, file: file)
        } catch {
            throw ConfigurationError(keyPath: "", line: nil, reason: "\(error)", file: file)
        }
    }

    static func describe(_ error: DecodingError, root: Node, file: String) -> ConfigurationError {
        let (path, reason): ([any CodingKey], String)
        switch error {
        case .typeMismatch(let type, let context):
            path = context.codingPath
            reason = "expected \(describe(type))"
        case .valueNotFound(let type, let context):
            path = context.codingPath
            reason = "expected \(describe(type)), found nothing"
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
            reason = "is required"
        case .dataCorrupted(let context):
            path = context.codingPath
            reason = context.debugDescription
        @unknown default:
            path = []
            reason = "\(error)"
        }
        return ConfigurationError(keyPath: keyPath(path), line: line(of: path, in: root), reason: reason, file: file)
    }

    /// `source.auth.tenant`, `sizes[2]`.
    static func keyPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// The line of the deepest node along `path` that exists in the document.
    static func line(of path: [any CodingKey], in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for key in path {
            switch node {
            case .mapping(let mapping):
                guard let pair = mapping.first(where: { $0.key.string == key.stringValue }) else { return line }
                line = pair.key.mark?.line ?? line
                node = pair.value
            case .sequence(let sequence):
                guard let index = key.intValue, sequence.indices.contains(index) else { return line }
                node = sequence[index]
                line = node.mark?.line ?? line
            default:
                return line
            }
        }
        return line
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") || name.hasSuffix("Sequence") { return "a list" }
            if name.hasSuffix("Scalar") { return "a single value" }
            return "a mapping"
        }
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(self)"
        }
    }
}
