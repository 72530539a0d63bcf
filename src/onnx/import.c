/* import.c -- ONNX graph import: tensor table, node dispatch, constant
 * folding of exporter glue, normalization into the nn.h op set, BatchNorm
 * folding and dead-code removal.
 *
 * During import every tensor lives in one growing nn_graph (ictx.g): a
 * constant of an integer type holds exact int64 values in idata[t]
 * (shapes, axes, indices), with tensor.data as a float copy made on first
 * use; a float constant holds tensor.data only; a computed tensor holds
 * neither. Emitting an nn op whose inputs are all constants evaluates it
 * at once with nn_run_float, so the graph that leaves the importer only
 * holds ops with at least one computed input. */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "onnx_int.h"

#define POISON (-2) /* map value of a secondary output the importer drops */

typedef struct {
    char *key;
    int val;
} onnx_ent;

typedef struct {
    nn_graph g; /* tensors and nodes under construction */
    size_t tcap, ncap;
    int64_t **idata; /* per tensor: integer constant values, or NULL */
    onnx_ent *map;   /* ONNX value name -> tensor index (open addressing) */
    size_t mcap, mcount;
    int64_t opset;
    int64_t budget; /* elements that folding may still allocate */
    int64_t work;   /* multiply-accumulates that folding may still spend */
    const Onnx__NodeProto *node; /* node being imported, for messages */
    char label[56];              /* its name, or "#index" */
    char op[40];                 /* its op_type */
} ictx;

/* ---- messages ---- */

/* Copies s into buf for a one-line message: printable ASCII only. */
static void clean(char *buf, size_t cap, const char *s, size_t slen) {
    size_t k = 0;
    for (size_t i = 0; i < slen && s[i] && k + 1 < cap; i++)
        buf[k++] = isprint((unsigned char)s[i]) ? s[i] : '?';
    if (k + 1 == cap && k >= 3) buf[k - 1] = buf[k - 2] = buf[k - 3] = '.';
    buf[k] = 0;
}

static zk_err nfail(ictx *c, zk_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static zk_err nfail(ictx *c, zk_err e, const char *fmt, ...) {
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->node) zk_set_reason("node \"%s\" (%s): %s", c->label, c->op, msg);
    else zk_set_reason("%s", msg);
    return e;
}

/* Re-labels a reason set by nn_infer_shape with the ONNX op type. */
static zk_err relabel(ictx *c, zk_err e) {
    char msg[200];
    const char *r = zk_reason(), *p = strstr(r, "): ");
    snprintf(msg, sizeof msg, "%s", p ? p + 3 : r);
    return nfail(c, e, "%s", msg);
}

/* Float to integer as a cast: truncate, NaN -> 0, saturate. */
static int64_t f2i(double v) {
    return isnan(v) ? 0 : v >= 9.2233720368547758e18 ? INT64_MAX : v <= -9.2233720368547758e18 ? INT64_MIN : (int64_t)v;
}

static char *xstrdup(const char *s) {
    char *r = strdup(s ? s : "");
    ZK_CHECK(r != NULL);
    return r;
}

/* ---- name map ---- */

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

static int map_get(const ictx *c, const char *name) {
    if (!c->mcap) return -1;
    for (size_t i = hash_str(name) & (c->mcap - 1);; i = (i + 1) & (c->mcap - 1)) {
        if (!c->map[i].key) return -1;
        if (strcmp(c->map[i].key, name) == 0) return c->map[i].val;
    }
}

static void map_put_raw(onnx_ent *map, size_t cap, char *key, int val) {
    size_t i = hash_str(key) & (cap - 1);
    while (map[i].key) i = (i + 1) & (cap - 1);
    map[i].key = key;
    map[i].val = val;
}

/* Binds an ONNX name to a tensor (or POISON); a name bound twice is an
 * invalid model. */
static zk_err bind(ictx *c, const char *name, int t) {
    if (!name || !*name) return ZK_OK;
    if (map_get(c, name) != -1) {
        char nb[64];
        clean(nb, sizeof nb, name, strlen(name));
        return nfail(c, ZK_EINPUT, "tensor \"%s\" is defined twice", nb);
    }
    if (2 * (c->mcount + 1) > c->mcap) {
        size_t cap = c->mcap ? 2 * c->mcap : 64;
        onnx_ent *m = zk_calloc(cap, sizeof *m);
        for (size_t i = 0; i < c->mcap; i++)
            if (c->map[i].key) map_put_raw(m, cap, c->map[i].key, c->map[i].val);
        free(c->map);
        c->map = m;
        c->mcap = cap;
    }
    map_put_raw(c->map, c->mcap, xstrdup(name), t);
    c->mcount++;
    return ZK_OK;
}

/* ---- tensors ---- */

/* s may point into the tensor array, which may move: copied first. */
static int t_new(ictx *c, const char *name, const nn_shape *s) {
    nn_shape sc = *s;
    if (c->g.ntensors == c->tcap) {
        c->tcap = c->tcap ? 2 * c->tcap : 64;
        c->g.tensors = zk_realloc_n(c->g.tensors, c->tcap, sizeof *c->g.tensors);
        c->idata = zk_realloc_n(c->idata, c->tcap, sizeof *c->idata);
    }
    size_t k = c->g.ntensors++;
    ZK_CHECK(k < INT32_MAX);
    c->g.tensors[k].name = xstrdup(name);
    c->g.tensors[k].shape = sc;
    c->g.tensors[k].data = NULL;
    c->idata[k] = NULL;
    return (int)k;
}

static int is_const(const ictx *c, int t) { return c->g.tensors[t].data != NULL || c->idata[t] != NULL; }
static const nn_shape *shp(const ictx *c, int t) { return &c->g.tensors[t].shape; }
static int64_t numel0(const ictx *c, int t) { return onnx_numel0(shp(c, t)); }

static zk_err charge(ictx *c, int64_t n) {
    if (n > c->budget) return nfail(c, ZK_EINPUT, "constant folding would allocate more than the model's size warrants");
    c->budget -= n;
    return ZK_OK;
}

/* Float view of a constant (converted from integers on first use). */
static const float *cfloat(ictx *c, int t) {
    nn_tensor *x = &c->g.tensors[t];
    if (!x->data && c->idata[t]) {
        int64_t n = numel0(c, t);
        x->data = zk_malloc_n((size_t)n, sizeof(float));
        for (int64_t i = 0; i < n; i++) x->data[i] = (float)c->idata[t][i];
    }
    return x->data;
}

/* New constant tensors; they take ownership of data. */
static int t_const_f(ictx *c, const char *name, const nn_shape *s, float *data) {
    int t = t_new(c, name, s);
    c->g.tensors[t].data = data;
    return t;
}
static int t_const_i(ictx *c, const char *name, const nn_shape *s, int64_t *data) {
    int t = t_new(c, name, s);
    c->idata[t] = data;
    return t;
}
/* A constant of shape [1]: it broadcasts like a scalar against the
 * computed operand it is used with, and unlike a rank-0 tensor it is a
 * q_model constant (quant.c refuses cshape ndim 0 with values). */
static int t_scalar(ictx *c, const char *name, float v) {
    nn_shape s = {1, {1}};
    float *d = zk_malloc(sizeof(float));
    d[0] = v;
    return t_const_f(c, name, &s, d);
}

/* Copy of constant t with another shape of the same element count. */
static int t_const_copy(ictx *c, const char *name, int t, const nn_shape *s) {
    int64_t n = numel0(c, t);
    if (c->idata[t]) {
        int64_t *d = zk_malloc_n((size_t)n, sizeof *d);
        memcpy(d, c->idata[t], (size_t)n * sizeof *d);
        return t_const_i(c, name, s, d);
    }
    float *d = zk_malloc_n((size_t)n, sizeof *d);
    memcpy(d, c->g.tensors[t].data, (size_t)n * sizeof *d);
    return t_const_f(c, name, s, d);
}

static const char *shape_str(char *buf, size_t cap, const nn_shape *s) {
    size_t k = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < s->ndim && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, i ? ",%lld" : "%lld", (long long)s->d[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
    return buf;
}

/* Integer values of a constant input (a scalar or 1-D tensor). */
static zk_err in_ints(ictx *c, const int64_t **v, int64_t *n, int t, const char *what) {
    if (t < 0) return nfail(c, ZK_EINPUT, "missing input %s", what);
    if (!is_const(c, t)) return nfail(c, ZK_EINPUT, "input %s must be a constant", what);
    if (!c->idata[t]) return nfail(c, ZK_EINPUT, "input %s must be an integer tensor", what);
    if (shp(c, t)->ndim > 1) return nfail(c, ZK_EINPUT, "input %s must be 1-D", what);
    *v = c->idata[t];
    *n = numel0(c, t);
    return ZK_OK;
}

/* ---- attributes ---- */

static const Onnx__AttributeProto *attr_find(const Onnx__NodeProto *n, const char *name) {
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && strcmp(n->attribute[i]->name, name) == 0) return n->attribute[i];
    return NULL;
}

static zk_err attr_type(ictx *c, const Onnx__AttributeProto *a, Onnx__AttributeProto__AttributeType want,
                        int present) {
    if ((a->has_type && a->type != want) || (!a->has_type && !present))
        return nfail(c, ZK_EINPUT, "attribute %s has the wrong type", a->name);
    return ZK_OK;
}

static zk_err a_int(ictx *c, int64_t *v, const char *name, int64_t def) {
    const Onnx__AttributeProto *a = attr_find(c->node, name);
    *v = def;
    if (!a) return ZK_OK;
    zk_err e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT, a->has_i);
    if (!e) *v = a->i;
    return e;
}

static zk_err a_float(ictx *c, float *v, const char *name, float def) {
    const Onnx__AttributeProto *a = attr_find(c->node, name);
    *v = def;
    if (!a) return ZK_OK;
    zk_err e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT, a->has_f);
    if (!e) *v = a->f;
    return e;
}

/* Up to max ints; *cnt = -1 when the attribute is absent. */
static zk_err a_ints(ictx *c, int64_t *v, int *cnt, int max, const char *name) {
    const Onnx__AttributeProto *a = attr_find(c->node, name);
    *cnt = -1;
    if (!a) return ZK_OK;
    zk_err e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS, a->n_ints > 0);
    if (e) return e;
    if (a->n_ints > (size_t)max) return nfail(c, ZK_EINPUT, "attribute %s has too many values", name);
    for (size_t i = 0; i < a->n_ints; i++) v[i] = a->ints[i];
    *cnt = (int)a->n_ints;
    return ZK_OK;
}

/* String attribute, cleaned for messages and comparison. */
static zk_err a_str(ictx *c, char *buf, size_t cap, const char *name, const char *def) {
    const Onnx__AttributeProto *a = attr_find(c->node, name);
    snprintf(buf, cap, "%s", def);
    if (!a) return ZK_OK;
    zk_err e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING, a->has_s);
    if (!e) clean(buf, cap, (const char *)a->s.data, a->s.len);
    return e;
}

/* ---- emitting nn ops ---- */

/* Evaluates node n (all inputs constant) into the float data of its
 * output tensor. */
static zk_err fold_node(ictx *c, const nn_node *n) {
    nn_tensor tt[4];
    nn_node tn = *n;
    for (int i = 0; i < n->nin; i++) {
        cfloat(c, n->in[i]);
        tt[i] = c->g.tensors[n->in[i]];
        tn.in[i] = i;
    }
    tt[0].data = NULL;
    tt[n->nin] = c->g.tensors[n->out];
    tn.out = n->nin;
    nn_graph tg = {tt, (size_t)n->nin + 1, &tn, 1, 0, n->nin};
    zk_err e = charge(c, nn_numel(&tt[n->nin].shape));
    if (e) return e;
    int64_t w = nn_node_macs(&tg, &tn);
    if (w > c->work) return nfail(c, ZK_EINPUT, "constant folding would take more work than the model's size warrants");
    c->work -= w;
    float **vals;
    e = nn_run_float(&vals, &tg, c->g.tensors[n->in[0]].data);
    if (e) return relabel(c, e);
    c->g.tensors[n->out].data = vals[n->nin];
    vals[n->nin] = NULL;
    nn_values_free(vals, &tg);
    return ZK_OK;
}

/* Appends op(in) producing a new tensor called name, with the inferred
 * shape (for NN_RESHAPE: *rs). With all inputs constant it is evaluated
 * instead. */
static zk_err emit(ictx *c, int *out, nn_op op, const int *in, int nin, const nn_attrs *a, const char *name,
                   const nn_shape *rs) {
    nn_shape zero = {0, {0}};
    nn_node n;
    memset(&n, 0, sizeof n);
    n.op = op;
    n.nin = nin;
    int all_const = 1;
    for (int i = 0; i < nin; i++) {
        if (in[i] < 0) return nfail(c, ZK_EINPUT, "missing input");
        n.in[i] = in[i];
        if (is_const(c, in[i])) cfloat(c, in[i]);
        else all_const = 0;
    }
    if (a) n.a = *a;
    n.name = c->label;
    n.out = t_new(c, name, rs ? rs : &zero);
    nn_shape o;
    zk_err e = nn_infer_shape(&o, &c->g, &n);
    if (e) return relabel(c, e);
    c->g.tensors[n.out].shape = o;
    *out = n.out;
    if (all_const) return fold_node(c, &n);
    if (c->g.nnodes == c->ncap) {
        c->ncap = c->ncap ? 2 * c->ncap : 32;
        c->g.nodes = zk_realloc_n(c->g.nodes, c->ncap, sizeof *c->g.nodes);
    }
    n.name = xstrdup(c->label);
    c->g.nodes[c->g.nnodes++] = n;
    return ZK_OK;
}

static int shape_eq(const nn_shape *a, const nn_shape *b) {
    if (a->ndim != b->ndim) return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->d[i] != b->d[i]) return 0;
    return 1;
}

/* t viewed with shape s (same element count): itself, a constant copy, or
 * an NN_RESHAPE. */
static zk_err reshape_to(ictx *c, int *out, int t, const nn_shape *s, const char *name) {
    if (onnx_numel0(s) != numel0(c, t)) {
        char b0[80], b1[80];
        return nfail(c, ZK_EINPUT, "cannot reshape %s into %s", shape_str(b0, sizeof b0, shp(c, t)),
                     shape_str(b1, sizeof b1, s));
    }
    if (shape_eq(s, shp(c, t))) {
        *out = t;
        return ZK_OK;
    }
    if (is_const(c, t)) {
        zk_err e = charge(c, numel0(c, t));
        if (e) return e;
        *out = t_const_copy(c, name, t, s);
        return ZK_OK;
    }
    return emit(c, out, NN_RESHAPE, &t, 1, NULL, name, s);
}

/* ---- node handlers ---- */

typedef struct {
    const Onnx__NodeProto *n;
    const int *in; /* tensor per input; -1 where the name is empty */
    int nin;
    const char *out; /* name of output 0 */
    char buf[160];   /* scratch for intermediate names */
} nctx;

static const char *sub(nctx *x, const char *suffix) {
    snprintf(x->buf, sizeof x->buf, "%s:%s", x->out, suffix);
    return x->buf;
}
static int inp(const nctx *x, int i) { return i < x->nin ? x->in[i] : -1; }

/* Poisons outputs from index k on: using them later is refused. */
static zk_err drop_outputs(ictx *c, const nctx *x, size_t k) {
    for (; k < x->n->n_output; k++) {
        zk_err e = bind(c, x->n->output[k], POISON);
        if (e) return e;
    }
    return ZK_OK;
}

