/* quant.c -- q_model: building it from a calibrated nn_graph, validating
 * it (shapes, scales, the field bound of quant.h section 4), and its strict
 * binary encoding. */
#include <math.h>
#include <string.h>

#include "qint.h"

#define Q_MAGIC "GKRQMOD1"
#define Q_VERSION 1u
#define Q_VERSION_VIS 2u /* version 1 and the output visibility (q_settings.out_vis) */
#define Q_VERSION_ZK 3u  /* version 2 (any output visibility), the input visibility and the zero-knowledge pool (q_settings.in_vis, zk_mc) */
#define Q_SKEL_MAGIC "GKRQSKL1"
#define Q_MAX_NAME 4096
#define Q_MAX_DIM ((int64_t)1 << 24)  /* per dimension */
#define Q_MAX_WIN ((int64_t)1 << 20)  /* kernel, stride, dilation, pad */
#define Q_MAX_NODES ((uint32_t)1 << 20)

void q_settings_default(q_settings *s) {
    s->b_act = 16;
    s->b_w = 12;
    s->f_min = -8;
    s->f_max = 40;
    s->out_vis = Q_OUT_PUBLIC;
    s->in_vis = Q_IN_PUBLIC;
    s->zk_mc = 0;
}

const char *q_in_vis_name(int v) {
    switch (v) {
    case Q_IN_PUBLIC: return "public";
    case Q_IN_PRIVATE: return "private";
    }
    return "?";
}

const char *q_out_vis_name(int v) {
    switch (v) {
    case Q_OUT_PUBLIC: return "public";
    case Q_OUT_CLASS: return "class";
    case Q_OUT_PRIVATE: return "private";
    }
    return "?";
}

int q_op_rescales(nn_op op) {
    switch (op) {
    case NN_CONV:
    case NN_FC:
    case NN_MATMUL:
    case NN_MUL:
    case NN_AFFINE:
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT: return 1;
    default: return 0;
    }
}

/* A Concat whose every output cell is one operand cell unchanged: both
 * alignments and the shift 0 (its operands' and output's scales agree). */
static int q_concat_exact(const q_node *nd) {
    return nd->op == NN_CONCAT && nd->k == 0 && nd->align[0] == 0 && nd->align[1] == 0;
}

/* Whether node nd's relations make its output an integer in [-A, A)
 * whenever its inputs are (quant.h, Q_INT_PRODUCER). An exact shift
 * y = acc 2^-k (k <= 0) is an integer but not bounded by its inputs'
 * range (q_run refuses an input that overflows it; a verifier cannot
 * know q_run would have), so it is not one of them; an exact Concat, whose
 * cells are its operands' (or its constant's, |w| < A), is. */
static int q_produces_int(const q_node *nd) {
    switch (nd->op) {
    case NN_RELU:
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL:
    case NN_RESHAPE:
    case NN_PAD:
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE:
    case NN_CLIP:
    case NN_SOFTMAX: return 1; /* Softmax: y in [0, A) by its own check */
    case NN_CONCAT: return q_concat_exact(nd);
    default: return nn_is_lut(nd->op); /* y is a table value, in [-A, A) */
    }
}

/* Whether node nd's own checks prove its first operand an integer in
 * [-A, A) (quant.h, Q_INT_CONSUMER): a Relu, LeakyRelu or PRelu (the sign
 * check, u in [0, A)), a table lookup (x = 2^s i + r with i a table index
 * and r in [0, 2^s)), a Clip with a bound at 0 (the sign check of that
 * bound is a Relu's) or proven by its table (x is a row's first entry). */
static int q_covers_input(const q_model *m, const q_node *nd) {
    if (nd->op == NN_RELU || nd->op == NN_LEAKYRELU || nd->op == NN_PRELU || nn_is_lut(nd->op)) return 1;
    return nd->op == NN_CLIP && (q_clip_zero(nd) || q_clip_table(m, nd));
}

/* Whether every cell of node nd's computed operands is some cell of its
 * output, unchanged: then a proof that the output is an integer in
 * [-A, A) proves the operands are (quant.h, Q_INT_CONSUMER). Reshape and
 * Transpose (bijections), Resize (each cell repeated: floor((o + off)/s)
 * climbs by at most 1 from 0 to X_d - 1), a Slice that keeps every cell of
 * every axis (steps +-1), an exact Concat. */
static int q_passes_back(const q_model *m, const q_node *nd) {
    switch (nd->op) {
    case NN_RESHAPE:
    case NN_TRANSPOSE:
    case NN_RESIZE: return 1;
    case NN_SLICE: {
        const nn_shape *X = &m->tensors[nd->in[0]].shape, *Y = &m->tensors[(nd - m->nodes) + 1].shape;
        for (int d = 0; d < X->ndim; d++)
            if (Y->d[d] != X->d[d] || (nd->iattr[X->ndim + d] != 1 && nd->iattr[X->ndim + d] != -1)) return 0;
        return 1;
    }
    case NN_CONCAT: return q_concat_exact(nd);
    default: return 0;
    }
}

void q_int_rules(const q_model *m, q_int_rule *rule) {
    /* read[t], covered[t]: by a live node, i.e. one whose output is the
     * graph output or read by a live node. A dead node is never reduced by
     * the CNN proof (no claim reaches its output), so its reads prove
     * nothing: a dead ReLU must not cover its input (issue 11). */
    uint8_t *read = zk_calloc(m->ntensors, 1), *covered = zk_calloc(m->ntensors, 1);
    /* node j's output j + 1 is final once every node after j is seen */
    for (size_t j = m->nnodes + 1; j-- > 0;) {
        int32_t t = (int32_t)j;
        if (t == m->output && m->s.out_vis != Q_OUT_PUBLIC) read[t] = 1; /* the argmax or the commitment reads it */
        if (t == 0) rule[t] = Q_INT_INPUT;
        else if (t == m->output && m->s.out_vis == Q_OUT_PUBLIC) rule[t] = Q_INT_OUTPUT;
        else if (!read[t]) rule[t] = Q_INT_UNUSED;
        else if (covered[t]) rule[t] = Q_INT_CONSUMER;
        else if (q_produces_int(&m->nodes[t - 1])) rule[t] = Q_INT_PRODUCER;
        else rule[t] = Q_INT_CHECK;
        if (j == 0) break;
        if (rule[t] == Q_INT_UNUSED) continue; /* node j - 1 is dead */
        const q_node *nd = &m->nodes[j - 1];
        q_int_rule out = rule[t];
        int relu = q_covers_input(m, nd);
        int back = q_passes_back(m, nd) && (out == Q_INT_INPUT || out == Q_INT_OUTPUT || out == Q_INT_CONSUMER);
        for (int k = 0; k < 2; k++)
            if (nd->in[k] >= 0) {
                read[nd->in[k]] = 1;
                if ((relu && k == 0) || back) covered[nd->in[k]] = 1;
            }
    }
    free(read);
    free(covered);
}

const char *q_int_rule_name(q_int_rule r) {
    switch (r) {
    case Q_INT_INPUT: return "public input";
    case Q_INT_OUTPUT: return "public output";
    case Q_INT_CONSUMER: return "proven by a consumer";
    case Q_INT_PRODUCER: return "integer by its producer";
    case Q_INT_UNUSED: return "unused";
    case Q_INT_CHECK: return "range-checked";
    }
    return "?";
}

void q_model_free(q_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->ntensors; i++) free(m->tensors[i].name);
    for (size_t i = 0; i < m->nnodes; i++) {
        free(m->nodes[i].name);
        free(m->nodes[i].w);
        free(m->nodes[i].b);
    }
    free(m->tensors);
    free(m->nodes);
    free(m);
}

int64_t q_numel(const q_model *m, int32_t tensor) {
    ZK_CHECK(tensor >= 0 && (size_t)tensor < m->ntensors);
    const nn_shape *s = &m->tensors[tensor].shape;
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) n *= s->d[i];
    return n;
}

/* ---------------------------------------------------------------- shapes */

/* numel of a shape with 1..NN_MAX_DIMS dims in [1, Q_MAX_DIM] and numel <=
 * Q_MAX_NUMEL; -1 when the shape is not such a shape. */
static int64_t q_shape_numel(const nn_shape *s) {
    if (s->ndim < 1 || s->ndim > NN_MAX_DIMS) return -1;
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) {
        if (s->d[i] < 1 || s->d[i] > Q_MAX_DIM) return -1;
        if (n > Q_MAX_NUMEL / s->d[i]) return -1;
        n *= s->d[i];
    }
    return n;
}

static int q_shape_eq(const nn_shape *a, const nn_shape *b) {
    if (a->ndim != b->ndim) return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->d[i] != b->d[i]) return 0;
    return 1;
}

int q_bcast_init(q_bcast *bc, const nn_shape *sa, const nn_shape *sb, const nn_shape *so) {
    const nn_shape *s[2] = {sa, sb};
    memset(bc, 0, sizeof *bc);
    bc->ndim = so->ndim;
    if (sa->ndim > so->ndim || sb->ndim > so->ndim) return 0;
    if (sa->ndim != so->ndim && sb->ndim != so->ndim) return 0;
    for (int i = 0; i < so->ndim; i++) bc->d[i] = so->d[i];
    for (int j = 0; j < 2; j++) {
        int off = so->ndim - s[j]->ndim;
        int64_t stride = 1;
        for (int i = so->ndim - 1; i >= 0; i--) {
            int64_t dj = i >= off ? s[j]->d[i - off] : 1;
            if (dj == so->d[i])
                bc->st[j][i] = dj == 1 ? 0 : stride;
            else if (dj == 1)
                bc->st[j][i] = 0;
            else
                return 0;
            stride *= dj;
        }
    }
    /* the output dim is the larger of the two (numpy): no dim of so may
     * exceed both operands' dims */
    for (int i = 0; i < so->ndim; i++) {
        int64_t mx = 1;
        for (int j = 0; j < 2; j++) {
            int off = so->ndim - s[j]->ndim;
            if (i >= off && s[j]->d[i - off] > mx) mx = s[j]->d[i - off];
        }
        if (mx != so->d[i]) return 0;
    }
    return 1;
}

void q_bcast_off(const q_bcast *bc, int64_t i, int64_t *oa, int64_t *ob) {
    int64_t a = 0, b = 0;
    for (int d = bc->ndim - 1; d >= 0; d--) {
        int64_t c = i % bc->d[d];
        i /= bc->d[d];
        a += c * bc->st[0][d];
        b += c * bc->st[1][d];
    }
    *oa = a;
    *ob = b;
}

