/* l_relu.c -- Relu, LeakyRelu and PRelu, and Clip (papers/protocol.md
 * sec. 7.3 "ReLU and LeakyRelu", "PRelu", "Clip"; sec. 7.8.5 gives every
 * message).
 *
 * Relation (quant.h sec. 3): y = s x + (1 - s) kappa (alpha x + 2^(k-1) - rem)
 * (kappa = 2^-k; Relu: y = s x), with the sign s = [x >= 0] proven by
 * u = (2s - 1) x + s - 1 in [0, A): s = 1 gives u = x >= 0, s = 0 gives
 * u = -x - 1 >= 0.
 *
 * Sub-protocol: beta <- cnn/relu/beta; one degree-3 sumcheck
 *   sum_o eq(rho, o) [y-part + beta (u - (2s - 1) x - s + I) + beta^2 (s^2 - s)](o) = v;
 * the prover sends s, x, u (and rem) at its point (cnn/eval); claims on
 * s, u, rem (limbs: cnn/limb) and on x.
 * Per-tensor constraints (ADV): s a bit (the beta^2 term); u in [0, A)
 * (b_act - 1 bits, lookup); LeakyRelu's rem in [0, 2^k) (lookup). The
 * input x is then an integer in [-A, A) (rule Q_INT_CONSUMER, sec. 7.7).
 * Soundness: nv(y) rounds of degree 3 (cx_sc); the constraints' MLEs at
 * rho, nv(y); then a degree-2 polynomial in beta, 2.
 *
 * PRelu is LeakyRelu with a slope per element, alpha(o) = the constant's
 * cell that o broadcasts from (a W region through the broadcast map). The
 * product acc = alpha x is committed (an ADV region, no range check) and
 * one more term beta^3 (acc - alpha x) joins the sumcheck, which keeps it
 * of degree 3; y's part uses kappa acc where LeakyRelu has kappa alpha x.
 * The prover also sends acc and alpha at the point (claims on acc's region
 * and, through the broadcast map, on the slope's). Soundness: as
 * LeakyRelu, the beta polynomial of degree 3.
 *
 * Clip(x, lo, hi) (bounds on x's grid, quant.c): y = min(max(x, lo), hi)
 * by comparisons: for each bound c that some activation passes (lo > -A,
 * hi < A - 1) a sign s_c = [x >= c] with u_c = (2 s_c - 1)(x - c) + s_c - 1
 * in [0, 2A) (b_act bits; b_act - 1 when c = 0: the Relu check, which
 * also proves x in [-A, A) -- Clip then covers x, sec. 7.7), and
 *   y = lo + s_lo (x - lo) + s_hi (hi - x)   (lo active; else x + s_hi (hi - x)).
 * s_lo = 0 and s_hi = 1 cannot both hold (x < lo <= hi <= x). One degree-3
 * sumcheck proves the definition of y, each sign check (beta^(2j+1)) and
 * each bit (beta^(2j+2)); the prover sends the signs, magnitudes and x at
 * its point. Soundness: nv(y) rounds of degree 3, the MLEs at rho, a
 * polynomial of degree 2 (number of comparisons) in beta.
 *
 * Clip by table (q_clip_table; protocol.md sec. 7.3 "Clip"): the output is
 * a pair column (I, Y) of the Clip's table {(x, clip(x)) : x in [-A, A)}
 * (2^b_act rows, shared by the Clips with the same bounds and input scale)
 * and reduces as a table op's with shift 0 (l_lut.c, layer_pair_reduce):
 * claims on Y and I, and x(rho) = R(I)(rho). The table covers x (sec.
 * 7.7). Which one: a comparison costs a sign and a magnitude per element
 * (two ADV cells, and one or two lookup leaves), so a Clip with both
 * bounds active costs at least 4 cells and 2 leaves per element, the table
 * 2 cells and 1 leaf per element plus 2^b_act leaves and 2^b_act
 * multiplicities once per table. The table is chosen when both bounds are
 * active and the Clips sharing it have outputs of at least 2^b_act cells
 * (padded to powers of two, as their regions are): then it saves at least
 * what it costs (MobileNetV2's ReLU6 layers). Small Clips (the ONNX
 * conformance cases) keep the comparisons. Soundness: the lookup's
 * pair-column term only.
 */
#include <stdlib.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "layers.h"

