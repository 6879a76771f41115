import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client has stopped taking the answer: once writes are pending and
/// none has completed for the send timeout (``SendStall``). Without it a client that asks for a
/// large file and never reads holds its place among the cap for ever, since a connection with a
/// request in progress is neither idle nor ever picked to make room.
final class SendTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var stall: SendStall<ContinuousClock.Instant>
    private var check: Scheduled<Void>?

    init(timeout: Duration) {
        stall = SendStall(timeout: timeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = promise ?? context.eventLoop.makePromise()
        if let due = stall.writeStarted(at: .now), check == nil { schedule(context, at: due) }
        written.futureResult.assumeIsolated().whenComplete { [weak self] _ in
            self?.stall.writeEnded(at: .now)
        }
        context.write(data, promise: written)
    }

    private func schedule(_ context: ChannelHandlerContext, at due: ContinuousClock.Instant) {
        check = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(due - .now)) { [weak self] in
            guard let self else { return }
            self.check = nil
            switch self.stall.check(at: .now) {
            case .idle:
                break
            case .checkAgain(let next):
                self.schedule(context, at: next)
            case .stalled:
                context.close(promise: nil)
            }
        }
    }

    private func cancel() {
        check?.cancel()
        check = nil
    }
}
