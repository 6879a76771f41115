/// CSV as RFC 4180 writes it, read by Unicode scalars. Comparing `Character`s would glue a
/// delimiter or a quote to a combining mark after it (`,` and U+0301 are one `Character`), so a
/// field that starts with one would join the field before it.
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks; records end with CRLF, LF
/// or a lone CR; a byte order mark at the start is skipped. A quote inside an unquoted field is
/// taken as it is; text between a closing quote and the next delimiter is an error.
enum CSVRecords {
    struct Record: Equatable {
        /// The physical line the record starts on, counting from 1.
        var line: Int
        var fields: [String]
    }

    struct Malformed: Error, Equatable {
        var line: Int
        var reason: String
    }

    private enum State {
        case fieldStart, unquoted, quoted, afterQuote
    }

    static func parse(_ text: String, delimiter: Unicode.Scalar) throws(Malformed) -> [Record] {
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        if index < scalars.endIndex, scalars[index] == "\u{FEFF}" { index = scalars.index(after: index) }
        var records = [Record]()
        var fields = [String]()
        var field = String.UnicodeScalarView()
        var state = State.fieldStart
        var line = 1
        var recordLine = 1
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            let crlf = scalar == "\r" && index < scalars.endIndex && scalars[index] == "\n"
            if state == .quoted {
                if scalar == "\"" {
                    if index < scalars.endIndex, scalars[index] == "\"" {
                        field.append("\"")
                        index = scalars.index(after: index)
                    } else {
                        state = .afterQuote
                    }
                } else {
                    // A CRLF is one line break, counted at its LF.
                    if scalar == "\n" || (scalar == "\r" && !crlf) { line += 1 }
                    field.append(scalar)
                }
            } else if scalar == delimiter {
                fields.append(String(field))
                field = String.UnicodeScalarView()
                state = .fieldStart
            } else if scalar == "\r" || scalar == "\n" {
                if crlf { index = scalars.index(after: index) }
                fields.append(String(field))
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                field = String.UnicodeScalarView()
                state = .fieldStart
                line += 1
                recordLine = line
            } else if state == .afterQuote {
                throw Malformed(line: line, reason: "text after the closing quote of a field")
            } else if scalar == "\"", state == .fieldStart {
                state = .quoted
            } else {
                field.append(scalar)
                state = .unquoted
            }
        }
        if state == .quoted { throw Malformed(line: recordLine, reason: "the quoted field is not closed") }
        // The last record, when the text does not end with a line break.
        if state != .fieldStart || !fields.isEmpty {
            fields.append(String(field))
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }

    static let delimiters: [Unicode.Scalar] = [",", ";", "\t"]

    /// The delimiter the first line uses most outside quotes: `,`, `;` or tab (`,` on a tie or
    /// when the line has none).
    static func guessedDelimiter(in text: String) -> Unicode.Scalar {
        var counts = [Unicode.Scalar: Int]()
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted, scalar == "\r" || scalar == "\n" { break }
            if !quoted, delimiters.contains(scalar) { counts[scalar, default: 0] += 1 }
        }
        return delimiters.max { counts[$0, default: 0] < counts[$1, default: 0] } ?? ","
    }
}
