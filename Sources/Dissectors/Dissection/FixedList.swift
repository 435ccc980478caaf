/// A list with a fixed capacity stored inline (no heap), for the per-packet
/// `Dissection`: appends past the capacity are dropped and counted in
/// `dropped`, so a hostile packet cannot make the list grow.
public struct FixedList<let capacity: Int, Element>: RandomAccessCollection {
    @usableFromInline var storage: InlineArray<capacity, Element>
    @usableFromInline var _count: Int = 0
    @usableFromInline var _dropped: Int = 0
    @inlinable public var count: Int { _count }
    /// Appends refused because the list was full.
    @inlinable public var dropped: Int { _dropped }

    @inlinable public init(filler: Element) { storage = InlineArray(repeating: filler) }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "FixedList index out of range")
        return storage[i]
    }

    /// Appends; returns false (and counts the drop) when full.
    @inlinable @discardableResult
    public mutating func append(_ e: Element) -> Bool {
        guard _count < capacity else { _dropped &+= 1; return false }
        storage[_count] = e
        _count &+= 1
        return true
    }

    @inlinable public mutating func removeAll() { _count = 0; _dropped = 0 }

    @inlinable public var last: Element? { count > 0 ? storage[count - 1] : nil }
}

extension FixedList: Sendable where Element: Sendable {}
