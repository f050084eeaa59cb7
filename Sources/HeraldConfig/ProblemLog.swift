import HeraldBase

/// Gathers every problem of a config file instead of stopping at the first, so
/// `herald check` shows a misspelt key and the missing one it was meant to be together.
final class ProblemLog {
    private(set) var problems: [SourceProblem] = []

    func add(_ problem: SourceProblem) { problems.append(problem) }

    /// The value `read` gives (nil when the key is absent), or nil with its problem logged.
    /// Readers throw only `SourceProblem`; the closure is untyped because Swift does not
    /// infer typed throws for closures yet.
    func attempt<T>(_ read: () throws -> T?) -> T? {
        do { return try read() } catch let problem as SourceProblem {
            problems.append(problem)
        } catch {
            preconditionFailure("config readers throw SourceProblem, not \(error)")
        }
        return nil
    }
}
