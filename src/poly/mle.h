/* mle.h -- multilinear polynomials given by their evaluation tables.
 *
 * A table t of length 2^n represents the unique multilinear f on n
 * variables with f(x) = t[x] for x in {0,1}^n, where variable j is bit j of
 * the index (x = sum_j x_j 2^j). Hence
 *     f(r) = sum_x t[x] * eq(r, x),   eq(r, x) = prod_j (r_j x_j + (1-r_j)(1-x_j)).
 *
 * Folding binds the HIGHEST remaining variable: after binding x_{n-1} = c,
 *     t'[i] = t[i] + c * (t[i + h] - t[i]),   h = 2^(n-1),  i < h.
 * This order keeps both halves contiguous, so folding runs in place and in
 * parallel. A sumcheck therefore fixes variables n-1, n-2, ..., 0 in its
 * rounds 1, 2, ..., n.
 */
#ifndef GKRCNN_MLE_H
#define GKRCNN_MLE_H

#include "../fields/fm61v.h"
#include "../fields/fp2.h"

/* ---- products in table passes ----
 * A table pass multiplies each entry by a factor fixed for the whole pass
 * (folding by the challenge, eq tables), so the factor's parts are shifted
 * left by 3 once: with a3 = a << 3 (a < 2^61), the 128-bit product
 * x * a3 = 8 x a has high word floor(x a / 2^61) and low word
 * 8 (x a mod 2^61), and 2^61 = 1 (mod p), hence
 *     x a = hi + (lo >> 3)  (mod p):
 * one multiplication, one shift and one addition, where fm61_mul needs a
 * 128-bit shift, a mask and a conditional subtraction. The sum is not
 * reduced: it is < 2p for canonical x, and < 3p + 3 for any x < 2p (then
 * x a < 2^123). Callers add a few of them in 64 bits and reduce once with
 * fm61_reduce64 (any value < 2^64 -> canonical). */
static inline uint64_t mle_mul3(uint64_t x, uint64_t a3) {
    fm61_u128 z = (fm61_u128)x * a3;
    return (uint64_t)(z >> 64) + ((uint64_t)z >> 3);
}

/* A factor fixed for a pass, both parts pre-shifted for mle_mul3. */
typedef struct {
    uint64_t re3, im3;
} mle_coef;

static inline mle_coef mle_coef_of(fp2 c) {
    mle_coef k = {c.re << 3, c.im << 3};
    return k;
}

/* x c for canonical x (schoolbook: re = x.re c.re - x.im c.im,
 * im = x.re c.im + x.im c.re). Each mle_mul3 is < 2p, so re is kept
 * non-negative by adding 2p; both parts stay < 4p before reducing. */
static inline fp2 mle_mul_coef(fp2 x, mle_coef c) {
    uint64_t re = mle_mul3(x.re, c.re3) + 2 * FM61_P - mle_mul3(x.im, c.im3);
    uint64_t im = mle_mul3(x.re, c.im3) + mle_mul3(x.im, c.re3);
    return fp2_make(fm61_reduce64(re), fm61_reduce64(im));
}

/* One folded entry t0 + c (t1 - t0) (see mle_fold). The difference is
 * taken lazily as d = t1 + p - t0 in [1, 2p), so each mle_mul3 is
 * < 3p + 3 and  re = (.) + t0.re + 4p - (.) < 8p + 3 < 2^64,
 * im = (.) + (.) + t0.im < 7p + 6: one reduction per part. */
static inline fp2 mle_fold1(fp2 t0, fp2 t1, mle_coef c) {
    uint64_t dr = t1.re + FM61_P - t0.re, di = t1.im + FM61_P - t0.im;
    uint64_t re = mle_mul3(dr, c.re3) + t0.re + 4 * FM61_P - mle_mul3(di, c.im3);
    uint64_t im = mle_mul3(dr, c.im3) + mle_mul3(di, c.re3) + t0.im;
    return fp2_make(fm61_reduce64(re), fm61_reduce64(im));
}

/* The same for base-field t0, t1: t0 + c (t1 - t0) with d = t1 + p - t0,
 * re < 3p + 3 + p, im < 3p + 3. */
static inline fp2 mle_fold1_fm61(fm61 t0, fm61 t1, mle_coef c) {
    uint64_t d = t1 + FM61_P - t0;
    return fp2_make(fm61_reduce64(mle_mul3(d, c.re3) + t0), fm61_reduce64(mle_mul3(d, c.im3)));
}

/* ---- AVX-512 lanes ----
 * The hot passes (sumcheck rounds, folds, eq tables) also have AVX-512F
 * kernels, chosen at run time (mle_have_avx512, below) as for the NTT
 * (src/pcs/ntt.c); they compute the same field elements as the scalar
 * code, so proofs do not depend on the machine. Eight fp2 entries are
 * held as two vectors, the real and the imaginary parts (mle_v2), loaded
 * from and stored to the interleaved {re, im} layout with two permutes. */
