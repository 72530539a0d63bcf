/* nn.c -- the network IR: shape rules, graph checks and the float
 * reference engine (ONNX semantics, double accumulation).
 *
 * nn_run_float is the reference the quantizer calibrates against, so every
 * kernel is written for clarity first: plain loops over NCHW tensors, with
 * the valid output range of each kernel tap computed once so the inner
 * loops carry no bounds tests. */
#include "nn.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* Bounds on attributes (kernel, stride, dilation, pad), so that every
 * derived size stays far from int64 overflow. */
#define NN_ATTR_MAX ((int64_t)1 << 24)
#define NN_NUMEL_MAX ((int64_t)1 << 31)

void nn_graph_free(nn_graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->ntensors; i++) {
        free(g->tensors[i].name);
        free(g->tensors[i].data);
    }
    for (size_t i = 0; i < g->nnodes; i++) free(g->nodes[i].name);
    free(g->tensors);
    free(g->nodes);
    free(g);
}

int64_t nn_numel(const nn_shape *s) {
    if (s->ndim < 0 || s->ndim > NN_MAX_DIMS) return -1;
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) {
        if (s->d[i] < 0) return -1;
        if (s->d[i] != 0 && n > INT64_MAX / s->d[i]) return -1;
        n *= s->d[i];
    }
    return n;
}

const char *nn_op_name(nn_op op) {
    switch (op) {
    case NN_CONV: return "Conv";
    case NN_FC: return "FC";
    case NN_MATMUL: return "MatMul";
    case NN_RELU: return "Relu";
    case NN_LEAKYRELU: return "LeakyRelu";
    case NN_MAXPOOL: return "MaxPool";
    case NN_AVGPOOL: return "AveragePool";
    case NN_GLOBALAVGPOOL: return "GlobalAveragePool";
    case NN_GLOBALMAXPOOL: return "GlobalMaxPool";
    case NN_AFFINE: return "Affine";
    case NN_ADD: return "Add";
    case NN_SUB: return "Sub";
    case NN_MUL: return "Mul";
    case NN_RESHAPE: return "Reshape";
    case NN_PAD: return "Pad";
    case NN_TRANSPOSE: return "Transpose";
    case NN_SLICE: return "Slice";
    case NN_RESIZE: return "Resize";
    case NN_CONCAT: return "Concat";
    case NN_SIGMOID: return "Sigmoid";
    case NN_TANH: return "Tanh";
    case NN_EXP: return "Exp";
    case NN_ERF: return "Erf";
    case NN_GELU: return "Gelu";
    case NN_ELU: return "Elu";
    case NN_SELU: return "Selu";
    case NN_SOFTPLUS: return "Softplus";
    case NN_HARDSIGMOID: return "HardSigmoid";
    case NN_HARDSWISH: return "HardSwish";
    case NN_SOFTSIGN: return "Softsign";
    case NN_CLIP: return "Clip";
    case NN_PRELU: return "PRelu";
    case NN_SOFTMAX: return "Softmax";
    case NN_LOGSOFTMAX: return "LogSoftmax";
    }
    return "unknown";
}

/* ---- shape rules ---- */

static zk_err node_fail(const nn_node *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static zk_err node_fail(const nn_node *n, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    zk_set_reason("node \"%s\" (%s): %s", n->name ? n->name : "?", nn_op_name(n->op), msg);
    return ZK_EINPUT;
}

static int shape_ok(const nn_shape *s) {
    if (s->ndim < 0 || s->ndim > NN_MAX_DIMS) return 0;
    for (int i = 0; i < s->ndim; i++)
        if (s->d[i] < 1) return 0;
    int64_t n = nn_numel(s);
    return n >= 1 && n < NN_NUMEL_MAX;
}

static int shape_eq(const nn_shape *a, const nn_shape *b) {
    if (a->ndim != b->ndim) return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->d[i] != b->d[i]) return 0;
    return 1;
}

static int64_t div_floor(int64_t a, int64_t b) { /* b > 0 */
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}
static int64_t div_ceil(int64_t a, int64_t b) { return -div_floor(-a, b); }

/* Output length of a conv/pool axis; 0 if no window fits. ceil_mode drops
 * a last window that would start in the end padding (PyTorch, ONNX >= 19). */
static int64_t window_out(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe, int ceil_mode) {
    int64_t span = in + pb + pe - ((k - 1) * d + 1);
    if (span < 0) return 0;
    int64_t o = (ceil_mode ? div_ceil(span, s) : span / s) + 1;
    if (ceil_mode && (o - 1) * s >= in + pb) o--;
    return o;
}

static int in_range(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }

/* Checks the window attributes of a conv/pool node over a 4-D input and
 * writes the two output spatial sizes. */
