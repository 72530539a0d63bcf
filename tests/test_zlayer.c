/* test_zlayer.c -- a simulator for one CNN layer reduction in the
 * zero-knowledge mode with part 2 (issue 13, item 5; papers/protocol.md
 * sec. 9.8, "Hiding" and "As implemented"; src/layers/cx.c).
 *
 * The layer is the elementwise product's reduction (l_elementwise.c,
 * rd_mul): the claim
 *     sum_x eq(rho, x) A(x) B(x) = V      (n variables; n = 0 runs on one)
 * whose value V carries a pool part sum_k w_k C^[e_k] (V is a masked
 * value the prover sent before, or a combination of two, as in a real
 * proof), reduced by cx_sc_eq with tables
 * (eq, A, B), send = {0, 1, 1}, one term {0, 1, 2}, then the batch of
 * cx_zk_finish (the masks' values: the Libra mask's g(r) and the linear
 * claim of ell).
 *
 * Public statement: n, rho, V, the pool part's shape (entries e, weights w)
 * and the programmed challenges (tr_test.h): zsc/rho, the rounds' r, the
 * batch's lambdas, rho' and z. The prover's transcript: zsc/G, the rounds
 * (degrees 5, 3, ..., 3 for x_0, ..., x_{n-1}: the two masked finals raise
 * the last round), zsc/gr, cnn/ell, the finals s_A, s_B (cnn/eval), then
 * the batch (zsc/ip/G, its mc - 1 rounds, zsc/ip/eval). The simulator
 * sees only the statement: s_A, s_B, ell and G uniform, the rounds
 * uniform subject to the round checks from V + rho G (test_zsc.c's
 * simulate), g(r) from the final check
 *     final = rho g(r) + eq(rho, r) s_A s_B + E(r) ell,
 * and the batch from its claims' values (the mask claim (r, g(r)) and the
 * linear claim sum_k w_k C^[e_k] + (r_0 - e_0) C^[b] = ell, e_0 = rho_0
 * (0 for n = 0, whose E is 1 - x_0), b's entry known from the pool's
 * public layout; n = 0: the claim and its pool part doubled).
 *
 * Checks, per configuration (n = 3, 2 and 0): the verifier (a cx with
 * P = 0: cx_sc_eq, cx_sc_check, the batch; the final evaluation of M left
 * to the commitment, as in test_zsc.c) accepts every real and every
 * simulated transcript; on real ones the batch's y is M~ at its point and
 * the finals' claims passed on to A and B (s_j minus their pool parts
 * r_0 (1 - r_0) C^[a_j]) are A~(r), B~(r); a false V or a false weight of
 * V's pool part is rejected; over many runs of ONE statement (fixed
 * witness, challenges and V; each run's M drawn given V, i.e. C^[e] fixed
 * and every other cell fresh), each message coordinate's top-4-bit buckets
 * pass chi-square tests real vs uniform, simulated vs uniform and real vs
 * simulated, and so do the joint top-2-bit buckets of every pair of
 * coordinates. Negative controls show the test's power and where a leak
 * shows. The real prover on an M with b = 0 (no absorption, sec. 9.8
 * (d): ell = P = V - H, fixed) fails on ell alone; with a_A = a_B =
 * 0 (finals unmasked, (a)) on the finals alone; with one mask for both
 * finals (a_B = a_A) it passes per coordinate and fails on the pair
 * (s_A, s_B) (their real or their imaginary parts); and the same layer
 * with the Libra mask but without part 2 (vp_prove_eq_zk, finals sent
 * bare) fails on its finals, while its rounds pass. Separately, one
 * Fiat-Shamir run of the layer with M committed hiding (cx_zk_commit) and
 * the whole cx_zk_finish (batch and opening) is accepted, and rejected
 * with a false weight of V's pool part.
 */
#include <string.h>

#include "../src/layers/cnn_int.h"
#include "../src/layers/cx.h"
#include "../src/poly/mle.h"
#include "../src/sumcheck/sc.h"
#include "../src/sumcheck/vp.h"
#include "../src/sumcheck/zsc.h"
#include "../src/transcript/tr_test.h"
#include "test.h"

#define PROTO "gkrcnn/test/zlayer"
#define ZL_MC 5       /* C: 32 cells; n = 3 uses them all (entry, mask 24, b, a_A, a_B) */
#define ZL_MAXN 3
#define ZL_MAXCH 16
#define ZL_RUNS 2000
#define ZL_LIMIT 70.0 /* chi-square, 15 degrees of freedom: P(> 70) = 4.5e-9 (test_zsc.c) */

static fp2 rand_fp2(zk_rng *rng) { return fp2_make(zk_rng_u64(rng) % FM61_P, zk_rng_u64(rng) % FM61_P); }

/* Programmed challenges (tr_test.h): the list, in order. */
typedef struct {
    const fp2 *v;
    size_t n, pos;
} prog;

static int prog_fn(void *ctx, const char *label, fp2 *out) {
    prog *p = ctx;
    (void)label;
    if (p->pos >= p->n) return 0;
    *out = p->v[p->pos++];
    return 1;
}

/* The public statement. */
typedef struct {
    unsigned n;          /* the layer's variables */
    fp2 rho[ZL_MAXN];    /* the claim's point (an array: non-NULL also for n = 0) */
    fp2 V;               /* the claim's public number */
    unsigned np;         /* its pool part: sum_k w[k] C^[e[k]], k < np */
    size_t e[2];
    fp2 w[2];
    fp2 ch[ZL_MAXCH];    /* zsc/rho, the rounds' r, lambda (2), rho', z (mc - 1) */
    unsigned nch;
} zl_stmt;

