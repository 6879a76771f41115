import Foundation
import Hummingbird
import HTTPTypes
#if canImport(FoundationXML)
import FoundationXML
#endif

extension DemoTenant {
    /// Exchange Web Services' `GetUserPhoto` at `/EWS/Exchange.asmx`: the SOAP operation (POST)
    /// and its REST form `…/s/GetUserPhoto?email=…&size=…` (GET), both answering `If-None-Match`.
    /// An address EWS does not know is HTTP 500, as the operation's documentation says.
    func ews(_ route: [String], method: HTTPRequest.Method, query: [String: String], body: Data?,
             ifNoneMatch: String?) -> DemoAnswer {
        if method == .get, route.count == 2, route[0] == "s", route[1] == "GetUserPhoto" {
            count("ews_rest")
            return ewsREST(email: query["email"] ?? "", size: query["size"] ?? "", ifNoneMatch: ifNoneMatch)
        }
        if method == .post, route.isEmpty, let body {
            count("ews_soap")
            guard let request = GetUserPhotoRequestReader.read(body) else {
                return .bytes(.badRequest, Data("malformed SOAP".utf8), contentType: "text/plain")
            }
            return ewsSOAP(email: request.email, ifNoneMatch: ifNoneMatch)
        }
        return .bytes(.notFound, Data(), contentType: "text/plain")
    }

    private func ewsUser(_ email: String) -> DemoUser? {
        user(key: email)
    }

    private func refusedEWSAnswer(_ user: DemoUser) -> DemoAnswer? {
        guard isUnauthorizedPhoto(user.id) else { return nil }
        count("fault_401")
        return .bytes(.unauthorized, Data(), contentType: "text/plain")
    }

    private func ewsREST(email: String, size: String, ifNoneMatch: String?) -> DemoAnswer {
        guard size.hasPrefix("HR") else { return .bytes(.badRequest, Data(), contentType: "text/plain") }
        guard let user = ewsUser(email) else {
            count("ews_unknown")
            return .bytes(.internalServerError, Data(), contentType: "text/plain")
        }
        if let refused = refusedEWSAnswer(user) { return refused }
        guard user.photo.largestSize != nil else { return .bytes(.notFound, Data(), contentType: "text/plain") }
        if let ifNoneMatch, ifNoneMatch == etag(user) {
            count("ews_not_modified")
            return .bytes(.notModified, Data(), contentType: "image/jpeg", headers: ["ETag": etag(user)])
        }
        switch photoValue(userID: user.id, size: nil) {
        case .bytes(let status, let data, let contentType, _):
            count("ews_photo_bytes")
            return .bytes(status, data, contentType: contentType, headers: ["ETag": etag(user)])
        case let other:
            return other
        }
    }

    private func ewsSOAP(email: String, ifNoneMatch: String?) -> DemoAnswer {
        guard let user = ewsUser(email) else {
            count("ews_unknown")
            return .bytes(.internalServerError, Data(), contentType: "text/xml; charset=utf-8")
        }
        if let refused = refusedEWSAnswer(user) { return refused }
        guard user.photo.largestSize != nil else {
            return soapResponse(responseClass: "Error", code: "ErrorItemNotFound", hasChanged: nil, picture: nil, etag: nil)
        }
        if let ifNoneMatch, ifNoneMatch == etag(user) {
            count("ews_not_modified")
            return soapResponse(responseClass: "Success", code: "NoError", hasChanged: false, picture: nil, etag: etag(user))
        }
        switch photoValue(userID: user.id, size: nil) {
        case .bytes(.ok, let data, _, _):
            count("ews_photo_bytes")
            if configuration.faults.utf16AnswerUsers.contains(user.id) {
                count("fault_utf16")
                return utf16Response(picture: data, etag: etag(user))
            }
            return soapResponse(responseClass: "Success", code: "NoError", hasChanged: true, picture: data, etag: etag(user))
        case let other:
            return other
        }
    }

    private func soapResponse(responseClass: String, code: String, hasChanged: Bool?, picture: Data?, etag: String?) -> DemoAnswer {
        let scheme = configuration.ewsDocumentationNamespaces ? "https" : "http"
        let messages = "\(scheme)://schemas.microsoft.com/exchange/services/2006/messages"
        let types = "\(scheme)://schemas.microsoft.com/exchange/services/2006/types"
        var inner = "<ResponseCode>\(code)</ResponseCode>"
        if let hasChanged { inner += "<HasChanged>\(hasChanged)</HasChanged>" }
        if let picture { inner += "<PictureData>\(picture.base64EncodedString(options: .lineLength76Characters))</PictureData>" }
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>\
            <h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" \
            Version="V2018_01_08" xmlns:h="\(types)" xmlns="\(types)"/></s:Header>\
            <s:Body><GetUserPhotoResponse ResponseClass="\(responseClass)" xmlns="\(messages)">\(inner)</GetUserPhotoResponse>\
            </s:Body></s:Envelope>
            """
        return .bytes(.ok, Data(xml.utf8), contentType: "text/xml; charset=utf-8", headers: etag.map { ["ETag": $0] } ?? [:])
    }

    /// A good answer in every way but its encoding: UTF-16LE without a byte order mark, with a
    /// document type whose entity the message text names.
    private func utf16Response(picture: Data, etag: String) -> DemoAnswer {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE s:Envelope [<!ENTITY note "declared in the document type">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>\
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">\
            <ResponseCode>NoError</ResponseCode><MessageText>&note;</MessageText><HasChanged>true</HasChanged>\
            <PictureData>\(picture.base64EncodedString())</PictureData></GetUserPhotoResponse></s:Body></s:Envelope>
            """
        let data = Data(xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return .bytes(.ok, data, contentType: "text/xml; charset=utf-16", headers: ["ETag": etag])
    }

    /// Writes the tenant's enabled users as a users file (CSV with a header row), with their ids
    /// or without (then the tool derives a key from each address).
    public func usersFileCSV(includingIDs: Bool = true) -> String {
        let columns = (includingIDs ? ["id"] : []) + ["mail", "displayName", "givenName", "surname", "jobTitle", "department",
                                                      "officeLocation"]
        var lines = [columns.joined(separator: ",")]
        for user in enabledUsers {
            lines.append(columns.map { column in
                Self.csvField(column == "id" ? user.id : user.fields[column] ?? "")
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// By scalar: a quote followed by a combining mark is one `Character`, and still a quote.
    static func csvField(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return text }
        var quoted = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.append(scalar) }
            quoted.append(scalar)
        }
        return "\"" + String(quoted) + "\""
    }
}

/// Reads `Email` out of a `GetUserPhoto` request with an XML parser, by namespace and local name.
private final class GetUserPhotoRequestReader: NSObject, XMLParserDelegate {
    private var email: String?
    private var inEmail = false

    static func read(_ body: Data) -> (email: String, Void)? {
        let reader = GetUserPhotoRequestReader()
        let parser = XMLParser(data: body)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        guard parser.parse(), let email = reader.email else { return nil }
        return (email, ())
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        inEmail = name == "Email" && (namespaceURI ?? "").hasSuffix("schemas.microsoft.com/exchange/services/2006/messages")
        if inEmail { email = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inEmail { email? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        inEmail = false
    }
}
