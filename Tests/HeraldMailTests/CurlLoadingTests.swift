import CCurl
import Foundation
import Testing

@testable import HeraldMail

/// libcurl is loaded on first use (CCurl.h): these hold the loading to what linking gave —
/// the same library, every function found — and its failures to messages that say what to install.
@Suite struct CurlLoadingTests {
    func probe(_ soname: String) -> String? {
        var problem = [CChar](repeating: 0, count: 512)
        return CCurl_probe(soname, &problem, problem.count).map { String(cString: $0) }
    }

    @Test func theSystemLibraryLoadsWithEveryFunction() throws {
        #expect(CCurl_load() == nil)
        #expect(CurlEasy.unavailable == nil)
        #expect(probe("libcurl.so.4") == nil)
        _ = try CurlEasy()
    }

    @Test func theLoadedLibraryIsTheOneTheHeadersDescribe() throws {
        // An error code's text comes from the loaded library: a library of another ABI
        // would not know the headers' codes. (Asked first in a process, it loads libcurl itself.)
        #expect(String(cString: CCurl_easy_strerror(CURLE_OK)) == "No error")
        #expect(String(cString: CCurl_easy_strerror(CURLE_COULDNT_RESOLVE_HOST)) == "Couldn't resolve host name")
    }

    @Test func aMissingLibraryNamesItselfAndThePackage() throws {
        let problem = try #require(probe("libcurl-absent.so.4"))
        #expect(problem.hasPrefix("cannot load libcurl (libcurl-absent.so.4: cannot open shared object file"))
        #expect(problem.contains("Debian package libcurl4"))
    }

    @Test func aLibraryWithoutCurlSaysWhichFunctionIsMissing() throws {
        let problem = try #require(probe("libz.so.1"))
        #expect(problem == "libz.so.1 has no curl_global_init: Herald needs libcurl 7.83 or later (Debian package libcurl4)")
    }

    @Test func aHostileSonameIsOnlyAMissingLibrary() throws {
        let long = String(repeating: "x", count: 4_000)
        let problem = try #require(probe(long))
        #expect(problem.utf8.count < 512)
        #expect(problem.hasPrefix("cannot load libcurl ("))
        #expect(probe("\u{1}\u{7f}") != nil)
    }
}