const nn_shape *q_operand_shape(const q_model *m, const q_node *nd, int j) {
    return nd->in[j] >= 0 ? &m->tensors[nd->in[j]].shape : &nd->cshape;
}

int64_t q_pool_count(const q_node *nd, int64_t H, int64_t W, int64_t oy, int64_t ox, int64_t *nreal) {
    int64_t cnt[2][2] = {{0, 0}, {0, 0}}; /* [axis][0 real, 1 inside padded input] */
    int64_t lim[2] = {H, W}, o[2] = {oy, ox};
    for (int a = 0; a < 2; a++) {
        int64_t start = o[a] * nd->strides[a] - nd->pads[a];
        for (int64_t t = 0; t < nd->kernel[a]; t++) {
            int64_t p = start + t * nd->dil[a];
            cnt[a][0] += p >= 0 && p < lim[a];
            cnt[a][1] += p >= -nd->pads[a] && p < lim[a] + nd->pads[a + 2];
        }
    }
    *nreal = cnt[0][0] * cnt[1][0];
    return nd->count_include_pad ? cnt[0][1] * cnt[1][1] : *nreal;
}

/* ------------------------------------------------------------ validation */

enum {
    QF_W = 1,
    QF_B = 2,
    QF_FW = 4,
    QF_K = 8,
    QF_AL = 16,
    QF_ALPHA = 32,
    QF_PADV = 64,
    QF_WIN = 128,
    QF_GRP = 256,
    QF_CEIL = 512,
    QF_CIP = 1024,
    QF_IATTR = 2048,
};

static unsigned q_fields(const q_node *nd) {
    int has_const = nd->in[0] < 0 || nd->in[1] < 0;
    switch (nd->op) {
    case NN_CONV: return QF_W | QF_B | QF_FW | QF_K | QF_WIN | QF_GRP;
    case NN_FC:
    case NN_AFFINE: return QF_W | QF_B | QF_FW | QF_K;
    case NN_MATMUL: return QF_K;
    case NN_MUL: return (has_const ? QF_W | QF_FW : 0) | QF_K;
    case NN_ADD:
    case NN_SUB: return (has_const ? QF_W | QF_FW : 0) | QF_K | QF_AL;
    case NN_LEAKYRELU: return QF_FW | QF_K | QF_ALPHA;
    case NN_MAXPOOL: return QF_WIN | QF_CEIL;
    case NN_AVGPOOL: return QF_WIN | QF_CEIL | QF_CIP;
    case NN_PAD: return QF_PADV | QF_IATTR;
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: return QF_IATTR;
    case NN_CONCAT: return (has_const ? QF_W | QF_FW : 0) | QF_K | QF_AL | QF_IATTR;
    case NN_PRELU: return QF_W | QF_FW | QF_K;
    case NN_CLIP:
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: return QF_IATTR;
    case NN_RELU:
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL:
    case NN_RESHAPE: return 0;
    default: return nn_is_lut(nd->op) ? QF_IATTR : 0;
    }
}

static int q_all_zero(const int64_t *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (v[i]) return 0;
    return 1;
}

/* Unused fields must be zero: the encoding of a model is canonical. */
static int q_unused_zero(const q_node *nd, unsigned f) {
    if (!(f & QF_W) && (nd->cshape.ndim != 0 || nd->nw != 0)) return 0;
    if (!(f & QF_B) && nd->nb != 0) return 0;
    if (!(f & QF_FW) && nd->f_w != 0) return 0;
    if (!(f & QF_K) && nd->k != 0) return 0;
    if (!(f & QF_AL) && (nd->align[0] || nd->align[1])) return 0;
    if (!(f & QF_ALPHA) && nd->alpha != 0) return 0;
    if (!(f & QF_PADV) && nd->pad != 0) return 0;
    if (!(f & QF_WIN) && !(q_all_zero(nd->kernel, 2) && q_all_zero(nd->strides, 2) && q_all_zero(nd->pads, 4) &&
                           q_all_zero(nd->dil, 2)))
        return 0;
    if (!(f & QF_GRP) && nd->group != 0) return 0;
    if (!(f & QF_CEIL) && nd->ceil_mode != 0) return 0;
    if (!(f & QF_CIP) && nd->count_include_pad != 0) return 0;
    if (!(f & QF_IATTR) && !q_all_zero(nd->iattr, 2 * NN_MAX_DIMS)) return 0;
    if (nd->cshape.ndim == 0 && !q_all_zero(nd->cshape.d, NN_MAX_DIMS)) return 0;
    for (int i = nd->cshape.ndim; i < NN_MAX_DIMS && i >= 0; i++)
        if (nd->cshape.d[i]) return 0;
    return 1;
}

/* Window geometry of Conv and the pools on X [N,C,H,W]: output extents.
 * Returns 0 when a parameter is out of range. */
static int q_win_out(const q_node *nd, const int64_t in[2], int64_t fl[2], int64_t ce[2]) {
    for (int a = 0; a < 2; a++) {
        if (nd->kernel[a] < 1 || nd->kernel[a] > Q_MAX_WIN || nd->strides[a] < 1 || nd->strides[a] > Q_MAX_WIN ||
            nd->dil[a] < 1 || nd->dil[a] > Q_MAX_WIN)
            return 0;
        if (nd->pads[a] < 0 || nd->pads[a] > Q_MAX_WIN || nd->pads[a + 2] < 0 || nd->pads[a + 2] > Q_MAX_WIN) return 0;
        int64_t span = in[a] + nd->pads[a] + nd->pads[a + 2] - nd->dil[a] * (nd->kernel[a] - 1) - 1;
        if (span < 0) return 0;
        fl[a] = span / nd->strides[a] + 1;
        ce[a] = (span + nd->strides[a] - 1) / nd->strides[a] + 1;
    }
    return 1;
}

typedef unsigned __int128 q_u128;
#define Q_SAT ((uint64_t)1 << 62)
static uint64_t q_sat(q_u128 x) { return x > Q_SAT ? Q_SAT : (uint64_t)x; }
static uint64_t q_sadd(uint64_t a, uint64_t b) { return q_sat((q_u128)a + b); }
static uint64_t q_smul(uint64_t a, uint64_t b) { return q_sat((q_u128)q_sat(a) * q_sat(b)); }
static uint64_t q_abs(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }
static uint64_t q_maxabs(const int64_t *v, size_t n) {
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (q_abs(v[i]) > m) m = q_abs(v[i]);
    return m;
}
static int q_bits(uint64_t v) { return v ? 64 - __builtin_clzll(v) : 0; }

#define Q_FAIL(...)                 \
    do {                            \
        zk_set_reason(__VA_ARGS__); \
        return ZK_EINPUT;           \
    } while (0)

static zk_err q_settings_check(const q_settings *s) {
    if (s->b_act < 2 || s->b_act > 48) Q_FAIL("activation bit width b_act=%d is outside 2..48", s->b_act);
    if (s->b_w < 2 || s->b_w > 48) Q_FAIL("weight bit width b_w=%d is outside 2..48", s->b_w);
    if (s->f_min < -60 || s->f_max > 60 || s->f_min > s->f_max)
        Q_FAIL("fractional-bit range [%d, %d] is not inside [-60, 60]", s->f_min, s->f_max);
    if (s->out_vis != Q_OUT_PUBLIC && s->out_vis != Q_OUT_CLASS && s->out_vis != Q_OUT_PRIVATE)
        Q_FAIL("unknown output visibility %d", s->out_vis);
    if (s->out_vis == Q_OUT_PRIVATE && !s->zk_mc) Q_FAIL("%s", "a private output needs the zero-knowledge mode");
    if (s->zk_mc < 0 || s->zk_mc > Q_ZK_MAX_MC) Q_FAIL("zero-knowledge mask pool 2^%d is outside 2^0..2^%d", s->zk_mc, Q_ZK_MAX_MC);
    if (s->in_vis != Q_IN_PUBLIC && s->in_vis != Q_IN_PRIVATE) Q_FAIL("unknown input visibility %d", s->in_vis);
    if (s->in_vis == Q_IN_PRIVATE && !s->zk_mc) Q_FAIL("%s", "a private input needs the zero-knowledge mode");
    return ZK_OK;
}

int q_const_bits(const q_model *m, const q_node *nd, int bias) {
    if (bias) return nd->nb ? nd->acc_bits + 1 : 0;
    if (!nd->nw) return 0;
    switch (nd->op) {
    case NN_ADD:
    case NN_SUB: return nd->acc_bits + 1;
    case NN_CONCAT: return m->s.b_act;
    default: return m->s.b_w; /* Conv, FC, Affine's scale, Mul, PRelu: weight-like */
    }
}

/* The largest |w| (bias: |b|) of node nd: its values', or with cert the
 * largest magnitude its certified range allows, 2^(bits-1). */
static uint64_t q_cmax(const q_model *m, const q_node *nd, int bias, int cert) {
    if (cert) {
        int b = q_const_bits(m, nd, bias);
        return b ? (uint64_t)1 << (b - 1) : 0;
    }
    return bias ? q_maxabs(nd->b, nd->nb) : q_maxabs(nd->w, nd->nw);
}

/* Worst-case |acc| of a linear node (quant.h section 4), saturating at 2^62,
 * over inputs in [-A, A): |x| <= A. (Not A - 1: the circuits prove an
 * activation only in [-A, A), so -A is what a proof admits; protocol.md 7.7.)
 * With cert, every constant anywhere in its certified range (q_const_bits). */