/* The witness: A and B, 2^n base-field entries each. */
typedef struct {
    fm61 A[1 << ZL_MAXN], B[1 << ZL_MAXN];
} zl_wit;

static const vp_term zl_term = {.c = {1, 0}, .k = 3, .t = {0, 1, 2}};
static const int zl_send[3] = {0, 1, 1};

/* C^[k] of the table M. */
static fp2 zl_entry(const fm61 *M, size_t k) { return fp2_make(M[2 * k], M[2 * k + 1]); }

/* The layer's true value sum_x eq(rho, x) A(x) B(x). */
static fp2 zl_true(const zl_stmt *S, const zl_wit *W) {
    size_t N = (size_t)1 << S->n;
    fp2 *eq = cx_eq_new(S->rho, S->n), s = fp2_zero();
    for (size_t x = 0; x < N; x++) s = fp2_add(s, fp2_mul(eq[x], fp2_from_fm61(fm61_mul(W->A[x], W->B[x]))));
    free(eq);
    return s;
}

/* The pool part of V, cx_v's view (pointers into the statement). */
static cx_v zl_claim(const zl_stmt *S) { return (cx_v){.v = S->V, .p = {S->np, S->e, S->w}}; }

/* The pool cells taken before the layer: entries 0..max e[k] (the sends
 * that made V took its entries, as cx_entry counts). */
static size_t zl_used0(const zl_stmt *S) {
    size_t m = 0;
    for (unsigned k = 0; k < S->np; k++)
        if (S->e[k] > m) m = S->e[k];
    return 2 * m + 2;
}

/* The real prover: the layer as rd_mul runs it, then the batch of
 * cx_zk_finish (zsc_ip_prove on M) without the commitment's opening. */
static void zl_prove(zk_buf *proof, const zl_stmt *S, const zl_wit *W, const fm61 *M) {
    prog pg = {.v = S->ch, .n = S->nch};
    tr_t *tr = tr_new_prover(PROTO, proof);
    tr_set_program(tr, prog_fn, &pg);
    cx c = {.tr = tr, .P = 1, .z = {.on = 1, .mc = ZL_MC, .M = M}};
    c.z.used = zl_used0(S);
    fp2 *tabs[3] = {NULL, cx_lift_new(W->A, S->n), cx_lift_new(W->B, S->n)};
    fp2 vals[3], red, *r;
    cx_pool vpp[3];
    zk_err e = cx_sc_eq(&c, tabs, 3, &zl_term, 1, S->n, zl_claim(S), 0, S->rho, &r, &red, vals, zl_send, vpp);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    TEST_CHECK(e == ZK_OK);
    fp2 tp[ZL_MC + 1], y;
    zsc_ip_prove(tr, tp, &y, M, ZL_MC, c.z.cl, c.z.ncl);
    TEST_CHECK(pg.pos == pg.n && c.z.used <= ((size_t)1 << ZL_MC));
    cx_free(&c);
    tr_free(tr);
}

/* What the verifier leaves to others: the claims on A and B (point r,
 * values s_j with pool parts wa_j C^[ea_j]) and the claim y = M~(tp) on
 * the commitment. */
typedef struct {
    fp2 r[ZL_MAXN], s[2], wa[2], tp[ZL_MC + 1], y;
    size_t ea[2];
} zl_out;

/* The verifier: a cx with P = 0 on the transcript, cx_sc_eq, rd_mul's
 * check, the batch (cx_zk_finish up to the commitment). */
static zk_err zl_verify(const uint8_t *proof, size_t len, const zl_stmt *S, zl_out *o) {
    prog pg = {.v = S->ch, .n = S->nch};
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    tr_set_program(tr, prog_fn, &pg);
    cx c = {.tr = tr, .P = 0, .z = {.on = 1, .mc = ZL_MC}};
    c.z.used = zl_used0(S);
    fp2 *tabs[3] = {NULL, NULL, NULL};
    fp2 vals[3], red, *r;
    cx_pool vpp[3];
    zk_err e = cx_sc_eq(&c, tabs, 3, &zl_term, 1, S->n, zl_claim(S), 0, S->rho, &r, &red, vals, zl_send, vpp);
    if (e == ZK_OK) {
        vals[0] = mle_eq_eval(S->rho, r, S->n);
        e = cx_sc_check(&c, &zl_term, 1, vals, red, "product sumcheck");
    }
    if (e == ZK_OK) {
        memcpy(o->r, r, S->n * sizeof(fp2));
        for (int j = 0; j < 2; j++) {
            o->s[j] = vals[1 + j];
            TEST_CHECK(vpp[1 + j].n == 1);
            o->ea[j] = vpp[1 + j].e[0];
            o->wa[j] = vpp[1 + j].w[0];
        }
        e = zsc_ip_verify(tr, o->tp, &o->y, ZL_MC, c.z.cl, c.z.ncl);
    }
    if (e == ZK_OK) e = tr_finish(tr);
    cx_free(&c);
    tr_free(tr);
    return e;
}