/* After the remainder (LeakyRelu, PRelu, k >= 1) and the integer check:
 * the sign s (a bit region), then u (b_act - 1 bits); PRelu then the slope
 * (W) and acc (ADV). */
static zk_err relu_plan(pl_plan *p, const layer_node *ln) {
    pl_node *pn = &p->node[ln->i];
    pn->sign = pl_bit_new(p, ln->nv, ln->ny);
    pn->u = pl_qty_new(p, p->m->s.b_act - 1, ln->nv, ln->ny);
    pn->accreg = -1;
    if (ln->nd->op == NN_PRELU) {
        pn->creg = pl_add_region(p, PL_W, pl_log2((int64_t)ln->nd->nw), (int64_t)ln->nd->nw);
        pn->accreg = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    }
    return ZK_OK;
}

/* s from the witness; u = s x + (1 - s)(-x - 1). */
static void relu_adv(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A) {
    const pl_node *pn = &p->node[ln->i];
    const q_nwit *nw = &w->nodes[ln->i];
    const int64_t *x = w->t[ln->nd->in[0]];
    for (int64_t o = 0; o < ln->ny; o++) {
        fm61 s = fm61_from_i64(nw->sign[o]), xv = fm61_from_i64(x[o]);
        fm61 neg = fm61_sub(fm61_neg(xv), 1);
        pl_qty_put(A, p, &pn->sign, o, s);
        pl_qty_put(A, p, &pn->u, o, fm61_add(neg, fm61_mul(s, fm61_sub(xv, neg))));
        if (pn->accreg >= 0) A[p->reg[pn->accreg].off + (uint64_t)o] = fm61_from_i64(nw->acc[o]);
    }
}

/* The slope's broadcast map over the output (PRelu). */
static cmap *prelu_map(cx *c, const layer_node *ln) {
    const nn_shape *X = &c->m->tensors[ln->nd->in[0]].shape;
    q_bcast bc;
    ZK_CHECK(q_bcast_init(&bc, X, &ln->nd->cshape, &c->m->tensors[ln->ty].shape));
    cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    for (int64_t o = 0; o < ln->ny; o++) {
        int64_t oa;
        q_bcast_off(&bc, o, &oa, &mp->src[o]);
    }
    return mp;
}

/* The sumcheck of a sign layer (Relu, LeakyRelu, PRelu, Clip): over the
 * output's variables with claim v, tables tabs (prover; freed) with table 0
 * eq(rho, .), a factor of every term and kept implicit (vp_prove_eq: tabs[0]
 * is not read), and table ti the indicator of the real cells, which the
 * verifier fills in; then the check. Ledger: the constraints' MLEs at rho
 * (one identity), then a polynomial of degree beta_deg in beta. */
static zk_err sign_sc(cx *c, const layer_node *ln, const fp2 *rho, cx_v v, fp2 **tabs, unsigned ntab,
                      const vp_term *t, unsigned nt, const int *send, fp2 *vals, cx_pool *vpp, fp2 **r, unsigned ti,
                      double beta_deg, const char *what) {
    fp2 red;
    zk_err e = cx_sc_eq(c, tabs, ntab, t, nt, ln->nv, v, 0, rho, r, &red, vals, send, vpp);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    CX_TRY(e);
    vals[0] = mle_eq_eval(rho, *r, ln->nv);
    vals[ti] = cx_ind_eval(ln->ny, *r, ln->nv);
    cx_point(c, ln->nv, 1);
    cx_chal(c, beta_deg);
    return cx_sc_check(c, t, nt, vals, red, what);
}

/* ReLU (alpha = NULL) and LeakyRelu:
 *   y = s x + (1 - s) kappa (alpha x + c - rem),  u = (2s - 1) x + s - 1,
 * both checked by one sumcheck  sum_o eq(rho, o) [y-part + beta (u - (2s-1)x - s + 1)] = v. */
