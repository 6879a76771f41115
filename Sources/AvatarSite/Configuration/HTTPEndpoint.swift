public import Foundation

/// A URL the tool may send credentials to: https anywhere, plain http only on this machine.
public struct HTTPEndpoint: Sendable, Equatable {
    public let url: URL

    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else { return nil }
        switch scheme {
        case "https": break
        case "http" where Self.isLoopback(host): break
        default: return nil
        }
        self.url = url
    }

    /// `scheme://host[:port]`.
    public var origin: String {
        var origin = "\(url.scheme ?? "https")://\(url.host ?? "")"
        if let port = url.port { origin += ":\(port)" }
        return origin
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
