/* Quantized conformance against ONNX's own backend tests (libonnx-testdata).
 *
 * Every test case of the node/, pytorch-converted/, pytorch-operator/ and
 * simple/ suites that the importer accepts (the case's extra inputs fed as
 * constant weights, its first input left computed) is quantized with the
 * default settings, calibrated on the case's own input (ncalib = 1: this
 * checks the integer semantics of quant.h, not how calibration generalizes
 * to unseen inputs), run through the integer engine, its witness checked,
 * and the dequantized output compared with output_0.pb.
 *
 * Tolerance: a per-case bound derived from the quantized model (conf_bound
 * below), not a fixed number. For every tensor t it bounds
 *   E_t >= max_i |q_t[i] 2^-f_t - x_t[i]|,
 * x_t the exact (real-arithmetic) value, by propagating through the graph
 * the only three sources of error the scheme has: rounding of the input
 * (measured), rounding of every constant (measured per element against the
 * float constant), and each rescale (at most half an output LSB, quant.h
 * section 1; an average pool rounds the same way). Per op:
 *   Conv/FC   max_o ( L1(W'_o) E_x + L1(W'_o - W_o) max|x| + |B'_o - B_o| ) + r
 *   Affine    max_c ( |S'_c| E_x + |S'_c - S_c| max|x| + |T'_c - T_c| ) + r
 *   MatMul    max_n L1(a'_n,.) E_b + max_m L1(b_.,m) E_a + r
 *   Mul       max|a'| E_b + max|b| E_a + r          (a'b' - ab = a'(b'-b) + b(a'-a))
 *   Add/Sub   E_a + E_b + r                         (alignment shifts are exact)
 *   Concat    max(E_a, E_b) + r                     (each cell is one operand's)
 *   LeakyRelu max(1,|alpha|) E_x + |alpha' - alpha| max|x'| + r (Lipschitz, then the slope's rounding)
 *   Relu, MaxPool, GlobalMaxPool, Reshape, Transpose, Slice, Resize: E_x
 *                                                   (1-Lipschitz in the max norm)
 *   AvgPool, GlobalAvgPool: E_x + half an LSB;  Pad: max(E_x, |pad' - pad|)
 *   Clip      max(E_x, |lo' - lo|, |hi' - hi|)      (the bounds that clip something)
 *   PRelu     max(1, max|slope|) E_x + max|slope' - slope| max|x'| + r
 *   Softmax   E_x / 2 + e_S, LogSoftmax 2 E_x + e_S (the max-norm Lipschitz
 *             constants), e_S = q_smax_bound: the exp and log tables' errors
 *             over every input they can see and the division's rounding
 *   table ops e_T + L E_x, e_T the table's largest error over the
 *             calibrated inputs (q_lut_error, the settings.json bound) and
 *             L a Lipschitz constant of f on [-max|x| - E_x, max|x| + E_x]
 * with ' the dequantized integer value, r = 2^-(f_y+1) when the shift k >= 1
 * and 0 when k <= 0 (an exact left shift). max|x| and the L1 norms of
 * computed tensors come from the float engine (nn_run_float) on the same
 * input, max|x'| and L1(a') from the witness. The bound is rigorous for the
 * exact reference; the expected output is ONNX's float32 reference, so
 *   tol = E_out + max_i |f_i - e_i| + 2^-20 max|e|,
 * f the float engine's output: the second term is the float reference's
 * own deviation from output_0.pb (at most 1e-4 (1 + max|e|), checked here
 * too, as the onnx module does; more is a failure), the third covers the float32 storage of the float engine's
 * intermediates (a few ulps of the output range). A case passes when
 * max_i |q_i - e_i| <= tol, and also <= 5% of max_i |e_i| (issue 12's
 * target; every matched case meets both). The bound is a worst case over rounding
 * directions; the table lists the observed error next to it.
 *
 * Outcomes: matched; not quantizable (q_quantize, q_quantize_input or
 * q_run refuses, with the reason: a range over the field bound, a value
 * leaving the calibrated range, a shift beyond 59, ...); known deviation
 * (listed in conf_known with the reason); mismatched (a failure);
 * refused by the importer and unreadable test data (summarized by reason).
 * The table goes to experiments/results/onnx_conformance.md when that
 * directory exists; it depends on nothing but the test data and the code.
 */
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/layers/cnn.h"
#include "../src/onnx/onnx.h"
#include "../src/quant/qint.h"
#include "test.h"