static zk_err rd_relu(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const q_node *nd = ln->nd;
    const pl_node *pn = &c->pl->node[ln->i];
    int prelu = nd->op == NN_PRELU, leaky = nd->op == NN_LEAKYRELU || prelu, hasrem = pn->rem.nl > 0;
    fp2 beta = tr_challenge(c->tr, "cnn/relu/beta");
    fp2 one = fp2_one(), two_b = fp2_dbl(beta);
    fp2 kappa = fp2_zero(), cc = fp2_zero(), al = fp2_zero();
    if (leaky) {
        kappa = nd->k >= 1 ? cx_inv_pow2(nd->k) : cx_pow2(-nd->k);
        cc = nd->k >= 1 ? cx_pow2(nd->k - 1) : fp2_zero();
        al = prelu ? fp2_zero() : cx_int(nd->alpha); /* PRelu: kappa acc instead */
    }
    fp2 ka = fp2_mul(kappa, al), kc = fp2_mul(kappa, cc);
    /* tables: 0 eq, 1 s, 2 x, 3 u, 4 I, 5 rem, 6 acc, 7 alpha */
    enum { T_EQ, T_S, T_X, T_U, T_I, T_R, T_ACC, T_AL };
    vp_term t[14];
    unsigned nt = 0;
    t[nt++] = (vp_term){.c = fp2_sub(fp2_sub(one, ka), two_b), .k = 3, .t = {T_EQ, T_S, T_X}};
    t[nt++] = (vp_term){.c = fp2_add(ka, beta), .k = 2, .t = {T_EQ, T_X}};
    t[nt++] = (vp_term){.c = fp2_add(kc, beta), .k = 2, .t = {T_EQ, T_I}};
    t[nt++] = (vp_term){.c = fp2_neg(fp2_add(kc, beta)), .k = 2, .t = {T_EQ, T_S}};
    t[nt++] = (vp_term){.c = beta, .k = 2, .t = {T_EQ, T_U}};
    /* s is a bit: beta^2 (s^2 - s) */
    fp2 b2 = fp2_sqr(beta);
    t[nt++] = (vp_term){.c = b2, .k = 3, .t = {T_EQ, T_S, T_S}};
    t[nt++] = (vp_term){.c = fp2_neg(b2), .k = 2, .t = {T_EQ, T_S}};
    if (hasrem) {
        t[nt++] = (vp_term){.c = fp2_neg(kappa), .k = 2, .t = {T_EQ, T_R}};
        t[nt++] = (vp_term){.c = kappa, .k = 3, .t = {T_EQ, T_S, T_R}};
    }
    fp2 b3 = fp2_mul(b2, beta);
    cmap *am = NULL;
    if (prelu) { /* y's part: kappa (1 - s) acc; acc = alpha x: beta^3 (acc - alpha x) */
        am = prelu_map(c, ln);
        t[nt++] = (vp_term){.c = fp2_add(kappa, b3), .k = 2, .t = {T_EQ, T_ACC}};
        t[nt++] = (vp_term){.c = fp2_neg(kappa), .k = 3, .t = {T_EQ, T_S, T_ACC}};
        t[nt++] = (vp_term){.c = fp2_neg(b3), .k = 3, .t = {T_EQ, T_AL, T_X}};
    }
    unsigned ntab = prelu ? 8 : hasrem ? 6 : 5;
    fp2 *tabs[8] = {0};
    if (c->P) {
        tabs[T_S] = cx_qty_table(c, &pn->sign, ln->nv);
        tabs[T_X] = cx_tensor_table(c, nd->in[0]);
        tabs[T_U] = cx_qty_table(c, &pn->u, ln->nv);
        tabs[T_I] = zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
        for (int64_t o = 0; o < ln->ny; o++) tabs[T_I][o] = one;
        if (hasrem) tabs[T_R] = cx_qty_table(c, &pn->rem, ln->nv);
        if (prelu) {
            tabs[T_R] = hasrem ? tabs[T_R] : zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
            tabs[T_ACC] = cx_lift_new(cx_reg_table(c, pn->accreg), ln->nv);
            tabs[T_AL] = zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
            const fm61 *S = cx_reg_table(c, pn->creg);
            for (int64_t o = 0; o < ln->ny; o++) tabs[T_AL][o] = fp2_from_fm61(S[am->src[o]]);
        }
    }
    int send[8] = {0, 1, 1, 1, 0, hasrem, 1, 1};
    fp2 vals[8] = {0}, *r;
    cx_pool vpp[8];
    CX_TRY(sign_sc(c, ln, rho, v, tabs, ntab, t, nt, send, vals, vpp, &r, T_I, prelu ? 3 : 2, "sign sumcheck"));
    CX_TRY(cx_claim_qty(c, &pn->sign, r, cx_fin(vals, vpp, T_S), NULL));
    CX_TRY(cx_claim_qty(c, &pn->u, r, cx_fin(vals, vpp, T_U), NULL));
    if (hasrem) CX_TRY(cx_claim_qty(c, &pn->rem, r, cx_fin(vals, vpp, T_R), NULL));
    if (prelu) {
        cx_claim_region(c, pn->accreg, r, cx_fin(vals, vpp, T_ACC), NULL);
        const pl_region *sr = &c->pl->reg[pn->creg];
        cx_claim_region(c, pn->creg, r, cx_fin(vals, vpp, T_AL), cx_map_simplify(am, sr->len, sr->nv));
    }
    cx_claim_tensor(c, nd->in[0], r, cx_fin(vals, vpp, T_X), NULL);
    return ZK_OK;
}

