@testable import AvatarSite
import Foundation
import Testing
@testable import AvatarSiteSources

/// EWS's SOAP answers, read by namespace URI and local name with an XML parser.
@Suite struct GetUserPhotoResultTests {
    static func envelope(_ body: String, namespace: String = "http://schemas.microsoft.com/exchange/services/2006/messages") -> Data {
        Data("""
            <?xml version="1.0" encoding="utf-8"?>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="\(namespace)">\(body)</GetUserPhotoResponse>
            </s:Body></s:Envelope>
            """.utf8)
    }

    /// Should read the photo from either namespace, the real one and the documentation's.
    @Test(arguments: ["http", "https"])
    func readsThePhoto(scheme: String) throws {
        let picture = Data((0..<300).map { UInt8($0 % 256) })
        let data = Self.envelope("<ResponseCode>NoError</ResponseCode><HasChanged>true</HasChanged><PictureData>\n"
                                 + picture.base64EncodedString(options: .lineLength64Characters) + "\n</PictureData>",
                                 namespace: "\(scheme)://schemas.microsoft.com/exchange/services/2006/messages")
        let result = try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        #expect(result.responseClass == "Success" && result.responseCode == "NoError" && result.hasChanged == true)
        #expect(result.pictureData == picture)
    }

    /// Should not take elements of another namespace, whatever their prefix or name.
    @Test func ignoresForeignNamespaces() throws {
        let data = Self.envelope(#"<x:PictureData xmlns:x="urn:other">AAAA</x:PictureData><HasChanged>false</HasChanged>"#)
        let result = try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        #expect(result.pictureData == nil && result.hasChanged == false)
    }

    /// Should refuse a picture over the limit before decoding all of it.
    @Test func refusesAnOversizedPicture() {
        let data = Self.envelope("<PictureData>\(Data(count: 4096).base64EncodedString())</PictureData>")
        #expect(throws: GetUserPhotoResult.ParseError.tooLarge) { try GetUserPhotoResult.parse(data, maxPictureBytes: 1024) }
    }

    /// Should read an error answer's code, and refuse what is not a SOAP envelope.
    @Test func readsErrorsAndRefusesNonSOAP() throws {
        let error = Data("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <m:GetUserPhotoResponse ResponseClass="Error" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
            <m:MessageText>The SMTP address has no mailbox associated with it.</m:MessageText>
            <m:ResponseCode>ErrorNonExistentMailbox</m:ResponseCode></m:GetUserPhotoResponse></s:Body></s:Envelope>
            """.utf8)
        let result = try GetUserPhotoResult.parse(error, maxPictureBytes: 1024)
        #expect(result.responseClass == "Error" && result.responseCode == "ErrorNonExistentMailbox")
        #expect(throws: GetUserPhotoResult.ParseError.self) {
            try GetUserPhotoResult.parse(Data("<html><body>Sign in</body></html>".utf8), maxPictureBytes: 1024)
        }
        #expect(throws: GetUserPhotoResult.ParseError.self) { try GetUserPhotoResult.parse(Data("<s:Envelope".utf8), maxPictureBytes: 1024) }
    }

    /// Should refuse any document type declaration, so no entity is ever expanded.
    @Test func refusesDocumentTypeDeclarations() throws {
        let data = Data("""
            <?xml version="1.0"?>
            <!DOCTYPE s:Envelope [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>&secret;</ResponseCode></GetUserPhotoResponse></s:Body></s:Envelope>
            """.utf8)
        #expect(throws: GetUserPhotoResult.ParseError.malformed("a SOAP answer may not declare a document type")) {
            try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        }
    }

    /// Hostile answers that declare a document type, as EWS never does: an internal subset, an
    /// external entity, and entities that expand a thousand-fold a level.
    static let hostileDocuments = [
        "internal DTD": """
            <?xml version="1.0"?>
            <!DOCTYPE s:Envelope [<!ELEMENT s:Envelope ANY><!ENTITY code "NoError">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>&code;</ResponseCode><HasChanged>true</HasChanged><PictureData>AAAA</PictureData>
            </GetUserPhotoResponse></s:Body></s:Envelope>
            """,
        "external entity": """
            <?xml version="1.0"?>
            <!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>NoError</ResponseCode><MessageText>&x;</MessageText></GetUserPhotoResponse></s:Body></s:Envelope>
            """,
        "entity expansion": """
            <?xml version="1.0"?>
            <!DOCTYPE s:Envelope [<!ENTITY a "lollollollollollollollollollol">\
            <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\
            <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>NoError</ResponseCode><MessageText>&e;</MessageText></GetUserPhotoResponse></s:Body></s:Envelope>
            """,
    ]

    /// The text in UTF-16, little or big endian, with or without a byte order mark.
    static func utf16(_ text: String, bigEndian: Bool, byteOrderMark: Bool) -> Data {
        var data = Data()
        for unit in (byteOrderMark ? [0xFEFF] : []) + Array(text.utf16) {
            let bytes = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            data.append(contentsOf: bigEndian ? bytes.reversed() : bytes)
        }
        return data
    }

    /// Should refuse an answer in UTF-16, whatever its byte order and mark, before the XML
    /// parser sees its document type: only UTF-8 is read.
    @Test(arguments: hostileDocuments.keys.sorted(), ["UTF-16LE", "UTF-16BE", "UTF-16LE with BOM", "UTF-16BE with BOM"])
    func refusesUTF16Answers(document: String, encoding: String) {
        let data = Self.utf16(Self.hostileDocuments[document] ?? "", bigEndian: encoding.hasPrefix("UTF-16BE"),
                              byteOrderMark: encoding.hasSuffix("BOM"))
        do {
            let result = try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
            Issue.record("read a UTF-16 answer with a document type: \(result)")
        } catch {
            guard case .malformed(let reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("UTF-8"), "\(reason)")
        }
    }

    /// Should refuse a NUL byte anywhere, even in an answer that is otherwise good UTF-8.
    @Test func refusesANulByte() {
        var data = Self.envelope("<ResponseCode>NoError</ResponseCode><HasChanged>false</HasChanged>")
        data.insert(0, at: data.index(data.startIndex, offsetBy: 60))
        #expect(throws: GetUserPhotoResult.ParseError.malformed("the answer is not UTF-8 text: it holds a NUL byte")) {
            try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        }
    }

    /// Should refuse an XML declaration naming another encoding: in UTF-7, `<!DOCTYPE` can be
    /// written `+ADw-!DOCTYPE`, and the parser would decode it.
    @Test(arguments: ["UTF-7", "utf-16", "ISO-8859-1"])
    func refusesAnotherDeclaredEncoding(encoding: String) {
        let data = Data("""
            <?xml version="1.0" encoding='\(encoding)'?>
            +ADw-!DOCTYPE s:Envelope +AFsAPA-!ENTITY code +ACI-NoError+ACIAPgBd-+AD4-
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>+ACY-code+ADs-</ResponseCode></GetUserPhotoResponse></s:Body></s:Envelope>
            """.utf8)
        #expect(throws: GetUserPhotoResult.ParseError.malformed("the answer declares the encoding \(encoding), not UTF-8")) {
            try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        }
    }

    /// Should read the XML declaration to its end: spaces before its encoding must not hide a
    /// UTF-7 document whose document type the search for `<!DOCTYPE` cannot see.
    @Test func refusesAnEncodingDeclaredAfterPadding() {
        let body = """
            +ADw-!DOCTYPE s:Envelope +AFsAPA-!ENTITY code +ACI-NoError+ACIAPgBd-+AD4-
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <GetUserPhotoResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
            <ResponseCode>+ACY-code+ADs-</ResponseCode></GetUserPhotoResponse></s:Body></s:Envelope>
            """
        let padded = Data(("<?xml version=\"1.0\"" + String(repeating: " ", count: 300) + "encoding=\"UTF-7\"?>\n" + body).utf8)
        #expect(throws: GetUserPhotoResult.ParseError.malformed("the answer declares the encoding UTF-7, not UTF-8")) {
            try GetUserPhotoResult.parse(padded, maxPictureBytes: 1024)
        }
        let unended = Data(("<?xml version=\"1.0\" encoding=\"UTF-7\"" + String(repeating: " ", count: 300) + body).utf8)
        #expect(throws: GetUserPhotoResult.ParseError.malformed("the XML declaration never ends")) {
            try GetUserPhotoResult.parse(unended, maxPictureBytes: 1024)
        }
    }

    /// Should still read a UTF-8 answer that starts with a byte order mark.
    @Test func readsUTF8WithAByteOrderMark() throws {
        let picture = Data((0..<90).map { UInt8($0) })
        let data = Data([0xEF, 0xBB, 0xBF]) + Self.envelope("<ResponseCode>NoError</ResponseCode><HasChanged>true</HasChanged>"
                                                             + "<PictureData>\(picture.base64EncodedString())</PictureData>")
        let result = try GetUserPhotoResult.parse(data, maxPictureBytes: 1024)
        #expect(result.responseCode == "NoError" && result.pictureData == picture)
    }

    /// Should read a SOAP fault's code from the errors namespace, or from its fault code, with
    /// the back-off a busy server asks for.
    @Test func readsFaults() throws {
        let busy = Data("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
            <faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>
            <faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring>
            <detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>
            <e:MessageXml xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">
            <t:Value xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" Name="BackOffMilliseconds">2500</t:Value>
            </e:MessageXml></detail></s:Fault></s:Body></s:Envelope>
            """.utf8)
        let result = try GetUserPhotoResult.parse(busy, maxPictureBytes: 0)
        #expect(result.responseCode == "ErrorServerBusy" && result.backOffMilliseconds == 2500)
        #expect(result.faultString?.hasPrefix("The server cannot service") == true)
        let bare = Data("""
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>
            <faultcode>a:ErrorInvalidServerVersion</faultcode><faultstring>bad version</faultstring></s:Fault></s:Body></s:Envelope>
            """.utf8)
        #expect(try GetUserPhotoResult.parse(bare, maxPictureBytes: 0).responseCode == "ErrorInvalidServerVersion")
    }

    /// Should ask for the smallest EWS size that covers the largest configured size.
    @Test func picksTheSizeCode() {
        #expect(EWSPhotoSize.code(covering: 648) == "HR648x648")
        #expect(EWSPhotoSize.code(covering: 200) == "HR240x240")
        #expect(EWSPhotoSize.code(covering: 2048) == "HR648x648")
    }

    /// Should escape an address for XML and drop what XML cannot carry.
    @Test func escapesTheAddress() {
        let body = String(decoding: GetUserPhotoEnvelope.request(email: "o'hara&<x>@contoso.example\u{1}", sizeRequested: "HR648x648"),
                          as: UTF8.self)
        #expect(body.contains("<m:Email>o&apos;hara&amp;&lt;x&gt;@contoso.example</m:Email>"))
    }
}
