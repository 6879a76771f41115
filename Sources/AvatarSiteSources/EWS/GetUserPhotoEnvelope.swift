import Foundation

/// The SOAP request of EWS's `GetUserPhoto` operation, as Exchange 2013 and later take it.
enum GetUserPhotoEnvelope {
    /// The namespaces real Exchange uses. (Microsoft's documentation writes them with https://,
    /// an artefact of a link rewrite; answers with either are accepted by `GetUserPhotoResult`.)
    static let messagesNamespace = "http://schemas.microsoft.com/exchange/services/2006/messages"
    static let typesNamespace = "http://schemas.microsoft.com/exchange/services/2006/types"
    static let soapAction = "http://schemas.microsoft.com/exchange/services/2006/messages/GetUserPhoto"

    static func request(email: String, sizeRequested: String) -> Data {
        Data("""
            <?xml version="1.0" encoding="utf-8"?>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns:t="\(typesNamespace)" xmlns:m="\(messagesNamespace)">\
            <soap:Header><t:RequestServerVersion Version="Exchange2013"/></soap:Header>\
            <soap:Body><m:GetUserPhoto><m:Email>\(escaped(email))</m:Email>\
            <m:SizeRequested>\(escaped(sizeRequested))</m:SizeRequested></m:GetUserPhoto></soap:Body>\
            </soap:Envelope>
            """.utf8)
    }

    /// Text for an XML element: the five predefined entities, and no control characters, which
    /// XML 1.0 cannot carry at all.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case _ where scalar.value < 0x20: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
