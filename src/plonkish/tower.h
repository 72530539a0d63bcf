/* tower.h -- the BN254 extension tower used by the pairing (issue 5).
 *
 *   F_q2  = F_q[u] / (u^2 + 1)            a = c0 + c1 u
 *   F_q6  = F_q2[v] / (v^3 - xi), xi = 9+u a = c0 + c1 v + c2 v^2
 *   F_q12 = F_q6[w] / (w^2 - v)           a = c0 + c1 w
 *
 * (the tower of EIP-197, go-ethereum's bn256 and arkworks' ark-bn254), so
 * w^6 = xi and an element of F_q12 is also sum_{j<6} g_j w^j with
 * g_0 = c0.c0, g_1 = c1.c0, g_2 = c0.c1, g_3 = c1.c1, g_4 = c0.c2,
 * g_5 = c1.c2 (the order the Frobenius constants are indexed in).
 *
 * Prefixes bn_fq2_, bn_fq6_, bn_fq12_. Output first, then inputs; outputs
 * may alias inputs. Canonical in, canonical out (each F_q coordinate is a
 * canonical bn_fq). Variable-time, like bn254.h.
 *
 * The Frobenius constants gamma_{k,j} = xi^(j (q^k - 1) / 6) are computed
 * from xi at first use (thread-safe, pthread_once); bn_tower_frob_coeff
 * exposes them for the tests.
 */
#ifndef GKRCNN_BN254_TOWER_H
#define GKRCNN_BN254_TOWER_H

#include "bn254.h"

typedef struct {
    bn_fq c0, c1;
} bn_fq2;

typedef struct {
    bn_fq2 c0, c1, c2;
} bn_fq6;

typedef struct {
    bn_fq6 c0, c1;
} bn_fq12;

/* ---- F_q2 ---- */
void bn_fq2_zero(bn_fq2 *o);
void bn_fq2_one(bn_fq2 *o);
int bn_fq2_is_zero(const bn_fq2 *a);
int bn_fq2_is_one(const bn_fq2 *a);
int bn_fq2_eq(const bn_fq2 *a, const bn_fq2 *b);
void bn_fq2_add(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b);
void bn_fq2_sub(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b);
void bn_fq2_neg(bn_fq2 *o, const bn_fq2 *a);
void bn_fq2_dbl(bn_fq2 *o, const bn_fq2 *a);
void bn_fq2_mul(bn_fq2 *o, const bn_fq2 *a, const bn_fq2 *b);
void bn_fq2_sqr(bn_fq2 *o, const bn_fq2 *a);
/* o = a * s for s in F_q */
void bn_fq2_mul_fq(bn_fq2 *o, const bn_fq2 *a, const bn_fq *s);
/* o = a * xi = a * (9 + u) */
void bn_fq2_mul_xi(bn_fq2 *o, const bn_fq2 *a);
/* a^-1 (0 -> 0) */
void bn_fq2_inv(bn_fq2 *o, const bn_fq2 *a);
/* conjugate c0 - c1 u, which is also the Frobenius a^q */
void bn_fq2_conj(bn_fq2 *o, const bn_fq2 *a);
/* a^e, e an n-limb little-endian plain integer */
void bn_fq2_pow(bn_fq2 *o, const bn_fq2 *a, const uint64_t *e, size_t n);

/* ---- F_q6 ---- */
void bn_fq6_zero(bn_fq6 *o);
void bn_fq6_one(bn_fq6 *o);
int bn_fq6_is_zero(const bn_fq6 *a);
int bn_fq6_eq(const bn_fq6 *a, const bn_fq6 *b);
void bn_fq6_add(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b);
void bn_fq6_sub(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b);
void bn_fq6_neg(bn_fq6 *o, const bn_fq6 *a);
void bn_fq6_mul(bn_fq6 *o, const bn_fq6 *a, const bn_fq6 *b);
void bn_fq6_sqr(bn_fq6 *o, const bn_fq6 *a);
/* o = a * v */
void bn_fq6_mul_v(bn_fq6 *o, const bn_fq6 *a);
/* o = a * (b0 + b1 v) (sparse) */
void bn_fq6_mul_01(bn_fq6 *o, const bn_fq6 *a, const bn_fq2 *b0, const bn_fq2 *b1);
void bn_fq6_inv(bn_fq6 *o, const bn_fq6 *a);
/* a^(q^k), k any non-negative integer */
void bn_fq6_frob(bn_fq6 *o, const bn_fq6 *a, unsigned k);

/* ---- F_q12 ---- */
void bn_fq12_zero(bn_fq12 *o);
void bn_fq12_one(bn_fq12 *o);
int bn_fq12_is_one(const bn_fq12 *a);
int bn_fq12_eq(const bn_fq12 *a, const bn_fq12 *b);
void bn_fq12_add(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b);
void bn_fq12_sub(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b);
void bn_fq12_mul(bn_fq12 *o, const bn_fq12 *a, const bn_fq12 *b);
void bn_fq12_sqr(bn_fq12 *o, const bn_fq12 *a);
/* o = a * (b0 + b3 w + b4 v w): the sparse product with a line of the
 * D-type twist (positions 0, 3, 4 of the w-basis) */
void bn_fq12_mul_034(bn_fq12 *o, const bn_fq12 *a, const bn_fq2 *b0, const bn_fq2 *b3, const bn_fq2 *b4);
void bn_fq12_inv(bn_fq12 *o, const bn_fq12 *a);
/* c0 - c1 w = a^(q^6); the inverse for a in the cyclotomic subgroup */
void bn_fq12_conj(bn_fq12 *o, const bn_fq12 *a);
/* a^(q^k), k any non-negative integer */
void bn_fq12_frob(bn_fq12 *o, const bn_fq12 *a, unsigned k);
/* Granger-Scott squaring, valid only for a in the cyclotomic subgroup
 * (a^(q^4 - q^2 + 1) = 1, e.g. after the easy part of the final
 * exponentiation); about 2x faster than bn_fq12_sqr. */
void bn_fq12_cyclo_sqr(bn_fq12 *o, const bn_fq12 *a);
/* a^e, e an n-limb little-endian plain integer (square-and-multiply) */
void bn_fq12_pow(bn_fq12 *o, const bn_fq12 *a, const uint64_t *e, size_t n);

/* gamma_{k,j} = xi^(j (q^k - 1) / 6) for k in 0..11, j in 0..5 (tests). */
void bn_tower_frob_coeff(bn_fq2 *o, unsigned k, unsigned j);

#endif
