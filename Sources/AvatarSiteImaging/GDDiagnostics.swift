import CGD
import Foundation
import Synchronization

/// Captures what libgd reports through its global error callback, per thread.
///
/// libgd prints warnings (such as "Premature end of JPEG file" for a truncated photo) through
/// one process-wide C callback that cannot carry context, so each thread that wants its messages
/// registers a collector in thread-local storage and the callback appends to it.
enum GDDiagnostics {
    final class Collector {
        var messages: [String] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        gdSetErrorMethod(GDDiagnostics.errorCallback)
        return key
    }()

    private static let errorCallback: gdErrorMethod = { _, format, arguments in
        guard let format, let arguments, let slot = pthread_getspecific(GDDiagnostics.key) else { return }
        var buffer = [CChar](repeating: 0, count: 512)
        _ = vsnprintf(&buffer, buffer.count, format, arguments)
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        Unmanaged<Collector>.fromOpaque(slot).takeUnretainedValue().messages.append(
            message.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// libjpeg warnings that leave every pixel as it should be: bytes between two markers, a JFIF
    /// version newer than 1.x, a broken ICC profile segment, an unknown Adobe transform flag.
    /// Refusing such a photo would download it again, three times, every night.
    static let harmlessMessages = ["extraneous bytes before marker", "unknown JFIF revision", "bad ICC marker",
                                   "Unknown Adobe color transform"]

    static func isHarmless(_ message: String) -> Bool {
        harmlessMessages.contains { message.localizedCaseInsensitiveContains($0) }
    }

    /// Runs `body` and returns its result with every message libgd reported meanwhile on this thread.
    static func capturing<T>(_ body: () throws -> T) rethrows -> (T, [String]) {
        let collector = Collector()
        let key = Self.key
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(collector).toOpaque())
        defer { pthread_setspecific(key, previous) }
        let result = try withExtendedLifetime(collector) { try body() }
        return (result, collector.messages)
    }
}
