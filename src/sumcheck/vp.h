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

/* Evaluation masks (Libra sec. 4.2 as papers/protocol.md sec. 9.8 (a)
 * uses it). A table j with masked[j] enters the sumcheck as
 *     T'_j(x) = T_j(x) + x_0 (1 - x_0) a[j],
 * which equals T_j on {0,1}^n: the claim and every round but the last
 * (binding x_0) are unchanged; the last round has degree
 * vp_last_degree(terms, masked) = max_t (k_t + masked factors of t), and
 * finals[j] = T'_j(point) = T_j(point) + point[0] (1 - point[0]) a[j].
 * The rounds' degrees are vp_round_degrees (d in every round but the
 * last); the zsc mask must have them (zsc_mask_new_deg), and the verifier
 * runs zsc_verify_deg with them and checks vp_combine(terms, finals) as
 * before. masked == NULL and ab == NULL: vp_prove_zk / vp_prove_eq_zk exactly. n >= 1
 * when any table is masked (a sumcheck of no round has no last round). The
 * eq table of vp_prove_eq_em is never masked. */
/* Absorbing a pool part (papers/protocol.md sec. 9.8 (d)): with ab given,
 * the rounds are those of
 *     sum_x f(x) + sum_x E(x) L(x) = claim + P,   E = eq(e, .),
 *     L(x) = P + b (x_0 - e_0)   (e NULL: the point 0, E = prod (1 - x_i)),
 * claim being f's true sum, so that sum_x E(x) L(x) = P: the claim a
 * verifier knows is claim + P. The term is added to each round in closed
 * form (degree 1 in the rounds binding x_{n-1}..x_1, 2 in the last, which
 * vp_round_degrees_ab counts); on return ab->ell = L(point) = P + b
 * (point_0 - e_0), which the prover sends, and the verifier's final check
 * is vp_combine(terms, finals) + E(point) ell. n >= 1. */
typedef struct {
    fp2 part, b; /* P and b */
    const fp2 *e;
    fp2 ell; /* out */
} vp_absorb;

unsigned vp_last_degree(const vp_term *terms, unsigned nterms, const int *masked);
/* deg[0..n): deg[0] = vp_last_degree, deg[v] = vp_degree for v >= 1. */
void vp_round_degrees(unsigned *deg, const vp_term *terms, unsigned nterms, const int *masked, unsigned n);
/* The same with an absorbed pool part (ab: the last round at least 2). */
void vp_round_degrees_ab(unsigned *deg, const vp_term *terms, unsigned nterms, const int *masked, int ab,
                         unsigned n);
void vp_prove_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab, const vp_term *terms,
                 unsigned nterms, unsigned n, fp2 claim, const struct zsc_mask *mask, const int *masked,
                 const fp2 *a, vp_absorb *ab);
void vp_prove_eq_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned ntab,
                    const vp_term *terms, unsigned nterms, unsigned n, fp2 claim, unsigned e, const fp2 *rho,
                    const struct zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab);

/* The base-field dot product of sc_prove_base_zk (sum_x V(x) h(x), V in
 * F_p, finals[0] = V(point), finals[1] = h(point)) with the same evaluation
 * masks (masked[0]: V, masked[1]: h; a[2]) and pool part; n >= 1 when
 * either is given. Implemented in sc.c. */
void sc_prove_base_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                      fp2 claim, const struct zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab);

/* sum_t c_t prod_j vals[t_j]: what the reduced claim must equal when vals
 * are the tables' values at the point. */
fp2 vp_combine(const vp_term *terms, unsigned nterms, const fp2 *vals);

#endif
