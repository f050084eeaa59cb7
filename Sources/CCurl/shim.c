#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// The soname libcurl has had since 2006 (Debian: libcurl4, or libcurl3-gnutls' twin).
#define CCURL_SONAME "libcurl.so.4"

// The libcurl functions Herald calls, found by dlsym. The variadic ones keep their
// variadic type, so each call through them follows the C calling convention for `...`.
struct curl_functions {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    CURLHcode (*easy_header)(CURL *handle, const char *name, size_t index, unsigned int origin, int request,
                             struct curl_header **header);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
};

// Opens `soname` and fills `f`; NULL on success, else the message written to `problem`.
static const char *open_library(const char *soname, struct curl_functions *f, void **library, char *problem,
                                size_t size) {
    *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!*library) {
        snprintf(problem, size, "cannot load libcurl (%s): install it (Debian package libcurl4)", dlerror());
        return problem;
    }
#define CCURL_FIND(field, symbol)                                                                                    \
    if (!(*(void **)&f->field = dlsym(*library, symbol))) {                                                       \
        snprintf(problem, size, "%s has no %s: Herald needs libcurl 7.83 or later (Debian package libcurl4)", soname, \
                 symbol);                                                                                          \
        return problem;                                                                                            \
    }
    CCURL_FIND(global_init, "curl_global_init")
    CCURL_FIND(easy_init, "curl_easy_init")
    CCURL_FIND(easy_cleanup, "curl_easy_cleanup")
    CCURL_FIND(easy_perform, "curl_easy_perform")
    CCURL_FIND(easy_setopt, "curl_easy_setopt")
    CCURL_FIND(easy_getinfo, "curl_easy_getinfo")
    CCURL_FIND(easy_strerror, "curl_easy_strerror")
    CCURL_FIND(easy_header, "curl_easy_header")
    CCURL_FIND(slist_append, "curl_slist_append")
    CCURL_FIND(slist_free_all, "curl_slist_free_all")
#undef CCURL_FIND
    return NULL;
}

static struct curl_functions curl;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_problem[512];
static const char *load_failure = NULL;

static void load(void) {
    void *library;
    load_failure = open_library(CCURL_SONAME, &curl, &library, load_problem, sizeof load_problem);
    if (load_failure) return;
    CURLcode code = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(load_problem, sizeof load_problem, "libcurl could not start: %s", curl.easy_strerror(code));
        load_failure = load_problem;
    }
    // The library stays loaded for the life of the process, as a linked one would.
}

const char *CCurl_load(void) {
    pthread_once(&load_once, load);
    return load_failure;
}

const char *CCurl_probe(const char *soname, char *problem, size_t size) {
    struct curl_functions scratch;
    void *library = NULL;
    const char *failure = open_library(soname, &scratch, &library, problem, size);
    if (library) dlclose(library);
    return failure;
}

CURL *CCurl_easy_init(void) { return CCurl_load() ? NULL : curl.easy_init(); }
void CCurl_easy_cleanup(CURL *h) { if (h) curl.easy_cleanup(h); }
CURLcode CCurl_easy_perform(CURL *h) { return curl.easy_perform(h); }
// Callable before any handle exists (an error text, a header list): they load libcurl first.
const char *CCurl_easy_strerror(CURLcode c) { return CCurl_load() ? CCurl_load() : curl.easy_strerror(c); }
CURLHcode CCurl_easy_header(CURL *h, const char *n, size_t i, unsigned int o, int r, struct curl_header **out) {
    return curl.easy_header(h, n, i, o, r, out);
}
struct curl_slist *CCurl_slist_append(struct curl_slist *l, const char *s) { return CCurl_load() ? NULL : curl.slist_append(l, s); }
// Freeing no list needs no libcurl; a list exists only once libcurl is loaded.
void CCurl_slist_free_all(struct curl_slist *l) { if (l) curl.slist_free_all(l); }

CURLcode CCurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl.easy_setopt(h, o, v); }
CURLcode CCurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl.easy_setopt(h, o, v); }
CURLcode CCurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl.easy_setopt(h, o, v); }
CURLcode CCurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl.easy_setopt(h, o, v); }
CURLcode CCurl_easy_setopt_read_function(CURL *h, curl_read_callback f) { return curl.easy_setopt(h, CURLOPT_READFUNCTION, f); }
CURLcode CCurl_easy_setopt_write_function(CURL *h, curl_write_callback f) { return curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
CURLcode CCurl_easy_setopt_debug_function(CURL *h, curl_debug_callback f) { return curl.easy_setopt(h, CURLOPT_DEBUGFUNCTION, f); }
CURLcode CCurl_easy_setopt_xferinfo_function(CURL *h, curl_xferinfo_callback f) { return curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }
CURLcode CCurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl.easy_getinfo(h, i, v); }
CURLcode CCurl_easy_getinfo_string(CURL *h, CURLINFO i, const char **v) { return curl.easy_getinfo(h, i, v); }
CURLcode CCurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl.easy_getinfo(h, i, v); }
CURLcode CCurl_easy_setopt_blob_copy(CURL *h, CURLoption o, const void *d, size_t n) { struct curl_blob b = { (void *)d, n, CURL_BLOB_COPY }; return curl.easy_setopt(h, o, &b); }
