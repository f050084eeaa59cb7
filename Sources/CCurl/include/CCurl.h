#ifndef HERALD_CCURL_H
#define HERALD_CCURL_H
#include <curl/curl.h>

// libcurl's types and constants come from its header; its code is loaded on first use
// (dlopen), not at process start. Linked, it brings some thirty libraries (TLS, LDAP, SSH,
// Kerberos) whose loading costs every run about 4 ms, while most commands never open a
// connection. Swift calls only the CCurl_ functions below, never curl_* directly: those
// symbols are not linked.

// Loads libcurl and runs curl_global_init, once per process: NULL when it is ready, else
// why not, as a sentence (static storage). Every call after the first returns the same.
const char *CCurl_load(void);

// The same loading of `soname` into a scratch table, closed again: NULL if it would
// serve, else why not. For tests of the failure messages (a missing library, one
// without curl's symbols); `problem` receives the message, `size` bytes at most.
const char *CCurl_probe(const char *soname, char *problem, size_t size);

// Each loads libcurl if it is not yet loaded. CCurl_easy_init and CCurl_slist_append give
// NULL when it cannot be (CCurl_load says why) or has no memory; CCurl_easy_strerror then
// gives CCurl_load's reason. The others take a handle, so libcurl is loaded already.
CURL *CCurl_easy_init(void);
void CCurl_easy_cleanup(CURL *handle);
CURLcode CCurl_easy_perform(CURL *handle);
const char *CCurl_easy_strerror(CURLcode code);
CURLHcode CCurl_easy_header(CURL *handle, const char *name, size_t index, unsigned int origin, int request,
                            struct curl_header **header);
struct curl_slist *CCurl_slist_append(struct curl_slist *list, const char *string);
void CCurl_slist_free_all(struct curl_slist *list);

// Typed wrappers for libcurl's variadic calls, which Swift cannot import.
// One line each; the Swift side (CurlEasy) owns every handle and lifetime.
CURLcode CCurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode CCurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode CCurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode CCurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode CCurl_easy_setopt_read_function(CURL *handle, curl_read_callback callback);
CURLcode CCurl_easy_setopt_write_function(CURL *handle, curl_write_callback callback);
CURLcode CCurl_easy_setopt_debug_function(CURL *handle, curl_debug_callback callback);
CURLcode CCurl_easy_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback callback);
CURLcode CCurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode CCurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode CCurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
// A curl_blob that libcurl copies (CURL_BLOB_COPY), e.g. CURLOPT_CAINFO_BLOB.
CURLcode CCurl_easy_setopt_blob_copy(CURL *handle, CURLoption option, const void *data, size_t length);
#endif