static uint64_t q_acc_bound(const q_model *m, const q_node *nd, int cert) {
    uint64_t A = (uint64_t)q_act_bound(m), acc = 0;
    switch (nd->op) {
    case NN_CONV:
    case NN_FC: {
        size_t M = (size_t)nd->cshape.d[0], per = nd->nw / M;
        if (cert) return q_sadd(q_smul(q_smul((uint64_t)per, q_cmax(m, nd, 0, 1)), A), q_cmax(m, nd, 1, 1));
        for (size_t o = 0; o < M; o++) {
            uint64_t s = 0;
            for (size_t i = 0; i < per; i++) s = q_sadd(s, q_abs(nd->w[o * per + i]));
            uint64_t v = q_sadd(q_smul(s, A), nd->nb ? q_abs(nd->b[o]) : 0);
            if (v > acc) acc = v;
        }
        return acc;
    }
    case NN_AFFINE:
        if (cert) return q_sadd(q_smul(q_cmax(m, nd, 0, 1), A), q_cmax(m, nd, 1, 1));
        for (size_t c = 0; c < nd->nw; c++) {
            uint64_t v = q_sadd(q_smul(q_abs(nd->w[c]), A), q_abs(nd->b[c]));
            if (v > acc) acc = v;
        }
        return acc;
    case NN_MATMUL: return q_smul(q_smul(A, A), (uint64_t)m->tensors[nd->in[0]].shape.d[1]);
    case NN_MUL: {
        uint64_t a = nd->in[0] >= 0 ? A : q_cmax(m, nd, 0, cert);
        uint64_t b = nd->in[1] >= 0 ? A : q_cmax(m, nd, 0, cert);
        return q_smul(a, b);
    }
    case NN_ADD:
    case NN_SUB: {
        uint64_t a = nd->in[0] >= 0 ? A : q_cmax(m, nd, 0, cert);
        uint64_t b = nd->in[1] >= 0 ? A : q_cmax(m, nd, 0, cert);
        return q_sadd(q_smul(a, (uint64_t)1 << nd->align[0]), q_smul(b, (uint64_t)1 << nd->align[1]));
    }
    case NN_CONCAT: { /* one operand per cell */
        uint64_t a = q_smul(nd->in[0] >= 0 ? A : q_cmax(m, nd, 0, cert), (uint64_t)1 << nd->align[0]);
        uint64_t b = q_smul(nd->in[1] >= 0 ? A : q_cmax(m, nd, 0, cert), (uint64_t)1 << nd->align[1]);
        return a > b ? a : b;
    }
    case NN_LEAKYRELU: return q_smul(A, q_abs(nd->alpha));
    case NN_PRELU: return q_smul(A, q_cmax(m, nd, 0, cert));
    default: return 0;
    }
}

/* Largest magnitude in the node's relations (section 4), saturating; every
 * activation in [-A, A), so |x|, |y| <= A. On a skeleton a node with
 * constants (whose values it lacks) counts its accumulator as 0: the rest
 * of the bound (the rescale's left side, a window's sum, an exact shift of
 * a product of activations) is still checked. */
static uint64_t q_rel_bound(const q_model *m, const q_node *nd, int64_t plane, int cert) {
    uint64_t A = (uint64_t)q_act_bound(m);
    switch (nd->op) {
    case NN_CONV:
    case NN_FC:
    case NN_AFFINE:
    case NN_MATMUL:
    case NN_MUL:
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT:
    case NN_LEAKYRELU:
    case NN_PRELU: {
        uint64_t acc = cert ? q_acc_bound(m, nd, 1) : m->skeleton && (nd->nw || nd->nb) ? 0 : q_acc_bound(m, nd, 0);
        uint64_t r = acc > A ? acc : A;
        if (nd->k >= 1) { /* y 2^k + rem in [-A 2^k, A 2^k) */
            uint64_t half = (uint64_t)1 << (nd->k - 1), two = (uint64_t)1 << nd->k;
            uint64_t a = q_sadd(acc, half), b = q_smul(A, two);
            return a > b ? a : b;
        }
        uint64_t s = q_smul(acc, (uint64_t)1 << -nd->k);
        return s > r ? s : r;
    }
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL: return 2 * A;
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: { /* S = sum e <= n 2^f_e; Softmax: 2 S y + q = 2^(f_y+1) e + S, y in [0, A) */
        uint64_t S = q_smul((uint64_t)nd->iattr[0], (uint64_t)1 << nd->iattr[2]);
        if (nd->op == NN_LOGSOFTMAX) { /* y = -2^(f_y - f_x) d - l */
            uint64_t d = q_sadd(q_smul(2 * A, (uint64_t)1 << (m->tensors[(nd - m->nodes) + 1].f - m->tensors[nd->in[0]].f)), A);
            return S > d ? S : d;
        }
        uint64_t l = q_smul(q_smul(2, S), A), r = q_sadd(q_smul((uint64_t)1 << (m->tensors[(nd - m->nodes) + 1].f + 1),
                                                                 (uint64_t)1 << nd->iattr[2]), S);
        return l > r ? l : r;
    }
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL: {
        uint64_t n = nd->op == NN_AVGPOOL ? (uint64_t)(nd->kernel[0] * nd->kernel[1]) : (uint64_t)plane;
        return q_sadd(q_smul(2 * n, A), 2 * n);
    }
    default: return A;
    }
}

static const char *q_lower_hint(const q_model *m, const q_node *nd, char *buf, size_t len) {
    int weights = nd->op == NN_CONV || nd->op == NN_FC || nd->op == NN_AFFINE || nd->op == NN_LEAKYRELU ||
                  nd->op == NN_PRELU || (nd->op == NN_MUL && nd->nw);
    if (weights)
        snprintf(buf, len, "lower the activation bits b_act=%d or the weight bits b_w=%d", m->s.b_act, m->s.b_w);
    else
        snprintf(buf, len, "lower the activation bits b_act=%d", m->s.b_act);
    return buf;
}

