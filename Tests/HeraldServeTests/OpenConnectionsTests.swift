import Testing

@testable import HeraldServe

@Suite struct OpenConnectionsTests {
    /// Half of what is left after the descriptors kept for databases, logs and SMTP, and never none.
    @Test func theCapStaysWellBelowTheDescriptorLimit() {
        #expect(OpenConnections.limit(descriptors: 256, publications: 1) == 104)
        #expect(OpenConnections.limit(descriptors: 16384, publications: 2) == 8160)
        #expect(OpenConnections.limit(descriptors: 20, publications: 3) == 8)
    }
}
