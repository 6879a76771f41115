@testable import AvatarSite
import Foundation
import Testing

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