/* The simulator: the statement and its own coins, nothing else. */
static void zl_simulate(zk_buf *proof, const zl_stmt *S, zk_rng *rng) {
    unsigned n = S->n, n1 = n ? n : 1;
    prog pg = {.v = S->ch, .n = S->nch};
    tr_t *tr = tr_new_prover(PROTO, proof);
    tr_set_program(tr, prog_fn, &pg);
    /* the shape, public: round degrees (x_0 raised by the two masked
     * finals), the pool's layout (after V's entry: the Libra mask, b, a_A,
     * a_B), the claim (n = 0: doubled, on one variable) */
    int masked[3] = {0, 1, 1};
    unsigned deg[ZL_MAXN];
    vp_round_degrees_ab(deg, &zl_term, 1, masked, 1, n1);
    size_t off = zl_used0(S), be = (off + 2 * zsc_mask_ncoef_deg(n1, deg)) / 2;
    fp2 two = cx_int(2), cur = n ? S->V : fp2_mul(two, S->V);
    fp2 G = rand_fp2(rng);
    tr_put_fp2(tr, "zsc/G", &G, 1);
    fp2 rho = tr_challenge(tr, "zsc/rho"), pt[ZL_MAXN];
    cur = fp2_add(cur, fp2_mul(rho, G));
    for (unsigned r = 0; r < n1; r++) {
        cur = test_sim_round(tr, rng, deg[n1 - 1 - r], cur, &pt[n1 - 1 - r]);
    }
    /* the finals and ell uniform; g(r) from the final check */
    fp2 s[2] = {rand_fp2(rng), rand_fp2(rng)}, ell = rand_fp2(rng);
    fp2 eqv = mle_eq_eval(S->rho, pt, n), E = n ? eqv : fp2_sub(fp2_one(), pt[0]), e0 = n ? S->rho[0] : fp2_zero();
    fp2 f = fp2_add(fp2_mul(eqv, fp2_mul(s[0], s[1])), fp2_mul(E, ell));
    fp2 gr = fp2_mul(fp2_sub(cur, f), fp2_inv(rho));
    tr_put_fp2(tr, "zsc/gr", &gr, 1);
    tr_put_fp2(tr, "cnn/ell", &ell, 1);
    tr_put_fp2(tr, "cnn/eval", &s[0], 1);
    tr_put_fp2(tr, "cnn/eval", &s[1], 1);
    /* the batch from the claims' values: E uniform (W = C^ + rho' D^), G'
     * from it, knowing rho' (programmed) */
    size_t wi[3];
    fp2 ww[3];
    for (unsigned k = 0; k < S->np; k++) wi[k] = S->e[k], ww[k] = n ? S->w[k] : fp2_mul(two, S->w[k]);
    wi[S->np] = be, ww[S->np] = fp2_sub(pt[0], e0);
    zsc_claim cl[2] = {{.off = off, .n = n1, .d = vp_degree(&zl_term, 1), .point = pt, .value = gr, .deg = deg},
                       {.nw = S->np + 1, .wi = wi, .ww = ww, .value = ell}};
    enum { NH = 1 << (ZL_MC - 1) };
    fp2 lam[2], V[NH], Ev[NH], Hb = fp2_zero(), EV = fp2_zero();
    tr_challenges(tr, "zsc/ip/lambda", lam, 2);
    for (int k = 0; k < 2; k++) Hb = fp2_add(Hb, fp2_mul(lam[k], cl[k].value));
    zsc_ip_weights(V, cl, 2, lam, ZL_MC);
    for (int k = 0; k < NH; k++) {
        Ev[k] = rand_fp2(rng);
        EV = fp2_add(EV, fp2_mul(Ev[k], V[k]));
    }
    fp2 rp = S->ch[pg.pos], Gp = fp2_mul(fp2_sub(EV, Hb), fp2_inv(rp));
    tr_put_fp2(tr, "zsc/ip/G", &Gp, 1);
    TEST_CHECK(fp2_eq(tr_challenge(tr, "zsc/ip/rho"), rp));
    fp2 z[ZL_MC - 1], fin[2], *tabs[2] = {Ev, V};
    sc_prove(tr, z, fin, tabs, 2, ZL_MC - 1, EV);
    fp2 y = fp2_mul(fin[0], fp2_inv(fp2_mul(fp2_make(1, 1), fp2_add(fp2_one(), rp))));
    tr_put_fp2(tr, "zsc/ip/eval", &y, 1);
    TEST_CHECK(pg.pos == pg.n);
    tr_free(tr);
}

/* The negative control: the same layer with the Libra mask but no part 2
 * (sec. 9.5 alone: vp_prove_eq_zk on the true claim, the finals A~(r),
 * B~(r) sent bare). Challenges: zsc/rho and the rounds' r of the
 * statement. */
static void zl_plain(zk_buf *proof, const zl_stmt *S, const zl_wit *W, zk_rng *rng) {
    prog pg = {.v = S->ch, .n = 1 + S->n};
    tr_t *tr = tr_new_prover(PROTO, proof);
    tr_set_program(tr, prog_fn, &pg);
    fp2 *tabs[3] = {NULL, cx_lift_new(W->A, S->n), cx_lift_new(W->B, S->n)};
    fp2 pt[ZL_MAXN + 1], vals[3], gr;
    zsc_mask *m = S->n ? zsc_mask_new(S->n, vp_degree(&zl_term, 1), rng) : NULL;
    vp_prove_eq_zk(tr, pt, vals, &gr, tabs, 3, &zl_term, 1, S->n, zl_true(S, W), 0, S->rho, m);
    tr_put_fp2(tr, "cnn/eval", &vals[1], 1);
    tr_put_fp2(tr, "cnn/eval", &vals[2], 1);
    zsc_mask_free(m);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    tr_free(tr);
}


