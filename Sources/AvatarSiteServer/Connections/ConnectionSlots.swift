import Foundation
import NIOCore

/// The open connections of one server, shared by the event loops that accept them: it decides
/// through ``ConnectionRoster`` and closes the connection the roster lets go.
final class ConnectionSlots: @unchecked Sendable {
    // @unchecked: every access to the roster and the channels holds the lock.
    private let lock = NSLock()
    private var roster: ConnectionRoster
    private var channels: [Int: any Channel] = [:]

    init(capacity: Int) {
        roster = ConnectionRoster(capacity: capacity)
    }

    /// Admits `channel`, closing an idle older one if there is no room; nil when it must be closed itself.
    func open(_ channel: any Channel) -> Int? {
        let (admission, older): (ConnectionRoster.Admission, (any Channel)?) = lock.withLock {
            let admission = roster.admit()
            switch admission {
            case .admitted(let number):
                channels[number] = channel
                return (admission, nil)
            case .admittedClosing(let number, let oldest):
                channels[number] = channel
                return (admission, channels[oldest])
            case .refused:
                return (admission, nil)
            }
        }
        switch admission {
        case .admitted(let number):
            return number
        case .admittedClosing(let number, let oldest):
            if let older { makeRoom(closing: older, number: oldest) }
            return number
        case .refused:
            return nil
        }
    }

    func setBusy(_ number: Int, _ isBusy: Bool) {
        lock.withLock { roster.setBusy(number, isBusy) }
    }

    func close(_ number: Int) {
        lock.withLock {
            roster.remove(number)
            channels[number] = nil
        }
    }

    /// Closes `channel` unless a request began on it since it was picked. Done on its own event
    /// loop, where its request heads are read: none can arrive between the check and the close.
    private func makeRoom(closing channel: any Channel, number: Int) {
        channel.eventLoop.execute { [self] in
            let leaves = lock.withLock {
                guard roster.leave(number) else { return false }
                channels[number] = nil
                return true
            }
            if leaves { channel.close(promise: nil) }
        }
    }
}
