/* l_softmax.c -- Softmax and LogSoftmax over groups of n cells at stride
 * inner (any axis; nn_group_cell) (papers/protocol.md sec. 7.3 "Softmax
 * and LogSoftmax", 7.8.5 for every message).
 *
 * Relations (quant.h sec. 3), per group g with m_g its maximum, per cell:
 *   d = m_g - x = 2^(16+s) h + 2^s i + r,  (i, T) a row of the exp table,
 *   e = (1 - h) T  (no h when b_act + 1 - s <= 16: e = T),
 *   e1 a bit, e1 d = 0, sum_g e1 = 1 (the maximum: every d >= 0 by the
 *   split, and the chosen cell has d = 0),  S_g = sum_g e;
 *   Softmax:    2 S y + q = 2^(f_y+1) e + S, q and 2S - 1 - q in [0, 2^bq),
 *               y in [0, A) (a quantity YC of b_act - 1 bits);
 *   LogSoftmax: y = -2^(f_y - f_x) d - l_g, S_g = 2^s2 j_g + r2_g, (j_g, l_g)
 *               a row of the log table (l at f_y).
 * Per-tensor constraints: h, e1 bits (zero-checks); r (s bits), r2 (s2
 * bits), YC, q, q2 (limbs, lookup); (i, T) and (j, l) pair columns. Softmax's
 * y is an integer in [0, A) by YC (rule Q_INT_PRODUCER); LogSoftmax's y is
 * range-checked by the driver (Q_INT_CHECK); x needs its own rule.
 *
 * Sub-protocol. Softmax, from y(rho) = v: YC gets (rho, v); beta <-
 * cnn/smax/beta; one degree-3 sumcheck sum_o eq(rho, o) F = 0 with F the
 * division, q + q2 - 2 Sb + I, e1 d, e1^2 - e1 (and h^2 - h, e - T + h T)
 * combined by powers of beta, Sb the group's S per cell (a region); the
 * prover sends every table at its point r; Sb gets S through the group
 * map, and with mu = (m o group)(r) (cnn/smax/m) x gets mu - d(r). Then
 * rho_R <- cnn/smax/row over the groups: the prover sends S(rho_R)
 * (cnn/smax/s), a claim on S and, through the group-sum map, on e; e1's
 * group sums get I(rho_R). LogSoftmax, from y(rho) = v: the prover sends
 * lambda = (l o group)(rho) (cnn/smax/l), so d(rho) = -(v + lambda) 2^-k; then h
 * (cnn/smax/h) and i (cnn/smax/i) at rho, r implied; mu (cnn/smax/m), x gets
 * mu - d(rho); the zero-check sumcheck (e1 d, e1 bit, h, e); at rho_R the
 * prover sends sum e (cnn/smax/s) and j (cnn/smax/j), r2 implied.
 * Soundness: the sumcheck (cx_sc); its identities and the element
 * identities at its point (3, Softmax) or at rho (LogSoftmax); a
 * polynomial in beta of degree 3 or 5 (1 or 3); two identities over the
 * groups at rho_R.
 */
#include <stdlib.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "layers.h"

enum { SM_M, SM_E1, SM_IE, SM_TV, SM_H, SM_E, SM_S, SM_SB, SM_J, SM_L };
enum { SQ_R, SQ_YC, SQ_Q, SQ_Q2, SQ_R2 };

typedef struct {
    int64_t n, G;    /* group length, groups */
    unsigned gv;     /* the groups' variables */
    int s, ne, h;    /* exp table shift, its bits, whether d has an h bit */
    int64_t D;       /* 2^(ne + s): h's weight */
} sm_geo;

static sm_geo sm_geo_of(const q_model *m, const layer_node *ln) {
    sm_geo g = {.n = ln->nd->iattr[0], .s = (int)ln->nd->iattr[3]};
    g.G = ln->ny / g.n;
    g.gv = pl_log2(g.G);
    g.ne = q_smax_exp_bits(m, ln->nd);
    g.h = q_smax_has_h(m, ln->nd);
    g.D = (int64_t)1 << (g.ne + g.s);
    return g;
}

