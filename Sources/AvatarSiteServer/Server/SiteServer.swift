import Foundation
import Hummingbird
import HummingbirdCore
import HTTPTypes
public import Logging
import NIOCore
import NIOPosix

/// `avatar-site serve`: the site's folder over HTTP, answering exactly the URLs its nginx
/// configuration answers.
public enum SiteServer {
    /// Starts listening on `host:port` (`port` 0 picks a free one) and returns once it does.
    public static func start(_ settings: ServeSettings, host: String = "127.0.0.1", port: Int = 0,
                             logger: Logger) async throws(ServeError) -> RunningSiteServer {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.root.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .notAFolder(settings.root.path)
        }
        let responder = SiteResponder(settings: settings, logger: logger)
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: CallbackResponder { (request: Request, _: BasicRequestContext) in
                await SiteServer.respond(to: request, with: responder, logger: logger)
            },
            server: http1(settings.limits),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let task = Task { try await application.run() }
        var boundPort = 0
        for await value in portStream { boundPort = value }
        guard boundPort != 0 else {
            task.cancel()
            let reason: String
            do {
                try await task.value
                reason = "the server stopped before it listened"
            } catch {
                reason = "\(error)"
            }
            throw ServeError.couldNotListen(host: host, port: port, reason: reason)
        }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return RunningSiteServer(url: "http://\(bracketed):\(boundPort)", task: task)
    }

    /// HTTP/1 with the idle timeout, and each connection holding a place among the cap, a
    /// deadline for its first request head, and one for the client to take what is sent.
    private static func http1(_ limits: ServeLimits) -> HTTPServerBuilder {
        let slots = ConnectionSlots(capacity: limits.maxConnections)
        let headerTimeout = TimeAmount(limits.headerTimeout)
        let sendTimeout = limits.sendTimeout
        return .http1(configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionSlotHandler(slots: slots), HeaderTimeoutHandler(timeout: headerTimeout),
                                        SendTimeoutHandler(timeout: sendTimeout)],
            idleTimeout: TimeAmount(limits.idleTimeout)))
    }

    private static func respond(to request: Request, with responder: SiteResponder, logger: Logger) async -> Response {
        let target = request.head.path ?? "/"
        let conditions = ConditionalRequest(
            ifMatch: request.headers[.ifMatch], ifNoneMatch: request.headers[.ifNoneMatch],
            ifModifiedSince: request.headers[.ifModifiedSince], ifUnmodifiedSince: request.headers[.ifUnmodifiedSince])
        let range = RangeRequest(request.headers)
        let reply: ServeResponse
        do {
            // Reading files blocks a thread; the cooperative pool has one per core.
            reply = try await NIOThreadPool.singleton.runIfActive {
                responder.reply(method: request.method, target: target, conditions: conditions, range: range)
            }
        } catch {
            logger.error("\(target): \(error)")
            reply = ServeResponse(status: 503)
        }
        logger.debug("\(request.method) \(target) \(reply.status)")
        var headers = HTTPFields()
        for (name, value) in reply.headers {
            if let name = HTTPField.Name(name) { headers.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: headers, body: .chunks(of: reply.body))
    }
}

/// A `serve` that is listening.
public struct RunningSiteServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let url: String
    let task: Task<Void, any Error>

    /// Waits until the server stops: after `stop()`, or when it fails.
    public func waitUntilStopped() async throws {
        do {
            try await task.value
        } catch is CancellationError where task.isCancelled {
            // Stopped by `stop()`: the way a server is meant to end.
        }
    }

    /// Stops accepting connections, lets the requests in flight finish, and returns when it has stopped.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
