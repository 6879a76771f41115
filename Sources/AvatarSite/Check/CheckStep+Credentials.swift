import AvatarSiteContract
import AvatarSiteSources

/// The secret's variables, and the token they buy.
extension CheckStep {
    static let secret = CheckStep("secret") { state in
        let source = state.configuration.source
        let variables = secretVariables(source.auth)
        do throws(ConfigurationError) {
            state.credentials = try SourceFactory.credentials(source, environment: state.environment, client: state.client,
                                                              retry: state.retry)
        } catch {
            let missing = variables.filter { (state.environment[$0] ?? "").isEmpty }
            return .failed("\(error.reason).",
                           fix: "Set \(missing.joined(separator: " and ")) in the environment of the job that runs avatar-site "
                               + "(export \(missing.first ?? "NAME")='…'); secrets never go in site.yml.")
        }
        return .passed("\(variables.joined(separator: " and ")) \(variables.count == 1 ? "is" : "are") set "
                       + "(\(source.auth.kind.rawValue)).")
    }

    static let token = CheckStep("token", needs: ["secret"]) { state in
        let source = state.configuration.source
        switch state.credentials {
        case .clientCredentials(let provider)?:
            do throws(SourceError) {
                _ = try await provider.accessToken()
            } catch {
                return EntraRefusal.diagnose(error, auth: source.auth, baseURL: source.baseURL)
            }
            return .passed("\(source.auth.effectiveTokenURL) issued a token for \(source.auth.effectiveScope(baseURL: source.baseURL)).")
        case .basic?:
            return .passed("none needed: basic authentication sends the account with every request.")
        case .bearer?:
            return .passed("none needed: the token in \(source.auth.tokenEnv) is sent as it is.")
        case nil:
            return .skipped("no credentials were read")
        }
    }

    /// The environment variables `auth` reads its secrets from.
    static func secretVariables(_ auth: AuthConfiguration) -> [String] {
        switch auth.kind {
        case .clientCredentials: [auth.clientSecretEnv]
        case .basic: [auth.usernameEnv, auth.passwordEnv]
        case .bearer: [auth.tokenEnv]
        }
    }
}