/* bits of q: q < 2 S <= 2 n 2^f_e */
static int sm_qbits(const q_node *nd) { return 1 + (int)nd->iattr[2] + (int)pl_log2(nd->iattr[0]); }

static zk_err smax_plan(pl_plan *p, const layer_node *ln) {
    const q_node *nd = ln->nd;
    pl_node *pn = &p->node[ln->i];
    sm_geo g = sm_geo_of(p->m, ln);
    for (int k = 0; k < 10; k++) pn->sreg[k] = -1;
    pn->stab[0] = pn->stab[1] = -1;
    pn->sreg[SM_M] = pl_add_region(p, PL_ADV, g.gv, g.G);
    pn->sreg[SM_E1] = pl_bit_new(p, ln->nv, ln->ny).reg[0];
    pn->sreg[SM_IE] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    pn->sreg[SM_TV] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    pn->stab[0] = pl_table(p, ln->i, PL_TAB_EXP);
    pl_add_fcol(p, pn->sreg[SM_IE], pn->sreg[SM_TV], pn->stab[0]);
    if (g.s) pn->sq[SQ_R] = pl_qty_new(p, g.s, ln->nv, ln->ny);
    if (g.h) {
        pn->sreg[SM_H] = pl_bit_new(p, ln->nv, ln->ny).reg[0];
        pn->sreg[SM_E] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    }
    if (nd->op == NN_SOFTMAX) {
        pn->sreg[SM_S] = pl_add_region(p, PL_ADV, g.gv, g.G);
        pn->sreg[SM_SB] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
        pn->sq[SQ_YC] = pl_qty_new(p, p->m->s.b_act - 1, ln->nv, ln->ny);
        pn->sq[SQ_Q] = pl_qty_new(p, sm_qbits(nd), ln->nv, ln->ny);
        pn->sq[SQ_Q2] = pl_qty_new(p, sm_qbits(nd), ln->nv, ln->ny);
    } else {
        pn->sreg[SM_J] = pl_add_region(p, PL_ADV, g.gv, g.G);
        pn->sreg[SM_L] = pl_add_region(p, PL_ADV, g.gv, g.G);
        pn->stab[1] = pl_table(p, ln->i, PL_TAB_LOG);
        pl_add_fcol(p, pn->sreg[SM_J], pn->sreg[SM_L], pn->stab[1]);
        if (nd->iattr[4]) pn->sq[SQ_R2] = pl_qty_new(p, (int)nd->iattr[4], g.gv, g.G);
    }
    return ZK_OK;
}

/* Everything from the witness: the group's chosen cell (arg), e (acc), q
 * (rem), y. d = x_arg - x is split as in q_smax_e (arithmetically, so a
 * cheater's negative d gives an index outside the table). */
