#ifndef HERALD_CCURL_H
#define HERALD_CCURL_H
#include <curl/curl.h>

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
