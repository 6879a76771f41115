import Foundation
public import HTTPTypes
public import Logging

/// Answers a request from the folder: the route, then the answer, then the file, each decided
/// by the pure types beside it; this is where they meet the disk. Synchronous, since it reads
/// files: the server calls it off the cooperative thread pool.
public struct SiteResponder: Sendable {
    public let settings: ServeSettings
    private let folder: SiteFolder
    private let hostingFiles: HostingFiles
    private let logger: Logger

    public init(settings: ServeSettings, logger: Logger) {
        self.settings = settings
        folder = SiteFolder(root: settings.root.path)
        hostingFiles = HostingFiles(logger: logger)
        self.logger = logger
    }

    /// - Parameters:
    ///   - target: the request target as sent, path and query.
    ///   - range: `Range` and `If-Range`, which apply to a file's 200 answer only.
    public func reply(method: HTTPRequest.Method, target: String, conditions: ConditionalRequest = .init(),
                      range: RangeRequest = .init()) -> ServeResponse {
        let head = method == .head
        let route = SiteRoute(method: method, target: target, prefixes: settings.prefixes)
        let answer: RouteTarget
        do {
            answer = RouteTarget(route, maps: try hostingFiles.maps(for: route, in: folder))
        } catch {
            logger.error("\(target): \(error.localizedDescription)")
            return .plain(500, "Internal Server Error", head: head)
        }
        switch answer {
        case .badRequest:
            return .plain(400, "Bad Request", head: head)
        case .notFound:
            return .notFound(head: head)
        case .preflight:
            return ServeResponse(status: 204, headers: ResponseProfile.graph.headers(cacheControl: settings.cacheControl))
        case .file(let candidates, let profile):
            return reply(method: method, candidates: candidates, profile: profile, conditions: conditions, range: range, target: target)
        }
    }

    private func reply(method: HTTPRequest.Method, candidates: [String], profile: ResponseProfile,
                       conditions: ConditionalRequest, range: RangeRequest, target: String) -> ServeResponse {
        let head = method == .head
        guard let found = candidates.lazy.compactMap({ path in folder.file(at: path).map { (path, $0) } }).first else {
            return .notFound(head: head)
        }
        let (path, file) = found
        // As nginx's static files: a file answers GET and HEAD only.
        guard method == .get || head else {
            return .plain(405, "Method Not Allowed", head: head, headers: [("Allow", "GET, HEAD")])
        }
        let validators = file.validators
        var headers = profile.headers(cacheControl: settings.cacheControl)
        headers += [("ETag", validators.entityTag), ("Last-Modified", validators.lastModified)]
        switch conditions.outcome(for: validators) {
        case .notModified:
            return ServeResponse(status: 304, headers: headers)
        case .preconditionFailed:
            return .plain(412, "Precondition Failed", head: head)
        case .send:
            break
        }
        let body: Data
        if head {
            body = Data()
        } else {
            do {
                body = try file.read()
            } catch {
                logger.error("\(target): \(path): \(error.localizedDescription)")
                return .plain(500, "Internal Server Error", head: head)
            }
        }
        // A file cut short while it was read answers as what was read.
        let length = head ? validators.size : body.count
        switch range.outcome(for: FileValidators(size: length, modified: validators.modified)) {
        case .whole:
            headers += [("Content-Type", profile.contentType(of: path)), ("Content-Length", String(length)),
                        ("Accept-Ranges", "bytes")]
            return ServeResponse(status: 200, headers: headers, body: body)
        case .partial(let bytes):
            headers += [("Content-Type", profile.contentType(of: path)), ("Content-Length", String(bytes.count)),
                        ("Content-Range", "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(length)")]
            let slice = head ? Data() : Data(body.dropFirst(bytes.lowerBound).prefix(bytes.count))
            return ServeResponse(status: 206, headers: headers, body: slice)
        case .unsatisfiable:
            // As nginx's: the location's headers without the file's validators.
            return .plain(416, "Range Not Satisfiable", head: head,
                          headers: profile.headers(cacheControl: settings.cacheControl) + [("Content-Range", "bytes */\(length)")])
        }
    }
}
