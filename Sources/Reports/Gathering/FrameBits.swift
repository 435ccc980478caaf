/// A set of frame numbers at one bit per frame of the capture: the frames all
/// findings cite (10,000 findings of 1,000 frames), counted or visited in order,
/// without a hashed Int per cited frame. Numbers outside 0..<2^26 (a record read
/// back may say anything) go to a plain set beside the bits.
struct FrameBits {
    static let bitLimit = 1 << 26
    private var words: [UInt64] = []
    private var others: Set<Int> = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func insert(_ frame: Int) {
        guard frame >= 0 && frame < Self.bitLimit else {
            if others.insert(frame).inserted { count += 1 }
            return
        }
        let w = frame >> 6, bit = UInt64(1) << UInt64(frame & 63)
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: max(w + 1, words.count * 2) - words.count)) }
        if words[w] & bit == 0 { words[w] |= bit; count += 1 }
    }

    mutating func insert<S: Sequence<Int>>(contentsOf frames: S) { for f in frames { insert(f) } }

    /// The frames in ascending order.
    func sorted() -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (w, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                out.append(w << 6 | rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        if !others.isEmpty { out += others; out.sort() }
        return out
    }
}