static int64_t div_ceil_pos(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

/* Kernel/stride/dilation/pad attributes of a 1-D (sp = 1) or 2-D conv or
 * pool over spatial sizes insp with kernel kern, into a (2-D layout). */
static zk_err window_attrs(ictx *c, nn_attrs *a, int sp, const int64_t *insp, const int64_t *kern, int *ceil_mode) {
    int64_t st[2] = {1, 1}, dl[2] = {1, 1}, pd[4] = {0, 0, 0, 0};
    int ns, nd, np;
    zk_err e;
    if ((e = a_ints(c, st, &ns, 2, "strides")) || (e = a_ints(c, dl, &nd, 2, "dilations")) ||
        (e = a_ints(c, pd, &np, 4, "pads")))
        return e;
    if ((ns != -1 && ns != sp) || (nd != -1 && nd != sp) || (np != -1 && np != 2 * sp))
        return nfail(c, ZK_EINPUT, "strides, dilations or pads do not match %d spatial axes", sp);
    if (ns == -1) st[0] = st[1] = 1;
    if (nd == -1) dl[0] = dl[1] = 1;
    if (np == -1) pd[0] = pd[1] = pd[2] = pd[3] = 0;
    int64_t lim = (int64_t)1 << 24;
    for (int i = 0; i < sp; i++) {
        if (st[i] < 1 || st[i] > lim || dl[i] < 1 || dl[i] > lim || kern[i] < 1 || kern[i] > lim)
            return nfail(c, ZK_EINPUT, "unsupported attribute value: kernel, stride or dilation %lld",
                         (long long)(st[i] < 1 || st[i] > lim ? st[i] : dl[i] < 1 || dl[i] > lim ? dl[i] : kern[i]));
        if (pd[i] < 0 || pd[i] > lim || pd[sp + i] < 0 || pd[sp + i] > lim)
            return nfail(c, ZK_EINPUT, "unsupported attribute value: pads must be non-negative");
    }
    char ap[24];
    if ((e = a_str(c, ap, sizeof ap, "auto_pad", "NOTSET"))) return e;
    int same_upper = strcmp(ap, "SAME_UPPER") == 0, same_lower = strcmp(ap, "SAME_LOWER") == 0;
    if (same_upper || same_lower || strcmp(ap, "VALID") == 0) {
        for (int i = 0; i < sp; i++) {
            int64_t total = 0;
            if (same_upper || same_lower) {
                int64_t o = div_ceil_pos(insp[i], st[i]), dk = (kern[i] - 1) * dl[i] + 1;
                total = (o - 1) * st[i] + dk - insp[i];
                if (total < 0) total = 0;
            }
            pd[i] = same_upper ? total / 2 : total - total / 2;
            pd[sp + i] = total - pd[i];
        }
        if (ceil_mode) *ceil_mode = 0;
    } else if (strcmp(ap, "NOTSET") != 0 && ap[0]) {
        return nfail(c, ZK_EINPUT, "unsupported attribute value auto_pad=%s", ap);
    }
    if (sp == 1) {
        a->kernel[0] = 1, a->kernel[1] = kern[0];
        a->strides[0] = 1, a->strides[1] = st[0];
        a->dilations[0] = 1, a->dilations[1] = dl[0];
        a->pads[0] = 0, a->pads[1] = pd[0], a->pads[2] = 0, a->pads[3] = pd[1];
    } else {
        for (int i = 0; i < 2; i++) a->kernel[i] = kern[i], a->strides[i] = st[i], a->dilations[i] = dl[i];
        for (int i = 0; i < 4; i++) a->pads[i] = pd[i];
    }
    return ZK_OK;
}

/* Rank check shared by Conv and the pools: 3-D (1-D spatial) or 4-D. */
static zk_err spatial_rank(ictx *c, int *sp, int x) {
    int r = shp(c, x)->ndim;
    if (r == 5) return nfail(c, ZK_EINPUT, "3-D spatial input is not supported");
    if (r != 3 && r != 4) return nfail(c, ZK_EINPUT, "expects a 3-D or 4-D input, got rank %d", r);
    *sp = r - 2;
    return ZK_OK;
}

/* [N,C,L] -> [N,C,1,L] */
static nn_shape lift1d(const nn_shape *s) {
    nn_shape o = {4, {s->d[0], s->d[1], 1, s->d[2]}};
    return o;
}

/* Output of a 1-D op computed on its 2-D lift: back to 3-D, named x->out. */
static zk_err finish(ictx *c, nctx *x, int t, int sp) {
    if (sp == 1) {
        nn_shape s = {3, {shp(c, t)->d[0], shp(c, t)->d[1], shp(c, t)->d[3]}};
        zk_err e = reshape_to(c, &t, t, &s, x->out);
        if (e) return e;
    }
    return bind(c, x->out, t);
}

/* The operands of Conv and ConvTranspose: X with sp = 1 or 2 spatial
 * axes, a constant W of rank sp + 2, an optional constant B (-1). */
static zk_err conv_operands(ictx *c, nctx *x, int *X, int *W, int *B, int *sp) {
    *X = inp(x, 0), *W = inp(x, 1), *B = inp(x, 2);
    if (*X < 0 || *W < 0) return nfail(c, ZK_EINPUT, "missing input");
    if (!is_const(c, *W)) return nfail(c, ZK_EINPUT, "weight must be a constant");
    if (*B >= 0 && !is_const(c, *B)) return nfail(c, ZK_EINPUT, "bias must be a constant");
    zk_err e = spatial_rank(c, sp, *X);
    if (e) return e;
    if (shp(c, *W)->ndim != *sp + 2)
        return nfail(c, ZK_EINPUT, "weight rank %d does not match the input", shp(c, *W)->ndim);
    return ZK_OK;
}

static zk_err op_conv(ictx *c, nctx *x) {
    int X, W, B, sp = 0;
    zk_err e = conv_operands(c, x, &X, &W, &B, &sp);
    if (e) return e;
    const nn_shape *ws = shp(c, W);
    int64_t ks[2];
    int cnt;
    if ((e = a_ints(c, ks, &cnt, 2, "kernel_shape"))) return e;
    for (int i = 0; i < sp; i++)
        if (cnt != -1 && (cnt != sp || ks[i] != ws->d[2 + i]))
            return nfail(c, ZK_EINPUT, "kernel_shape disagrees with the weight");
    nn_attrs a;
    memset(&a, 0, sizeof a);
    if ((e = a_int(c, &a.group, "group", 1))) return e;
    if ((e = window_attrs(c, &a, sp, shp(c, X)->d + 2, ws->d + 2, NULL))) return e;
    int in[3] = {X, W, B};
    if (sp == 1) {
        nn_shape xs = lift1d(shp(c, X)), w2 = lift1d(ws);
        if ((e = reshape_to(c, &in[0], X, &xs, sub(x, "in2d"))) || (e = reshape_to(c, &in[1], W, &w2, sub(x, "w2d"))))
            return e;
    }
    int t;
    if ((e = emit(c, &t, NN_CONV, in, B >= 0 ? 3 : 2, &a, sp == 1 ? sub(x, "out2d") : x->out, NULL))) return e;
    return finish(c, x, t, sp);
}

/* A 2-D MaxPool costs the prover about (cells per window) x (outputs)
 * (a difference and a choice bit per cell, protocol.md sec. 7.3). Split
 * into a kw-wide pass over every row and a kh-tall pass, the work is
 * kw x (rows x output columns) + kh x (outputs); the split is emitted when
 * that at most halves it. It pays for large windows (a 5 x 5 window at
 * stride 1: 10 cells per output instead of 25; the 60 x 80 dilated window
 * of an ONNX test: 4800 cells per output, over the prover's limit of 4096,
 * become 80 and 60) and never for the 2 x 2 and 3 x 3 stride-2 pools of
 * LeNet-5, VGG-16 and ResNets. The outputs are identical. */
static int maxpool_split_pays(ictx *c, int X, const nn_attrs *a) {
    if (a->kernel[0] < 2 || a->kernel[1] < 2) return 0;
    nn_node n;
    memset(&n, 0, sizeof n);
    n.op = NN_MAXPOOL;
    n.nin = 1;
    n.in[0] = X;
    n.a = *a;
    n.name = c->label;
    nn_shape o;
    if (nn_infer_shape(&o, &c->g, &n) != ZK_OK) return 0; /* the plain emit reports it */
    const nn_shape *xs = shp(c, X);
    double H = (double)xs->d[2], OH = (double)o.d[2], OW = (double)o.d[3];
    double whole = (double)a->kernel[0] * (double)a->kernel[1] * OH * OW;
    double split = (double)a->kernel[1] * H * OW + (double)a->kernel[0] * OH * OW;
    return 2 * split <= whole;
}

static zk_err op_pool(ictx *c, nctx *x, nn_op op) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int sp = 0;
    zk_err e = spatial_rank(c, &sp, X);
    if (e) return e;
    int64_t ks[2], v;
    int cnt;
    if ((e = a_ints(c, ks, &cnt, 2, "kernel_shape"))) return e;
    if (cnt != sp) return nfail(c, ZK_EINPUT, "kernel_shape must have %d values", sp);
    nn_attrs a;
    memset(&a, 0, sizeof a);
    if ((e = a_int(c, &v, "ceil_mode", 0))) return e;
    if (v != 0 && v != 1) return nfail(c, ZK_EINPUT, "unsupported attribute value ceil_mode=%lld", (long long)v);
    a.ceil_mode = (int)v;
    if ((e = a_int(c, &v, "count_include_pad", 0))) return e;
    if (v != 0 && v != 1)
        return nfail(c, ZK_EINPUT, "unsupported attribute value count_include_pad=%lld", (long long)v);
    a.count_include_pad = (int)v;
    if ((e = a_int(c, &v, "storage_order", 0))) return e;
    if (v != 0 && v != 1) return nfail(c, ZK_EINPUT, "unsupported attribute value storage_order=%lld", (long long)v);
    if ((e = window_attrs(c, &a, sp, shp(c, X)->d + 2, ks, &a.ceil_mode))) return e;
    if ((e = drop_outputs(c, x, 1))) return e;
    int in = X;
    if (sp == 1) {
        nn_shape xs = lift1d(shp(c, X));
        if ((e = reshape_to(c, &in, X, &xs, sub(x, "in2d")))) return e;
    }
    int t;
    if (op == NN_MAXPOOL && sp == 2 && maxpool_split_pays(c, in, &a)) {
        /* the max over kh x kw cells is the max over kh rows of the max
         * over kw columns (padding cells never win, in either order) */
        nn_attrs a1 = a, a2 = a;
        a1.kernel[0] = a1.strides[0] = a1.dilations[0] = 1;
        a1.pads[0] = a1.pads[2] = 0;
        a2.kernel[1] = a2.strides[1] = a2.dilations[1] = 1;
        a2.pads[1] = a2.pads[3] = 0;
        if ((e = emit(c, &t, op, &in, 1, &a1, sub(x, "rows"), NULL))) return e;
        in = t;
        if ((e = emit(c, &t, op, &in, 1, &a2, x->out, NULL))) return e;
        return bind(c, x->out, t);
    }
    if ((e = emit(c, &t, op, &in, 1, &a, sp == 1 ? sub(x, "out2d") : x->out, NULL))) return e;
    return finish(c, x, t, sp);
}

static zk_err op_maxpool(ictx *c, nctx *x) { return op_pool(c, x, NN_MAXPOOL); }
static zk_err op_avgpool(ictx *c, nctx *x) { return op_pool(c, x, NN_AVGPOOL); }

static zk_err op_unary(ictx *c, nctx *x, nn_op op, const nn_attrs *a) {
    int t, X = inp(x, 0);
    zk_err e = emit(c, &t, op, &X, 1, a, x->out, NULL);
    return e ? e : bind(c, x->out, t);
}
static zk_err op_relu(ictx *c, nctx *x) { return op_unary(c, x, NN_RELU, NULL); }
static zk_err op_gap(ictx *c, nctx *x) { return op_unary(c, x, NN_GLOBALAVGPOOL, NULL); }
static zk_err op_gmp(ictx *c, nctx *x) { return op_unary(c, x, NN_GLOBALMAXPOOL, NULL); }
static zk_err op_leakyrelu(ictx *c, nctx *x) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    zk_err e = a_float(c, &a.alpha, "alpha", 0.01f);
    return e ? e : op_unary(c, x, NN_LEAKYRELU, &a);
}

/* Element-wise functions (nn.h, NN_SIGMOID .. NN_SOFTSIGN; ONNX's
 * defaults). */
static zk_err op_sigmoid(ictx *c, nctx *x) { return op_unary(c, x, NN_SIGMOID, NULL); }
static zk_err op_tanh(ictx *c, nctx *x) { return op_unary(c, x, NN_TANH, NULL); }
static zk_err op_exp(ictx *c, nctx *x) { return op_unary(c, x, NN_EXP, NULL); }
static zk_err op_erf(ictx *c, nctx *x) { return op_unary(c, x, NN_ERF, NULL); }
static zk_err op_softplus(ictx *c, nctx *x) { return op_unary(c, x, NN_SOFTPLUS, NULL); }
static zk_err op_softsign(ictx *c, nctx *x) { return op_unary(c, x, NN_SOFTSIGN, NULL); }
static zk_err op_hardswish(ictx *c, nctx *x) { return op_unary(c, x, NN_HARDSWISH, NULL); }

/* A float attribute that must be finite. */
static zk_err a_float_fin(ictx *c, float *v, const char *name, float def) {
    zk_err e = a_float(c, v, name, def);
    if (!e && !isfinite(*v)) return nfail(c, ZK_EINPUT, "attribute %s is not finite", name);
    return e;
}

static zk_err op_elu(ictx *c, nctx *x) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    zk_err e = a_float_fin(c, &a.alpha, "alpha", 1.0f);
    return e ? e : op_unary(c, x, NN_ELU, &a);
}
static zk_err op_selu(ictx *c, nctx *x) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    zk_err e;
    if ((e = a_float_fin(c, &a.alpha, "alpha", 1.67326319217681884765625f)) ||
        (e = a_float_fin(c, &a.gamma, "gamma", 1.05070102214813232421875f)))
        return e;
    return op_unary(c, x, NN_SELU, &a);
}
static zk_err op_hardsigmoid(ictx *c, nctx *x) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    zk_err e;
    if ((e = a_float_fin(c, &a.alpha, "alpha", 0.2f)) || (e = a_float_fin(c, &a.beta, "beta", 0.5f))) return e;
    return op_unary(c, x, NN_HARDSIGMOID, &a);
}
static zk_err op_gelu(ictx *c, nctx *x) { /* opset 20 */
    nn_attrs a;
    memset(&a, 0, sizeof a);
    char ap[16];
    zk_err e = a_str(c, ap, sizeof ap, "approximate", "none");
    if (e) return e;
    if (strcmp(ap, "none") != 0 && strcmp(ap, "tanh") != 0)
        return nfail(c, ZK_EINPUT, "unsupported attribute value approximate=%s", ap);
    a.iattr[0] = strcmp(ap, "tanh") == 0;
    return op_unary(c, x, NN_GELU, &a);
}

/* One bound of a Clip from a constant scalar input (opset 11 on); an
 * absent input leaves *v. */
static zk_err clip_bound(ictx *c, nctx *x, int i, float *v, const char *what) {
    int t = inp(x, i);
    if (t < 0) return ZK_OK;
    if (!is_const(c, t)) return nfail(c, ZK_EINPUT, "input %s must be a constant", what);
    if (numel0(c, t) != 1) return nfail(c, ZK_EINPUT, "input %s must be a scalar", what);
    *v = cfloat(c, t)[0];
    if (isnan(*v)) return nfail(c, ZK_EINPUT, "input %s is NaN", what);
    return ZK_OK;
}

/* Clip: min and max are attributes before opset 11, optional constant
 * inputs after. */
static zk_err op_clip(ictx *c, nctx *x) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.beta = -INFINITY, a.gamma = INFINITY;
    zk_err e;
    if (c->opset < 11) {
        if ((e = a_float(c, &a.beta, "min", -INFINITY)) || (e = a_float(c, &a.gamma, "max", INFINITY))) return e;
        if (isnan(a.beta) || isnan(a.gamma)) return nfail(c, ZK_EINPUT, "min or max is NaN");
    } else if ((e = clip_bound(c, x, 1, &a.beta, "min")) || (e = clip_bound(c, x, 2, &a.gamma, "max"))) {
        return e;
    }
    return op_unary(c, x, NN_CLIP, &a);
}

/* PRelu: the slope must be a constant (a learned parameter). */
static zk_err op_prelu(ictx *c, nctx *x) {
    int in[2] = {inp(x, 0), inp(x, 1)}, y;
    if (in[0] < 0 || in[1] < 0) return nfail(c, ZK_EINPUT, "missing input");
    if (!is_const(c, in[1])) return nfail(c, ZK_EINPUT, "input slope must be a constant");
    const nn_shape *xs = shp(c, in[0]), *ss = shp(c, in[1]);
    zk_err e;
    if (c->opset < 7 && ss->ndim == 1 && ss->d[0] > 1 && xs->ndim >= 2 && ss->d[0] == xs->d[1]) {
        nn_shape cs = {xs->ndim - 1, {ss->d[0]}}; /* before opset 7 a slope per channel (axis 1) */
        for (int d = 1; d < cs.ndim; d++) cs.d[d] = 1;
        if ((e = reshape_to(c, &in[1], in[1], &cs, sub(x, "slope")))) return e;
    }
    e = emit(c, &y, NN_PRELU, in, 2, NULL, x->out, NULL);
    return e ? e : bind(c, x->out, y);
}

/* Softmax, LogSoftmax: the axis's groups (nn.h, nn_group_cell). Before
 * opset 13 the input is taken as 2-D at the axis (default 1), from opset
 * 13 one axis (default -1). */
static zk_err op_softmax_common(ictx *c, nctx *x, nn_op op) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t axis;
    zk_err e = a_int(c, &axis, "axis", c->opset < 13 ? 1 : -1);
    if (e) return e;
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim;
    if (axis < -r || axis >= (r ? r : 1)) return nfail(c, ZK_EINPUT, "unsupported attribute value axis=%lld", (long long)axis);
    if (axis < 0) axis += r;
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.iattr[0] = a.iattr[1] = 1;
    for (int d = (int)axis; d < r; d++) {
        int in_group = c->opset < 13 || d == axis;
        a.iattr[in_group ? 0 : 1] *= xs->d[d];
    }
    return op_unary(c, x, op, &a);
}
static zk_err op_softmax(ictx *c, nctx *x) { return op_softmax_common(c, x, NN_SOFTMAX); }
static zk_err op_logsoftmax(ictx *c, nctx *x) { return op_softmax_common(c, x, NN_LOGSOFTMAX); }

/* Transposed copy of a 2-D constant, times alpha. */
static int const_t2d(ictx *c, const char *name, int t, int transpose, double alpha) {
    const nn_shape *s = shp(c, t);
    int64_t R = s->d[0], C = s->d[1];
    const float *src = cfloat(c, t);
    float *d = zk_malloc_n((size_t)(R * C), sizeof *d);
    for (int64_t i = 0; i < R; i++)
        for (int64_t j = 0; j < C; j++) {
            double v = (double)src[i * C + j] * alpha;
            if (transpose) d[j * R + i] = (float)v;
            else d[i * C + j] = (float)v;
        }
    nn_shape o = {2, {transpose ? C : R, transpose ? R : C}};
    return t_const_f(c, name, &o, d);
}

/* Computed y plus beta*C (C constant or computed, numpy-broadcast). */
static zk_err add_scaled(ictx *c, nctx *x, int *y, int C, float beta, const char *name) {
    zk_err e;
    int cc = C;
    if (beta != 1.0f) {
        if (is_const(c, C)) {
            int64_t n = numel0(c, C);
            if ((e = charge(c, n))) return e;
            const float *s = cfloat(c, C);
            float *d = zk_malloc_n((size_t)n, sizeof *d);
            for (int64_t i = 0; i < n; i++) d[i] = beta * s[i];
            cc = t_const_f(c, sub(x, "beta_c"), shp(c, C), d);
        } else {
            int in[2] = {C, t_scalar(c, sub(x, "beta"), beta)};
            if ((e = emit(c, &cc, NN_MUL, in, 2, NULL, sub(x, "beta_c"), NULL))) return e;
        }
    }
    int in[2] = {*y, cc};
    return emit(c, y, NN_ADD, in, 2, NULL, name, NULL);
}

static zk_err transpose_to(ictx *c, int *out, int X, const int64_t *perm, const char *name);

/* y = alpha op(A) op(B) for a 2-D constant A and a computed B (op: the
 * transpose where ta, tb): (op(B)^T op(A)^T)^T, i.e. an FC over the rows
 * of op(B)^T with the weights alpha op(A), then a Transpose; the result is
 * named name. */
static zk_err const_left_product(ictx *c, nctx *x, int *y, int A, int ta, float alpha, int B, int tb,
                                 const char *name) {
    static const int64_t swap2[2] = {1, 0};
    char nm[200];
    snprintf(nm, sizeof nm, "%s", name); /* name may be x's buffer, which sub() reuses */
    zk_err e;
    if (shp(c, A)->ndim != 2 || shp(c, B)->ndim != 2)
        return nfail(c, ZK_EINPUT, "a constant left operand times a computed one must be 2-D");
    if (!tb && (e = transpose_to(c, &B, B, swap2, sub(x, "Bt")))) return e;
    if ((e = charge(c, numel0(c, A)))) return e;
    int in[2] = {B, const_t2d(c, sub(x, "W"), A, ta, alpha)};
    if ((e = emit(c, y, NN_FC, in, 2, NULL, sub(x, "fc"), NULL))) return e;
    return transpose_to(c, y, *y, swap2, nm);
}