#define CONF_DATA "/usr/share/libonnx-testdata/data"
#define CONF_DIR "experiments/results"
#define CONF_TABLE CONF_DIR "/onnx_conformance.md"
#define CONF_FLOAT_REL 0x1p-20 /* float32 slack, relative to max |e| */
#define CONF_FLOAT_ABS 1e-4    /* the float engine must match output_0.pb to 1e-4 (1 + max |e|) */
#define CONF_TARGET 0.05       /* issue 12: a matched case is also within 5% of its largest magnitude */

static const char *const conf_suites[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};
#define CONF_NSUITES (sizeof conf_suites / sizeof conf_suites[0])

/* Understood deviations: quantizes, then differs beyond the bound. Every
 * entry must really deviate (a stale entry is a failure). */
static const struct {
    const char *id;
    const char *why;
} conf_known[] = {
    {NULL, NULL}, /* none so far; C11 wants one entry */
};

enum { CF_MATCH, CF_NOQUANT, CF_KNOWN, CF_MISMATCH, CF_REFUSED, CF_BADDATA, CF_NRES };
static const char *const conf_res_name[CF_NRES] = {"matched", "not quantizable", "known deviation", "MISMATCH",
                                                   "refused by the importer", "unreadable test data"};

typedef struct {
    size_t suite;
    char *name;
    char ops[160];
    int64_t nout;
    int f_out;
    double err, tol, emax;
    int res;
    char why[300];
    int proved;          /* 1 proved and verified, output equal to q_run's; -1 refused by the prover; 0 not tried */
    size_t proof_bytes;
    char pwhy[200];
} conf_row;

/* ------------------------------------------------------------ the bound */

static double conf_maxabs_f(const float *v, int64_t n) {
    double m = 0;
    for (int64_t i = 0; i < n; i++) m = fmax(m, fabs((double)v[i]));
    return m;
}

/* Error, max |float| and max |dequantized| of a node's operand j: a
 * computed tensor, or the node's quantized constant (w at f_w). */
typedef struct {
    double E, xmax, dmax;
} conf_opnd;

static conf_opnd conf_operand(const q_model *m, const nn_graph *g, size_t i, int j, const double *E,
                              const double *xmax, const double *dmax) {
    const q_node *nd = &m->nodes[i];
    conf_opnd o = {0, 0, 0};
    if (nd->in[j] >= 0) {
        o.E = E[nd->in[j]], o.xmax = xmax[nd->in[j]], o.dmax = dmax[nd->in[j]];
        return o;
    }
    const float *c = g->tensors[g->nodes[i].in[j]].data;
    for (size_t k = 0; k < nd->nw; k++) {
        double d = ldexp((double)nd->w[k], -nd->f_w);
        o.E = fmax(o.E, fabs(d - c[k]));
        o.xmax = fmax(o.xmax, fabs((double)c[k]));
        o.dmax = fmax(o.dmax, fabs(d));
    }
    return o;
}

/* A Lipschitz constant of table op n's f on [-X, X]. */
static double conf_lipschitz(const nn_node *n, double X) {
    double al = fabs((double)n->a.alpha);
    switch (n->op) {
    case NN_SIGMOID: return 0.25;
    case NN_TANH:
    case NN_SOFTPLUS:
    case NN_SOFTSIGN: return 1;
    case NN_EXP: return exp(X);
    case NN_ERF: return 1.1284; /* 2 / sqrt(pi) */
    case NN_GELU: return 1.13;  /* Phi(x) + x phi(x) <= 1.129 at x = sqrt 2; the tanh form likewise */
    case NN_ELU: return fmax(1, al);
    case NN_SELU: return fabs((double)n->a.gamma) * fmax(1, al);
    case NN_HARDSIGMOID: return al;
    case NN_HARDSWISH: return 1.5; /* (2x + 3) / 6 on [-3, 3] */
    default: ZK_CHECK(0);
    }
    return 0;
}

/* E_out of the header comment. fv: the float engine's values (per graph
 * tensor) on the input x; w: the witness on its quantization. */
