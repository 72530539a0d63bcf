/* l_relu.c -- Relu and LeakyRelu (papers/protocol.md sec. 7.3 "ReLU and
 * LeakyRelu"; sec. 7.8.5 gives every message).
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
 */
#include <stdlib.h>

#include "../poly/mle.h"
#include "layers.h"

/* After the remainder (LeakyRelu, k >= 1) and the integer check: the sign
 * s (a bit region), then u (b_act - 1 bits). */
static zk_err relu_plan(pl_plan *p, const layer_node *ln) {
    pl_node *pn = &p->node[ln->i];
    pn->sign = pl_bit_new(p, ln->nv, ln->ny);
    pn->u = pl_qty_new(p, p->m->s.b_act - 1, ln->nv, ln->ny);
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
    }
}

/* ReLU (alpha = NULL) and LeakyRelu:
 *   y = s x + (1 - s) kappa (alpha x + c - rem),  u = (2s - 1) x + s - 1,
 * both checked by one sumcheck  sum_o eq(rho, o) [y-part + beta (u - (2s-1)x - s + 1)] = v. */
static zk_err rd_relu(cx *c, const layer_node *ln, const fp2 *rho, fp2 v) {
    const q_node *nd = ln->nd;
    const pl_node *pn = &c->pl->node[ln->i];
    int leaky = nd->op == NN_LEAKYRELU, hasrem = pn->rem.nl > 0;
    fp2 beta = tr_challenge(c->tr, "cnn/relu/beta");
    fp2 one = fp2_one(), two_b = fp2_dbl(beta);
    fp2 kappa = fp2_zero(), cc = fp2_zero(), al = fp2_zero();
    if (leaky) {
        kappa = nd->k >= 1 ? cx_inv_pow2(nd->k) : cx_pow2(-nd->k);
        cc = nd->k >= 1 ? cx_pow2(nd->k - 1) : fp2_zero();
        al = cx_int(nd->alpha);
    }
    fp2 ka = fp2_mul(kappa, al), kc = fp2_mul(kappa, cc);
    /* tables: 0 eq, 1 s, 2 x, 3 u, 4 I, 5 rem */
    enum { T_EQ, T_S, T_X, T_U, T_I, T_R };
    vp_term t[10];
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
    unsigned ntab = hasrem ? 6 : 5;
    fp2 *tabs[6] = {0};
    if (c->P) {
        tabs[T_S] = cx_qty_table(c, &pn->sign, ln->nv);
        tabs[T_X] = cx_tensor_table(c, nd->in[0]);
        tabs[T_U] = cx_qty_table(c, &pn->u, ln->nv);
        tabs[T_I] = zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
        for (int64_t o = 0; o < ln->ny; o++) tabs[T_I][o] = one;
        if (hasrem) tabs[T_R] = cx_qty_table(c, &pn->rem, ln->nv);
    }
    int send[6] = {0, 1, 1, 1, 0, 1};
    fp2 vals[6], red, *r;
    zk_err e = cx_sc_eq(c, tabs, ntab, t, nt, ln->nv, v, T_EQ, rho, &r, &red, vals, send);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    CX_TRY(e);
    vals[T_EQ] = mle_eq_eval(rho, r, ln->nv);
    vals[T_I] = cx_ind_eval(ln->ny, r, ln->nv);
    cx_point(c, ln->nv, 1); /* the constraints' MLEs at rho */
    cx_chal(c, 2);      /* then a degree-2 polynomial in beta */
    CX_TRY(cx_sc_check(c, t, nt, vals, red, "sign sumcheck"));
    CX_TRY(cx_claim_qty(c, &pn->sign, r, vals[T_S], NULL));
    CX_TRY(cx_claim_qty(c, &pn->u, r, vals[T_U], NULL));
    if (hasrem) CX_TRY(cx_claim_qty(c, &pn->rem, r, vals[T_R], NULL));
    cx_claim_tensor(c, nd->in[0], r, vals[T_X], NULL);
    return ZK_OK;
}

static void relu_count(const pl_plan *p, const layer_node *ln, layer_count *n) {
    (void)p;
    layer_count_node(ln, n, 1, 0, 0, 0);
}

const layer_kind layer_relu = {.phase = CNN_PH_ACT, .plan = relu_plan, .adv = relu_adv, .reduce = rd_relu,
                               .count = relu_count};
const layer_kind layer_leakyrelu = {.phase = CNN_PH_ACT, .rescales = 1, .plan = relu_plan, .adv = relu_adv,
                                    .reduce = rd_relu, .count = relu_count};
