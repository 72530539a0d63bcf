/* ntt.c -- radix-2 NTT over F_r of BN254 (see ntt.h).
 *
 * Forward transform: bit-reversal permutation, then Cooley-Tukey
 * decimation-in-time butterflies (u, v) <- (u + w v, u - w v), stages of
 * half-size h = 1, 2, ..., n/2 (Cormen et al., "Introduction to
 * Algorithms", 3rd ed., section 30.3). The first stages, whose butterflies
 * stay inside blocks of 2^BN_NTT_BLOCK_LOG elements, run block by block so a
 * block is read into cache once for all of them; the remaining stages run
 * one at a time over the whole array.
 *
 * Inverse transform: NTT^-1(a)[i] = (1/n) NTT(a)[(n - i) mod n], so it is
 * the forward transform followed by reversing a[1..n) and scaling by 1/n
 * (one twiddle table serves both directions).
 *
 * Threads split the blocks, then the butterflies of each later stage, into
 * contiguous ranges; every output is computed by exactly the same field
 * operations for any thread count.
 */
#include "ntt.h"

#include <string.h>

/* Transforms of at least this many elements run on several threads. */
#define BN_NTT_PAR_MIN ((size_t)1 << 12)
/* Block of the cache-local first stages (4096 elements = 128 KiB). */
#define BN_NTT_BLOCK_LOG 12

struct bn_ntt_ctx {
    unsigned k;                        /* largest size N = 2^k */
    size_t N;
    bn_fr *tw;                         /* tw[j] = w_N^j, j < N/2 (Montgomery form) */
    bn_fr ninv[BN_NTT_MAX_LOG + 1];    /* ninv[l] = 2^-l */
    bn_fr g, ginv;                     /* the coset generator and its inverse */
};

static unsigned bn_ntt_log2(size_t n) { return (unsigned)__builtin_ctzll((unsigned long long)n); }

/* n a power of two, 1 <= n <= N */
static unsigned bn_ntt_check_size(const bn_ntt_ctx *c, size_t n) {
    ZK_CHECK(c != NULL && n >= 1 && (n & (n - 1)) == 0 && n <= c->N);
    return bn_ntt_log2(n);
}

/* Threads for a pass over n elements (the value is unused, hence read
 * with (void), when OpenMP is off). */
static int bn_ntt_nthreads(size_t n) { return n >= BN_NTT_PAR_MIN ? zk_threads() : 1; }

/* a[i] <- s * b^i * a[i], i < n (b = NULL: a[i] <- s * a[i]). Split into
 * one contiguous range per thread, each starting from s * b^lo. */
static void bn_ntt_scale(bn_fr *a, size_t n, const bn_fr *s, const bn_fr *b) {
    int nth = bn_ntt_nthreads(n);
#pragma omp parallel for schedule(static) num_threads(nth) if (nth > 1)
    for (int t = 0; t < nth; t++) {
        size_t lo = n * (size_t)t / (size_t)nth, hi = n * (size_t)(t + 1) / (size_t)nth;
        bn_fr f = *s;
        if (b != NULL && lo > 0) {
            const uint64_t e[4] = {(uint64_t)lo, 0, 0, 0};
            bn_fr p;
            bn_fr_pow(&p, b, e);
            bn_fr_mul(&f, &f, &p);
        }
        for (size_t i = lo; i < hi; i++) {
            bn_fr_mul(&a[i], &a[i], &f);
            if (b != NULL) bn_fr_mul(&f, &f, b);
        }
    }
}

bn_ntt_ctx *bn_ntt_ctx_new(unsigned k) {
    ZK_CHECK(k <= BN_NTT_MAX_LOG);
    bn_ntt_ctx *c = zk_calloc(1, sizeof *c);
    c->k = k;
    c->N = (size_t)1 << k;
    size_t half = c->N / 2;
    c->tw = zk_aligned_n(half ? half : 1, sizeof *c->tw);
    if (half) {
        bn_fr w, one;
        bn_fr_root_of_unity(&w, k);
        bn_fr_one(&one);
        for (size_t j = 0; j < half; j++) c->tw[j] = one;
        bn_ntt_scale(c->tw, half, &one, &w); /* tw[j] = w^j */
    }
    bn_fr two, two_inv;
    bn_fr_from_u64(&two, 2);
    bn_fr_inv(&two_inv, &two);
    bn_fr_one(&c->ninv[0]);
    for (unsigned l = 1; l <= BN_NTT_MAX_LOG; l++) bn_fr_mul(&c->ninv[l], &c->ninv[l - 1], &two_inv);
    bn_ntt_coset_gen(&c->g);
    bn_fr_inv(&c->ginv, &c->g);
    return c;
}

void bn_ntt_ctx_free(bn_ntt_ctx *c) {
    if (!c) return;
    free(c->tw);
    free(c);
}

size_t bn_ntt_ctx_size(const bn_ntt_ctx *c) { return c->N; }

void bn_ntt_coset_gen(bn_fr *g) { bn_fr_from_u64(g, BN_NTT_COSET_GEN); }

/* i with its log_n low bits reversed */
static inline size_t bn_ntt_bitrev(size_t i, unsigned log_n) {
    uint64_t x = (uint64_t)i;
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((x & 0x0f0f0f0f0f0f0f0fULL) << 4);
    x = __builtin_bswap64(x);
    return log_n ? (size_t)(x >> (64 - log_n)) : 0;
}

