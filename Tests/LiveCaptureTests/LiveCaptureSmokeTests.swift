import Testing
@testable import LiveCapture

// Placeholder so the target builds; replaced by real tests as the target fills in.
@Test func LiveCaptureModuleLoads() { #expect(Bool(true)) }