static zk_err op_gemm(ictx *c, nctx *x) {
    int A = inp(x, 0), B = inp(x, 1), C = inp(x, 2);
    if (A < 0 || B < 0) return nfail(c, ZK_EINPUT, "missing input");
    float alpha, beta;
    int64_t ta, tb;
    zk_err e;
    if ((e = a_float(c, &alpha, "alpha", 1.0f)) || (e = a_float(c, &beta, "beta", 1.0f)) ||
        (e = a_int(c, &ta, "transA", 0)) || (e = a_int(c, &tb, "transB", 0)))
        return e;
    if (shp(c, A)->ndim != 2 || shp(c, B)->ndim != 2) return nfail(c, ZK_EINPUT, "A and B must be 2-D");
    int use_c = C >= 0 && beta != 0.0f;
    int y;
    static const int64_t swap2[2] = {1, 0};
    if (!is_const(c, B)) {
        if (is_const(c, A)) {
            if ((e = const_left_product(c, x, &y, A, ta != 0, alpha, B, tb != 0, use_c ? sub(x, "ab") : x->out)) ||
                (use_c && (e = add_scaled(c, x, &y, C, beta, x->out))))
                return e;
            return bind(c, x->out, y);
        }
        /* transA/transB on computed operands: a Transpose (wiring) first */
        if ((ta && (e = transpose_to(c, &A, A, swap2, sub(x, "At")))) ||
            (tb && (e = transpose_to(c, &B, B, swap2, sub(x, "Bt")))))
            return e;
        int in[2] = {A, B};
        const char *nm = (alpha != 1.0f || use_c) ? sub(x, "ab") : x->out;
        if ((e = emit(c, &y, NN_MATMUL, in, 2, NULL, nm, NULL))) return e;
        if (alpha != 1.0f) {
            int in2[2] = {y, t_scalar(c, sub(x, "alpha"), alpha)};
            if ((e = emit(c, &y, NN_MUL, in2, 2, NULL, use_c ? sub(x, "alpha_ab") : x->out, NULL))) return e;
        }
        if (use_c && (e = add_scaled(c, x, &y, C, beta, x->out))) return e;
        return bind(c, x->out, y);
    }
    if (ta && !is_const(c, A)) { /* a Transpose (wiring) of the computed A */
        if ((e = transpose_to(c, &A, A, swap2, sub(x, "At")))) return e;
    } else if (ta) {
        if ((e = charge(c, numel0(c, A)))) return e;
        A = const_t2d(c, sub(x, "At"), A, 1, 1.0);
    }
    if ((e = charge(c, numel0(c, B)))) return e;
    int W = const_t2d(c, sub(x, "W"), B, !tb, alpha); /* [M, K] */
    int64_t M = shp(c, W)->d[0];
    int bias = -1, post_c = 0;
    if (use_c) {
        const nn_shape *cs = shp(c, C);
        int64_t last = cs->ndim ? cs->d[cs->ndim - 1] : 1;
        int cols_only = is_const(c, C) && (cs->ndim <= 1 || (cs->ndim == 2 && cs->d[0] == 1)) &&
                        (last == M || last == 1) && numel0(c, C) >= 1;
        if (cols_only) {
            const float *cv = cfloat(c, C);
            float *b = zk_malloc_n((size_t)M, sizeof *b);
            for (int64_t m = 0; m < M; m++) b[m] = beta * cv[last == 1 ? 0 : m];
            nn_shape bs = {1, {M}};
            bias = t_const_f(c, sub(x, "b"), &bs, b);
        } else post_c = 1;
    }
    int in[3] = {A, W, bias};
    if ((e = emit(c, &y, NN_FC, in, bias >= 0 ? 3 : 2, NULL, post_c ? sub(x, "fc") : x->out, NULL))) return e;
    if (post_c && (e = add_scaled(c, x, &y, C, beta, x->out))) return e;
    return bind(c, x->out, y);
}

static zk_err op_matmul(ictx *c, nctx *x) {
    int A = inp(x, 0), B = inp(x, 1);
    if (A < 0 || B < 0) return nfail(c, ZK_EINPUT, "missing input");
    const nn_shape *as = shp(c, A), *bs = shp(c, B);
    zk_err e;
    int y;
    if (!is_const(c, B)) {
        if (is_const(c, A)) e = const_left_product(c, x, &y, A, 0, 1.0f, B, 0, x->out);
        else if (as->ndim != 2 || bs->ndim != 2) return nfail(c, ZK_EINPUT, "MatMul of two computed tensors must be 2-D");
        else {
            int in[2] = {A, B};
            e = emit(c, &y, NN_MATMUL, in, 2, NULL, x->out, NULL);
        }
        if (e) return e;
        return bind(c, x->out, y);
    }
    if (as->ndim < 1 || bs->ndim < 1) return nfail(c, ZK_EINPUT, "MatMul operands must have rank >= 1");
    /* B: [K] or [1,..,1,K,N] */
    for (int i = 0; i + 2 < bs->ndim; i++)
        if (bs->d[i] != 1) return nfail(c, ZK_EINPUT, "batched MatMul with a constant right operand is not supported");
    int64_t K = bs->ndim == 1 ? bs->d[0] : bs->d[bs->ndim - 2], N = bs->ndim == 1 ? 1 : bs->d[bs->ndim - 1];
    if (as->d[as->ndim - 1] != K) {
        char b0[80], b1[80];
        return nfail(c, ZK_EINPUT, "operands %s and %s do not multiply", shape_str(b0, sizeof b0, as),
                     shape_str(b1, sizeof b1, bs));
    }
    /* numpy result shape: batch axes (A's, or B's leading 1s), rows, cols */
    int ra = as->ndim, rb = bs->ndim;
    int ba = ra > 2 ? ra - 2 : 0, bb = rb > 2 ? rb - 2 : 0, batch = ba > bb ? ba : bb;
    nn_shape rs = {0, {0}};
    for (int i = 0; i < batch; i++) rs.d[rs.ndim++] = i - (batch - ba) >= 0 ? as->d[i - (batch - ba)] : 1;
    if (ra >= 2) rs.d[rs.ndim++] = as->d[ra - 2];
    if (rb >= 2) rs.d[rs.ndim++] = N;
    /* FC over [rows, K] (or [K]) with W[n][k] = B[k][n] */
    int64_t rows = numel0(c, A) / K;
    nn_shape a2 = {2, {rows, K}};
    if (ra == 1) a2 = *as;
    int xa;
    if ((e = reshape_to(c, &xa, A, &a2, sub(x, "rows")))) return e;
    if ((e = charge(c, numel0(c, B)))) return e;
    const float *bv = cfloat(c, B);
    float *wv = zk_malloc_n((size_t)(K * N), sizeof *wv);
    for (int64_t k = 0; k < K; k++)
        for (int64_t n = 0; n < N; n++) wv[n * K + k] = bv[k * N + n];
    nn_shape w2 = {2, {N, K}};
    int W = t_const_f(c, sub(x, "W"), &w2, wv);
    int in[2] = {xa, W};
    if ((e = emit(c, &y, NN_FC, in, 2, NULL, sub(x, "fc"), NULL))) return e;
    if ((e = reshape_to(c, &y, y, &rs, x->out))) return e;
    return bind(c, x->out, y);
}

static zk_err op_batchnorm(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e;
    int64_t v;
    if ((e = a_int(c, &v, "training_mode", 0))) return e;
    if (v != 0) return nfail(c, ZK_EINPUT, "unsupported attribute value training_mode=%lld", (long long)v);
    if ((e = a_int(c, &v, "spatial", 1))) return e;
    if (v != 1) return nfail(c, ZK_EINPUT, "unsupported attribute value spatial=%lld", (long long)v);
    float eps;
    if ((e = a_float(c, &eps, "epsilon", 1e-5f))) return e;
    const nn_shape *xs = shp(c, X);
    if (xs->ndim < 2) return nfail(c, ZK_EINPUT, "input must have rank >= 2");
    int64_t C = xs->d[1];
    const float *p[4];
    for (int i = 0; i < 4; i++) {
        int t = inp(x, 1 + i);
        if (t < 0 || !is_const(c, t)) return nfail(c, ZK_EINPUT, "scale, bias, mean and var must be constants");
        if (shp(c, t)->ndim != 1 || shp(c, t)->d[0] != C)
            return nfail(c, ZK_EINPUT, "parameter %d does not have %lld values", i + 1, (long long)C);
        p[i] = cfloat(c, t);
    }
    if ((e = drop_outputs(c, x, 1))) return e;
    float *sc = zk_malloc_n((size_t)C, sizeof *sc), *sh = zk_malloc_n((size_t)C, sizeof *sh);
    for (int64_t k = 0; k < C; k++) {
        double s = (double)p[0][k] / sqrt((double)p[3][k] + (double)eps);
        sc[k] = (float)s;
        sh[k] = (float)((double)p[1][k] - (double)p[2][k] * s);
    }
    nn_shape cs = {1, {C}};
    int in[3] = {X, t_const_f(c, sub(x, "scale"), &cs, sc), t_const_f(c, sub(x, "shift"), &cs, sh)};
    int y = -1;
    if ((e = emit(c, &y, NN_AFFINE, in, 3, NULL, x->out, NULL))) return e;
    return bind(c, x->out, y);
}

/* Integer elementwise op (how: '+', '-', '*', or '/' truncating as C,
 * the divisor checked for zeros first) on two integer constants, numpy
 * broadcasting. */
static zk_err fold_int_binary(ictx *c, nctx *x, char how, int A, int B) {
    const nn_shape *as = shp(c, A), *bs = shp(c, B);
    nn_shape o;
    o.ndim = as->ndim > bs->ndim ? as->ndim : bs->ndim;
    int64_t sa[NN_MAX_DIMS], sb[NN_MAX_DIMS];
    for (int i = 0; i < o.ndim; i++) {
        int ia = i - (o.ndim - as->ndim), ib = i - (o.ndim - bs->ndim);
        int64_t da = ia >= 0 ? as->d[ia] : 1, db = ib >= 0 ? bs->d[ib] : 1;
        if (da != db && da != 1 && db != 1) return nfail(c, ZK_EINPUT, "shapes do not broadcast");
        o.d[i] = da == 1 ? db : da;
    }
    int64_t n = onnx_numel0(&o);
    if (n < 0) return nfail(c, ZK_EINPUT, "result too large");
    zk_err e = charge(c, n);
    if (e) return e;
    /* strides with 0 on broadcast axes */
    int64_t accA = 1, accB = 1;
    for (int i = o.ndim - 1; i >= 0; i--) {
        int ia = i - (o.ndim - as->ndim), ib = i - (o.ndim - bs->ndim);
        int64_t da = ia >= 0 ? as->d[ia] : 1, db = ib >= 0 ? bs->d[ib] : 1;
        sa[i] = da == 1 ? 0 : accA, sb[i] = db == 1 ? 0 : accB;
        accA *= da, accB *= db;
    }
    int64_t *d = zk_malloc_n((size_t)n, sizeof *d), idx[NN_MAX_DIMS] = {0};
    for (int64_t k = 0; k < n; k++) {
        int64_t ka = 0, kb = 0, r = k;
        for (int i = o.ndim - 1; i >= 0; i--) {
            idx[i] = r % o.d[i], r /= o.d[i];
            ka += idx[i] * sa[i], kb += idx[i] * sb[i];
        }
        uint64_t u = (uint64_t)c->idata[A][ka], w = (uint64_t)c->idata[B][kb];
        if (how == '/') /* w != 0; INT64_MIN / -1 wraps like the other ops */
            d[k] = (int64_t)w == -1 ? (int64_t)(0 - u) : c->idata[A][ka] / (int64_t)w;
        else d[k] = (int64_t)(how == '+' ? u + w : how == '-' ? u - w : u * w);
    }
    return bind(c, x->out, t_const_i(c, x->out, &o, d));
}

/* The legacy (opset < 7) broadcast/axis attributes of a binary op: B
 * aligned at axis of A, by a reshape of B. */
static zk_err legacy_bcast(ictx *c, nctx *x, int A, int *B) {
    zk_err e;
    int64_t bc, axis;
    if ((e = a_int(c, &bc, "broadcast", 0)) || (e = a_int(c, &axis, "axis", INT64_MIN))) return e;
    if (c->opset < 7 && bc && axis != INT64_MIN) {
        int ra = shp(c, A)->ndim, rb = shp(c, *B)->ndim;
        if (axis < 0) axis += ra;
        if (axis < 0 || axis > ra - rb) return nfail(c, ZK_EINPUT, "unsupported attribute value axis=%lld", (long long)axis);
        nn_shape s = *shp(c, *B);
        while (s.ndim < ra - axis) s.d[s.ndim++] = 1;
        if ((e = reshape_to(c, B, *B, &s, sub(x, "B")))) return e;
    }
    return ZK_OK;
}

static zk_err op_binary(ictx *c, nctx *x, nn_op op) {
    int A = inp(x, 0), B = inp(x, 1);
    if (A < 0 || B < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e = legacy_bcast(c, x, A, &B);
    if (e) return e;
    if (c->idata[A] && c->idata[B])
        return fold_int_binary(c, x, op == NN_ADD ? '+' : op == NN_SUB ? '-' : '*', A, B);
    int in[2] = {A, B}, y;
    if ((e = emit(c, &y, op, in, 2, NULL, x->out, NULL))) return e;
    return bind(c, x->out, y);
}
static zk_err op_add(ictx *c, nctx *x) { return op_binary(c, x, NN_ADD); }
static zk_err op_sub(ictx *c, nctx *x) { return op_binary(c, x, NN_SUB); }
static zk_err op_mul(ictx *c, nctx *x) { return op_binary(c, x, NN_MUL); }

static zk_err view_as(ictx *c, nctx *x, int X, const nn_shape *s) {
    int y;
    zk_err e = reshape_to(c, &y, X, s, x->out);
    return e ? e : bind(c, x->out, y);
}

/* ---- wiring on computed tensors (nn_wire_src) ---- */

/* X with its axes permuted (axis i of the result is axis perm[i] of X): a
 * reshape when only axes of length 1 move, else NN_TRANSPOSE (evaluated
 * at once for a constant). */
static zk_err transpose_to(ictx *c, int *out, int X, const int64_t *perm, const char *name) {
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim, moves = 0;
    nn_shape o = {r, {0}};
    nn_attrs a;
    memset(&a, 0, sizeof a);
    int64_t last = -1;
    for (int i = 0; i < r; i++) {
        o.d[i] = xs->d[perm[i]];
        a.iattr[i] = perm[i];
        if (xs->d[perm[i]] == 1) continue;
        moves |= perm[i] < last;
        last = perm[i];
    }
    if (!moves) return reshape_to(c, out, X, &o, name);
    return emit(c, out, NN_TRANSPOSE, &X, 1, &a, name, NULL);
}

/* The cells start + i step of each axis of computed X, i < o->d[axis]
 * (NN_SLICE; X itself when that is all of X). */
static zk_err slice_to(ictx *c, int *out, int X, const int64_t *start, const int64_t *step, const nn_shape *o,
                       const char *name) {
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim, ident = 1;
    nn_attrs a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < r; i++) {
        int64_t sp = o->d[i] == 1 ? 1 : step[i]; /* canonical: a single cell has step 1 */
        a.iattr[i] = start[i];
        a.iattr[r + i] = sp;
        ident &= start[i] == 0 && sp == 1 && o->d[i] == xs->d[i];
    }
    if (ident) {
        *out = X;
        return ZK_OK;
    }
    nn_shape os = *o;
    return emit(c, out, NN_SLICE, &X, 1, &a, name, &os);
}

/* A and B joined along axis (NN_CONCAT; evaluated at once when both are
 * constants). */
static zk_err concat_to(ictx *c, int *out, int A, int B, int64_t axis, const char *name) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.iattr[0] = axis;
    int in[2] = {A, B};
    return emit(c, out, NN_CONCAT, in, 2, &a, name, NULL);
}

/* Concat of n tensors, n >= 2, along axis: a chain of n - 1 binary nodes,
 * the last one named name. */
static zk_err concat_chain(ictx *c, nctx *x, int *out, const int *t, int n, int64_t axis, const char *name) {
    int y = t[0];
    for (int i = 1; i < n; i++) {
        char nm[200];
        if (i == n - 1) snprintf(nm, sizeof nm, "%s", name);
        else snprintf(nm, sizeof nm, "%s:concat%d", x->out, i);
        zk_err e = concat_to(c, &y, y, t[i], axis, nm);
        if (e) return e;
    }
    *out = y;
    return ZK_OK;
}

static zk_err op_flatten(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t axis;
    zk_err e = a_int(c, &axis, "axis", 1);
    if (e) return e;
    const nn_shape *xs = shp(c, X);
    if (axis < 0) axis += xs->ndim;
    if (axis < 0 || axis > xs->ndim) return nfail(c, ZK_EINPUT, "unsupported attribute value axis=%lld", (long long)axis);
    nn_shape s = {2, {1, 1}};
    for (int i = 0; i < xs->ndim; i++) s.d[i < axis ? 0 : 1] *= xs->d[i];
    return view_as(c, x, X, &s);
}

static zk_err op_reshape(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t attr[NN_MAX_DIMS + 1], allowzero;
    const int64_t *v;
    int64_t n;
    int cnt;
    zk_err e;
    if ((e = a_ints(c, attr, &cnt, NN_MAX_DIMS + 1, "shape")) || (e = a_int(c, &allowzero, "allowzero", 0))) return e;
    if (cnt >= 0) v = attr, n = cnt;
    else if ((e = in_ints(c, &v, &n, inp(x, 1), "shape"))) return e;
    if (n > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "target rank %lld is above %d", (long long)n, NN_MAX_DIMS);
    const nn_shape *xs = shp(c, X);
    nn_shape s = {(int)n, {0}};
    int infer = -1;
    int64_t known = 1;
    for (int i = 0; i < n; i++) {
        if (v[i] == 0 && !allowzero) {
            if (i >= xs->ndim) return nfail(c, ZK_EINPUT, "shape value 0 at axis %d has no input axis", i);
            s.d[i] = xs->d[i];
        } else if (v[i] == -1) {
            if (infer >= 0) return nfail(c, ZK_EINPUT, "shape has more than one -1");
            infer = i;
            continue;
        } else if (v[i] < 0 || v[i] > ONNX_MAX_NUMEL) {
            return nfail(c, ZK_EINPUT, "invalid shape value %lld", (long long)v[i]);
        } else s.d[i] = v[i];
        known *= s.d[i];
        if (known > ONNX_MAX_NUMEL) return nfail(c, ZK_EINPUT, "target shape too large");
    }
    if (infer >= 0) {
        if (known == 0 || numel0(c, X) % known != 0)
            return nfail(c, ZK_EINPUT, "cannot infer the -1 axis");
        s.d[infer] = numel0(c, X) / known;
    }
    return view_as(c, x, X, &s);
}

