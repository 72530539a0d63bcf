/* curve.h -- the BN254 group G1: y^2 = x^3 + 3 over F_q, generator (1, 2),
 * prime order r (bn254.h). Affine points for storage and input to the
 * multi-scalar multiplication; Jacobian points (X, Y, Z) ~ (X/Z^2, Y/Z^3)
 * for arithmetic, Z = 0 the point at infinity.
 *
 * Prefix bn_g1_. Output first; outputs may alias inputs.
 * Variable-time (the baseline proves public statements).
 */
#ifndef GKRCNN_BN254_CURVE_H
#define GKRCNN_BN254_CURVE_H

#include "bn254.h"

typedef struct {
    bn_fq x, y;
    int inf; /* 1: the point at infinity (x, y ignored) */
} bn_g1_aff;

typedef struct {
    bn_fq X, Y, Z;
} bn_g1;

void bn_g1_generator(bn_g1 *o);
void bn_g1_set_inf(bn_g1 *o);
int bn_g1_is_inf(const bn_g1 *a);
void bn_g1_from_aff(bn_g1 *o, const bn_g1_aff *a);
void bn_g1_to_aff(bn_g1_aff *o, const bn_g1 *a);
/* o[i] = affine of a[i], one field inversion for all (batch) */
void bn_g1_batch_to_aff(bn_g1_aff *o, const bn_g1 *a, size_t n);
int bn_g1_eq(const bn_g1 *a, const bn_g1 *b);
int bn_g1_aff_on_curve(const bn_g1_aff *a);
void bn_g1_add(bn_g1 *o, const bn_g1 *a, const bn_g1 *b);
void bn_g1_add_aff(bn_g1 *o, const bn_g1 *a, const bn_g1_aff *b); /* mixed addition */
void bn_g1_dbl(bn_g1 *o, const bn_g1 *a);
void bn_g1_neg(bn_g1 *o, const bn_g1 *a);
/* o = k * a (k a scalar in F_r, Montgomery form as stored) */
void bn_g1_mul(bn_g1 *o, const bn_g1 *a, const bn_fr *k);

/* Multi-scalar multiplication o = sum_i k[i] * p[i] (Pippenger's bucket
 * method, window chosen from n; runs on zk_threads() threads; the result
 * does not depend on the thread count). */
void bn_g1_msm(bn_g1 *o, const bn_g1_aff *p, const bn_fr *k, size_t n);

/* Compressed-free encoding: 64 bytes x || y big-endian, all-zero for
 * infinity; decoding checks the curve equation (G1 has cofactor 1). */
void bn_g1_to_bytes(uint8_t out[64], const bn_g1_aff *a);
zk_err bn_g1_from_bytes(bn_g1_aff *o, const uint8_t in[64]) ZK_WARN_UNUSED;

#endif