/* Structural checks of node i. */
static zk_err q_node_check(const q_model *m, size_t i) {
    const q_node *nd = &m->nodes[i];
    const char *nm = nd->name, *op = nn_op_name(nd->op);
    const q_tensor *y = &m->tensors[i + 1];
    int binary = nd->op == NN_MATMUL || nd->op == NN_MUL || nd->op == NN_ADD || nd->op == NN_SUB || nd->op == NN_CONCAT;
    for (int j = 0; j < 2; j++)
        if (nd->in[j] < -1 || nd->in[j] > (int32_t)i) Q_FAIL("node %s (%s): operand %d is not an earlier tensor", nm, op, j);
    if (nd->in[0] < 0 && (!binary || nd->op == NN_MATMUL || nd->in[1] < 0))
        Q_FAIL("node %s (%s): first operand must be a computed tensor", nm, op);
    if (!binary && nd->in[1] != -1) Q_FAIL("node %s (%s): has a second operand", nm, op);
    if (nd->op == NN_MATMUL && nd->in[1] < 0) Q_FAIL("node %s (MatMul): both operands must be computed", nm);
    unsigned fl = q_fields(nd);
    if (!q_unused_zero(nd, fl)) Q_FAIL("node %s (%s): an unused field is not zero", nm, op);
    const q_tensor *x = &m->tensors[nd->in[0] >= 0 ? nd->in[0] : nd->in[1]];
    const nn_shape *X = &x->shape, *Y = &y->shape;
    int64_t nw = 0;
    if (fl & QF_W) {
        nw = q_shape_numel(&nd->cshape);
        if (nw < 1 || (uint64_t)nw != nd->nw) Q_FAIL("node %s (%s): constant shape and length disagree", nm, op);
    }
    if ((fl & QF_FW) && (nd->f_w < m->s.f_min || nd->f_w > m->s.f_max))
        Q_FAIL("node %s (%s): constant scale f_w=%d outside [%d, %d]", nm, op, nd->f_w, m->s.f_min, m->s.f_max);
    if (nd->k < -Q_MAX_SHIFT || nd->k > Q_MAX_SHIFT)
        Q_FAIL("node %s (%s): rescale shift %d is beyond +-%d; lower the weight bits b_w=%d", nm, op, nd->k, Q_MAX_SHIFT,
               m->s.b_w);
    int32_t fx = x->f;
    int64_t wlim = (int64_t)1 << (m->s.b_w - 1);
    int weightlike = nd->op == NN_CONV || nd->op == NN_FC || nd->op == NN_AFFINE || nd->op == NN_MUL || nd->op == NN_PRELU;
    if (weightlike && nd->w && q_maxabs(nd->w, nd->nw) >= (uint64_t)wlim)
        Q_FAIL("node %s (%s): a weight exceeds the weight bound 2^%d", nm, op, m->s.b_w - 1);
    if ((nd->w && q_maxabs(nd->w, nd->nw) >= ((uint64_t)1 << Q_FIELD_BITS)) ||
        (nd->b && q_maxabs(nd->b, nd->nb) >= ((uint64_t)1 << Q_FIELD_BITS)))
        Q_FAIL("node %s (%s): a constant exceeds 2^%d", nm, op, Q_FIELD_BITS);
    switch (nd->op) {
    case NN_CONV: {
        const nn_shape *Wsh = &nd->cshape;
        if (X->ndim != 4 || Wsh->ndim != 4 || Y->ndim != 4) Q_FAIL("node %s (Conv): expects 4-D input, weights and output", nm);
        int64_t M = Wsh->d[0], C = X->d[1], G = nd->group;
        if (G < 1 || C % G != 0 || M % G != 0 || Wsh->d[1] != C / G)
            Q_FAIL("node %s (Conv): channels %lld, group %lld and weight shape disagree", nm, (long long)C, (long long)G);
        if (nd->kernel[0] != Wsh->d[2] || nd->kernel[1] != Wsh->d[3]) Q_FAIL("node %s (Conv): kernel disagrees with weights", nm);
        int64_t in[2] = {X->d[2], X->d[3]}, o[2], oc[2];
        if (!q_win_out(nd, in, o, oc)) Q_FAIL("node %s (Conv): bad kernel, stride, dilation or pads", nm);
        if (Y->d[0] != X->d[0] || Y->d[1] != M || Y->d[2] != o[0] || Y->d[3] != o[1])
            Q_FAIL("node %s (Conv): output shape disagrees with the convolution", nm);
        if (nd->nb != 0 && nd->nb != (size_t)M) Q_FAIL("node %s (Conv): bias length is not %lld", nm, (long long)M);
        if (nd->k != fx + nd->f_w - y->f) Q_FAIL("node %s (Conv): shift is not f_x + f_w - f_y", nm);
        break;
    }
    case NN_FC: {
        if (nd->cshape.ndim != 2) Q_FAIL("node %s (FC): weights must be 2-D", nm);
        int64_t M = nd->cshape.d[0], K = nd->cshape.d[1], nx = q_shape_numel(X);
        if (nx % K != 0 || q_shape_numel(Y) != nx / K * M || Y->d[Y->ndim - 1] != M)
            Q_FAIL("node %s (FC): input, weight and output shapes disagree", nm);
        if (nd->nb != 0 && nd->nb != (size_t)M) Q_FAIL("node %s (FC): bias length is not %lld", nm, (long long)M);
        if (nd->k != fx + nd->f_w - y->f) Q_FAIL("node %s (FC): shift is not f_x + f_w - f_y", nm);
        break;
    }
    case NN_MATMUL: {
        const nn_shape *B = &m->tensors[nd->in[1]].shape;
        if (X->ndim != 2 || B->ndim != 2 || Y->ndim != 2 || X->d[1] != B->d[0] || Y->d[0] != X->d[0] ||
            Y->d[1] != B->d[1])
            Q_FAIL("node %s (MatMul): expects [N,K] x [K,M] -> [N,M]", nm);
        if (nd->k != fx + m->tensors[nd->in[1]].f - y->f) Q_FAIL("node %s (MatMul): shift is not f_a + f_b - f_y", nm);
        break;
    }
    case NN_MUL:
    case NN_ADD:
    case NN_SUB: {
        q_bcast bc;
        if (!q_bcast_init(&bc, q_operand_shape(m, nd, 0), q_operand_shape(m, nd, 1), Y))
            Q_FAIL("node %s (%s): operand shapes do not broadcast to the output shape", nm, op);
        int32_t f0 = nd->in[0] >= 0 ? m->tensors[nd->in[0]].f : nd->f_w;
        int32_t f1 = nd->in[1] >= 0 ? m->tensors[nd->in[1]].f : nd->f_w;
        if (nd->op == NN_MUL) {
            if (nd->k != f0 + f1 - y->f) Q_FAIL("node %s (Mul): shift is not f_a + f_b - f_y", nm);
        } else {
            int32_t f = f0 > f1 ? f0 : f1;
            if (nd->align[0] != f - f0 || nd->align[1] != f - f1 || nd->k != f - y->f)
                Q_FAIL("node %s (%s): alignment or shift disagrees with the scales", nm, op);
            if (nd->align[0] > Q_MAX_SHIFT || nd->align[1] > Q_MAX_SHIFT)
                Q_FAIL("node %s (%s): operand scales too far apart", nm, op);
        }
        break;
    }
    case NN_AFFINE:
        if (X->ndim < 2 || nd->cshape.ndim != 1 || nd->cshape.d[0] != X->d[1] || nd->nb != nd->nw || !q_shape_eq(X, Y))
            Q_FAIL("node %s (Affine): expects per-channel scale and shift over dim 1", nm);
        if (nd->k != fx + nd->f_w - y->f) Q_FAIL("node %s (Affine): shift is not f_x + f_w - f_y", nm);
        break;
    case NN_RELU:
    case NN_LEAKYRELU:
        if (!q_shape_eq(X, Y)) Q_FAIL("node %s (%s): output shape differs from input", nm, op);
        if (y->f != fx) Q_FAIL("node %s (%s): output scale differs from input", nm, op);
        if (nd->op == NN_LEAKYRELU) {
            if (q_abs(nd->alpha) >= (uint64_t)wlim) Q_FAIL("node %s (LeakyRelu): alpha exceeds the weight bound", nm);
            if (nd->k != nd->f_w) Q_FAIL("node %s (LeakyRelu): shift is not f_alpha", nm);
        }
        break;
    case NN_MAXPOOL:
    case NN_AVGPOOL: {
        if (X->ndim != 4 || Y->ndim != 4 || Y->d[0] != X->d[0] || Y->d[1] != X->d[1])
            Q_FAIL("node %s (%s): expects 4-D input and output with equal N, C", nm, op);
        if ((nd->ceil_mode != 0 && nd->ceil_mode != 1) || (nd->count_include_pad != 0 && nd->count_include_pad != 1))
            Q_FAIL("node %s (%s): ceil_mode/count_include_pad not 0 or 1", nm, op);
        int64_t in[2] = {X->d[2], X->d[3]}, o[2], oc[2];
        if (!q_win_out(nd, in, o, oc)) Q_FAIL("node %s (%s): bad kernel, stride, dilation or pads", nm, op);
        for (int a = 0; a < 2; a++) {
            int64_t ya = Y->d[2 + a];
            int ok = nd->ceil_mode ? (ya == oc[a] || ya == oc[a] - 1) && ya >= o[a] : ya == o[a];
            if (!ok) Q_FAIL("node %s (%s): output shape disagrees with the pooling", nm, op);
        }
        /* every window must hold a real cell */
        for (int a = 0; a < 2; a++)
            for (int64_t oy = 0; oy < Y->d[2 + a]; oy++) {
                int64_t start = oy * nd->strides[a] - nd->pads[a];
                int64_t t0 = start >= 0 ? 0 : (-start + nd->dil[a] - 1) / nd->dil[a];
                if (t0 >= nd->kernel[a] || start + t0 * nd->dil[a] >= in[a])
                    Q_FAIL("node %s (%s): a pooling window lies entirely in the padding", nm, op);
            }
        if (y->f != fx) Q_FAIL("node %s (%s): output scale differs from input", nm, op);
        break;
    }
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL:
        if (X->ndim < 3 || Y->ndim < 2 || Y->d[0] != X->d[0] || Y->d[1] != X->d[1] ||
            q_shape_numel(Y) != X->d[0] * X->d[1])
            Q_FAIL("node %s (%s): expects [N,C,...] -> [N,C,1,...]", nm, op);
        if (y->f != fx) Q_FAIL("node %s (%s): output scale differs from input", nm, op);
        break;
    case NN_RESHAPE:
        if (q_shape_numel(X) != q_shape_numel(Y)) Q_FAIL("node %s (Reshape): element counts differ", nm);
        if (y->f != fx) Q_FAIL("node %s (Reshape): output scale differs from input", nm);
        break;
    case NN_PAD:
        if (X->ndim != Y->ndim) Q_FAIL("node %s (Pad): output rank differs from input", nm);
        for (int d = 0; d < X->ndim; d++) {
            int64_t b = nd->iattr[d], e = nd->iattr[X->ndim + d];
            if (b < -Q_MAX_DIM || b > Q_MAX_DIM || e < -Q_MAX_DIM || e > Q_MAX_DIM || X->d[d] + b + e != Y->d[d])
                Q_FAIL("node %s (Pad): pads disagree with the output shape", nm);
        }
        for (int d = 2 * X->ndim; d < 2 * NN_MAX_DIMS; d++)
            if (nd->iattr[d]) Q_FAIL("node %s (Pad): pads beyond the input rank", nm);
        if (q_abs(nd->pad) >= (uint64_t)q_act_bound(m)) Q_FAIL("node %s (Pad): pad value out of the activation range", nm);
        if (y->f != fx) Q_FAIL("node %s (Pad): output scale differs from input", nm);
        break;
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: {
        int r = X->ndim, used[NN_MAX_DIMS] = {0};
        if (Y->ndim != r) Q_FAIL("node %s (%s): output rank differs from input", nm, op);
        for (int d = 0; d < r; d++) {
            int64_t a = nd->iattr[d], b = nd->iattr[r + d];
            int ok;
            if (nd->op == NN_TRANSPOSE) {
                ok = a >= 0 && a < r && !used[a] && Y->d[d] == X->d[a];
                if (ok) used[a] = 1;
            } else if (nd->op == NN_SLICE) { /* start a, step b: cells a + i b, i < Y_d, inside x */
                ok = a >= 0 && a < X->d[d] && b >= -Q_MAX_DIM && b <= Q_MAX_DIM && (Y->d[d] > 1 || b == 1);
                ok = ok && a + (Y->d[d] - 1) * b >= 0 && a + (Y->d[d] - 1) * b < X->d[d];
            } else { /* scale a, offset b */
                ok = a >= 1 && a <= Q_MAX_WIN && b > -a && b < a && Y->d[d] == X->d[d] * a;
            }
            if (!ok) Q_FAIL("node %s (%s): attributes of axis %d disagree with the shapes", nm, op, d);
        }
        if (!q_all_zero(nd->iattr + (nd->op == NN_TRANSPOSE ? r : 2 * r), (size_t)(NN_IATTR - (nd->op == NN_TRANSPOSE ? r : 2 * r))))
            Q_FAIL("node %s (%s): attributes beyond the input rank", nm, op);
        if (y->f != fx) Q_FAIL("node %s (%s): output scale differs from input", nm, op);
        break;
    }
    case NN_CONCAT: {
        const nn_shape *A0 = q_operand_shape(m, nd, 0), *B0 = q_operand_shape(m, nd, 1);
        int64_t ax = nd->iattr[0];
        if (A0->ndim != Y->ndim || B0->ndim != Y->ndim || ax < 0 || ax >= Y->ndim)
            Q_FAIL("node %s (Concat): operand ranks or axis disagree with the output", nm);
        for (int d = 0; d < Y->ndim; d++)
            if (d == ax ? A0->d[d] + B0->d[d] != Y->d[d] : A0->d[d] != Y->d[d] || B0->d[d] != Y->d[d])
                Q_FAIL("node %s (Concat): operand shapes do not join into the output shape", nm);
        if (!q_all_zero(nd->iattr + 1, NN_IATTR - 1)) Q_FAIL("node %s (Concat): attributes beyond the axis", nm);
        int32_t f0 = nd->in[0] >= 0 ? m->tensors[nd->in[0]].f : nd->f_w;
        int32_t f1 = nd->in[1] >= 0 ? m->tensors[nd->in[1]].f : nd->f_w, f = f0 > f1 ? f0 : f1;
        if (nd->align[0] != f - f0 || nd->align[1] != f - f1 || nd->k != f - y->f)
            Q_FAIL("node %s (Concat): alignment or shift disagrees with the scales", nm);
        if (nd->align[0] > Q_MAX_SHIFT || nd->align[1] > Q_MAX_SHIFT) Q_FAIL("node %s (Concat): operand scales too far apart", nm);
        if (nd->w && q_maxabs(nd->w, nd->nw) >= (uint64_t)q_act_bound(m))
            Q_FAIL("node %s (Concat): a constant is out of the activation range", nm);
        break;
    }
    case NN_PRELU: {
        q_bcast bc;
        if (!q_shape_eq(X, Y) || !q_bcast_init(&bc, X, &nd->cshape, Y))
            Q_FAIL("node %s (PRelu): the slope does not broadcast to the input", nm);
        if (y->f != fx) Q_FAIL("node %s (PRelu): output scale differs from input", nm);
        if (nd->k != nd->f_w) Q_FAIL("node %s (PRelu): shift is not f_slope", nm);
        break;
    }
    case NN_CLIP: {
        int64_t A = q_act_bound(m), lo = nd->iattr[0], hi = nd->iattr[1];
        if (!q_shape_eq(X, Y) || y->f != fx) Q_FAIL("node %s (Clip): output shape or scale differs from input", nm);
        if (lo < -A || hi > A - 1 || lo > hi) Q_FAIL("node %s (Clip): bounds out of order or out of the range", nm);
        if (!q_all_zero(nd->iattr + 2, NN_IATTR - 2)) Q_FAIL("node %s (Clip): attributes beyond the bounds", nm);
        break;
    }
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: {
        int64_t n = nd->iattr[0], in = nd->iattr[1], N = q_shape_numel(X), b = m->s.b_act;
        if (!q_shape_eq(X, Y)) Q_FAIL("node %s (%s): output shape differs from input", nm, op);
        if (n < 1 || in < 1 || n > N || in > N || N % (n * in) != 0)
            Q_FAIL("node %s (%s): the groups do not tile the input", nm, op);
        if (nd->iattr[2] < 1 || nd->iattr[2] > 52 || nd->iattr[3] < (b > 16 ? b - 16 : 0) || nd->iattr[3] > b ||
            b + 1 - nd->iattr[3] > Q_SMAX_TAB_BITS + 1)
            Q_FAIL("node %s (%s): exponential scale or table shift out of range", nm, op);
        if (nd->op == NN_SOFTMAX ? nd->iattr[4] != 0 || y->f > b - 2
                                 : y->f < fx || y->f - fx > 40 || nd->iattr[4] < 0 || nd->iattr[4] > 60 ||
                                       ldexp(1.0, Q_SMAX_TAB_BITS + (int)nd->iattr[4]) <= (double)n * ldexp(1.0, (int)nd->iattr[2]))
            Q_FAIL("node %s (%s): output scale or log table shift disagrees", nm, op);
        if (!q_all_zero(nd->iattr + 5, NN_IATTR - 5)) Q_FAIL("node %s (%s): attributes beyond the tables", nm, op);
        if (q_smax_E(m, nd, 0) < 1) /* the maximum's own e, so every sum S >= 1 */
            Q_FAIL("node %s (%s): e^0 rounds to 0 at the table's resolution; raise b_act or the input's scale", nm, op);
        if (nd->op == NN_LOGSOFTMAX) { /* every reachable S in [E(0), n E(0)] has its log-table row (l is monotone) */
            int64_t E0 = q_smax_E(m, nd, 0), l;
            if (!q_smax_log(m, nd, E0 >> nd->iattr[4], &l) || !q_smax_log(m, nd, (n * E0) >> nd->iattr[4], &l))
                Q_FAIL("node %s (LogSoftmax): ln(%lld) at the output scale 2^-%d (not coarser than the input's) "
                       "is outside the activation range; the input's scale is too fine for this group size",
                       nm, (long long)n, (int)y->f);
        }
        break;
    }
    default: {
        if (!nn_is_lut(nd->op)) Q_FAIL("node %s: unknown op %d", nm, (int)nd->op);
        if (!q_shape_eq(X, Y)) Q_FAIL("node %s (%s): output shape differs from input", nm, op);
        int64_t sh = nd->iattr[0];
        if (sh < 0 || sh >= m->s.b_act || m->s.b_act - sh > Q_LUT_MAX_BITS)
            Q_FAIL("node %s (%s): table input shift %lld leaves more than 2^%d entries or none", nm, op, (long long)sh,
                   Q_LUT_MAX_BITS);
        double par[NN_LUT_NPAR];
        q_lut_par(nd, par);
        for (int j = 0; j < NN_LUT_NPAR; j++)
            if (!isfinite(par[j])) Q_FAIL("node %s (%s): a parameter is not finite", nm, op);
        if (!q_all_zero(nd->iattr + 1 + NN_LUT_NPAR, NN_IATTR - 1 - NN_LUT_NPAR))
            Q_FAIL("node %s (%s): attributes beyond the parameters", nm, op);
        if (!q_lut_par_canonical(nd)) Q_FAIL("node %s (%s): a parameter the function does not use is set", nm, op);
        break; /* (a table without a row in range: setup refuses it, a plan fails on it) */
    }
    }
    return ZK_OK;
}