/* Pairs of coordinates (i < j): counts of the joint top 2 bits (4 x 4
 * buckets, 15 degrees of freedom as above), for dependence between
 * messages that the per-coordinate counts cannot see. */
typedef struct {
    size_t ncoord;
    long *cnt; /* ncoord x ncoord x 16, pairs i < j */
} hist2;

static void hist2_init(hist2 *h, size_t ncoord) {
    h->ncoord = ncoord;
    h->cnt = zk_calloc(ncoord * ncoord * 16, sizeof *h->cnt);
}

static void hist2_add(hist2 *h, const zk_buf *proof) {
    size_t nc = h->ncoord;
    ZK_CHECK(proof->len == 8 * nc);
    unsigned char t[256];
    ZK_CHECK(nc <= sizeof t);
    for (size_t c = 0; c < nc; c++) t[c] = (unsigned char)(zk_load_le64(proof->data + 8 * c) >> 59);
    for (size_t i = 0; i < nc; i++)
        for (size_t j = i + 1; j < nc; j++) h->cnt[(i * nc + j) * 16 + 4 * t[i] + t[j]]++;
}

/* max over pairs of the chi-square against the uniform law (b NULL) or
 * the two-sample one against b; *wi, *wj: the pair (GKRCNN_TEST_VERBOSE:
 * each pair over the limit) */
static double hist2_chi2(const hist2 *a, const hist2 *b, size_t runs, size_t *wi, size_t *wj) {
    double best = 0, e = (double)runs / 16;
    size_t nc = a->ncoord;
    for (size_t i = 0; i < nc; i++)
        for (size_t j = i + 1; j < nc; j++) {
            const long *p = a->cnt + (i * nc + j) * 16, *q = b ? b->cnt + (i * nc + j) * 16 : NULL;
            double x = 0;
            for (int k = 0; k < 16; k++) {
                double o = (double)p[k];
                if (q) {
                    double r = (double)q[k];
                    if (o + r > 0) x += (o - r) * (o - r) / (o + r);
                } else {
                    x += (o - e) * (o - e) / e;
                }
            }
            if (getenv("GKRCNN_TEST_VERBOSE") && x > ZL_LIMIT) printf("    pair %zu, %zu: %.1f\n", i, j, x);
            if (x > best) best = x, *wi = i, *wj = j;
        }
    return best;
}

/* A challenge a sumcheck may take: not 0, 1 or -1 (rho != 0, rho' not in
 * {0, -1}, r_0 (1 - r_0) != 0 and r_0 != rho_0 for the masks to act). */
static fp2 zl_chal(zk_rng *rng) {
    fp2 x;
    do x = rand_fp2(rng);
    while (fp2_is_zero(x) || fp2_eq(x, fp2_one()) || fp2_eq(x, fp2_neg(fp2_one())));
    return x;
}

static void zl_stmt_init(zl_stmt *S, zl_wit *W, unsigned n, unsigned np, const size_t *ent, zk_rng *rng) {
    memset(S, 0, sizeof *S);
    S->n = n;
    for (unsigned v = 0; v < n; v++) S->rho[v] = zl_chal(rng);
    S->np = np;
    for (unsigned k = 0; k < np; k++) {
        S->e[k] = ent[k];
        S->w[k] = zl_chal(rng); /* e.g. r_0 (1 - r_0) of the sumcheck whose final V is, times a public factor */
    }
    S->nch = 1 + (n ? n : 1) + 2 + 1 + (ZL_MC - 1);
    ZK_CHECK(S->nch <= ZL_MAXCH);
    for (unsigned k = 0; k < S->nch; k++) S->ch[k] = zl_chal(rng);
    for (size_t x = 0; x < ((size_t)1 << n); x++) { /* small integers, as quantized tensors */
        W->A[x] = fm61_from_i64((int64_t)(zk_rng_u64(rng) % 256) - 128);
        W->B[x] = fm61_from_i64((int64_t)(zk_rng_u64(rng) % 256) - 128);
    }
}

/* The real transcripts' controls: the real prover (cx.c) on an M whose
 * b (K_B) or whose a_A, a_B (K_A) are 0, as if part 2's absorption (d) or
 * its masked finals (a) were left out, or whose a_B is a_A (K_SAME: one
 * mask for both finals, s_A - s_B = A~(r) - B~(r) shown; uniform
 * marginals, for the pair counts to find); the verifier accepts them all. */
enum { K_REAL, K_B, K_A, K_SAME, K_N };
static const char *const zl_kind[K_N] = {"real", "b = 0", "a = 0", "a_B = a_A"};

