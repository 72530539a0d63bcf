/* vp.h -- sumcheck for a sum of products of multilinear tables (a
 * "virtual polynomial", as in HyperPlonk and Expander):
 *
 *     sum_{x in {0,1}^n}  sum_t  c_t * T_{t,1}(x) * ... * T_{t,k_t}(x)  =  claim,
 *
 * k_t in {1, 2, 3}. The layer reductions of src/layers use it for every
 * relation that is not a single product (ReLU, pooling, the conv/FC
 * kernel-position sums, Mul, Affine); the logUp fraction layers send the
 * same messages from their own prover (frac.h).
 *
 * The messages are exactly those of sc.h for degree d = max k_t: per round
 * g(0), ..., g(d) under "sc/round", challenge "sc/r", highest variable
 * bound first (the loop is sc_rounds); sc_verify(tr, point, &claim, d, n)
 * is the verifier. After the last round the caller sends and checks the
 * tables' values at the point (they are claims the caller reduces further).
 */
#ifndef GKRCNN_VP_H
#define GKRCNN_VP_H

#include "sc.h"

typedef struct {
    fp2 c;            /* coefficient */
    unsigned k;       /* factors, 1..3 */
    unsigned t[3];    /* table indices */
} vp_term;

/* Degree of the polynomial: max k_t. */
unsigned vp_degree(const vp_term *terms, unsigned nterms);

/* Prover. tables[0..ntab) each of 2^n entries, distinct arrays, consumed
 * (folded in place).
 * claim must be the true sum. On return point[0..n) is the sumcheck point
 * and finals[j] = T_j(point). n = 0 runs no round: finals are the single
 * entries. */
void vp_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned ntab, const vp_term *terms,
              unsigned nterms, unsigned n, fp2 claim);

/* The same messages (and finals) when table e is eq(rho, .), rho of n
 * coordinates, and every term has it as exactly one of its factors: the
 * prover keeps eq(rho, .) implicit (tables[e] is not read and may be
 * NULL; finals[e] = eq(rho, point)), sums the other factors (degree d - 1)
 * at d - 1 points per round, and binds each table in the same pass as the
 * next round's sums (vp.c). Terms with the same other factors may be given
 * separately. */
void vp_prove_eq(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho);

/* vp_prove and vp_prove_eq made zero-knowledge by Libra's mask (zsc.h):
 * the messages of zsc_rounds around their steps; mask: n variables,
 * degree vp_degree(terms); *gr = g(point). mask == NULL: the plain ones. */
void vp_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, const struct zsc_mask *mask);
void vp_prove_eq_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab,
                    const vp_term *terms, unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho,
                    const struct zsc_mask *mask);

/* sum_t c_t prod_j vals[t_j]: what the reduced claim must equal when vals
 * are the tables' values at the point. */
fp2 vp_combine(const vp_term *terms, unsigned nterms, const fp2 *vals);

#endif
