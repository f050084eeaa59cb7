/// Where one delivery (one digest to one subscriber) stands.
///
///     pending ──claim──▶ sending ──2xx──▶ sent
///        ▲                  │ ──5xx──▶ failed
///        └──4xx / dropped───┘
///     sending ──(crash, found at next start)──▶ uncertain ──(--resend-uncertain)──▶ pending
///
/// `sent`, `failed` and `uncertain` are final: nothing resends them on its own.
public enum DeliveryStatus: String, Sendable, CaseIterable, Codable {
    case pending, sending, sent, failed, uncertain
}
