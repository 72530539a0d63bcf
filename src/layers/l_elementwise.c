/* l_elementwise.c -- Add, Sub, Mul (two operands, numpy broadcasting,
 * either may be a constant), Concat (two operands joined along an axis,
 * either may be a constant) and Affine (BatchNormalization: a per-channel
 * scale and shift), each followed by the rescale of l_matmul.c
 * (papers/protocol.md sec. 7.3 "Mul", "Add/Sub", "Concat", "Affine";
 * sec. 7.8.5).
 *
 * Relations (quant.h sec. 3): acc = A B;  acc = 2^al0 A +- 2^al1 B;
 * acc = x S_c + T_c; then y = rescale(acc). A and B are the operands
 * broadcast to the output (a constant operand is a W region); for Concat
 * they are the operands placed in the output (0 in the other operand's
 * cells: the maps have src -1 there, pad 0), so Concat is Add's reduction
 * with these maps.
 *
 * Sub-protocol, after the rescale gave acc(rho) = a:
 *   Mul: one degree-3 sumcheck  sum_o eq(rho, o) A(o) B(o) = a; the prover
 *     sends A and B at its point (cnn/eval), claims on the operands
 *     through their broadcast maps;
 *   Add/Sub/Concat: the prover sends A(rho) (cnn/add/a); B(rho) =
 *     +-(a - 2^al0 A(rho)) / 2^al1 follows (Concat: +); each becomes a
 *     claim on its operand through its map;
 *   Affine: the prover sends the shift part t (cnn/affine/t), a claim on
 *     T through the channel map; then one degree-3 sumcheck
 *     sum_o eq(rho, o) x(o) S_c(o) = a - t, claims on x and on S.
 * Per-tensor constraints: the rescale's remainder; the output's integer
 * check where it needs one.
 * Soundness: Mul and Affine one sumcheck of nv(y) rounds of degree 3
 * (cx_sc counts it); Add/Sub/Concat none.
 */
#include <stdlib.h>

#include "../poly/mle.h"
#include "../quant/qint.h"
#include "layers.h"

/* Affine: the scale S (nw entries), then the shift T (nb); Mul, Add, Sub:
 * the constant operand (nw entries), if any. */
static zk_err ew_plan(pl_plan *p, const layer_node *ln) {
    const q_node *nd = ln->nd;
    pl_node *pn = &p->node[ln->i];
    if (nd->op == NN_AFFINE) {
        pn->creg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nw), (int64_t)nd->nw);
        pn->breg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nb), (int64_t)nd->nb);
    } else if (nd->nw) {
        pn->creg = pl_add_region(p, PL_W, pl_log2((int64_t)nd->nw), (int64_t)nd->nw);
    }
    return ZK_OK;
}

/* Map of operand j of a binary node over the output layout: its
 * broadcast map, or for Concat its placement (-1 in the other operand's
 * cells). */
static cmap *bcast_map(cx *c, const layer_node *ln, int j) {
    const nn_shape *A = q_operand_shape(c->m, ln->nd, 0), *B = q_operand_shape(c->m, ln->nd, 1);
    const nn_shape *Y = &c->m->tensors[ln->ty].shape;
    cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    if (ln->nd->op == NN_CONCAT) {
        for (int64_t o = 0; o < ln->ny; o++) {
            int64_t off;
            mp->src[o] = nn_concat_src(ln->nd->iattr[0], A, B, Y, o, &off) == j ? off : -1;
        }
        return mp;
    }
    q_bcast bc;
    ZK_CHECK(q_bcast_init(&bc, A, B, Y));
    for (int64_t o = 0; o < ln->ny; o++) {
        int64_t oa, ob;
        q_bcast_off(&bc, o, &oa, &ob);
        mp->src[o] = j ? ob : oa;
    }
    return mp;
}

/* A claim on operand j of a binary node (tensor or constant region). */
static void claim_operand(cx *c, const layer_node *ln, int j, const fp2 *pt, cx_v val, cmap *mp) {
    if (ln->nd->in[j] >= 0) cx_claim_tensor(c, ln->nd->in[j], pt, val, mp);
    else {
        int r = c->pl->node[ln->i].creg;
        const pl_region *rg = &c->pl->reg[r];
        cx_claim_region(c, r, pt, val, cx_map_simplify(mp, rg->len, rg->nv));
    }
}

/* Prover: the operand's broadcast values as an fp2 table over the output. */
static fp2 *operand_table(const cx *c, const layer_node *ln, int j, const cmap *mp) {
    const fm61 *T = ln->nd->in[j] >= 0 ? c->tv[ln->nd->in[j]] : cx_reg_table(c, c->pl->node[ln->i].creg);
    fp2 *t = zk_calloc((size_t)1 << mp->nv, sizeof *t);
    for (int64_t o = 0; o < mp->len; o++) t[o] = fp2_from_fm61(T[mp->src[o]]);
    return t;
}

