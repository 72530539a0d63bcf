/* zsc.h -- a zero-knowledge layer over the sumcheck of sc.h: Libra's
 * masking polynomial (Xie, Zhang, Zhang, Papamanthou, Song, "Libra",
 * CRYPTO 2019, sec. 4.1) and a zero-knowledge proof of the masks' values,
 * batched over every mask of a proof (papers/protocol.md sec. 3.1).
 *
 * Mask. For a sumcheck of n variables whose round binding variable v has
 * degree d_v, a mask is
 *     g(x) = a0 + sum_{v<n} sum_{j=1..d_v} c_{v,j} x_v^j,
 * 1 + sum_v d_v uniform coefficients in F_{p^2} (n d + 1 when every d_v = d,
 * the uniform mask of zsc_mask_new; per-variable degrees, zsc_mask_new_deg,
 * are for a sumcheck whose last round has a higher degree than the others,
 * as under Libra's evaluation masking T~ + Z R, sec. 4.2: a mask of degree
 * d on a round of degree d + 2 would leave that round's top two
 * coefficients unmasked). They are F_{p^2}, not F_p: the round values are
 * F_{p^2} and rho g with F_p coefficients would only move them along the
 * line rho F_p, leaving the other F_p-coordinate of every message unmasked. The commitment holds base-field cells: the
 * caller's mask table C keeps coefficient k of a mask at cells off + 2k
 * (real part) and off + 2k + 1 (imaginary part), coefficient 0 = a0,
 * coefficient 1 + (d_0 + ... + d_{v-1}) + (j - 1) = c_{v,j} (1 + v d + j - 1
 * for a uniform mask).
 *
 * ZK sumcheck of sum_x f(x) = H (zsc_rounds / zsc_verify; zsc_rounds_deg /
 * zsc_verify_deg), after the mask table is committed (the caller's job,
 * before any challenge):
 *   prover   sends G = sum_x g(x)                          ("zsc/G");
 *   verifier draws rho != 0                                 ("zsc/rho");
 *   both     run the sumcheck of sc.h (sc_rounds, sc_verify; sc_rounds_deg,
 *            sc_verify_deg) on f + rho g, claim H + rho G, the round
 *            binding v of degree d_v, point r;
 *   prover   sends g(r)                                    ("zsc/gr");
 *   verifier reduces the final claim c to c - rho g(r), the claim on
 *            f(r) the caller checks as it would after sc_verify, and keeps
 *            g(r) as a claim on the committed mask (a zsc_claim).
 * The round degrees are unchanged (deg_{x_v} g = d_v = f's degree in x_v).
 *
 * Mask values (zsc_ip_prove / zsc_ip_verify). With the claims
 * (off_s, r_s, g_s(r_s)) of every mask, the committed base-field table is
 * T = [C ; D] (2^(mc+1) cells, C the low half, D a uniform table of the
 * same size in the high half). Read pairs of cells as F_{p^2} entries:
 * C^[k] = C[2k] + i C[2k+1], D^ alike (2^(mc-1) entries; D^ is uniform in
 * F_{p^2}). Then g_s(r_s) = <C^, v_s> with v_s the weights (1, r_{s,v}^j,
 * j = 1..d_{s,v}) placed at mask s's entries (not tensor-structured, hence
 * a sumcheck):
 *   verifier draws lambda_1..lambda_S                     ("zsc/ip/lambda");
 *            V = sum_s lambda_s v_s, H' = sum_s lambda_s g_s(r_s);
 *   prover   sends G' = <D^, V>                           ("zsc/ip/G");
 *   verifier draws rho' not in {0, -1}                    ("zsc/ip/rho");
 *   both     run the degree-2 sumcheck (sc.h) of sum_k W(k) V(k),
 *            W = C^ + rho' D^, claim H' + rho' G', point z (mc - 1 coords);
 *   prover   sends y = T~(x0, z, t)                       ("zsc/ip/eval"),
 *            x0 = i/(1+i), t = rho'/(1+rho'): since C^~(z) = (1+i) C~(x0, z),
 *            W~(z) = (1+i)(1+rho') T~(x0, z, t);
 *   verifier computes V~(z) itself (O(mask cells * mc)) and checks the
 *            final claim = (1+i)(1+rho') y V~(z).
 * The verifier is left with ONE claim on the committed table, T~(x0,z,t) = y,
 * which the caller proves with its (hiding) commitment opening.
 *
 * Soundness (|F| = p^2; details in papers/protocol.md sec. 3.1):
 *   rho:      G is sent after the mask is committed and before rho, so a
 *             false H survives only if rho = (H* - H)/(G - G*): 1/(|F|-1);
 *   rounds:   sum_v d_v/|F| (sc.h; round v costs d_v/|F| as without the
 *             mask);
 *   g(r):     a false g(r) is a false claim on the mask table, caught by
 *             the batch: lambda 1/|F|, rho' 1/(|F|-2), its rounds
 *             2 (mc-1)/|F|, then the binding of the commitment at (x0,z,t).
 * Zero knowledge (honest verifier, rho != 0, rho' != 0; papers/
 * protocol.md sec. 3.1.5): G, the rounds and g(r) are uniform given H and f(r)
 * subject to the verifier's consistency checks (the d_v coefficients
 * c_{v,1..d_v} are the free part of round v's message, a0 is G's), and the
 * second sumcheck is one on the uniform table W (D read cell by cell,
 * W = C + rho' D would be uniform only on an F_p-subspace and could give C
 * away: test_zsc.c's test_base_d_leaks). One mask per sumcheck, never reused; D fresh per
 * proof. What this block does NOT hide: f(r) itself, i.e.
 * the final values of the witness tables the caller sends (Libra sec. 4.2),
 * and anything the commitment's opening reveals beyond y.
 */
