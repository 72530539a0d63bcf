/* l_lut.c -- element-wise functions by table lookup: Sigmoid, Tanh, Exp,
 * Erf, Gelu (both forms), Elu, Selu, Softplus, HardSigmoid, HardSwish,
 * Softsign (papers/protocol.md sec. 7.3 "Table lookups", 7.4 for the pair
 * columns, 7.8.5 for every message).
 *
 * Relation (quant.h sec. 3, "Table ops"): x = 2^s i + r with r in
 * [0, 2^s), and (i, y) a row of the node's table T = {(i, F(i))}, F(i) =
 * round(f(centre of cell i) 2^f_y) for the 2^(b_act - s) indices
 * i in [-2^(b_act-s-1), 2^(b_act-s-1)) whose F is in [-A, A) (q_lut_entry).
 * The table is public: prover and verifier compute it from the key.
 *
 * Sub-protocol (no challenge of its own). ADV holds the index I and the
 * value Y of every output element (their padding cells hold the table's
 * first row) and r (s bits, limbs); (I, Y) is a pair column of the lookup
 * (lookup.c), which proves every (I[o], Y[o]) a row of T. With R the map
 * that reads the real cells o < numel(y): y(rho) = v becomes the claim
 * R(Y)(rho) = v; the prover sends iota = R(I)(rho) (cnn/lut/i) and, when
 * s >= 1, R(r)(rho) (cnn/lut/r, then r's limbs), claims on I and r through
 * R; x gets the claim x(rho) = 2^s iota + R(r)(rho).
 * Per-tensor constraints: (I, Y) in T (lookup) makes y an integer in
 * [-A, A) (rule Q_INT_PRODUCER) and, with r in [0, 2^s) (lookup), x an
 * integer in [-A, A) (x is covered: Q_INT_CONSUMER, sec. 7.7).
 * Soundness: the claims' merges and the lookup (its pair-column term,
 * lookup.c) only.
 */
#include "../poly/mle.h"
#include "../quant/qint.h"
#include "layers.h"

void layer_pair_plan(pl_plan *p, const layer_node *ln, int tab) {
    pl_node *pn = &p->node[ln->i];
    pn->lreg[0] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    pn->lreg[1] = pl_add_region(p, PL_ADV, ln->nv, ln->ny);
    pn->ltab = tab;
    pl_add_fcol(p, pn->lreg[0], pn->lreg[1], tab);
}

void layer_pair_adv(const pl_plan *p, const layer_node *ln, fm61 *A, const int64_t *idx, const int64_t *y) {
    const pl_node *pn = &p->node[ln->i];
    const pl_tab *tb = &p->tab[pn->ltab];
    fm61 *I = A + p->reg[pn->lreg[0]].off, *Y = A + p->reg[pn->lreg[1]].off;
    for (int64_t o = 0; o < ln->ny; o++) I[o] = fm61_from_i64(idx[o]), Y[o] = fm61_from_i64(y[o]);
    for (int64_t o = ln->ny; o < ((int64_t)1 << ln->nv); o++) I[o] = tb->a[tb->first], Y[o] = tb->b[tb->first];
}

zk_err layer_pair_reduce(cx *c, const layer_node *ln, const fp2 *rho, cx_v v, int s) {
    const pl_node *pn = &c->pl->node[ln->i];
    cmap *R = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    for (int64_t o = 0; o < ln->ny; o++) R->src[o] = o;
    cx_claim_region(c, pn->lreg[1], rho, v, R);
    fp2 iota = fp2_zero();
    if (c->P) iota = cx_map_value(R, rho, cx_reg_table(c, pn->lreg[0]));
    cx_v iv;
    CX_TRY(cx_xfer_v(c, "cnn/lut/i", iota, &iv));
    cx_claim_region(c, pn->lreg[0], rho, iv, R);
    cx_v xv = cx_v_scale(c, iv, cx_pow2(s));
    if (pn->rem.nl) {
        fp2 rv = fp2_zero();
        if (c->P)
            for (int j = 0; j < pn->rem.nl; j++)
                rv = fp2_add(rv, fp2_mul(cx_map_value(R, rho, cx_reg_table(c, pn->rem.reg[j])),
                                         cx_pow2((int)c->pl->lb * j)));
        cx_v rvv;
        CX_TRY(cx_xfer_v(c, "cnn/lut/r", rv, &rvv));
        CX_TRY(cx_claim_qty(c, &pn->rem, rho, rvv, R));
        xv = cx_v_add(c, xv, rvv);
    }
    cx_claim_tensor(c, ln->nd->in[0], rho, xv, R);
    return ZK_OK;
}

/* r (s bits) when s >= 1, then I and Y, and the pair column (I, Y). */
static zk_err lut_plan(pl_plan *p, const layer_node *ln) {
    int s = (int)ln->nd->iattr[0];
    if (s >= 1) p->node[ln->i].rem = pl_qty_new(p, s, ln->nv, ln->ny);
    layer_pair_plan(p, ln, pl_lut_table(p, ln->i));
    return ZK_OK;
}

/* I = the witness's index (acc), Y = y. (r is the driver's: the witness's rem.) */
static void lut_adv(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A) {
    layer_pair_adv(p, ln, A, w->nodes[ln->i].acc, w->t[ln->i + 1]);
}

static zk_err rd_lut(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    return layer_pair_reduce(c, ln, rho, v, (int)ln->nd->iattr[0]);
}

const layer_kind layer_lut = {.phase = CNN_PH_ACT, .plan = lut_plan, .adv = lut_adv, .reduce = rd_lut,
                              .count = layer_count_plain};