/* A global pool's window (the plane); 1 for any other node. */
static int64_t q_plane(const q_model *m, const q_node *nd) {
    if (nd->op != NN_GLOBALAVGPOOL && nd->op != NN_GLOBALMAXPOOL) return 1;
    const nn_shape *X = &m->tensors[nd->in[0]].shape;
    return q_shape_numel(X) / (X->d[0] * X->d[1]);
}

/* A zero-knowledge model's acc_bits (protocol.md sec. 9.9 item 5): a
 * function of the skeleton alone, so that the vk shows nothing of the
 * constants through it. The relation bound with every weight-like
 * constant at its b_w-bit worst case and every additive one (a bias,
 * Affine's shift, an Add/Sub constant) at 1 (q_rel_bound in its cert mode
 * with acc_bits = 0), one bit more: room for additive constants up to that
 * bound. Setup refuses a model whose real acc_bits is larger. */
static int q_public_acc_bits(const q_model *m, q_node *nd, int64_t plane) {
    int keep = nd->acc_bits;
    nd->acc_bits = 0;
    int b = q_bits(q_rel_bound(m, nd, plane, 1)) + 1;
    nd->acc_bits = keep;
    return b;
}

zk_err q_model_validate(q_model *m) {
    zk_err e = q_settings_check(&m->s);
    if (e) return e;
    if (m->nnodes < 1 || m->nnodes > Q_MAX_NODES || m->ntensors != m->nnodes + 1)
        Q_FAIL("model has %zu nodes and %zu tensors", m->nnodes, m->ntensors);
    if (m->output < 1 || (size_t)m->output > m->nnodes) Q_FAIL("model output %d is not a node output", m->output);
    for (size_t t = 0; t < m->ntensors; t++) {
        const q_tensor *qt = &m->tensors[t];
        if (!qt->name || strlen(qt->name) > Q_MAX_NAME) Q_FAIL("tensor %zu: name missing or too long", t);
        if (q_shape_numel(&qt->shape) < 0) Q_FAIL("tensor %s: bad shape", qt->name);
        for (int i = qt->shape.ndim; i < NN_MAX_DIMS; i++)
            if (qt->shape.d[i]) Q_FAIL("tensor %s: bad shape", qt->name);
        if (qt->f < m->s.f_min || qt->f > m->s.f_max)
            Q_FAIL("tensor %s: scale f=%d outside [%d, %d]", qt->name, qt->f, m->s.f_min, m->s.f_max);
        if (!(qt->range >= 0) || !isfinite(qt->range) || signbit(qt->range)) Q_FAIL("tensor %s: bad range", qt->name);
    }
    for (size_t i = 0; i < m->nnodes; i++) {
        q_node *nd = &m->nodes[i];
        if (!nd->name || strlen(nd->name) > Q_MAX_NAME) Q_FAIL("node %zu: name missing or too long", i);
        if ((e = q_node_check(m, i))) return e;
        int64_t plane = q_plane(m, nd);
        if (m->skeleton) { /* constants absent: the bound setup computed, and what needs no constant */
            if (nd->acc_bits < 0 || nd->acc_bits > Q_FIELD_BITS)
                Q_FAIL("node %s (%s): worst-case accumulator of %d bits is over the field bound of %d", nd->name,
                       nn_op_name(nd->op), nd->acc_bits, Q_FIELD_BITS);
            if (m->s.zk_mc && nd->acc_bits != q_public_acc_bits(m, nd, plane))
                Q_FAIL("node %s (%s): a zero-knowledge skeleton's accumulator width %d is not the public one (%d; "
                       "a key set up before 2026-12-06 11:00 UTC: run setup again)",
                       nd->name, nn_op_name(nd->op), nd->acc_bits, q_public_acc_bits(m, nd, plane));
            if (q_rel_bound(m, nd, plane, 0) >= (uint64_t)1 << Q_FIELD_BITS)
                Q_FAIL("node %s (%s): a relation is over the field bound of %d bits", nd->name, nn_op_name(nd->op),
                       Q_FIELD_BITS);
            continue;
        }
        if (((nd->nw != 0) != (nd->w != NULL)) || ((nd->nb != 0) != (nd->b != NULL)))
            Q_FAIL("node %s (%s): constant values missing", nd->name, nn_op_name(nd->op));
        uint64_t rel = q_rel_bound(m, nd, plane, 0);
        nd->acc_bits = q_bits(rel);
        if (rel >= (uint64_t)1 << Q_FIELD_BITS) {
            char hint[96];
            Q_FAIL("node %s (%s): worst-case accumulator needs %d%s bits, over the field bound of %d; %s", nd->name,
                   nn_op_name(nd->op), nd->acc_bits, rel >= Q_SAT ? "+" : "", Q_FIELD_BITS,
                   q_lower_hint(m, nd, hint, sizeof hint));
        }
        if (m->s.zk_mc) { /* the public width instead, which must cover the real one */
            int pub = q_public_acc_bits(m, nd, plane);
            if (nd->acc_bits > pub)
                Q_FAIL("node %s (%s): its constants need a %d-bit worst-case accumulator, more than the %d bits a "
                       "zero-knowledge key allows for any %d-bit weights (an additive constant beyond the weights' "
                       "bound); use a plain key (--no-zk)",
                       nd->name, nn_op_name(nd->op), nd->acc_bits, pub, m->s.b_w);
            nd->acc_bits = pub;
            if (pub > Q_FIELD_BITS)
                Q_FAIL("node %s (%s): a zero-knowledge key's worst-case accumulator of %d bits is over the field "
                       "bound of %d; %s",
                       nd->name, nn_op_name(nd->op), pub, Q_FIELD_BITS, q_lower_hint(m, nd, (char[96]){0}, 96));
        }
    }
    return ZK_OK;
}

zk_err q_model_check_ranges(const q_model *m) {
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        uint64_t rel = q_rel_bound(m, nd, q_plane(m, nd), 1);
        if (rel >= (uint64_t)1 << Q_FIELD_BITS) {
            char hint[96];
            Q_FAIL("node %s (%s): with its constants anywhere in their certified ranges (weights %d bits, biases "
                   "%d) a relation needs %d%s bits, over the field bound of %d; %s",
                   nd->name, nn_op_name(nd->op), q_const_bits(m, nd, 0), q_const_bits(m, nd, 1), q_bits(rel),
                   rel >= Q_SAT ? "+" : "", Q_FIELD_BITS, q_lower_hint(m, nd, hint, sizeof hint));
        }
    }
    return ZK_OK;
}

/* ------------------------------------------------------------ quantizing */

