/* layers.c -- the layer table (layers.h) and the per-node driver of the
 * proof: the integer check, then the node's reduction (papers/protocol.md
 * sec. 7.3 and 7.8.5).
 *
 * To add an operator: write its layer file (l_*.c: a layer_kind with its
 * plan, advice, reduction and count, opening with its sub-protocol and the
 * protocol.md paragraph it implements), declare its entry in layers.h and
 * list it below; the importer (src/onnx) and the quantizer (src/quant)
 * need their cases too (layers.h says which).
 */
#include "layers.h"

#include "../quant/qint.h"

static const layer_kind *const layer_table[] = {
    [NN_CONV] = &layer_conv,
    [NN_FC] = &layer_fc,
    [NN_MATMUL] = &layer_matmul,
    [NN_RELU] = &layer_relu,
    [NN_LEAKYRELU] = &layer_leakyrelu,
    [NN_MAXPOOL] = &layer_maxpool,
    [NN_AVGPOOL] = &layer_avgpool,
    [NN_GLOBALAVGPOOL] = &layer_globalavgpool,
    [NN_GLOBALMAXPOOL] = &layer_globalmaxpool,
    [NN_AFFINE] = &layer_affine,
    [NN_ADD] = &layer_add,
    [NN_SUB] = &layer_sub,
    [NN_MUL] = &layer_mul,
    [NN_RESHAPE] = &layer_reshape,
    [NN_PAD] = &layer_wire,
    [NN_TRANSPOSE] = &layer_wire,
    [NN_SLICE] = &layer_wire,
    [NN_RESIZE] = &layer_wire,
    [NN_CONCAT] = &layer_concat,
    [NN_CLIP] = &layer_clip,
    [NN_PRELU] = &layer_prelu,
    [NN_SOFTMAX] = &layer_softmax,
    [NN_LOGSOFTMAX] = &layer_logsoftmax,
};

const layer_kind *layer_of(nn_op op) {
    if (nn_is_lut(op)) return &layer_lut;
    if ((unsigned)op >= sizeof layer_table / sizeof layer_table[0]) return NULL;
    return layer_table[op];
}

layer_node layer_node_of(const pl_plan *p, size_t i) {
    int32_t ty = (int32_t)i + 1;
    return (layer_node){.i = i, .nd = &p->m->nodes[i], .ty = ty, .nv = p->tnv[ty], .ny = q_numel(p->m, ty)};
}

void layer_count_node(const layer_node *ln, layer_count *n, double cells, unsigned vars, double K, double P) {
    n->rounds += 4.0 * cells * (ln->nv + vars + 2);
    n->ids += 8.0 * cells * (ln->nv + 64);
    n->claims += 2.0 * K + 24.0 * (P + 1) + 40; /* at most this node's claims */
}

void layer_count_plain(const pl_plan *p, const layer_node *ln, layer_count *n) {
    (void)p;
    layer_count_node(ln, n, 1, 0, 0, 0);
}

/* A tensor no relation proves an integer (rule Q_INT_CHECK, quant.h;
 * protocol.md 7.7): its merged claim y(rho) = v also becomes the claim
 * Y(rho) = v + A I(rho) on its committed copy Y = y + A, whose limbs the
 * lookup keeps in [0, 2A). The producer's reduction then proves the same
 * value for the y its relation defines, so y = Y - A on the hypercube
 * (error nv / |F| at rho). */
static zk_err ychk_claim(cx *c, size_t i, const fp2 *rho, cx_v v) {
    const pl_qty *q = &c->pl->node[i].ychk;
    if (!q->nl) return ZK_OK;
    unsigned nv = c->pl->tnv[i + 1];
    cx_point(c, nv, 1);
    fp2 off = fp2_mul(cx_int(q_act_bound(c->m)), cx_ind_eval(q_numel(c->m, (int32_t)i + 1), rho, nv));
    return cx_claim_qty(c, q, rho, cx_v_addk(v, off), NULL);
}

zk_err layer_reduce(cx *c, size_t i, const fp2 *rho, cx_v v) {
    const q_node *nd = &c->m->nodes[i];
    const layer_kind *lk = layer_of(nd->op);
    CX_TRY(ychk_claim(c, i, rho, v));
    if (!lk || !lk->reduce) {
        zk_set_reason("layer %s: op %s has no circuit", nd->name, nn_op_name(nd->op));
        return ZK_EINPUT;
    }
    double t0 = cx_now();
    layer_node ln = layer_node_of(c->pl, i);
    c->where = nd->name;
    c->what = nn_op_name(nd->op);
    zk_err e = lk->reduce(c, &ln, rho, v);
    if (c->st) c->st->t[lk->phase] += cx_now() - t0;
    if (e == ZK_OK) c->where = NULL;
    return e;
}
