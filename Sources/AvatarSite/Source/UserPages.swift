/// One page of a listing and where the next one is.
public struct UserPage: Sendable {
    public var users: [DirectoryUser]
    /// The cursor of the next page (Graph's `@odata.nextLink`); nil on the last page.
    public var next: String?

    public init(users: [DirectoryUser], next: String?) {
        self.users = users
        self.next = next
    }
}

/// The pages of a directory's listing. While the caller works through one page the next is
/// already being fetched, so a large directory's listing overlaps with its photos instead of
/// stalling them. A cursor that comes back is refused: a server that links to a page already
/// read would page forever.
public struct UserPages: AsyncSequence, Sendable {
    public typealias Element = [DirectoryUser]
    public typealias Failure = SourceError
    public typealias Fetch = @Sendable (_ cursor: String?) async throws(SourceError) -> UserPage

    let fetch: Fetch

    /// Pages read by `fetch`, starting with `fetch(nil)` and following each page's `next`.
    public init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// Pages already in memory (a users file, a test's directory).
    public init(pages: [[DirectoryUser]]) {
        self.init { (cursor) throws(SourceError) in
            let index = cursor.flatMap(Int.init) ?? 0
            guard pages.indices.contains(index) else { return UserPage(users: [], next: nil) }
            return UserPage(users: pages[index], next: index + 1 < pages.count ? String(index + 1) : nil)
        }
    }

    /// Only the users `isIncluded` keeps, page by page.
    public func filter(_ isIncluded: @escaping @Sendable (DirectoryUser) -> Bool) -> UserPages {
        let fetch = self.fetch
        return UserPages { (cursor) throws(SourceError) in
            var page = try await fetch(cursor)
            page.users = page.users.filter(isIncluded)
            return page
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: Fetch
        var started = false
        var prefetch: Task<Result<UserPage, SourceError>, Never>?
        /// Cursors already followed.
        var visited = Set<String>()

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SourceError) -> [DirectoryUser]? {
            let page: UserPage
            if !started {
                started = true
                page = try await fetch(nil)
            } else if let prefetch {
                self.prefetch = nil
                page = try await prefetch.value.get()
            } else {
                return nil
            }
            if let next = page.next {
                guard visited.insert(next).inserted else {
                    throw SourceError(.invalidResponse, url: next, status: 200,
                                      message: "the listing leads back to a page already read")
                }
                prefetch = Task { [fetch] in
                    do throws(SourceError) { return .success(try await fetch(next)) } catch { return .failure(error) }
                }
            }
            return page.users
        }

        public mutating func next() async throws(SourceError) -> [DirectoryUser]? {
            try await next(isolation: nil)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch)
    }
}