/* ---- Clip ---- */

/* The comparisons of a Clip: its bounds that some activation passes,
 * lower first; *lower: whether the first is the lower one. */
static int clip_bounds(const q_model *m, const q_node *nd, int64_t c[2], int *lower) {
    int64_t A = q_act_bound(m);
    int n = 0;
    *lower = nd->iattr[0] > -A;
    if (*lower) c[n++] = nd->iattr[0];
    if (nd->iattr[1] < A - 1) c[n++] = nd->iattr[1];
    return n;
}

/* For each comparison: its sign (a bit), then u (b_act bits; b_act - 1 at 0). */
static zk_err clip_plan(pl_plan *p, const layer_node *ln) {
    pl_node *pn = &p->node[ln->i];
    if (q_clip_table(p->m, ln->nd)) { /* the pair column (x, y) of its table */
        pn->bytab = 1;
        layer_pair_plan(p, ln, pl_table(p, ln->i, PL_TAB_CLIP));
        return ZK_OK;
    }
    int lower;
    pn->ncmp = clip_bounds(p->m, ln->nd, pn->cmp, &lower);
    for (int j = 0; j < pn->ncmp; j++) {
        int b = p->m->s.b_act - (pn->cmp[j] == 0);
        (j ? &pn->sign2 : &pn->sign)[0] = pl_bit_new(p, ln->nv, ln->ny);
        (j ? &pn->u2 : &pn->u)[0] = pl_qty_new(p, b, ln->nv, ln->ny);
    }
    return ZK_OK;
}

/* s = [x >= c]; u = x - c or c - x - 1 (by table: I = x, Y = y). */
static void clip_adv(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A) {
    const pl_node *pn = &p->node[ln->i];
    const int64_t *x = w->t[ln->nd->in[0]];
    if (pn->bytab) {
        layer_pair_adv(p, ln, A, x, w->t[ln->i + 1]);
        return;
    }
    for (int j = 0; j < pn->ncmp; j++) {
        const pl_qty *sq = j ? &pn->sign2 : &pn->sign, *uq = j ? &pn->u2 : &pn->u;
        fm61 c = fm61_from_i64(pn->cmp[j]);
        for (int64_t o = 0; o < ln->ny; o++) {
            fm61 xv = fm61_from_i64(x[o]);
            int s = x[o] >= pn->cmp[j];
            pl_qty_put(A, p, sq, o, (fm61)s);
            pl_qty_put(A, p, uq, o, s ? fm61_sub(xv, c) : fm61_sub(fm61_sub(c, xv), 1));
        }
    }
}

/* y = lo I + s_lo (x - lo) + s_hi (hi - x) (or x + s_hi (hi - x)), the sign
 * checks u - (2s - 1)(x - c I) - s + I and the bits s^2 - s, in one
 * sumcheck (s I taken as s: both agree on the real cells). */
