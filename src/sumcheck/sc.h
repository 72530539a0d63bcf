/* sc.h -- the sumcheck protocol (Lund-Fortnow-Karloff-Nisan; Thaler,
 * "Proofs, Arguments, and Zero-Knowledge", ch. 4) for products of
 * multilinear tables, with a prover linear in the table size
 * (Thaler 2013; Libra, Xie et al. CRYPTO 2019, sec. 3).
 *
 * Statement:  sum_{x in {0,1}^n} T_1(x) * ... * T_k(x) = claim,  k in {1,2,3}.
 *
 * Round s = 1..n binds variable v = n - s (highest first, see mle.h):
 *   prover   sends g_s(0), g_s(1), ..., g_s(k)            ("sc/round")
 *            where g_s(X) = sum over the remaining variables of
 *            prod_j T_j(r_.., X, x_..)  (a polynomial of degree <= k);
 *   verifier checks g_s(0) + g_s(1) == claim_{s-1},
 *            draws r_s from F_{p^2}                      ("sc/r"),
 *            sets claim_s = g_s(r_s)  (Lagrange interpolation on 0..k).
 * After round n the verifier holds the point r (r[v] bound to variable v)
 * and claim_n, which must equal prod_j T_j(r); checking that is the
 * caller's job (an oracle query, a GKR claim, a commitment opening).
 *
 * Soundness: a false claim survives round s with probability <= k/|F|
 * (Schwartz-Zippel), so at most n*k/p^2 overall.
 */
#ifndef GKRCNN_SC_H
#define GKRCNN_SC_H

#include "../transcript/tr.h"

#define SC_MAX_DEGREE 3
/* The largest round degree of sc_rounds_deg / sc_verify_deg (and of a zsc
 * mask's variable, zsc.h): a round of degree SC_MAX_DEGREE whose first
 * table carries Libra's evaluation mask Z R (sec. 4.2), Z = prod x_i(1-x_i),
 * which adds 2 to the last round's degree. sc_rounds / sc_verify keep
 * SC_MAX_DEGREE. */
#define SC_MAX_ROUND_DEGREE (SC_MAX_DEGREE + 2)

struct zsc_mask; /* zsc.h */

/* The round loop, written once: every prover in src/sumcheck (sc_prove,
 * sc_prove_base, vp_prove, sc_frac_prove) is this loop and a step function
 * that knows its tables. For s = 0..n-1 (binding variable v = n-1-s, with
 * h = 2^v pairs (i, i + h) left):
 *   step(ctx, g, h, r_prev)   this round's sums (below);
 *   g(1) = claim - g(0);  send g(0), ..., g(deg)   ("sc/round");
 *   r <- "sc/r";  point[v] = r;  claim = g(r)       (sc_interpolate);
 * then step(ctx, g, 0, r) binds the last variable. The step: with
 * r == NULL (the first round) it writes g[0] and g[2..deg] of the tables
 * as they are (2h entries); otherwise it first binds the previous round's
 * variable to *r (the tables go from 4h entries to 2h, or from 2 to 1 when
 * h == 0) and then, if h > 0, writes this round's g[0], g[2..deg]. g[1]
 * is the loop's: a prover whose claim is the true sum sends the same bytes
 * as one that computes g(1), and one given a false claim still sends
 * messages that pass the verifier's round check. Returns the final claim. */
typedef void (*sc_step_fn)(void *ctx, fp2 *g, size_t h, const fp2 *r);
fp2 sc_rounds(tr_t *tr, fp2 *point, unsigned n, unsigned deg, fp2 claim, sc_step_fn step, void *ctx);

/* sc_rounds with a degree per round: deg[v] (1..SC_MAX_ROUND_DEGREE) is
 * the degree of the round that binds variable v (round n - v; the last
 * round binds variable 0), and that round sends g(0), ..., g(deg[v]):
 * deg[v] + 1 values under "sc/round", the step writing g[0], g[2..deg[v]]
 * (it finds v from h = 2^v). g has room for SC_MAX_ROUND_DEGREE + 1
 * values. With deg[v] = d for every v, exactly sc_rounds(..., d, ...)
 * (the same code; the same bytes). */
