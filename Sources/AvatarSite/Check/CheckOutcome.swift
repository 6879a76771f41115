/// What one check found, before it becomes a line of the report.
enum CheckOutcome: Sendable, Equatable {
    case passed(String)
    /// What is wrong, and the fix in one sentence.
    case failed(String, fix: String)
    /// The check could not run (the reason says why); it is not a failure of its own.
    case skipped(String)

    var hasPassed: Bool {
        if case .passed = self { return true }
        return false
    }

    func result(named name: String) -> CheckResult {
        switch self {
        case .passed(let detail): CheckResult(check: name, ok: true, detail: detail)
        case .failed(let detail, let fix): CheckResult(check: name, ok: false, detail: detail, fix: fix)
        case .skipped(let reason): CheckResult(check: name, ok: false, detail: "not checked: \(reason)")
        }
    }
}