static double conf_bound(const q_model *m, const q_witness *w, const nn_graph *g, float *const *fv, const float *x) {
    size_t nt = m->ntensors;
    double *E = zk_calloc(nt, sizeof *E), *xmax = zk_calloc(nt, sizeof *xmax), *dmax = zk_calloc(nt, sizeof *dmax);
    for (size_t t = 0; t < nt; t++) {
        int64_t n = q_numel(m, (int32_t)t);
        const float *f = t == 0 ? x : fv[g->nodes[t - 1].out];
        xmax[t] = conf_maxabs_f(f, n);
        for (int64_t k = 0; k < n; k++) dmax[t] = fmax(dmax[t], fabs(ldexp((double)w->t[t][k], -m->tensors[t].f)));
        if (t == 0)
            for (int64_t k = 0; k < n; k++) E[0] = fmax(E[0], fabs(ldexp((double)w->t[0][k], -m->tensors[0].f) - x[k]));
    }
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        const nn_node *gn = &g->nodes[i];
        int fy = m->tensors[i + 1].f;
        double r = nd->k >= 1 ? ldexp(0.5, -fy) : 0, e = 0;
        int32_t xi = nd->in[0];
        switch (nd->op) {
        case NN_CONV:
        case NN_FC:
        case NN_AFFINE: {
            const float *W = g->tensors[gn->in[1]].data, *B = gn->nin > 2 ? g->tensors[gn->in[2]].data : NULL;
            size_t M = nd->op == NN_AFFINE ? nd->nw : (size_t)nd->cshape.d[0], per = nd->nw / M;
            int fb = m->tensors[xi].f + nd->f_w;
            for (size_t o = 0; o < M; o++) {
                double l1 = 0, dl1 = 0, db = 0;
                for (size_t k = o * per; k < (o + 1) * per; k++) {
                    double d = ldexp((double)nd->w[k], -nd->f_w);
                    l1 += fabs(d);
                    dl1 += fabs(d - W[k]);
                }
                if (B) db = fabs(ldexp((double)nd->b[o], -fb) - B[o]);
                e = fmax(e, l1 * E[xi] + dl1 * xmax[xi] + db);
            }
            e += r;
            break;
        }
        case NN_MATMUL: {
            const nn_shape *X = &m->tensors[xi].shape, *Y = &m->tensors[i + 1].shape;
            int64_t N = X->d[0], K = X->d[1], Mo = Y->d[1];
            const int64_t *a = w->t[xi];
            const float *b = fv[gn->in[1]];
            double la = 0, lb = 0;
            for (int64_t n = 0; n < N; n++) {
                double s = 0;
                for (int64_t k = 0; k < K; k++) s += fabs(ldexp((double)a[n * K + k], -m->tensors[xi].f));
                la = fmax(la, s);
            }
            for (int64_t o = 0; o < Mo; o++) {
                double s = 0;
                for (int64_t k = 0; k < K; k++) s += fabs((double)b[k * Mo + o]);
                lb = fmax(lb, s);
            }
            e = la * E[nd->in[1]] + lb * E[xi] + r;
            break;
        }
        case NN_MUL:
        case NN_ADD:
        case NN_SUB: {
            conf_opnd a = conf_operand(m, g, i, 0, E, xmax, dmax), b = conf_operand(m, g, i, 1, E, xmax, dmax);
            e = (nd->op == NN_MUL ? a.dmax * b.E + b.xmax * a.E : a.E + b.E) + r;
            break;
        }
        case NN_CONCAT: {
            conf_opnd a = conf_operand(m, g, i, 0, E, xmax, dmax), b = conf_operand(m, g, i, 1, E, xmax, dmax);
            e = fmax(a.E, b.E) + r;
            break;
        }
        case NN_LEAKYRELU: {
            double al = gn->a.alpha, alq = ldexp((double)nd->alpha, -nd->f_w);
            e = fmax(1.0, fabs(al)) * E[xi] + fabs(alq - al) * dmax[xi] + r;
            break;
        }
        case NN_AVGPOOL:
        case NN_GLOBALAVGPOOL: e = E[xi] + ldexp(0.5, -fy); break;
        case NN_PAD: e = fmax(E[xi], fabs(ldexp((double)nd->pad, -fy) - gn->a.pad_value)); break;
        case NN_RELU:
        case NN_MAXPOOL:
        case NN_GLOBALMAXPOOL:
        case NN_RESHAPE:
        case NN_TRANSPOSE:
        case NN_SLICE:
        case NN_RESIZE: e = E[xi]; break;
        case NN_CLIP: { /* 1-Lipschitz in x and in each bound: the bounds' rounding (active ones) */
            int64_t A = (int64_t)1 << (m->s.b_act - 1);
            double lo = gn->a.beta, hi = gn->a.gamma, dl = 0, dh = 0;
            if (nd->iattr[0] > -A) dl = fabs(ldexp((double)nd->iattr[0], -fy) - lo);
            if (nd->iattr[1] < A - 1) dh = fabs(ldexp((double)nd->iattr[1], -fy) - hi);
            e = fmax(E[xi], fmax(dl, dh));
            break;
        }
        case NN_PRELU: { /* as LeakyRelu, with the largest slope and slope rounding */
            const float *sl = g->tensors[gn->in[1]].data;
            double amax = 1, dal = 0;
            for (size_t k = 0; k < nd->nw; k++) {
                amax = fmax(amax, fabs((double)sl[k]));
                dal = fmax(dal, fabs(ldexp((double)nd->w[k], -nd->f_w) - sl[k]));
            }
            e = amax * E[xi] + dal * dmax[xi] + r;
            break;
        }
        case NN_SOFTMAX: /* 1/2-Lipschitz in the max norm, then the tables and the division (q_smax_bound) */
            e = 0.5 * E[xi] + q_smax_bound(m, nd);
            break;
        case NN_LOGSOFTMAX: /* 2-Lipschitz, then the tables */
            e = 2 * E[xi] + q_smax_bound(m, nd);
            break;
        default: /* a table: its error on the calibrated inputs (q_lut_error), then f's Lipschitz constant */
            e = q_lut_error(m, nd) + conf_lipschitz(gn, xmax[xi] + E[xi]) * E[xi];
            break;
        }
        E[i + 1] = e;
    }
    double out = E[m->output];
    free(E);
    free(xmax);
    free(dmax);
    return out;
}

