/* l_pool.c -- MaxPool, GlobalMaxPool, AveragePool, GlobalAveragePool
 * (papers/protocol.md sec. 7.3 "Max pooling" and "Average pooling"; sec.
 * 7.8.2 "Windows" for the cells, sec. 7.8.5 for every message).
 *
 * Windows: output o and live window cell p (one that is a real input cell
 * for some output) read X_p(o) = x[cell(o, p)], or -A (max) / nothing
 * (average) at padding.
 *
 * Max. Relation: y = X_p + d_p for every live cell p, d_p in [0, 2A); one
 * choice bit e_p per output with e_p d_p = 0: y is at least every cell and
 * equals the chosen one. Sub-protocol: the prover sends d_p(rho) (cnn/max/d)
 * for every p, giving the claims X_p(rho) = v - d_p(rho) on x, then
 * e_p(rho) (cnn/max/e); the verifier checks sum_p e_p(rho) = I(rho);
 * beta <- cnn/max/beta and one degree-3 sumcheck
 *   sum_o eq(rho, o) sum_p [beta^p e_p d_p + beta^(P+p) (e_p^2 - e_p)] = 0.
 * Per-tensor constraints (ADV): d_p in b_act bits (lookup), e_p a bit (the
 * zero-check). Soundness: P + 2 identities at rho (nv(y) each), a degree
 * 2P - 1 polynomial in beta, nv(y) rounds of degree 3.
 *
 * Average. Relation: 2 n_o y + rem = 2 acc + n_o, acc the sum of the
 * window's real cells, rem in [0, 2 n_o). Sub-protocol: with
 * c_o = 1 / (2 n_o), y(rho) = sum_o eq(rho, o) c_o (2 acc + n_o - rem)(o):
 * the prover sends R = sum_o eq(rho, o) c_o rem(o) (cnn/avg/rem), a claim
 * on rem through the weighted map, and x gets v - I(rho)/2 + R through the
 * window map with coefficients 2 c_o. Per-tensor constraints: rem and
 * 2n - 1 - rem both lookup columns (setup refuses 2n > 2^lb); the output's
 * integer check. Soundness: no challenge of its own.
 */
#include <stdlib.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "layers.h"

/* Window cells that are a real input cell for at least one output (a cell
 * that is padding everywhere can never be the maximum or add to a sum). */
static int64_t *pool_live_cells(const q_model *m, const q_node *nd, int64_t all, int64_t *nlive) {
    int64_t ny = q_numel(m, (int32_t)(nd - m->nodes) + 1), n = 0;
    const nn_shape *Y = &m->tensors[(nd - m->nodes) + 1].shape;
    int64_t plane = (nd->op == NN_GLOBALAVGPOOL || nd->op == NN_GLOBALMAXPOOL) ? 1 : Y->d[2] * Y->d[3];
    int64_t *c = zk_malloc_n((size_t)all, sizeof *c);
    for (int64_t p = 0; p < all; p++)
        for (int64_t o = 0; o < plane && o < ny; o++) /* the first plane has every window position */
            if (q_max_cell(m, nd, o, p) >= 0) {
                c[n++] = p;
                break;
            }
    *nlive = n;
    return c;
}

/* The live cells; for each in turn, d_p (b_act bits), then e_p (a bit). */
static zk_err maxpool_plan(pl_plan *p, const layer_node *ln) {
    pl_node *pn = &p->node[ln->i];
    pn->cell = pool_live_cells(p->m, ln->nd, q_max_cells(p->m, ln->nd), &pn->ncell);
    if (pn->ncell > 4096) {
        zk_set_reason("node %s: max-pool window of %lld real cells is over 4096", ln->nd->name, (long long)pn->ncell);
        return ZK_EINPUT;
    }
    pn->d = zk_calloc((size_t)pn->ncell, sizeof *pn->d);
    pn->e = zk_calloc((size_t)pn->ncell, sizeof *pn->e);
    for (int64_t c = 0; c < pn->ncell; c++) {
        pn->d[c] = pl_qty_new(p, p->m->s.b_act, ln->nv, ln->ny);
        pn->e[c] = pl_bit_new(p, ln->nv, ln->ny);
    }
    return ZK_OK;
}

/* d_p = y - X_p (X_p = -A at padding); e_p = [the witness chose cell p]. */
static void maxpool_adv(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A) {
    const pl_node *pn = &p->node[ln->i];
    const q_nwit *nw = &w->nodes[ln->i];
    const int64_t *y = w->t[ln->i + 1], *x = w->t[ln->nd->in[0]];
    fm61 negA = fm61_from_i64(-q_act_bound(p->m));
    for (int64_t o = 0; o < ln->ny; o++)
        for (int64_t c = 0; c < pn->ncell; c++) {
            int64_t cell = q_max_cell(p->m, ln->nd, o, pn->cell[c]);
            fm61 d = fm61_sub(fm61_from_i64(y[o]), cell >= 0 ? fm61_from_i64(x[cell]) : negA);
            pl_qty_put(A, p, &pn->d[c], o, d);
            A[p->reg[pn->e[c].reg[0]].off + (uint64_t)o] = nw->arg[o] == pn->cell[c];
        }
}