static zk_err rd_clip(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const pl_node *pn = &c->pl->node[ln->i];
    if (pn->bytab) return layer_pair_reduce(c, ln, rho, v, 0);
    int32_t tx = ln->nd->in[0];
    int lower, J = pn->ncmp;
    int64_t cb[2];
    ZK_CHECK(clip_bounds(c->m, ln->nd, cb, &lower) == J);
    if (J == 0) { /* no activation is clipped: y = x */
        cx_claim_tensor(c, tx, rho, v, NULL);
        return ZK_OK;
    }
    fp2 beta = tr_challenge(c->tr, "cnn/clip/beta"), one = fp2_one();
    enum { T_EQ, T_X, T_I, T_S0, T_U0, T_S1, T_U1 };
    vp_term t[20];
    unsigned nt = 0;
    if (lower) {
        fp2 lo = cx_int(cb[0]);
        t[nt++] = (vp_term){.c = lo, .k = 2, .t = {T_EQ, T_I}};
        t[nt++] = (vp_term){.c = one, .k = 3, .t = {T_EQ, T_S0, T_X}};
        t[nt++] = (vp_term){.c = fp2_neg(lo), .k = 2, .t = {T_EQ, T_S0}};
    } else {
        t[nt++] = (vp_term){.c = one, .k = 2, .t = {T_EQ, T_X}};
    }
    if (!lower || J == 2) { /* the upper bound: + s_hi (hi - x) */
        unsigned ts = J == 2 ? T_S1 : T_S0;
        t[nt++] = (vp_term){.c = cx_int(cb[J - 1]), .k = 2, .t = {T_EQ, ts}};
        t[nt++] = (vp_term){.c = fp2_neg(one), .k = 3, .t = {T_EQ, ts, T_X}};
    }
    fp2 bp = beta;
    for (int j = 0; j < J; j++) { /* beta^(2j+1) (u - 2 s x + 2 c s + x - c I - s + I) + beta^(2j+2) (s^2 - s) */
        unsigned ts = j ? T_S1 : T_S0, tu = j ? T_U1 : T_U0;
        fp2 cj = cx_int(cb[j]), b2 = fp2_mul(bp, beta);
        t[nt++] = (vp_term){.c = bp, .k = 2, .t = {T_EQ, tu}};
        t[nt++] = (vp_term){.c = fp2_neg(fp2_dbl(bp)), .k = 3, .t = {T_EQ, ts, T_X}};
        t[nt++] = (vp_term){.c = fp2_sub(fp2_mul(fp2_dbl(cj), bp), fp2_add(bp, b2)), .k = 2, .t = {T_EQ, ts}};
        t[nt++] = (vp_term){.c = bp, .k = 2, .t = {T_EQ, T_X}};
        t[nt++] = (vp_term){.c = fp2_mul(fp2_sub(one, cj), bp), .k = 2, .t = {T_EQ, T_I}};
        t[nt++] = (vp_term){.c = b2, .k = 3, .t = {T_EQ, ts, ts}};
        bp = fp2_mul(b2, beta);
    }
    unsigned ntab = 3 + 2 * (unsigned)J;
    fp2 *tabs[7] = {0};
    if (c->P) {
        tabs[T_X] = cx_tensor_table(c, tx);
        tabs[T_I] = zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
        for (int64_t o = 0; o < ln->ny; o++) tabs[T_I][o] = one;
        for (int j = 0; j < J; j++) {
            tabs[j ? T_S1 : T_S0] = cx_qty_table(c, j ? &pn->sign2 : &pn->sign, ln->nv);
            tabs[j ? T_U1 : T_U0] = cx_qty_table(c, j ? &pn->u2 : &pn->u, ln->nv);
        }
    }
    int send[7] = {0, 1, 0, 1, 1, 1, 1};
    fp2 vals[7] = {0}, *r;
    cx_pool vpp[7];
    CX_TRY(sign_sc(c, ln, rho, v, tabs, ntab, t, nt, send, vals, vpp, &r, T_I, 2.0 * J, "clip sumcheck"));
    for (int j = 0; j < J; j++) {
        CX_TRY(cx_claim_qty(c, j ? &pn->sign2 : &pn->sign, r, cx_fin(vals, vpp, j ? T_S1 : T_S0), NULL));
        CX_TRY(cx_claim_qty(c, j ? &pn->u2 : &pn->u, r, cx_fin(vals, vpp, j ? T_U1 : T_U0), NULL));
    }
    cx_claim_tensor(c, tx, r, cx_fin(vals, vpp, T_X), NULL);
    return ZK_OK;
}

const layer_kind layer_relu = {.phase = CNN_PH_ACT, .plan = relu_plan, .adv = relu_adv, .reduce = rd_relu,
                               .count = layer_count_plain};
const layer_kind layer_leakyrelu = {.phase = CNN_PH_ACT, .rescales = 1, .plan = relu_plan, .adv = relu_adv,
                                    .reduce = rd_relu, .count = layer_count_plain};
const layer_kind layer_prelu = {.phase = CNN_PH_ACT, .rescales = 1, .plan = relu_plan, .adv = relu_adv,
                                .reduce = rd_relu, .count = layer_count_plain};
const layer_kind layer_clip = {.phase = CNN_PH_ACT, .plan = clip_plan, .adv = clip_adv, .reduce = rd_clip,
                               .count = layer_count_plain};