#ifdef FM61V_AVX512
#define MLE_AVX512 1
#define MLE_TARGET FM61V_TARGET

_Static_assert(sizeof(fp2) == 16, "fp2 must be two 64-bit words");

typedef struct {
    __m512i re, im;
} mle_v2;

/* A factor fixed for a pass, broadcast: re, im, re + im and their high
 * halves (the Karatsuba product below multiplies by all three). */
typedef struct {
    __m512i re, im, sum, reh, imh, sumh;
} mle_vcoef;

MLE_TARGET static inline mle_vcoef mle_vcoef_of(fp2 c) {
    mle_vcoef k;
    k.re = _mm512_set1_epi64((long long)c.re);
    k.im = _mm512_set1_epi64((long long)c.im);
    k.sum = _mm512_set1_epi64((long long)(c.re + c.im));
    k.reh = _mm512_srli_epi64(k.re, 32);
    k.imh = _mm512_srli_epi64(k.im, 32);
    k.sumh = _mm512_srli_epi64(k.sum, 32);
    return k;
}

/* x c for almost canonical x, Karatsuba (3 products):
 *   re = ac - bd,  im = (a + b)(c + d) - ac - bd,
 * each product < 2^61 + 8, kept non-negative with 2p resp. 4p added;
 * the parts are almost canonical. */
MLE_TARGET static inline mle_v2 mle_v_mul_coef(mle_v2 x, const mle_vcoef *c) {
    const __m512i p2 = _mm512_set1_epi64((long long)(2 * FM61_P)), p4 = _mm512_set1_epi64((long long)(4 * FM61_P));
    __m512i ac = fm61v_mul(x.re, c->re, c->reh);
    __m512i bd = fm61v_mul(x.im, c->im, c->imh);
    __m512i s = fm61v_mul(_mm512_add_epi64(x.re, x.im), c->sum, c->sumh);
    mle_v2 r;
    r.re = fm61v_fold(_mm512_sub_epi64(_mm512_add_epi64(ac, p2), bd));
    r.im = fm61v_fold(_mm512_sub_epi64(_mm512_add_epi64(s, p4), _mm512_add_epi64(ac, bd)));
    return r;
}

/* x y for almost canonical x, y (both varying), almost canonical parts. */
MLE_TARGET static inline mle_v2 mle_v_mul2(mle_v2 x, mle_v2 y) {
    const __m512i p2 = _mm512_set1_epi64((long long)(2 * FM61_P)), p4 = _mm512_set1_epi64((long long)(4 * FM61_P));
    __m512i ys = _mm512_add_epi64(y.re, y.im);
    __m512i ac = fm61v_mul(x.re, y.re, _mm512_srli_epi64(y.re, 32));
    __m512i bd = fm61v_mul(x.im, y.im, _mm512_srli_epi64(y.im, 32));
    __m512i s = fm61v_mul(_mm512_add_epi64(x.re, x.im), ys, _mm512_srli_epi64(ys, 32));
    mle_v2 r;
    r.re = fm61v_fold(_mm512_sub_epi64(_mm512_add_epi64(ac, p2), bd));
    r.im = fm61v_fold(_mm512_sub_epi64(_mm512_add_epi64(s, p4), _mm512_add_epi64(ac, bd)));
    return r;
}

/* Eight folded entries t0 + c (t1 - t0) (mle_fold1), canonical. */
MLE_TARGET static inline mle_v2 mle_v_fold1(mle_v2 t0, mle_v2 t1, const mle_vcoef *c) {
    mle_v2 d = {fm61v_sub(t1.re, t0.re), fm61v_sub(t1.im, t0.im)};
    mle_v2 r = mle_v_mul_coef(d, c);
    r.re = fm61v_canon(_mm512_add_epi64(r.re, t0.re));
    r.im = fm61v_canon(_mm512_add_epi64(r.im, t0.im));
    return r;
}

/* The same for base-field t0, t1 (8 lanes): t0 + c d with d = t1 - t0. */
MLE_TARGET static inline mle_v2 mle_v_fold1_fm61(__m512i t0, __m512i t1, const mle_vcoef *c) {
    __m512i d = fm61v_sub(t1, t0);
    mle_v2 r;
    r.re = fm61v_canon(_mm512_add_epi64(fm61v_mul(d, c->re, c->reh), t0));
    r.im = fm61v_canon(fm61v_mul(d, c->im, c->imh));
    return r;
}

/* p[0..8) <-> lanes: the even words are the real parts, the odd ones the
 * imaginary parts. */
MLE_TARGET static inline mle_v2 mle_v_load(const fp2 *p) {
    const __m512i ev = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), od = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
    __m512i a = _mm512_loadu_si512((const void *)p), b = _mm512_loadu_si512((const void *)(p + 4));
    mle_v2 r = {_mm512_permutex2var_epi64(a, ev, b), _mm512_permutex2var_epi64(a, od, b)};
    return r;
}

