public import Foundation

/// Why `serve` could not start.
public enum ServeError: Error, LocalizedError {
    case couldNotListen(host: String, port: Int, reason: String)
    case notAFolder(String)

    public var errorDescription: String? {
        switch self {
        case .couldNotListen(let host, let port, let reason): "could not listen on \(host):\(port): \(reason)"
        case .notAFolder(let path): "\(path) is not a folder; give the built site's folder, or --config with its output.dir"
        }
    }
}