static zk_err window_shape(int64_t *oh, int64_t *ow, const nn_node *n, const nn_shape *x, int ceil_mode) {
    const nn_attrs *a = &n->a;
    for (int i = 0; i < 2; i++) {
        if (!in_range(a->kernel[i], 1, NN_ATTR_MAX) || !in_range(a->strides[i], 1, NN_ATTR_MAX) ||
            !in_range(a->dilations[i], 1, NN_ATTR_MAX))
            return node_fail(n, "kernel, stride or dilation out of range");
    }
    for (int i = 0; i < 4; i++)
        if (!in_range(a->pads[i], 0, NN_ATTR_MAX)) return node_fail(n, "pad out of range");
    *oh = window_out(x->d[2], a->kernel[0], a->strides[0], a->dilations[0], a->pads[0], a->pads[2], ceil_mode);
    *ow = window_out(x->d[3], a->kernel[1], a->strides[1], a->dilations[1], a->pads[1], a->pads[3], ceil_mode);
    if (*oh < 1 || *ow < 1)
        return node_fail(n, "kernel %lldx%lld does not fit the %lldx%lld input", (long long)a->kernel[0],
                         (long long)a->kernel[1], (long long)x->d[2], (long long)x->d[3]);
    return ZK_OK;
}

static const char *shape_str(char *buf, size_t cap, const nn_shape *s) {
    size_t k = 0;
    k += (size_t)snprintf(buf + k, cap - k, "[");
    for (int i = 0; i < s->ndim && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, i ? ",%lld" : "%lld", (long long)s->d[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
    return buf;
}

static int op_nin_ok(nn_op op, int nin) {
    switch (op) {
    case NN_CONV:
    case NN_FC: return nin == 2 || nin == 3;
    case NN_MATMUL:
    case NN_ADD:
    case NN_SUB:
    case NN_MUL:
    case NN_CONCAT:
    case NN_PRELU: return nin == 2;
    case NN_AFFINE: return nin == 3;
    case NN_RELU:
    case NN_LEAKYRELU:
    case NN_MAXPOOL:
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL:
    case NN_RESHAPE:
    case NN_PAD:
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE:
    case NN_CLIP:
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: return nin == 1;
    default: return nn_is_lut(op) && nin == 1;
    }
}

zk_err nn_infer_shape(nn_shape *out, const nn_graph *g, const nn_node *n) {
    if (!op_nin_ok(n->op, n->nin)) return node_fail(n, "wrong number of inputs (%d)", n->nin);
    const nn_shape *s[3] = {NULL, NULL, NULL};
    for (int i = 0; i < n->nin; i++) {
        if (n->in[i] < 0 || (size_t)n->in[i] >= g->ntensors) return node_fail(n, "input index out of range");
        s[i] = &g->tensors[n->in[i]].shape;
        if (!shape_ok(s[i])) return node_fail(n, "input %d has an invalid shape", i);
    }
    const nn_shape *x = s[0];
    char b0[96], b1[96];
    nn_shape o;
    memset(&o, 0, sizeof o);
    switch (n->op) {
    case NN_CONV: {
        const nn_shape *w = s[1];
        if (x->ndim != 4 || w->ndim != 4) return node_fail(n, "expects 4-D input and weight");
        int64_t grp = n->a.group;
        if (!in_range(grp, 1, x->d[1]) || x->d[1] % grp != 0 || w->d[0] % grp != 0 || w->d[1] * grp != x->d[1])
            return node_fail(n, "input %s, weight %s and group %lld disagree", shape_str(b0, sizeof b0, x),
                             shape_str(b1, sizeof b1, w), (long long)grp);
        if (w->d[2] != n->a.kernel[0] || w->d[3] != n->a.kernel[1])
            return node_fail(n, "kernel attribute disagrees with weight %s", shape_str(b1, sizeof b1, w));
        if (n->nin == 3 && (s[2]->ndim != 1 || s[2]->d[0] != w->d[0]))
            return node_fail(n, "bias %s does not match %lld output channels", shape_str(b0, sizeof b0, s[2]),
                             (long long)w->d[0]);
        int64_t oh, ow;
        zk_err e = window_shape(&oh, &ow, n, x, 0);
        if (e) return e;
        o.ndim = 4, o.d[0] = x->d[0], o.d[1] = w->d[0], o.d[2] = oh, o.d[3] = ow;
        break;
    }
    case NN_FC: {
        const nn_shape *w = s[1];
        if (w->ndim != 2 || (x->ndim != 1 && x->ndim != 2) || x->d[x->ndim - 1] != w->d[1])
            return node_fail(n, "input %s and weight %s disagree", shape_str(b0, sizeof b0, x),
                             shape_str(b1, sizeof b1, w));
        if (n->nin == 3 && (s[2]->ndim != 1 || s[2]->d[0] != w->d[0]))
            return node_fail(n, "bias %s does not match %lld outputs", shape_str(b0, sizeof b0, s[2]),
                             (long long)w->d[0]);
        o = *x;
        o.d[o.ndim - 1] = w->d[0];
        break;
    }
    case NN_MATMUL:
        if (x->ndim != 2 || s[1]->ndim != 2 || x->d[1] != s[1]->d[0])
            return node_fail(n, "operands %s and %s do not multiply", shape_str(b0, sizeof b0, x),
                             shape_str(b1, sizeof b1, s[1]));
        o.ndim = 2, o.d[0] = x->d[0], o.d[1] = s[1]->d[1];
        break;
    case NN_RELU:
    case NN_LEAKYRELU:
    case NN_CLIP: o = *x; break;
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: {
        int64_t gn = n->a.iattr[0], in = n->a.iattr[1];
        if (!in_range(gn, 1, NN_NUMEL_MAX) || !in_range(in, 1, NN_NUMEL_MAX) || nn_numel(x) % (gn * in) != 0)
            return node_fail(n, "groups of %lld cells at stride %lld do not tile %s", (long long)gn, (long long)in,
                             shape_str(b0, sizeof b0, x));
        o = *x;
        break;
    }
    case NN_PRELU: /* the slope broadcasts to x, unidirectionally */
        o = *x;
        if (s[1]->ndim > x->ndim) return node_fail(n, "slope %s has more axes than the input", shape_str(b0, sizeof b0, s[1]));
        for (int i = 0; i < s[1]->ndim; i++) {
            int64_t d = s[1]->d[s[1]->ndim - 1 - i];
            if (d != 1 && d != x->d[x->ndim - 1 - i])
                return node_fail(n, "slope %s does not broadcast to the input %s", shape_str(b0, sizeof b0, s[1]),
                                 shape_str(b1, sizeof b1, x));
        }
        break;
    case NN_MAXPOOL:
    case NN_AVGPOOL: {
        if (x->ndim != 4) return node_fail(n, "expects a 4-D input, got %s", shape_str(b0, sizeof b0, x));
        int64_t oh, ow;
        zk_err e = window_shape(&oh, &ow, n, x, n->a.ceil_mode);
        if (e) return e;
        o = *x;
        o.d[2] = oh, o.d[3] = ow;
        break;
    }
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL:
        if (x->ndim < 3) return node_fail(n, "expects an input of rank >= 3, got %s", shape_str(b0, sizeof b0, x));
        o = *x;
        for (int i = 2; i < o.ndim; i++) o.d[i] = 1;
        break;
    case NN_AFFINE:
        if (x->ndim < 2) return node_fail(n, "expects an input of rank >= 2");
        for (int i = 1; i < 3; i++)
            if (s[i]->ndim != 1 || s[i]->d[0] != x->d[1])
                return node_fail(n, "scale/shift %s do not match %lld channels", shape_str(b0, sizeof b0, s[i]),
                                 (long long)x->d[1]);
        o = *x;
        break;
    case NN_ADD:
    case NN_SUB:
    case NN_MUL: {
        const nn_shape *y = s[1];
        o.ndim = x->ndim > y->ndim ? x->ndim : y->ndim;
        for (int i = 0; i < o.ndim; i++) {
            int ix = i - (o.ndim - x->ndim), iy = i - (o.ndim - y->ndim);
            int64_t a = ix >= 0 ? x->d[ix] : 1, b = iy >= 0 ? y->d[iy] : 1;
            if (a != b && a != 1 && b != 1)
                return node_fail(n, "shapes %s and %s do not broadcast", shape_str(b0, sizeof b0, x),
                                 shape_str(b1, sizeof b1, y));
            o.d[i] = a > b ? a : b;
        }
        break;
    }
    case NN_RESHAPE: {
        if (n->out < 0 || (size_t)n->out >= g->ntensors) return node_fail(n, "output index out of range");
        o = g->tensors[n->out].shape;
        if (!shape_ok(&o) || nn_numel(&o) != nn_numel(x))
            return node_fail(n, "cannot reshape %s into %s", shape_str(b0, sizeof b0, x), shape_str(b1, sizeof b1, &o));
        break;
    }
    case NN_PAD:
        o = *x;
        for (int i = 0; i < x->ndim; i++) {
            int64_t pb = n->a.iattr[i], pe = n->a.iattr[x->ndim + i];
            if (!in_range(pb, -NN_ATTR_MAX, NN_ATTR_MAX) || !in_range(pe, -NN_ATTR_MAX, NN_ATTR_MAX))
                return node_fail(n, "pad out of range");
            o.d[i] = x->d[i] + pb + pe;
            if (o.d[i] < 1) return node_fail(n, "pads leave axis %d empty", i);
        }
        break;
    case NN_TRANSPOSE: {
        int used[NN_MAX_DIMS] = {0};
        o.ndim = x->ndim;
        for (int i = 0; i < x->ndim; i++) {
            int64_t p = n->a.iattr[i];
            if (p < 0 || p >= x->ndim || used[p]) return node_fail(n, "perm is not a permutation of the axes");
            used[p] = 1;
            o.d[i] = x->d[p];
        }
        break;
    }
    case NN_SLICE: {
        if (n->out < 0 || (size_t)n->out >= g->ntensors) return node_fail(n, "output index out of range");
        o = g->tensors[n->out].shape;
        if (o.ndim != x->ndim || !shape_ok(&o))
            return node_fail(n, "cannot slice %s into %s", shape_str(b0, sizeof b0, x), shape_str(b1, sizeof b1, &o));
        for (int i = 0; i < x->ndim; i++) {
            int64_t st = n->a.iattr[i], sp = n->a.iattr[x->ndim + i];
            if (!in_range(st, 0, x->d[i] - 1) || !in_range(sp, -NN_ATTR_MAX, NN_ATTR_MAX) ||
                !in_range(st + (o.d[i] - 1) * sp, 0, x->d[i] - 1) || (o.d[i] == 1 && sp != 1))
                return node_fail(n, "slice of axis %d leaves the input", i);
        }
        break;
    }
    case NN_RESIZE:
        o = *x;
        for (int i = 0; i < x->ndim; i++) {
            int64_t sc = n->a.iattr[i], off = n->a.iattr[x->ndim + i];
            if (!in_range(sc, 1, NN_ATTR_MAX) || off <= -sc || off >= sc)
                return node_fail(n, "scale or offset of axis %d out of range", i);
            o.d[i] = x->d[i] * sc;
        }
        break;
    case NN_CONCAT: {
        const nn_shape *y = s[1];
        int64_t ax = n->a.iattr[0];
        if (y->ndim != x->ndim || !in_range(ax, 0, x->ndim - 1))
            return node_fail(n, "cannot join %s and %s", shape_str(b0, sizeof b0, x), shape_str(b1, sizeof b1, y));
        o = *x;
        for (int i = 0; i < x->ndim; i++)
            if (i != ax && x->d[i] != y->d[i])
                return node_fail(n, "shapes %s and %s differ off axis %lld", shape_str(b0, sizeof b0, x),
                                 shape_str(b1, sizeof b1, y), (long long)ax);
        o.d[ax] = x->d[ax] + y->d[ax];
        break;
    }
    default:
        if (!nn_is_lut(n->op)) return node_fail(n, "unknown op %d", (int)n->op);
        o = *x;
        break;
    }
    if (!shape_ok(&o)) return node_fail(n, "output %s is empty or too large", shape_str(b0, sizeof b0, &o));
    *out = o;
    return ZK_OK;
}

static int64_t mul_sat(int64_t a, int64_t b) {
    if (a <= 0 || b <= 0) return 0;
    return a > INT64_MAX / b ? INT64_MAX : a * b;
}

int64_t nn_node_macs(const nn_graph *g, const nn_node *n) {
    const nn_shape *os = &g->tensors[n->out].shape, *xs = &g->tensors[n->in[0]].shape;
    int64_t out = nn_numel(os);
    switch (n->op) {
    case NN_CONV: {
        const nn_shape *ws = &g->tensors[n->in[1]].shape;
        return mul_sat(out, mul_sat(ws->d[1], mul_sat(ws->d[2], ws->d[3])));
    }
    case NN_FC: return mul_sat(out, g->tensors[n->in[1]].shape.d[1]);
    case NN_MATMUL: return mul_sat(out, xs->d[1]);
    case NN_MAXPOOL:
    case NN_AVGPOOL: return mul_sat(out, mul_sat(n->a.kernel[0], n->a.kernel[1]));
    case NN_GLOBALAVGPOOL:
    case NN_GLOBALMAXPOOL: return nn_numel(xs);
    default: return out;
    }
}

/* Which inputs must be constants (1), computed (0) or either (-1). */
static int input_kind(nn_op op, int i) {
    switch (op) {
    case NN_CONV:
    case NN_FC:
    case NN_AFFINE:
    case NN_PRELU: return i == 0 ? 0 : 1;
    case NN_ADD:
    case NN_SUB:
    case NN_MUL:
    case NN_CONCAT: return -1;
    default: return 0;
    }
}

zk_err nn_graph_check(const nn_graph *g) {
    if (g->ntensors == 0 || g->ntensors > INT32_MAX) {
        zk_set_reason("graph has no tensors");
        return ZK_EINPUT;
    }
    if (g->input < 0 || (size_t)g->input >= g->ntensors || g->output < 0 || (size_t)g->output >= g->ntensors) {
        zk_set_reason("graph input or output index out of range");
        return ZK_EINPUT;
    }
    for (size_t t = 0; t < g->ntensors; t++) {
        if (!shape_ok(&g->tensors[t].shape)) {
            zk_set_reason("tensor \"%s\": invalid shape", g->tensors[t].name ? g->tensors[t].name : "?");
            return ZK_EINPUT;
        }
    }
    if (g->tensors[g->input].data != NULL || g->tensors[g->output].data != NULL) {
        zk_set_reason("graph input or output is a constant");
        return ZK_EINPUT;
    }
    /* defined[t]: t is a constant, the input, or produced by an earlier node */
    uint8_t *defined = zk_calloc(g->ntensors, 1);
    zk_err e = ZK_OK;
    for (size_t t = 0; t < g->ntensors; t++) defined[t] = g->tensors[t].data != NULL;
    defined[g->input] = 1;
    for (size_t k = 0; k < g->nnodes && !e; k++) {
        const nn_node *n = &g->nodes[k];
        nn_shape o;
        if ((e = nn_infer_shape(&o, g, n))) break;
        int ncomputed = 0;
        for (int i = 0; i < n->nin && !e; i++) {
            const nn_tensor *t = &g->tensors[n->in[i]];
            int kind = input_kind(n->op, i), is_const = t->data != NULL;
            if (!defined[n->in[i]]) e = node_fail(n, "input %d is used before it is computed", i);
            else if (kind >= 0 && kind != is_const)
                e = node_fail(n, "input %d must be %s", i, kind ? "a constant" : "computed");
            ncomputed += !is_const;
        }
        if (e) break;
        if (ncomputed == 0) e = node_fail(n, "all inputs are constants");
        else if (n->out < 0 || (size_t)n->out >= g->ntensors || defined[n->out])
            e = node_fail(n, "output is out of range, a constant, or computed twice");
        else if (!shape_eq(&o, &g->tensors[n->out].shape))
            e = node_fail(n, "recorded output shape disagrees with the inputs");
        else defined[n->out] = 1;
    }
    if (!e && !defined[g->output]) {
        zk_set_reason("graph output is never computed");
        e = ZK_EINPUT;
    }
    free(defined);
    return e;
}

/* ---- kernels ---- */

static void run_conv(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape, *ws = &g->tensors[n->in[1]].shape;
    const nn_shape *ys = &g->tensors[n->out].shape;
    const float *w = g->tensors[n->in[1]].data;
    const float *b = n->nin == 3 ? g->tensors[n->in[2]].data : NULL;
    int64_t N = xs->d[0], C = xs->d[1], H = xs->d[2], W = xs->d[3];
    int64_t M = ws->d[0], Cg = ws->d[1], KH = ws->d[2], KW = ws->d[3];
    int64_t OH = ys->d[2], OW = ys->d[3], Mg = M / n->a.group;
    int64_t sh = n->a.strides[0], sw = n->a.strides[1], dh = n->a.dilations[0], dw = n->a.dilations[1];
    int64_t pt = n->a.pads[0], pl = n->a.pads[1];
#pragma omp parallel
    {
        double *acc = zk_malloc_n((size_t)(OH * OW), sizeof *acc);
#pragma omp for schedule(dynamic)
        for (int64_t nm = 0; nm < N * M; nm++) {
            int64_t in = nm / M, m = nm % M, grp = m / Mg;
            double bias = b ? (double)b[m] : 0.0;
            for (int64_t i = 0; i < OH * OW; i++) acc[i] = bias;
            for (int64_t c = 0; c < Cg; c++) {
                const float *xc = x + ((in * C) + grp * Cg + c) * H * W;
                const float *wc = w + (m * Cg + c) * KH * KW;
                for (int64_t ki = 0; ki < KH; ki++) {
                    for (int64_t kj = 0; kj < KW; kj++) {
                        double wv = wc[ki * KW + kj];
                        int64_t off = kj * dw - pl; /* iw = ow*sw + off */
                        int64_t lo = div_ceil(-off, sw), hi = div_floor(W - 1 - off, sw);
                        if (lo < 0) lo = 0;
                        if (hi > OW - 1) hi = OW - 1;
                        for (int64_t oh = 0; oh < OH; oh++) {
                            int64_t ih = oh * sh - pt + ki * dh;
                            if (ih < 0 || ih >= H) continue;
                            const float *row = xc + ih * W + off;
                            double *a = acc + oh * OW;
                            for (int64_t ow = lo; ow <= hi; ow++) a[ow] += wv * row[ow * sw];
                        }
                    }
                }
            }
            float *yo = y + nm * OH * OW;
            for (int64_t i = 0; i < OH * OW; i++) yo[i] = (float)acc[i];
        }
        free(acc);
    }
}

static void run_fc(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape, *ws = &g->tensors[n->in[1]].shape;
    const float *w = g->tensors[n->in[1]].data;
    const float *b = n->nin == 3 ? g->tensors[n->in[2]].data : NULL;
    int64_t rows = xs->ndim == 2 ? xs->d[0] : 1, M = ws->d[0], K = ws->d[1];
#pragma omp parallel for schedule(static) if (rows * M * K > (1 << 16))
    for (int64_t rm = 0; rm < rows * M; rm++) {
        int64_t r = rm / M, m = rm % M;
        const float *xr = x + r * K, *wm = w + m * K;
        double acc = b ? (double)b[m] : 0.0;
        for (int64_t k = 0; k < K; k++) acc += (double)xr[k] * wm[k];
        y[rm] = (float)acc;
    }
}

static void run_matmul(float *y, const nn_graph *g, const nn_node *n, const float *a, const float *b) {
    const nn_shape *as = &g->tensors[n->in[0]].shape, *bs = &g->tensors[n->in[1]].shape;
    int64_t N = as->d[0], K = as->d[1], M = bs->d[1];
    for (int64_t i = 0; i < N; i++)
        for (int64_t j = 0; j < M; j++) {
            double acc = 0;
            for (int64_t k = 0; k < K; k++) acc += (double)a[i * K + k] * b[k * M + j];
            y[i * M + j] = (float)acc;
        }
}

/* Taps t in [0, k) with lo <= start + t*d < hi. */
static int64_t taps_in(int64_t start, int64_t k, int64_t d, int64_t lo, int64_t hi) {
    int64_t a = div_ceil(lo - start, d), b = div_floor(hi - 1 - start, d);
    if (a < 0) a = 0;
    if (b > k - 1) b = k - 1;
    return b >= a ? b - a + 1 : 0;
}

static void run_pool(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape, *ys = &g->tensors[n->out].shape;
    const nn_attrs *at = &n->a;
    int64_t NC = xs->d[0] * xs->d[1], H = xs->d[2], W = xs->d[3], OH = ys->d[2], OW = ys->d[3];
    int64_t KH = at->kernel[0], KW = at->kernel[1], sh = at->strides[0], sw = at->strides[1];
    int64_t dh = at->dilations[0], dw = at->dilations[1];
    int is_max = n->op == NN_MAXPOOL;
    for (int64_t nc = 0; nc < NC; nc++) {
        const float *xc = x + nc * H * W;
        float *yc = y + nc * OH * OW;
        for (int64_t oh = 0; oh < OH; oh++) {
            int64_t hs = oh * sh - at->pads[0];
            for (int64_t ow = 0; ow < OW; ow++) {
                int64_t ws = ow * sw - at->pads[1];
                double best = -INFINITY, sum = 0;
                int64_t cnt = 0;
                for (int64_t ki = 0; ki < KH; ki++) {
                    int64_t ih = hs + ki * dh;
                    if (ih < 0 || ih >= H) continue;
                    for (int64_t kj = 0; kj < KW; kj++) {
                        int64_t iw = ws + kj * dw;
                        if (iw < 0 || iw >= W) continue;
                        double v = xc[ih * W + iw];
                        if (v > best || isnan(v)) best = v;
                        sum += v;
                        cnt++;
                    }
                }
                double r;
                if (cnt == 0) r = 0;
                else if (is_max) r = best;
                else {
                    int64_t div = cnt;
                    if (at->count_include_pad)
                        div = taps_in(hs, KH, dh, -at->pads[0], H + at->pads[2]) *
                              taps_in(ws, KW, dw, -at->pads[1], W + at->pads[3]);
                    r = sum / (double)div;
                }
                yc[oh * OW + ow] = (float)r;
            }
        }
    }
}

static void run_global(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape;
    int64_t NC = xs->d[0] * xs->d[1], S = nn_numel(xs) / NC;
    for (int64_t nc = 0; nc < NC; nc++) {
        const float *xc = x + nc * S;
        double r;
        if (n->op == NN_GLOBALMAXPOOL) {
            r = xc[0];
            for (int64_t i = 1; i < S; i++)
                if (xc[i] > r || isnan(xc[i])) r = xc[i];
        } else {
            r = 0;
            for (int64_t i = 0; i < S; i++) r += xc[i];
            r /= (double)S;
        }
        y[nc] = (float)r;
    }
}

static void run_affine(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape;
    const float *sc = g->tensors[n->in[1]].data, *sh = g->tensors[n->in[2]].data;
    int64_t N = xs->d[0], C = xs->d[1], S = nn_numel(xs) / (N * C);
    for (int64_t i = 0; i < N * C; i++) {
        int64_t c = i % C;
        for (int64_t j = 0; j < S; j++) y[i * S + j] = (float)((double)x[i * S + j] * sc[c] + sh[c]);
    }
}

static float binop(nn_op op, float a, float b) {
    switch (op) {
    case NN_ADD: return a + b;
    case NN_SUB: return a - b;
    case NN_PRELU: return a < 0 ? a * b : a;
    default: return a * b;
    }
}

/* numpy broadcasting: strides of an input viewed in the output's rank,
 * with 0 along broadcast axes. */
static void bcast_strides(int64_t *st, const nn_shape *s, const nn_shape *o) {
    int64_t acc = 1;
    for (int i = o->ndim - 1; i >= 0; i--) {
        int j = i - (o->ndim - s->ndim);
        int64_t dim = j >= 0 ? s->d[j] : 1;
        st[i] = dim == 1 ? 0 : acc;
        acc *= dim;
    }
}

static void run_binary(float *y, const nn_graph *g, const nn_node *n, const float *a, const float *b) {
    const nn_shape *as = &g->tensors[n->in[0]].shape, *bs = &g->tensors[n->in[1]].shape;
    const nn_shape *os = &g->tensors[n->out].shape;
    int64_t total = nn_numel(os), na = nn_numel(as), nb = nn_numel(bs);
    if (na == total && nb == total) {
        for (int64_t i = 0; i < total; i++) y[i] = binop(n->op, a[i], b[i]);
        return;
    }
    int64_t sa[NN_MAX_DIMS], sb[NN_MAX_DIMS], idx[NN_MAX_DIMS] = {0};
    bcast_strides(sa, as, os);
    bcast_strides(sb, bs, os);
    int64_t ia = 0, ib = 0;
    for (int64_t i = 0; i < total; i++) {
        y[i] = binop(n->op, a[ia], b[ib]);
        for (int k = os->ndim - 1; k >= 0; k--) { /* odometer step */
            idx[k]++, ia += sa[k], ib += sb[k];
            if (idx[k] < os->d[k]) break;
            ia -= sa[k] * idx[k], ib -= sb[k] * idx[k], idx[k] = 0;
        }
    }
}

int nn_is_wire(nn_op op) { return op == NN_PAD || op == NN_TRANSPOSE || op == NN_SLICE || op == NN_RESIZE; }

int64_t nn_wire_src(nn_op op, const int64_t *ia, const nn_shape *X, const nn_shape *Y, int64_t o) {
    int r = Y->ndim;
    int64_t xst[NN_MAX_DIMS], acc = 1, off = 0;
    for (int d = X->ndim - 1; d >= 0; d--) xst[d] = acc, acc *= X->d[d];
    for (int d = r - 1; d >= 0; d--) {
        int64_t yd = o % Y->d[d], c;
        o /= Y->d[d];
        switch (op) {
        case NN_PAD:
            c = yd - ia[d];
            if (c < 0 || c >= X->d[d]) return -1;
            break;
        case NN_TRANSPOSE: /* y_d is coordinate perm[d] of x */
            off += yd * xst[ia[d]];
            continue;
        case NN_SLICE: c = ia[d] + yd * ia[r + d]; break;
        case NN_RESIZE:
            c = div_floor(yd + ia[r + d], ia[d]);
            c = c < 0 ? 0 : c >= X->d[d] ? X->d[d] - 1 : c;
            break;
        default: return -1;
        }
        off += c * xst[d];
    }
    return off;
}

int nn_concat_src(int64_t axis, const nn_shape *A, const nn_shape *B, const nn_shape *Y, int64_t o, int64_t *off) {
    int64_t inner = 1;
    for (int d = (int)axis + 1; d < Y->ndim; d++) inner *= Y->d[d];
    int64_t Da = A->d[axis], Db = B->d[axis], Dy = Y->d[axis];
    int64_t i = o % inner, c = (o / inner) % Dy, a = o / inner / Dy;
    if (c < Da) {
        *off = (a * Da + c) * inner + i;
        return 0;
    }
    *off = (a * Db + c - Da) * inner + i;
    return 1;
}

static void run_wire(float *y, const nn_graph *g, const nn_node *n, const float *x) {
    const nn_shape *xs = &g->tensors[n->in[0]].shape, *os = &g->tensors[n->out].shape;
    int64_t total = nn_numel(os);
    for (int64_t i = 0; i < total; i++) {
        int64_t off = nn_wire_src(n->op, n->a.iattr, xs, os, i);
        y[i] = off >= 0 ? x[off] : n->a.pad_value;
    }
}

static void run_concat(float *y, const nn_graph *g, const nn_node *n, const float *a, const float *b) {
    const nn_shape *as = &g->tensors[n->in[0]].shape, *bs = &g->tensors[n->in[1]].shape;
    const nn_shape *os = &g->tensors[n->out].shape;
    int64_t total = nn_numel(os), off;
    for (int64_t i = 0; i < total; i++) y[i] = nn_concat_src(n->a.iattr[0], as, bs, os, i, &off) ? b[off] : a[off];
}

int64_t nn_group_cell(const int64_t *ia, int64_t g, int64_t j) {
    int64_t inner = ia[1];
    return ((g / inner) * ia[0] + j) * inner + g % inner;
}

int64_t nn_group_of(const int64_t *ia, int64_t o, int64_t *j) {
    int64_t n = ia[0], inner = ia[1];
    *j = (o / inner) % n;
    return (o / (inner * n)) * inner + o % inner;
}

/* Softmax and LogSoftmax of each group, in double. */
static void run_softmax(float *y, const nn_node *n, const float *x, int64_t total) {
    int64_t G = total / n->a.iattr[0];
    for (int64_t g = 0; g < G; g++) {
        double mx = -INFINITY, sum = 0;
        for (int64_t j = 0; j < n->a.iattr[0]; j++) mx = fmax(mx, (double)x[nn_group_cell(n->a.iattr, g, j)]);
        for (int64_t j = 0; j < n->a.iattr[0]; j++) sum += exp((double)x[nn_group_cell(n->a.iattr, g, j)] - mx);
        for (int64_t j = 0; j < n->a.iattr[0]; j++) {
            int64_t o = nn_group_cell(n->a.iattr, g, j);
            double d = (double)x[o] - mx;
            y[o] = (float)(n->op == NN_SOFTMAX ? exp(d) / sum : d - log(sum));
        }
    }
}

zk_err nn_run_float(float ***values, const nn_graph *g, const float *input) {
    zk_err e = nn_graph_check(g);
    if (e) return e;
    float **v = zk_calloc(g->ntensors, sizeof *v);
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
    v[g->input] = zk_malloc_n(nin, sizeof(float));
    memcpy(v[g->input], input, nin * sizeof(float));
    for (size_t k = 0; k < g->nnodes; k++) {
        const nn_node *n = &g->nodes[k];
        const float *in[3] = {NULL, NULL, NULL};
        for (int i = 0; i < n->nin; i++) {
            const nn_tensor *t = &g->tensors[n->in[i]];
            in[i] = t->data ? t->data : v[n->in[i]];
        }
        const nn_shape *os = &g->tensors[n->out].shape;
        int64_t total = nn_numel(os);
        float *y = zk_malloc_n((size_t)total, sizeof(float));
        v[n->out] = y;
        switch (n->op) {
        case NN_CONV: run_conv(y, g, n, in[0]); break;
        case NN_FC: run_fc(y, g, n, in[0]); break;
        case NN_MATMUL: run_matmul(y, g, n, in[0], in[1]); break;
        case NN_RELU:
            for (int64_t i = 0; i < total; i++) y[i] = in[0][i] > 0 ? in[0][i] : (in[0][i] < 0 ? 0.0f : in[0][i]);
            break;
        case NN_LEAKYRELU:
            for (int64_t i = 0; i < total; i++) y[i] = in[0][i] < 0 ? in[0][i] * n->a.alpha : in[0][i];
            break;
        case NN_MAXPOOL:
        case NN_AVGPOOL: run_pool(y, g, n, in[0]); break;
        case NN_GLOBALAVGPOOL:
        case NN_GLOBALMAXPOOL: run_global(y, g, n, in[0]); break;
        case NN_AFFINE: run_affine(y, g, n, in[0]); break;
        case NN_ADD:
        case NN_SUB:
        case NN_MUL: run_binary(y, g, n, in[0], in[1]); break;
        case NN_RESHAPE: memcpy(y, in[0], (size_t)total * sizeof(float)); break;
        case NN_PAD:
        case NN_TRANSPOSE:
        case NN_SLICE:
        case NN_RESIZE: run_wire(y, g, n, in[0]); break;
        case NN_CONCAT: run_concat(y, g, n, in[0], in[1]); break;
        case NN_CLIP:
            for (int64_t i = 0; i < total; i++) y[i] = fminf(fmaxf(in[0][i], n->a.beta), n->a.gamma);
            break;
        case NN_PRELU: run_binary(y, g, n, in[0], in[1]); break;
        case NN_SOFTMAX:
        case NN_LOGSOFTMAX: run_softmax(y, n, in[0], total); break;
        default: { /* nn_is_lut (nn_graph_check) */
            double par[NN_LUT_NPAR];
            nn_lut_params(n->op, &n->a, par);
            for (int64_t i = 0; i < total; i++) y[i] = (float)nn_lut_eval(n->op, par, (double)in[0][i]);
            break;
        }
        }
    }
    *values = v;
    return ZK_OK;
}

void nn_values_free(float **values, const nn_graph *g) {
    if (!values) return;
    for (size_t t = 0; t < g->ntensors; t++) free(values[t]);
    free(values);
}

/* ---- element-wise functions (nn.h: nn_is_lut) ---- */

int nn_is_lut(nn_op op) { return op >= NN_SIGMOID && op <= NN_SOFTSIGN; }

void nn_lut_params(nn_op op, const nn_attrs *a, double par[NN_LUT_NPAR]) {
    for (int i = 0; i < NN_LUT_NPAR; i++) par[i] = 0;
    switch (op) {
    case NN_ELU: par[0] = a->alpha; break;
    case NN_SELU: par[0] = a->alpha, par[2] = a->gamma; break;
    case NN_HARDSIGMOID: par[0] = a->alpha, par[1] = a->beta; break;
    case NN_GELU: par[0] = a->iattr[0] != 0; break;
    default: break;
    }
}

static double nn_clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

double nn_lut_eval(nn_op op, const double *par, double x) {
    switch (op) {
    case NN_SIGMOID: return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
    case NN_TANH: return tanh(x);
    case NN_EXP: return exp(x);
    case NN_ERF: return erf(x);
    case NN_GELU:
        if (par[0] != 0) return 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
        return 0.5 * x * (1 + erf(x * 0.7071067811865476));
    case NN_ELU: return x >= 0 ? x : par[0] * expm1(x);
    case NN_SELU: return par[2] * (x > 0 ? x : par[0] * expm1(x));
    case NN_SOFTPLUS: return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
    case NN_HARDSIGMOID: return nn_clamp01(par[0] * x + par[1]);
    case NN_HARDSWISH: return x * nn_clamp01(x / 6 + 0.5);
    case NN_SOFTSIGN: return x / (1 + fabs(x));
    default: return NAN;
    }
}
