/* frac.h -- the sumcheck of one layer of a GKR for a sum of fractions
 * (Papini-Haboeck, "Improving logarithmic derivative lookups using GKR",
 * 2023), as the logUp range checks of src/layers run it (papers/protocol.md
 * sec. 7.4 and 7.8.6):
 *
 *     sum_{x in {0,1}^n} eq(r, x) [A D + C B + lam C D](x) = claim,
 *
 * with A, C the numerator and denominator of node x's even child and B, D
 * those of its odd child (the parent is (A D + B C, C D); lam combines its
 * two halves into one claim).
 *
 * Messages: those of vp_prove (vp.h) on the five tables eq(r, .), A, B, C,
 * D with the terms  E A D + E B C + lam E C D, i.e. a degree-3 sumcheck
 * whose round loop is sc_rounds (sc.h: "sc/round", "sc/r"); the verifier
 * is sc_verify(tr, point, &claim, 3, n), then a check of the reduced
 * claim against eq(r, point) and the four values at the point.
 *
 * The prover never builds the eq table (Gruen, "Some improvements for the
 * PIOP for ZeroCheck", 2024): in the round binding variable v,
 * eq(r, x) = c * eq(r_v, X) * eq(r_<v, x_<v), c the product of the factors
 * of the variables already bound, so g(X) = c eq(r_v, X) G(X) with G of
 * degree 2 summed with the weights eq(r_<v, .), and
 * G(3) = G(0) - 3 G(1) + 3 G(2).
 *
 * Soundness: that of a degree-3 sumcheck, 3/|F| per round (sc.h).
 */
#ifndef GKRCNN_SC_FRAC_H
#define GKRCNN_SC_FRAC_H

#include "vp.h"

/* Prover. T = {A, B, C, D}, each of 2^n entries, consumed (folded in
 * place); r: n coordinates; claim: the true sum. On return point[0..n) is
 * the sumcheck point and finals[k] = T[k](point). n = 0 runs no round. */
void sc_frac_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                   fp2 claim);

/* The same messages with the tables given as the layer below: P and Q
 * (2^(n+1) entries each, only read), A[x] = P[2x], B[x] = P[2x+1],
 * C[x] = Q[2x], D[x] = Q[2x+1]. T: caller's scratch, four tables of
 * max(2^(n-1), 1) entries (the tables after the first bind). */
void sc_frac_prove_layer(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                         const fp2 *r, unsigned n, fp2 lam, fp2 claim);

/* The parent layer of P, Q as above: P'[x] = P[2x] Q[2x+1] + P[2x+1] Q[2x],
 * Q'[x] = Q[2x] Q[2x+1], x < n (P', Q': n entries; P, Q: 2n). */
void sc_frac_parent(fp2 *P, fp2 *Q, const fp2 *Pc, const fp2 *Qc, size_t n);

/* A caller that knows its tables' structure computes the first k rounds
 * itself (0 <= k < n, or k = n = 0): in the round binding variable v
 * (round s = n - 1 - v, h = 2^v pairs (i, i + h), F = A D + C (B + lam D))
 *   sums(ctx, G, need1, w, h, rb, s):  G[X] = sum_{i<h} w[i] F_i(X) for
 *       X = 0, 2, and X = 1 when need1 (else G[1] is not read); w[i] =
 *       eq(r_<v, i); rb[0..s) the challenges bound so far (rb[0] bound
 *       variable n-1);
 *   bind(ctx, T, len, rb):  after those k rounds, the four tables bound
 *       to rb[0..k), len = 2^(n-k) entries each, into T.
 * The messages are those of sc_frac_prove on the full tables. */
typedef struct {
    unsigned k;
    void (*sums)(void *ctx, fp2 G[3], int need1, const fp2 *w, size_t h, const fp2 *rb, unsigned s);
    void (*bind)(void *ctx, fp2 *const T[4], size_t len, const fp2 *rb);
    void *ctx;
} sc_frac_src;

/* T: four tables of 2^(n-k) entries (caller's scratch, written by bind). */
void sc_frac_prove_src(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const sc_frac_src *src, const fp2 *r,
                       unsigned n, fp2 lam, fp2 claim);

/* The three provers made zero-knowledge by Libra's mask (zsc.h): the
 * messages of zsc_rounds around their step; mask: n variables, degree 3;
 * *gr = g(point). mask == NULL: the plain ones. */
void sc_frac_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                      fp2 claim, const struct zsc_mask *mask);
void sc_frac_prove_layer_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                            const fp2 *r, unsigned n, fp2 lam, fp2 claim, const struct zsc_mask *mask);
void sc_frac_prove_src_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const sc_frac_src *src,
                          const fp2 *r, unsigned n, fp2 lam, fp2 claim, const struct zsc_mask *mask);

/* The three with Libra's evaluation masks and an absorbed pool part (vp.h,
 * vp_prove_em; papers/protocol.md sec. 9.8 (a), (d)): masked[k], a[k] for
 * the finals A, B, C, D (k = 0..3), ab with E = eq(r, .). The last round's
 * degree is 3 + the masked factors of a term (at most 5: vp_round_degrees_ab
 * on the terms E A D, E C B, lam E C D). n >= 1 when either is given. */
void sc_frac_prove_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                      fp2 claim, const struct zsc_mask *mask, const int *masked, const fp2 *a, vp_absorb *ab);
void sc_frac_prove_layer_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const fp2 *P, const fp2 *Q,
                            const fp2 *r, unsigned n, fp2 lam, fp2 claim, const struct zsc_mask *mask,
                            const int *masked, const fp2 *a, vp_absorb *ab);
void sc_frac_prove_src_em(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const T[4], const sc_frac_src *src,
                          const fp2 *r, unsigned n, fp2 lam, fp2 claim, const struct zsc_mask *mask,
                          const int *masked, const fp2 *a, vp_absorb *ab);

#endif
