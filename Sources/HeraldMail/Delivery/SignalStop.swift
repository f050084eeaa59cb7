import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// While a send runs, SIGTERM (`systemctl stop`) and SIGINT (Ctrl-C) ask it to stop
/// cleanly instead of killing it: every connection finishes the message it is on, the
/// journal records the outcomes, and the rest stays `pending`, not `uncertain`.
/// A second signal ends the process at once (what is `sending` becomes `uncertain`).
final class SignalStop {
    private var sources: [any DispatchSourceSignal] = []
    private static let signals = [SIGTERM, SIGINT]

    init(onSignal: @escaping @Sendable () -> Void) {
        let seen = Seen()
        for number in Self.signals {
            signal(number, SIG_IGN) // let the dispatch source see it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let again = seen.before.withLock { before in
                    defer { before = true }
                    return before
                }
                if again { _exit(128 + number) }
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}

/// Whether a signal came before, shared by the handlers of both signals (which outlive `init`).
private final class Seen: Sendable {
    let before = Mutex(false)
}
