import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a `GetUserPhoto` SOAP answer says, read with a namespace-aware XML parser: elements are
/// matched by namespace URI and local name, never by prefix or string search.
struct GetUserPhotoResult: Equatable {
    /// `Success`, `Warning` or `Error` (the `ResponseClass` attribute).
    var responseClass: String?
    /// `NoError`, or one of EWS's error codes such as `ErrorNonExistentMailbox`.
    var responseCode: String?
    var messageText: String?
    var hasChanged: Bool?
    /// The photo's bytes, decoded from base64.
    var pictureData: Data?
    /// A SOAP fault's `faultstring`, when the answer is one.
    var faultString: String?
    /// A fault's back-off in milliseconds (`ErrorServerBusy` carries one in its `MessageXml`).
    var backOffMilliseconds: Int?

    enum ParseError: Error, Equatable {
        /// Not a SOAP envelope, or XML that does not parse.
        case malformed(String)
        /// `PictureData` would decode to more than the limit.
        case tooLarge
    }

    /// The EWS namespaces (messages, types, and the errors of a SOAP fault's detail), as real
    /// Exchange writes them and as Microsoft's documentation does.
    static let ewsNamespaces: Set<String> = Set(["messages", "types", "errors"].flatMap { part in
        ["http", "https"].map { "\($0)://schemas.microsoft.com/exchange/services/2006/\(part)" }
    })
    static let soapNamespaces: Set<String> = [
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",
    ]

    /// Parses a SOAP answer, refusing a `PictureData` that would decode to more than
    /// `maxPictureBytes`, and any document type declaration: SOAP forbids them, and the parser
    /// would expand the entities one declares.
    static func parse(_ data: Data, maxPictureBytes: Int) throws(ParseError) -> GetUserPhotoResult {
        try checkEncoding(data)
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!doctype".utf8)) != nil {
            throw .malformed("a SOAP answer may not declare a document type")
        }
        let reader = Reader(maxBase64Characters: maxPictureBytes / 3 * 4 + 4)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let parsed = parser.parse()
        if reader.overflowed { throw .tooLarge }
        guard parsed, reader.sawEnvelope else {
            throw .malformed(parser.parserError.map { "\($0.localizedDescription)" } ?? "not a SOAP envelope")
        }
        var result = reader.result
        if result.responseCode == nil || result.responseCode?.isEmpty == true, let faultCode = reader.faultCode {
            // `a:ErrorServerBusy`: the code is the local part of the fault code.
            result.responseCode = String(faultCode.split(separator: ":").last ?? Substring(faultCode))
        }
        if let base64 = reader.pictureBase64 {
            guard let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                throw .malformed("PictureData is not base64")
            }
            guard bytes.count <= maxPictureBytes else { throw .tooLarge }
            result.pictureData = bytes
        }
        return result
    }

    /// EWS answers in UTF-8, and only UTF-8 is read (a UTF-8 byte order mark allowed), so that
    /// the search for a document type above sees the bytes the parser will read. The XML parser
    /// would take UTF-16 without a byte order mark from its first bytes (ASCII and NULs, which
    /// pass for UTF-8), or any encoding the XML declaration names; in either, `<!DOCTYPE` is
    /// not those bytes. Foundation's XMLParser on Linux also traps on names that are not UTF-8.
    static func checkEncoding(_ data: Data) throws(ParseError) {
        if data.contains(0) { throw .malformed("the answer is not UTF-8 text: it holds a NUL byte") }
        guard String(validating: data, as: UTF8.self) != nil else { throw .malformed("the answer is not UTF-8") }
        if let encoding = try declaredEncoding(data), encoding.lowercased() != "utf-8" {
            throw .malformed("the answer declares the encoding \(encoding.prefix(40)), not UTF-8")
        }
    }

    /// The `encoding` of the XML declaration `<?xml version="1.0" encoding="…"?>` the text
    /// starts with, after a byte order mark; nil when there is none. The declaration is read to
    /// its end however long it is: padded with spaces, it would otherwise hide an encoding the
    /// parser still follows.
    private static func declaredEncoding(_ data: Data) throws(ParseError) -> String? {
        let start = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.startIndex + 3 : data.startIndex
        let text = data[start...]
        guard text.starts(with: Data("<?xml".utf8)) else { return nil }
        guard let end = text.range(of: Data("?>".utf8)) else { throw .malformed("the XML declaration never ends") }
        let declaration = String(decoding: text[..<end.lowerBound], as: UTF8.self)
        guard let name = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[name.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// The parser's delegate: tracks where it is by namespace and local name.
    private final class Reader: NSObject, XMLParserDelegate {
        var result = GetUserPhotoResult()
        var sawEnvelope = false
        var pictureBase64: String?
        var faultCode: String?
        var overflowed = false
        let maxBase64Characters: Int
        private var path = [(namespace: String, name: String)]()
        private var valueName: String?
        private var text = ""

        init(maxBase64Characters: Int) {
            self.maxBase64Characters = maxBase64Characters
        }

        private func isEWS(_ element: (namespace: String, name: String)?, _ name: String) -> Bool {
            guard let element else { return false }
            return element.name == name && GetUserPhotoResult.ewsNamespaces.contains(element.namespace)
        }

        private var insideResponse: Bool { path.contains { isEWS($0, "GetUserPhotoResponse") } }
        private var insideFault: Bool {
            path.contains { $0.name == "Fault" && GetUserPhotoResult.soapNamespaces.contains($0.namespace) }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = (namespace: namespaceURI ?? "", name: name)
            if path.isEmpty, name == "Envelope", GetUserPhotoResult.soapNamespaces.contains(element.namespace) {
                sawEnvelope = true
            }
            if isEWS(element, "GetUserPhotoResponse") {
                result.responseClass = attributes["ResponseClass"]
            }
            // A fault's details come as `<t:Value Name="BackOffMilliseconds">2500</t:Value>`.
            valueName = name == "Value" ? attributes["Name"] : nil
            path.append(element)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !path.isEmpty else { return }
            if isEWS(path.last, "PictureData") {
                if (pictureBase64?.utf8.count ?? 0) + string.utf8.count > maxBase64Characters {
                    overflowed = true
                    parser.abortParsing()
                    return
                }
                // Appended in place: the parser hands the text over line by line.
                if pictureBase64 == nil { pictureBase64 = "" }
                pictureBase64?.append(string)
            } else if text.utf8.count < 4096 {
                text += string
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = path.popLast() else { return }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            text = ""
            if insideResponse || isEWS(element, "GetUserPhotoResponse") || insideFault {
                switch (element.name, GetUserPhotoResult.ewsNamespaces.contains(element.namespace)) {
                case ("ResponseCode", true): result.responseCode = value
                case ("MessageText", true): result.messageText = value
                case ("HasChanged", true): result.hasChanged = value.lowercased() == "true" || value == "1"
                case ("PictureData", true): if pictureBase64 == nil { pictureBase64 = "" }
                case ("Value", _) where valueName == "BackOffMilliseconds": result.backOffMilliseconds = Int(value)
                case ("faultcode", _) where insideFault: faultCode = value
                case ("faultstring", _) where insideFault, ("Text", _) where insideFault: result.faultString = value
                default: break
                }
            }
        }
    }
}
