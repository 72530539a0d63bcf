/* test_zr.h -- a sumcheck whose last round has a higher degree than the
 * others, for the tests of per-round degrees (sc.h: sc_rounds_deg,
 * sc_verify_deg) and per-variable mask degrees (zsc.h: zsc_rounds_deg).
 *
 * Libra's evaluation masking (sec. 4.2): sum_{x in {0,1}^n} T'(x) S~(x)
 * with T' = T~ + Z R~, Z(x) = prod_v x_v (1 - x_v), T, S, R tables of 2^n
 * entries. Z vanishes on the hypercube, so the sum is sum_x T(x) S(x). The
 * sumcheck binds the highest variable first (sc.h); while variable 0 is
 * still summed over {0,1}, Z is 0 and the round is T~ S~'s, of degree 2.
 * The last round (variable 0) has Z(X, r_>0) = X (1 - X) prod_{u>0}
 * r_u (1 - r_u), so f(X, r_>0) = (T~ + Z R~) S~ has degree 1 + 2 + 1 = 4:
 * round degrees (4, 2, ..., 2) by variable, d + 2 in the last round. With
 * zr = 0 the instance is plain T~ S~ (degree 2 everywhere).
 *
 * The prover's step (zr_step, an sc_step_fn) computes every round value
 * from the definition, g(X) = sum_{b in {0,1}^v} f(b, X, r_>v), by
 * evaluating the tables' extensions at each point: slow, independent of
 * sc.c's folding, for small n only.
 */
#ifndef GKRCNN_TEST_ZR_H
#define GKRCNN_TEST_ZR_H

#include "../src/sumcheck/sc.h"

#define ZR_MAXN 12

typedef struct {
    unsigned n;
    int zr;                 /* 1: T' = T~ + Z R~; 0: T~ alone */
    fp2 *T, *S, *R;         /* 2^n entries each */
    unsigned deg[ZR_MAXN];  /* the round degree of variable v */
    fp2 sum;                /* sum_x T(x) S(x), the true claim */
} zr_inst;

/* small: T and S in {0,1} (a witness whose plain rounds are small
 * integers); R is uniform. 1 <= n <= ZR_MAXN. */
void zr_init(zr_inst *z, zk_rng *rng, unsigned n, int zr, int small);
void zr_free(zr_inst *z);

/* f(x) = T'(x) S~(x) at any point x (x[v] for variable v). */
fp2 zr_f(const zr_inst *z, const fp2 *x);

/* The prover's state for one run; zr_prover_init before each run. */
typedef struct {
    const zr_inst *z;
    fp2 pt[ZR_MAXN]; /* the challenges so far, pt[v] for variable v */
    unsigned v;      /* the variable of the round in progress */
} zr_prover;

void zr_prover_init(zr_prover *p, const zr_inst *z);
void zr_step(void *ctx, fp2 *g, size_t h, const fp2 *r);

/* The coefficients c[0..D] of the polynomial of degree <= D with values
 * ev[0..D] at 0..D. */
void zr_coefs(fp2 *c, const fp2 *ev, unsigned D);

#endif
