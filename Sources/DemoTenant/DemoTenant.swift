public import Foundation
import Hummingbird
import HTTPTypes
public import Logging
import NIOCore
import Synchronization

/// A loopback HTTP server that speaks the subset of Microsoft Graph the tool uses: the token
/// endpoint, `/users` with paging, photo metadata and bytes, and Graph's documented errors.
public final class DemoTenant: Sendable {
    public let configuration: DemoTenantConfiguration
    let users: [DemoUser]
    let userIndex: [String: Int]
    /// Users by lower-cased mail and user principal name, as the mailbox APIs address them.
    let addressIndex: [String: Int]
    /// Shared by every tenant of the process: the portraits depend only on look and size.
    static let studio = DemoPortraitStudio()
    let tokens = Mutex<Set<String>>([])
    let everIssued = Mutex<[String]>([])
    let requestCounts = Mutex<[String: Int]>([:])
    let dice: FaultDice
    let tokenFailuresLeft: Mutex<Int>
    let listingPagesServed = Mutex(0)
    let graphRequestsServed = Mutex(0)
    /// API requests being answered now, and the most there ever were.
    let inFlight = Mutex((now: 0, most: 0))
    /// When each stalled photo request arrived, to measure what a stall costs a client.
    let stalledArrivals = Mutex<[ContinuousClock.Instant]>([])
    /// Photos set through the API, by user id: they replace the generated ones from then on.
    let uploadedPhotos = Mutex<[String: DemoPhoto]>([:])
    let userAgent = Mutex<String?>(nil)

    public init(configuration: DemoTenantConfiguration) {
        self.configuration = configuration
        let hostile = (configuration.hostileUsers ? DemoDirectory.hostileUsers() : [])
            + (configuration.hugeUsers ? DemoDirectory.hugeUsers() : [])
        var generated = configuration.mutation.apply(
            to: DemoDirectory.users(count: configuration.userCount, seed: configuration.seed), seed: configuration.seed)
        if !configuration.photos {
            for index in generated.indices { generated[index].photo = .none }
        }
        let users = generated + hostile + configuration.extraUsers
        self.users = users
        var index = [String: Int]()
        for (position, user) in users.enumerated() { index[user.id] = position }
        self.userIndex = index
        var addresses = [String: Int]()
        for (position, user) in users.enumerated() {
            for field in ["mail", "userPrincipalName"] {
                if let address = user.fields[field]?.lowercased(), addresses[address] == nil { addresses[address] = position }
            }
        }
        self.addressIndex = addresses
        self.dice = FaultDice(seed: configuration.faults.seed)
        self.tokenFailuresLeft = Mutex(configuration.faults.tokenFailures)
    }

    /// The users a build should end up with: enabled, as `accountEnabled eq true` selects,
    /// with the photos set through the API since the tenant started.
    public var enabledUsers: [DemoUser] { users.filter(\.accountEnabled).map(withUploads) }

    /// The user with this id, user principal name or mail, with any photo set since.
    func user(key: String) -> DemoUser? {
        (userIndex[key] ?? addressIndex[key.lowercased()]).map { withUploads(users[$0]) }
    }

    func withUploads(_ user: DemoUser) -> DemoUser {
        guard let photo = uploadedPhotos.withLock({ $0[user.id] }) else { return user }
        var user = user
        user.photo = photo
        return user
    }

    /// The most API requests the tenant ever answered at once (a `$batch` counts as one).
    public var mostRequestsInFlight: Int { inFlight.withLock { $0.most } }

    /// When each request for a stalled photo arrived.
    public var stalledRequestArrivals: [ContinuousClock.Instant] { stalledArrivals.withLock { $0 } }

    /// The photo bytes set through the API for `id`, if any.
    public func uploadedPhoto(of id: String) -> Data? {
        guard case .raw(let data, _, _) = uploadedPhotos.withLock({ $0[id] }) else { return nil }
        return data
    }

    /// The `User-Agent` of the last request, token requests included.
    public var lastUserAgent: String? { userAgent.withLock { $0 } }

    /// Every access token the tenant has handed out, revoked ones included.
    public var issuedTokens: [String] { everIssued.withLock { $0 } }

    /// Requests served so far, by route (`token`, `users`, `photo`, `photo_value`, `photos`, `photos_size`, `photos_size_value`).
    public var requestsByRoute: [String: Int] { requestCounts.withLock { $0 } }

    /// Starts the server on 127.0.0.1 (`port` 0 picks a free one) and returns once it listens.
    public func start(port: Int = 0, logger: Logger) async throws -> RunningDemoTenant {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: CallbackResponder { [self] (request: Request, _: BasicRequestContext) in
                try await self.respond(to: request)
            },
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let task = Task { try await application.run() }
        var boundPort = 0
        for await value in portStream { boundPort = value }
        guard boundPort != 0 else {
            task.cancel()
            _ = try await task.value
            throw DemoTenantError.couldNotListen(port)
        }
        return RunningDemoTenant(origin: "http://127.0.0.1:\(boundPort)", tenant: configuration.tenant, task: task)
    }

    /// Starts the server, runs `body` with it, and stops it whatever `body` does.
    public func withRunning<T: Sendable>(logger: Logger, _ body: (RunningDemoTenant) async throws -> T) async throws -> T {
        let running = try await start(logger: logger)
        do {
            let result = try await body(running)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    /// Draws every portrait the directory will serve as its largest photo, so that the first
    /// requests of a benchmark do not pay for drawing them.
    public func warmUp() {
        for user in users {
            if case .portrait(let variant, let width, let height) = user.photo {
                _ = Self.studio.jpeg(variant: variant, width: width, height: height)
            }
        }
    }

    func count(_ route: String) {
        requestCounts.withLock { $0[route, default: 0] += 1 }
    }
}

/// A demo tenant that is listening.
public struct RunningDemoTenant: Sendable {
    /// `http://127.0.0.1:PORT`.
    public let origin: String
    let tenant: String
    let task: Task<Void, any Error>

    /// The Graph root, as `source.base_url` takes it.
    public var baseURL: String { "\(origin)/v1.0" }

    /// The Outlook REST API v2.0 root, as `source.base_url` takes it for `kind: outlook-v2`.
    public var outlookBaseURL: String { "\(origin)/api/v2.0" }

    /// The EWS URL, as `source.base_url` takes it for `kind: ews`.
    public var ewsURL: String { "\(origin)/EWS/Exchange.asmx" }

    /// The token endpoint, as `source.auth.token_url` takes it.
    public var tokenURL: String { "\(origin)/\(tenant)/oauth2/v2.0/token" }

    /// Waits until the server stops (it runs until its task is cancelled or the process ends).
    public func waitUntilStopped() async throws {
        try await task.value
    }

    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

public enum DemoTenantError: LocalizedError {
    case couldNotListen(Int)

    public var errorDescription: String? {
        switch self {
        case .couldNotListen(let port): "the demo tenant could not listen on 127.0.0.1:\(port)"
        }
    }
}
