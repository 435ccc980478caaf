/// UDP conversations that began with an OpenVPN client hard reset on a port
/// OpenVPN is not decoded on by default (anything but 1194): their later
/// packets are decoded as OpenVPN too, the way Wireshark follows a
/// conversation. A single opcode byte is too weak to decode every UDP packet
/// as OpenVPN; a session that starts with a reset is not. Bounded: at most
/// `capacity` conversations, the oldest replaced first; O(capacity) lookup,
/// done only while the table is non-empty.
@usableFromInline final class UDPConversations {
    @usableFromInline struct Key: Equatable {
        @usableFromInline var a: IPAddress
        @usableFromInline var aPort: UInt16
        @usableFromInline var b: IPAddress
        @usableFromInline var bPort: UInt16
        @inlinable init(_ s: IPAddress, _ sp: UInt16, _ d: IPAddress, _ dp: UInt16) {
            if (s, sp) < (d, dp) { a = s; aPort = sp; b = d; bPort = dp } else { a = d; aPort = dp; b = s; bPort = sp }
        }
    }

    @usableFromInline let capacity: Int
    @usableFromInline var keys: [Key] = []
    @usableFromInline var next = 0

    @usableFromInline init(capacity: Int) {
        self.capacity = capacity
        keys.reserveCapacity(capacity)
    }

    @inlinable var isEmpty: Bool { keys.isEmpty }

    @inlinable func contains(_ s: IPAddress, _ sp: UInt16, _ d: IPAddress, _ dp: UInt16) -> Bool {
        let k = Key(s, sp, d, dp)
        for e in keys where e.aPort == k.aPort && e.bPort == k.bPort && e == k { return true }
        return false
    }

    @usableFromInline func remember(_ s: IPAddress, _ sp: UInt16, _ d: IPAddress, _ dp: UInt16) {
        guard !contains(s, sp, d, dp) else { return }
        let k = Key(s, sp, d, dp)
        if keys.count < capacity { keys.append(k) } else { keys[next] = k; next = (next + 1) % capacity }
    }

    @usableFromInline func removeAll() { keys.removeAll(keepingCapacity: true); next = 0 }
}
