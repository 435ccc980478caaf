import Testing
import CaptureFiles

@Suite struct ByteViewTests {
    @Test func readsAreBoundsChecked() {
        let bytes: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x9a]
        bytes.withUnsafeBytes { raw in
            let v = ByteView(raw)
            #expect(v.u8(0) == 0x12)
            #expect(v.u8(5) == nil)
            #expect(v.u8(-1) == nil)
            #expect(v.u16be(0) == 0x1234)
            #expect(v.u16le(0) == 0x3412)
            #expect(v.u32be(1) == 0x3456_789a)
            #expect(v.u32be(2) == nil)
            #expect(v.slice(1, 3)?.toArray() == [0x34, 0x56, 0x78])
            #expect(v.slice(3, 3) == nil)
            #expect(v.slice(2, Int.max) == nil)
            #expect(v.suffix(from: 5)?.count == 0)
            #expect(v.suffix(from: 6) == nil)
            #expect(v.prefix(100).count == 5)
            #expect(v.hex() == "123456789a")
        }
    }
}
