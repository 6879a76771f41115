@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Logging
import Synchronization
import Testing

/// `--log-format json`: one JSON object a line on standard error, for log shippers.
@Suite struct JSONLogTests {
    /// Lines a handler wrote, for the tests.
    final class Lines: Sendable {
        private let lines = Mutex([String]())
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    static let moment = Date(timeIntervalSince1970: 1_777_777_777.123_9)

    static func logger(_ lines: Lines, level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "avatar-site") { label in
            JSONLogHandler(label: label, now: { moment }, write: lines.append)
        }
        logger.logLevel = level
        return logger
    }

    /// Should write time, level, message and logger first, then the metadata sorted, numbers and
    /// Booleans as such, and a key that would hide one of the four under a prefix.
    @Test func writesOneObjectALine() throws {
        let lines = Lines()
        var logger = Self.logger(lines)
        logger[metadataKey: "run"] = "nightly"
        logger.notice("user failed", metadata: ["user": "u-1", "stage": "fetch", "status": .stringConvertible(401),
                                                "message": "Access denied", "retry": .stringConvertible(false),
                                                "rate": .stringConvertible(2.5), "sizes": ["48x48", "96x96"],
                                                "request": ["kind": "photo_bytes"]])
        #expect(lines.all == [
            #"{"time":"2026-05-03T03:09:37.123Z","level":"notice","message":"user failed","logger":"avatar-site","# +
            #""metadata_message":"Access denied","rate":2.5,"request":{"kind":"photo_bytes"},"retry":false,"run":"nightly","# +
            #""sizes":["48x48","96x96"],"stage":"fetch","status":401,"user":"u-1"}"# + "\n",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["status"] as? Int == 401)
    }

