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

    /// `localhost`, `::1`, or an IPv4 address in 127.0.0.0/8 (four numbers, not a name that
    /// merely starts with "127.").
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in part.count <= 3 && Int(part).map { (0...255).contains($0) } ?? false }
    }
}

extension String {
    package func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
