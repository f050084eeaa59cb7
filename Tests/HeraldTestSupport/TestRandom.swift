import Foundation

/// The one generator randomized tests draw from (SplitMix64), so a failing run can be repeated:
/// each run prints its seed, and `HERALD_TEST_SEED=N` runs with seed N.
public struct TestRandom: RandomNumberGenerator, Sendable {
    /// The seed this generator started from; put `replay` in failure messages.
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator seeded from `HERALD_TEST_SEED` when it is set, else from a fresh random seed;
    /// either way the seed is printed with `suite`, so the run can be taken back.
    public static func seeded(_ suite: String) -> TestRandom {
        let seed: UInt64
        if let text = ProcessInfo.processInfo.environment["HERALD_TEST_SEED"] {
            // A mistyped seed would otherwise run a different test than the one asked for.
            guard let given = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                preconditionFailure("HERALD_TEST_SEED=\(text) is not a seed: give the number a test printed")
            }
            seed = given
        } else {
            seed = UInt64.random(in: .min ... .max)
        }
        print("\(suite): seed \(seed) (HERALD_TEST_SEED=\(seed) repeats this run)")
        return TestRandom(seed: seed)
    }

    /// What to set to repeat this run, for failure messages.
    public var replay: String { "HERALD_TEST_SEED=\(seed)" }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