static void smax_adv(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A) {
    const q_node *nd = ln->nd;
    const pl_node *pn = &p->node[ln->i];
    const q_nwit *nw = &w->nodes[ln->i];
    sm_geo g = sm_geo_of(p->m, ln);
    const int64_t *x = w->t[nd->in[0]], *y = w->t[ln->i + 1];
    const pl_tab *te = &p->tab[pn->stab[0]];
#define R_(k) (A + p->reg[pn->sreg[k]].off)
    for (int64_t o = ln->ny; o < ((int64_t)1 << ln->nv); o++) { /* the table's first row, h = 0, e = T */
        R_(SM_IE)[o] = te->a[te->first], R_(SM_TV)[o] = te->b[te->first];
        if (g.h) R_(SM_E)[o] = te->b[te->first];
    }
    for (int64_t gi = 0; gi < g.G; gi++) {
        int64_t arg = nw->arg[nn_group_cell(nd->iattr, gi, 0)], S = 0;
        int64_t mx = x[nn_group_cell(nd->iattr, gi, arg < 0 || arg >= g.n ? 0 : arg)];
        R_(SM_M)[gi] = fm61_from_i64(mx);
        for (int64_t j = 0; j < g.n; j++) {
            int64_t o = nn_group_cell(nd->iattr, gi, j), d = mx - x[o];
            int64_t r = d & (((int64_t)1 << g.s) - 1), i = (d >> g.s) & (((int64_t)1 << g.ne) - 1), h = d >> (g.ne + g.s);
            R_(SM_E1)[o] = j == arg;
            R_(SM_IE)[o] = fm61_from_i64(i);
            R_(SM_TV)[o] = g.h ? te->b[i] : fm61_from_i64(nw->acc[o]);
            if (g.s) pl_qty_put(A, p, &pn->sq[SQ_R], o, fm61_from_i64(r));
            if (g.h) R_(SM_H)[o] = fm61_from_i64(h), R_(SM_E)[o] = fm61_from_i64(nw->acc[o]);
            S += nw->acc[o];
        }
        if (nd->op == NN_SOFTMAX) {
            R_(SM_S)[gi] = fm61_from_i64(S);
            for (int64_t j = 0; j < g.n; j++) {
                int64_t o = nn_group_cell(nd->iattr, gi, j);
                R_(SM_SB)[o] = fm61_from_i64(S);
                pl_qty_put(A, p, &pn->sq[SQ_YC], o, fm61_from_i64(y[o]));
                pl_qty_put(A, p, &pn->sq[SQ_Q], o, fm61_from_i64(nw->rem[o]));
                pl_qty_put(A, p, &pn->sq[SQ_Q2], o, fm61_from_i64(2 * S - 1 - nw->rem[o]));
            }
        } else {
            int64_t s2 = nd->iattr[4], jj = S >> s2, l = 0;
            R_(SM_J)[gi] = fm61_from_i64(jj);
            R_(SM_L)[gi] = q_smax_log(p->m, nd, jj, &l) ? fm61_from_i64(l) : 0;
            if (s2) pl_qty_put(A, p, &pn->sq[SQ_R2], gi, fm61_from_i64(S - (jj << s2)));
        }
    }
    if (nd->op == NN_LOGSOFTMAX) {
        const pl_tab *tl = &p->tab[pn->stab[1]];
        for (int64_t gi = g.G; gi < ((int64_t)1 << g.gv); gi++) R_(SM_J)[gi] = tl->a[tl->first], R_(SM_L)[gi] = tl->b[tl->first];
    }
#undef R_
}

/* Maps: the group of each cell (element layout, onto a group region); the
 * cells of each group (group layout, fan n, onto an element region); the
 * real groups (group layout, identity). */
static cmap *sm_group_map(cx *c, const layer_node *ln) {
    cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    for (int64_t o = 0; o < ln->ny; o++) {
        int64_t j;
        mp->src[o] = nn_group_of(ln->nd->iattr, o, &j);
    }
    return mp;
}
static cmap *sm_sum_map(cx *c, const layer_node *ln, const sm_geo *g) {
    cmap *mp = cx_map_new(c, g->G, g->gv, (unsigned)g->n, 0);
    for (int64_t gi = 0; gi < g->G; gi++)
        for (int64_t j = 0; j < g->n; j++) mp->src[gi * g->n + j] = nn_group_cell(ln->nd->iattr, gi, j);
    return mp;
}
static cmap *sm_real_map(cx *c, const sm_geo *g) {
    cmap *mp = cx_map_new(c, g->G, g->gv, 1, 0);
    for (int64_t gi = 0; gi < g->G; gi++) mp->src[gi] = gi;
    return mp;
}

/* The prover's value of a claim on region r through map mp at pt. */
static fp2 sm_val(cx *c, int r, const cmap *mp, const fp2 *pt) {
    if (!c->P) return fp2_zero();
    return mp ? cx_map_value(mp, pt, cx_reg_table(c, r)) : mle_eval_fm61(cx_reg_table(c, r), c->pl->reg[r].nv, pt);
}
/* The prover sends a region's value through mp at pt (label), a claim. */
static zk_err sm_send(cx *c, const char *label, int r, const cmap *mp, const fp2 *pt, cx_v *v) {
    CX_TRY(cx_xfer_v(c, label, sm_val(c, r, mp, pt), v));
    cx_claim_region(c, r, pt, *v, mp);
    return ZK_OK;
}

/* Tables of the zero-check sumcheck, in this order; (h, e) only with h,
 * r only with s >= 1, the Softmax ones only for Softmax. */
enum { Z_EQ, Z_I, Z_E1, Z_IE, Z_R, Z_H, Z_E, Z_TV, Z_SB, Z_YC, Z_Q, Z_Q2, Z_N };