/* axes from the attribute (older opsets) or input 1 (opset >= 13). */
static zk_err get_axes(ictx *c, nctx *x, int64_t *axes, int *n, int max) {
    int cnt;
    zk_err e = a_ints(c, axes, &cnt, max, "axes");
    if (e) return e;
    if (cnt < 0 && inp(x, 1) >= 0) {
        const int64_t *v;
        int64_t m;
        if ((e = in_ints(c, &v, &m, inp(x, 1), "axes"))) return e;
        if (m > max) return nfail(c, ZK_EINPUT, "too many axes");
        for (int64_t i = 0; i < m; i++) axes[i] = v[i];
        cnt = (int)m;
    }
    *n = cnt;
    return ZK_OK;
}

static zk_err op_unsqueeze(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t axes[NN_MAX_DIMS];
    int n;
    zk_err e = get_axes(c, x, axes, &n, NN_MAX_DIMS);
    if (e) return e;
    if (n < 0) return nfail(c, ZK_EINPUT, "missing axes");
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim + n;
    if (r > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "result rank above %d", NN_MAX_DIMS);
    int is_new[NN_MAX_DIMS] = {0};
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
        if (a < 0 || a >= r || is_new[a]) return nfail(c, ZK_EINPUT, "invalid axes");
        is_new[a] = 1;
    }
    nn_shape s = {r, {0}};
    for (int i = 0, k = 0; i < r; i++) s.d[i] = is_new[i] ? 1 : xs->d[k++];
    return view_as(c, x, X, &s);
}

static zk_err op_squeeze(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t axes[NN_MAX_DIMS];
    int n;
    zk_err e = get_axes(c, x, axes, &n, NN_MAX_DIMS);
    if (e) return e;
    const nn_shape *xs = shp(c, X);
    int drop[NN_MAX_DIMS] = {0};
    for (int i = 0; i < xs->ndim; i++) drop[i] = n < 0 && xs->d[i] == 1;
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + xs->ndim : axes[i];
        if (a < 0 || a >= xs->ndim || xs->d[a] != 1) return nfail(c, ZK_EINPUT, "invalid axes");
        drop[a] = 1;
    }
    nn_shape s = {0, {0}};
    for (int i = 0; i < xs->ndim; i++)
        if (!drop[i]) s.d[s.ndim++] = xs->d[i];
    return view_as(c, x, X, &s);
}

static zk_err op_pad(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e;
    char mode[24];
    if ((e = a_str(c, mode, sizeof mode, "mode", "constant"))) return e;
    if (strcmp(mode, "constant") != 0) return nfail(c, ZK_EINPUT, "unsupported attribute value mode=%s", mode);
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim;
    int64_t pads[2 * NN_MAX_DIMS], raw[2 * NN_MAX_DIMS];
    int cnt;
    float value;
    if ((e = a_ints(c, raw, &cnt, 2 * NN_MAX_DIMS, c->opset < 2 ? "paddings" : "pads"))) return e;
    if (cnt < 0 && (e = a_ints(c, raw, &cnt, 2 * NN_MAX_DIMS, "paddings"))) return e;
    if ((e = a_float(c, &value, "value", 0.0f))) return e;
    int64_t axes[NN_MAX_DIMS];
    int naxes = r;
    for (int i = 0; i < r; i++) axes[i] = i;
    if (cnt < 0) { /* opset >= 11: inputs pads, constant_value, axes */
        const int64_t *v;
        int64_t n;
        if ((e = in_ints(c, &v, &n, inp(x, 1), "pads"))) return e;
        if (n > 2 * NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "too many pads");
        for (int64_t i = 0; i < n; i++) raw[i] = v[i];
        cnt = (int)n;
        int cv = inp(x, 2);
        if (cv >= 0) {
            if (!is_const(c, cv) || numel0(c, cv) != 1)
                return nfail(c, ZK_EINPUT, "constant_value must be a constant scalar");
            value = cfloat(c, cv)[0];
        }
        if (inp(x, 3) >= 0) {
            if ((e = in_ints(c, &v, &n, inp(x, 3), "axes"))) return e;
            if (n > r) return nfail(c, ZK_EINPUT, "too many axes");
            naxes = (int)n;
            for (int i = 0; i < naxes; i++) {
                axes[i] = v[i] < 0 ? v[i] + r : v[i];
                if (axes[i] < 0 || axes[i] >= r) return nfail(c, ZK_EINPUT, "invalid axes");
            }
        }
    }
    if (cnt != 2 * naxes) return nfail(c, ZK_EINPUT, "pads has %d values for %d axes", cnt, naxes);
    for (int i = 0; i < 2 * r; i++) pads[i] = 0;
    for (int i = 0; i < naxes; i++) pads[axes[i]] = raw[i], pads[r + axes[i]] = raw[naxes + i];
    nn_attrs a;
    memset(&a, 0, sizeof a);
    int zero = 1;
    for (int i = 0; i < 2 * r; i++) a.iattr[i] = pads[i], zero &= pads[i] == 0;
    a.pad_value = value;
    if (zero) return bind(c, x->out, X);
    int y;
    if ((e = emit(c, &y, NN_PAD, &X, 1, &a, x->out, NULL))) return e;
    return bind(c, x->out, y);
}

static zk_err op_identity(ictx *c, nctx *x) {
    if (inp(x, 0) < 0) return nfail(c, ZK_EINPUT, "missing input");
    return bind(c, x->out, inp(x, 0));
}

static zk_err op_dropout(ictx *c, nctx *x) {
    if (inp(x, 0) < 0) return nfail(c, ZK_EINPUT, "missing input");
    int tm = inp(x, 2);
    if (tm >= 0) {
        if (!is_const(c, tm) || numel0(c, tm) != 1) return nfail(c, ZK_EINPUT, "training_mode must be a constant");
        if (cfloat(c, tm)[0] != 0.0f) {
            float ratio = 0.5f;
            int rt = inp(x, 1);
            if (rt >= 0) {
                if (!is_const(c, rt) || numel0(c, rt) != 1) return nfail(c, ZK_EINPUT, "ratio must be a constant");
                ratio = cfloat(c, rt)[0];
            }
            if (ratio != 0.0f) return nfail(c, ZK_EINPUT, "training mode is not supported");
        }
    }
    zk_err e = drop_outputs(c, x, 1);
    return e ? e : bind(c, x->out, inp(x, 0));
}

/* ---- glue on constants ---- */

static zk_err op_constant(ictx *c, nctx *x) {
    const Onnx__NodeProto *n = x->n;
    if (n->n_attribute != 1) return nfail(c, ZK_EINPUT, "expects exactly one value attribute");
    const Onnx__AttributeProto *a = n->attribute[0];
    zk_err e;
    onnx_value v;
    memset(&v, 0, sizeof v);
    if (strcmp(a->name, "value") == 0) {
        if ((e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR, a->t != NULL))) return e;
        if (!a->t) return nfail(c, ZK_EINPUT, "value attribute has no tensor");
        if ((e = onnx_value_decode(&v, a->t, x->out))) return relabel(c, e);
    } else if (strcmp(a->name, "value_float") == 0 || strcmp(a->name, "value_int") == 0) {
        int fl = a->name[6] == 'f';
        float f;
        int64_t i;
        if ((e = fl ? a_float(c, &f, a->name, 0) : a_int(c, &i, a->name, 0))) return e;
        if (fl) v.f = zk_malloc(sizeof(float)), v.f[0] = f;
        else v.i = zk_malloc(sizeof(int64_t)), v.i[0] = i;
    } else {
        int fl = a->name[6] == 'f';
        if ((e = attr_type(c, a, fl ? ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS : ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS,
                           fl ? a->n_floats > 0 : a->n_ints > 0)))
            return e;
        size_t cnt = fl ? a->n_floats : a->n_ints;
        if (cnt > (size_t)ONNX_MAX_NUMEL) return nfail(c, ZK_EINPUT, "too many values");
        v.shape.ndim = 1, v.shape.d[0] = (int64_t)cnt;
        if (fl) {
            v.f = zk_malloc_n(cnt, sizeof(float));
            if (cnt) memcpy(v.f, a->floats, cnt * sizeof(float));
        } else {
            v.i = zk_malloc_n(cnt, sizeof(int64_t));
            if (cnt) memcpy(v.i, a->ints, cnt * sizeof(int64_t));
        }
    }
    int t = v.f ? t_const_f(c, x->out, &v.shape, v.f) : t_const_i(c, x->out, &v.shape, v.i);
    return bind(c, x->out, t);
}

static zk_err op_shape(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t r = shp(c, X)->ndim, start, end;
    zk_err e;
    if ((e = a_int(c, &start, "start", 0)) || (e = a_int(c, &end, "end", r))) return e;
    if (start < 0) start += r;
    if (end < 0) end += r;
    start = start < 0 ? 0 : start > r ? r : start;
    end = end < 0 ? 0 : end > r ? r : end;
    int64_t n = end > start ? end - start : 0;
    int64_t *d = zk_malloc_n((size_t)(n ? n : 1), sizeof *d);
    for (int64_t i = 0; i < n; i++) d[i] = shp(c, X)->d[start + i];
    nn_shape s = {1, {n}};
    return bind(c, x->out, t_const_i(c, x->out, &s, d));
}

/* Output tensor of a folded glue op with the element type of t. */
static int t_like(ictx *c, const char *name, const nn_shape *s, int t) {
    int64_t n = onnx_numel0(s);
    if (c->idata[t]) return t_const_i(c, name, s, zk_malloc_n((size_t)(n ? n : 1), sizeof(int64_t)));
    return t_const_f(c, name, s, zk_malloc_n((size_t)(n ? n : 1), sizeof(float)));
}

/* dst[k] = src[j] for the constant tensors (same element type). */
static void t_copy_el(ictx *c, int dst, int64_t k, int src, int64_t j) {
    if (c->idata[dst]) c->idata[dst][k] = c->idata[src][j];
    else c->g.tensors[dst].data[k] = c->g.tensors[src].data[j];
}

/* Most runs of evenly spaced indices a Gather of a computed tensor may have
 * (each becomes a Slice and a Concat). */
#define GATHER_MAX_RUNS 256

static zk_err op_gather(ictx *c, nctx *x) {
    int D = inp(x, 0), I = inp(x, 1);
    zk_err e;
    if (D < 0 || I < 0) return nfail(c, ZK_EINPUT, "missing input");
    if (!is_const(c, I)) return nfail(c, ZK_EINPUT, "computed indices are not supported");
    if (!c->idata[I]) return nfail(c, ZK_EINPUT, "indices must be integers");
    int64_t axis;
    if ((e = a_int(c, &axis, "axis", 0))) return e;
    const nn_shape *ds = shp(c, D), *is = shp(c, I);
    if (axis < 0) axis += ds->ndim;
    if (axis < 0 || axis >= ds->ndim) return nfail(c, ZK_EINPUT, "unsupported attribute value axis=%lld", (long long)axis);
    if (ds->ndim - 1 + is->ndim > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "result rank above %d", NN_MAX_DIMS);
    nn_shape o = {0, {0}};
    for (int i = 0; i < axis; i++) o.d[o.ndim++] = ds->d[i];
    for (int i = 0; i < is->ndim; i++) o.d[o.ndim++] = is->d[i];
    for (int i = (int)axis + 1; i < ds->ndim; i++) o.d[o.ndim++] = ds->d[i];
    int64_t n = onnx_numel0(&o);
    if (n < 0) return nfail(c, ZK_EINPUT, "result too large");
    if ((e = charge(c, n))) return e;
    int64_t outer = 1, inner = 1, ax = ds->d[axis], ni = numel0(c, I);
    for (int i = 0; i < axis; i++) outer *= ds->d[i];
    for (int i = (int)axis + 1; i < ds->ndim; i++) inner *= ds->d[i];
    for (int64_t k = 0; k < ni; k++) {
        int64_t v = c->idata[I][k];
        if (v < -ax || v >= ax) return nfail(c, ZK_EINPUT, "index %lld out of range", (long long)v);
    }
    if (!is_const(c, D)) {
        /* one Slice of axis `axis` per run of evenly spaced indices (greedy,
         * left to right), the runs joined by Concat, then the index shape */
        if (ni < 1) return nfail(c, ZK_EINPUT, "no indices");
        nn_shape dsh = *ds;
        int64_t *idx = zk_malloc_n((size_t)ni, sizeof *idx);
        for (int64_t k = 0; k < ni; k++) idx[k] = c->idata[I][k] < 0 ? c->idata[I][k] + ax : c->idata[I][k];
        int runs[GATHER_MAX_RUNS], nr = 0;
        for (int64_t k = 0; k < ni && !e;) {
            int64_t len = 1, step = 1;
            if (k + 1 < ni) {
                step = idx[k + 1] - idx[k];
                len = 2;
                while (k + len < ni && idx[k + len] - idx[k + len - 1] == step) len++;
            }
            if (nr == GATHER_MAX_RUNS) {
                e = nfail(c, ZK_EINPUT, "indices of a computed tensor form more than %d runs of evenly spaced values",
                          GATHER_MAX_RUNS);
                break;
            }
            int64_t st[NN_MAX_DIMS] = {0}, sp[NN_MAX_DIMS] = {1, 1, 1, 1, 1, 1};
            nn_shape rs = dsh;
            st[axis] = idx[k], sp[axis] = step, rs.d[axis] = len;
            char nm[200];
            snprintf(nm, sizeof nm, "%s:run%d", x->out, nr);
            e = slice_to(c, &runs[nr++], D, st, sp, &rs, nm);
            k += len;
        }
        free(idx);
        int y = runs[0];
        if (!e && nr > 1) {
            char nm[200];
            snprintf(nm, sizeof nm, "%s:runs", x->out);
            e = concat_chain(c, x, &y, runs, nr, axis, nm);
        }
        if (!e) e = reshape_to(c, &y, y, &o, x->out);
        return e ? e : bind(c, x->out, y);
    }
    int y = t_like(c, x->out, &o, D);
    for (int64_t a = 0; a < outer; a++)
        for (int64_t k = 0; k < ni; k++) {
            int64_t v = c->idata[I][k];
            if (v < 0) v += ax;
            for (int64_t b = 0; b < inner; b++) t_copy_el(c, y, (a * ni + k) * inner + b, D, (a * ax + v) * inner + b);
        }
    return bind(c, x->out, y);
}

static zk_err op_concat(ictx *c, nctx *x) {
    if (x->nin < 1) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e;
    int all_int = 1, all_const = 1;
    for (int i = 0; i < x->nin; i++) {
        if (x->in[i] < 0) return nfail(c, ZK_EINPUT, "missing input");
        all_const &= is_const(c, x->in[i]);
        all_int &= c->idata[x->in[i]] != NULL;
    }
    int64_t axis;
    if ((e = a_int(c, &axis, "axis", c->opset < 4 ? 1 : INT64_MIN))) return e;
    const nn_shape *s0 = shp(c, x->in[0]);
    if (axis < 0 && axis != INT64_MIN) axis += s0->ndim;
    if (axis < 0 || axis >= s0->ndim) return nfail(c, ZK_EINPUT, "missing or invalid axis");
    nn_shape o = *s0;
    o.d[axis] = 0;
    for (int i = 0; i < x->nin; i++) {
        const nn_shape *s = shp(c, x->in[i]);
        if (s->ndim != o.ndim) return nfail(c, ZK_EINPUT, "inputs differ in rank");
        for (int k = 0; k < o.ndim; k++)
            if (k != axis && s->d[k] != o.d[k]) return nfail(c, ZK_EINPUT, "inputs differ in shape");
        o.d[axis] += s->d[axis];
        if (o.d[axis] > ONNX_MAX_NUMEL) return nfail(c, ZK_EINPUT, "result too large");
    }
    if (!all_const) { /* a chain of binary NN_CONCAT nodes (constants side by side fold at once) */
        int *t = zk_malloc_n((size_t)x->nin, sizeof *t), nt = 0, y;
        for (int i = 0; i < x->nin; i++) /* an empty constant adds nothing */
            if (numel0(c, x->in[i]) > 0) t[nt++] = x->in[i];
        e = nt == 1 ? (y = t[0], ZK_OK) : concat_chain(c, x, &y, t, nt, axis, x->out);
        free(t);
        return e ? e : bind(c, x->out, y);
    }
    int64_t n = onnx_numel0(&o);
    if (n < 0) return nfail(c, ZK_EINPUT, "result too large");
    if ((e = charge(c, n))) return e;
    if (!all_int)
        for (int i = 0; i < x->nin; i++) cfloat(c, x->in[i]);
    int y = all_int ? t_like(c, x->out, &o, x->in[0]) : t_const_f(c, x->out, &o, zk_malloc_n((size_t)(n ? n : 1), sizeof(float)));
    int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; i++) outer *= o.d[i];
    for (int i = (int)axis + 1; i < o.ndim; i++) inner *= o.d[i];
    int64_t k = 0;
    for (int64_t a = 0; a < outer; a++)
        for (int i = 0; i < x->nin; i++) {
            int t = x->in[i];
            int64_t blk = shp(c, t)->d[axis] * inner;
            for (int64_t j = 0; j < blk; j++, k++) {
                if (all_int) c->idata[y][k] = c->idata[t][a * blk + j];
                else c->g.tensors[y].data[k] = c->g.tensors[t].data[a * blk + j];
            }
        }
    return bind(c, x->out, y);
}