    /// Should escape quotes, backslashes and every control character, and keep other text as
    /// its UTF-8, so that any message is one line that parses back to itself.
    @Test func escapesWhatJSONMust() throws {
        let lines = Lines()
        let text = "quote \" backslash \\ newline \n return \r tab \t nul \u{0} escape \u{1B}[31m del \u{7F} Zoë 王 🙂 \u{2028}"
        Self.logger(lines).info("\(text)", metadata: ["name": "\(text)"])
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(line.contains("Zoë 王 🙂") && line.contains(#"\u001B[31m"#) && line.contains(#"\u0000"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == text)
        #expect(object["name"] as? String == text)
    }

    @Test func writesRFC3339TimesInUTCWithMilliseconds() {
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: 0.123)) == "1970-01-01T00:00:00.123Z")
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(JSONLogHandler.rfc3339(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(JSONLogHandler.rfc3339(Self.moment) == "2026-05-03T03:09:37.123Z")
    }

    /// Should make progress records with the numbers as fields, never a bar.
    @Test func progressBecomesRecords() throws {
        let lines = Lines()
        let progress = ProgressReporter(display: .records, interval: .seconds(3600), unit: "users", logger: Self.logger(lines))
        progress.listed(10)
        progress.userDone()
        progress.userDone()
        progress.listingComplete()
        progress.finish()
        let records = try lines.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        // The first user is shown at once; the second falls within the interval; finish shows the end.
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0["message"] as? String == "progress" && $0["unit"] as? String == "users" })
        #expect(records.map { $0["done"] as? Int } == [1, 2])
        #expect(records.map { $0["listed"] as? Int } == [10, 10])
        #expect(records.map { $0["listing_complete"] as? Bool } == [false, true])
        #expect(records[0]["eta_seconds"] == nil && records[1]["eta_seconds"] is Int && records[1]["rate"] is NSNumber)
        #expect(lines.all.allSatisfy { !$0.contains("\r") && !$0.contains("[#") })
    }

    /// Should write nothing but JSON records on standard error, from a verbose build with a
    /// failing user, an upload, a build that cannot authenticate (3) and a site.yml that does not
    /// parse (2), the format chosen by AVATAR_SITE_LOG_FORMAT; and never the secret.
    @Test func everyLineOfEveryRunIsAJSONRecord() async throws {
        // It runs processes or fills the disk: no test that times a server's stalls runs beside it.
        try await MachineLoad.loading {
            let canary = "CANARY-s3cr3t-\(UUID().uuidString)"
            var demo = UploadTests.demo()
            demo.clientSecret = canary
            demo.faults.unauthorizedPhotoUsers = ["ida-id"]
            let tenant = DemoTenant(configuration: demo)
            try await withTemporaryDirectory { folder in
                try UploadTests.writeFolder(folder.appendingPathComponent("photos"))
                try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                    let config = try MetricsCommandTests.siteFile(for: running, demo: demo, in: folder).path
                    let json = ["AVATAR_SITE_LOG_FORMAT": "json"]
                    let build = try await CommandRunner.run(["build", "--config", config, "--verbose"],
                                                            environment: json.merging(["TEST_SECRET": canary]) { $1 })
                    #expect(build.status == 1, "\(build.standardError.suffix(2000))")
                    let records = try JSONLogLines.check(build.standardError)
                    let failed = try #require(records.first { $0["message"] as? String == "user failed" })
                    #expect(failed["error"] is String && failed["metadata_message"] == nil)
                    #expect(failed["user"] as? String == "ida-id" && failed["level"] as? String == "notice")
                    #expect(records.contains { $0["message"] as? String == "progress" })
                    #expect(records.contains { $0["level"] as? String == "debug" })

                    let upload = try await CommandRunner.run(["upload", folder.appendingPathComponent("photos").path, "--config", config,
                                                              "--verbose"], environment: json.merging(["TEST_SECRET": canary]) { $1 })
                    #expect(upload.status == 1, "\(upload.standardError.suffix(2000))")
                    try JSONLogLines.check(upload.standardError)

                    let refused = try await CommandRunner.run(["build", "--config", config, "--verbose"],
                                                              environment: json.merging(["TEST_SECRET": canary + "-wrong"]) { $1 })
                    #expect(refused.status == 3)
                    let refusal = try JSONLogLines.check(refused.standardError)
                    #expect(refusal.contains { $0["level"] as? String == "error" && ($0["message"] as? String ?? "").contains("invalid_client") })

                    try FileManager.default.createDirectory(at: folder.appendingPathComponent("broken"), withIntermediateDirectories: true)
                    let broken = try writeSiteFile("output: { dir: site, metrics_file: \"\" }\n", in: folder.appendingPathComponent("broken"))
                    let unparsed = try await CommandRunner.run(["build", "--config", broken.path, "--log-format", "json"])
                    #expect(unparsed.status == 2)
                    let complaint = try JSONLogLines.check(unparsed.standardError)
                    #expect(complaint.contains { ($0["message"] as? String ?? "").contains("output.metrics_file") }, "\(unparsed.standardError)")

                    for result in [build, upload, refused] {
                        for text in [result.standardOutput, result.standardError] {
                            #expect(!text.contains(canary), "the secret was printed")
                            #expect(tenant.issuedTokens.allSatisfy { !text.contains($0) }, "a bearer token was printed")
                        }
                    }
                }
            }
    
        }
    }

    /// Should refuse a log format it does not know, in the variable as on the command line.
    @Test func refusesAnUnknownFormat() async throws {
        let variable = try await CommandRunner.run(["build", "--config", "/nonexistent/site.yml"],
                                                   environment: ["AVATAR_SITE_LOG_FORMAT": "xml"])
        #expect(variable.status != 0 && variable.standardError.contains("AVATAR_SITE_LOG_FORMAT=xml"), "\(variable.standardError)")
        let option = try await CommandRunner.run(["build", "--config", "/nonexistent/site.yml", "--log-format", "xml"])
        #expect(option.status != 0 && option.standardError.contains("--log-format"), "\(option.standardError)")
    }
}

/// Checks that a run's standard error is JSON records only, one a line.
enum JSONLogLines {
    struct NotJSON: Error, CustomStringConvertible {
        var description: String
    }

    static let levels: Set<String> = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Every line as its object; throws at the first line that is not a record with `time`
    /// (RFC 3339, UTC, milliseconds), `level` and `message`.
    @discardableResult
    static func check(_ standardError: String) throws -> [[String: Any]] {
        guard !standardError.isEmpty else { throw NotJSON(description: "nothing was logged") }
        guard standardError.hasSuffix("\n"), !standardError.contains("\r") else {
            throw NotJSON(description: "the log does not end in a line break or holds a carriage return")
        }
        let time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
        return try standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let stamp = object["time"] as? String, stamp.wholeMatch(of: time) != nil,
                  let level = object["level"] as? String, levels.contains(level), object["message"] is String
            else { throw NotJSON(description: "not a JSON record: \(line.prefix(300))") }
            return object
        }
    }
}
