import Foundation
import HeraldBase

extension SiteLayout {
    /// The output folder is published whole and the state folder holds every subscriber's
    /// address, token and consent record, so neither may be inside the other. Compared by
    /// where they really are: a symbolic link on the way does not hide one inside the other.
    public func requireApart(fromState state: URL) throws(Failure) {
        let output = root.standardizedFileURL.path
        let stateFolder = state.standardizedFileURL.path
        let realOutput = RealPath.asFarAsExists(output)
        let realState = RealPath.asFarAsExists(stateFolder)
        if RealPath.isInside(realState, realOutput) {
            throw Failure(
                .config,
                "the state folder \(stateFolder) is inside the output folder \(output), which is published whole: "
                    + "every subscriber's address, token and consent record would be downloadable. "
                    + "Set state: in herald.yml (or --state-dir) to a folder outside \(output).")
        }
        if RealPath.isInside(realOutput, realState) {
            throw Failure(
                .config,
                "the output folder \(output) is inside the state folder \(stateFolder): serving it would publish "
                    + "the subscribers' database. Put the output folder (--out) outside \(stateFolder).")
        }
    }
}