/* ------------------------------------------------------------- one case */

static int conf_shape_eq(const nn_shape *a, const nn_shape *b) {
    if (a->ndim != b->ndim) return 0;
    for (int i = 0; i < a->ndim; i++)
        if (a->d[i] != b->d[i]) return 0;
    return 1;
}

/* distinct ops of g in order of first appearance, space-separated */
static void conf_ops(char *out, size_t cap, const nn_graph *g) {
    snprintf(out, cap, "(no node)");
    if (!g->nnodes) return;
    out[0] = 0;
    int seen[64] = {0};
    for (size_t i = 0; i < g->nnodes; i++) {
        nn_op op = g->nodes[i].op;
        if (op < 1 || op >= 64 || seen[op]) continue;
        seen[op] = 1;
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", l ? " " : "", nn_op_name(op));
    }
}

static void conf_why(conf_row *row, const char *prefix) {
    snprintf(row->why, sizeof row->why, "%s%s", prefix, zk_reason());
}

/* Proves the case with the CNN prover (src/layers) and verifies it with a
 * verifying key that went through its file format; the attested output
 * must equal the integer engine's. */
static void conf_prove(conf_row *row, const q_model *m, const int64_t *xq, const int64_t *want) {
    zk_buf ser, pkb, vkb, proof;
    zk_buf_init(&ser);
    zk_buf_init(&pkb);
    zk_buf_init(&vkb);
    zk_buf_init(&proof);
    q_model *copy = NULL;
    cnn_key *k = NULL, *vk = NULL;
    int64_t *out = NULL;
    q_model_serialize(&ser, m);
    ZK_CHECK(q_model_deserialize(&copy, ser.data, ser.len) == ZK_OK);
    zk_err e = cnn_setup(&k, copy);
    if (e == ZK_EINPUT) {
        row->proved = -1;
        snprintf(row->pwhy, sizeof row->pwhy, "%s", zk_reason());
        goto done;
    }
    row->proved = 0;
    if (e) {
        snprintf(row->pwhy, sizeof row->pwhy, "setup: %s", zk_reason());
        goto done;
    }
    cnn_vk_serialize(&vkb, k);
    cnn_stats st;
    if ((e = cnn_vk_deserialize(&vk, vkb.data, vkb.len)) || (e = cnn_prove(&proof, k, xq, NULL, &st)) ||
        (e = cnn_verify(vk, proof.data, proof.len, NULL, &out))) {
        snprintf(row->pwhy, sizeof row->pwhy, "%s", zk_reason());
        goto done;
    }
    /* setup's soundness bound never claims more than the errors counted
     * challenge by challenge on the proof's path (cnn.h, counted_bits) */
    if (st.counted_bits < cnn_soundness_bits(k)) {
        snprintf(row->pwhy, sizeof row->pwhy, "soundness bound %.2f bits above the %.2f counted",
                 cnn_soundness_bits(k), st.counted_bits);
        goto done;
    }
    /* and the plan's round-by-round bound (Fiat-Shamir) never exceeds the largest single-challenge error on the path */
    if (st.rbr_bits < cnn_rbr_bits(k)) {
        snprintf(row->pwhy, sizeof row->pwhy, "round-by-round bound %.2f bits above the %.2f counted", cnn_rbr_bits(k),
                 st.rbr_bits);
        goto done;
    }
    if (memcmp(out, want, (size_t)q_numel(m, m->output) * sizeof *out) != 0) {
        snprintf(row->pwhy, sizeof row->pwhy, "attested output differs from the integer engine");
        goto done;
    }
    row->proved = 1;
    row->proof_bytes = proof.len;
done:
    free(out);
    cnn_key_free(k);
    cnn_key_free(vk);
    zk_buf_free(&ser);
    zk_buf_free(&pkb);
    zk_buf_free(&vkb);
    zk_buf_free(&proof);
}

