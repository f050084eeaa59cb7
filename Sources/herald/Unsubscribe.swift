import ArgumentParser
import Foundation
import HeraldBase
import HeraldState

extension Herald {
    struct Unsubscribe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply an unsubscribe token from a digest's unsubscribe link.")
        @Argument(help: "The publication folder.") var publication: String
        @Argument(help: "The token from the link.") var token: String
        @OptionGroup var state: StateLocation

        func run() throws {
            let (pub, db) = try state.open(publication)
            let raw = try verifiedAddress(token, for: pub)
            guard let address = try? EmailAddress(raw) else {
                throw CommandFailure(.dataError, "\(raw) from the token is not an address Herald can store")
            }
            guard try SubscriberStore(database: db).setStatus(address, .unsubscribed) else {
                throw CommandFailure(.dataError, "\(address) is not a subscriber of \(pub.name)")
            }
            print("unsubscribed \(address)")
        }
    }
}
