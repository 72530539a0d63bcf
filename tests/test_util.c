/* test_util.c -- helpers shared by several modules' tests. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/onnx/onnx.h"
#include "../src/sumcheck/sc.h"
#include "../src/sumcheck/zsc.h"
#include "test.h"

int64_t *test_quantized_input(const q_model *m, const char *path) {
    size_t numel = (size_t)q_numel(m, 0);
    float *x = NULL;
    int64_t *xq = zk_malloc_n(numel, sizeof *xq);
    int ok = in_load_one(&x, path, numel) == ZK_OK && q_quantize_input(xq, m, x) == ZK_OK;
    TEST_CHECK(ok);
    free(x);
    if (!ok) {
        free(xq);
        return NULL;
    }
    return xq;
}

int test_quantize_model(q_model **m, const char *path, const char *calib) {
    if (access(path, R_OK) != 0 || access(calib, R_OK) != 0) {
        printf("  %s: %s or %s missing: skipped\n", test_current, path, calib);
        return 0;
    }
    zk_buf mb;
    if (zk_read_file(path, &mb) != ZK_OK) return 0;
    nn_graph *g = NULL;
    zk_err e = onnx_import(&g, mb.data, mb.len, NULL, 0);
    zk_buf_free(&mb);
    TEST_CHECK(e == ZK_OK);
    if (e) return 0;
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape), ncal = 0;
    float *cal = NULL;
    TEST_CHECK(in_load(&cal, &ncal, calib, nin) == ZK_OK);
    e = q_quantize(m, g, cal, ncal, NULL);
    free(cal);
    nn_graph_free(g);
    TEST_CHECK(e == ZK_OK);
    return e == ZK_OK;
}

/* ---- building small nn graphs by hand (see test.h) ---- */

nn_graph *gb_new(void) {
    nn_graph *g = zk_calloc(1, sizeof *g);
    g->input = g->output = -1;
    return g;
}

char *test_strdup(const char *s) {
    char *r = zk_malloc(strlen(s) + 1);
    strcpy(r, s);
    return r;
}

int gb_t(nn_graph *g, const char *name, int ndim, const int64_t *d, const float *data) {
    g->tensors = zk_realloc_n(g->tensors, g->ntensors + 1, sizeof *g->tensors);
    nn_tensor *t = &g->tensors[g->ntensors];
    memset(t, 0, sizeof *t);
    t->name = test_strdup(name);
    t->shape.ndim = ndim;
    for (int i = 0; i < ndim; i++) t->shape.d[i] = d[i];
    if (data) {
        size_t n = (size_t)nn_numel(&t->shape);
        t->data = zk_malloc_n(n, sizeof(float));
        memcpy(t->data, data, n * sizeof(float));
    }
    return (int)g->ntensors++;
}

nn_attrs gb_attrs(void) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    a.strides[0] = a.strides[1] = 1;
    a.dilations[0] = a.dilations[1] = 1;
    a.group = 1;
    return a;
}

/* Appends a node whose output shape nn_infer_shape computes (Reshape:
 * reshape_to). Returns the output tensor; it becomes the graph output. */
int gb_n(nn_graph *g, nn_op op, nn_attrs a, int nin, int i0, int i1, int i2, const nn_shape *reshape_to) {
    char name[32];
    snprintf(name, sizeof name, "n%zu_%s", g->nnodes, nn_op_name(op));
    int64_t one = 1;
    int out = gb_t(g, name, 1, &one, NULL);
    if (reshape_to) g->tensors[out].shape = *reshape_to;
    g->nodes = zk_realloc_n(g->nodes, g->nnodes + 1, sizeof *g->nodes);
    nn_node *n = &g->nodes[g->nnodes++];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->name = test_strdup(name);
    n->nin = nin;
    n->in[0] = i0, n->in[1] = i1, n->in[2] = i2;
    n->out = out;
    n->a = a;
    nn_shape s;
    ZK_CHECK(nn_infer_shape(&s, g, n) == ZK_OK);
    g->tensors[out].shape = s;
    g->output = out;
    return out;
}

void test_portable_kernels(int on) {
    if (on)
        setenv("GKRCNN_NO_AVX512", "1", 1);
    else
        unsetenv("GKRCNN_NO_AVX512");
}

/* ---- transcript histograms (test.h) */

void test_hist_init(test_hist *h, size_t ncoord) {
    h->ncoord = ncoord;
    h->cnt = zk_calloc(ncoord * TEST_HIST_BUCKETS, sizeof *h->cnt);
}

void test_hist_add(test_hist *h, const zk_buf *proof) {
    ZK_CHECK(proof->len == 8 * h->ncoord);
    for (size_t c = 0; c < h->ncoord; c++) h->cnt[c * TEST_HIST_BUCKETS + (zk_load_le64(proof->data + 8 * c) >> 57)]++;
}

double test_hist_chi2_range(const test_hist *h, size_t runs, size_t lo, size_t hi, double show) {
    double best = 0, e = (double)runs / TEST_HIST_BUCKETS;
    for (size_t c = lo; c < hi; c++) {
        double x = 0;
        for (int b = 0; b < TEST_HIST_BUCKETS; b++) {
            double o = (double)h->cnt[c * TEST_HIST_BUCKETS + b];
            x += (o - e) * (o - e) / e;
        }
        if (x > best) best = x;
        if (show > 0 && getenv("GKRCNN_TEST_VERBOSE") && x > show) printf("    coordinate %zu: %.1f\n", c, x);
    }
    return best;
}

double test_hist_chi2_two(const test_hist *a, const test_hist *b) {
    double best = 0;
    for (size_t c = 0; c < a->ncoord; c++) {
        double x = 0;
        for (int k = 0; k < TEST_HIST_BUCKETS; k++) {
            double p = (double)a->cnt[c * TEST_HIST_BUCKETS + k], q = (double)b->cnt[c * TEST_HIST_BUCKETS + k];
            if (p + q > 0) x += (p - q) * (p - q) / (p + q);
        }
        if (x > best) best = x;
    }
    return best;
}

fp2 test_sim_round(tr_t *tr, zk_rng *rng, unsigned d, fp2 claim, fp2 *x) {
    fp2 c[ZSC_MAX_DEGREE + 1], g[ZSC_MAX_DEGREE + 1], top = fp2_zero();
    ZK_CHECK(d >= 1 && d <= ZSC_MAX_DEGREE);
    for (unsigned j = 1; j <= d; j++) {
        c[j] = fp2_make(zk_rng_u64(rng) % FM61_P, zk_rng_u64(rng) % FM61_P);
        top = fp2_add(top, c[j]);
    }
    c[0] = fp2_mul(fp2_from_fm61(fm61_inv(2)), fp2_sub(claim, top));
    for (unsigned X = 0; X <= d; X++) {
        fp2 xx = fp2_from_fm61(X), v = fp2_zero();
        for (unsigned j = d + 1; j-- > 0;) v = fp2_add(fp2_mul(v, xx), c[j]);
        g[X] = v;
    }
    tr_put_fp2(tr, "sc/round", g, d + 1);
    *x = tr_challenge(tr, "sc/r");
    return sc_interpolate(g, d, *x);
}
