#include "zk.h"

#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <pthread.h>
#ifdef _OPENMP
#include <omp.h>
#endif

const char *zk_err_str(zk_err e) {
    switch (e) {
    case ZK_OK: return "ok";
    case ZK_EPROOF: return "invalid proof";
    case ZK_EFORMAT: return "malformed data";
    case ZK_EINPUT: return "invalid input";
    case ZK_EIO: return "i/o error";
    case ZK_ENOMEM: return "out of memory";
    }
    return "unknown error";
}

static _Thread_local char zk_reason_buf[256];

void zk_set_reason(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(zk_reason_buf, sizeof zk_reason_buf, fmt, ap);
    va_end(ap);
}

const char *zk_reason(void) { return zk_reason_buf[0] ? zk_reason_buf : "no detail"; }

_Noreturn void zk_abort(const char *file, int line, const char *expr) {
    fprintf(stderr, "gkrcnn: internal error at %s:%d: check failed: %s\n", file, line, expr);
    abort();
}

/* Blocks of ZK_BIG_BYTES and more (the prover's tables) are 2 MiB-aligned
 * and, on Linux, marked for transparent huge pages where the system allows
 * it (THP "madvise" mode): a fresh 256 MiB table then costs 128 page faults
 * instead of 65,536, each of which, in a multi-threaded process, may also
 * shoot down TLB entries on the other cores. Freed with free(). */
#define ZK_BIG_BYTES ((size_t)4 << 20)
static void *zk_big(size_t bytes) {
    const size_t align = (size_t)2 << 20;
    ZK_CHECK(bytes <= SIZE_MAX - align);
    bytes = (bytes + align - 1) & ~(align - 1);
    void *p = aligned_alloc(align, bytes);
    ZK_CHECK(p != NULL);
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint; failure is harmless */
#endif
    return p;
}

void *zk_malloc(size_t size) {
    if (size >= ZK_BIG_BYTES) return zk_big(size);
    void *p = malloc(size ? size : 1);
    ZK_CHECK(p != NULL);
    return p;
}