/* The live cells, then the remainder: one region R with the columns R and
 * 2 n_o - 1 - R (both in [0, 2^lb) puts R in [0, 2 n_o)). */
static zk_err avgpool_plan(pl_plan *p, const layer_node *ln) {
    const q_node *nd = ln->nd;
    pl_node *pn = &p->node[ln->i];
    const nn_shape *X = &p->m->tensors[nd->in[0]].shape;
    pn->cell = pool_live_cells(p->m, nd,
                               nd->op == NN_AVGPOOL ? nd->kernel[0] * nd->kernel[1]
                                                    : q_numel(p->m, nd->in[0]) / (X->d[0] * X->d[1]),
                               &pn->ncell);
    int64_t nmax = 0;
    int64_t *off = zk_malloc_n((size_t)ln->ny, sizeof *off);
    for (int64_t o = 0; o < ln->ny; o++) {
        int64_t n = q_avg_count(p->m, nd, o);
        if (n > nmax) nmax = n;
        off[o] = 2 * n - 1;
    }
    if (2 * nmax > ((int64_t)1 << p->lb)) {
        free(off);
        zk_set_reason("node %s: average over %lld cells needs a remainder range over 2^%u", nd->name, (long long)nmax,
                      p->lb);
        return ZK_EINPUT;
    }
    /* rem in [0, 2n): rem and 2n - 1 - rem both in [0, 2^16) */
    pn->rem.nl = 1;
    pn->rem.bits = 0;
    pn->rem.reg[0] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    pl_add_col(p, pn->rem.reg[0], 1, NULL);
    pl_add_col(p, pn->rem.reg[0], -1, off);
    return ZK_OK;
}

static zk_err rd_maxpool(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const pl_node *pn = &c->pl->node[ln->i];
    int32_t tx = ln->nd->in[0];
    int64_t P = pn->ncell;
    fm61 negA = fm61_from_i64(-q_act_bound(c->m));
    /* y = X_p + d_p for every cell p (X_p = x at the cell, -A at padding) */
    fp2 *dv = zk_calloc((size_t)P, sizeof *dv), *ev = zk_calloc((size_t)P, sizeof *ev);
    cx_v dx, ex;
    zk_err e = ZK_OK;
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
        mp->pad = negA;
        for (int64_t o = 0; o < ln->ny; o++) mp->src[o] = q_max_cell(c->m, ln->nd, o, pn->cell[p]);
        if (c->P) {
            fp2 *tq = cx_qty_table(c, &pn->d[p], ln->nv);
            dv[p] = mle_eval_fp2(tq, ln->nv, rho);
            free(tq);
        }
        e = cx_xfer_v(c, "cnn/max/d", dv[p], &dx);
        if (e) break;
        e = cx_claim_qty(c, &pn->d[p], rho, dx, NULL);
        cx_claim_tensor(c, tx, rho, cx_v_sub(c, v, dx), mp);
    }
    /* one-hot choice: sum_p e_p = 1 on [0, ny) */
    cx_v es = cx_v_of(fp2_zero());
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        if (c->P) {
            fp2 *tq = cx_qty_table(c, &pn->e[p], ln->nv);
            ev[p] = mle_eval_fp2(tq, ln->nv, rho);
            free(tq);
        }
        e = cx_xfer_v(c, "cnn/max/e", ev[p], &ex);
        if (e) break;
        es = cx_v_add(c, es, ex);
        e = cx_claim_qty(c, &pn->e[p], rho, ex, NULL);
    }
    /* y = X_p + d_p for every p, and sum_p e_p = I, each tested at rho */
    /* with the choice zero-check below: P + 2 identities at rho */
    cx_point(c, ln->nv, (double)P + 2);
    if (e == ZK_OK) e = cx_check_eq(c, es, cx_ind_eval(ln->ny, rho, ln->nv), "max-pool one-hot");
    free(dv);
    free(ev);
    CX_TRY(e);
    /* the chosen cell is a maximum and the choices are bits:
     * sum_o eq(rho, o) sum_p [beta^p e_p d_p + beta^(P+p) (e_p^2 - e_p)] = 0 */
    fp2 beta = tr_challenge(c->tr, "cnn/max/beta");
    cx_chal(c, 2.0 * (double)P - 1); /* degree 2P - 1 in beta (the MLEs at rho: counted above) */
    unsigned ntab = (unsigned)(1 + 2 * P);
    fp2 **tabs = zk_calloc(ntab, sizeof *tabs);
    vp_term *t = zk_calloc((size_t)(3 * P), sizeof *t);
    int *send = zk_calloc(ntab, sizeof *send);
    fp2 *vals = zk_calloc(ntab, sizeof *vals), bp = fp2_one(), bq = fp2_one();
    for (int64_t p = 0; p < P; p++) bq = fp2_mul(bq, beta);
    for (int64_t p = 0; p < P; p++) {
        unsigned te = (unsigned)(1 + 2 * p);
        t[p] = (vp_term){.c = bp, .k = 3, .t = {0, te, te + 1}};
        t[P + p] = (vp_term){.c = bq, .k = 3, .t = {0, te, te}};
        t[2 * P + p] = (vp_term){.c = fp2_neg(bq), .k = 2, .t = {0, te}};
        bp = fp2_mul(bp, beta);
        bq = fp2_mul(bq, beta);
        send[1 + 2 * p] = send[2 + 2 * p] = 1;
        if (c->P) {
            tabs[1 + 2 * p] = cx_qty_table(c, &pn->e[p], ln->nv);
            tabs[2 + 2 * p] = cx_qty_table(c, &pn->d[p], ln->nv);
        }
    }
    fp2 *r, red;
    cx_pool *vpp = zk_calloc(ntab, sizeof *vpp);
    e = cx_sc_eq(c, tabs, ntab, t, (unsigned)(3 * P), ln->nv, cx_v_of(fp2_zero()), 0, rho, &r, &red, vals, send, vpp);
    for (unsigned j = 0; j < ntab; j++) free(tabs[j]);
    free(tabs);
    if (e == ZK_OK) {
        vals[0] = mle_eq_eval(rho, r, ln->nv);
        e = cx_sc_check(c, t, (unsigned)(3 * P), vals, red, "max-pool choice sumcheck");
    }
    for (int64_t p = 0; p < P && e == ZK_OK; p++) {
        e = cx_claim_qty(c, &pn->e[p], r, cx_fin(vals, vpp, (unsigned)(1 + 2 * p)), NULL);
        if (e == ZK_OK) e = cx_claim_qty(c, &pn->d[p], r, cx_fin(vals, vpp, (unsigned)(2 + 2 * p)), NULL);
    }
    free(vpp);
    free(t);
    free(send);
    free(vals);
    return e;
}

