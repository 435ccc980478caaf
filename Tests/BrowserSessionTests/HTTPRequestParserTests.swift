import Testing
@testable import BrowserSession

@Suite struct HTTPRequestParserTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func getRequest() {
        let r = HTTPRequestParser.parse(bytes("GET /config.json?round=2 HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nAccept:  */* \r\n\r\n"))
        guard case .complete(let req) = r else { Issue.record("expected a request, got \(r)"); return }
        #expect(req.method == "GET")
        #expect(req.path == "/config.json")
        #expect(req.query == ["round": "2"])
        #expect(req.header("accept") == "*/*")
        #expect(req.header("host") == "127.0.0.1:5000")
        #expect(req.body.isEmpty)
    }

    @Test func postWithBodyArrivingInPieces() {
        let full = bytes("POST /candidates?round=1 HTTP/1.1\r\nContent-Length: 11\r\n\r\n{\"a\":[1,2]}")
        #expect(HTTPRequestParser.parse(Array(full.prefix(20))) == .incomplete)
        #expect(HTTPRequestParser.parse(Array(full.dropLast(3))) == .incomplete)
        guard case .complete(let req) = HTTPRequestParser.parse(full) else { Issue.record("no request"); return }
        #expect(req.body == bytes("{\"a\":[1,2]}"))
        #expect(req.query["round"] == "1")
    }

    @Test func boundsAndRejections() {
        let small = HTTPLimits(maxHeaderBytes: 64, maxBodyBytes: 16, maxHeaders: 2)
        #expect(HTTPRequestParser.parse(bytes("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 80)), limits: small)
                == .reject(status: 431, reason: "request header larger than 64 bytes"))
        #expect(HTTPRequestParser.parse(bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), limits: small)
                == .reject(status: 431, reason: "more than 2 header fields"))
        #expect(HTTPRequestParser.parse(bytes("POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n"), limits: small)
                == .reject(status: 413, reason: "body larger than 16 bytes"))
        #expect(HTTPRequestParser.parse(bytes("POST / HTTP/1.1\r\n\r\n"))
                == .reject(status: 411, reason: "Content-Length required"))
        #expect(HTTPRequestParser.parse(bytes("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                == .reject(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length"))
        #expect(HTTPRequestParser.parse(bytes("GET / HTTP/2.0\r\n\r\n"))
                == .reject(status: 505, reason: "only HTTP/1.0 and HTTP/1.1"))
        #expect(HTTPRequestParser.parse(bytes("GET nope HTTP/1.1\r\n\r\n"))
                == .reject(status: 400, reason: "malformed request line"))
        #expect(HTTPRequestParser.parse(bytes("GET / HTTP/1.1\r\nno-colon\r\n\r\n"))
                == .reject(status: 400, reason: "malformed header field"))
        #expect(HTTPRequestParser.parse(bytes("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"))
                == .reject(status: 400, reason: "bad Content-Length"))
        #expect(HTTPRequestParser.parse([0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0xFF, 13, 10, 13, 10])
                == .reject(status: 400, reason: "request header is not UTF-8"))
    }
}
