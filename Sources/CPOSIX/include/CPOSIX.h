#ifndef HERALD_CPOSIX_H
#define HERALD_CPOSIX_H
#include <stdint.h>

// GNU extensions that Glibc's Swift module does not export. The values come from
// <fcntl.h> compiled with _GNU_SOURCE (shim.c), never from numbers written by hand.

// O_DIRECT for fcntl(F_SETFL), or 0 where the platform has none.
int CPOSIX_o_direct(void);
// sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE); -1 with ENOSYS where missing.
int CPOSIX_start_writeback(int fd, int64_t offset, int64_t count);
// mallopt(M_ARENA_MAX, count) from <malloc.h>: at most `count` malloc arenas for all threads.
// 1 when set, 0 where it is not (another C library).
int CPOSIX_limit_malloc_arenas(int count);
#endif
