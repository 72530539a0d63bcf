/* fm61.h -- the Mersenne-61 prime field F_p, p = 2^61 - 1.
 *
 * Representation: an fm61 is a uint64_t in canonical form, 0 <= a < p.
 * Every function taking fm61 arguments requires canonical inputs and
 * returns a canonical result, except the "lazy" helpers below whose bounds
 * are stated next to them.
 *
 * Reduction: for z < 2^122, z = hi * 2^61 + lo with lo, hi < 2^61, and
 * 2^61 = 1 (mod p), so z = hi + lo (mod p). One conditional subtraction
 * brings hi + lo < 2^62 back to [0, p).
 */
#ifndef GKRCNN_FM61_H
#define GKRCNN_FM61_H

#include "../core/zk.h"

typedef uint64_t fm61;
typedef unsigned __int128 fm61_u128;

#define FM61_P ((uint64_t)0x1FFFFFFFFFFFFFFFULL) /* 2^61 - 1 */

static inline int fm61_is_canonical(uint64_t a) { return a < FM61_P; }

static inline fm61 fm61_add(fm61 a, fm61 b) {
    uint64_t s = a + b; /* < 2p < 2^62 */
    return s >= FM61_P ? s - FM61_P : s;
}

static inline fm61 fm61_sub(fm61 a, fm61 b) {
    uint64_t d = a - b;
    return a >= b ? d : d + FM61_P;
}

static inline fm61 fm61_neg(fm61 a) { return a ? FM61_P - a : 0; }

/* Reduce x < 2^64 to canonical form. */
static inline fm61 fm61_reduce64(uint64_t x) {
    uint64_t r = (x & FM61_P) + (x >> 61); /* < 2^61 + 8 */
    return r >= FM61_P ? r - FM61_P : r;
}

/* Reduce any 128-bit value to canonical form. Lazy accumulators may sum up
 * to 64 products of canonical elements (each < 2^122) before calling this. */
static inline fm61 fm61_reduce128(fm61_u128 z) {
    uint64_t lo = (uint64_t)z & FM61_P;
    uint64_t mid = (uint64_t)(z >> 61) & FM61_P;
    uint64_t hi = (uint64_t)(z >> 122); /* < 64 */
    uint64_t r = lo + mid + hi;          /* < 2^62 + 64 */
    r = (r & FM61_P) + (r >> 61);        /* < 2^61 + 2 */
    return r >= FM61_P ? r - FM61_P : r;
}

static inline fm61 fm61_mul(fm61 a, fm61 b) {
    fm61_u128 z = (fm61_u128)a * b; /* < 2^122 */
    uint64_t r = ((uint64_t)z & FM61_P) + (uint64_t)(z >> 61);
    /* (p-1)^2 >> 61 < p - 3, so r <= 2p - 3 and one subtraction suffices */
    return r >= FM61_P ? r - FM61_P : r;
}

static inline fm61 fm61_sqr(fm61 a) { return fm61_mul(a, a); }

/* Embed a signed integer with |v| < 2^63 (no reduction needed by caller). */
static inline fm61 fm61_from_i64(int64_t v) {
    if (v >= 0) return fm61_reduce64((uint64_t)v);
    return fm61_neg(fm61_reduce64((uint64_t)(-(v + 1)) + 1));
}

/* Centered lift: the integer in (-p/2, p/2] congruent to a. */
static inline int64_t fm61_to_i64(fm61 a) {
    return a > FM61_P / 2 ? (int64_t)a - (int64_t)FM61_P : (int64_t)a;
}

fm61 fm61_pow(fm61 a, uint64_t e);
/* a^(p-2); fm61_inv(0) = 0 (callers check for zero where it matters). */
fm61 fm61_inv(fm61 a);
/* out[i] = in[i]^-1 with one inversion (Montgomery's trick); in and out
 * may alias; zero entries map to zero. */
void fm61_batch_inv(fm61 *out, const fm61 *in, size_t n);

/* 8-byte little-endian encoding; decoding rejects values >= p. */
static inline void fm61_encode(uint8_t out[8], fm61 a) { zk_store_le64(out, a); }
static inline zk_err fm61_decode(fm61 *out, const uint8_t in[8]) {
    uint64_t v = zk_load_le64(in);
    if (!fm61_is_canonical(v)) return ZK_EFORMAT;
    *out = v;
    return ZK_OK;
}

#endif
