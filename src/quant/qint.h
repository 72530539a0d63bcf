/* qint.h -- internals shared by the quantizer (quant.c), the integer
 * engine and checker (engine.c) and the report (report.c). Not a public
 * header. */
#ifndef GKRCNN_QINT_H
#define GKRCNN_QINT_H

#include "quant.h"

/* rescale of quant.h section 1: |acc| + 2^(k-1) < 2^62, |k| <= Q_MAX_SHIFT
 * (guaranteed by q_model_validate's bound). rem = 0 when k <= 0. */
static inline int64_t q_rescale(int64_t acc, int k, int64_t *rem) {
    if (k <= 0) {
        *rem = 0;
        return (int64_t)((uint64_t)acc << -k); /* exact: |acc| 2^-k < 2^60 */
    }
    int64_t t = acc + ((int64_t)1 << (k - 1));
    int64_t q = t >= 0 ? t >> k : -((-t - 1) >> k) - 1; /* floor(t / 2^k) */
    *rem = t - (int64_t)((uint64_t)q << k);
    return q;
}

/* Broadcasting (numpy): element offsets of both operands of a binary op.
 * Every shape is right-aligned to the output's ndim; a dimension of 1
 * against a larger one has stride 0. */
typedef struct {
    int ndim;
    int64_t d[NN_MAX_DIMS];      /* output dims */
    int64_t st[2][NN_MAX_DIMS];  /* operand strides over the output dims */
} q_bcast;

/* 1 and fills bc when sa and sb broadcast to exactly so; 0 otherwise. */
int q_bcast_init(q_bcast *bc, const nn_shape *sa, const nn_shape *sb, const nn_shape *so);
/* offsets of output element i in both operands */
void q_bcast_off(const q_bcast *bc, int64_t i, int64_t *oa, int64_t *ob);

/* The shape of operand j of node nd (tensor shape or cshape). */
const nn_shape *q_operand_shape(const q_model *m, const q_node *nd, int j);

/* Number of cells an AvgPool counts for the window at (oy, ox) (count_include_pad:
 * cells inside the padded input; else real cells), and whether any real
 * cell exists. */
int64_t q_pool_count(const q_node *nd, int64_t H, int64_t W, int64_t oy, int64_t ox, int64_t *nreal);

/* Ops whose output is a rescaled accumulator (a linear combination of the
 * operands): Conv, FC, MatMul, Mul, Affine, Add, Sub, Concat. LeakyRelu
 * rescales too, but only on its negative branch. */
int q_op_rescales(nn_op op);

/* Shared by the integer engine and the circuits of src/layers, so both read
 * the same cells. AvgPool/GlobalAvgPool: the divisor n of output element i.
 * MaxPool/GlobalMaxPool: the number of window cells; for every pool
 * (max or average, windowed or global) the offset in x of window cell p of
 * output element i (-1 for a padding cell). The wiring ops (Pad, Transpose,
 * Slice, Resize; nn_wire_src): the offset in x of output element i, or -1
 * for a padded cell. */
int64_t q_avg_count(const q_model *m, const q_node *nd, int64_t i);
int64_t q_max_cells(const q_model *m, const q_node *nd);
int64_t q_max_cell(const q_model *m, const q_node *nd, int64_t i, int64_t p);
int64_t q_wire_src(const q_model *m, const q_node *nd, int64_t i);

/* One node of q_run: node ni's output and witness arrays from the tensors
 * already in w (allocated when absent, overwritten when present);
 * ZK_EINPUT with q_run's reason when the output leaves the range. q_run
 * runs it for every node in order; the malicious-prover tests re-run the
 * nodes after one they changed. */
zk_err q_run_node(const q_model *m, q_witness *w, size_t ni) ZK_WARN_UNUSED;
/* The accumulator of a node that has one (quant.h section 3: the linear
 * ops, LeakyRelu, the average pools) from the tensors t, in int64 (no range
 * check: the caller keeps the magnitudes small). */
void q_node_acc(const q_model *m, size_t ni, int64_t *const *t, int64_t *acc);

/* 2^(b_act-1), the activation bound. */
static inline int64_t q_act_bound(const q_model *m) { return (int64_t)1 << (m->s.b_act - 1); }

#endif
