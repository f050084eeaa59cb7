import Foundation

/// How long to wait before retrying after a temporary failure (4xx, dropped
/// connection): exponential, capped, with jitter so parallel connections that
/// failed together do not retry in lockstep.
public struct Backoff: Sendable {
    /// Delay before the first retry.
    public var base: Double
    /// No delay exceeds this.
    public var cap: Double
    /// Fraction of the delay that is randomized (0 = none): delay × [1 − jitter, 1].
    public var jitter: Double

    public init(base: Double = 1, cap: Double = 300, jitter: Double = 0.2) {
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// Delay before retry number `retry` (1 = first retry): base × 2^(retry−1), capped.
    public func delay(retry: Int, random: Double = Double.random(in: 0..<1)) -> Double {
        let exponent = Double(max(0, min(retry - 1, 62)))
        let full = min(cap, base * pow(2, exponent))
        return full * (1 - jitter * random)
    }
}
