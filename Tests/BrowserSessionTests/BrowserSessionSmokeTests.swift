import Testing
@testable import BrowserSession

// Placeholder so the target builds; replaced by real tests as the target fills in.
@Test func BrowserSessionModuleLoads() { #expect(Bool(true)) }