MLE_TARGET static inline void mle_v_store(fp2 *p, mle_v2 x) {
    const __m512i lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    _mm512_storeu_si512((void *)p, _mm512_permutex2var_epi64(x.re, lo, x.im));
    _mm512_storeu_si512((void *)(p + 4), _mm512_permutex2var_epi64(x.re, hi, x.im));
}

MLE_TARGET static inline __m512i mle_v_load_fm61(const fm61 *p) { return _mm512_loadu_si512((const void *)p); }

/* Lane sums: acc + x for almost canonical acc, x (< 2^61 + 8 each), folded
 * back to almost canonical. */
MLE_TARGET static inline __m512i mle_v_acc(__m512i acc, __m512i x) { return fm61v_fold(_mm512_add_epi64(acc, x)); }

/* The sum of the eight lanes, canonical. */
MLE_TARGET static inline fm61 mle_v_hsum(__m512i x) {
    uint64_t w[8];
    _mm512_storeu_si512((void *)w, fm61v_canon(x));
    fm61 s = 0;
    for (int i = 0; i < 8; i++) s = fm61_add(s, w[i]);
    return s;
}
#endif

/* Whether the passes take the AVX-512 kernels: the CPU has AVX-512F and
 * the environment variable GKRCNN_NO_AVX512 is unset, empty or "0" (set it
 * to run the portable kernels, e.g. in tests; results are the same). */
int mle_have_avx512(void);

/* out[x] = eq(r, x) for all x < 2^n, in O(2^n). out has 2^n entries. */
void mle_eq_table(fp2 *out, const fp2 *r, unsigned n);
/* out[x] = scale * eq(r, x); scale may be zero. */
void mle_eq_table_scaled(fp2 *out, const fp2 *r, unsigned n, fp2 scale);
/* out[x] += scale * eq(r, x). */
void mle_eq_table_add(fp2 *out, const fp2 *r, unsigned n, fp2 scale);
/* out[x] = sum_k scale[k] * eq(r[k], x) over m >= 1 points of n coordinates:
 * the combination of several claims on one table (GKR), written in one pass. */
void mle_eq_table_sum(fp2 *out, const fp2 *const *r, const fp2 *scale, size_t m, unsigned n);

/* eq tables as two half tables. With x = xh 2^lo + xl (the low lo = n/2
 * variables and the high n - lo ones),
 *     eq(r, x) = eq(r_high, xh) * eq(r_low, xl),
 * so 2^lo + 2^(n-lo) entries (cache-resident) give any entry with one
 * product. The full-table functions above write rows from them; a pass
 * that reads eq at scattered x can use mle_eq_halves_at instead of a
 * 2^n table it would have to fetch from memory. */
typedef struct {
    unsigned lo;    /* row length 2^lo */
    size_t m, rows; /* m points; rows = 2^(n - lo) */
    fp2 *low;       /* m tables of 2^lo entries: eq(r_k low, xl) */
    fp2 *high;      /* m tables of `rows` entries: scale_k eq(r_k high, xh) */
} mle_eq_halves;

void mle_eq_halves_init(mle_eq_halves *hv, const fp2 *const *r, const fp2 *scale, size_t m, unsigned n);
void mle_eq_halves_free(mle_eq_halves *hv);

/* scale_0 eq(r_0, x), x < 2^n. */
static inline fp2 mle_eq_halves_at(const mle_eq_halves *hv, size_t x) {
    return mle_mul_coef(hv->low[x & (((size_t)1 << hv->lo) - 1)], mle_coef_of(hv->high[x >> hv->lo]));
}

/* eq(a, b) for two points of n coordinates, O(n). */
fp2 mle_eq_eval(const fp2 *a, const fp2 *b, unsigned n);

/* f(r) for a table of length 2^n, O(2^n), no allocation beyond O(2^n/2). */
fp2 mle_eval_fm61(const fm61 *t, unsigned n, const fp2 *r);
fp2 mle_eval_fp2(const fp2 *t, unsigned n, const fp2 *r);
/* f(r) for a table of `len` <= 2^n entries padded with zeros to 2^n. */
fp2 mle_eval_fm61_padded(const fm61 *t, size_t len, unsigned n, const fp2 *r);

/* Bind the highest variable to c: t has 2h entries on entry, h on exit. */
void mle_fold(fp2 *t, size_t h, fp2 c);
/* out[i] = t[i] + c (t[i+h] - t[i]) for a base-field table (first round). */
void mle_fold_fm61(fp2 *out, const fm61 *t, size_t h, fp2 c);

/* out[i] = (fp2) t[i]. */
void mle_lift(fp2 *out, const fm61 *t, size_t n);

#endif