static void zl_run(unsigned n, unsigned np, const size_t *ent, zk_rng *rng) {
    zl_stmt S;
    zl_wit W;
    zl_stmt_init(&S, &W, n, np, ent, rng);
    unsigned n1 = n ? n : 1;
    int masked[3] = {0, 1, 1};
    unsigned deg[ZL_MAXN];
    vp_round_degrees_ab(deg, &zl_term, 1, masked, 1, n1);
    size_t rv = 0;
    for (unsigned v = 0; v < n1; v++) rv += deg[v] + 1;
    size_t be = (zl_used0(&S) + 2 * zsc_mask_ncoef_deg(n1, deg)) / 2; /* b, then a_A, a_B */
    /* G, the rounds, g(r), ell, s_A, s_B; the batch: G', mc - 1 rounds of 3, y */
    size_t vals = 1 + rv + 1 + 1 + 2 + (1 + 3 * (ZL_MC - 1) + 1);
    size_t iell = 1 + rv + 1; /* ell's index; s_A, s_B follow */
    /* the control without part 2: G, n rounds of 4, g(r) (n >= 1), s_A, s_B */
    size_t pvals = (n ? 1 + 4 * n + 1 : 0) + 2;
    test_hist real[K_N], sim, plain;
    hist2 preal, psame, psim;
    for (int k = 0; k < K_N; k++) test_hist_init(&real[k], 2 * vals);
    test_hist_init(&sim, 2 * vals);
    hist2_init(&preal, 2 * vals);
    hist2_init(&psame, 2 * vals);
    hist2_init(&psim, 2 * vals);
    test_hist_init(&plain, 2 * pvals);
    size_t N = (size_t)2 << ZL_MC;
    fm61 *M = zk_malloc_n(N, sizeof *M);
    /* The statement is fixed: V = H + sum_k w[k] X[k] for one X, and each
     * run's M is drawn given it (C^[e[k]] = X[k], every other cell
     * uniform), so that the real transcripts are those of one statement,
     * as the simulator's. */
    fp2 H = zl_true(&S, &W), X[2];
    S.V = H;
    for (unsigned k = 0; k < np; k++) {
        X[k] = rand_fp2(rng);
        S.V = fp2_add(S.V, fp2_mul(S.w[k], X[k]));
    }
    long acc[K_N] = {0}, acc_sim = 0, eval_ok = 0, claims_ok = 0, false_rej = 0;
    for (int run = 0; run < ZL_RUNS; run++) {
        zl_out o;
        zk_buf proof;
        for (int k = 0; k < K_N; k++) {
            zsc_random_cells(M, N, rng); /* fresh masks: M = [C ; D] */
            for (unsigned q = 0; q < np; q++) M[2 * S.e[q]] = X[q].re, M[2 * S.e[q] + 1] = X[q].im;
            if (k == K_B) M[2 * be] = M[2 * be + 1] = 0;
            if (k == K_A) memset(M + 2 * (be + 1), 0, 4 * sizeof *M);
            if (k == K_SAME) M[2 * (be + 2)] = M[2 * (be + 1)], M[2 * (be + 2) + 1] = M[2 * (be + 1) + 1];
            zk_buf_init(&proof);
            zl_prove(&proof, &S, &W, M);
            if (zl_verify(proof.data, proof.len, &S, &o) == ZK_OK) {
                acc[k]++;
                if (k == K_REAL) {
                    eval_ok += fp2_eq(o.y, mle_eval_fm61(M, ZL_MC + 1, o.tp));
                    /* the claims on A and B: s_j - w_j C^[a_j] = T~(r) */
                    int ok = o.ea[0] == be + 1 && o.ea[1] == be + 2;
                    for (int j = 0; j < 2; j++) {
                        fp2 t = fp2_sub(o.s[j], fp2_mul(o.wa[j], zl_entry(M, o.ea[j])));
                        ok &= fp2_eq(t, mle_eval_fm61(j ? W.B : W.A, n, o.r));
                    }
                    claims_ok += ok;
                }
            }
            if (k == K_REAL && run < 8) { /* a false statement: V + 1, or V's pool part with another weight */
                zl_stmt F = S;
                if (run & 1) F.w[np - 1] = fp2_add(F.w[np - 1], fp2_one());
                else F.V = fp2_add(F.V, fp2_one());
                false_rej += zl_verify(proof.data, proof.len, &F, &o) == ZK_EPROOF;
            }
            test_hist_add(&real[k], &proof);
            if (k == K_REAL) hist2_add(&preal, &proof);
            if (k == K_SAME) hist2_add(&psame, &proof);
            zk_buf_free(&proof);
        }
        /* simulated */
        zk_buf_init(&proof);
        zl_simulate(&proof, &S, rng);
        acc_sim += zl_verify(proof.data, proof.len, &S, &o) == ZK_OK;
        test_hist_add(&sim, &proof);
        hist2_add(&psim, &proof);
        zk_buf_free(&proof);
        /* without part 2 */
        zk_buf_init(&proof);
        zl_plain(&proof, &S, &W, rng);
        test_hist_add(&plain, &proof);
        zk_buf_free(&proof);
    }
    free(M);
    for (int k = 0; k < K_N; k++) TEST_CHECK(acc[k] == ZL_RUNS);
    TEST_CHECK(eval_ok == ZL_RUNS && claims_ok == ZL_RUNS);
    TEST_CHECK(acc_sim == ZL_RUNS);
    TEST_CHECK(false_rej == 8);
    double xr = test_hist_chi2_range(&real[K_REAL], ZL_RUNS, 0, real[K_REAL].ncoord, ZL_LIMIT);
    double xs = test_hist_chi2_range(&sim, ZL_RUNS, 0, sim.ncoord, ZL_LIMIT), x2 = test_hist_chi2_two(&real[K_REAL], &sim);
    /* the controls: b = 0 leaks ell = V - H (its 2 coordinates), a = 0
     * the finals (the 4 after them); without part 2, the finals (its last
     * 4 coordinates), not the rest */
    double xb = test_hist_chi2_range(&real[K_B], ZL_RUNS, 2 * iell, 2 * iell + 2, ZL_LIMIT);
    double xa = test_hist_chi2_range(&real[K_A], ZL_RUNS, 2 * iell + 2, 2 * iell + 6, ZL_LIMIT);
    double xbo = fmax(test_hist_chi2_range(&real[K_B], ZL_RUNS, 0, 2 * iell, ZL_LIMIT),
                      test_hist_chi2_range(&real[K_B], ZL_RUNS, 2 * iell + 2, 2 * vals, ZL_LIMIT));
    double xao = fmax(test_hist_chi2_range(&real[K_A], ZL_RUNS, 0, 2 * iell + 2, ZL_LIMIT),
                      test_hist_chi2_range(&real[K_A], ZL_RUNS, 2 * iell + 6, 2 * vals, ZL_LIMIT));
    double xm = test_hist_chi2_range(&real[K_SAME], ZL_RUNS, 0, real[K_SAME].ncoord, ZL_LIMIT);
    size_t pi[4], pj[4];
    double yr = hist2_chi2(&preal, NULL, ZL_RUNS, &pi[0], &pj[0]);
    double ys = hist2_chi2(&psim, NULL, ZL_RUNS, &pi[1], &pj[1]);
    double y2 = hist2_chi2(&preal, &psim, ZL_RUNS, &pi[2], &pj[2]);
    double ym = hist2_chi2(&psame, NULL, ZL_RUNS, &pi[3], &pj[3]);
    double xf = test_hist_chi2_range(&plain, ZL_RUNS, plain.ncoord - 4, plain.ncoord, ZL_LIMIT);
    double xo = n ? test_hist_chi2_range(&plain, ZL_RUNS, 0, plain.ncoord - 4, ZL_LIMIT) : 0;
    char es[32];
    if (np == 1) snprintf(es, sizeof es, "%zu", S.e[0]);
    else snprintf(es, sizeof es, "%zu and %zu", S.e[0], S.e[1]);
    printf("  zlayer mul n = %u, V's entries %s: %d runs, %zu coordinates, max chi-square (15 dof, limit %.0f): "
           "real %.1f, simulated %.1f, real vs simulated %.1f\n",
           n, es, ZL_RUNS, real[K_REAL].ncoord, ZL_LIMIT, xr, xs, x2);
    char rest[32] = "none: no round";
    if (n) snprintf(rest, sizeof rest, "%.1f", xo);
    printf("    controls: %s: ell %.1f, the rest %.1f; %s: finals %.1f, the rest %.1f; without part 2: finals %.1f, "
           "the rest %s\n",
           zl_kind[K_B], xb, xbo, zl_kind[K_A], xa, xao, xf, rest);
    printf("    pairs of coordinates (%zu, 4 x 4 buckets, 15 dof): real %.1f, simulated %.1f, real vs simulated %.1f; "
           "control %s: coordinates %.1f, pairs %.1f (coordinates %zu, %zu)\n",
           preal.ncoord * (preal.ncoord - 1) / 2, yr, ys, y2, zl_kind[K_SAME], xm, ym, pi[3], pj[3]);
    TEST_CHECK(xr < ZL_LIMIT);
    TEST_CHECK(xs < ZL_LIMIT);
    TEST_CHECK(x2 < ZL_LIMIT);
    TEST_CHECK(yr < ZL_LIMIT);
    TEST_CHECK(ys < ZL_LIMIT);
    TEST_CHECK(y2 < ZL_LIMIT);
    /* one mask for both finals: each coordinate uniform, s_A and s_B not
     * independent (their real or their imaginary parts) */
    TEST_CHECK(xm < ZL_LIMIT && ym > ZL_LIMIT);
    TEST_CHECK((pi[3] == 2 * iell + 2 && pj[3] == 2 * iell + 4) || (pi[3] == 2 * iell + 3 && pj[3] == 2 * iell + 5));
    /* the test can tell a leaking transcript, and where it leaks */
    TEST_CHECK(xb > ZL_LIMIT && xbo < ZL_LIMIT);
    TEST_CHECK(xa > ZL_LIMIT && xao < ZL_LIMIT);
    TEST_CHECK(xf > ZL_LIMIT && xo < ZL_LIMIT);
    for (int k = 0; k < K_N; k++) free(real[k].cnt);
    free(sim.cnt);
    free(plain.cnt);
    free(preal.cnt);
    free(psame.cnt);
    free(psim.cnt);
}