void zk_free_secret(void *p) {
    if (!p) return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

void *zk_calloc(size_t n, size_t size) {
    ZK_CHECK(size == 0 || n <= SIZE_MAX / size);
    if (n * size >= ZK_BIG_BYTES) {
        void *b = zk_big(n * size);
        memset(b, 0, n * size);
        return b;
    }
    void *p = calloc(n ? n : 1, size ? size : 1);
    ZK_CHECK(p != NULL);
    return p;
}

void *zk_malloc_n(size_t n, size_t size) {
    ZK_CHECK(size == 0 || n <= SIZE_MAX / size);
    return zk_malloc(n * size);
}

void *zk_realloc_n(void *p, size_t n, size_t size) {
    ZK_CHECK(size == 0 || n <= SIZE_MAX / size);
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    ZK_CHECK(q != NULL);
    return q;
}

void *zk_aligned_n(size_t n, size_t size) {
    ZK_CHECK(size == 0 || n <= SIZE_MAX / size);
    size_t bytes = n * size;
    bytes = (bytes + 63) & ~(size_t)63;
    if (bytes >= ZK_BIG_BYTES) return zk_big(bytes);
    void *p = aligned_alloc(64, bytes ? bytes : 64);
    ZK_CHECK(p != NULL);
    return p;
}

void *zk_try_aligned_n(size_t n, size_t size) {
    if (size && n > (SIZE_MAX - ((size_t)2 << 20)) / size) return NULL;
    size_t bytes = (n * size + 63) & ~(size_t)63;
    if (bytes < ZK_BIG_BYTES) return aligned_alloc(64, bytes ? bytes : 64);
    const size_t align = (size_t)2 << 20;
    bytes = (bytes + align - 1) & ~(align - 1);
    void *p = aligned_alloc(align, bytes);
#ifdef MADV_HUGEPAGE
    if (p) (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void zk_memory_keep(void) {
#ifdef __GLIBC__
    (void)mallopt(M_MMAP_MAX, 0);
    (void)mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

static int zk_nthreads = 0;

void zk_threads_set(int n) {
    ZK_CHECK(n >= 1);
    zk_nthreads = n;
#ifdef _OPENMP
    omp_set_num_threads(n);
#endif
}

int zk_threads(void) {
    if (zk_nthreads == 0) {
        int n = 0;
        const char *env = getenv("GKRCNN_THREADS");
        if (env && *env) {
            char *end;
            long v = strtol(env, &end, 10);
            if (*end == '\0' && v >= 1 && v <= 1024) n = (int)v;
        }
        if (n == 0) {
            long c = sysconf(_SC_NPROCESSORS_ONLN);
            n = c >= 1 ? (int)c : 1;
        }
        zk_threads_set(n);
    }
    return zk_nthreads;
}

void zk_buf_init(zk_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void zk_buf_free(zk_buf *b) {
    if (!b) return;
    free(b->data);
    zk_buf_init(b);
}

void zk_buf_put(zk_buf *b, const void *data, size_t len) {
    ZK_CHECK(len <= SIZE_MAX - b->len);
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len) {
            ZK_CHECK(cap <= SIZE_MAX / 2);
            cap *= 2;
        }
        b->data = zk_realloc_n(b->data, cap, 1);
        b->cap = cap;
    }
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
}

void zk_buf_put_u32(zk_buf *b, uint32_t v) {
    uint8_t t[4];
    for (int i = 0; i < 4; i++) t[i] = (uint8_t)(v >> (8 * i));
    zk_buf_put(b, t, 4);
}

void zk_buf_put_u64(zk_buf *b, uint64_t v) {
    uint8_t t[8];
    zk_store_le64(t, v);
    zk_buf_put(b, t, 8);
}

void zk_buf_printf(zk_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ZK_CHECK(n >= 0);
    char *tmp = zk_malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    zk_buf_put(b, tmp, (size_t)n);
    free(tmp);
}

zk_err zk_rd_get(zk_rd *r, void *out, size_t len) {
    if (len > r->len - r->pos) return ZK_EFORMAT;
    if (len) memcpy(out, r->data + r->pos, len);
    r->pos += len;
    return ZK_OK;
}

zk_err zk_rd_u32(zk_rd *r, uint32_t *out) {
    uint8_t t[4];
    if (zk_rd_get(r, t, 4) != ZK_OK) return ZK_EFORMAT;
    *out = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    return ZK_OK;
}

zk_err zk_rd_u64(zk_rd *r, uint64_t *out) {
    uint8_t t[8];
    if (zk_rd_get(r, t, 8) != ZK_OK) return ZK_EFORMAT;
    *out = zk_load_le64(t);
    return ZK_OK;
}

zk_err zk_read_file(const char *path, zk_buf *out) {
    zk_buf_init(out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        zk_set_reason("cannot open %s: %s", path, strerror(errno));
        return ZK_EIO;
    }
    uint8_t chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) zk_buf_put(out, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        zk_set_reason("cannot read %s", path);
        zk_buf_free(out);
        return ZK_EIO;
    }
    return ZK_OK;
}

static zk_err zk_write_file_mode(const char *path, const uint8_t *data, size_t len, mode_t mode) {
    size_t plen = strlen(path);
    char *tmp = zk_malloc(plen + 16);
    snprintf(tmp, plen + 16, "%s.tmp%ld", path, (long)getpid());
    unlink(tmp); /* a leftover of a killed run: created anew, with this mode */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int er = errno;
    if (!f && fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    if (!f) {
        zk_set_reason("cannot create %s: %s", path, strerror(er));
        free(tmp);
        return ZK_EIO;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok &= fflush(f) == 0;
    ok &= fclose(f) == 0;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) {
        zk_set_reason("cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return ZK_EIO;
    }
    free(tmp);
    return ZK_OK;
}

zk_err zk_write_file(const char *path, const uint8_t *data, size_t len) {
    return zk_write_file_mode(path, data, len, 0666);
}

zk_err zk_write_file_private(const char *path, const uint8_t *data, size_t len) {
    return zk_write_file_mode(path, data, len, 0600);
}

static inline uint64_t zk_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void zk_rng_seed(zk_rng *r, uint64_t seed) {
    /* splitmix64 expands the seed into the four state words */
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        r->s[i] = z ^ (z >> 31);
    }
}

uint64_t zk_rng_u64(zk_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = zk_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = zk_rotl(s[3], 45);
    return result;
}

static const EVP_MD *zk_sha256_md;
static void zk_sha256_init(void) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    zk_sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
#else
    zk_sha256_md = EVP_sha256();
#endif
    ZK_CHECK(zk_sha256_md != NULL);
}

const EVP_MD *zk_sha256(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    ZK_CHECK(pthread_once(&once, zk_sha256_init) == 0);
    return zk_sha256_md;
}
