/// One page of a listing and where the next one is.
public struct UserPage: Sendable {
    public var users: [DirectoryUser]
    /// Records of the page that are no usable user; the rest of the page is built.
    public var invalid: [InvalidRecord]
    /// The cursor of the next page (Graph's `@odata.nextLink`); nil on the last page.
    public var next: String?

    public init(users: [DirectoryUser], invalid: [InvalidRecord] = [], next: String?) {
        self.users = users
        self.invalid = invalid
        self.next = next
    }
}

/// A listed record that cannot be a user: skipped and reported (`kind: invalid_record`).
public struct InvalidRecord: Sendable, Equatable {
    /// The record's id, when it could be read.
    public var id: String?
    public var reason: String
}

/// The pages of a directory's listing. While the caller works through one page the next is
/// already being fetched, so a large directory's listing overlaps with its photos instead of
/// stalling them.
///
/// A listing must end: a cursor that comes back (a cycle A→B→A), more users than `limit`
/// (distinct links forever), or a run of empty pages that keep linking on stops it with an
/// error, and the build changes nothing.
public struct UserPages: AsyncSequence, Sendable {
    public typealias Element = UserPage
    public typealias Failure = SourceError
    public typealias Fetch = @Sendable (_ cursor: String?) async throws(SourceError) -> UserPage

    /// Empty pages in a row, each with a next link, that are taken for a loop.
    public static let maximumEmptyPages = 10

    let fetch: Fetch
    let first: String?
    let limit: Int

    /// Pages read by `fetch`, starting with `fetch(first)` and following each page's `next`.
    /// - Parameter limit: the most users the listing may hold (`source.users.limit`).
    public init(first: String? = nil, limit: Int = .max, fetch: @escaping Fetch) {
        self.first = first
        self.limit = limit
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
        return UserPages(first: first, limit: limit) { (cursor) throws(SourceError) in
            var page = try await fetch(cursor)
            page.users = page.users.filter(isIncluded)
            return page
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: Fetch
        let first: String?
        let limit: Int
        var started = false
        var prefetch: Prefetch?
        /// Cursors already followed.
        var visited = Set<String>()
        var users = 0
        var emptyPagesInARow = 0

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(SourceError) -> UserPage? {
            let page: UserPage
            if !started {
                started = true
                if let first { visited.insert(first) }
                page = try await fetch(first)
            } else if let prefetch {
                self.prefetch = nil
                page = try await prefetch.task.value.get()
            } else {
                return nil
            }
            users += page.users.count
            guard users <= limit else {
                throw SourceError(.invalidResponse, url: first ?? "", status: 200,
                                  message: "the listing holds more than \(limit) users (source.users.limit); it is taken for a loop")
            }
            emptyPagesInARow = page.users.isEmpty ? emptyPagesInARow + 1 : 0
            if let next = page.next {
                guard visited.insert(next).inserted else {
                    throw SourceError(.invalidResponse, url: next, status: 200,
                                      message: "the listing leads back to a page already read")
                }
                guard emptyPagesInARow < UserPages.maximumEmptyPages else {
                    throw SourceError(.invalidResponse, url: next, status: 200,
                                      message: "\(emptyPagesInARow) empty pages in a row still link to more; the listing is taken for a loop")
                }
                prefetch = Prefetch(Task { [fetch] in
                    do throws(SourceError) { return .success(try await fetch(next)) } catch { return .failure(error) }
                })
            }
            return page
        }

        public mutating func next() async throws(SourceError) -> UserPage? {
            try await next(isolation: nil)
        }
    }

    /// The next page's fetch, cancelled when nobody waits for it any more (the build stopped,
    /// or the listing failed): it must not outlive the HTTP client.
    final class Prefetch: Sendable {
        let task: Task<Result<UserPage, SourceError>, Never>

        init(_ task: Task<Result<UserPage, SourceError>, Never>) {
            self.task = task
        }

        deinit {
            task.cancel()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, first: first, limit: limit)
    }
}