static void conf_case(conf_row *row, const char *dir) {
    onnx_testcase tc;
    if (onnx_testcase_read(&tc, dir) != ZK_OK) {
        row->res = CF_BADDATA;
        conf_why(row, "");
        return;
    }
    nn_graph *g = NULL;
    const float *in = NULL;
    q_model *m = NULL;
    q_witness *w = NULL;
    float **fv = NULL, *deq = NULL;
    int64_t *xq = NULL;
    if (onnx_testcase_import(&g, &in, &tc) != ZK_OK) {
        row->res = CF_REFUSED;
        conf_why(row, "");
        goto done;
    }
    conf_ops(row->ops, sizeof row->ops, g);
    const onnx_feed *want = &tc.outputs[0];
    const nn_shape *os = &g->tensors[g->output].shape;
    row->nout = nn_numel(os);
    row->res = CF_MISMATCH;
    if (!conf_shape_eq(os, &want->shape)) {
        snprintf(row->why, sizeof row->why, "output shape differs from output_0.pb");
        goto done;
    }
    if (nn_run_float(&fv, g, in) != ZK_OK) {
        conf_why(row, "float engine: ");
        goto done;
    }
    row->res = CF_NOQUANT;
    if (q_quantize(&m, g, in, 1, NULL) != ZK_OK) {
        conf_why(row, "");
        goto done;
    }
    row->f_out = m->tensors[m->output].f;
    xq = zk_malloc_n((size_t)q_numel(m, 0), sizeof *xq);
    if (q_quantize_input(xq, m, in) != ZK_OK) {
        conf_why(row, "input: ");
        goto done;
    }
    if (q_run(&w, m, xq) != ZK_OK) {
        conf_why(row, "");
        goto done;
    }
    row->res = CF_MISMATCH;
    if (q_witness_check(m, w) != ZK_OK) {
        conf_why(row, "honest witness rejected: ");
        goto done;
    }
    conf_prove(row, m, xq, q_output(m, w));
    deq = zk_malloc_n((size_t)row->nout, sizeof *deq);
    q_dequantize_output(deq, m, w);
    const float *fo = fv[g->output];
    double fdev = 0;
    for (int64_t i = 0; i < row->nout; i++) {
        double e = want->data[i];
        row->emax = fmax(row->emax, fabs(e));
        fdev = fmax(fdev, fabs((double)fo[i] - e));
        double d = fabs((double)deq[i] - e);
        row->err = d > row->err || isnan(d) ? d : row->err; /* a NaN sticks and fails */
    }
    if (!(fdev <= CONF_FLOAT_ABS + CONF_FLOAT_ABS * row->emax)) { /* the onnx module's float tolerance */
        snprintf(row->why, sizeof row->why, "the float engine differs from output_0.pb by %.3g", fdev);
        goto done;
    }
    row->tol = conf_bound(m, w, g, fv, in) + fdev + CONF_FLOAT_REL * row->emax;
    if (row->err <= row->tol && row->err <= CONF_TARGET * row->emax) row->res = CF_MATCH;
    else if (row->err <= row->tol)
        snprintf(row->why, sizeof row->why, "max error %.3g within the bound but over %g of max |e| %.3g", row->err,
                 CONF_TARGET, row->emax);
    else snprintf(row->why, sizeof row->why, "max error %.3g over the bound %.3g", row->err, row->tol);
done:
    free(deq);
    free(xq);
    q_witness_free(w);
    q_model_free(m);
    if (fv) nn_values_free(fv, g);
    nn_graph_free(g);
    onnx_testcase_free(&tc);
}

/* ---------------------------------------------------------------- table */

typedef struct {
    char key[200];
    long count;
    char **ops; /* "unsupported operator": the operators, sorted at the end */
    size_t nops;
} conf_cat;

/* the reason without node names and quoted value names */
static void conf_norm_reason(char *out, size_t cap, const char *why) {
    size_t o = 0;
    const char *p = why;
    if (strncmp(p, "node \"", 6) == 0) {
        const char *q = strchr(p + 6, '"');
        if (q) p = q[1] == ' ' ? q + 2 : q + 1;
    }
    for (; *p && o + 4 < cap; p++) {
        if (*p == '"') { /* drop a quoted name */
            const char *q = strchr(p + 1, '"');
            if (q) {
                p = q;
                if (o && out[o - 1] == ' ' && (q[1] == ' ' || q[1] == ':' || q[1] == ';' || q[1] == ',')) o--;
                continue;
            }
        }
        out[o++] = *p == '|' ? '/' : *p;
    }
    out[o] = 0;
}

