import NIOCore
import NIOHTTPTypes

/// Takes a connection's place in the server's ``ConnectionSlots`` when it opens, tells them when
/// it is answering and when it is waiting, and gives its place back when it closes. Placed after
/// the HTTP decoder, so it sees requests and answers rather than bytes.
final class ConnectionSlotHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let slots: ConnectionSlots
    private var number: Int?
    private var isOpened = false
    private var requestsInProgress = 0

    init(slots: ConnectionSlots) {
        self.slots = slots
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            requestsInProgress += 1
            if requestsInProgress == 1, let number { slots.setBusy(number, true) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data), requestsInProgress > 0 else {
            context.write(data, promise: promise)
            return
        }
        requestsInProgress -= 1
        guard requestsInProgress == 0, let number else {
            context.write(data, promise: promise)
            return
        }
        // Waiting only once the answer has left, so that making room never cuts a slow reader off.
        let written = promise ?? context.eventLoop.makePromise()
        let slots = slots
        written.futureResult.assumeIsolated().whenComplete { [weak self] _ in
            guard let self, self.requestsInProgress == 0, self.number == number else { return }
            slots.setBusy(number, false)
        }
        context.write(data, promise: written)
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard !isOpened else { return }
        isOpened = true
        number = slots.open(context.channel)
        if number == nil { context.close(promise: nil) }
    }

    private func release() {
        if let number { slots.close(number) }
        number = nil
    }
}