/* The zero-check sumcheck at rho (claim 0) and the claims at its point;
 * returns the point and the values (vals[Z_*]). */
static zk_err sm_zero_check(cx *c, const layer_node *ln, const sm_geo *g, const fp2 *rho, fp2 **r, fp2 *vals,
                            cx_pool *vpp) {
    const pl_node *pn = &c->pl->node[ln->i];
    int soft = ln->nd->op == NN_SOFTMAX;
    fp2 beta = tr_challenge(c->tr, "cnn/smax/beta"), one = fp2_one(), b[6];
    b[0] = one;
    for (int k = 1; k < 6; k++) b[k] = fp2_mul(b[k - 1], beta);
    int k0 = soft ? 2 : 0; /* the power of beta of e1 d */
    vp_term t[24];
    unsigned nt = 0;
    if (soft) { /* 2 Sb YC + q - Sb - 2^(f_y+1) I e;  beta (q + q2 - 2 Sb + I) */
        fp2 fy1 = cx_pow2(c->m->tensors[ln->ty].f + 1);
        t[nt++] = (vp_term){.c = fp2_dbl(one), .k = 3, .t = {Z_EQ, Z_SB, Z_YC}};
        t[nt++] = (vp_term){.c = fp2_add(one, b[1]), .k = 2, .t = {Z_EQ, Z_Q}};
        t[nt++] = (vp_term){.c = fp2_neg(fp2_add(one, fp2_dbl(b[1]))), .k = 2, .t = {Z_EQ, Z_SB}};
        t[nt++] = (vp_term){.c = fp2_neg(fy1), .k = 3, .t = {Z_EQ, Z_I, g->h ? Z_E : Z_TV}};
        t[nt++] = (vp_term){.c = b[1], .k = 2, .t = {Z_EQ, Z_Q2}};
        t[nt++] = (vp_term){.c = b[1], .k = 2, .t = {Z_EQ, Z_I}};
    }
    /* e1 d = e1 (2^(16+s) h + 2^s i + r);  e1^2 - e1 */
    t[nt++] = (vp_term){.c = fp2_mul(b[k0], cx_pow2(g->s)), .k = 3, .t = {Z_EQ, Z_E1, Z_IE}};
    if (g->s) t[nt++] = (vp_term){.c = b[k0], .k = 3, .t = {Z_EQ, Z_E1, Z_R}};
    if (g->h) t[nt++] = (vp_term){.c = fp2_mul(b[k0], cx_int(g->D)), .k = 3, .t = {Z_EQ, Z_E1, Z_H}};
    t[nt++] = (vp_term){.c = b[k0 + 1], .k = 3, .t = {Z_EQ, Z_E1, Z_E1}};
    t[nt++] = (vp_term){.c = fp2_neg(b[k0 + 1]), .k = 2, .t = {Z_EQ, Z_E1}};
    if (g->h) { /* h^2 - h;  e - T + h T */
        t[nt++] = (vp_term){.c = b[k0 + 2], .k = 3, .t = {Z_EQ, Z_H, Z_H}};
        t[nt++] = (vp_term){.c = fp2_neg(b[k0 + 2]), .k = 2, .t = {Z_EQ, Z_H}};
        t[nt++] = (vp_term){.c = b[k0 + 3], .k = 2, .t = {Z_EQ, Z_E}};
        t[nt++] = (vp_term){.c = fp2_neg(b[k0 + 3]), .k = 2, .t = {Z_EQ, Z_TV}};
        t[nt++] = (vp_term){.c = b[k0 + 3], .k = 3, .t = {Z_EQ, Z_H, Z_TV}};
    }
    int send[Z_N] = {0};
    fp2 *tabs[Z_N] = {0};
    size_t N = (size_t)1 << ln->nv;
    int regs[Z_N] = {[Z_E1] = pn->sreg[SM_E1], [Z_IE] = pn->sreg[SM_IE], [Z_H] = pn->sreg[SM_H], [Z_E] = pn->sreg[SM_E],
                     [Z_TV] = pn->sreg[SM_TV], [Z_SB] = pn->sreg[SM_SB]};
    const pl_qty *qs[Z_N] = {[Z_R] = &pn->sq[SQ_R], [Z_YC] = &pn->sq[SQ_YC], [Z_Q] = &pn->sq[SQ_Q], [Z_Q2] = &pn->sq[SQ_Q2]};
    for (int k = Z_E1; k < Z_N; k++) {
        int used = k == Z_E1 || k == Z_IE || (k == Z_R && g->s) || ((k == Z_H || k == Z_E) && g->h) ||
                   (k == Z_TV && (g->h || soft)) || (k >= Z_SB && soft);
        send[k] = used;
        if (!c->P) continue;
        if (!used) tabs[k] = zk_calloc(N, sizeof(fp2));
        else if (qs[k]) tabs[k] = cx_qty_table(c, qs[k], ln->nv);
        else tabs[k] = cx_lift_new(cx_reg_table(c, regs[k]), ln->nv);
    }
    if (c->P) {
        tabs[Z_I] = zk_calloc(N, sizeof(fp2)); /* eq(rho, .) is a factor of every term: implicit */
        for (int64_t o = 0; o < ln->ny; o++) tabs[Z_I][o] = one;
    }
    fp2 red;
    zk_err e = cx_sc_eq(c, tabs, Z_N, t, nt, ln->nv, cx_v_of(fp2_zero()), Z_EQ, rho, r, &red, vals, send, vpp);
    for (int k = 0; k < Z_N; k++) free(tabs[k]);
    CX_TRY(e);
    vals[Z_EQ] = mle_eq_eval(rho, *r, ln->nv);
    vals[Z_I] = cx_ind_eval(ln->ny, *r, ln->nv);
    cx_point(c, ln->nv, soft ? 3 : 1);  /* the combined identity (and Softmax's two element identities at r) */
    cx_chal(c, (double)(k0 + 1 + 2 * g->h)); /* a polynomial in beta */
    CX_TRY(cx_sc_check(c, t, nt, vals, red, soft ? "softmax sumcheck" : "log-softmax sumcheck"));
    for (int k = Z_E1; k < Z_N; k++) {
        if (!send[k]) continue;
        if (qs[k]) CX_TRY(cx_claim_qty(c, qs[k], *r, cx_fin(vals, vpp, (unsigned)k), NULL));
        else cx_claim_region(c, regs[k], *r, cx_fin(vals, vpp, (unsigned)k), NULL);
    }
    return ZK_OK;
}

