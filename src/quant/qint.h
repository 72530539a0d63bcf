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

/* ---- table-lookup ops (nn_is_lut; lut.c, quant.h section 3 "Table ops") ----
 * A node's iattr: [0] the input shift s (the table has 2^(b_act - s)
 * entries, input x = 2^s i + r with r in [0, 2^s)), [1..NN_LUT_NPAR] the
 * IEEE-754 binary64 bits of the function's parameters (nn_lut_params). */
#define Q_LUT_MAX_BITS 16        /* at most 2^16 table entries */
#define Q_LUT_MAX_ACT 20         /* setup computes the error over every calibrated input: b_act <= 20 */
#define Q_LUT_NONE INT64_MIN     /* a table index whose f is outside [-A, A) */
void q_lut_par(const q_node *nd, double par[NN_LUT_NPAR]);
void q_lut_set_par(q_node *nd, const double par[NN_LUT_NPAR]);
/* 1 when the parameter slots the op does not use are 0 (canonical). */
int q_lut_par_canonical(const q_node *nd);
/* b_act - s: the table has 2^bits entries, index i in [-2^(bits-1), 2^(bits-1)). */
int q_lut_bits(const q_model *m, const q_node *nd);
/* F(i) = round(f(x_c / 2^f_x) 2^f_y), x_c = 2^s i + (2^s - 1)/2 the centre
 * of the cell, half away from zero: 1 and *y when it is in [-A, A), else 0. */
int q_lut_entry(const q_model *m, const q_node *nd, int64_t i, int64_t *y);
/* F at table position k = i + 2^(bits-1), k < 2^bits (Q_LUT_NONE where 0
 * above), allocated; *first = the first position with a value, or -1. */
int64_t *q_lut_table(const q_model *m, const q_node *nd, int64_t *first);
/* The table index of input x (floor(x / 2^s)) and *r = x - 2^s i. */
int64_t q_lut_index(const q_node *nd, int64_t x, int64_t *r);
/* Setup: the largest shift s (with at most 2^Q_LUT_MAX_BITS entries) whose
 * table is within one output LSB of f at every integer input of the
 * calibrated range |x| <= ceil(range_x 2^f_x) (needs f_x, f_y, the range
 * and the parameters set); q_lut_error: that maximum error for the node's
 * own s, in output units (inf when an input there has no table value). */
int q_lut_shift(const q_model *m, const q_node *nd);
double q_lut_error(const q_model *m, const q_node *nd);

/* Clip (iattr[0] = lo, iattr[1] = hi, -A <= lo <= hi <= A - 1): a bound is
 * a comparison when some activation lies beyond it (lo > -A, hi < A - 1);
 * q_clip_zero: one of them is 0 (its check proves x in [-A, A)). */
static inline int q_clip_zero(const q_node *nd) { return nd->iattr[0] == 0 || nd->iattr[1] == 0; }

/* 2^(b_act-1), the activation bound. */
static inline int64_t q_act_bound(const q_model *m) { return (int64_t)1 << (m->s.b_act - 1); }

#endif
