/// A minimal HTTP/1.1 request parser for the loopback probe server: one
/// request per connection, Content-Length bodies only, every size bounded.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public var path: Substring { target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
    public var query: [String: String] {
        guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        return out
    }
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.body == b.body
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}

public struct HTTPLimits: Sendable, Equatable {
    public var maxHeaderBytes: Int
    public var maxBodyBytes: Int
    public var maxHeaders: Int
    public init(maxHeaderBytes: Int = 8 * 1024, maxBodyBytes: Int = 512 * 1024, maxHeaders: Int = 64) {
        self.maxHeaderBytes = maxHeaderBytes; self.maxBodyBytes = maxBodyBytes; self.maxHeaders = maxHeaders
    }
}

public enum HTTPParseResult: Sendable, Equatable {
    /// Need more bytes.
    case incomplete
    case complete(HTTPRequest)
    /// Reject with this status (400, 411, 413, 431, 501, 505).
    case reject(status: Int, reason: String)
}

public enum HTTPRequestParser {
    /// Parses a request from the bytes received so far.
    public static func parse(_ buf: [UInt8], limits: HTTPLimits = HTTPLimits()) -> HTTPParseResult {
        guard let headEnd = find(crlfcrlf, in: buf, limit: limits.maxHeaderBytes + 4) else {
            return buf.count > limits.maxHeaderBytes
                ? .reject(status: 431, reason: "request header larger than \(limits.maxHeaderBytes) bytes")
                : .incomplete
        }
        guard headEnd <= limits.maxHeaderBytes else {
            return .reject(status: 431, reason: "request header larger than \(limits.maxHeaderBytes) bytes")
        }
        // Header bytes must be ASCII-ish text; anything else is a bad request.
        guard let head = String(validating: buf[0..<headEnd], as: UTF8.self) else {
            return .reject(status: 400, reason: "request header is not UTF-8")
        }
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[1].hasPrefix("/") else {
            return .reject(status: 400, reason: "malformed request line")
        }
        guard requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0" else {
            return .reject(status: 505, reason: "only HTTP/1.0 and HTTP/1.1")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard headers.count < limits.maxHeaders else {
                return .reject(status: 431, reason: "more than \(limits.maxHeaders) header fields")
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                return .reject(status: 400, reason: "malformed header field")
            }
            let name = line[..<colon]
            guard !name.contains(" "), !name.contains("\t") else {
                return .reject(status: 400, reason: "whitespace in header field name")
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append((String(name), String(value)))
        }
        var request = HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [])
        if request.header("Transfer-Encoding") != nil {
            return .reject(status: 501, reason: "Transfer-Encoding is not supported; send Content-Length")
        }
        var length = 0
        if let cl = request.header("Content-Length") {
            guard let n = Int(cl), n >= 0 else { return .reject(status: 400, reason: "bad Content-Length") }
            guard n <= limits.maxBodyBytes else {
                return .reject(status: 413, reason: "body larger than \(limits.maxBodyBytes) bytes")
            }
            length = n
        } else if request.method == "POST" || request.method == "PUT" {
            return .reject(status: 411, reason: "Content-Length required")
        }
        let bodyStart = headEnd + 4
        guard buf.count >= bodyStart + length else { return .incomplete }
        request.body = Array(buf[bodyStart..<(bodyStart + length)])
        return .complete(request)
    }

    private static let crlfcrlf: [UInt8] = [13, 10, 13, 10]

    /// Index of the first occurrence of `needle`, looking at most `limit` bytes.
    static func find(_ needle: [UInt8], in hay: [UInt8], limit: Int) -> Int? {
        let end = min(hay.count, limit) - needle.count
        guard end >= 0 else { return nil }
        var i = 0
        while i <= end {
            if hay[i] == needle[0] && hay[i + 1] == needle[1] && hay[i + 2] == needle[2] && hay[i + 3] == needle[3] {
                return i
            }
            i += 1
        }
        return nil
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
        self.status = status; self.contentType = contentType; self.body = body
    }
    public init(status: Int, text: String) { self.init(status: status, body: Array(text.utf8)) }

    public func serialized() -> [UInt8] {
        let head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            + "Content-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\n"
            + "Cache-Control: no-store\r\n"
            + "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func reason(_ s: Int) -> String {
        switch s {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 431: "Request Header Fields Too Large"
        case 501: "Not Implemented"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
