import Testing
@testable import Correlation

// Placeholder so the target builds; replaced by real tests as the target fills in.
@Test func CorrelationModuleLoads() { #expect(Bool(true)) }