fp2 sc_rounds_deg(tr_t *tr, fp2 *point, unsigned n, const unsigned *deg, fp2 claim, sc_step_fn step, void *ctx);

/* Prover. tables: k arrays of 2^n entries, consumed (folded in place).
 * claim: the true sum (the prover derives g(1) = claim - g(0) from it).
 * On return point[0..n) is the random point and finals[j] = T_j(point). */
void sc_prove(tr_t *tr, fp2 *point, fp2 *finals, fp2 *const *tables, unsigned k, unsigned n, fp2 claim);

/* sc_prove made zero-knowledge by Libra's mask (zsc.h): the messages of
 * zsc_rounds around sc_prove's step. mask: n variables, degree k; claim:
 * the true sum of the product; finals as sc_prove, *gr = g(point). The
 * other _zk provers below and in vp.h, frac.h are the same: their plain
 * version with mask == NULL. */
void sc_prove_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, fp2 *const *tables, unsigned k, unsigned n, fp2 claim,
                 const struct zsc_mask *mask);

/* Prover for k = 2 when the first table is a base-field witness table V
 * (2^n entries, not modified): round 1 multiplies base by extension
 * elements directly, then V bound to r_1 goes to vbuf (2^(n-1) entries,
 * caller's scratch) and the other rounds run as in sc_prove. h is consumed.
 * The proof bytes are identical to sc_prove on the lifted V;
 * finals[0] = V(point), finals[1] = h(point). */
void sc_prove_base(tr_t *tr, fp2 *point, fp2 *finals, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n, fp2 claim);

/* sc_prove_base with Libra's mask (zsc.h; degree 2): *gr = g(point);
 * mask == NULL: sc_prove_base. */
void sc_prove_base_zk(tr_t *tr, fp2 *point, fp2 *finals, fp2 *gr, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                      fp2 claim, const struct zsc_mask *mask);

/* Round-1 sums of sum_x V(x) h(x) for a base-field V (2^n entries): s[0] =
 * g(0) (the lower half), s[1] = g(1) (the upper half), s[2] = g(2); so
 * s[0] + s[1] is the whole sum. For n = 0, s[0] = V[0] h[0], s[1] = s[2] = 0.
 * A caller that must send the sum before the sumcheck (GKR's per-source
 * claims) gets it from the pass that round 1 needs anyway. */
void sc_base_sums(fp2 s[3], const fm61 *V, const fp2 *h, unsigned n);
/* sc_prove_base with claim s[0] + s[1] and round 1 taken from s (from
 * sc_base_sums on the same V, h, n): the same proof bytes. */
void sc_prove_base_sums(tr_t *tr, fp2 *point, fp2 *finals, const fm61 *V, fp2 *vbuf, fp2 *h, unsigned n,
                        const fp2 s[3]);

/* Verifier for a degree-`deg` sumcheck on n variables. On entry *claim is
 * the claimed sum; on ZK_OK it is the reduced claim and point[0..n) is
 * filled. ZK_EPROOF if a round check fails, ZK_EFORMAT if the proof bytes
 * are malformed. Never aborts on proof data. */
zk_err sc_verify(tr_t *tr, fp2 *point, fp2 *claim, unsigned deg, unsigned n) ZK_WARN_UNUSED;

/* Verifier of sc_rounds_deg: the round binding variable v reads deg[v] + 1
 * values and interpolates at degree deg[v]; otherwise sc_verify. Aborts if
 * some deg[v] is outside 1..SC_MAX_ROUND_DEGREE (the caller's statement,
 * not proof data). A soundness error of sum_v deg[v] / |F|. */
zk_err sc_verify_deg(tr_t *tr, fp2 *point, fp2 *claim, const unsigned *deg, unsigned n) ZK_WARN_UNUSED;

/* g(r) for the polynomial of degree <= deg (<= SC_MAX_ROUND_DEGREE) with
 * g(i) = evals[i], i = 0..deg. */
fp2 sc_interpolate(const fp2 *evals, unsigned deg, fp2 r);

/* Brute force sum_x prod_j T_j(x), for tests and for the prover's claim. */
fp2 sc_sum_product(fp2 *const *tables, unsigned k, size_t len);

#endif
