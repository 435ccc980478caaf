import Testing
@testable import Dissectors

// Placeholder so the target builds; replaced by real tests as the target fills in.
@Test func DissectorsModuleLoads() { #expect(Bool(true)) }