/* One Fiat-Shamir run of the layer with M committed hiding and the whole
 * cx_zk_finish (batch and M's opening), both roles. */
static void zl_full(unsigned n, unsigned np, const size_t *ent, zk_rng *rng) {
    zl_stmt S;
    zl_wit W;
    zl_stmt_init(&S, &W, n, np, ent, rng);
    zk_buf proof;
    zk_buf_init(&proof);
    {
        tr_t *tr = tr_new_prover(PROTO, &proof);
        cx c = {.tr = tr, .P = 1, .z = {.on = 1, .mc = ZL_MC}};
        pcs_state *mst;
        pcs_commitment mcom;
        TEST_CHECK(cx_zk_commit(&c, &mst, &mcom) == ZK_OK);
        c.z.used = zl_used0(&S);
        S.V = zl_true(&S, &W);
        for (unsigned k = 0; k < np; k++) S.V = fp2_add(S.V, fp2_mul(S.w[k], zl_entry(c.z.M, S.e[k])));
        fp2 *tabs[3] = {NULL, cx_lift_new(W.A, n), cx_lift_new(W.B, n)};
        fp2 vals[3], red, *r;
        cx_pool vpp[3];
        TEST_CHECK(cx_sc_eq(&c, tabs, 3, &zl_term, 1, n, zl_claim(&S), 0, S.rho, &r, &red, vals, zl_send, vpp) ==
                   ZK_OK);
        for (int j = 0; j < 3; j++) free(tabs[j]);
        TEST_CHECK(cx_zk_finish(&c, mst, NULL) == ZK_OK);
        cx_zk_release(&c, mst);
        cx_free(&c);
        tr_free(tr);
    }
    for (int bad = 0; bad < 2; bad++) {
        tr_t *tr = tr_new_verifier(PROTO, proof.data, proof.len);
        cx c = {.tr = tr, .P = 0, .z = {.on = 1, .mc = ZL_MC}};
        pcs_state *mst;
        pcs_commitment mcom;
        zk_err e = cx_zk_commit(&c, &mst, &mcom);
        c.z.used = zl_used0(&S);
        fp2 *tabs[3] = {NULL, NULL, NULL}, vals[3], red, *r;
        cx_pool vpp[3];
        zl_stmt F = S;
        if (bad) F.w[0] = fp2_add(F.w[0], fp2_one()); /* caught by the batch */
        if (e == ZK_OK)
            e = cx_sc_eq(&c, tabs, 3, &zl_term, 1, n, zl_claim(&F), 0, F.rho, &r, &red, vals, zl_send, vpp);
        if (e == ZK_OK) {
            vals[0] = mle_eq_eval(F.rho, r, n);
            e = cx_sc_check(&c, &zl_term, 1, vals, red, "product sumcheck");
        }
        if (e == ZK_OK) e = cx_zk_finish(&c, NULL, &mcom);
        if (e == ZK_OK) e = tr_finish(tr);
        TEST_CHECK(bad ? e == ZK_EPROOF : e == ZK_OK);
        cx_free(&c);
        tr_free(tr);
    }
    zk_buf_free(&proof);
}