/* (u, v) <- (u + w v, u - w v) */
static inline void bn_ntt_butterfly(bn_fr *u, bn_fr *v, const bn_fr *w) {
    bn_fr t;
    bn_fr_mul(&t, v, w);
    bn_fr_sub(v, u, &t);
    bn_fr_add(u, u, &t);
}

/* Stages h = 1 .. len/2 on the block a[0..len), len a power of two; the
 * twiddle of stage h, index j, is w_{2h}^j = tw[j * N / (2h)]. */
static void bn_ntt_block(const bn_ntt_ctx *c, bn_fr *a, size_t len) {
    for (size_t i = 0; i + 1 < len; i += 2) { /* h = 1: twiddle 1 */
        bn_fr t = a[i + 1];
        bn_fr_sub(&a[i + 1], &a[i], &t);
        bn_fr_add(&a[i], &a[i], &t);
    }
    for (size_t h = 2; h < len; h <<= 1) {
        const size_t stride = c->N / (2 * h);
        for (size_t s = 0; s < len; s += 2 * h)
            for (size_t j = 0; j < h; j++) bn_ntt_butterfly(&a[s + j], &a[s + j + h], &c->tw[j * stride]);
    }
}

/* In place, natural order in and out: a <- NTT(a), n = 2^log_n <= N. */
static void bn_ntt_dit(const bn_ntt_ctx *c, bn_fr *a, size_t n, unsigned log_n) {
    int nth = bn_ntt_nthreads(n);
    (void)nth;
    /* bit-reversal permutation: each pair swapped once, by its smaller index */
#pragma omp parallel for schedule(static) num_threads(nth) if (nth > 1)
    for (size_t i = 0; i < n; i++) {
        size_t r = bn_ntt_bitrev(i, log_n);
        if (i < r) {
            bn_fr t = a[i];
            a[i] = a[r];
            a[r] = t;
        }
    }
    /* the first stages, block by block */
    size_t blk = n < ((size_t)1 << BN_NTT_BLOCK_LOG) ? n : (size_t)1 << BN_NTT_BLOCK_LOG;
#pragma omp parallel for schedule(static) num_threads(nth) if (nth > 1)
    for (size_t s = 0; s < n; s += blk) bn_ntt_block(c, a + s, blk);
    /* the remaining stages, one at a time: butterfly b of stage h pairs
     * positions p = (b / h) * 2h + (b mod h) and p + h, twiddle w_{2h}^(b mod h) */
    for (size_t h = blk; h < n; h <<= 1) {
        const size_t stride = c->N / (2 * h), half = n / 2;
        const unsigned log_h = bn_ntt_log2(h);
#pragma omp parallel for schedule(static) num_threads(nth) if (nth > 1)
        for (size_t b = 0; b < half; b++) {
            size_t j = b & (h - 1), p = ((b >> log_h) << (log_h + 1)) | j;
            bn_ntt_butterfly(&a[p], &a[p + h], &c->tw[j * stride]);
        }
    }
}

/* a[i] <- s * a[(n - i) mod n] (s = NULL: no scaling) */
static void bn_ntt_reverse_scale(bn_fr *a, size_t n, const bn_fr *s) {
    int nth = bn_ntt_nthreads(n);
    (void)nth;
    if (s != NULL) {
        bn_fr_mul(&a[0], &a[0], s);
        if (n > 1) bn_fr_mul(&a[n / 2], &a[n / 2], s);
    }
#pragma omp parallel for schedule(static) num_threads(nth) if (nth > 1)
    for (size_t i = 1; i < n / 2; i++) {
        bn_fr x = a[i];
        a[i] = a[n - i];
        a[n - i] = x;
        if (s != NULL) {
            bn_fr_mul(&a[i], &a[i], s);
            bn_fr_mul(&a[n - i], &a[n - i], s);
        }
    }
}

void bn_ntt_forward(const bn_ntt_ctx *c, bn_fr *a, size_t n) {
    unsigned log_n = bn_ntt_check_size(c, n);
    bn_ntt_dit(c, a, n, log_n);
}

void bn_ntt_inverse(const bn_ntt_ctx *c, bn_fr *a, size_t n) {
    unsigned log_n = bn_ntt_check_size(c, n);
    bn_ntt_dit(c, a, n, log_n);
    bn_ntt_reverse_scale(a, n, &c->ninv[log_n]);
}

void bn_ntt_coset_forward(const bn_ntt_ctx *c, bn_fr *a, size_t n) {
    unsigned log_n = bn_ntt_check_size(c, n);
    bn_fr one;
    bn_fr_one(&one);
    bn_ntt_scale(a, n, &one, &c->g); /* A(gX) = sum_j (a[j] g^j) X^j */
    bn_ntt_dit(c, a, n, log_n);
}

void bn_ntt_coset_inverse(const bn_ntt_ctx *c, bn_fr *a, size_t n) {
    unsigned log_n = bn_ntt_check_size(c, n);
    bn_ntt_dit(c, a, n, log_n);
    bn_ntt_reverse_scale(a, n, NULL);
    bn_ntt_scale(a, n, &c->ninv[log_n], &c->ginv); /* a[j] <- a[j] g^-j / n */
}