/* 2n y + rem = 2 acc + n, acc = sum of the window's real cells:
 *   y(rho) = sum_o eq(rho,o) c_o (2 acc_o + n_o - rem_o),  c_o = 1 / (2 n_o). */
static zk_err rd_avgpool(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    const pl_node *pn = &c->pl->node[ln->i];
    int64_t P = pn->ncell;
    cmap *rm = cx_map_new(c, ln->ny, ln->nv, 1, 1);
    cmap *xm = cx_map_new(c, ln->ny, ln->nv, (unsigned)P, 1);
    for (int64_t o = 0; o < ln->ny; o++) {
        fm61 co = fm61_inv(fm61_from_i64(2 * q_avg_count(c->m, ln->nd, o)));
        rm->src[o] = o;
        rm->coef[o] = co;
        for (int64_t p = 0; p < P; p++) {
            xm->src[o * P + p] = q_max_cell(c->m, ln->nd, o, pn->cell[p]);
            xm->coef[o * P + p] = fm61_add(co, co);
        }
    }
    fp2 R = fp2_zero();
    if (c->P) R = cx_map_value(rm, rho, cx_reg_table(c, pn->rem.reg[0]));
    cx_v Rv;
    CX_TRY(cx_xfer_v(c, "cnn/avg/rem", R, &Rv));
    cx_claim_region(c, pn->rem.reg[0], rho, Rv, rm);
    /* sum_o eq c_o n_o = I(rho) / 2 */
    fp2 half = fp2_from_fm61(fm61_inv(2));
    cx_v xv = cx_v_add(c, cx_v_addk(v, fp2_neg(fp2_mul(cx_ind_eval(ln->ny, rho, ln->nv), half))), Rv);
    cx_claim_tensor(c, ln->nd->in[0], rho, xv, xm);
    return ZK_OK;
}

/* P window cells: P sumcheck-sized groups; max pools: P + 2 identities at
 * rho in a round, degree 2P - 1 in beta. */
static void pool_count(const pl_plan *p, const layer_node *ln, layer_count *n) {
    const pl_node *pn = &p->node[ln->i];
    double P = (double)pn->ncell;
    layer_count_node(ln, n, (double)(pn->ncell ? pn->ncell : 1), 0, 0, P);
    if (pn->d) {
        n->deg = fmax(n->deg, 3 + (P + 2) + 1);
        n->deg = fmax(n->deg, 2 * P - 1);
    }
}

const layer_kind layer_maxpool = {.phase = CNN_PH_POOL, .plan = maxpool_plan, .adv = maxpool_adv,
                                  .reduce = rd_maxpool, .count = pool_count};
const layer_kind layer_globalmaxpool = {.phase = CNN_PH_POOL, .plan = maxpool_plan, .adv = maxpool_adv,
                                        .reduce = rd_maxpool, .count = pool_count};
const layer_kind layer_avgpool = {.phase = CNN_PH_POOL, .plan = avgpool_plan, .reduce = rd_avgpool,
                                  .count = pool_count};
const layer_kind layer_globalavgpool = {.phase = CNN_PH_POOL, .plan = avgpool_plan, .reduce = rd_avgpool,
                                        .count = pool_count};