static zk_err op_constantofshape(ictx *c, nctx *x) {
    const int64_t *v;
    int64_t n;
    zk_err e = in_ints(c, &v, &n, inp(x, 0), "shape");
    if (e) return e;
    if (n > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "rank above %d", NN_MAX_DIMS);
    nn_shape s = {(int)n, {0}};
    for (int i = 0; i < n; i++) s.d[i] = v[i];
    int64_t cnt = onnx_numel0(&s);
    if (cnt < 0) return nfail(c, ZK_EINPUT, "invalid or too large shape");
    if ((e = charge(c, cnt))) return e;
    onnx_value val;
    memset(&val, 0, sizeof val);
    const Onnx__AttributeProto *a = attr_find(x->n, "value");
    if (a) {
        if ((e = attr_type(c, a, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR, a->t != NULL))) return e;
        if (!a->t) return nfail(c, ZK_EINPUT, "value attribute has no tensor");
        if ((e = onnx_value_decode(&val, a->t, "value"))) return relabel(c, e);
        if (onnx_numel0(&val.shape) != 1) {
            onnx_value_clear(&val);
            return nfail(c, ZK_EINPUT, "value must hold one element");
        }
    }
    int y;
    if (val.i) {
        int64_t *d = zk_malloc_n((size_t)(cnt ? cnt : 1), sizeof *d);
        for (int64_t k = 0; k < cnt; k++) d[k] = val.i[0];
        y = t_const_i(c, x->out, &s, d);
    } else {
        float *d = zk_malloc_n((size_t)(cnt ? cnt : 1), sizeof *d);
        for (int64_t k = 0; k < cnt; k++) d[k] = val.f ? val.f[0] : 0.0f;
        y = t_const_f(c, x->out, &s, d);
    }
    onnx_value_clear(&val);
    return bind(c, x->out, y);
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

static zk_err op_slice(ictx *c, nctx *x) {
    int D = inp(x, 0);
    if (D < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e;
    const nn_shape *ds = shp(c, D);
    int r = ds->ndim;
    int64_t st[NN_MAX_DIMS], en[NN_MAX_DIMS], ax[NN_MAX_DIMS], sp[NN_MAX_DIMS];
    int ns, ne, na, nst;
    if ((e = a_ints(c, st, &ns, NN_MAX_DIMS, "starts")) || (e = a_ints(c, en, &ne, NN_MAX_DIMS, "ends")) ||
        (e = a_ints(c, ax, &na, NN_MAX_DIMS, "axes")))
        return e;
    nst = -1;
    if (ns < 0) { /* opset >= 10: inputs */
        int64_t *dst[4] = {st, en, ax, sp};
        int *cnt[4] = {&ns, &ne, &na, &nst};
        static const char *what[4] = {"starts", "ends", "axes", "steps"};
        for (int k = 0; k < 4; k++) {
            *cnt[k] = -1;
            if (inp(x, 1 + k) < 0 && k >= 2) continue;
            const int64_t *v;
            int64_t n;
            if ((e = in_ints(c, &v, &n, inp(x, 1 + k), what[k]))) return e;
            if (n > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "too many %s", what[k]);
            for (int64_t i = 0; i < n; i++) dst[k][i] = v[i];
            *cnt[k] = (int)n;
        }
    }
    if (ne != ns || (na >= 0 && na != ns) || (nst >= 0 && nst != ns) || ns > r)
        return nfail(c, ZK_EINPUT, "starts, ends, axes and steps disagree");
    int64_t b[NN_MAX_DIMS], step[NN_MAX_DIMS];
    nn_shape o = *ds;
    int seen[NN_MAX_DIMS] = {0};
    for (int i = 0; i < r; i++) b[i] = 0, step[i] = 1;
    for (int k = 0; k < ns; k++) {
        int64_t a = na >= 0 ? ax[k] : k;
        if (a < 0) a += r;
        if (a < 0 || a >= r || seen[a]) return nfail(c, ZK_EINPUT, "invalid axes");
        seen[a] = 1;
        int64_t s = nst >= 0 ? sp[k] : 1, d = ds->d[a], lo = st[k], hi = en[k];
        if (s == 0) return nfail(c, ZK_EINPUT, "step 0");
        s = clamp64(s, -d - 1, d + 1); /* a longer step takes one element at most */
        if (lo < 0) lo += d;
        if (hi < 0) hi += d;
        int64_t cnt;
        if (s > 0) {
            lo = clamp64(lo, 0, d), hi = clamp64(hi, 0, d);
            cnt = hi > lo ? (hi - lo + s - 1) / s : 0;
        } else {
            lo = clamp64(lo, 0, d - 1), hi = clamp64(hi, -1, d - 1);
            cnt = lo > hi ? (lo - hi + (-s) - 1) / (-s) : 0;
        }
        if (d == 0) cnt = 0;
        b[a] = lo, step[a] = s, o.d[a] = cnt;
    }
    if (!is_const(c, D)) {
        for (int i = 0; i < r; i++)
            if (o.d[i] < 1) return nfail(c, ZK_EINPUT, "the slice of axis %d is empty", i);
        int y;
        if ((e = slice_to(c, &y, D, b, step, &o, x->out))) return e;
        return bind(c, x->out, y);
    }
    int64_t n = onnx_numel0(&o);
    if ((e = charge(c, n))) return e;
    int y = t_like(c, x->out, &o, D);
    int64_t idx[NN_MAX_DIMS] = {0};
    for (int64_t k = 0; k < n; k++) {
        int64_t j = 0, rr = k;
        for (int i = r - 1; i >= 0; i--) idx[i] = rr % o.d[i], rr /= o.d[i];
        for (int i = 0; i < r; i++) j = j * ds->d[i] + b[i] + idx[i] * step[i];
        t_copy_el(c, y, k, D, j);
    }
    return bind(c, x->out, y);
}

static zk_err op_transpose(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim, cnt;
    int64_t perm[NN_MAX_DIMS];
    zk_err e = a_ints(c, perm, &cnt, NN_MAX_DIMS, "perm");
    if (e) return e;
    if (cnt < 0) {
        cnt = r;
        for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
    }
    int used[NN_MAX_DIMS] = {0};
    if (cnt != r) return nfail(c, ZK_EINPUT, "perm has %d values for rank %d", cnt, r);
    for (int i = 0; i < r; i++) {
        if (perm[i] < 0 || perm[i] >= r || used[perm[i]]) return nfail(c, ZK_EINPUT, "invalid perm");
        used[perm[i]] = 1;
    }
    nn_shape o = {r, {0}};
    for (int i = 0; i < r; i++) o.d[i] = xs->d[perm[i]];
    if (!is_const(c, X)) {
        int y;
        if ((e = transpose_to(c, &y, X, perm, x->out))) return e;
        return bind(c, x->out, y);
    }
    int64_t n = onnx_numel0(&o);
    if ((e = charge(c, n))) return e;
    int y = t_like(c, x->out, &o, X);
    int64_t xst[NN_MAX_DIMS], acc = 1, idx[NN_MAX_DIMS];
    for (int i = r - 1; i >= 0; i--) xst[i] = acc, acc *= xs->d[i];
    for (int64_t k = 0; k < n; k++) {
        int64_t j = 0, rr = k;
        for (int i = r - 1; i >= 0; i--) idx[i] = rr % o.d[i], rr /= o.d[i];
        for (int i = 0; i < r; i++) j += idx[i] * xst[perm[i]];
        t_copy_el(c, y, k, X, j);
    }
    return bind(c, x->out, y);
}


/* ---- Resize/Upsample (nearest, integer scales), DepthToSpace, SpaceToDepth ---- */

/* Float values of a constant 1-D input (none when it is empty). */
static zk_err in_floats(ictx *c, const float **v, int64_t *n, int t, const char *what) {
    if (!is_const(c, t)) return nfail(c, ZK_EINPUT, "input %s must be a constant", what);
    if (shp(c, t)->ndim > 1) return nfail(c, ZK_EINPUT, "input %s must be 1-D", what);
    *n = numel0(c, t);
    *v = cfloat(c, t);
    return ZK_OK;
}

/* ONNX's nearest index (its reference implementation, resize.py) of output
 * cell o of an axis of length `in` resized by scale sc to `out` cells, or
 * -1 for a coordinate mode that is not supported. */
static int64_t resize_nearest(int64_t o, int64_t in, int64_t out, double sc, const char *ctm, const char *nm) {
    double x;
    if (strcmp(ctm, "half_pixel") == 0) x = (o + 0.5) / sc - 0.5;
    else if (strcmp(ctm, "pytorch_half_pixel") == 0) x = out == 1 ? -0.5 : (o + 0.5) / sc - 0.5;
    else if (strcmp(ctm, "asymmetric") == 0) x = o / sc;
    else if (strcmp(ctm, "tf_half_pixel_for_nn") == 0) x = (o + 0.5) / sc;
    else if (strcmp(ctm, "align_corners") == 0) x = sc * in == 1 ? 0 : o * (double)(in - 1) / (sc * in - 1);
    else return -1;
    double fl = floor(x), ratio = x - fl;
    int64_t i = (int64_t)fl;
    if (ratio != 0) {
        if (strcmp(nm, "ceil") == 0) i++;
        else if (strcmp(nm, "round_prefer_floor") == 0) i += ratio > 0.5;
        else if (strcmp(nm, "round_prefer_ceil") == 0) i += ratio >= 0.5;
    }
    return i < 0 ? 0 : i >= in ? in - 1 : i;
}

/* Resize (opset >= 10) and Upsample: nearest with an integer scale s per
 * axis, whose ONNX map is clamp(floor((o + off) / s)) for one integer
 * offset (NN_RESIZE). Upsample and Resize-10 take output coordinate o / s
 * rounded down (onnxruntime's rule for these; for integer scales every
 * mode of Resize-11 that repeats each cell s times agrees with one
 * offset). */
static zk_err op_resize_common(ictx *c, nctx *x, int upsample) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e;
    char mode[32], ctm[32], nm[32];
    int legacy = upsample || c->opset < 11;
    if ((e = a_str(c, mode, sizeof mode, "mode", "nearest")) ||
        (e = a_str(c, ctm, sizeof ctm, "coordinate_transformation_mode", legacy ? "asymmetric" : "half_pixel")) ||
        (e = a_str(c, nm, sizeof nm, "nearest_mode", legacy ? "floor" : "round_prefer_floor")))
        return e;
    if (strcmp(mode, "nearest") != 0)
        return nfail(c, ZK_EINPUT, "unsupported attribute value mode=%s (only nearest)", mode);
    if (strcmp(nm, "floor") != 0 && strcmp(nm, "ceil") != 0 && strcmp(nm, "round_prefer_floor") != 0 &&
        strcmp(nm, "round_prefer_ceil") != 0)
        return nfail(c, ZK_EINPUT, "unsupported attribute value nearest_mode=%s", nm);
    if (resize_nearest(0, 1, 1, 1.0, ctm, nm) < 0)
        return nfail(c, ZK_EINPUT, "unsupported attribute value coordinate_transformation_mode=%s", ctm);
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim;
    double sc[NN_MAX_DIMS];
    int64_t out[NN_MAX_DIMS], n = 0;
    const float *fv = NULL;
    const Onnx__AttributeProto *sa = upsample ? attr_find(x->n, "scales") : NULL;
    if (sa) { /* Upsample-7 */
        if ((e = attr_type(c, sa, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS, sa->n_floats > 0))) return e;
        fv = sa->floats, n = (int64_t)sa->n_floats;
    } else if (upsample || c->opset < 11) {
        if (inp(x, 1) < 0) return nfail(c, ZK_EINPUT, "missing input scales");
        if ((e = in_floats(c, &fv, &n, inp(x, 1), "scales"))) return e;
    } else if (inp(x, 2) >= 0 && (e = in_floats(c, &fv, &n, inp(x, 2), "scales"))) {
        return e;
    }
    if (n > 0) {
        if (n != r) return nfail(c, ZK_EINPUT, "%lld scales for rank %d", (long long)n, r);
        for (int d = 0; d < r; d++) {
            sc[d] = fv[d];
            double o = sc[d] * (double)xs->d[d];
            if (!(o >= 1 && o <= (double)ONNX_MAX_NUMEL)) return nfail(c, ZK_EINPUT, "scale %g on axis %d is out of range", sc[d], d);
            out[d] = (int64_t)o;
        }
    } else {
        const int64_t *v;
        if (upsample || c->opset < 11 || inp(x, 3) < 0) return nfail(c, ZK_EINPUT, "neither scales nor sizes given");
        if ((e = in_ints(c, &v, &n, inp(x, 3), "sizes"))) return e;
        if (n != r) return nfail(c, ZK_EINPUT, "%lld sizes for rank %d", (long long)n, r);
        for (int d = 0; d < r; d++) {
            if (v[d] < 1 || v[d] > ONNX_MAX_NUMEL) return nfail(c, ZK_EINPUT, "size %lld is out of range", (long long)v[d]);
            out[d] = v[d];
            sc[d] = (double)v[d] / (double)xs->d[d];
        }
    }
    nn_attrs a;
    memset(&a, 0, sizeof a);
    int ident = 1;
    for (int d = 0; d < r; d++) {
        int64_t in = xs->d[d], s = out[d] / in;
        if (out[d] % in != 0 || s > ((int64_t)1 << 24))
            return nfail(c, ZK_EINPUT, "scale %g on axis %d is not an integer >= 1 (only nearest upsampling by integer factors is supported)",
                         sc[d], d);
        /* the offset: from the first step of the map, then checked on every cell */
        int64_t off = 0, o0 = 1;
        while (o0 < out[d] && resize_nearest(o0, in, out[d], sc[d], ctm, nm) ==
                                  resize_nearest(o0 - 1, in, out[d], sc[d], ctm, nm))
            o0++;
        int ok = 0;
        for (int k = 0; k < 2 && !ok; k++) {
            off = o0 < out[d] ? ((s - o0 % s) % s) - k * s : 0;
            if (off <= -s || (k && o0 >= out[d])) continue;
            ok = 1;
            for (int64_t o = 0; o < out[d] && ok; o++) {
                int64_t q = o + off >= 0 ? (o + off) / s : -((-(o + off) + s - 1) / s);
                q = q < 0 ? 0 : q >= in ? in - 1 : q;
                ok = q == resize_nearest(o, in, out[d], sc[d], ctm, nm);
            }
        }
        if (!ok)
            return nfail(c, ZK_EINPUT, "coordinate_transformation_mode=%s does not repeat each cell of axis %d %lld times "
                         "(only integer upsampling maps are supported)", ctm, d, (long long)s);
        a.iattr[d] = s;
        a.iattr[r + d] = off;
        ident &= s == 1;
    }
    if (ident) return bind(c, x->out, X);
    int y;
    if ((e = emit(c, &y, NN_RESIZE, &X, 1, &a, x->out, NULL))) return e;
    return bind(c, x->out, y);
}

static zk_err op_resize(ictx *c, nctx *x) { return op_resize_common(c, x, 0); }
static zk_err op_upsample(ictx *c, nctx *x) { return op_resize_common(c, x, 1); }

/* DepthToSpace and SpaceToDepth as ONNX defines them: a 6-D view, a
 * transpose, the output shape. */
static zk_err op_blocks(ictx *c, nctx *x, int to_space) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t b;
    char mode[16];
    zk_err e;
    if ((e = a_int(c, &b, "blocksize", 0)) || (e = a_str(c, mode, sizeof mode, "mode", "DCR"))) return e;
    const nn_shape *xs = shp(c, X);
    if (xs->ndim != 4) return nfail(c, ZK_EINPUT, "expects a 4-D input, got rank %d", xs->ndim);
    int64_t N = xs->d[0], C = xs->d[1], H = xs->d[2], W = xs->d[3];
    if (b < 1 || b > 4096) return nfail(c, ZK_EINPUT, "unsupported attribute value blocksize=%lld", (long long)b);
    int crd = strcmp(mode, "CRD") == 0;
    if (to_space && !crd && strcmp(mode, "DCR") != 0) return nfail(c, ZK_EINPUT, "unsupported attribute value mode=%s", mode);
    nn_shape v, o;
    int64_t perm[6];
    if (to_space) {
        if (C % (b * b) != 0) return nfail(c, ZK_EINPUT, "%lld channels are not a multiple of blocksize^2", (long long)C);
        int64_t C2 = C / (b * b);
        nn_shape v1 = {6, {N, crd ? C2 : b, crd ? b : b, crd ? b : C2, H, W}};
        int64_t pd[6] = {0, 3, 4, 1, 5, 2}, pc[6] = {0, 1, 4, 2, 5, 3};
        v = v1;
        memcpy(perm, crd ? pc : pd, sizeof perm);
        o = (nn_shape){4, {N, C2, H * b, W * b}};
    } else {
        if (H % b != 0 || W % b != 0) return nfail(c, ZK_EINPUT, "spatial size %lldx%lld is not a multiple of blocksize", (long long)H, (long long)W);
        v = (nn_shape){6, {N, C, H / b, b, W / b, b}};
        int64_t ps[6] = {0, 3, 5, 1, 2, 4};
        memcpy(perm, ps, sizeof perm);
        o = (nn_shape){4, {N, C * b * b, H / b, W / b}};
    }
    int t;
    char nm[200];
    snprintf(nm, sizeof nm, "%s:blocks", x->out);
    if ((e = reshape_to(c, &t, X, &v, nm))) return e;
    snprintf(nm, sizeof nm, "%s:moved", x->out);
    if ((e = transpose_to(c, &t, t, perm, nm))) return e;
    return view_as(c, x, t, &o);
}

static zk_err op_depthtospace(ictx *c, nctx *x) { return op_blocks(c, x, 1); }
static zk_err op_spacetodepth(ictx *c, nctx *x) { return op_blocks(c, x, 0); }

/* Integer cast: wrap to the target width (BOOL: nonzero). */
static int64_t cast_int(int64_t i, int32_t to) {
    switch (to) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: return (int32_t)(uint32_t)(uint64_t)i;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16: return (int16_t)(uint16_t)(uint64_t)i;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: return (uint16_t)(uint64_t)i;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8: return (int8_t)(uint8_t)(uint64_t)i;
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8: return (uint8_t)(uint64_t)i;
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: return i != 0;
    default: return i;
    }
}

static zk_err op_cast(ictx *c, nctx *x) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    const Onnx__AttributeProto *a = attr_find(x->n, "to");
    if (!a) return nfail(c, ZK_EINPUT, "missing attribute to");
    int32_t to = -1;
    if (a->has_s || (a->has_type && a->type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING)) { /* opset < 6 */
        char s[16];
        clean(s, sizeof s, (const char *)a->s.data, a->s.len);
        for (int32_t k = 1; k <= ONNX__TENSOR_PROTO__DATA_TYPE__BFLOAT16; k++)
            if (strcmp(s, onnx_dtype_name(k)) == 0) to = k;
    } else {
        int64_t v;
        zk_err e = a_int(c, &v, "to", -1);
        if (e) return e;
        to = v >= 0 && v < 100 ? (int32_t)v : -1;
    }
    int to_float = to == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT || to == ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE;
    int to_int = to == ONNX__TENSOR_PROTO__DATA_TYPE__INT64 || to == ONNX__TENSOR_PROTO__DATA_TYPE__INT32 ||
                 to == ONNX__TENSOR_PROTO__DATA_TYPE__INT16 || to == ONNX__TENSOR_PROTO__DATA_TYPE__UINT16 ||
                 to == ONNX__TENSOR_PROTO__DATA_TYPE__INT8 || to == ONNX__TENSOR_PROTO__DATA_TYPE__UINT8 ||
                 to == ONNX__TENSOR_PROTO__DATA_TYPE__BOOL;
    if (!to_float && !to_int) return nfail(c, ZK_EINPUT, "unsupported attribute value to=%s", onnx_dtype_name(to));
    if (!is_const(c, X)) {
        if (to != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT)
            return nfail(c, ZK_EINPUT, "Cast of a computed tensor to a type other than FLOAT is not supported");
        return bind(c, x->out, X);
    }
    int64_t n = numel0(c, X);
    zk_err e = charge(c, n);
    if (e) return e;
    int y;
    if (to_float) {
        float *d = zk_malloc_n((size_t)(n ? n : 1), sizeof *d);
        if (n) memcpy(d, cfloat(c, X), (size_t)n * sizeof *d);
        y = t_const_f(c, x->out, shp(c, X), d);
    } else {
        int64_t *d = zk_malloc_n((size_t)(n ? n : 1), sizeof *d);
        for (int64_t k = 0; k < n; k++) {
            int64_t v = c->idata[X] ? c->idata[X][k] : f2i(c->g.tensors[X].data[k]);
            d[k] = to == ONNX__TENSOR_PROTO__DATA_TYPE__BOOL && !c->idata[X] ? c->g.tensors[X].data[k] != 0.0f
                                                                               : cast_int(v, to);
        }
        y = t_const_i(c, x->out, shp(c, X), d);
    }
    return bind(c, x->out, y);
}

