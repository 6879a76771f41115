extension Duration {
    /// The duration in seconds, for reports and figures.
    package var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
