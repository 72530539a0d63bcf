/* fp2.h -- the quadratic extension F_{p^2} = F_p[i] / (i^2 + 1), p = 2^61 - 1.
 *
 * Since p = 3 (mod 4), -1 is not a square in F_p and i^2 + 1 is irreducible.
 * |F_{p^2}| = p^2 ~ 2^122; every verifier challenge is drawn from it.
 * The multiplicative group has order p^2 - 1 = 2^62 * (2^60 - 1), so it holds
 * roots of unity of every order 2^k, k <= 62 (used by the Reed-Solomon code).
 *
 * An fp2 {re, im} is canonical when both parts are canonical fm61.
 */
#ifndef GKRCNN_FP2_H
#define GKRCNN_FP2_H

#include "fm61.h"

typedef struct {
    fm61 re, im;
} fp2;

static inline fp2 fp2_make(fm61 re, fm61 im) {
    fp2 r = {re, im};
    return r;
}
static inline fp2 fp2_from_fm61(fm61 a) { return fp2_make(a, 0); }
static inline fp2 fp2_zero(void) { return fp2_make(0, 0); }
static inline fp2 fp2_one(void) { return fp2_make(1, 0); }
static inline int fp2_eq(fp2 a, fp2 b) { return a.re == b.re && a.im == b.im; }
static inline int fp2_is_zero(fp2 a) { return (a.re | a.im) == 0; }

static inline fp2 fp2_add(fp2 a, fp2 b) { return fp2_make(fm61_add(a.re, b.re), fm61_add(a.im, b.im)); }
static inline fp2 fp2_sub(fp2 a, fp2 b) { return fp2_make(fm61_sub(a.re, b.re), fm61_sub(a.im, b.im)); }
static inline fp2 fp2_neg(fp2 a) { return fp2_make(fm61_neg(a.re), fm61_neg(a.im)); }
static inline fp2 fp2_conj(fp2 a) { return fp2_make(a.re, fm61_neg(a.im)); }
static inline fp2 fp2_dbl(fp2 a) { return fp2_add(a, a); }

/* p * 2^62: a multiple of p larger than any product of two canonical
 * elements, used to keep lazy differences non-negative. */
#define FP2_PMUL ((fm61_u128)FM61_P << 62)

/* Karatsuba: 3 base multiplications.
 *   re = ac - bd,  im = (a+b)(c+d) - ac - bd. */
static inline fp2 fp2_mul(fp2 x, fp2 y) {
    fm61_u128 ac = (fm61_u128)x.re * y.re;
    fm61_u128 bd = (fm61_u128)x.im * y.im;
    fm61_u128 s = (fm61_u128)(x.re + x.im) * (y.re + y.im); /* < 2^124 */
    return fp2_make(fm61_reduce128(ac + FP2_PMUL - bd), fm61_reduce128(s - ac - bd));
}

static inline fp2 fp2_sqr(fp2 x) {
    /* (a+bi)^2 = (a+b)(a-b) + 2ab i */
    fm61 re = fm61_mul(fm61_add(x.re, x.im), fm61_sub(x.re, x.im));
    fm61 ab = fm61_mul(x.re, x.im);
    return fp2_make(re, fm61_add(ab, ab));
}

/* Base times extension: 2 base multiplications. */
static inline fp2 fp2_mul_fm61(fp2 x, fm61 s) { return fp2_make(fm61_mul(x.re, s), fm61_mul(x.im, s)); }

/* Lazy multiply-accumulate. An fp2_acc holds unreduced 128-bit sums; each
 * fp2_acc_mul adds less than 3 * 2^122 to the real part and 2^123 to the
 * imaginary part, so up to FP2_ACC_MAX = 16 products may be accumulated
 * before fp2_acc_reduce (21 would still fit in 128 bits). */
typedef struct {
    fm61_u128 re, im;
} fp2_acc;

static inline void fp2_acc_zero(fp2_acc *a) { a->re = a->im = 0; }
static inline void fp2_acc_mul(fp2_acc *acc, fp2 x, fp2 y) {
    fm61_u128 ac = (fm61_u128)x.re * y.re;
    fm61_u128 bd = (fm61_u128)x.im * y.im;
    fm61_u128 s = (fm61_u128)(x.re + x.im) * (y.re + y.im);
    acc->re += ac + FP2_PMUL - bd;
    acc->im += s - ac - bd;
}
#define FP2_ACC_MAX 16
static inline fp2 fp2_acc_reduce(const fp2_acc *a) {
    return fp2_make(fm61_reduce128(a->re), fm61_reduce128(a->im));
}

fp2 fp2_pow(fp2 a, const uint64_t *e, size_t nlimbs); /* e little-endian limbs */
fp2 fp2_inv(fp2 a);                                   /* fp2_inv(0) = 0 */
void fp2_batch_inv(fp2 *out, const fp2 *in, size_t n); /* zero maps to zero */

/* A primitive 2^k-th root of unity, 0 <= k <= 62, fixed and deterministic. */
fp2 fp2_root_of_unity(unsigned k);

/* 16-byte encoding: re then im, each 8-byte little-endian canonical. */
static inline void fp2_encode(uint8_t out[16], fp2 a) {
    fm61_encode(out, a.re);
    fm61_encode(out + 8, a.im);
}
static inline zk_err fp2_decode(fp2 *out, const uint8_t in[16]) {
    fp2 t;
    if (fm61_decode(&t.re, in) != ZK_OK || fm61_decode(&t.im, in + 8) != ZK_OK) return ZK_EFORMAT;
    *out = t;
    return ZK_OK;
}

#endif
