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
/* Whether Clip node nd is proven by its function table (x, clip(x)), x
 * over all of [-A, A) (src/layers/l_relu.c, protocol.md sec. 7.3 "Clip"):
 * when both bounds are comparisons, b_act <= Q_LUT_MAX_BITS, and the Clips
 * of the model with the same bounds and input scale (they share one table)
 * have outputs of at least 2^b_act cells in all, each counted padded to a
 * power of two. Else by comparisons. The table covers x (sec. 7.7). */
int q_clip_table(const q_model *m, const q_node *nd);
#ifdef ZK_VERIFY
/* Tests: -1 the rule above (the default), 0 never, 1 every Clip with an
 * active bound. */
void q_test_clip_table(int mode);
#endif
/* The Clip table's row k < 2^b_act: x = k - A and clip(x). */
int64_t q_clip_value(const q_node *nd, int64_t x);

/* ---- Softmax, LogSoftmax (lut.c; quant.h section 3 "Softmax") ----
 * iattr: [0] n, [1] inner (the groups, nn_group_cell), [2] f_e (the
 * exponentials' fractional bits), [3] s (the exp table's input shift),
 * [4] s2 (LogSoftmax: the log table's shift over S; 0 for Softmax). The
 * difference d = max - x in [0, 2A) splits as d = 2^(16+s) h + 2^s i + r
 * (i < 2^n_e, r < 2^s; h in {0, 1} only when b_act + 1 - s > 16). */
#define Q_SMAX_TAB_BITS 16
int q_smax_exp_bits(const q_model *m, const q_node *nd); /* n_e = min(16, b_act + 1 - s) */
int q_smax_has_h(const q_model *m, const q_node *nd);
/* E(i) = round(e^-(2^s i + (2^s - 1)/2) / 2^f_x) 2^f_e); e(d) = h ? 0 : E(i),
 * with *h, *i, *r the split of d. */
int64_t q_smax_E(const q_model *m, const q_node *nd, int64_t i);
int64_t q_smax_e(const q_model *m, const q_node *nd, int64_t d, int64_t *h, int64_t *i, int64_t *r);
/* LogSoftmax: l(j) = round(ln((2^s2 j + (2^s2 - 1)/2) / 2^f_e) 2^f_y): 1 and
 * *l when the centre is > 0 and l in [-A, A), else 0. */
int q_smax_log(const q_model *m, const q_node *nd, int64_t j, int64_t *l);
/* The exp table (2^n_e values E) or the log table (2^16 values l, or
 * Q_LUT_NONE), allocated; *first = the first position with a value. */
int64_t *q_smax_table(const q_model *m, const q_node *nd, int log_table, int64_t *first);
/* Setup: s (the least that keeps every d >= 2^(16+s) at e = 0 when an h bit
 * is needed) and, for LogSoftmax, s2 (2^(16+s2) > n 2^f_e), from f_x, f_e, n. */
void q_smax_pick(const q_model *m, q_node *nd);
/* The largest |e(d) 2^-f_e - e^(-d 2^-f_x)| over d in [0, 2A), and for
 * LogSoftmax the largest |l(S >> s2) 2^-f_x - ln(S 2^-f_e)| over the sums
 * S in [E(0), n 2^f_e] (0 for Softmax): the settings.json error terms. */
void q_smax_error(const q_model *m, const q_node *nd, double *eps_e, double *eps_l);
/* The node's own error on exact inputs (settings.json error_bound):
 * Softmax eps_e (1 + n) / (1 - eps_e) + half an output LSB (the division's
 * rounding); LogSoftmax eps_l + n eps_e / (1 - eps_e). */
double q_smax_bound(const q_model *m, const q_node *nd);

/* 2^(b_act-1), the activation bound. */
static inline int64_t q_act_bound(const q_model *m) { return (int64_t)1 << (m->s.b_act - 1); }

#endif
