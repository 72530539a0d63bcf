/* layers.h -- internal to src/layers: the layer table. Every operator the
 * CNN prover handles has one entry (layer_kind), kept in layer_table
 * (layers.c) and written in the file of its kind:
 *
 *   l_matmul.c       Conv, FC, MatMul, and the rescale step every rescaling
 *                    op shares (protocol.md sec. 7.3, 7.8.5)
 *   l_elementwise.c  Add, Sub, Mul, Concat, Affine
 *   l_relu.c         Relu, LeakyRelu, PRelu, Clip (comparisons, or a table)
 *   l_lut.c          the table ops: Sigmoid, Tanh, Exp, Erf, Gelu, Elu, Selu,
 *                    Softplus, HardSigmoid, HardSwish, Softsign; their pair
 *                    column (layer_pair_*) also serves a Clip by table
 *   l_softmax.c      Softmax, LogSoftmax
 *   l_pool.c         MaxPool, GlobalMaxPool, AveragePool, GlobalAveragePool
 *   l_shape.c        Reshape, and the wiring ops Pad, Transpose, Slice, Resize
 *
 * pl_build, pl_weights and pl_adv (plan.c: the layout and the two committed
 * tables), layer_reduce (the node loop of cnn_run) and the soundness bounds
 * of keys.c loop over the table; nothing else in src/layers switches on
 * the op.
 *
 * Adding an operator means: its importer case (src/onnx/import.c, with its
 * float reference and shape rule in src/nn), its quantization rule
 * (src/quant: how q_quantize scales it, how q_run computes it, its
 * relation in quant.h sec. 3 and field bound in sec. 4, its rule in
 * q_int_rules), and its layer file here with its entry in layer_table:
 * what it plans, what it stores in ADV, how it reduces its output claim and
 * what it adds to the soundness count (plan data of a new shape also need
 * their fields in pl_node, plan.h). The Plonkish baseline (src/plonkish)
 * has gates of its own and refuses an op it lacks.
 *
 * Per node the driver (plan.c) first creates the rescale remainder (an
 * entry with .rescales, shift k >= 1: a quantity of k bits the witness
 * fills from q_nwit.rem) and the integer check of a Q_INT_CHECK output
 * (protocol.md sec. 7.7), then calls the entry's plan; at proof time
 * (layer_reduce) it runs the integer check on the merged output claim, then
 * the entry's reduce.
 */
#ifndef GKRCNN_LAYERS_LAYERS_H
#define GKRCNN_LAYERS_LAYERS_H

#include "cx.h"

/* A node's share of the plan's soundness bounds (keys.c, protocol.md sec.
 * 6 and 7.6), a deliberate over-count: the sumcheck rounds and the
 * identity variables for cnn_soundness_bits, the largest degree a single
 * challenge of the node must avoid and the claims it can make on one
 * target for cnn_rbr_bits. The driver adds the integer check's terms. */
typedef struct {
    double rounds; /* sumcheck rounds of degree <= 3 */
    double ids;    /* identities tested at a random point, times their variables */
    double deg;    /* largest degree of one challenge (a max with the others) */
    double claims; /* claims on one target (a merge of m claims: degree m - 1) */
} layer_count;

/* A node as the table's functions see it (layer_node_of). */
typedef struct {
    size_t i;         /* its index */
    const q_node *nd;
    int32_t ty;       /* its output tensor, i + 1 */
    unsigned nv;      /* the output's variables, tnv(ty) */
    int64_t ny;       /* the output's elements, numel(ty) */
} layer_node;

layer_node layer_node_of(const pl_plan *p, size_t i);