/* The configurations: n = 3 with V's entry e = 0 (its takes fill C,
 * 32 cells: entry 0, the mask's 24 cells (entries 1-12), b 13, a_A 14,
 * a_B 15); n = 2 with a pool part of two entries, 1 and 3 (V a
 * combination of two masked values, as after a limb split or a merge;
 * mask entries 4-12, b 13, a_A 14, a_B 15); n = 0 with e = 5 (five
 * earlier entries; mask entries 6-11, b 12, a_A 13, a_B 14). With e = 0
 * there, the batch's weights would vanish on the upper half of C^
 * (entries 8-15: only a_A, a_B, which no claim of this layer reads) and
 * its first round's g(1) would be 0 in every real and simulated
 * transcript alike: public, but not uniform. */
/* ---- the lookup root's Q != 0 (cx_root_nonzero, protocol.md sec. 9.8 (g))
 *
 * A prover whose root has Q = 0 (X hit a denominator's root) against the
 * real verifier. Strategies: 0 honest (Q != 0, u = 1/Q); 1 Q = 0 with
 * round values (0, 2, 0, ...) and u's final solved from the check (what
 * passed before u was sent: found in review, sec. 9.10); 2 Q = 0, u's
 * final bound to the sent u, the sumcheck's check left to chance. Both
 * cheats must be rejected, the honest run accepted. (Checked once by
 * hand: with u's claim taken out of cx_root_nonzero and of strategy 1,
 * strategy 1 is accepted 4 of 4.) */
#define RZ_MC 6
static void rz_step0(void *ctx, fp2 *g, size_t h, const fp2 *r) {
    unsigned d = *(const unsigned *)ctx;
    (void)h;
    if (r) return;
    g[0] = fp2_zero(); /* g(1) = claim - g(0) = 2 (sc_rounds fills it), g(X) = 0 for X >= 2 */
    for (unsigned k = 2; k <= d; k++) g[k] = fp2_zero();
}

