/* zk.h -- conventions shared by every gkrcnn module.
 *
 * Two error channels (see ../shared/STYLE.md):
 *   - Bugs (violated preconditions, impossible states, out-of-memory) abort
 *     through ZK_CHECK with file and line. They never depend on proof bytes.
 *   - Bad input and bad proofs return a zk_err code. Every function that
 *     can return one is marked ZK_WARN_UNUSED; a verifier never aborts on a
 *     hostile proof.
 *
 * Argument order everywhere: context, outputs, inputs; each length right
 * after its array.  Ownership: `_new` returns an object the caller frees
 * with the matching `_free`; `_free(NULL)` is a no-op.
 */
#ifndef GKRCNN_ZK_H
#define GKRCNN_ZK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ZK_WARN_UNUSED __attribute__((warn_unused_result))

typedef enum {
    ZK_OK = 0,
    ZK_EPROOF = 1,     /* proof rejected: a check failed */
    ZK_EFORMAT = 2,    /* bytes are malformed: truncated, non-canonical, trailing */
    ZK_EINPUT = 3,     /* caller-supplied data is invalid (shape, range) */
    ZK_EIO = 4,        /* file could not be read or written */
    ZK_ENOMEM = 5,     /* allocation refused for a size taken from input */
} zk_err;

/* A short static string naming the error class. */
const char *zk_err_str(zk_err e);

/* Thread-local detail of the last error: a one-line, human-readable reason
 * ("layer 3: phase-2 sumcheck round 5: g(0)+g(1) != claim"). Set by the
 * module that detected the problem; read by the CLI. */
void zk_set_reason(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *zk_reason(void);

_Noreturn void zk_abort(const char *file, int line, const char *expr);

#define ZK_CHECK(cond)                                  \
    do {                                                \
        if (__builtin_expect(!(cond), 0))               \
            zk_abort(__FILE__, __LINE__, #cond);        \
    } while (0)

/* Checks of internal invariants that are too costly for release builds;
 * enabled by -DZK_VERIFY (make test). */
#ifdef ZK_VERIFY
#define ZK_VERIFY_CHECK(cond) ZK_CHECK(cond)
#else
#define ZK_VERIFY_CHECK(cond) ((void)0)
#endif

/* Allocation that aborts on failure (sizes from trusted code only).
 * zk_malloc_n checks n*size for overflow. Blocks of 4 MiB and more are
 * 2 MiB-aligned and asked for transparent huge pages (madvise), which
 * removes most page-fault and TLB-shootdown time from the prover's large,
 * short-lived tables. All are freed with free(). */
void *zk_malloc(size_t size);
void *zk_calloc(size_t n, size_t size);
void *zk_malloc_n(size_t n, size_t size);
void *zk_realloc_n(void *p, size_t n, size_t size);
/* free() after overwriting the whole block with zeros (explicit_bzero over
 * malloc_usable_size): for memory that held secrets. NULL: nothing. */
void zk_free_secret(void *p);
/* 64-byte aligned allocation for field tables; free with free(). */
void *zk_aligned_n(size_t n, size_t size);
/* As zk_aligned_n, but NULL (no abort) when n*size overflows or the
 * memory is refused: for tables whose size a verifier takes from its
 * input (the caller reports ZK_ENOMEM). */
void *zk_try_aligned_n(size_t n, size_t size);
/* For programs that prove (the CLI, the benchmarks; a process-wide setting,
 * so the library never calls it itself): keep freed memory in the process
 * for reuse instead of returning it to the system (glibc: large blocks
 * from the heap rather than from mmap, no trimming). A proof allocates and
 * frees tables of up to hundreds of MiB; fresh pages must be faulted in and
 * zeroed by the kernel, which on the VMs we measured on cost VGG-16 about
 * 1 s per proof and made the prover time vary by 2x from run to run. The
 * price is a higher resident size between proofs. No effect elsewhere. */
void zk_memory_keep(void);

/* Threads. The count comes from zk_threads_set (CLI --threads) or the
 * environment variable GKRCNN_THREADS; default: all cores. Results never
 * depend on the count (field arithmetic is exact, so reductions may run
 * in any order). */
void zk_threads_set(int n);
int zk_threads(void);

/* Byte buffer that grows; the proof and every serialization use it. */
typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
} zk_buf;

void zk_buf_init(zk_buf *b);
void zk_buf_free(zk_buf *b);
void zk_buf_put(zk_buf *b, const void *data, size_t len);
void zk_buf_put_u32(zk_buf *b, uint32_t v);
void zk_buf_put_u64(zk_buf *b, uint64_t v);
/* Append formatted text (any length). */
void zk_buf_printf(zk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bounded reader over untrusted bytes. Every get returns ZK_EFORMAT on
 * truncation and leaves the output untouched. */
typedef struct {
    const uint8_t *data;
    size_t len;
    size_t pos;
} zk_rd;

static inline void zk_rd_init(zk_rd *r, const uint8_t *data, size_t len) {
    r->data = data;
    r->len = len;
    r->pos = 0;
}
static inline size_t zk_rd_left(const zk_rd *r) { return r->len - r->pos; }
zk_err zk_rd_get(zk_rd *r, void *out, size_t len) ZK_WARN_UNUSED;
zk_err zk_rd_u32(zk_rd *r, uint32_t *out) ZK_WARN_UNUSED;
zk_err zk_rd_u64(zk_rd *r, uint64_t *out) ZK_WARN_UNUSED;

static inline void zk_store_le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint64_t zk_load_le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Whole-file I/O. zk_write_file writes to a temporary name in the same
 * directory and renames it, so a failure never leaves a partial file.
 * zk_write_file_private does the same with the file created mode 0600
 * (owner only: a proving key, an opening), the plain one with 0666 less
 * the umask. */
/* OpenSSL's SHA-256 (EVP_MD), fetched once per process (OpenSSL 3: an
 * explicit fetch; EVP_sha256() would look the algorithm up, under a lock,
 * at every EVP_DigestInit_ex). Never freed. */
const struct evp_md_st *zk_sha256(void);
zk_err zk_read_file(const char *path, zk_buf *out) ZK_WARN_UNUSED;
zk_err zk_write_file(const char *path, const uint8_t *data, size_t len) ZK_WARN_UNUSED;
zk_err zk_write_file_private(const char *path, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* Deterministic PRNG for tests, benchmarks and circuit generation
 * (xoshiro256**). Not for anything secret. */
typedef struct {
    uint64_t s[4];
} zk_rng;
void zk_rng_seed(zk_rng *r, uint64_t seed);
uint64_t zk_rng_u64(zk_rng *r);

#endif