static zk_err rd_mul(cx *c, const layer_node *ln, const fp2 *rho, cx_v a) {
    cmap *ma = bcast_map(c, ln, 0), *mb = bcast_map(c, ln, 1);
    fp2 *tabs[3] = {NULL, NULL, NULL};
    if (c->P) {
        tabs[1] = operand_table(c, ln, 0, ma);
        tabs[2] = operand_table(c, ln, 1, mb);
    }
    vp_term t = {.c = fp2_one(), .k = 3, .t = {0, 1, 2}};
    int send[3] = {0, 1, 1};
    fp2 vals[3], red, *r;
    cx_pool vpp[3];
    zk_err e = cx_sc_eq(c, tabs, 3, &t, 1, ln->nv, a, 0, rho, &r, &red, vals, send, vpp);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    CX_TRY(e);
    vals[0] = mle_eq_eval(rho, r, ln->nv);
    CX_TRY(cx_sc_check(c, &t, 1, vals, red, "product sumcheck"));
    claim_operand(c, ln, 0, r, cx_fin(vals, vpp, 1), ma);
    claim_operand(c, ln, 1, r, cx_fin(vals, vpp, 2), mb);
    return ZK_OK;
}

static zk_err rd_addsub(cx *c, const layer_node *ln, const fp2 *rho, cx_v a) {
    const q_node *nd = ln->nd;
    cmap *ma = bcast_map(c, ln, 0), *mb = bcast_map(c, ln, 1);
    fp2 av = fp2_zero();
    if (c->P) {
        const fm61 *T = nd->in[0] >= 0 ? c->tv[nd->in[0]] : cx_reg_table(c, c->pl->node[ln->i].creg);
        av = cx_map_value(ma, rho, T);
    }
    cx_v avv;
    CX_TRY(cx_xfer_v(c, "cnn/add/a", av, &avv));
    /* acc = 2^al0 A +- 2^al1 B */
    fp2 sb = cx_inv_pow2(nd->align[1]);
    if (nd->op == NN_SUB) sb = fp2_neg(sb);
    cx_v bv = cx_v_scale(c, cx_v_sub(c, a, cx_v_scale(c, avv, cx_pow2(nd->align[0]))), sb);
    claim_operand(c, ln, 0, rho, avv, ma);
    claim_operand(c, ln, 1, rho, bv, mb);
    return ZK_OK;
}

static zk_err rd_affine(cx *c, const layer_node *ln, const fp2 *rho, cx_v a) {
    const pl_node *pn = &c->pl->node[ln->i];
    const nn_shape *X = &c->m->tensors[ln->nd->in[0]].shape;
    int64_t C = X->d[1], inner = 1;
    for (int d = 2; d < X->ndim; d++) inner *= X->d[d];
    cmap *cm = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    for (int64_t o = 0; o < ln->ny; o++) cm->src[o] = (o / inner) % C;
    fp2 tvv = fp2_zero();
    if (c->P) tvv = cx_map_value(cm, rho, cx_reg_table(c, pn->breg));
    cx_v tv;
    CX_TRY(cx_xfer_v(c, "cnn/affine/t", tvv, &tv));
    cx_claim_region(c, pn->breg, rho, tv, cm);
    fp2 *tabs[3] = {NULL, NULL, NULL};
    if (c->P) {
        tabs[1] = cx_tensor_table(c, ln->nd->in[0]);
        tabs[2] = zk_calloc((size_t)1 << ln->nv, sizeof(fp2));
        const fm61 *S = cx_reg_table(c, pn->creg);
        for (int64_t o = 0; o < ln->ny; o++) tabs[2][o] = fp2_from_fm61(S[cm->src[o]]);
    }
    vp_term t = {.c = fp2_one(), .k = 3, .t = {0, 1, 2}};
    int send[3] = {0, 1, 1};
    fp2 vals[3], red, *r;
    cx_pool vpp[3];
    zk_err e = cx_sc_eq(c, tabs, 3, &t, 1, ln->nv, cx_v_sub(c, a, tv), 0, rho, &r, &red, vals, send, vpp);
    for (int j = 0; j < 3; j++) free(tabs[j]);
    CX_TRY(e);
    vals[0] = mle_eq_eval(rho, r, ln->nv);
    CX_TRY(cx_sc_check(c, &t, 1, vals, red, "scale sumcheck"));
    cx_claim_tensor(c, ln->nd->in[0], r, cx_fin(vals, vpp, 1), NULL);
    cx_claim_region(c, pn->creg, r, cx_fin(vals, vpp, 2), cm);
    return ZK_OK;
}

static zk_err ew_reduce(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    nn_op op = ln->nd->op;
    cx_v a;
    CX_TRY(rd_rescale(c, ln, rho, v, &a));
    return op == NN_MUL ? rd_mul(c, ln, rho, a) : op == NN_AFFINE ? rd_affine(c, ln, rho, a) : rd_addsub(c, ln, rho, a);
}

const layer_kind layer_add = {.phase = CNN_PH_OTHER, .rescales = 1, .plan = ew_plan, .reduce = ew_reduce,
                              .count = layer_count_plain};
const layer_kind layer_sub = {.phase = CNN_PH_OTHER, .rescales = 1, .plan = ew_plan, .reduce = ew_reduce,
                              .count = layer_count_plain};
const layer_kind layer_mul = {.phase = CNN_PH_OTHER, .rescales = 1, .plan = ew_plan, .reduce = ew_reduce,
                              .count = layer_count_plain};
const layer_kind layer_concat = {.phase = CNN_PH_OTHER, .rescales = 1, .plan = ew_plan, .reduce = ew_reduce,
                                 .count = layer_count_plain};
const layer_kind layer_affine = {.phase = CNN_PH_OTHER, .rescales = 1, .plan = ew_plan, .reduce = ew_reduce,
                                 .count = layer_count_plain};
