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

#include "sc.h"

/* Prover. T = {A, B, C, D}, each of 2^n entries, consumed (folded in
 * place); r: n coordinates; claim: the true sum. On return point[0..n) is
 * the sumcheck point and finals[k] = T[k](point). n = 0 runs no round. */
void sc_frac_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const T[4], const fp2 *r, unsigned n, fp2 lam,
                   fp2 claim);

#endif
