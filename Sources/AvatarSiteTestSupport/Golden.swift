public import Foundation
public import Testing

/// Golden images beside the tests, compared with a tolerance (fonts and encoders may move a
/// pixel here and there) and recorded again when `AVATAR_SITE_RECORD_GOLDENS` is set.
public enum Golden {
    public static let recordVariable = "AVATAR_SITE_RECORD_GOLDENS"

    public static func folder(_ testFile: String = #filePath) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Goldens")
    }

    /// Passes when the mean difference per channel is under `tolerance` (0–255).
    public static func compare(_ png: Data, to name: String, tolerance: Double = 2.0, testFile: String = #filePath,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder(testFile).appendingPathComponent(name)
        if ProcessInfo.processInfo.environment[recordVariable] != nil || !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try png.write(to: url)
            if ProcessInfo.processInfo.environment[recordVariable] == nil {
                Issue.record("recorded a missing golden image \(name); check it and commit it", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = TestImages.pixels(try Data(contentsOf: url)), let actual = TestImages.pixels(png) else {
            Issue.record("\(name) does not decode", sourceLocation: sourceLocation)
            return
        }
        guard expected.width == actual.width, expected.height == actual.height else {
            Issue.record("\(name): \(actual.width)x\(actual.height), expected \(expected.width)x\(expected.height)",
                         sourceLocation: sourceLocation)
            return
        }
        var total = 0.0
        for y in 0..<actual.height {
            for x in 0..<actual.width {
                let a = actual.rgb(x: x, y: y), e = expected.rgb(x: x, y: y)
                total += Double(abs(a.red - e.red) + abs(a.green - e.green) + abs(a.blue - e.blue)) / 3
            }
        }
        let mean = total / Double(actual.width * actual.height)
        #expect(mean <= tolerance, "\(name) differs by \(mean) on average; set \(recordVariable)=1 to record it again",
                sourceLocation: sourceLocation)
    }
}
