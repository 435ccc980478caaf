// Expected outputs, byte for byte. When a change is intended, the failing
// test writes the new output to /tmp/leakscope-golden-*.{json,md,jsonl}:
// review it and paste it here.
enum Golden {
    static let recordJSON = #"""
    """#
}

extension Golden {
    static let markdown = #"""
    """#

    static let jsonl = #"""
    """#
}