/* ---- ops lowered onto the nn op set (issue 12 item 4) ----
 * Div by a constant, Sum, Mean, Max, Min, ReduceSum, ReduceMean and
 * ConvTranspose have no node kind of their own: each is written with ops
 * the circuits already prove (nn.h lists how), so their relations, integer
 * rules (q_int_rules) and the maps the verifier rebuilds from the key are
 * those of ops proved before. */

/* numpy broadcast of a and b into *o (o may alias a); 0 if they do not
 * broadcast. */
static int bcast_shape(nn_shape *o, const nn_shape *a, const nn_shape *b) {
    nn_shape r = {a->ndim > b->ndim ? a->ndim : b->ndim, {0}};
    for (int i = 0; i < r.ndim; i++) {
        int ia = i - (r.ndim - a->ndim), ib = i - (r.ndim - b->ndim);
        int64_t da = ia >= 0 ? a->d[ia] : 1, db = ib >= 0 ? b->d[ib] : 1;
        if (da != db && da != 1 && db != 1) return 0;
        r.d[i] = da == 1 ? db : da;
    }
    *o = r;
    return 1;
}

/* Offset in a tensor of shape s (right-aligned to o, its axes of length 1
 * repeated) of element k of o. */
static int64_t bcast_off(const nn_shape *s, const nn_shape *o, int64_t k) {
    int64_t off = 0, st = 1;
    for (int i = o->ndim - 1; i >= 0; i--) {
        int64_t idx = k % o->d[i];
        k /= o->d[i];
        int is = i - (o->ndim - s->ndim);
        if (is < 0) continue;
        if (s->d[is] != 1) off += idx * st;
        st *= s->d[is];
    }
    return off;
}

/* Computed t broadcast to shape o: a Reshape to o's rank, then a Resize
 * (nearest, integer scales) repeating the axes of length 1. */
static zk_err expand_to(ictx *c, int *out, int t, const nn_shape *o, const char *name) {
    const nn_shape *s = shp(c, t);
    nn_shape r = {o->ndim, {0}};
    int rep = 0;
    for (int i = 0; i < o->ndim; i++) {
        int is = i - (o->ndim - s->ndim);
        r.d[i] = is >= 0 ? s->d[is] : 1;
        rep |= r.d[i] != o->d[i];
    }
    char nm[256];
    snprintf(nm, sizeof nm, "%s:rank", name);
    zk_err e = reshape_to(c, out, t, &r, rep ? nm : name);
    if (e || !rep) return e;
    nn_attrs a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < o->ndim; i++) a.iattr[i] = o->d[i] / r.d[i]; /* r.d[i] is 1 or o->d[i] */
    t = *out;
    return emit(c, out, NN_RESIZE, &t, 1, &a, name, NULL);
}

/* -t for a computed t: Sub(0, t), a rescale that is an exact shift (k = 0
 * when t's scale is no finer than its range allows, as q_quantize sets). */
static zk_err negate(ictx *c, int *out, int t, const char *name) {
    char nm[256];
    snprintf(nm, sizeof nm, "%s:zero", name);
    int in[2] = {t_scalar(c, nm, 0.0f), t};
    return emit(c, out, NN_SUB, in, 2, NULL, name, NULL);
}

/* Div: a constant divisor becomes a Mul by its reciprocal (rounded to the
 * weight bits like any constant; quant.h sec. 2); integer constants fold
 * with C's truncating division. */
static zk_err op_div(ictx *c, nctx *x) {
    int A = inp(x, 0), B = inp(x, 1);
    if (A < 0 || B < 0) return nfail(c, ZK_EINPUT, "missing input");
    zk_err e = legacy_bcast(c, x, A, &B);
    if (e) return e;
    if (!is_const(c, B)) return nfail(c, ZK_EINPUT, "division by a computed tensor is not supported");
    int64_t n = numel0(c, B);
    if (c->idata[A] && c->idata[B]) {
        for (int64_t k = 0; k < n; k++)
            if (c->idata[B][k] == 0) return nfail(c, ZK_EINPUT, "integer division by zero");
        return fold_int_binary(c, x, '/', A, B);
    }
    if ((e = charge(c, n))) return e;
    const float *b = cfloat(c, B);
    for (int64_t k = 0; k < n; k++) {
        double r = 1.0 / (double)b[k];
        if (b[k] == 0.0f || !isfinite(b[k]) || !(fabs(r) <= FLT_MAX))
            return nfail(c, ZK_EINPUT, "divisor element %lld is %g: its reciprocal is not a finite float",
                         (long long)k, (double)b[k]);
    }
    float *r = zk_malloc_n((size_t)(n ? n : 1), sizeof *r);
    for (int64_t k = 0; k < n; k++) r[k] = (float)(1.0 / (double)b[k]);
    int in[2] = {A, t_const_f(c, sub(x, "recip"), shp(c, B), r)}, y;
    if ((e = emit(c, &y, NN_MUL, in, 2, NULL, x->out, NULL))) return e;
    return bind(c, x->out, y);
}

/* Sum and Mean of n >= 1 inputs (numpy broadcasting): the constants added
 * first (folded at once), then a chain of binary Adds over the computed
 * inputs and that sum; Mean multiplies by the constant 1/n. */
static zk_err op_summean(ictx *c, nctx *x, int mean) {
    if (x->nin < 1) return nfail(c, ZK_EINPUT, "missing input");
    for (int i = 0; i < x->nin; i++)
        if (x->in[i] < 0) return nfail(c, ZK_EINPUT, "missing input");
    if (x->nin == 1) return bind(c, x->out, x->in[0]);
    int *t = zk_malloc_n((size_t)x->nin, sizeof *t), nt = 0, k = -1, y;
    zk_err e = ZK_OK;
    char nm[200];
    snprintf(nm, sizeof nm, "%s:consts", x->out);
    for (int i = 0; i < x->nin && !e; i++)
        if (is_const(c, x->in[i])) {
            int in[2] = {k, x->in[i]};
            if (k < 0) k = x->in[i];
            else e = emit(c, &k, NN_ADD, in, 2, NULL, nm, NULL);
        }
    for (int i = 0; i < x->nin; i++)
        if (!is_const(c, x->in[i])) t[nt++] = x->in[i];
    if (k >= 0) t[nt++] = k;
    y = t[0];
    for (int j = 1; j < nt && !e; j++) {
        int in[2] = {y, t[j]};
        if (j == nt - 1 && !mean) snprintf(nm, sizeof nm, "%s", x->out);
        else snprintf(nm, sizeof nm, "%s:sum%d", x->out, j);
        e = emit(c, &y, NN_ADD, in, 2, NULL, nm, NULL);
    }
    free(t);
    if (!e && mean) {
        int in[2] = {y, t_scalar(c, sub(x, "1/n"), (float)(1.0 / x->nin))};
        e = emit(c, &y, NN_MUL, in, 2, NULL, x->out, NULL);
    }
    return e ? e : bind(c, x->out, y);
}
static zk_err op_sum(ictx *c, nctx *x) { return op_summean(c, x, 0); }
static zk_err op_mean(ictx *c, nctx *x) { return op_summean(c, x, 1); }

/* Max and Min of n >= 1 inputs (numpy broadcasting) over the output shape
 * Y of n_Y cells: each computed input broadcast to Y and viewed as
 * [1, n_Y, 1], the constants folded into one such column, the columns
 * joined by Concat on axis 2 and the maximum taken by GlobalMaxPool (the
 * max-pool argument: d >= 0 per column and a one-hot choice, protocol.md
 * sec. 7.3), then viewed as Y. Min(a, b, ..) = -Max(-a, -b, ..). */
static zk_err op_extreme(ictx *c, nctx *x, int is_min) {
    if (x->nin < 1) return nfail(c, ZK_EINPUT, "missing input");
    nn_shape o = {0, {0}};
    for (int i = 0; i < x->nin; i++) {
        if (x->in[i] < 0) return nfail(c, ZK_EINPUT, "missing input");
        if (!bcast_shape(&o, i ? &o : shp(c, x->in[i]), shp(c, x->in[i])))
            return nfail(c, ZK_EINPUT, "input shapes do not broadcast");
    }
    if (x->nin == 1) return bind(c, x->out, x->in[0]);
    int64_t n = onnx_numel0(&o);
    if (n < 1) return nfail(c, ZK_EINPUT, "empty or too large output");
    /* the constants, folded into one column (negated for Min) */
    float *kv = NULL;
    zk_err e;
    for (int i = 0; i < x->nin; i++) {
        int t = x->in[i];
        if (!is_const(c, t)) continue;
        int first = kv == NULL;
        if (first) {
            if ((e = charge(c, n))) return e;
            kv = zk_malloc_n((size_t)n, sizeof *kv);
        }
        const float *v = cfloat(c, t);
        for (int64_t k = 0; k < n; k++) {
            float a = v[bcast_off(shp(c, t), &o, k)];
            kv[k] = first || (is_min ? a < kv[k] : a > kv[k]) ? a : kv[k];
        }
    }
    int nc = 0;
    for (int i = 0; i < x->nin; i++) nc += !is_const(c, x->in[i]);
    if (!nc) return bind(c, x->out, t_const_f(c, x->out, &o, kv));
    nn_shape col = {3, {1, n, 1}};
    int *cols = zk_malloc_n((size_t)nc + 1, sizeof *cols), m = 0, y;
    char nm[200];
    e = ZK_OK;
    for (int i = 0; i < x->nin && !e; i++) {
        if (is_const(c, x->in[i])) continue;
        int t = x->in[i];
        if (is_min) {
            snprintf(nm, sizeof nm, "%s:neg%d", x->out, m);
            e = negate(c, &t, t, nm);
        }
        snprintf(nm, sizeof nm, "%s:bcast%d", x->out, m);
        if (!e) e = expand_to(c, &t, t, &o, nm);
        snprintf(nm, sizeof nm, "%s:col%d", x->out, m);
        if (!e) e = reshape_to(c, &cols[m++], t, &col, nm);
    }
    if (kv) {
        if (is_min)
            for (int64_t k = 0; k < n; k++) kv[k] = -kv[k];
        snprintf(nm, sizeof nm, "%s:const", x->out);
        cols[m++] = t_const_f(c, nm, &col, kv);
    }
    if (!e) {
        snprintf(nm, sizeof nm, "%s:cols", x->out);
        e = m == 1 ? (y = cols[0], ZK_OK) : concat_chain(c, x, &y, cols, m, 2, nm);
    }
    free(cols);
    if (!e) e = emit(c, &y, NN_GLOBALMAXPOOL, &y, 1, NULL, sub(x, "max"), NULL);
    if (!e) e = reshape_to(c, &y, y, &o, is_min ? sub(x, "-min") : x->out);
    if (!e && is_min) e = negate(c, &y, y, x->out);
    return e ? e : bind(c, x->out, y);
}
static zk_err op_max(ictx *c, nctx *x) { return op_extreme(c, x, 0); }
static zk_err op_min(ictx *c, nctx *x) { return op_extreme(c, x, 1); }

/* ReduceSum and ReduceMean over any axes (attribute, or input 1 from opset
 * 13/18), keepdims either way, noop_with_empty_axes: the kept axes moved in
 * front of the reduced ones (a Transpose when that moves data), viewed as
 * [K, R] (Sum) or [1, K, R] (Mean); Sum is an FC with R weights 1 (exact:
 * 1 is a power of two), Mean a GlobalAveragePool over the R cells (the
 * average pool's rounding); then viewed as the output shape. */
static zk_err op_reduce(ictx *c, nctx *x, int mean) {
    int X = inp(x, 0);
    if (X < 0) return nfail(c, ZK_EINPUT, "missing input");
    int64_t keep, noop, axes[NN_MAX_DIMS];
    int n;
    zk_err e;
    if ((e = a_int(c, &keep, "keepdims", 1)) || (e = a_int(c, &noop, "noop_with_empty_axes", 0)) ||
        (e = get_axes(c, x, axes, &n, NN_MAX_DIMS)))
        return e;
    const nn_shape *xs = shp(c, X);
    int r = xs->ndim, red[NN_MAX_DIMS] = {0};
    if (n <= 0 && noop) return bind(c, x->out, X); /* no axes: nothing reduced */
    for (int i = 0; i < r; i++) red[i] = n <= 0;
    for (int i = 0; i < n; i++) {
        int64_t a = axes[i] < 0 ? axes[i] + r : axes[i];
        if (a < 0 || a >= r || red[a]) return nfail(c, ZK_EINPUT, "invalid axes");
        red[a] = 1;
    }
    nn_shape o = {0, {0}};
    int64_t perm[NN_MAX_DIMS], K = 1, R = 1;
    int np = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < r; i++)
            if (red[i] == pass) {
                perm[np++] = i;
                *(pass ? &R : &K) *= xs->d[i];
            }
    for (int i = 0; i < r; i++)
        if (!red[i] || keep) o.d[o.ndim++] = red[i] ? 1 : xs->d[i];
    if (o.ndim == 0 && !is_const(c, X)) /* a computed tensor has rank >= 1 in a q_model */
        return nfail(c, ZK_EINPUT, "reducing every axis with keepdims=0 gives a rank-0 output, which is not "
                                   "supported (keepdims=1 gives the same value)");
    if (R == 1) return view_as(c, x, X, &o); /* one cell per output: the values themselves */
    int t;
    if ((e = transpose_to(c, &t, X, perm, sub(x, "perm")))) return e;
    if (mean) {
        nn_shape s3 = {3, {1, K, R}};
        if ((e = reshape_to(c, &t, t, &s3, sub(x, "rows"))) ||
            (e = emit(c, &t, NN_GLOBALAVGPOOL, &t, 1, NULL, sub(x, "mean"), NULL)))
            return e;
    } else {
        nn_shape s2 = {2, {K, R}}, ws = {2, {1, R}};
        if ((e = reshape_to(c, &t, t, &s2, sub(x, "rows"))) || (e = charge(c, R))) return e;
        float *w = zk_malloc_n((size_t)R, sizeof *w);
        for (int64_t k = 0; k < R; k++) w[k] = 1.0f;
        int in[2] = {t, t_const_f(c, sub(x, "ones"), &ws, w)};
        if ((e = emit(c, &t, NN_FC, in, 2, NULL, sub(x, "sum"), NULL))) return e;
    }
    return view_as(c, x, t, &o);
}
static zk_err op_reducesum(ictx *c, nctx *x) { return op_reduce(c, x, 0); }
static zk_err op_reducemean(ictx *c, nctx *x) { return op_reduce(c, x, 1); }

/* ConvTranspose (1-D and 2-D; strides, dilations, group, pads,
 * output_padding, output_shape, auto_pad) as a Conv: along each spatial
 * axis (input length L, kernel k, stride s, dilation d, output length O)
 * the input is spread to stride s (a 6-D Reshape, a Pad with s - 1 zeros
 * after each cell, a Reshape: U = (L - 1) s + 1 cells and s - 1 trailing
 * zeros), bordered by lo = (k - 1) d - p_begin zeros before and
 * hi = O - U - lo + (k - 1) d after (the Conv's pads, or a Pad when one
 * of them is negative: a crop), and convolved at stride 1 and
 * dilation d with the kernel flipped and its two channel axes exchanged
 * per group: W'[g M/G + m, c, ky, kx] = W[g C/G + c, m, kh-1-ky, kw-1-kx]. */