/* largest f in [f_min, f_max] with M 2^f < lim; 0 when even f_min fails */
static int q_pick_f(int32_t *f, double M, double lim, const q_settings *s) {
    int v = s->f_max;
    while (v > s->f_min && ldexp(M, v) >= lim) v--;
    *f = v;
    return ldexp(M, v) < lim;
}

static int q_act_f(int32_t *f, double M, const q_settings *s) { return q_pick_f(f, M, ldexp(1.0, s->b_act - 2), s); }
static int q_w_f(int32_t *f, double M, const q_settings *s) { return q_pick_f(f, M, ldexp(1.0, s->b_w - 1) - 0.5, s); }

/* round(v 2^f) half away from zero; 0 when |v 2^f| >= 2^60 or v not finite */
static int q_round(int64_t *q, double v, int f) {
    double x = ldexp(v, f);
    if (!(fabs(x) < ldexp(1.0, Q_FIELD_BITS))) return 0;
    *q = llround(x);
    return 1;
}

/* max |v|, or NaN/Inf when some element is not finite */
static double q_fmaxabs(const float *v, size_t n) {
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i])) return NAN;
        if (fabs((double)v[i]) > m) m = fabs((double)v[i]);
    }
    return m;
}

/* element count of a (trusted) graph tensor */
static size_t q_gnumel(const nn_shape *s) {
    size_t n = 1;
    for (int i = 0; i < s->ndim; i++) n *= (size_t)s->d[i];
    return n;
}

static char *q_strdup(const char *s) {
    size_t n = strlen(s);
    char *r = zk_malloc(n + 1);
    memcpy(r, s, n + 1);
    return r;
}

/* Weight-like constant: f_w from its range, then quantized. */
static zk_err q_quant_weights(q_node *nd, const nn_tensor *t, const q_settings *s) {
    size_t n = q_gnumel(&t->shape);
    double M = q_fmaxabs(t->data, n);
    if (!isfinite(M)) Q_FAIL("node %s (%s): constant %s holds NaN or Inf", nd->name, nn_op_name(nd->op), t->name);
    if (!q_w_f(&nd->f_w, M, s))
        Q_FAIL("node %s (%s): constant %s (max %g) does not fit b_w=%d bits even at f_min=%d", nd->name,
               nn_op_name(nd->op), t->name, M, s->b_w, s->f_min);
    nd->nw = n;
    nd->w = zk_malloc_n(nd->nw, sizeof *nd->w);
    for (size_t i = 0; i < nd->nw; i++) ZK_CHECK(q_round(&nd->w[i], t->data[i], nd->f_w));
    return ZK_OK;
}

/* Bias-like constant at scale f. */
static zk_err q_quant_at(int64_t **out, size_t *nout, const q_node *nd, const nn_tensor *t, int f) {
    size_t n = q_gnumel(&t->shape);
    int64_t *v = zk_malloc_n(n, sizeof *v);
    for (size_t i = 0; i < n; i++)
        if (!q_round(&v[i], t->data[i], f)) {
            free(v);
            Q_FAIL("node %s (%s): constant %s element %zu = %g does not fit 2^%d at f=%d; lower b_act or b_w",
                   nd->name, nn_op_name(nd->op), t->name, i, (double)t->data[i], Q_FIELD_BITS, f);
        }
    *out = v;
    *nout = n;
    return ZK_OK;
}

static int64_t q_def1(int64_t v) { return v ? v : 1; }

/* a graph shape with the unused dims zeroed (the model's canonical form) */
static nn_shape q_norm_shape(const nn_shape *s) {
    nn_shape r;
    memset(&r, 0, sizeof r);
    r.ndim = s->ndim;
    for (int i = 0; i < s->ndim && i < NN_MAX_DIMS; i++) r.d[i] = s->d[i];
    return r;
}

static void q_copy_win(q_node *nd, const nn_attrs *a) {
    for (int i = 0; i < 2; i++) {
        nd->kernel[i] = a->kernel[i];
        nd->strides[i] = q_def1(a->strides[i]);
        nd->dil[i] = q_def1(a->dilations[i]);
    }
    for (int i = 0; i < 4; i++) nd->pads[i] = a->pads[i];
}

static zk_err q_fill_node(q_model *m, size_t i, const nn_graph *g, const int *qidx, const double *maxabs) {
    const nn_node *gn = &g->nodes[i];
    q_node *nd = &m->nodes[i];
    q_tensor *y = &m->tensors[i + 1];
    const q_settings *s = &m->s;
    const char *nm = nd->name, *op = nn_op_name(gn->op);
    const nn_tensor *cin[3] = {NULL, NULL, NULL};
    nd->op = gn->op;
    nd->in[0] = nd->in[1] = -1;
    int nops; /* operands that matter; Reshape/Pad may carry constant extras (shape, pads) */
    switch (gn->op) {
    case NN_CONV:
    case NN_FC: nops = gn->nin; break;
    case NN_AFFINE: nops = 3; break;
    case NN_MATMUL:
    case NN_MUL:
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT:
    case NN_PRELU: nops = 2; break;
    default: nops = 1; break;
    }
    if (gn->nin < nops || (gn->nin > nops && gn->op != NN_RESHAPE && gn->op != NN_PAD))
        Q_FAIL("node %s (%s): %d operands, expected %d", nm, op, gn->nin, nops);
    for (int j = 0; j < gn->nin; j++) {
        if (g->tensors[gn->in[j]].data) cin[j] = &g->tensors[gn->in[j]];
        else if (j < nops && j < 2) nd->in[j] = qidx[gn->in[j]];
        else Q_FAIL("node %s (%s): operand %d must be a constant", nm, op, j);
    }
    if (nd->in[0] < 0 && nd->in[1] < 0) Q_FAIL("node %s (%s): no computed operand", nm, op);
    if (nops == 1 && nd->in[0] < 0) Q_FAIL("node %s (%s): operand is a constant", nm, op);
    int32_t fx = m->tensors[nd->in[0] >= 0 ? nd->in[0] : nd->in[1]].f;
    int calibrated = 0;
    switch (gn->op) {
    case NN_CONV:
    case NN_FC:
    case NN_AFFINE: {
        if (gn->nin < 2 || gn->nin > 3 || nd->in[0] < 0 || !cin[1] || (gn->nin == 3 && !cin[2]))
            Q_FAIL("node %s (%s): needs a computed input and constant weights%s", nm, op,
                   gn->op == NN_AFFINE ? ", scale and shift" : "");
        zk_err e = q_quant_weights(nd, cin[1], s);
        if (e) return e;
        nd->cshape = q_norm_shape(&cin[1]->shape);
        if (gn->op == NN_AFFINE) {
            memset(&nd->cshape, 0, sizeof nd->cshape);
            nd->cshape.ndim = 1;
            nd->cshape.d[0] = (int64_t)nd->nw;
        }
        if (gn->nin == 3 && (e = q_quant_at(&nd->b, &nd->nb, nd, cin[2], fx + nd->f_w))) return e;
        if (gn->op == NN_CONV) {
            q_copy_win(nd, &gn->a);
            if (nd->cshape.ndim == 4)
                for (int a = 0; a < 2; a++)
                    if (!nd->kernel[a]) nd->kernel[a] = nd->cshape.d[2 + a];
            nd->group = q_def1(gn->a.group);
        }
        calibrated = 1;
        break;
    }
    case NN_MATMUL:
        if (nd->in[0] < 0 || nd->in[1] < 0) Q_FAIL("node %s (MatMul): both operands must be computed", nm);
        calibrated = 1;
        break;
    case NN_MUL:
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT: {
        if (gn->nin != 2) Q_FAIL("node %s (%s): needs two operands", nm, op);
        if (gn->op == NN_CONCAT) nd->iattr[0] = gn->a.iattr[0];
        calibrated = 1;
        break;
    }
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: { /* the used entries only: the rest stay 0 */
        int r = m->tensors[nd->in[0]].shape.ndim, used = gn->op == NN_TRANSPOSE ? r : 2 * r;
        for (int d = 0; d < used && d < NN_IATTR; d++) nd->iattr[d] = gn->a.iattr[d];
        break;
    }
    case NN_RELU:
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL:
    case NN_RESHAPE: break;
    case NN_LEAKYRELU: {
        double al = gn->a.alpha;
        if (!isfinite(al)) Q_FAIL("node %s (LeakyRelu): alpha is not finite", nm);
        if (!q_w_f(&nd->f_w, fabs(al), s)) Q_FAIL("node %s (LeakyRelu): alpha %g does not fit b_w=%d", nm, al, s->b_w);
        ZK_CHECK(q_round(&nd->alpha, al, nd->f_w));
        nd->k = nd->f_w;
        break;
    }
    case NN_MAXPOOL:
    case NN_AVGPOOL:
        q_copy_win(nd, &gn->a);
        nd->ceil_mode = gn->a.ceil_mode != 0;
        if (gn->op == NN_AVGPOOL) nd->count_include_pad = gn->a.count_include_pad != 0;
        break;
    case NN_PAD: {
        int nd_in = m->tensors[nd->in[0]].shape.ndim;
        for (int d = 0; d < 2 * nd_in && d < 2 * NN_MAX_DIMS; d++) nd->iattr[d] = gn->a.iattr[d];
        if (!q_round(&nd->pad, gn->a.pad_value, fx) || q_abs(nd->pad) >= (uint64_t)q_act_bound(m))
            Q_FAIL("node %s (Pad): pad value %g is outside its input's range (|x| < %g at f=%d)", nm,
                   (double)gn->a.pad_value, ldexp((double)q_act_bound(m) - 0.5, -fx), fx);
        break;
    }
    case NN_PRELU: { /* the slope is a weight: y = x or rescale(x slope) as LeakyRelu */
        if (!cin[1]) Q_FAIL("node %s (PRelu): needs a constant slope", nm);
        zk_err e = q_quant_weights(nd, cin[1], s);
        if (e) return e;
        nd->cshape = q_norm_shape(&cin[1]->shape);
        nd->k = nd->f_w;
        break;
    }
    case NN_CLIP: { /* the bounds on x's grid; a bound no activation passes is -A or A - 1 */
        int64_t A = q_act_bound(m), lo = -A, hi = A - 1;
        double l = ldexp((double)gn->a.beta, fx), h = ldexp((double)gn->a.gamma, fx);
        if (isnan(l) || isnan(h)) Q_FAIL("node %s (Clip): a bound is NaN", nm);
        if (l > (double)-A) lo = l >= (double)(A - 1) ? A - 1 : llround(l);
        if (h < (double)(A - 1)) hi = h <= (double)-A ? -A : llround(h);
        if (lo < -A) lo = -A;
        if (hi > A - 1) hi = A - 1;
        if (lo > hi) lo = hi; /* ONNX: min > max gives max everywhere */
        nd->iattr[0] = lo, nd->iattr[1] = hi;
        break;
    }
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: /* y in [0, 1] at f = b_act - 2 (Softmax); calibrated, but not coarser than x (LogSoftmax) */
        nd->iattr[0] = gn->a.iattr[0], nd->iattr[1] = gn->a.iattr[1];
        nd->iattr[2] = s->b_act + 4;
        if (gn->op == NN_SOFTMAX) {
            y->f = s->b_act - 2 < s->f_min ? s->f_min : s->b_act - 2 > s->f_max ? s->f_max : s->b_act - 2;
            q_smax_pick(m, nd);
            return ZK_OK;
        }
        calibrated = 1;
        break;
    default:
        if (!nn_is_lut(gn->op)) Q_FAIL("node %s: op %d is not supported by the quantizer", nm, (int)gn->op);
        if (s->b_act > Q_LUT_MAX_ACT)
            Q_FAIL("node %s (%s): table lookups need b_act <= %d (b_act=%d)", nm, op, Q_LUT_MAX_ACT, s->b_act);
        calibrated = 1;
        break;
    }
    if (calibrated) {
        double M = maxabs[gn->out];
        if (!isfinite(M) || M < 0) Q_FAIL("node %s (%s): calibrated range is not finite", nm, op);
        if (!q_act_f(&y->f, M, s))
            Q_FAIL("node %s (%s): calibrated range %g needs fewer than f_min=%d fractional bits; raise b_act=%d", nm,
                   op, M, s->f_min, s->b_act);
        if (gn->op == NN_CONCAT) { /* never finer than its finest computed operand: a left shift adds no bits */
            int32_t fin = -Q_MAX_SHIFT - 1;
            for (int j = 0; j < 2; j++)
                if (nd->in[j] >= 0 && m->tensors[nd->in[j]].f > fin) fin = m->tensors[nd->in[j]].f;
            if (y->f > fin) y->f = fin;
        }
    } else {
        y->f = fx;
    }
    switch (gn->op) {
    case NN_CONV:
    case NN_FC:
    case NN_AFFINE: nd->k = fx + nd->f_w - y->f; break;
    case NN_MATMUL: nd->k = fx + m->tensors[nd->in[1]].f - y->f; break;
    case NN_MUL: {
        zk_err e;
        if (cin[0] || cin[1]) {
            if ((e = q_quant_weights(nd, cin[0] ? cin[0] : cin[1], s))) return e;
            nd->cshape = q_norm_shape(&(cin[0] ? cin[0] : cin[1])->shape);
        }
        nd->k = fx + (cin[0] || cin[1] ? nd->f_w : m->tensors[nd->in[1]].f) - y->f;
        break;
    }
    case NN_ADD:
    case NN_SUB:
    case NN_CONCAT: {
        int32_t f0, f1;
        if (cin[0] || cin[1]) {
            /* Add/Sub: the finer of the other operand's and the output's
             * scale; Concat: the output's (its cells are output cells) */
            nd->f_w = gn->op == NN_CONCAT ? y->f : fx > y->f ? fx : y->f;
            const nn_tensor *c = cin[0] ? cin[0] : cin[1];
            zk_err e = q_quant_at(&nd->w, &nd->nw, nd, c, nd->f_w);
            if (e) return e;
            nd->cshape = q_norm_shape(&c->shape);
        }
        f0 = nd->in[0] >= 0 ? m->tensors[nd->in[0]].f : nd->f_w;
        f1 = nd->in[1] >= 0 ? m->tensors[nd->in[1]].f : nd->f_w;
        int32_t f = f0 > f1 ? f0 : f1;
        nd->align[0] = f - f0;
        nd->align[1] = f - f1;
        nd->k = f - y->f;
        break;
    }
    case NN_LOGSOFTMAX: /* y = -2^(f_y - f_x) d - l: exact when f_y >= f_x */
        if (y->f < fx) y->f = fx;
        q_smax_pick(m, nd);
        break;
    default:
        if (nn_is_lut(gn->op)) { /* the parameters, then the input shift (needs f_x, f_y, the ranges) */
            double par[NN_LUT_NPAR];
            nn_lut_params(gn->op, &gn->a, par);
            q_lut_set_par(nd, par);
            nd->iattr[0] = q_lut_shift(m, nd);
            int64_t first;
            free(q_lut_table(m, nd, &first));
            if (first < 0)
                Q_FAIL("node %s (%s): no input in the activation range has an output within it at f_out=%d", nm, op,
                       y->f);
        }
        break;
    }
    return ZK_OK;
}