#ifndef GKRCNN_ZSC_H
#define GKRCNN_ZSC_H

#include "sc.h"

#define ZSC_MAX_VARS 60
/* The largest degree of one variable of a mask: a round's (sc.h). */
#define ZSC_MAX_DEGREE SC_MAX_ROUND_DEGREE

typedef struct zsc_mask {
    unsigned n;     /* variables */
    unsigned d;     /* a uniform mask's degree (zsc_mask_new, _from_cells; also
                       for n = 0); 0 for one made by a _deg constructor whose
                       degrees are not all equal, or with n = 0 */
    unsigned *deg;  /* n degrees (1..ZSC_MAX_DEGREE), deg[v] of variable v */
    size_t *first;  /* n indices: c_{v,j} = c[first[v] + j - 1] */
    fp2 *c;         /* 1 + sum_v deg[v] coefficients, in the order above */
} zsc_mask;

/* n d + 1 */
size_t zsc_mask_ncoef(unsigned n, unsigned d);
/* 1 + sum_{v<n} deg[v]; deg may be NULL when n == 0. */
size_t zsc_mask_ncoef_deg(unsigned n, const unsigned *deg);

/* A fresh uniform mask. rng: a seeded generator (tests, benchmarks), or
 * NULL for OpenSSL's CSPRNG (RAND_bytes; a failure aborts: a proof is
 * never masked by predictable values). zsc_mask_free(NULL) is a no-op. */
zsc_mask *zsc_mask_new(unsigned n, unsigned d, zk_rng *rng);
/* The mask whose coefficients are the cells (2 (n d + 1) of them, as in
 * the table C). */
zsc_mask *zsc_mask_from_cells(unsigned n, unsigned d, const fm61 *cells);
/* The same with a degree per variable: deg[v] (1..ZSC_MAX_DEGREE) for
 * variable v, 2 zsc_mask_ncoef_deg(n, deg) cells. With every deg[v] = d,
 * the mask of zsc_mask_new / zsc_mask_from_cells (the same coefficients
 * from the same rng or cells, in the same order). deg is copied. */
zsc_mask *zsc_mask_new_deg(unsigned n, const unsigned *deg, zk_rng *rng);
zsc_mask *zsc_mask_from_cells_deg(unsigned n, const unsigned *deg, const fm61 *cells);
void zsc_mask_free(zsc_mask *m);
/* The 2 zsc_mask_ncoef_deg(m->n, m->deg) base-field cells of the mask
 * table (out). */
void zsc_mask_cells(fm61 *out, const zsc_mask *m);

/* Uniform base-field cells (the table D, the padding of C); rng as above. */
void zsc_random_cells(fm61 *out, size_t len, zk_rng *rng);

/* G = sum_{x in {0,1}^n} g(x) = 2^n a0 + 2^(n-1) sum_v g_v(1),
 * g_v(X) = sum_{j=1..d_v} c_{v,j} X^j. */
fp2 zsc_mask_sum(const zsc_mask *m);
/* g(r), r[v] the value of variable v. */
fp2 zsc_mask_eval(const zsc_mask *m, const fp2 *r);
/* The mask's round polynomial in the round binding variable v (round
 * n - v of sc.h), variables u > v already bound to point[u]:
 *     out[X] = sum_{x_<v} g(x_<v, X, point_>v),  X = 0..d_v (= m->deg[v]),
 *            = 2^v (a0 + sum_{u>v} g_u(point[u]) + g_v(X)) + 2^(v-1) sum_{u<v} g_u(1).
 * O(sum_u d_u). */
void zsc_mask_round(fp2 *out, const zsc_mask *m, unsigned v, const fp2 *point);

/* The prover's ZK sumcheck around any sc_rounds step function (sc.h):
 * sends G, draws rho, runs sc_rounds(tr, point, n, deg, claim + rho G, ...)
 * with a step that adds rho times the mask's round values to the inner
 * step's, sends g(point). mask: n variables, degree deg. claim: the true
 * sum H of f (the inner step sees only f: steps that track their own
 * claim, vp_prove_eq's and frac.c's, keep working). *gr = g(point).
 * Returns the final claim of f alone (f(point) for an honest prover).
 * mask == NULL: exactly sc_rounds (gr not written), so a prover can take
 * an optional mask and call this in place of sc_rounds. A mask's degree
 * must be deg in every variable (aborts otherwise). */
