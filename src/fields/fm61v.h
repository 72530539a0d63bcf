/* fm61v.h -- eight M61 elements per AVX-512 register: the lane primitives
 * that the vector kernels of the NTT (src/pcs/ntt.c) and of the table
 * passes (src/poly/mle.h) share.
 *
 * Only defined on x86-64 with GCC or Clang (FM61V_AVX512 is then 1); the
 * functions carry the target attribute FM61V_TARGET, so callers compile
 * them into kernels they select at run time after checking the CPU
 * (__builtin_cpu_supports("avx512f")), and the rest of the file needs no
 * -mavx512f. Every function computes exactly the value the scalar field
 * code (fm61.h) computes, so a proof does not depend on the kernel.
 *
 * Bounds. "Canonical" is [0, p). "Almost canonical" is [0, 2^61 + 8): the
 * result of one fold of a value < 2^64.
 */
#ifndef GKRCNN_FM61V_H
#define GKRCNN_FM61V_H

#include "fm61.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define FM61V_AVX512 1
#include <immintrin.h>
#define FM61V_TARGET __attribute__((target("avx512f")))

FM61V_TARGET static inline __m512i fm61v_p(void) { return _mm512_set1_epi64((long long)FM61_P); }

/* s < 2^64 -> s' = s (mod p), s' almost canonical (2^61 = 1 mod p). */
FM61V_TARGET static inline __m512i fm61v_fold(__m512i s) {
    return _mm512_add_epi64(_mm512_and_si512(s, fm61v_p()), _mm512_srli_epi64(s, 61));
}

/* s < 2^64 -> canonical: fold, then subtract p where s >= p (s - p wraps
 * around to a huge value exactly where s < p, so the unsigned min picks). */
FM61V_TARGET static inline __m512i fm61v_canon(__m512i s) {
    s = fm61v_fold(s);
    return _mm512_min_epu64(s, _mm512_sub_epi64(s, fm61v_p()));
}

/* x y (mod p) per lane before the final fold, for x, y < 2^62 + 2^32 and
 * yh = y >> 32 (precomputed by the caller when y is reused): a value
 * < 2^64 congruent to x y. With x = x1 2^32 + x0, y = y1 2^32 + y0
 * (x1, y1 <= 2^30) and 2^64 = 8, 2^61 = 1 (mod p):
 *   x y = 8 x1 y1 + mid 2^32 + ll,    mid = x1 y0 + x0 y1 < 2^63,  ll = x0 y0 < 2^64,
 *   mid 2^32 = (mid >> 29) + ((mid mod 2^29) << 32),   ll = (ll >> 61) + (ll mod 2^61):
 * five terms, 8 x1 y1 <= 2^63, (mid >> 29) < 2^34, the masked ones < 2^61
 * each, (ll >> 61) < 8, so their sum is < 2^64. */
FM61V_TARGET static inline __m512i fm61v_mul_raw(__m512i x, __m512i y, __m512i yh) {
    const __m512i mlo = _mm512_set1_epi64((long long)0x1FFFFFFF00000000ULL);
    __m512i xh = _mm512_srli_epi64(x, 32);
    __m512i ll = _mm512_mul_epu32(x, y);
    __m512i mid = _mm512_add_epi64(_mm512_mul_epu32(x, yh), _mm512_mul_epu32(xh, y));
    __m512i hh = _mm512_mul_epu32(xh, yh);
    __m512i s = _mm512_add_epi64(_mm512_slli_epi64(hh, 3), _mm512_srli_epi64(mid, 29));
    s = _mm512_add_epi64(s, _mm512_and_si512(_mm512_slli_epi64(mid, 32), mlo));
    s = _mm512_add_epi64(s, _mm512_and_si512(ll, fm61v_p()));
    return _mm512_add_epi64(s, _mm512_srli_epi64(ll, 61));
}

/* x y (mod p), almost canonical (same input bounds). */
FM61V_TARGET static inline __m512i fm61v_mul(__m512i x, __m512i y, __m512i yh) {
    return fm61v_fold(fm61v_mul_raw(x, y, yh));
}

/* canonical a + b for canonical a, b */
FM61V_TARGET static inline __m512i fm61v_add(__m512i a, __m512i b) {
    __m512i s = _mm512_add_epi64(a, b);
    return _mm512_min_epu64(s, _mm512_sub_epi64(s, fm61v_p()));
}

/* canonical a - b for canonical a, b: the wrapped difference is >= p
 * exactly when a < b, and adding p then gives the smaller value. */
FM61V_TARGET static inline __m512i fm61v_sub(__m512i a, __m512i b) {
    __m512i d = _mm512_sub_epi64(a, b);
    return _mm512_min_epu64(d, _mm512_add_epi64(d, fm61v_p()));
}
#endif

#endif