static void conf_cat_add(conf_cat **cats, size_t *n, int res, const char *why) {
    char key[200], op[64] = "";
    char norm[300];
    conf_norm_reason(norm, sizeof norm, why);
    const char *src = res == CF_BADDATA ? "test data" : "importer";
    const char *uo = strstr(norm, "): unsupported operator");
    if (norm[0] == '(' && uo && (size_t)(uo - norm) < sizeof op) {
        snprintf(op, sizeof op, "%.*s", (int)(uo - norm - 1), norm + 1);
        snprintf(key, sizeof key, "%s: unsupported operator", src);
    } else {
        snprintf(key, sizeof key, "%s: %.180s", src, norm);
    }
    size_t k = 0;
    while (k < *n && strcmp((*cats)[k].key, key) != 0) k++;
    if (k == *n) {
        *cats = zk_realloc_n(*cats, *n + 1, sizeof **cats);
        memset(&(*cats)[k], 0, sizeof **cats);
        snprintf((*cats)[k].key, sizeof (*cats)[k].key, "%s", key);
        (*n)++;
    }
    conf_cat *c = &(*cats)[k];
    c->count++;
    if (!op[0]) return;
    for (size_t j = 0; j < c->nops; j++)
        if (strcmp(c->ops[j], op) == 0) return;
    c->ops = zk_realloc_n(c->ops, c->nops + 1, sizeof *c->ops);
    c->ops[c->nops] = zk_malloc(strlen(op) + 1);
    memcpy(c->ops[c->nops++], op, strlen(op) + 1);
}

static int conf_cat_cmp(const void *a, const void *b) {
    const conf_cat *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int conf_str_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }


static void conf_table(zk_buf *b, const conf_row *rows, size_t nrows, long cnt[][CF_NRES]) {
    q_settings s;
    q_settings_default(&s);
    zk_buf_printf(b, "# Quantized ONNX conformance\n\n"
                   "Generated by `make test` (or `./build/test/run_tests conformance`) from tests/test_conformance.c;\n"
                   "do not edit. Data: ONNX's backend test cases as Debian's libonnx-testdata ships them\n"
                   "(`%s/{node,pytorch-converted,pytorch-operator,simple}`).\n\n", CONF_DATA);
    zk_buf_printf(b, "Every case the importer accepts (its first input left computed, every other input fed as a\n"
                   "constant weight) is quantized with the default settings (b_act = %d, b_w = %d, f in [%d, %d]),\n"
                   "calibrated on the case's own input (one sample: this checks the integer semantics of\n"
                   "src/quant/quant.h, not how calibration generalizes), run through the integer engine, its\n"
                   "witness checked by `q_witness_check`, and its dequantized output compared with `output_0.pb`.\n\n",
                s.b_act, s.b_w, s.f_min, s.f_max);
    zk_buf_printf(b, "**Tolerance** (per case, derived from the quantized model): `tol = E_out + max|f - e| + 2^-20 max|e|`.\n"
                   "`E_out` bounds `|q - x|` against the exact result `x` by propagating the scheme's three error\n"
                   "sources through the graph: the input's rounding, every constant's rounding (measured element by\n"
                   "element), and half an output LSB per rescale with shift k >= 1 (and per average pool).\n"
                   "Conv/FC add `max_o (L1(W'_o) E_x + L1(W'_o - W_o) max|x| + |B'_o - B_o|)`, Affine the same per\n"
                   "channel, MatMul `max_n L1(a'_n) E_b + max_m L1(b_m) E_a`, Mul `max|a'| E_b + max|b| E_a`,\n"
                   "Add/Sub `E_a + E_b`, Concat `max(E_a, E_b)`, LeakyRelu `max(1,|alpha|) E_x + |alpha' - alpha|\n"
                   "max|x'|` (PRelu the same with its largest slope); Relu, the max pools, Reshape, Pad, Transpose,\n"
                   "Slice, Resize and Clip are 1-Lipschitz (Pad and Clip add their constants' rounding); a table op\n"
                   "adds its table's error on the calibrated inputs (settings.json `table.error_bound`) to `L E_x`, L a\n"
                   "Lipschitz constant of its function; Softmax adds `E_x / 2` and LogSoftmax `2 E_x` to the error\n"
                   "bound of their tables and division (settings.json `softmax.error_bound`). `f` is the float engine's output: `max|f - e|` is the float\n"
                   "reference's own deviation from ONNX's float32\n"
                   "result (required to be at most 1e-4 (1 + max|e|), as in the onnx tests) and `2^-20 max|e|`\n"
                   "covers the float32 storage of its intermediates. A case matches when `max|q - e| <= tol` and\n"
                   "`max|q - e| <= 0.05 max|e|` (issue 12's target).\n"
                   "The bound is a worst case over rounding directions; the observed error sits next to it.\n\n");
    zk_buf_printf(b, "Outcomes: *matched*; *not quantizable* (the quantizer or the integer engine refuses, with its\n"
                   "reason: a range or setting over a bound, a value leaving the calibrated range); *known\n"
                   "deviation* (understood, listed with the reason); *MISMATCH* (a test failure); cases the\n"
                   "importer refuses and unreadable test data are summarized by reason below.\n\n");
    zk_buf_printf(b, "## Summary\n\n| suite | cases | matched | not quantizable | known deviation | mismatched | "
                   "refused by the importer | unreadable test data |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    long tot[CF_NRES] = {0};
    for (size_t s2 = 0; s2 <= CONF_NSUITES; s2++) {
        const long *c = s2 < CONF_NSUITES ? cnt[s2] : tot;
        long n = 0;
        for (int r = 0; r < CF_NRES; r++) n += c[r];
        zk_buf_printf(b, "| %s%s%s | %ld | %ld | %ld | %ld | %ld | %ld | %ld |\n", s2 < CONF_NSUITES ? "" : "**",
                    s2 < CONF_NSUITES ? conf_suites[s2] : "all", s2 < CONF_NSUITES ? "" : "**", n, c[CF_MATCH],
                    c[CF_NOQUANT], c[CF_KNOWN], c[CF_MISMATCH], c[CF_REFUSED], c[CF_BADDATA]);
        if (s2 < CONF_NSUITES)
            for (int r = 0; r < CF_NRES; r++) tot[r] += c[r];
    }
    zk_buf_printf(b, "\n## Cases that import\n\nErrors and tolerances are absolute, in the output's units; "
                   "`f_out` is the output's fractional bits (its LSB is 2^-f_out).\n\n"
                   "The last column is the CNN prover's (src/layers) result on the same quantized model and input:\n"
                   "the proof size when it proved and verified with the attested output equal to the integer\n"
                   "engine's.\n\n"
                   "| suite | case | ops | elements | max abs error | tolerance | max abs expected | f_out | result | proof |\n"
                   "|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
    for (size_t i = 0; i < nrows; i++) {
        const conf_row *r = &rows[i];
        if (r->res >= CF_REFUSED) continue;
        if (r->res == CF_MATCH || r->res == CF_KNOWN || (r->res == CF_MISMATCH && r->tol > 0))
        {
            char pr[240];
            if (r->proved == 1) snprintf(pr, sizeof pr, "%zu bytes", r->proof_bytes);
            else snprintf(pr, sizeof pr, "%s: %s", r->proved ? "refused" : "FAILED", r->pwhy);
            for (char *p = pr; *p; p++)
                if (*p == '|') *p = '/';
            zk_buf_printf(b, "| %s | %s | %s | %lld | %.3g | %.3g | %.3g | %d | %s%s%s | %s |\n", conf_suites[r->suite],
                        r->name, r->ops, (long long)r->nout, r->err, r->tol, r->emax, r->f_out, conf_res_name[r->res],
                        r->res == CF_MATCH ? "" : ": ", r->res == CF_MATCH ? "" : r->why, pr);
        }
        else {
            char why[300];
            snprintf(why, sizeof why, "%s", r->why);
            for (char *p = why; *p; p++)
                if (*p == '|') *p = '/';
            zk_buf_printf(b, "| %s | %s | %s | %lld | - | - | - | - | %s: %s | - |\n", conf_suites[r->suite], r->name, r->ops,
                        (long long)r->nout, conf_res_name[r->res], why);
        }
    }
    /* refusals by reason */
    conf_cat *cats = NULL;
    size_t ncat = 0;
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].res >= CF_REFUSED) conf_cat_add(&cats, &ncat, rows[i].res, rows[i].why);
    if (ncat) qsort(cats, ncat, sizeof *cats, conf_cat_cmp);
    zk_buf_printf(b, "\n## Cases refused by the importer or with unreadable test data, by reason\n\n"
                   "Node and value names are left out of the reasons.\n\n| reason | cases |\n|---|---:|\n");
    for (size_t k = 0; k < ncat; k++) {
        conf_cat *c = &cats[k];
        zk_buf_printf(b, "| %s%s", c->key, c->nops ? " (" : "");
        if (c->nops) qsort(c->ops, c->nops, sizeof *c->ops, conf_str_cmp);
        for (size_t j = 0; j < c->nops; j++) {
            zk_buf_printf(b, "%s%s", j ? ", " : "", c->ops[j]);
            free(c->ops[j]);
        }
        zk_buf_printf(b, "%s | %ld |\n", c->nops ? ")" : "", c->count);
        free(c->ops);
    }
    free(cats);
}