zk_err q_quantize_ranges(q_model **out, const nn_graph *g, const double *maxabs, const q_settings *s) {
    q_settings def;
    if (!s) q_settings_default(&def), s = &def;
    zk_err e = q_settings_check(s);
    if (e) return e;
    if ((e = nn_graph_check(g))) return e;
    if (g->nnodes < 1) /* Identity, inference-mode Dropout, an identity Transpose vanish at import */
        Q_FAIL("graph has 0 nodes: its output is its input (Identity, Dropout, glue that moves nothing), so there "
               "is nothing to prove");
    if (g->nnodes > Q_MAX_NODES) Q_FAIL("graph has %zu nodes", g->nnodes);
    if (g->input < 0 || (size_t)g->input >= g->ntensors || g->tensors[g->input].data)
        Q_FAIL("graph input is not a computed tensor");
    int *qidx = zk_malloc_n(g->ntensors, sizeof *qidx);
    for (size_t t = 0; t < g->ntensors; t++) qidx[t] = -1;
    q_model *m = zk_calloc(1, sizeof *m);
    m->s = *s;
    m->nnodes = g->nnodes;
    m->ntensors = g->nnodes + 1;
    m->tensors = zk_calloc(m->ntensors, sizeof *m->tensors);
    m->nodes = zk_calloc(m->nnodes, sizeof *m->nodes);
    const nn_tensor *gi = &g->tensors[g->input];
    qidx[g->input] = 0;
    m->tensors[0].name = q_strdup(gi->name ? gi->name : "input");
    m->tensors[0].shape = q_norm_shape(&gi->shape);
    m->tensors[0].range = maxabs[g->input];
    if (!isfinite(maxabs[g->input]) || maxabs[g->input] < 0) {
        zk_set_reason("graph input: calibrated range is not finite");
        e = ZK_EINPUT;
        goto done;
    }
    if (!q_act_f(&m->tensors[0].f, maxabs[g->input], s)) {
        zk_set_reason("graph input: calibrated range %g needs fewer than f_min=%d fractional bits; raise b_act=%d",
                      maxabs[g->input], s->f_min, s->b_act);
        e = ZK_EINPUT;
        goto done;
    }
    for (size_t i = 0; i < g->nnodes; i++) {
        const nn_node *gn = &g->nodes[i];
        q_node *nd = &m->nodes[i];
        nd->name = q_strdup(gn->name ? gn->name : "?");
        e = ZK_EINPUT;
        if (gn->out < 0 || (size_t)gn->out >= g->ntensors || g->tensors[gn->out].data || qidx[gn->out] >= 0) {
            zk_set_reason("node %s: output is not a fresh computed tensor", nd->name);
            goto done;
        }
        if (gn->nin < 1 || gn->nin > 3) {
            zk_set_reason("node %s: %d operands", nd->name, gn->nin);
            goto done;
        }
        for (int j = 0; j < gn->nin; j++) {
            int t = gn->in[j];
            if (t < 0 || (size_t)t >= g->ntensors || (!g->tensors[t].data && qidx[t] < 0)) {
                zk_set_reason("node %s: operand %d is not a constant or an earlier tensor", nd->name, j);
                goto done;
            }
        }
        const nn_tensor *go = &g->tensors[gn->out];
        qidx[gn->out] = (int)i + 1;
        m->tensors[i + 1].name = q_strdup(go->name ? go->name : "?");
        m->tensors[i + 1].shape = q_norm_shape(&go->shape);
        m->tensors[i + 1].range = isfinite(maxabs[gn->out]) && maxabs[gn->out] > 0 ? maxabs[gn->out] : 0;
        if ((e = q_fill_node(m, i, g, qidx, maxabs))) goto done;
    }
    if (g->output < 0 || (size_t)g->output >= g->ntensors || qidx[g->output] < 1) {
        zk_set_reason("graph output is not a node output");
        e = ZK_EINPUT;
        goto done;
    }
    m->output = qidx[g->output];
    e = q_model_validate(m);
done:
    free(qidx);
    if (e) {
        q_model_free(m);
        return e;
    }
    *out = m;
    return ZK_OK;
}

/* ---------------------------------------------------------- serializing */

static void q_put_i32(zk_buf *b, int32_t v) { zk_buf_put_u32(b, (uint32_t)v); }
static void q_put_i64(zk_buf *b, int64_t v) { zk_buf_put_u64(b, (uint64_t)v); }
static void q_put_str(zk_buf *b, const char *s) {
    size_t n = strlen(s);
    ZK_CHECK(n <= Q_MAX_NAME);
    zk_buf_put_u32(b, (uint32_t)n);
    zk_buf_put(b, s, n);
}
static void q_put_shape(zk_buf *b, const nn_shape *s) {
    zk_buf_put_u32(b, (uint32_t)s->ndim);
    for (int i = 0; i < s->ndim; i++) q_put_i64(b, s->d[i]);
}
static void q_put_arr(zk_buf *b, const int64_t *v, size_t n, int skel) {
    zk_buf_put_u64(b, n);
    if (!skel)
        for (size_t i = 0; i < n; i++) q_put_i64(b, v[i]);
}

