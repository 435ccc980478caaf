/// Text of a NUL-terminated C buffer (libpcap's errbuf), up to the first NUL.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
