import Testing
import CaptureFiles

@Suite struct ByteViewTests {
    @Test func readsAreBoundsChecked() {
        let bytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9a]
        bytes.withUnsafeBytes { raw in
            let v = ByteView(raw)
            #expect(v.integer(at: 0, as: UInt8.self) == 0x12)
            #expect(v.integer(at: 5, as: UInt8.self) == nil)
            #expect(v.integer(at: -1, as: UInt8.self) == nil)
            #expect(v.integer(at: 0, as: UInt16.self) == 0x1234)
            #expect(v.integer(at: 0, endianness: .little, as: UInt16.self) == 0x3412)
            #expect(v.integer(at: 1, as: UInt32.self) == 0x3456_789a)
            #expect(v.integer(at: 2, as: UInt32.self) == nil)
            #expect(v.slice(1, 3)?.toArray() == [0x34, 0x56, 0x78])
            #expect(v.slice(3, 3) == nil)
            #expect(v.slice(2, Int.max) == nil)
            #expect(v.suffix(from: 5)?.count == 0)
            #expect(v.suffix(from: 6) == nil)
            #expect(v.prefix(100).count == 5)
            #expect(v.integer(at: 1, endianness: .little, as: UInt32.self) == 0x9a78_5634)
            #expect(v.integer(at: 0, as: UInt64.self) == nil)
            #expect(v.integer(at: Int.max, as: UInt16.self) == nil)
            #expect(v.integer(at: 4, as: Int8.self) == -102)
        }
    }
}
