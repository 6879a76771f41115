extension Array {
    /// The elements in runs of `size` (the last one shorter): batches of users, pages of a file.
    public func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: Swift.max(size, 1)).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