static zk_err op_convtranspose(ictx *c, nctx *x) {
    int X, W, B, sp = 0;
    zk_err e = conv_operands(c, x, &X, &W, &B, &sp);
    if (e) return e;
    const nn_shape *xs = shp(c, X), *ws = shp(c, W);
    int64_t G, C = xs->d[1];
    if ((e = a_int(c, &G, "group", 1))) return e;
    if (G < 1 || G > C || C % G != 0 || ws->d[0] != C)
        return nfail(c, ZK_EINPUT, "input channels %lld, weight channels %lld and group %lld disagree", (long long)C,
                     (long long)ws->d[0], (long long)G);
    int64_t ks[2], st[2] = {1, 1}, dl[2] = {1, 1}, pd[4] = {0, 0, 0, 0}, op[2] = {0, 0}, os[4];
    int nk, ns, nd, np, no, nos;
    if ((e = a_ints(c, ks, &nk, 2, "kernel_shape")) || (e = a_ints(c, st, &ns, 2, "strides")) ||
        (e = a_ints(c, dl, &nd, 2, "dilations")) || (e = a_ints(c, pd, &np, 4, "pads")) ||
        (e = a_ints(c, op, &no, 2, "output_padding")) || (e = a_ints(c, os, &nos, 4, "output_shape")))
        return e;
    if ((nk != -1 && nk != sp) || (ns != -1 && ns != sp) || (nd != -1 && nd != sp) || (np != -1 && np != 2 * sp) ||
        (no != -1 && no != sp) || (nos != -1 && nos != sp && nos != sp + 2))
        return nfail(c, ZK_EINPUT, "kernel_shape, strides, dilations, pads, output_padding or output_shape do not "
                                   "match %d spatial axes", sp);
    if (ns == -1) st[0] = st[1] = 1;
    if (nd == -1) dl[0] = dl[1] = 1;
    if (np == -1) pd[0] = pd[1] = pd[2] = pd[3] = 0;
    if (no == -1) op[0] = op[1] = 0;
    char ap[24];
    if ((e = a_str(c, ap, sizeof ap, "auto_pad", "NOTSET"))) return e;
    int same_upper = strcmp(ap, "SAME_UPPER") == 0, same_lower = strcmp(ap, "SAME_LOWER") == 0;
    int valid = strcmp(ap, "VALID") == 0;
    if (!same_upper && !same_lower && !valid && ap[0] && strcmp(ap, "NOTSET") != 0)
        return nfail(c, ZK_EINPUT, "unsupported attribute value auto_pad=%s", ap);
    /* per spatial axis of the 2-D layout (a 1-D op has height 1) */
    int64_t L[2] = {1, 1}, k[2] = {1, 1}, s[2] = {1, 1}, d[2] = {1, 1}, O[2] = {1, 1}, lo[2] = {0, 0}, hi[2] = {0, 0};
    const int64_t lim = (int64_t)1 << 24;
    for (int i = 0; i < sp; i++) {
        int a = 2 - sp + i;
        L[a] = xs->d[2 + i], k[a] = ws->d[2 + i], s[a] = st[i], d[a] = dl[i];
        if (nk != -1 && ks[i] != k[a]) return nfail(c, ZK_EINPUT, "kernel_shape disagrees with the weight");
        if (s[a] < 1 || s[a] > lim || d[a] < 1 || d[a] > lim || k[a] > lim || pd[i] < 0 || pd[i] > lim ||
            pd[sp + i] < 0 || pd[sp + i] > lim || op[i] < 0 || op[i] > lim)
            return nfail(c, ZK_EINPUT, "unsupported attribute value: stride, dilation, pad or output_padding out "
                                       "of range");
        int64_t dk = (k[a] - 1) * d[a] + 1, full = s[a] * (L[a] - 1) + op[i] + dk, pb = pd[i];
        if (nos != -1 || same_upper || same_lower) {
            /* the output length is given (output_shape, or L s for SAME):
             * the padding it implies, split as ONNX says (none when the
             * output is longer than the full result: zeros follow) */
            O[a] = nos != -1 ? os[nos - sp + i] : L[a] * s[a];
            if (O[a] < 1 || O[a] > lim) return nfail(c, ZK_EINPUT, "unsupported attribute value output_shape");
            int64_t total = full - O[a];
            pb = total <= 0 ? 0 : same_upper ? total / 2 : total - total / 2;
        } else {
            O[a] = valid ? full : full - pd[i] - pd[sp + i];
            if (valid) pb = 0;
        }
        if (O[a] < 1) return nfail(c, ZK_EINPUT, "pads leave spatial axis %d of the output empty", i);
        lo[a] = (k[a] - 1) * d[a] - pb;
        hi[a] = O[a] - ((L[a] - 1) * s[a] + 1) - lo[a] + (k[a] - 1) * d[a];
    }
    int t = X;
    if (sp == 1) {
        nn_shape xs2 = lift1d(xs);
        if ((e = reshape_to(c, &t, X, &xs2, sub(x, "in2d")))) return e;
    }
    int64_t N = shp(c, t)->d[0], H = L[0], Wd = L[1];
    if (s[0] > 1 || s[1] > 1) { /* s - 1 zeros after every cell */
        nn_shape x6 = {6, {N, C, H, 1, Wd, 1}}, up = {4, {N, C, H * s[0], Wd * s[1]}};
        nn_attrs a;
        memset(&a, 0, sizeof a);
        a.iattr[6 + 3] = s[0] - 1, a.iattr[6 + 5] = s[1] - 1;
        if ((e = reshape_to(c, &t, t, &x6, sub(x, "cells"))) || (e = emit(c, &t, NN_PAD, &t, 1, &a, sub(x, "spread"), NULL)) ||
            (e = reshape_to(c, &t, t, &up, sub(x, "strided"))))
            return e;
        hi[0] -= s[0] - 1, hi[1] -= s[1] - 1;
    }
    if (lo[0] < 0 || lo[1] < 0 || hi[0] < 0 || hi[1] < 0) { /* a crop: all four borders in one Pad */
        nn_attrs a;
        memset(&a, 0, sizeof a);
        for (int i = 0; i < 2; i++) a.iattr[2 + i] = lo[i], a.iattr[4 + 2 + i] = hi[i], lo[i] = hi[i] = 0;
        if ((e = emit(c, &t, NN_PAD, &t, 1, &a, sub(x, "border"), NULL))) return e;
    }
    int64_t Mg = ws->d[1], Cg = C / G, KK = k[0] * k[1];
    int64_t nw = numel0(c, W);
    if ((e = charge(c, nw))) return e;
    const float *wv = cfloat(c, W);
    float *w2 = zk_malloc_n((size_t)nw, sizeof *w2);
    for (int64_t g = 0; g < G; g++)
        for (int64_t m = 0; m < Mg; m++)
            for (int64_t cc = 0; cc < Cg; cc++)
                for (int64_t p = 0; p < KK; p++)
                    w2[((g * Mg + m) * Cg + cc) * KK + p] = wv[((g * Cg + cc) * Mg + m) * KK + (KK - 1 - p)];
    nn_shape w4 = {4, {G * Mg, Cg, k[0], k[1]}};
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.group = G;
    for (int i = 0; i < 2; i++) {
        a.kernel[i] = k[i], a.strides[i] = 1, a.dilations[i] = d[i];
        a.pads[i] = lo[i] > 0 ? lo[i] : 0, a.pads[2 + i] = hi[i] > 0 ? hi[i] : 0;
    }
    int in[3] = {t, t_const_f(c, sub(x, "flipped"), &w4, w2), B}, y;
    if ((e = emit(c, &y, NN_CONV, in, B >= 0 ? 3 : 2, &a, sp == 1 ? sub(x, "out2d") : x->out, NULL))) return e;
    const nn_shape *ys = shp(c, y);
    if (ys->d[2] != O[0] || ys->d[3] != O[1]) return nfail(c, ZK_EINPUT, "lowered output shape disagrees");
    return finish(c, x, y, sp);
}

/* ---- dispatch ---- */

typedef zk_err (*op_fn)(ictx *, nctx *);
static const struct {
    const char *name;
    op_fn fn;
    const char *attrs; /* accepted attribute names, space separated */
} onnx_ops[] = {
    {"Conv", op_conv, " auto_pad dilations group kernel_shape pads strides "},
    {"Gemm", op_gemm, " alpha beta transA transB broadcast "},
    {"MatMul", op_matmul, " "},
    {"Relu", op_relu, " consumed_inputs "},
    {"LeakyRelu", op_leakyrelu, " alpha consumed_inputs "},
    {"MaxPool", op_maxpool, " auto_pad ceil_mode dilations kernel_shape pads storage_order strides "},
    {"AveragePool", op_avgpool, " auto_pad ceil_mode count_include_pad dilations kernel_shape pads strides "},
    {"GlobalAveragePool", op_gap, " "},
    {"GlobalMaxPool", op_gmp, " "},
    {"BatchNormalization", op_batchnorm, " epsilon momentum spatial is_test training_mode consumed_inputs "},
    {"Add", op_add, " broadcast axis consumed_inputs "},
    {"Sub", op_sub, " broadcast axis consumed_inputs "},
    {"Mul", op_mul, " broadcast axis consumed_inputs "},
    {"Div", op_div, " broadcast axis consumed_inputs "},
    {"Sum", op_sum, " consumed_inputs "},
    {"Mean", op_mean, " consumed_inputs "},
    {"Max", op_max, " consumed_inputs "},
    {"Min", op_min, " consumed_inputs "},
    {"ReduceSum", op_reducesum, " axes keepdims noop_with_empty_axes "},
    {"ReduceMean", op_reducemean, " axes keepdims noop_with_empty_axes "},
    {"ConvTranspose", op_convtranspose, " auto_pad dilations group kernel_shape output_padding output_shape pads strides "},
    {"Flatten", op_flatten, " axis "},
    {"Reshape", op_reshape, " shape allowzero consumed_inputs "},
    {"Squeeze", op_squeeze, " axes "},
    {"Unsqueeze", op_unsqueeze, " axes "},
    {"Pad", op_pad, " mode pads paddings value "},
    {"Identity", op_identity, " "},
    {"Dropout", op_dropout, " ratio is_test seed consumed_inputs "},
    {"Constant", op_constant, " value value_float value_floats value_int value_ints "},
    {"Shape", op_shape, " start end "},
    {"Gather", op_gather, " axis "},
    {"Concat", op_concat, " axis "},
    {"ConstantOfShape", op_constantofshape, " value "},
    {"Slice", op_slice, " starts ends axes "},
    {"Transpose", op_transpose, " perm "},
    {"Resize", op_resize, " coordinate_transformation_mode cubic_coeff_a exclude_outside extrapolation_value mode nearest_mode "},
    {"Upsample", op_upsample, " mode scales "},
    {"DepthToSpace", op_depthtospace, " blocksize mode "},
    {"SpaceToDepth", op_spacetodepth, " blocksize "},
    {"Cast", op_cast, " to "},
    {"Sigmoid", op_sigmoid, " consumed_inputs "},
    {"Tanh", op_tanh, " consumed_inputs "},
    {"Exp", op_exp, " consumed_inputs "},
    {"Erf", op_erf, " "},
    {"Gelu", op_gelu, " approximate "},
    {"Elu", op_elu, " alpha consumed_inputs "},
    {"Selu", op_selu, " alpha gamma consumed_inputs "},
    {"Softplus", op_softplus, " "},
    {"Softsign", op_softsign, " "},
    {"HardSigmoid", op_hardsigmoid, " alpha beta consumed_inputs "},
    {"HardSwish", op_hardswish, " "},
    {"Clip", op_clip, " min max consumed_inputs "},
    {"PRelu", op_prelu, " consumed_inputs "},
    {"Softmax", op_softmax, " axis "},
    {"LogSoftmax", op_logsoftmax, " axis "},
};

static zk_err import_node(ictx *c, const Onnx__NodeProto *n, size_t k) {
    c->node = n;
    if (n->name && n->name[0]) clean(c->label, sizeof c->label, n->name, strlen(n->name));
    else snprintf(c->label, sizeof c->label, "#%zu", k);
    const char *opt = n->op_type ? n->op_type : "";
    clean(c->op, sizeof c->op, opt, strlen(opt));
    const char *dom = n->domain ? n->domain : "";
    size_t which = sizeof onnx_ops / sizeof onnx_ops[0];
    if (dom[0] == 0 || strcmp(dom, "ai.onnx") == 0)
        for (size_t i = 0; i < sizeof onnx_ops / sizeof onnx_ops[0]; i++)
            if (strcmp(onnx_ops[i].name, opt) == 0) which = i;
    if (which == sizeof onnx_ops / sizeof onnx_ops[0]) return nfail(c, ZK_EINPUT, "unsupported operator");
    for (size_t i = 0; i < n->n_attribute; i++) {
        const char *an = n->attribute[i]->name ? n->attribute[i]->name : "";
        char pat[72];
        snprintf(pat, sizeof pat, " %s ", an);
        if (!*an || strlen(an) > 64 || !strstr(onnx_ops[which].attrs, pat)) {
            char nb[48];
            clean(nb, sizeof nb, an, strlen(an));
            return nfail(c, ZK_EINPUT, "unsupported attribute %s", nb);
        }
    }
    if (n->n_output < 1 || !n->output[0][0]) return nfail(c, ZK_EINPUT, "node has no output");
    if (n->n_output > 8) return nfail(c, ZK_EINPUT, "too many outputs");
    int *in = zk_malloc_n(n->n_input ? n->n_input : 1, sizeof *in);
    zk_err e = ZK_OK;
    for (size_t i = 0; i < n->n_input && !e; i++) {
        in[i] = n->input[i][0] ? map_get(c, n->input[i]) : -1;
        if (n->input[i][0] && in[i] < 0) {
            char nb[64];
            clean(nb, sizeof nb, n->input[i], strlen(n->input[i]));
            e = nfail(c, ZK_EINPUT, in[i] == POISON ? "input \"%s\" is an output the importer does not compute"
                                                    : "input \"%s\" is not defined",
                      nb);
        }
    }
    if (!e && n->n_input > INT32_MAX) e = nfail(c, ZK_EINPUT, "too many inputs");
    if (!e) {
        nctx x = {n, in, (int)n->n_input, n->output[0], {0}};
        e = onnx_ops[which].fn(c, &x);
        for (size_t i = 1; !e && i < n->n_output; i++) /* handlers bind (or drop) what they support */
            if (n->output[i][0] && map_get(c, n->output[i]) == -1) e = nfail(c, ZK_EINPUT, "unsupported extra outputs");
    }
    free(in);
    return e;
}

/* ---- GELU as exporters write it before opset 20 ----
 * PyTorch writes nn.GELU() as x/sqrt2 -> Erf -> +1 -> times x -> times 0.5
 * (others take x * 0.5 first), and the tanh form as x*x -> *x -> *0.044715
 * -> +x -> *sqrt(2/pi) -> Tanh -> +1 -> *x -> *0.5. Such a chain, whose
 * inner values nothing else reads, becomes one NN_GELU node (one table
 * instead of five or nine nodes with their own scales and checks). */

#define GELU_MAX 10 /* nodes in a pattern */

typedef struct {
    size_t node[GELU_MAX], n; /* the pattern's nodes; node[0] is the first in graph order */
    const char *x, *y;        /* its input and output values */
    int tanh_form;
} gelu_match;

static int pg_op(const Onnx__NodeProto *n, const char *op) {
    const char *d = n->domain ? n->domain : "";
    return n->op_type && strcmp(n->op_type, op) == 0 && (!d[0] || strcmp(d, "ai.onnx") == 0);
}

/* The only node reading value v (and v not a graph output), or NULL. */
static const Onnx__NodeProto *pg_sole(const Onnx__GraphProto *g, const char *v, size_t *idx) {
    const Onnx__NodeProto *r = NULL;
    for (size_t o = 0; o < g->n_output; o++)
        if (g->output[o]->name && strcmp(g->output[o]->name, v) == 0) return NULL;
    for (size_t k = 0; k < g->n_node; k++)
        for (size_t i = 0; i < g->node[k]->n_input; i++)
            if (strcmp(g->node[k]->input[i], v) == 0) {
                if (r) return NULL;
                r = g->node[k], *idx = k;
            }
    return r;
}

/* The other operand of a two-input node reading a (NULL if it does not). */
static const char *pg_other(const Onnx__NodeProto *n, const char *a) {
    if (n->n_input != 2 || n->n_output != 1 || n->n_attribute) return NULL;
    if (strcmp(n->input[0], a) == 0) return n->input[1];
    if (strcmp(n->input[1], a) == 0) return n->input[0];
    return NULL;
}

/* The value of a one-element float constant: an initializer, or the output
 * of a Constant node. */
static int pg_scalar(const Onnx__GraphProto *g, const char *v, double *out) {
    const Onnx__TensorProto *t = NULL;
    for (size_t i = 0; i < g->n_initializer && !t; i++)
        if (g->initializer[i]->name && strcmp(g->initializer[i]->name, v) == 0) t = g->initializer[i];
    for (size_t k = 0; k < g->n_node && !t; k++) {
        const Onnx__NodeProto *n = g->node[k];
        if (!pg_op(n, "Constant") || n->n_output != 1 || strcmp(n->output[0], v) != 0 || n->n_attribute != 1) continue;
        const Onnx__AttributeProto *a = n->attribute[0];
        if (a->name && strcmp(a->name, "value_float") == 0 && a->has_f) {
            *out = a->f;
            return 1;
        }
        if (a->name && strcmp(a->name, "value") == 0) t = a->t;
        if (!t) return 0;
    }
    onnx_value val;
    if (!t || onnx_value_decode(&val, t, "constant") != ZK_OK) return 0;
    int ok = onnx_numel0(&val.shape) == 1 && val.f;
    if (ok) *out = val.f[0];
    onnx_value_clear(&val);
    return ok;
}

static int pg_near(double v, double want) { return fabs(v - want) <= 1e-4 * fabs(want); }

/* Follows value v to its sole reader, a node of op `op` with one input v
 * (unary) or v and a constant near `cval` (binary; cval 0: the other
 * operand must be `other`); returns that node's output. */
static const char *pg_step(const Onnx__GraphProto *g, gelu_match *m, const char *v, const char *op, double cval,
                           const char *other) {
    size_t k;
    const Onnx__NodeProto *n = v ? pg_sole(g, v, &k) : NULL;
    if (!n || !pg_op(n, op) || n->n_output != 1 || m->n >= GELU_MAX) return NULL;
    if (cval == 0 && !other) {
        if (n->n_input != 1 || n->n_attribute) return NULL;
    } else {
        const char *o = pg_other(n, v);
        double c;
        if (!o || (other ? strcmp(o, other) != 0 : !pg_scalar(g, o, &c) || !pg_near(c, cval))) return NULL;
    }
    m->node[m->n++] = k;
    return n->output[0];
}

/* The pattern starting at node k, if any. */
static int gelu_find(const Onnx__GraphProto *g, size_t k, gelu_match *m) {
    const Onnx__NodeProto *n = g->node[k];
    memset(m, 0, sizeof *m);
    if (n->n_input != 2 || n->n_output != 1 || n->n_attribute) return 0;
    m->node[m->n++] = k;
    const char *x = n->input[0], *v;
    double c;
    if ((pg_op(n, "Div") && pg_scalar(g, n->input[1], &c) && pg_near(c, 1.4142135623730951)) ||
        (pg_op(n, "Mul") && ((pg_scalar(g, n->input[1], &c) && pg_near(c, 0.7071067811865476)) ||
                             (pg_scalar(g, n->input[0], &c) && pg_near(c, 0.7071067811865476) && (x = n->input[1]))))) {
        v = pg_step(g, m, n->output[0], "Erf", 0, NULL);
        v = pg_step(g, m, v, "Add", 1.0, NULL);
        if (!v) return 0;
        size_t at = m->n; /* times x then 0.5, or times (x * 0.5) */
        const char *y = pg_step(g, m, v, "Mul", 0, x);
        y = pg_step(g, m, y, "Mul", 0.5, NULL);
        if (!y) {
            size_t j;
            const Onnx__NodeProto *mul = (m->n = at, pg_sole(g, v, &j));
            const char *h = mul && pg_op(mul, "Mul") ? pg_other(mul, v) : NULL;
            size_t hk = 0;
            const Onnx__NodeProto *hn = NULL;
            for (size_t q = 0; h && q < g->n_node && !hn; q++)
                if (g->node[q]->n_output == 1 && strcmp(g->node[q]->output[0], h) == 0) hn = g->node[q], hk = q;
            const char *o = hn && pg_op(hn, "Mul") ? pg_other(hn, x) : NULL;
            if (!o || !pg_scalar(g, o, &c) || !pg_near(c, 0.5) || pg_sole(g, h, &j) != mul) return 0;
            m->node[m->n++] = hk;
            y = pg_step(g, m, v, "Mul", 0, h);
            if (!y) return 0;
        }
        m->x = x, m->y = y;
        return 1;
    }
    if (pg_op(n, "Mul") && strcmp(n->input[0], n->input[1]) == 0) { /* the tanh form from x * x */
        v = pg_step(g, m, n->output[0], "Mul", 0, x);
        v = pg_step(g, m, v, "Mul", 0.044715, NULL);
        v = pg_step(g, m, v, "Add", 0, x);
        v = pg_step(g, m, v, "Mul", 0.7978845608028654, NULL);
        v = pg_step(g, m, v, "Tanh", 0, NULL);
        v = pg_step(g, m, v, "Add", 1.0, NULL);
        v = pg_step(g, m, v, "Mul", 0, x);
        v = pg_step(g, m, v, "Mul", 0.5, NULL);
        if (!v) return 0;
        m->x = x, m->y = v, m->tanh_form = 1;
        return 1;
    }
    return 0;
}

