public import AvatarSiteContract

extension SourceConfiguration {
    /// The limiter every request of a run passes through, as this configuration asks.
    public func makeLimiter() -> ConcurrencyLimiter {
        switch concurrency {
        case .auto: ConcurrencyLimiter(adaptiveFrom: ConcurrencySetting.autoStart, upTo: max(maxConcurrency, 1))
        case .fixed(let count): ConcurrencyLimiter(fixed: count)
        }
    }
}
