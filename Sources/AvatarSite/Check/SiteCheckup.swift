public import Foundation
public import Logging
public import AvatarSiteContract
import AvatarSiteSources

/// `avatar-site check`: whether a site.yml would get through a night, found out without
/// writing anything (one temporary file in the output folder is made and removed). Each check
/// is a line; a check whose prerequisite failed is shown as not checked.
public enum SiteCheckup {
    /// The checks after `configuration`, in the order they run and are shown.
    static let steps: [CheckStep] = [.secret, .token, .users, .photo, .output, .templates, .fonts]

    /// The configuration line, and the configuration when the file parses.
    /// - Parameter now: the date EWS's retirement in Exchange Online is judged on.
    public static func configuration(file: URL, now: Date = Date()) -> (result: CheckResult, loaded: ConfigurationLoader.Loaded?) {
        do throws(ConfigurationError) {
            let loaded = try ConfigurationLoader.load(file: file)
            let source = loaded.configuration.source
            let detail = "\(file.path) parses: kind \(source.kind.rawValue)" + source.kind.settings.location(of: source)
                + ", output to \(loaded.outputDirectory.path)."
            switch source.kind.settings.notice(for: source, on: now) {
            case .unaffected:
                return (CheckResult(check: "configuration", ok: true, detail: detail), loaded)
            case .closing(let warning):
                return (CheckResult(check: "configuration", ok: true, detail: "\(detail) Warning: \(warning)"), loaded)
            case .switchedOff(let reason, let fix):
                return (CheckResult(check: "configuration", ok: false, detail: "\(detail) \(reason)", fix: fix), loaded)
            }
        } catch {
            return (CheckResult(check: "configuration", ok: false, detail: error.localizedDescription,
                                fix: "Correct the key the message names (README.md lists every key and its default)."), nil)
        }
    }

    /// The lines after a configuration that does not parse: none of them can be checked.
    public static func notChecked() -> [CheckResult] {
        steps.map { CheckOutcome.skipped("site.yml does not parse").result(named: $0.name) }
    }

    /// Runs every check after `configuration`.
    /// - Parameter environment: where the secrets site.yml names are read from.
    public static func run(_ loaded: ConfigurationLoader.Loaded,
                           environment: [String: String] = ProcessInfo.processInfo.environment,
                           logger: Logger) async -> [CheckResult] {
        var loaded = loaded
        loaded.configuration = SiteBuild.askingForBuildFields(loaded.configuration)
        let source = loaded.configuration.source
        // A check should answer in seconds: a throttled service is tried again twice at most.
        let client = APIClient(limiter: ConcurrencyLimiter(fixed: 2), connections: 2, timeoutSeconds: source.timeoutSeconds, logger: logger)
        var state = CheckState(loaded: loaded, environment: environment, client: client,
                               retry: RetryPolicy(retries: min(source.retries, 2)))
        var outcomes = [String: CheckOutcome]()
        var results = [CheckResult]()
        for step in steps {
            let outcome: CheckOutcome
            if let failed = step.needs.first(where: { !(outcomes[$0]?.hasPassed ?? false) }) {
                outcome = .skipped("needs the \(failed) check to pass")
            } else {
                outcome = await step.run(&state)
            }
            outcomes[step.name] = outcome
            results.append(outcome.result(named: step.name))
        }
        state.source = nil
        state.credentials = nil
        do {
            try await client.shutdown()
        } catch {
            logger.debug("closing HTTP connections: \(error)")
        }
        return results
    }

    /// 0 when every check passed, 2 when site.yml does not parse, else 1.
    public static func exitCode(_ results: [CheckResult]) -> Int32 {
        if results.first(where: { $0.check == "configuration" })?.ok == false { return 2 }
        return results.allSatisfy(\.ok) ? 0 : 1
    }

    /// The results as a JSON array of `{check, ok, detail, fix}`.
    public static func json(_ results: [CheckResult]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(results)
    }
}