/* d at pt from the values of h, i, r there. */
static cx_v sm_d(cx *c, const sm_geo *g, cx_v h, cx_v i, cx_v r) {
    return cx_v_add(c, cx_v_add(c, cx_v_scale(c, h, cx_int(g->D)), cx_v_scale(c, i, cx_pow2(g->s))), r);
}

/* The group relations at rho_R <- cnn/smax/row: e1's group sums are 1;
 * the prover sends sum e (cnn/smax/s), a claim on e through the group-sum
 * map, and on S (Softmax) or, with j (cnn/smax/j), on j and r2. */
static zk_err sm_groups(cx *c, const layer_node *ln, const sm_geo *g) {
    const pl_node *pn = &c->pl->node[ln->i];
    fp2 *rr = cx_pt(c, g->gv);
    tr_challenges(c->tr, "cnn/smax/row", rr, g->gv);
    cx_chal(c, 2.0 * g->gv); /* two identities over the groups */
    cmap *sum = sm_sum_map(c, ln, g);
    cx_claim_region(c, pn->sreg[SM_E1], rr, cx_v_of(cx_ind_eval(g->G, rr, g->gv)), sum);
    cx_v sv;
    int er = pn->sreg[g->h ? SM_E : SM_TV];
    CX_TRY(sm_send(c, "cnn/smax/s", er, sum, rr, &sv));
    if (ln->nd->op == NN_SOFTMAX) {
        cx_claim_region(c, pn->sreg[SM_S], rr, sv, NULL);
        return ZK_OK;
    }
    cmap *real = sm_real_map(c, g);
    int s2 = (int)ln->nd->iattr[4];
    if (!s2) { /* S = j */
        cx_claim_region(c, pn->sreg[SM_J], rr, sv, real);
        return ZK_OK;
    }
    cx_v jv;
    CX_TRY(sm_send(c, "cnn/smax/j", pn->sreg[SM_J], real, rr, &jv));
    return cx_claim_qty(c, &pn->sq[SQ_R2], rr, cx_v_sub(c, sv, cx_v_scale(c, jv, cx_pow2(s2))), real);
}

