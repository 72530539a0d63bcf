/* pairing.h -- BN254 G2 and the optimal ate pairing (issue 5).
 *
 * G2 is the order-r subgroup of the sextic D-type twist
 *     E'(F_q2): y^2 = x^3 + 3/xi,  xi = 9 + u  (tower.h),
 * with the generator of EIP-197 / go-ethereum / arkworks. The untwisting
 * map psi(x, y) = (x w^2, y w^3) sends it into E(F_q12): y^2 = x^3 + 3.
 *
 * The pairing is the optimal ate pairing (Vercauteren, "Optimal pairings",
 * IEEE TIT 2010): e(P, Q) = f^((q^12 - 1)/r) with f the Miller function
 * f_{6x+2,Q}(P) times the lines through [6x+2]Q, pi(Q) and -pi^2(Q),
 * x = 4965661367192848881. The final exponentiation is exact (the
 * (q^12 - 1)/r-th power, checked against GMP in the tests); ark-bn254's
 * pairing value is this one to the power 2x(6x^2 + 3x + 1) (its hard part,
 * Fuentes-Castaneda et al., computes that multiple; also tested). Product
 * checks (== 1) agree with every implementation, e.g. the EIP-197
 * precompile vectors of go-ethereum.
 *
 * Prefixes bn_g2_, bn_pairing_. Output first; outputs may alias inputs.
 * Variable-time (the baseline proves public statements).
 *
 * Inputs to the pairing must be valid group elements: P on E (G1 has
 * cofactor 1, so on the curve is enough) and Q on E' and in G2. The
 * pairing does not check this (it is the decoder's job: bn_g1_from_bytes,
 * bn_g2_from_bytes; -DZK_VERIFY builds check that both are on their
 * curves). Points at infinity are allowed and give 1.
 */
#ifndef GKRCNN_BN254_PAIRING_H
#define GKRCNN_BN254_PAIRING_H

#include "curve.h"
#include "tower.h"

typedef struct {
    bn_fq2 x, y;
    int inf; /* 1: the point at infinity (x, y ignored) */
} bn_g2_aff;

/* Jacobian (X, Y, Z) ~ (X/Z^2, Y/Z^3); Z = 0 is the point at infinity. */
typedef struct {
    bn_fq2 X, Y, Z;
} bn_g2;

/* ---- G2 ---- */
void bn_g2_generator(bn_g2 *o);
void bn_g2_generator_aff(bn_g2_aff *o);
void bn_g2_set_inf(bn_g2 *o);
int bn_g2_is_inf(const bn_g2 *a);
void bn_g2_from_aff(bn_g2 *o, const bn_g2_aff *a);
void bn_g2_to_aff(bn_g2_aff *o, const bn_g2 *a);
int bn_g2_eq(const bn_g2 *a, const bn_g2 *b);
int bn_g2_aff_eq(const bn_g2_aff *a, const bn_g2_aff *b);
/* y^2 = x^3 + 3/xi (infinity counts as on the curve) */
int bn_g2_aff_on_curve(const bn_g2_aff *a);
/* on the curve and [r] a = 0 (the twist has a large cofactor, so decoders
 * must check this) */
int bn_g2_aff_in_subgroup(const bn_g2_aff *a);
void bn_g2_add(bn_g2 *o, const bn_g2 *a, const bn_g2 *b);
void bn_g2_add_aff(bn_g2 *o, const bn_g2 *a, const bn_g2_aff *b); /* mixed addition */
void bn_g2_dbl(bn_g2 *o, const bn_g2 *a);
void bn_g2_neg(bn_g2 *o, const bn_g2 *a);
void bn_g2_aff_neg(bn_g2_aff *o, const bn_g2_aff *a);
/* o = k * a (k a scalar in F_r, Montgomery form as stored) */
void bn_g2_mul(bn_g2 *o, const bn_g2 *a, const bn_fr *k);
/* o = e * a for a plain n-limb little-endian integer e (any size) */
void bn_g2_mul_limbs(bn_g2 *o, const bn_g2 *a, const uint64_t *e, size_t n);

/* 128 bytes, EIP-197 order: x.c1 || x.c0 || y.c1 || y.c0, each 32 bytes
 * big-endian; all-zero for infinity. Decoding rejects non-canonical
 * coordinates (ZK_EFORMAT) and points off the curve or outside G2
 * (ZK_EINPUT). */
void bn_g2_to_bytes(uint8_t out[128], const bn_g2_aff *a);
zk_err bn_g2_from_bytes(bn_g2_aff *o, const uint8_t in[128]) ZK_WARN_UNUSED;

/* ---- pairing ---- */
/* o = prod_i f_i(P_i, Q_i): the Miller loops of n pairs sharing one
 * accumulator (one squaring per step for all pairs). Pairs with a point at
 * infinity contribute 1. Not yet a pairing value: see bn_pairing_final_exp. */
void bn_pairing_miller_loop(bn_fq12 *o, const bn_g1_aff *p, const bn_g2_aff *q, size_t n);
/* o = f^((q^12 - 1) / r): the easy part (q^6 - 1)(q^2 + 1), then the hard
 * part (q^4 - q^2 + 1)/r by the addition chain of Scott, Benger, Charlemagne,
 * Dominguez Perez and Kachisa, "On the final exponentiation for calculating
 * pairings on ordinary elliptic curves" (Pairing 2009), Section 5. f = 0
 * (impossible for valid inputs) gives 0. */
void bn_pairing_final_exp(bn_fq12 *o, const bn_fq12 *f);
/* o = e(P, Q) */
void bn_pairing(bn_fq12 *o, const bn_g1_aff *p, const bn_g2_aff *q);
/* 1 if prod_{i < n} e(P_i, Q_i) == 1 (n = 0 gives 1), else 0: n Miller
 * loops and one final exponentiation. What KZG verification uses:
 * e(W, [tau]G2) * e(-(C - [y]G1 + [z] W), G2) == 1. */
int bn_pairing_check(const bn_g1_aff *p, const bn_g2_aff *q, size_t n);

#endif