fp2 zsc_rounds(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, unsigned deg, fp2 claim,
               sc_step_fn step, void *ctx);

/* zsc_rounds around sc_rounds_deg: the round binding variable v has degree
 * deg[v] (1..SC_MAX_ROUND_DEGREE), and the mask must have degree deg[v] in
 * variable v (aborts otherwise). mask == NULL: exactly sc_rounds_deg. With
 * every deg[v] = d, the bytes of zsc_rounds(..., d, ...). */
fp2 zsc_rounds_deg(tr_t *tr, fp2 *point, fp2 *gr, const zsc_mask *mask, unsigned n, const unsigned *deg, fp2 claim,
                   sc_step_fn step, void *ctx);

/* Verifier. On entry *claim = H; on ZK_OK *claim is the reduced claim on
 * f(point) (check it as after sc_verify), point[0..n) is filled and *gr is
 * the prover's claimed g(point), to be checked in the batch (zsc_claim).
 * ZK_EPROOF / ZK_EFORMAT as sc_verify. Never aborts on proof data. */
zk_err zsc_verify(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, unsigned deg, unsigned n) ZK_WARN_UNUSED;
/* The verifier of zsc_rounds_deg (sc_verify_deg inside; aborts on a deg[v]
 * outside 1..SC_MAX_ROUND_DEGREE, the caller's statement). */
zk_err zsc_verify_deg(tr_t *tr, fp2 *point, fp2 *claim, fp2 *gr, const unsigned *deg, unsigned n) ZK_WARN_UNUSED;

/* One claim in the batch: a mask's value g(point), or (nw > 0) a linear
 * claim sum_k ww[k] C^[wi[k]] = value on entries of C^ (papers/protocol.md
 * sec. 9.8 (d)-(e): the absorbed pool parts of the evaluation masks). */
typedef struct {
    size_t off;          /* its first cell in C: even */
    unsigned n, d;       /* its shape (2 (n d + 1) cells from off) */
    const fp2 *point;    /* n coordinates, point[v] for variable v */
    fp2 value;           /* the claimed g(point), or the linear claim's value */
    const unsigned *deg; /* NULL: degree d in every variable; else n degrees,
                            deg[v] of variable v (d is then not read), and
                            2 zsc_mask_ncoef_deg(n, deg) cells from off */
    size_t nw;           /* > 0: a linear claim (off, n, d, point, deg not read) */
    const size_t *wi;    /* nw entries of C^ (each < 2^(mc-1)) */
    const fp2 *ww;       /* their weights */
} zsc_claim;

/* Whether the claims fit C (2^mc cells, mc >= 1): offsets even, masks
 * inside C and pairwise disjoint, every degree (d, or each deg[v]) in
 * 1..ZSC_MAX_DEGREE, n <= ZSC_MAX_VARS, mc <= ZSC_MAX_VARS + 1; a linear
 * claim's entries inside C^ (they are not checked against the masks: the
 * caller's pool layout keeps the evaluation coefficients apart). */
int zsc_layout_ok(const zsc_claim *claims, size_t nclaims, unsigned mc);

/* Prover of the batch. T: the committed table [C ; D], 2^(mc+1) cells,
 * only read. On return tpoint[0..mc+1) is the point (x0, z, t) and
 * *eval = T~(tpoint), the claim left on the commitment. Aborts if the
 * layout is not zsc_layout_ok (the caller's plan, not proof data). */
void zsc_ip_prove(tr_t *tr, fp2 *tpoint, fp2 *eval, const fm61 *T, unsigned mc, const zsc_claim *claims,
                  size_t nclaims);

/* Verifier of the batch. On ZK_OK the caller must check T~(tpoint) = *eval
 * against its commitment. ZK_EINPUT if the layout is not zsc_layout_ok,
 * ZK_EPROOF if a check fails, ZK_EFORMAT on malformed bytes. */
zk_err zsc_ip_verify(tr_t *tr, fp2 *tpoint, fp2 *eval, unsigned mc, const zsc_claim *claims,
                     size_t nclaims) ZK_WARN_UNUSED;

/* V~(z) for the batch's weights (the verifier's evaluation; also the
 * simulator's): sum_s lambda_s sum_k w_{s,k} eq(z, off_s/2 + k), z of
 * mc - 1 coordinates, w_s = (1, r_{s,v}^j for v < n_s, j = 1..d_{s,v}) in
 * the coefficients' order (a linear claim: its weights at its entries). */
fp2 zsc_ip_weights_eval(const zsc_claim *claims, size_t nclaims, const fp2 *lambda, const fp2 *z, unsigned mc);
/* The weight table V (2^(mc-1) entries, written whole). */
void zsc_ip_weights(fp2 *V, const zsc_claim *claims, size_t nclaims, const fp2 *lambda, unsigned mc);

/* The constants of the final evaluation: x0 = i/(1+i), and
 * (1+i)(1+rho') y = W~(z) for y = T~(x0, z, t), t = rho'/(1+rho'). */
fp2 zsc_ip_x0(void);

#endif