/* ---- graph level ---- */

static void ictx_free(ictx *c) {
    for (size_t t = 0; t < c->g.ntensors; t++) {
        free(c->g.tensors[t].name);
        free(c->g.tensors[t].data);
        free(c->idata[t]);
    }
    for (size_t k = 0; k < c->g.nnodes; k++) free(c->g.nodes[k].name);
    free(c->g.tensors);
    free(c->g.nodes);
    free(c->idata);
    for (size_t i = 0; i < c->mcap; i++) free(c->map[i].key);
    free(c->map);
}

static const Onnx__ValueInfoProto *graph_input(const Onnx__GraphProto *g, const char *name) {
    for (size_t i = 0; i < g->n_input; i++)
        if (g->input[i]->name && strcmp(g->input[i]->name, name) == 0) return g->input[i];
    return NULL;
}

/* Shape of the computed graph input: a shape-only feed, else its ValueInfo. */
static zk_err input_shape(ictx *c, nn_shape *s, const Onnx__ValueInfoProto *vi, const onnx_feed *f) {
    char nb[64];
    const char *nm = vi->name ? vi->name : "";
    clean(nb, sizeof nb, nm, strlen(nm));
    const Onnx__TypeProto *tp = vi->type;
    if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type)
        return nfail(c, ZK_EINPUT, "graph input \"%s\" is not a tensor", nb);
    const Onnx__TypeProto__Tensor *tt = tp->tensor_type;
    if (!tt->has_elem_type || tt->elem_type != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT)
        return nfail(c, ZK_EINPUT, "graph input \"%s\" has element type %s; only FLOAT is supported", nb,
                     onnx_dtype_name(tt->has_elem_type ? tt->elem_type : 0));
    const Onnx__TensorShapeProto *sp = tt->shape;
    if (sp && sp->n_dim > NN_MAX_DIMS) return nfail(c, ZK_EINPUT, "graph input \"%s\" has rank above %d", nb, NN_MAX_DIMS);
    if (f) {
        *s = f->shape;
        if (sp && (size_t)s->ndim != sp->n_dim) return nfail(c, ZK_EINPUT, "feed for \"%s\" has the wrong rank", nb);
        for (int i = 0; sp && i < s->ndim; i++) {
            const Onnx__TensorShapeProto__Dimension *d = sp->dim[i];
            if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE && d->dim_value > 0 &&
                d->dim_value != s->d[i])
                return nfail(c, ZK_EINPUT, "feed for \"%s\" disagrees with the model at axis %d", nb, i);
        }
    } else {
        if (!sp) return nfail(c, ZK_EINPUT, "graph input \"%s\" has no shape", nb);
        s->ndim = (int)sp->n_dim;
        for (int i = 0; i < s->ndim; i++) {
            const Onnx__TensorShapeProto__Dimension *d = sp->dim[i];
            if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE && d->dim_value > 0)
                s->d[i] = d->dim_value;
            else if (i == 0) s->d[i] = 1;
            else return nfail(c, ZK_EINPUT, "graph input \"%s\": axis %d has no fixed size", nb, i);
        }
    }
    int64_t n = onnx_numel0(s);
    if (n < 1) return nfail(c, ZK_EINPUT, "graph input \"%s\" is empty or too large", nb);
    return ZK_OK;
}

/* Builds every tensor and node; *in_t is the computed input (-1 if none),
 * *out_t the graph output. */
/* One NN_GELU for a matched pattern, named after its first node. */
static zk_err import_gelu(ictx *c, const Onnx__GraphProto *g, const gelu_match *gm, size_t k) {
    const Onnx__NodeProto *n = g->node[k];
    c->node = n;
    if (n->name && n->name[0]) clean(c->label, sizeof c->label, n->name, strlen(n->name));
    else snprintf(c->label, sizeof c->label, "#%zu", k);
    snprintf(c->op, sizeof c->op, "Gelu");
    int X = map_get(c, gm->x), y;
    if (X < 0) return nfail(c, ZK_EINPUT, "input is not defined");
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.iattr[0] = gm->tanh_form;
    zk_err e = emit(c, &y, NN_GELU, &X, 1, &a, gm->y, NULL);
    return e ? e : bind(c, gm->y, y);
}

static zk_err import_graph(ictx *c, int *in_t, int *out_t, const Onnx__ModelProto *m, size_t len,
                           const onnx_feed *feeds, size_t nfeeds, int want_const) {
    const Onnx__GraphProto *g = m->graph;
    if (!g) return nfail(c, ZK_EINPUT, "model has no graph");
    c->opset = 1;
    for (size_t i = 0; i < m->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = m->opset_import[i];
        if ((!o->domain || !o->domain[0] || strcmp(o->domain, "ai.onnx") == 0) && o->has_version) c->opset = o->version;
    }
    if (g->n_node > ONNX_MAX_NODES) return nfail(c, ZK_EINPUT, "graph has %zu nodes, more than %d", g->n_node, ONNX_MAX_NODES);
    if (g->n_sparse_initializer) return nfail(c, ZK_EINPUT, "sparse initializers are not supported");
    int64_t fed = 0;
    zk_err e;
    const onnx_feed *shape_feed = NULL;
    for (size_t i = 0; i < nfeeds; i++) {
        const onnx_feed *f = &feeds[i];
        char nb[64];
        clean(nb, sizeof nb, f->name ? f->name : "", f->name ? strlen(f->name) : 0);
        if (!f->name || !graph_input(g, f->name)) return nfail(c, ZK_EINPUT, "feed \"%s\" is not a graph input", nb);
        int64_t n = onnx_numel0(&f->shape);
        if (n < 0) return nfail(c, ZK_EINPUT, "feed \"%s\" has an invalid shape", nb);
        if (!f->data) {
            if (shape_feed) return nfail(c, ZK_EINPUT, "more than one shape-only feed");
            shape_feed = f;
            continue;
        }
        const Onnx__ValueInfoProto *vi = graph_input(g, f->name);
        int32_t et = vi->type && vi->type->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE && vi->type->tensor_type &&
                             vi->type->tensor_type->has_elem_type
                         ? vi->type->tensor_type->elem_type
                         : ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
        int is_int = 0;
        switch (et) {
        case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT:
        case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: break;
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT64:
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT32:
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16:
        case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
        case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
        case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: is_int = 1; break;
        default: return nfail(c, ZK_EINPUT, "graph input \"%s\" has unsupported element type %s", nb, onnx_dtype_name(et));
        }
        int t;
        if (is_int) {
            int64_t *d = zk_malloc_n((size_t)(n ? n : 1), sizeof *d);
            for (int64_t k = 0; k < n; k++) d[k] = f2i(nearbyint(f->data[k]));
            t = t_const_i(c, f->name, &f->shape, d);
        } else {
            float *d = zk_malloc_n((size_t)(n ? n : 1), sizeof *d);
            if (n) memcpy(d, f->data, (size_t)n * sizeof *d);
            t = t_const_f(c, f->name, &f->shape, d);
        }
        if ((e = bind(c, f->name, t))) return e;
        fed += n;
    }
    c->budget = ((int64_t)1 << 22) + 4 * ((int64_t)len + fed);
    c->work = ((int64_t)1 << 24) + 1024 * ((int64_t)len + fed);
    for (size_t i = 0; i < g->n_initializer; i++) {
        const Onnx__TensorProto *tp = g->initializer[i];
        const char *nm = tp->name ? tp->name : "";
        char nb[64];
        clean(nb, sizeof nb, nm, strlen(nm));
        if (!nm[0]) return nfail(c, ZK_EINPUT, "initializer without a name");
        if (map_get(c, nm) != -1 && graph_input(g, nm)) continue; /* fed */
        onnx_value v;
        if ((e = onnx_value_decode(&v, tp, nb))) return e;
        int t = v.f ? t_const_f(c, nm, &v.shape, v.f) : t_const_i(c, nm, &v.shape, v.i);
        if ((e = bind(c, nm, t))) return e;
    }
    *in_t = -1;
    for (size_t i = 0; i < g->n_input; i++) {
        const Onnx__ValueInfoProto *vi = g->input[i];
        const char *nm = vi->name ? vi->name : "";
        if (map_get(c, nm) != -1) continue;
        char nb[64];
        clean(nb, sizeof nb, nm, strlen(nm));
        if (want_const) return nfail(c, ZK_EINPUT, "graph input \"%s\" is not fed", nb);
        if (*in_t >= 0) return nfail(c, ZK_EINPUT, "more than one graph input is not a constant (\"%s\")", nb);
        nn_shape s;
        const onnx_feed *f = shape_feed && strcmp(shape_feed->name, nm) == 0 ? shape_feed : NULL;
        if (shape_feed && !f) return nfail(c, ZK_EINPUT, "shape-only feed for a constant graph input");
        if ((e = input_shape(c, &s, vi, f))) return e;
        *in_t = t_new(c, nm, &s);
        if ((e = bind(c, nm, *in_t))) return e;
    }
    if (!want_const && *in_t < 0) return nfail(c, ZK_EINPUT, "graph has no input that is not a constant");
    /* GELU patterns first: each is emitted where its first node stands (x is
     * defined there: that node reads x or comes after a node reading it) */
    size_t nn = g->n_node ? g->n_node : 1;
    e = ZK_OK;
    uint8_t *fused = zk_calloc(nn, 1);
    gelu_match *gms = zk_calloc(nn, sizeof *gms);
    int *gm_at = zk_malloc_n(nn, sizeof *gm_at);
    for (size_t k = 0; k < g->n_node; k++) gm_at[k] = -1;
    for (size_t k = 0; k < g->n_node && !want_const; k++) {
        gelu_match *gm = &gms[k];
        if (fused[k] || !gelu_find(g, k, gm)) continue;
        size_t first = gm->node[0];
        int clash = 0;
        for (size_t j = 0; j < gm->n; j++) {
            first = gm->node[j] < first ? gm->node[j] : first;
            clash |= fused[gm->node[j]];
        }
        if (clash || gm_at[first] >= 0) continue;
        for (size_t j = 0; j < gm->n; j++) fused[gm->node[j]] = 1;
        gm_at[first] = (int)k;
    }
    for (size_t k = 0; k < g->n_node && !e; k++) {
        if (gm_at[k] >= 0) e = import_gelu(c, g, &gms[gm_at[k]], k);
        else if (!fused[k]) e = import_node(c, g->node[k], k);
    }
    free(fused);
    free(gms);
    free(gm_at);
    if (e) return e;
    c->node = NULL;
    if (g->n_output != 1) return nfail(c, ZK_EINPUT, "graph has %zu outputs; exactly one is supported", g->n_output);
    const char *on = g->output[0]->name ? g->output[0]->name : "";
    *out_t = map_get(c, on);
    char nb[64];
    clean(nb, sizeof nb, on, strlen(on));
    if (*out_t < 0) return nfail(c, ZK_EINPUT, "graph output \"%s\" is not computed", nb);
    if (want_const && !is_const(c, *out_t)) return nfail(c, ZK_EINPUT, "graph output is not a constant");
    if (!want_const && is_const(c, *out_t))
        return nfail(c, ZK_EINPUT, "graph output \"%s\" does not depend on the input", nb);
    return ZK_OK;
}

/* Folds each NN_AFFINE (from BatchNormalization) into the Conv/FC that
 * produces its input when nothing else reads that tensor. */
static void fold_affine(ictx *c, int *producer, int *uses, uint8_t *dead) {
    nn_graph *g = &c->g;
    for (size_t k = 0; k < g->nnodes; k++) {
        nn_node *af = &g->nodes[k];
        if (af->op != NN_AFFINE) continue;
        int t = af->in[0], p = producer[t];
        if (p < 0 || uses[t] != 1) continue;
        nn_node *pn = &g->nodes[p];
        if (pn->op != NN_CONV && pn->op != NN_FC) continue;
        const float *sc = g->tensors[af->in[1]].data, *sh = g->tensors[af->in[2]].data;
        const nn_shape *ws = &g->tensors[pn->in[1]].shape;
        int64_t M = ws->d[0], per = nn_numel(ws) / M;
        const float *w = g->tensors[pn->in[1]].data, *b = pn->nin == 3 ? g->tensors[pn->in[2]].data : NULL;
        float *w2 = zk_malloc_n((size_t)(M * per), sizeof *w2), *b2 = zk_malloc_n((size_t)M, sizeof *b2);
        for (int64_t m = 0; m < M; m++) {
            for (int64_t j = 0; j < per; j++) w2[m * per + j] = (float)((double)w[m * per + j] * sc[m]);
            b2[m] = (float)((b ? (double)b[m] : 0.0) * sc[m] + sh[m]);
        }
        char nm[200];
        snprintf(nm, sizeof nm, "%s:bn_w", g->tensors[pn->in[1]].name);
        int wt = t_const_f(c, nm, ws, w2);
        nn_shape bs = {1, {M}};
        snprintf(nm, sizeof nm, "%s:bn_b", g->tensors[af->out].name);
        int bt = t_const_f(c, nm, &bs, b2);
        pn->in[1] = wt, pn->in[2] = bt, pn->nin = 3;
        pn->out = af->out;
        producer[af->out] = p;
        dead[k] = 1;
    }
}

static zk_err finalize(ictx *c, nn_graph **out, int in_t, int out_t) {
    size_t nt0 = c->g.ntensors, nn0 = c->g.nnodes;
    /* fold_affine appends up to two tensors per node */
    int *producer = zk_malloc_n(nt0 + 2 * nn0 + 1, sizeof *producer);
    int *uses = zk_calloc(nt0 + 2 * nn0 + 1, sizeof *uses);
    uint8_t *dead = zk_calloc(nn0 + 1, 1);
    for (size_t t = 0; t < nt0 + 2 * nn0 + 1; t++) producer[t] = -1;
    for (size_t k = 0; k < nn0; k++) {
        producer[c->g.nodes[k].out] = (int)k;
        for (int i = 0; i < c->g.nodes[k].nin; i++) uses[c->g.nodes[k].in[i]]++;
    }
    uses[out_t]++;
    fold_affine(c, producer, uses, dead);
    nn_graph *g = &c->g;
    /* reshape chains: a reshape of a reshape read only there reads the
     * first one's input; a reshape to the shape it starts from vanishes */
    int *alias = zk_malloc_n(g->ntensors, sizeof *alias);
    for (size_t t = 0; t < g->ntensors; t++) alias[t] = (int)t;
    for (size_t k = 0; k < nn0; k++) {
        nn_node *n = &g->nodes[k];
        if (dead[k]) continue;
        for (int i = 0; i < n->nin; i++) n->in[i] = alias[n->in[i]];
        if (n->op != NN_RESHAPE) continue;
        int p = producer[n->in[0]];
        if (p >= 0 && !dead[p] && g->nodes[p].op == NN_RESHAPE && uses[n->in[0]] == 1) {
            n->in[0] = g->nodes[p].in[0];
            dead[p] = 1;
        }
        const nn_shape *a = &g->tensors[n->in[0]].shape, *o = &g->tensors[n->out].shape;
        if (a->ndim == o->ndim && memcmp(a->d, o->d, (size_t)a->ndim * sizeof a->d[0]) == 0) {
            alias[n->out] = n->in[0];
            uses[n->in[0]] += uses[n->out] - 1; /* its readers move over */
            dead[k] = 1;
        }
    }
    out_t = alias[out_t];
    free(alias);
    /* liveness, backwards from the output */
    uint8_t *live = zk_calloc(g->ntensors, 1);
    live[out_t] = live[in_t] = 1;
    for (size_t k = nn0; k-- > 0;) {
        if (dead[k] || !live[g->nodes[k].out]) {
            dead[k] = 1;
            continue;
        }
        for (int i = 0; i < g->nodes[k].nin; i++) live[g->nodes[k].in[i]] = 1;
    }
    /* compact */
    int *remap = zk_malloc_n(g->ntensors, sizeof *remap);
    nn_graph *r = zk_calloc(1, sizeof *r);
    size_t nlive = 0, nnodes = 0;
    for (size_t t = 0; t < g->ntensors; t++) nlive += live[t];
    for (size_t k = 0; k < nn0; k++) nnodes += !dead[k];
    r->tensors = zk_calloc(nlive, sizeof *r->tensors);
    r->nodes = zk_calloc(nnodes ? nnodes : 1, sizeof *r->nodes);
    for (size_t t = 0; t < g->ntensors; t++) {
        remap[t] = -1;
        if (!live[t]) continue;
        if (is_const(c, (int)t)) cfloat(c, (int)t);
        remap[t] = (int)r->ntensors;
        r->tensors[r->ntensors++] = g->tensors[t];
        g->tensors[t].name = NULL;
        g->tensors[t].data = NULL;
    }
    for (size_t k = 0; k < nn0; k++) {
        if (dead[k]) continue;
        nn_node n = g->nodes[k];
        g->nodes[k].name = NULL;
        for (int i = 0; i < n.nin; i++) n.in[i] = remap[n.in[i]];
        n.out = remap[n.out];
        r->nodes[r->nnodes++] = n;
    }
    r->input = remap[in_t];
    r->output = remap[out_t];
    free(producer);
    free(uses);
    free(dead);
    free(live);
    free(remap);
    zk_err e = nn_graph_check(r);
    if (e) {
        nn_graph_free(r);
        return e;
    }
    *out = r;
    return ZK_OK;
}

zk_err onnx_import(nn_graph **out, const uint8_t *bytes, size_t len, const onnx_feed *feeds, size_t nfeeds) {
    Onnx__ModelProto *m;
    zk_err e = onnx_model_unpack(&m, bytes, len);
    if (e) return e;
    ictx c;
    memset(&c, 0, sizeof c);
    int in_t, out_t;
    e = import_graph(&c, &in_t, &out_t, m, len, feeds, nfeeds, 0);
    if (!e) e = finalize(&c, out, in_t, out_t);
    ictx_free(&c);
    onnx__model_proto__free_unpacked(m, NULL);
    return e;
}

zk_err onnx_eval_const(onnx_feed *out, const uint8_t *bytes, size_t len, const onnx_feed *feeds, size_t nfeeds) {
    Onnx__ModelProto *m;
    zk_err e = onnx_model_unpack(&m, bytes, len);
    if (e) return e;
    ictx c;
    memset(&c, 0, sizeof c);
    int in_t, out_t;
    e = import_graph(&c, &in_t, &out_t, m, len, feeds, nfeeds, 1);
    if (!e) {
        cfloat(&c, out_t);
        out->name = c.g.tensors[out_t].name;
        out->shape = c.g.tensors[out_t].shape;
        out->data = c.g.tensors[out_t].data;
        c.g.tensors[out_t].name = NULL;
        c.g.tensors[out_t].data = NULL;
    }
    ictx_free(&c);
    onnx__model_proto__free_unpacked(m, NULL);
    return e;
}