static zk_err rd_softmax(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const pl_node *pn = &c->pl->node[ln->i];
    sm_geo g = sm_geo_of(c->m, ln);
    cmap *grp = sm_group_map(c, ln);
    fp2 vals[Z_N] = {0}, *r;
    cx_pool vpp[Z_N];
    cx_v mu;
    CX_TRY(cx_claim_qty(c, &pn->sq[SQ_YC], rho, v, NULL));
    CX_TRY(sm_zero_check(c, ln, &g, rho, &r, vals, vpp));
    cx_claim_region(c, pn->sreg[SM_S], r, cx_fin(vals, vpp, Z_SB), grp); /* Sb = S o group */
    CX_TRY(sm_send(c, "cnn/smax/m", pn->sreg[SM_M], grp, r, &mu));
    cx_v d = sm_d(c, &g, cx_fin(vals, vpp, Z_H), cx_fin(vals, vpp, Z_IE), cx_fin(vals, vpp, Z_R));
    cx_claim_tensor(c, ln->nd->in[0], r, cx_v_sub(c, mu, d), NULL);
    return sm_groups(c, ln, &g);
}

static zk_err rd_logsoftmax(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const pl_node *pn = &c->pl->node[ln->i];
    sm_geo g = sm_geo_of(c->m, ln);
    cmap *grp = sm_group_map(c, ln);
    cx_v lam, h = cx_v_of(fp2_zero()), i, mu;
    CX_TRY(sm_send(c, "cnn/smax/l", pn->sreg[SM_L], grp, rho, &lam));
    /* y = -2^k d - l o group on the real cells, k = f_y - f_x */
    fp2 sk = fp2_neg(cx_inv_pow2(c->m->tensors[ln->ty].f - c->m->tensors[ln->nd->in[0]].f));
    cx_v d = cx_v_scale(c, cx_v_add(c, v, lam), sk);
    if (g.h) CX_TRY(sm_send(c, "cnn/smax/h", pn->sreg[SM_H], NULL, rho, &h));
    cx_v rest = cx_v_sub(c, d, cx_v_scale(c, h, cx_int(g.D)));
    if (g.s) {
        CX_TRY(sm_send(c, "cnn/smax/i", pn->sreg[SM_IE], NULL, rho, &i));
        CX_TRY(cx_claim_qty(c, &pn->sq[SQ_R], rho, cx_v_sub(c, rest, cx_v_scale(c, i, cx_pow2(g.s))), NULL));
    } else {
        cx_claim_region(c, pn->sreg[SM_IE], rho, rest, NULL);
    }
    CX_TRY(sm_send(c, "cnn/smax/m", pn->sreg[SM_M], grp, rho, &mu));
    cx_claim_tensor(c, ln->nd->in[0], rho, cx_v_sub(c, mu, d), NULL);
    cx_point(c, ln->nv, 1); /* x = m o group - d at rho */
    fp2 vals[Z_N] = {0}, *r;
    cx_pool vpp[Z_N];
    CX_TRY(sm_zero_check(c, ln, &g, rho, &r, vals, vpp));
    return sm_groups(c, ln, &g);
}

/* Three sumcheck-sized groups; the rho_R challenge tests two identities
 * over the groups; a round at r tests up to three identities. */
static void smax_count(const pl_plan *p, const layer_node *ln, layer_count *n) {
    sm_geo g = sm_geo_of(p->m, ln);
    layer_count_node(ln, n, 3, 0, 0, 0);
    n->deg = fmax(n->deg, fmax(3 + 3 + 1, 2.0 * g.gv));
}

const layer_kind layer_softmax = {.phase = CNN_PH_ACT, .plan = smax_plan, .adv = smax_adv, .reduce = rd_softmax,
                                  .count = smax_count};
const layer_kind layer_logsoftmax = {.phase = CNN_PH_ACT, .plan = smax_plan, .adv = smax_adv,
                                     .reduce = rd_logsoftmax, .count = smax_count};