typedef struct {
    int phase;    /* CNN_PH_*: where cnn_stats counts its reduction's time */
    int rescales; /* the output rescales an accumulator by 2^-k: a remainder of k bits when k >= 1 */
    /* The node's own layout (geometry, W regions, ADV quantities with their
     * lookup columns), after the remainder and the integer check; NULL:
     * none. ZK_EINPUT with a reason when the node cannot be proved. */
    zk_err (*plan)(pl_plan *p, const layer_node *ln);
    /* Its W regions other than bias (breg) and constant (creg), which
     * pl_weights copies from the node; NULL: none. */
    void (*weights)(const pl_plan *p, const layer_node *ln, fm61 *W);
    /* Its ADV values other than the remainder and the integer check, from
     * the witness (pl_qty_put); NULL: none. */
    void (*adv)(const pl_plan *p, const q_witness *w, const layer_node *ln, fm61 *A);
    /* Both roles: the merged claim y(rho) = v on the node's output becomes
     * claims on its inputs, regions and quantities (protocol.md sec. 7.8.5). */
    zk_err (*reduce)(cx *c, const layer_node *ln, const fp2 *rho, cx_v v);
    /* Adds its terms to n (layer_count_node for the usual shape). */
    void (*count)(const pl_plan *p, const layer_node *ln, layer_count *n);
} layer_kind;

/* The entry of op, or NULL: the op has no circuit. */
const layer_kind *layer_of(nn_op op);

/* Both roles: the integer check (ychk_claim) and the reduction of node i
 * from the merged claim (rho, v) on its output; times it in c->st. */
zk_err layer_reduce(cx *c, size_t i, const fp2 *rho, cx_v v) ZK_WARN_UNUSED;

/* The usual count: `cells` sumchecks of at most nv(y) + vars + 2 rounds
 * and identities, K kernel positions and P window cells making claims. */
void layer_count_node(const layer_node *ln, layer_count *n, double cells, unsigned vars, double K, double P);

/* The .count of a node with one sumcheck (or none) of nv(y) + 2 rounds and
 * no kernel or window claims: layer_count_node(ln, n, 1, 0, 0, 0). */
void layer_count_plain(const pl_plan *p, const layer_node *ln, layer_count *n);

/* y = rescale(acc) (l_matmul.c; Conv, FC, MatMul, Mul, Affine, Add, Sub, Concat):
 * from the claim y(rho) = v, claims on the remainder and *acc_v = acc(rho). */
zk_err rd_rescale(cx *c, const layer_node *ln, const fp2 *rho, cx_v v, cx_v *acc_v) ZK_WARN_UNUSED;

/* A node's output as a pair column (l_lut.c; the table ops, and a Clip
 * proven by its table): ADV regions I, Y of the output's shape, whose
 * entries must be rows of table tab (lreg, ltab); layer_pair_adv stores
 * I = idx and Y = y (padding: the table's first row); layer_pair_reduce
 * turns y(rho) = v into claims on Y and I and x(rho) = 2^s R(I)(rho) +
 * R(r)(rho) (r the remainder, present when s >= 1). */
void layer_pair_plan(pl_plan *p, const layer_node *ln, int tab);
void layer_pair_adv(const pl_plan *p, const layer_node *ln, fm61 *A, const int64_t *idx, const int64_t *y);
zk_err layer_pair_reduce(cx *c, const layer_node *ln, const fp2 *rho, cx_v v, int s) ZK_WARN_UNUSED;

/* The entries, one per op (l_*.c). */
extern const layer_kind layer_conv, layer_fc, layer_matmul;
extern const layer_kind layer_add, layer_sub, layer_mul, layer_concat, layer_affine;
extern const layer_kind layer_relu, layer_leakyrelu;
extern const layer_kind layer_maxpool, layer_globalmaxpool, layer_avgpool, layer_globalavgpool;
extern const layer_kind layer_reshape, layer_wire; /* layer_wire: Pad, Transpose, Slice, Resize */
extern const layer_kind layer_lut;                 /* the table ops, nn_is_lut */
extern const layer_kind layer_clip, layer_prelu;
extern const layer_kind layer_softmax, layer_logsoftmax;

#endif
