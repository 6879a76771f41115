import Synchronization

/// Placeholders drawn once per distinct look. A placeholder depends only on the initials and
/// the colour (the sizes and style are the build's), and a large directory repeats both: "JS" on
/// one of 14 colours comes back hundreds of times in 50,000 users. The cache is bounded, so
/// memory stays flat however many looks a directory has.
public final class PlaceholderCache: Sendable {
    private struct Key: Hashable {
        var initials: String
        var background: RGBColor
    }

    private struct State {
        var images: [Key: AvatarImages] = [:]
        var order: [Key] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    private let maximumBytes: Int

    /// - Parameter maximumBytes: the most encoded image bytes kept; the oldest looks go first.
    public init(maximumBytes: Int = 32 * 1024 * 1024) {
        self.maximumBytes = maximumBytes
    }

    public var count: Int { state.withLock { $0.images.count } }

    /// The placeholder for this look, drawn by `draw` the first time it is asked for.
    public func images(initials: String, background: RGBColor,
                       draw: () throws(ImagingError) -> AvatarImages) throws(ImagingError) -> AvatarImages {
        let key = Key(initials: initials, background: background)
        if let cached = state.withLock({ $0.images[key] }) { return cached }
        // Drawn outside the lock: two threads may draw one look at once, and both get the same.
        let drawn = try draw()
        let size = drawn.bySize.values.reduce(0) { $0 + $1.jpeg.count + ($1.webp?.count ?? 0) + ($1.png?.count ?? 0) }
        state.withLock { state in
            guard state.images[key] == nil else { return }
            state.images[key] = drawn
            state.order.append(key)
            state.bytes += size
            while state.bytes > maximumBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let evicted = state.images.removeValue(forKey: oldest) {
                    state.bytes -= evicted.bySize.values.reduce(0) { $0 + $1.jpeg.count + ($1.webp?.count ?? 0) + ($1.png?.count ?? 0) }
                }
            }
        }
        return drawn
    }
}
