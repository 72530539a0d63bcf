/* bn254.h -- the BN254 (alt_bn128) base field F_q and scalar field F_r,
 * for the Plonkish baseline (issue 5). Montgomery form, 4 x 64-bit limbs,
 * little-endian limbs.
 *
 *   q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
 *   r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
 *
 * Representation: an element a is stored as aR mod m (R = 2^256), always
 * fully reduced (canonical: limbs < m). Every function returns canonical
 * results for canonical inputs. Constant-time is NOT a goal (the baseline
 * proves public statements); functions that branch on data say so only
 * where it matters for timing measurements.
 *
 * Prefixes: bn_fq_ for the base field, bn_fr_ for the scalar field; the
 * two share the generic Montgomery code (bn_mont_*) with the modulus and
 * -m^-1 mod 2^64 as parameters (blst style).
 *
 * Argument order: output first, then inputs. Outputs may alias inputs.
 */
#ifndef GKRCNN_BN254_H
#define GKRCNN_BN254_H

#include "../core/zk.h"

typedef struct {
    uint64_t l[4];
} bn_fq;

typedef struct {
    uint64_t l[4];
} bn_fr;

/* Moduli and Montgomery constants (exposed for tests). */
extern const uint64_t BN_Q[4], BN_R[4];

/* ---- F_q ---- */
void bn_fq_zero(bn_fq *o);
void bn_fq_one(bn_fq *o);
int bn_fq_is_zero(const bn_fq *a);
int bn_fq_eq(const bn_fq *a, const bn_fq *b);
void bn_fq_add(bn_fq *o, const bn_fq *a, const bn_fq *b);
void bn_fq_sub(bn_fq *o, const bn_fq *a, const bn_fq *b);
void bn_fq_neg(bn_fq *o, const bn_fq *a);
void bn_fq_dbl(bn_fq *o, const bn_fq *a);
void bn_fq_mul(bn_fq *o, const bn_fq *a, const bn_fq *b);
void bn_fq_sqr(bn_fq *o, const bn_fq *a);
/* a^-1 (0 -> 0) */
void bn_fq_inv(bn_fq *o, const bn_fq *a);
/* a^e, e given as 4 little-endian limbs (a plain integer, not Montgomery) */
void bn_fq_pow(bn_fq *o, const bn_fq *a, const uint64_t e[4]);
/* square root if a is a square: returns 1 and sets o; else 0 (q = 3 mod 4) */
int bn_fq_sqrt(bn_fq *o, const bn_fq *a);
/* conversions: from/to a plain integer < q given as 4 little-endian limbs;
 * from_u64 for small values. from_limbs returns 0 (and sets nothing) when
 * the integer is >= q. */
void bn_fq_from_u64(bn_fq *o, uint64_t v);
int bn_fq_from_limbs(bn_fq *o, const uint64_t v[4]) ZK_WARN_UNUSED;
void bn_fq_to_limbs(uint64_t v[4], const bn_fq *a);
/* 32-byte big-endian encoding of the plain integer; decoding rejects >= q */
void bn_fq_to_bytes(uint8_t out[32], const bn_fq *a);
zk_err bn_fq_from_bytes(bn_fq *o, const uint8_t in[32]) ZK_WARN_UNUSED;

/* ---- F_r (same API) ---- */
void bn_fr_zero(bn_fr *o);
void bn_fr_one(bn_fr *o);
int bn_fr_is_zero(const bn_fr *a);
int bn_fr_eq(const bn_fr *a, const bn_fr *b);
void bn_fr_add(bn_fr *o, const bn_fr *a, const bn_fr *b);
void bn_fr_sub(bn_fr *o, const bn_fr *a, const bn_fr *b);
void bn_fr_neg(bn_fr *o, const bn_fr *a);
void bn_fr_dbl(bn_fr *o, const bn_fr *a);
void bn_fr_mul(bn_fr *o, const bn_fr *a, const bn_fr *b);
void bn_fr_sqr(bn_fr *o, const bn_fr *a);
void bn_fr_inv(bn_fr *o, const bn_fr *a);
/* o[i] = a[i]^-1 for n elements (Montgomery's trick; zeros map to zero) */
void bn_fr_batch_inv(bn_fr *o, const bn_fr *a, size_t n);
void bn_fr_pow(bn_fr *o, const bn_fr *a, const uint64_t e[4]);
void bn_fr_from_u64(bn_fr *o, uint64_t v);
/* signed small integers (the quantized witness): v mod r */
void bn_fr_from_i64(bn_fr *o, int64_t v);
int bn_fr_from_limbs(bn_fr *o, const uint64_t v[4]) ZK_WARN_UNUSED;
void bn_fr_to_limbs(uint64_t v[4], const bn_fr *a);
void bn_fr_to_bytes(uint8_t out[32], const bn_fr *a);
zk_err bn_fr_from_bytes(bn_fr *o, const uint8_t in[32]) ZK_WARN_UNUSED;
/* A primitive 2^k-th root of unity in F_r, k <= 28 (r - 1 = 2^28 * odd). */
void bn_fr_root_of_unity(bn_fr *o, unsigned k);

#endif
