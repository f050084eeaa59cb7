import Foundation
import NIOCore
import Testing

@testable import HeraldServe

/// Both encodings RFC 8058 allows for a one-click POST, and bodies that claim to be multipart but are not.
@Suite struct FormBodyTests {
    let type = "multipart/form-data; boundary=------------------------d74496d66958873e"
    let part =
        "--------------------------d74496d66958873e\r\n"
        + "Content-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
    let closing = "--------------------------d74496d66958873e--\r\n"

    func parse(_ body: String, _ type: String?) throws(FormBody.Malformed) -> FormBody {
        try FormBody.parse(ByteBuffer(string: body), contentType: type)
    }

    @Test func oneClickInEitherEncodingOrEmpty() throws {
        #expect(try parse(part + closing, type).isOneClick)
        #expect(try parse(part + closing, "Multipart/Form-Data; BOUNDARY=\"------------------------d74496d66958873e\"").isOneClick)
        #expect(try parse("List-Unsubscribe=One-Click", "application/x-www-form-urlencoded").isOneClick)
        #expect(try parse("List-Unsubscribe=One-Click", nil).isOneClick)
        #expect(try parse("", "application/x-www-form-urlencoded").isOneClick)
        #expect(try !parse("csrf=1.a&token=t", "application/x-www-form-urlencoded").isOneClick)
    }

    @Test func theFirstValueWinsInEitherEncoding() throws {
        let twice = part + part.replacingOccurrences(of: "One-Click", with: "Other") + closing
        #expect(try parse(twice, type).fields["List-Unsubscribe"] == "One-Click")
        #expect(try parse("a=1&a=2", nil).fields["a"] == "1")
    }

    @Test func hostileMultipartBodiesAreMalformed() {
        #expect(throws: FormBody.Malformed.self) { try parse(part + closing, "multipart/form-data") }
        #expect(throws: FormBody.Malformed.self) { try parse(part + closing, "multipart/form-data; boundary=") }
        #expect(throws: FormBody.Malformed.self) {
            try parse(part + closing, "multipart/form-data; boundary=" + String(repeating: "b", count: 71))
        }
        #expect(throws: FormBody.Malformed.self) { try parse(part, type) }
        #expect(throws: FormBody.Malformed.self) { try parse("\u{0}garbage" + closing, type) }
        #expect(throws: FormBody.Malformed.self) { try parse(closing, type) }
        let nameless = part.replacingOccurrences(of: "Content-Disposition: form-data; name=\"List-Unsubscribe\"", with: "X: y")
        #expect(throws: FormBody.Malformed.self) { try parse(nameless + closing, type) }
    }
}