/* ----------------------------------------------------------------- driver */

static int conf_known_why(const char *id, const char **why) {
    for (size_t k = 0; k < sizeof conf_known / sizeof conf_known[0]; k++)
        if (conf_known[k].id && strcmp(conf_known[k].id, id) == 0) {
            *why = conf_known[k].why;
            return 1;
        }
    return 0;
}

void test_conformance(zk_rng *rng) {
    (void)rng; /* deterministic: the data decide */
    char root[512];
    snprintf(root, sizeof root, "%s/node", CONF_DATA);
    char **names;
    size_t n;
    if (onnx_testdir_list(&names, &n, root) != ZK_OK) {
        printf("conformance: %s missing, quantized conformance tests skipped\n", CONF_DATA);
        return;
    }
    onnx_names_free(names, n);
    conf_row *rows = NULL;
    size_t nrows = 0, known_seen = 0;
    long nproved = 0, nrefused = 0;
    long cnt[CONF_NSUITES][CF_NRES];
    memset(cnt, 0, sizeof cnt);
    for (size_t s = 0; s < CONF_NSUITES; s++) {
        snprintf(root, sizeof root, "%s/%s", CONF_DATA, conf_suites[s]);
        if (onnx_testdir_list(&names, &n, root) != ZK_OK) continue;
        rows = zk_realloc_n(rows, nrows + n + 1, sizeof *rows);
        for (size_t i = 0; i < n; i++) {
            conf_row *r = &rows[nrows++];
            memset(r, 0, sizeof *r);
            r->suite = s;
            r->name = names[i];
            names[i] = NULL;
            char dir[1024], id[512];
            snprintf(dir, sizeof dir, "%s/%s", root, r->name);
            snprintf(id, sizeof id, "%s/%s", conf_suites[s], r->name);
            conf_case(r, dir);
            const char *kwhy;
            int known = conf_known_why(id, &kwhy);
            known_seen += known;
            if (known && r->res == CF_MISMATCH) {
                r->res = CF_KNOWN;
                snprintf(r->why, sizeof r->why, "%s", kwhy);
            } else if (known) {
                fprintf(stderr, "conformance: %s is listed as a known deviation but is %s\n", id, conf_res_name[r->res]);
                TEST_CHECK(0);
            }
            if (r->res == CF_MISMATCH) {
                fprintf(stderr, "conformance: %s: %s\n", id, r->why);
                TEST_CHECK(0);
            } else {
                test_passed++;
            }
            cnt[s][r->res]++;
            if (r->res == CF_MATCH || r->res == CF_KNOWN) {
                /* every case with a checked witness proves, or the prover says why not */
                if (r->proved == 0) fprintf(stderr, "conformance: %s: proof failed: %s\n", id, r->pwhy);
                TEST_CHECK(r->proved != 0);
                nproved += r->proved == 1;
                nrefused += r->proved == -1;
            }
        }
        onnx_names_free(names, n);
    }
    printf("conformance: %ld cases proved and verified (outputs equal to the integer engine), %ld refused by "
           "the prover\n", nproved, nrefused);
    size_t nknown = 0;
    for (size_t k = 0; k < sizeof conf_known / sizeof conf_known[0]; k++) nknown += conf_known[k].id != NULL;
    TEST_CHECK(known_seen == nknown);
    long tot[CF_NRES] = {0};
    for (size_t s = 0; s < CONF_NSUITES; s++)
        for (int r = 0; r < CF_NRES; r++) tot[r] += cnt[s][r];
    TEST_CHECK(tot[CF_MATCH] > 0);
    struct stat st;
    int wrote = 0;
    if (stat(CONF_DIR, &st) == 0 && S_ISDIR(st.st_mode)) {
        zk_buf b;
        zk_buf_init(&b);
        conf_table(&b, rows, nrows, cnt);
        zk_err e = zk_write_file(CONF_TABLE, b.data, b.len);
        if (e) fprintf(stderr, "conformance: cannot write %s: %s\n", CONF_TABLE, zk_reason());
        TEST_CHECK(e == ZK_OK);
        wrote = e == ZK_OK;
        zk_buf_free(&b);
    }
    printf("conformance: quantized ONNX tests: %ld matched, %ld not quantizable, %ld known deviations, %ld "
           "mismatched; %ld refused by the importer, %ld unreadable%s\n",
           tot[CF_MATCH], tot[CF_NOQUANT], tot[CF_KNOWN], tot[CF_MISMATCH], tot[CF_REFUSED], tot[CF_BADDATA],
           wrote ? "; table in " CONF_TABLE : "");
    for (size_t i = 0; i < nrows; i++) free(rows[i].name);
    free(rows);
}