static void rz_prove(zk_buf *proof, fp2 q, int strat) {
    tr_t *tr = tr_new_prover("test/zlayer/root", proof);
    cx c = {.tr = tr, .P = 1, .z = {.on = 1, .mc = RZ_MC}};
    pcs_state *mst;
    pcs_commitment mcom;
    TEST_REQUIRE(cx_zk_commit(&c, &mst, &mcom) == ZK_OK);
    fp2 root[2] = {fp2_zero(), q};
    const int bare[2] = {1, 0};
    cx_v rv[2];
    TEST_REQUIRE(cx_xfer_vn(&c, "cnn/lu/root", root, 2, bare, rv) == ZK_OK);
    if (strat == 0) {
        TEST_REQUIRE(cx_root_nonzero(&c, rv[1], q) == ZK_OK);
    } else { /* the messages of cx_root_nonzero, by hand */
        fp2 u = fp2_one(), vals[2], red = fp2_zero();
        cx_v uv;
        TEST_REQUIRE(cx_xfer_v(&c, "cnn/lu/u", u, &uv) == ZK_OK);
        const vp_term t = {.c = fp2_one(), .k = 2, .t = {0, 1}};
        const int masked[2] = {1, 1}, send[2] = {1, 1};
        cx_pool vpp[2];
        cx_em m;
        TEST_REQUIRE(cx_em_begin(&c, &m, &t, 1, 2, 1, (cx_pool){0, NULL, NULL}, masked, NULL) == ZK_OK);
        fp2 *p1 = cx_pt(&c, 1), gr;
        unsigned d = m.deg[0];
        fp2 g = zsc_rounds_deg(tr, p1, &gr, m.mk, 1, m.deg, cx_int(2), rz_step0, &d); /* f's part at r0 */
        zsc_mask_free(m.mk);
        fp2 c0 = fp2_mul(p1[0], fp2_sub(fp2_one(), p1[0]));
        vals[0] = fp2_mul(c0, m.a[0]); /* Q = 0, masked */
        if (strat == 1) vals[1] = fp2_mul(g, fp2_inv(vals[0]));
        else vals[1] = fp2_add(u, fp2_mul(c0, m.a[1]));
        TEST_REQUIRE(cx_em_end(&c, &m, p1, gr, &red, vals, send, vpp) == ZK_OK);
        TEST_REQUIRE(cx_check_eq(&c, cx_v_sub(&c, cx_fin(vals, vpp, 0), rv[1]), fp2_zero(), "q") == ZK_OK);
        TEST_REQUIRE(cx_check_eq(&c, cx_v_sub(&c, cx_fin(vals, vpp, 1), uv), fp2_zero(), "u") == ZK_OK);
    }
    TEST_REQUIRE(cx_zk_finish(&c, mst, &mcom) == ZK_OK);
    cx_zk_release(&c, mst);
    cx_free(&c);
    tr_free(tr);
}

static zk_err rz_verify(const zk_buf *proof) {
    tr_t *tr = tr_new_verifier("test/zlayer/root", proof->data, proof->len);
    cx c = {.tr = tr, .P = 0, .z = {.on = 1, .mc = RZ_MC}};
    pcs_state *mst;
    pcs_commitment mcom;
    fp2 root[2] = {fp2_zero(), fp2_zero()};
    const int bare[2] = {1, 0};
    cx_v rv[2];
    zk_err e = cx_zk_commit(&c, &mst, &mcom);
    if (!e) e = cx_xfer_vn(&c, "cnn/lu/root", root, 2, bare, rv);
    if (!e && !fp2_is_zero(rv[0].v)) e = cx_fail(&c, "P");
    if (!e) e = cx_root_nonzero(&c, rv[1], fp2_zero());
    if (!e) e = cx_zk_finish(&c, NULL, &mcom);
    if (!e) e = tr_finish(tr);
    cx_free(&c);
    tr_free(tr);
    return e;
}

static void test_root_nonzero(zk_rng *rng) {
    int acc[3] = {0, 0, 0};
    enum { RZ_RUNS = 4 };
    for (int k = 0; k < RZ_RUNS; k++)
        for (int strat = 0; strat < 3; strat++) {
            zk_buf b;
            zk_buf_init(&b);
            fp2 q = strat ? fp2_zero() : fp2_make(1 + zk_rng_u64(rng) % 1000, zk_rng_u64(rng) % 1000);
            rz_prove(&b, q, strat);
            zk_err e = rz_verify(&b);
            acc[strat] += e == ZK_OK;
            TEST_CHECK(strat ? e == ZK_EPROOF : e == ZK_OK);
            zk_buf_free(&b);
        }
    printf("  zlayer root Q != 0: honest %d of %d accepted; Q = 0 with u's final solved %d, with u's final bound %d "
           "accepted\n", acc[0], RZ_RUNS, acc[1], acc[2]);
}

/* A proof's own hiding tables are committed for one opening, and the
 * bounds use that shape's error (cnn_once_error): cnn_read_once takes a
 * budget-1 commitment (and a plain one) and refuses any other budget,
 * which a cheating prover could otherwise name to get another shape. */
static void test_read_once(zk_rng *rng) {
    const unsigned n = 6;
    fm61 t[1u << 6];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) t[i] = zk_rng_u64(rng) % FM61_P;
    for (unsigned b = 0; b <= 3; b++) { /* b = 0: the plain scheme */
        zk_buf proof;
        zk_buf_init(&proof);
        tr_t *tr = tr_new_prover(PROTO, &proof);
        pcs_state *st = b ? pcs_ligero_zk_commit(tr, NULL, t, n, 0, b, NULL) : pcs_ligero.commit(tr, t, n);
        tr_free(tr);
        const pcs_scheme *S = b ? &pcs_ligero_zk : &pcs_ligero;
        S->state_free(st);
        pcs_commitment com;
        tr = tr_new_verifier(PROTO, proof.data, proof.len);
        zk_err e = cnn_read_once(tr, S, &com, n);
        tr_free(tr);
        if (b <= 1) {
            TEST_CHECK(e == ZK_OK && com.zk == (b == 1));
        } else {
            TEST_CHECK(e == ZK_EPROOF && strstr(zk_reason(), "not 1") != NULL);
        }
        zk_buf_free(&proof);
    }
}

void test_zlayer(zk_rng *rng) {
    test_read_once(rng);
    test_root_nonzero(rng);
    static const size_t e3[1] = {0}, e2[2] = {1, 3}, e0[1] = {5};
    zl_full(3, 1, e3, rng);
    zl_full(2, 2, e2, rng);
    zl_full(0, 1, e0, rng);
    zl_run(3, 1, e3, rng);
    zl_run(2, 2, e2, rng);
    zl_run(0, 1, e0, rng);
}
