import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import Synchronization

extension DemoTenant {
    /// `POST /{tenant}/oauth2/v2.0/token`: a bearer token for the client-credentials grant, or
    /// the error Entra ID answers a wrong tenant, client, secret or an expired secret with.
    func issueToken(form: [String: String], tenant: String) -> DemoAnswer {
        guard tenant == configuration.tenant else {
            return Self.entraError(.badRequest, "invalid_request", code: 90002, """
                AADSTS90002: Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing \
                into the correct cloud. Check with your subscription administrator, this may happen if there are no active \
                subscriptions for the tenant.
                """)
        }
        let clientID = form["client_id"] ?? ""
        guard form["grant_type"] == "client_credentials", clientID == configuration.clientID else {
            return Self.entraError(.badRequest, "unauthorized_client", code: 700016, """
                AADSTS700016: Application with identifier '\(clientID)' was not found in the directory '\(tenant)'. This can \
                happen if the application has not been installed by the administrator of the tenant or consented to by any \
                user in the tenant. You may have sent your authentication request to the wrong tenant.
                """)
        }
        guard form["client_secret"] == configuration.clientSecret else { return Self.wrongSecret(clientID: clientID) }
        if configuration.faults.expiredSecret {
            return Self.entraError(.unauthorized, "invalid_client", code: 7000222, """
                AADSTS7000222: The provided client secret keys for app '\(clientID)' are expired. Visit the Azure portal to \
                create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for \
                added security: https://aka.ms/certCreds.
                """)
        }
        let token = "demo." + UUID().uuidString
        tokens.withLock { _ = $0.insert(token) }
        everIssued.withLock { $0.append(token) }
        if let expiresIn = configuration.faults.tokenExpiresIn {
            let lifetime = expiresIn.isEmpty ? "" : "\"expires_in\": \(expiresIn), "
            return .rawJSON(.ok, Data("{\(lifetime)\"token_type\": \"Bearer\", \"access_token\": \"\(token)\"}".utf8))
        }
        return Self.json(.ok, ["token_type": "Bearer", "expires_in": configuration.tokenLifetimeSeconds,
                               "ext_expires_in": configuration.tokenLifetimeSeconds, "access_token": token])
    }

    /// A bearer token the tenant issued; for EWS also HTTP basic with the configured account,
    /// as Exchange on premises takes it.
    func isAuthorized(_ request: Request, dialect: Dialect) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        if header.hasPrefix("Bearer ") {
            let token = String(header.dropFirst("Bearer ".count))
            return tokens.withLock { $0.contains(token) }
        }
        if dialect == .ews, header.hasPrefix("Basic "),
           let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count))).map({ String(decoding: $0, as: UTF8.self) }) {
            return decoded == "\(configuration.basicUsername):\(configuration.basicPassword)"
        }
        return false
    }
}