static void q_serialize(zk_buf *out, const q_model *m, int skel) {
    zk_buf_put(out, skel ? Q_SKEL_MAGIC : Q_MAGIC, 8);
    /* version 1: a public output, not zero-knowledge; version 2 adds the
     * output visibility, version 3 the input visibility and the
     * zero-knowledge pool */
    int v3 = m->s.zk_mc != 0, v2 = !v3 && m->s.out_vis != Q_OUT_PUBLIC;
    zk_buf_put_u32(out, v3 ? Q_VERSION_ZK : v2 ? Q_VERSION_VIS : Q_VERSION);
    q_put_i32(out, m->s.b_act);
    q_put_i32(out, m->s.b_w);
    q_put_i32(out, m->s.f_min);
    q_put_i32(out, m->s.f_max);
    if (v2 || v3) q_put_i32(out, m->s.out_vis);
    if (v3) {
        q_put_i32(out, m->s.in_vis);
        q_put_i32(out, m->s.zk_mc);
    }
    zk_buf_put_u32(out, (uint32_t)m->ntensors);
    for (size_t t = 0; t < m->ntensors; t++) {
        const q_tensor *qt = &m->tensors[t];
        q_put_str(out, qt->name);
        q_put_shape(out, &qt->shape);
        q_put_i32(out, qt->f);
        /* a zero-knowledge key's skeleton leaves out the calibration maxima
         * (no verifier reads them; protocol.md sec. 9.9 item 5): 0 */
        double rg = skel && m->s.zk_mc ? 0.0 : qt->range;
        uint64_t bits;
        memcpy(&bits, &rg, 8);
        zk_buf_put_u64(out, bits);
    }
    zk_buf_put_u32(out, (uint32_t)m->nnodes);
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        zk_buf_put_u32(out, (uint32_t)nd->op);
        q_put_str(out, nd->name);
        q_put_i32(out, nd->in[0]);
        q_put_i32(out, nd->in[1]);
        q_put_shape(out, &nd->cshape);
        q_put_arr(out, nd->w, nd->nw, skel);
        q_put_arr(out, nd->b, nd->nb, skel);
        q_put_i32(out, nd->f_w);
        q_put_i32(out, nd->k);
        q_put_i32(out, nd->align[0]);
        q_put_i32(out, nd->align[1]);
        q_put_i64(out, nd->alpha);
        q_put_i64(out, nd->pad);
        for (int j = 0; j < 2; j++) q_put_i64(out, nd->kernel[j]);
        for (int j = 0; j < 2; j++) q_put_i64(out, nd->strides[j]);
        for (int j = 0; j < 4; j++) q_put_i64(out, nd->pads[j]);
        for (int j = 0; j < 2; j++) q_put_i64(out, nd->dil[j]);
        q_put_i64(out, nd->group);
        zk_buf_put_u32(out, (uint32_t)nd->ceil_mode);
        zk_buf_put_u32(out, (uint32_t)nd->count_include_pad);
        for (int j = 0; j < 2 * NN_MAX_DIMS; j++) q_put_i64(out, nd->iattr[j]);
        if (skel) q_put_i32(out, nd->acc_bits);
    }
    q_put_i32(out, m->output);
}

void q_model_serialize(zk_buf *out, const q_model *m) {
    ZK_CHECK(!m->skeleton);
    q_serialize(out, m, 0);
}

void q_model_serialize_skeleton(zk_buf *out, const q_model *m) { q_serialize(out, m, 1); }

/* Reader with one sticky failure flag: every get after a failure is a no-op. */
typedef struct {
    zk_rd r;
    int bad;
} q_rd;

static uint32_t q_u32(q_rd *r) {
    uint32_t v = 0;
    if (!r->bad && zk_rd_u32(&r->r, &v) != ZK_OK) r->bad = 1;
    return r->bad ? 0 : v;
}
static uint64_t q_u64(q_rd *r) {
    uint64_t v = 0;
    if (!r->bad && zk_rd_u64(&r->r, &v) != ZK_OK) r->bad = 1;
    return r->bad ? 0 : v;
}
static int32_t q_i32(q_rd *r) { return (int32_t)q_u32(r); }
static int64_t q_i64(q_rd *r) { return (int64_t)q_u64(r); }

static char *q_str(q_rd *r) {
    uint32_t n = q_u32(r);
    if (r->bad || n > Q_MAX_NAME || n > zk_rd_left(&r->r)) {
        r->bad = 1;
        return NULL;
    }
    char *s = zk_malloc((size_t)n + 1);
    if (zk_rd_get(&r->r, s, n) != ZK_OK || memchr(s, 0, n)) {
        r->bad = 1;
        free(s);
        return NULL;
    }
    s[n] = 0;
    return s;
}

static void q_shape(q_rd *r, nn_shape *s, int allow_empty) {
    uint32_t nd = q_u32(r);
    if (r->bad || nd > NN_MAX_DIMS || (nd == 0 && !allow_empty)) {
        r->bad = 1;
        return;
    }
    memset(s, 0, sizeof *s);
    s->ndim = (int)nd;
    for (uint32_t i = 0; i < nd; i++) s->d[i] = q_i64(r);
}

static int64_t *q_arr(q_rd *r, size_t *n, int skel) {
    uint64_t c = q_u64(r);
    if (r->bad || (!skel && c > zk_rd_left(&r->r) / 8) || c > (uint64_t)Q_MAX_NUMEL) {
        r->bad = 1;
        return NULL;
    }
    *n = (size_t)c;
    if (!c || skel) return NULL;
    int64_t *v = zk_malloc_n((size_t)c, sizeof *v);
    for (size_t i = 0; i < c; i++) v[i] = q_i64(r);
    return v;
}

static zk_err q_deserialize(q_model **out, const uint8_t *data, size_t len, int skel) {
    q_rd r = {.bad = 0};
    zk_rd_init(&r.r, data, len);
    char magic[8];
    if (zk_rd_get(&r.r, magic, 8) != ZK_OK || memcmp(magic, skel ? Q_SKEL_MAGIC : Q_MAGIC, 8) != 0) {
        zk_set_reason("not a gkrcnn quantized model (bad magic)");
        return ZK_EFORMAT;
    }
    uint32_t ver = q_u32(&r);
    if (r.bad || (ver != Q_VERSION && ver != Q_VERSION_VIS && ver != Q_VERSION_ZK)) {
        zk_set_reason("quantized model: unsupported version %u", ver);
        return ZK_EFORMAT;
    }
    q_model *m = zk_calloc(1, sizeof *m);
    m->skeleton = skel;
    m->s.b_act = q_i32(&r);
    m->s.b_w = q_i32(&r);
    m->s.f_min = q_i32(&r);
    m->s.f_max = q_i32(&r);
    m->s.out_vis = Q_OUT_PUBLIC;
    m->s.zk_mc = 0;
    if (ver == Q_VERSION_VIS || ver == Q_VERSION_ZK) {
        m->s.out_vis = q_i32(&r);
        if (m->s.out_vis == Q_OUT_PUBLIC && ver == Q_VERSION_VIS) r.bad = 1; /* one encoding per model: version 1 for a public output */
    }
    m->s.in_vis = Q_IN_PUBLIC;
    if (ver == Q_VERSION_ZK) {
        m->s.in_vis = q_i32(&r);
        m->s.zk_mc = q_i32(&r);
        if (m->s.zk_mc < 1 || m->s.zk_mc > Q_ZK_MAX_MC) r.bad = 1; /* version 2 or 1 when not zero-knowledge */
    }
    uint32_t nt = q_u32(&r);
    /* each tensor takes at least 4 + 4 + 8 + 4 + 8 bytes */
    if (r.bad || nt < 2 || nt > Q_MAX_NODES + 1 || nt > zk_rd_left(&r.r) / 28) goto bad;
    m->ntensors = nt;
    m->tensors = zk_calloc(nt, sizeof *m->tensors);
    for (uint32_t t = 0; t < nt && !r.bad; t++) {
        q_tensor *qt = &m->tensors[t];
        qt->name = q_str(&r);
        q_shape(&r, &qt->shape, 0);
        qt->f = q_i32(&r);
        uint64_t bits = q_u64(&r);
        memcpy(&qt->range, &bits, 8);
        if (skel && m->s.zk_mc && bits != 0) r.bad = 1; /* one encoding: a zk skeleton's ranges are +0.0 */
    }
    uint32_t nn = q_u32(&r);
    if (r.bad || nn != nt - 1 || nn > zk_rd_left(&r.r) / 64) goto bad;
    m->nnodes = nn;
    m->nodes = zk_calloc(nn, sizeof *m->nodes);
    for (uint32_t i = 0; i < nn && !r.bad; i++) {
        q_node *nd = &m->nodes[i];
        nd->op = (nn_op)q_u32(&r);
        nd->name = q_str(&r);
        nd->in[0] = q_i32(&r);
        nd->in[1] = q_i32(&r);
        q_shape(&r, &nd->cshape, 1);
        nd->w = q_arr(&r, &nd->nw, skel);
        nd->b = q_arr(&r, &nd->nb, skel);
        nd->f_w = q_i32(&r);
        nd->k = q_i32(&r);
        nd->align[0] = q_i32(&r);
        nd->align[1] = q_i32(&r);
        nd->alpha = q_i64(&r);
        nd->pad = q_i64(&r);
        for (int j = 0; j < 2; j++) nd->kernel[j] = q_i64(&r);
        for (int j = 0; j < 2; j++) nd->strides[j] = q_i64(&r);
        for (int j = 0; j < 4; j++) nd->pads[j] = q_i64(&r);
        for (int j = 0; j < 2; j++) nd->dil[j] = q_i64(&r);
        nd->group = q_i64(&r);
        nd->ceil_mode = q_i32(&r);
        nd->count_include_pad = q_i32(&r);
        for (int j = 0; j < 2 * NN_MAX_DIMS; j++) nd->iattr[j] = q_i64(&r);
        if (skel) nd->acc_bits = q_i32(&r);
    }
    m->output = q_i32(&r);
    if (r.bad) goto bad;
    if (zk_rd_left(&r.r) != 0) {
        zk_set_reason("quantized model: %zu trailing bytes", zk_rd_left(&r.r));
        q_model_free(m);
        return ZK_EFORMAT;
    }
    /* names were read: make them non-NULL for messages */
    if (q_model_validate(m) != ZK_OK) {
        char why[200];
        snprintf(why, sizeof why, "%s", zk_reason());
        zk_set_reason("quantized model: %s", why);
        q_model_free(m);
        return ZK_EFORMAT;
    }
    *out = m;
    return ZK_OK;
bad:
    zk_set_reason("quantized model truncated or malformed");
    q_model_free(m);
    return ZK_EFORMAT;
}

zk_err q_model_deserialize(q_model **out, const uint8_t *data, size_t len) { return q_deserialize(out, data, len, 0); }

zk_err q_model_deserialize_skeleton(q_model **out, const uint8_t *data, size_t len) {
    return q_deserialize(out, data, len, 1);
}
