/* Quantizer and integer engine: rounding known answers, every op against
 * the float engine, the witness checker on honest and corrupted witnesses,
 * the field-bound check, strict model encoding, the setup report, and the
 * LeNet-5 model when it is present. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/onnx/onnx.h"
#include "../src/quant/qint.h"
#include "test.h"

/* ------------------------------------------------------- graph building */

static double urand(zk_rng *rng) { return (double)(zk_rng_u64(rng) >> 11) * 0x1p-53 * 2.0 - 1.0; }

/* a random constant with entries in [-scale, scale] */
static int gb_rand(nn_graph *g, zk_rng *rng, const char *name, int ndim, const int64_t *d, double scale) {
    nn_shape s = {.ndim = ndim};
    for (int i = 0; i < ndim; i++) s.d[i] = d[i];
    size_t n = (size_t)nn_numel(&s);
    float *v = zk_malloc_n(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)(scale * urand(rng));
    int t = gb_t(g, name, ndim, d, v);
    free(v);
    return t;
}

static int gb_input(nn_graph *g, int ndim, const int64_t *d) {
    g->input = gb_t(g, "x", ndim, d, NULL);
    return g->input;
}

/* ------------------------------------------------------------- rounding */

static void test_rounding(void) {
    int64_t r;
    /* known answers, negative accumulators included: round half up */
    TEST_CHECK(q_rescale(-5, 1, &r) == -2 && r == 0);  /* -2.5 -> -2 */
    TEST_CHECK(q_rescale(-6, 2, &r) == -1 && r == 0);  /* -1.5 -> -1 */
    TEST_CHECK(q_rescale(-7, 2, &r) == -2 && r == 3);  /* -1.75 -> -2 */
    TEST_CHECK(q_rescale(-1, 1, &r) == 0 && r == 0);   /* -0.5 -> 0 */
    TEST_CHECK(q_rescale(-3, 1, &r) == -1 && r == 0);  /* -1.5 -> -1 */
    TEST_CHECK(q_rescale(5, 1, &r) == 3 && r == 0);    /* 2.5 -> 3 */
    TEST_CHECK(q_rescale(-9, 3, &r) == -1 && r == 3);  /* -1.125 -> -1 */
    TEST_CHECK(q_rescale(3, -2, &r) == 12 && r == 0);  /* exact left shift */
    TEST_CHECK(q_rescale(-3, 0, &r) == -3 && r == 0);
    int64_t big = ((int64_t)1 << 59) - 1;
    TEST_CHECK(q_rescale(-big, 59, &r) == -1 && r == ((int64_t)1 << 58) + 1); /* -2^58 + 1 = -2^59 + rem */
    /* brute force against floor(acc / 2^k + 1/2) and the remainder relation */
    long bad = 0;
    for (int k = 1; k <= 12; k++)
        for (int64_t acc = -5000; acc <= 5000; acc++) {
            int64_t q = q_rescale(acc, k, &r);
            int64_t want = (int64_t)floor((double)acc / (double)(1 << k) + 0.5);
            bad += q != want || r < 0 || r >= (1 << k) || q * (1 << k) + r != acc + (1 << (k - 1));
        }
    TEST_CHECK(bad == 0);
}

/* ------------------------------------------------------ per-op accuracy */

typedef struct {
    q_model *m;
    q_witness *w;
} qrun;

static void qrun_free(qrun *r) {
    q_witness_free(r->w);
    q_model_free(r->m);
    r->w = NULL;
    r->m = NULL;
}

static float *rand_samples(zk_rng *rng, size_t n, double scale) {
    float *v = zk_malloc_n(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)(scale * urand(rng));
    return v;
}

static int64_t out_f(const q_model *m) { return m->tensors[m->output].f; }

/* Quantizes g on 12 random calibration samples, then runs 3 fresh inputs
 * (inside 0.9 x the calibration scale) through both engines: every output
 * must be within tol_lsb output LSBs plus rel x the float output's range;
 * every witness must pass the checker; the model must round-trip through
 * its encoding. Leaves the last model and witness in *keep when given. */
static void check_graph(zk_rng *rng, nn_graph *g, const char *what, double scale, const q_settings *s, double tol_lsb,
                        double rel, qrun *keep) {
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape), nout = (size_t)nn_numel(&g->tensors[g->output].shape);
    float *cal = rand_samples(rng, 12 * nin, scale);
    q_model *m = NULL;
    zk_err e = q_quantize(&m, g, cal, 12, s);
    if (e) fprintf(stderr, "%s: %s\n", what, zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    zk_buf ser;
    zk_buf_init(&ser);
    q_model_serialize(&ser, m);
    q_model *m2 = NULL;
    TEST_CHECK(q_model_deserialize(&m2, ser.data, ser.len) == ZK_OK);
    zk_buf ser2;
    zk_buf_init(&ser2);
    if (m2) q_model_serialize(&ser2, m2);
    TEST_CHECK(ser2.len == ser.len && memcmp(ser.data, ser2.data, ser.len) == 0);
    float *deq = zk_malloc_n(nout, sizeof *deq);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    double worst = 0;
    q_witness *w = NULL;
    for (int t = 0; t < 3; t++) {
        float *x = rand_samples(rng, nin, 0.9 * scale);
        float **fv = NULL;
        TEST_REQUIRE(nn_run_float(&fv, g, x) == ZK_OK);
        q_witness_free(w);
        w = NULL;
        TEST_CHECK(q_quantize_input(xq, m, x) == ZK_OK);
        e = q_run(&w, m, xq);
        if (e) fprintf(stderr, "%s: %s\n", what, zk_reason());
        TEST_REQUIRE(e == ZK_OK);
        e = q_witness_check(m, w);
        if (e) fprintf(stderr, "%s: honest witness rejected: %s\n", what, zk_reason());
        TEST_CHECK(e == ZK_OK);
        if (m2) {
            q_witness *w2 = NULL;
            TEST_CHECK(q_run(&w2, m2, xq) == ZK_OK && memcmp(q_output(m2, w2), q_output(m, w), nout * 8) == 0);
            q_witness_free(w2);
        }
        { /* the portable kernels give the same witness (the vector conv, engine.c) */
            q_witness *w3 = NULL;
            test_portable_kernels(1);
            TEST_CHECK(q_run(&w3, m, xq) == ZK_OK);
            test_portable_kernels(0);
            for (size_t i = 0; w3 && i < m->ntensors; i++)
                TEST_CHECK(memcmp(w3->t[i], w->t[i], (size_t)q_numel(m, (int32_t)i) * 8) == 0);
            for (size_t i = 0; w3 && i < m->nnodes; i++)
                if (w->nodes[i].acc)
                    TEST_CHECK(memcmp(w3->nodes[i].acc, w->nodes[i].acc, (size_t)q_numel(m, (int32_t)i + 1) * 8) == 0);
            q_witness_free(w3);
        }
        q_dequantize_output(deq, m, w);
        const float *fo = fv[g->output];
        double range = 0, err = 0;
        for (size_t i = 0; i < nout; i++) {
            if (fabs(fo[i]) > range) range = fabs(fo[i]);
            if (fabs(deq[i] - fo[i]) > err) err = fabs(deq[i] - fo[i]);
        }
        double tol = tol_lsb * ldexp(1.0, -(int)out_f(m)) + rel * range;
        if (err > worst) worst = err;
        if (!(err <= tol)) fprintf(stderr, "%s: error %g > tolerance %g (range %g)\n", what, err, tol, range);
        TEST_CHECK(err <= tol);
        nn_values_free(fv, g);
        free(x);
    }
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  %-28s max err %.3g (f_out %d)\n", what, worst, (int)out_f(m));
    free(cal);
    free(deq);
    free(xq);
    zk_buf_free(&ser);
    zk_buf_free(&ser2);
    q_model_free(m2);
    if (keep) {
        keep->m = m;
        keep->w = w;
    } else {
        q_witness_free(w);
        q_model_free(m);
    }
}

static void test_ops(zk_rng *rng) {
    nn_attrs a = gb_attrs();
    { /* Conv: pads, stride, bias */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){1, 3, 9, 9});
        int w = gb_rand(g, rng, "W", 4, (int64_t[]){4, 3, 3, 3}, 0.5);
        int b = gb_rand(g, rng, "B", 1, (int64_t[]){4}, 0.3);
        nn_attrs c = a;
        c.kernel[0] = c.kernel[1] = 3;
        c.pads[0] = c.pads[1] = c.pads[2] = c.pads[3] = 1;
        c.strides[0] = 2;
        gb_n(g, NN_CONV, c, 3, x, w, b, NULL);
        check_graph(rng, g, "conv", 1.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* Conv: group, dilation, no bias, asymmetric pads */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){2, 4, 8, 7});
        int w = gb_rand(g, rng, "W", 4, (int64_t[]){6, 2, 2, 3}, 2.0);
        nn_attrs c = a;
        c.kernel[0] = 2, c.kernel[1] = 3;
        c.group = 2;
        c.dilations[0] = 2;
        c.pads[1] = 2, c.pads[2] = 1;
        gb_n(g, NN_CONV, c, 2, x, w, -1, NULL);
        check_graph(rng, g, "conv group/dilation", 3.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    /* Conv, strides 1 and 2: the vector path of q_run (output rows of 8k or
     * 4 columns; channel counts not multiples of 4; groups; kernels 1, 3,
     * 5; odd padded widths) */
    static const int64_t cv[][9] = {
        /* N, C, H, W, M, k, pad, group, stride */
        {1, 3, 8, 8, 4, 3, 1, 1, 1},  {1, 5, 4, 4, 6, 3, 1, 1, 1},   {2, 4, 16, 16, 7, 5, 2, 1, 1},
        {1, 6, 8, 8, 10, 1, 0, 2, 1}, {1, 4, 6, 6, 8, 3, 0, 2, 1},   {1, 2, 10, 10, 3, 3, 1, 1, 1},
        {1, 3, 16, 16, 5, 3, 1, 1, 2}, {1, 4, 8, 8, 6, 1, 0, 1, 2},  {2, 2, 17, 17, 4, 3, 1, 1, 2},
        {1, 4, 16, 15, 4, 3, 1, 2, 2}};
    for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        const int64_t *v = cv[i];
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){v[0], v[1], v[2], v[3]});
        int w = gb_rand(g, rng, "W", 4, (int64_t[]){v[4], v[1] / v[7], v[5], v[5]}, 0.5);
        int b = i % 2 ? gb_rand(g, rng, "B", 1, (int64_t[]){v[4]}, 0.3) : -1;
        nn_attrs c = a;
        c.kernel[0] = c.kernel[1] = v[5];
        c.pads[0] = c.pads[1] = c.pads[2] = c.pads[3] = v[6];
        c.group = v[7];
        c.strides[0] = c.strides[1] = v[8];
        gb_n(g, NN_CONV, c, b >= 0 ? 3 : 2, x, w, b, NULL);
        check_graph(rng, g, v[8] == 1 ? "conv stride 1" : "conv stride 2", 1.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* FC with and without bias, 1-D input */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){3, 20});
        int w = gb_rand(g, rng, "W", 2, (int64_t[]){7, 20}, 0.2);
        int b = gb_rand(g, rng, "B", 1, (int64_t[]){7}, 1.0);
        int y = gb_n(g, NN_FC, a, 3, x, w, b, NULL);
        int w2 = gb_rand(g, rng, "W2", 2, (int64_t[]){5, 7}, 0.7);
        gb_n(g, NN_FC, a, 2, y, w2, -1, NULL);
        check_graph(rng, g, "fc", 0.5, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
        g = gb_new();
        x = gb_input(g, 1, (int64_t[]){9});
        w = gb_rand(g, rng, "W", 2, (int64_t[]){4, 9}, 0.2);
        gb_n(g, NN_FC, a, 2, x, w, -1, NULL);
        check_graph(rng, g, "fc 1-D", 8.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* MatMul of two computed tensors: x [4,6] times reshape(x) [6,4] */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){4, 6});
        nn_shape s = {.ndim = 2, .d = {6, 4}};
        int r = gb_n(g, NN_RESHAPE, a, 1, x, -1, -1, &s);
        gb_n(g, NN_MATMUL, a, 2, x, r, -1, NULL);
        check_graph(rng, g, "matmul", 1.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* Mul: tensor x broadcast constant, constant first, tensor x tensor */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){2, 3, 2, 2});
        int c = gb_rand(g, rng, "c", 4, (int64_t[]){1, 3, 1, 1}, 1.5);
        int y = gb_n(g, NN_MUL, a, 2, x, c, -1, NULL);
        int c2 = gb_rand(g, rng, "c2", 1, (int64_t[]){2}, 0.1);
        int z = gb_n(g, NN_MUL, a, 2, c2, y, -1, NULL);
        gb_n(g, NN_MUL, a, 2, z, x, -1, NULL);
        check_graph(rng, g, "mul", 2.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* Affine */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){1, 3, 4, 4});
        int sc = gb_rand(g, rng, "scale", 1, (int64_t[]){3}, 2.0);
        int sh = gb_rand(g, rng, "shift", 1, (int64_t[]){3}, 0.5);
        gb_n(g, NN_AFFINE, a, 3, x, sc, sh, NULL);
        check_graph(rng, g, "affine", 1.0, NULL, 4, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* Add/Sub: tensors at different scales, constants on either side */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){2, 8});
        int w = gb_rand(g, rng, "W", 2, (int64_t[]){8, 8}, 3.0);
        int y = gb_n(g, NN_FC, a, 2, x, w, -1, NULL); /* a much wider range than x */
        int s1 = gb_n(g, NN_ADD, a, 2, x, y, -1, NULL);
        int c = gb_rand(g, rng, "c", 1, (int64_t[]){8}, 0.01);
        int s2 = gb_n(g, NN_SUB, a, 2, c, s1, -1, NULL);
        int c2 = gb_rand(g, rng, "c2", 2, (int64_t[]){1, 1}, 40.0);
        int s3 = gb_n(g, NN_ADD, a, 2, s2, c2, -1, NULL);
        gb_n(g, NN_SUB, a, 2, s3, x, -1, NULL);
        check_graph(rng, g, "add/sub", 0.25, NULL, 6, 2e-3, NULL);
        nn_graph_free(g);
    }
    { /* Relu, LeakyRelu */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){4, 25});
        nn_attrs l = a;
        l.alpha = 0.1f;
        int y = gb_n(g, NN_LEAKYRELU, l, 1, x, -1, -1, NULL);
        int z = gb_n(g, NN_RELU, a, 1, y, -1, -1, NULL);
        nn_graph *g2 = gb_new();
        (void)z;
        check_graph(rng, g, "relu/leakyrelu", 1.0, NULL, 2, 0, NULL);
        nn_graph_free(g);
        x = gb_input(g2, 2, (int64_t[]){4, 25});
        l.alpha = 1.7f; /* a slope above 1 */
        gb_n(g2, NN_LEAKYRELU, l, 1, x, -1, -1, NULL);
        check_graph(rng, g2, "leakyrelu 1.7", 1.0, NULL, 2, 1e-3, NULL); /* alpha has 12 bits */
        nn_graph_free(g2);
    }
    { /* MaxPool (pads, ceil_mode, dilation) and AvgPool (both count modes) */
        for (int v = 0; v < 4; v++) {
            nn_graph *g = gb_new();
            int x = gb_input(g, 4, (int64_t[]){1, 2, 7, 6});
            nn_attrs p = a;
            p.kernel[0] = 3, p.kernel[1] = 2;
            p.strides[0] = 2, p.strides[1] = 2;
            p.pads[0] = 1, p.pads[1] = 1, p.pads[2] = 1, p.pads[3] = 0;
            p.ceil_mode = v & 1;
            p.count_include_pad = v >> 1;
            if (v == 3) p.dilations[1] = 2;
            int y = gb_n(g, NN_MAXPOOL, p, 1, x, -1, -1, NULL);
            (void)y;
            check_graph(rng, g, v == 3 ? "maxpool dilated" : "maxpool", 1.0, NULL, 0.5, 0, NULL);
            nn_graph_free(g);
            g = gb_new();
            x = gb_input(g, 4, (int64_t[]){1, 2, 7, 6});
            p.dilations[1] = 1;
            gb_n(g, NN_AVGPOOL, p, 1, x, -1, -1, NULL);
            check_graph(rng, g, "avgpool", 1.0, NULL, 1, 0, NULL);
            nn_graph_free(g);
        }
    }
    { /* global pools, reshape, pad (crop on one side) */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){2, 3, 5, 4});
        int y = gb_n(g, NN_GLOBALAVGPOOL, a, 1, x, -1, -1, NULL);
        int z = gb_n(g, NN_GLOBALMAXPOOL, a, 1, x, -1, -1, NULL);
        int d = gb_n(g, NN_SUB, a, 2, z, y, -1, NULL);
        nn_shape s = {.ndim = 2, .d = {2, 3}};
        int r = gb_n(g, NN_RESHAPE, a, 1, d, -1, -1, &s);
        nn_attrs p = a;
        p.iattr[0] = 1, p.iattr[1] = -1, p.iattr[2] = 0, p.iattr[3] = 2;
        p.pad_value = 0.25f;
        gb_n(g, NN_PAD, p, 1, r, -1, -1, NULL);
        check_graph(rng, g, "global pools/reshape/pad", 1.0, NULL, 2, 0, NULL);
        nn_graph_free(g);
    }
    { /* smaller bit widths still track float, with a looser tolerance */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){1, 30});
        int w = gb_rand(g, rng, "W", 2, (int64_t[]){6, 30}, 0.3);
        gb_n(g, NN_FC, a, 2, x, w, -1, NULL);
        q_settings s;
        q_settings_default(&s);
        s.b_act = 10, s.b_w = 6;
        check_graph(rng, g, "fc b_act=10 b_w=6", 1.0, &s, 4, 0.1, NULL);
        nn_graph_free(g);
    }
}

/* ----------------------------------------------- the witness checker */

/* A graph with every kind of witness array. */
static nn_graph *sink_graph(zk_rng *rng) {
    nn_attrs a = gb_attrs();
    nn_graph *g = gb_new();
    int x = gb_input(g, 4, (int64_t[]){1, 2, 6, 6});
    int w = gb_rand(g, rng, "W", 4, (int64_t[]){4, 2, 3, 3}, 0.5);
    int b = gb_rand(g, rng, "B", 1, (int64_t[]){4}, 0.2);
    nn_attrs c = a;
    c.kernel[0] = c.kernel[1] = 3;
    c.pads[0] = c.pads[1] = c.pads[2] = c.pads[3] = 1;
    int t1 = gb_n(g, NN_CONV, c, 3, x, w, b, NULL);
    nn_attrs l = a;
    l.alpha = 0.1f;
    int t2 = gb_n(g, NN_LEAKYRELU, l, 1, t1, -1, -1, NULL);
    nn_attrs p = a;
    p.kernel[0] = p.kernel[1] = 2;
    p.strides[0] = p.strides[1] = 2;
    int t3 = gb_n(g, NN_MAXPOOL, p, 1, t2, -1, -1, NULL);
    int t4 = gb_n(g, NN_RELU, a, 1, t1, -1, -1, NULL);
    nn_attrs q = a;
    q.kernel[0] = q.kernel[1] = 3;
    q.strides[0] = q.strides[1] = 2;
    q.pads[0] = q.pads[1] = q.pads[2] = q.pads[3] = 1;
    int t5 = gb_n(g, NN_AVGPOOL, q, 1, t4, -1, -1, NULL);
    int t6 = gb_n(g, NN_ADD, a, 2, t3, t5, -1, NULL);
    int t7 = gb_n(g, NN_GLOBALAVGPOOL, a, 1, t6, -1, -1, NULL);
    int t8 = gb_n(g, NN_GLOBALMAXPOOL, a, 1, t6, -1, -1, NULL);
    int t9 = gb_n(g, NN_SUB, a, 2, t7, t8, -1, NULL);
    nn_shape s = {.ndim = 2, .d = {1, 4}};
    int t10 = gb_n(g, NN_RESHAPE, a, 1, t9, -1, -1, &s);
    int w2 = gb_rand(g, rng, "W2", 2, (int64_t[]){3, 4}, 1.0);
    int t11 = gb_n(g, NN_FC, a, 2, t10, w2, -1, NULL);
    int sc = gb_rand(g, rng, "sc", 1, (int64_t[]){3}, 1.0);
    int t12 = gb_n(g, NN_MUL, a, 2, t11, sc, -1, NULL);
    nn_attrs pd = a;
    pd.iattr[1] = 1;
    pd.pad_value = 0.0f; /* non-zero pad values: "global pools/reshape/pad" */
    gb_n(g, NN_PAD, pd, 1, t12, -1, -1, NULL);
    return g;
}

static int rejects(const q_model *m, const q_witness *w) { return q_witness_check(m, w) == ZK_EPROOF; }

/* The element-wise functions (issue 12 item 2): each table op, Clip and
 * PRelu through both engines; a table's error on the calibrated inputs is
 * at most one output LSB (the shift was picked for it), and the checker
 * rejects a wrong index, value or remainder. */
static void test_functions(zk_rng *rng) {
    static const nn_op lut[] = {NN_SIGMOID, NN_TANH,     NN_EXP,       NN_ERF,       NN_GELU,    NN_ELU,
                                NN_SELU,    NN_SOFTPLUS, NN_HARDSIGMOID, NN_HARDSWISH, NN_SOFTSIGN};
    for (size_t k = 0; k < sizeof lut / sizeof lut[0]; k++) {
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){4, 12});
        nn_attrs a = gb_attrs();
        a.alpha = 0.7f, a.beta = 0.4f, a.gamma = 1.1f;
        if (lut[k] == NN_HARDSIGMOID) a.gamma = 0;
        if (lut[k] == NN_ELU) a.beta = a.gamma = 0;
        if (lut[k] == NN_SELU) a.beta = 0;
        gb_n(g, lut[k], a, 1, x, -1, -1, NULL);
        qrun r;
        char what[64];
        snprintf(what, sizeof what, "table %s", nn_op_name(lut[k]));
        check_graph(rng, g, what, 2.5, NULL, 6, 1e-6, &r); /* the input's rounding, times f's slope, then the table's */
        const q_node *nd = &r.m->nodes[0];
        double e = q_lut_error(r.m, nd);
        TEST_CHECK(e <= ldexp(1.0, -(int)out_f(r.m)) * (1 + 1e-9) || nd->iattr[0] == 0);
        int64_t *y = r.w->t[1], *idx = r.w->nodes[0].acc;
        int64_t v;
        y[0] += 1; /* a wrong value */
        TEST_CHECK(q_witness_check(r.m, r.w) == ZK_EPROOF);
        y[0] -= 1;
        if (q_lut_entry(r.m, nd, idx[0] + 1, &v)) { /* the next row, x left */
            int64_t y0 = y[0];
            idx[0] += 1, y[0] = v;
            TEST_CHECK(q_witness_check(r.m, r.w) == ZK_EPROOF);
            idx[0] -= 1, y[0] = y0;
        }
        TEST_CHECK(q_witness_check(r.m, r.w) == ZK_OK);
        qrun_free(&r);
        nn_graph_free(g);
    }
    for (int k = 0; k < 4; k++) { /* Softmax, LogSoftmax over a strided axis and over rows */
        nn_graph *g = gb_new();
        int x = gb_input(g, 3, (int64_t[]){2, 5, 3});
        nn_attrs a = gb_attrs();
        a.iattr[0] = k & 1 ? 5 : 15, a.iattr[1] = k & 1 ? 3 : 1;
        gb_n(g, k < 2 ? NN_SOFTMAX : NN_LOGSOFTMAX, a, 1, x, -1, -1, NULL);
        qrun r;
        check_graph(rng, g, k < 2 ? "softmax" : "logsoftmax", 3.0, NULL, 6, 1e-6, &r);
        int64_t *y = r.w->t[1], *rem = r.w->nodes[0].rem, *arg = r.w->nodes[0].arg;
        y[0] += 1; /* a wrong output */
        TEST_CHECK(q_witness_check(r.m, r.w) == ZK_EPROOF);
        y[0] -= 1;
        arg[0] = (arg[0] + 1) % a.iattr[0]; /* another cell as the maximum */
        TEST_CHECK(q_witness_check(r.m, r.w) == ZK_EPROOF);
        arg[0] = (arg[0] + a.iattr[0] - 1) % a.iattr[0];
        if (rem) { /* the quotient one up, its remainder down */
            y[0] += 1, rem[0] -= 1;
            TEST_CHECK(q_witness_check(r.m, r.w) == ZK_EPROOF);
            y[0] -= 1, rem[0] += 1;
        }
        TEST_CHECK(q_witness_check(r.m, r.w) == ZK_OK);
        qrun_free(&r);
        nn_graph_free(g);
    }
    { /* LogSoftmax of a finely scaled input: ln(n) at the output scale (>= the input's) is outside
       * the range, so some sums have no log-table row; refused at quantization, not an abort later */
        nn_graph *g = gb_new();
        int x = gb_input(g, 2, (int64_t[]){3, 4});
        nn_attrs a = gb_attrs();
        a.iattr[0] = 3, a.iattr[1] = 4; /* axis 0: groups of 3 at stride 4 */
        gb_n(g, NN_LOGSOFTMAX, a, 1, x, -1, -1, NULL);
        float *cal = rand_samples(rng, 12 * 12, 0.1); /* |x| < 0.1: f_x = 15 at b_act 16 */
        q_model *m = NULL;
        TEST_CHECK(q_quantize(&m, g, cal, 12, NULL) == ZK_EINPUT);
        TEST_CHECK(strstr(zk_reason(), "LogSoftmax") != NULL && strstr(zk_reason(), "ln(3)") != NULL);
        q_model_free(m);
        free(cal);
        nn_graph_free(g);
    }
    for (int k = 0; k < 3; k++) { /* Clip (both bounds; a zero bound), PRelu per channel */
        nn_graph *g = gb_new();
        int x = gb_input(g, 4, (int64_t[]){2, 3, 4, 4});
        nn_attrs a = gb_attrs();
        if (k < 2) {
            a.beta = k ? 0.0f : -0.6f, a.gamma = 0.9f;
            gb_n(g, NN_CLIP, a, 1, x, -1, -1, NULL);
        } else {
            int sl = gb_rand(g, rng, "slope", 3, (int64_t[]){3, 1, 1}, 0.5);
            gb_n(g, NN_PRELU, a, 2, x, sl, -1, NULL);
        }
        /* PRelu: the slopes have 12 bits, as LeakyRelu's alpha (1e-3 of the range), and the slope's rounding times |x| */
        check_graph(rng, g, k < 2 ? "clip" : "prelu", 2.0, NULL, k < 2 ? 0.5 : 4, k < 2 ? 1e-6 : 1e-3, NULL);
        nn_graph_free(g);
    }
}

static void test_checker(zk_rng *rng) {
    nn_graph *g = sink_graph(rng);
    qrun r = {NULL, NULL};
    check_graph(rng, g, "kitchen sink", 1.0, NULL, 8, 5e-3, &r);
    TEST_REQUIRE(r.m && r.w);
    q_model *m = r.m;
    q_witness *w = r.w;
    TEST_CHECK(q_witness_check(m, w) == ZK_OK);
    long tried = 0, caught = 0, kinds = 0;
    for (size_t ni = 0; ni < m->nnodes; ni++) {
        const q_node *nd = &m->nodes[ni];
        q_nwit *a = &w->nodes[ni];
        int64_t ny = q_numel(m, (int32_t)ni + 1);
        int64_t *y = w->t[ni + 1];
        for (int rep = 0; rep < 3; rep++) {
            int64_t i = rep == 0 ? 0 : (int64_t)(zk_rng_u64(rng) % (uint64_t)ny);
            /* output element */
            y[i] += 1, tried++, caught += rejects(m, w), y[i] -= 1;
            if (a->acc) {
                a->acc[i] ^= 1, tried++, caught += rejects(m, w), a->acc[i] ^= 1;
                if (nd->k >= 1 && (nd->op != NN_LEAKYRELU || !a->sign[i])) {
                    /* acc and y shifted together keep y 2^k + rem = acc + 2^(k-1) */
                    a->acc[i] += (int64_t)1 << nd->k, y[i] += 1;
                    tried++, caught += rejects(m, w);
                    a->acc[i] -= (int64_t)1 << nd->k, y[i] -= 1;
                }
            }
            if (a->rem) {
                a->rem[i] += 1, tried++, caught += rejects(m, w), a->rem[i] -= 1;
                int64_t mod;
                if (nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL) {
                    /* 2n: recover n from the relation y 2n + rem = 2 acc + n */
                    int64_t n = 1;
                    for (; n < 1000; n++)
                        if (y[i] * 2 * n + a->rem[i] == 2 * a->acc[i] + n) break;
                    mod = 2 * n;
                } else {
                    mod = (int64_t)1 << nd->k;
                }
                if (nd->op != NN_LEAKYRELU || !a->sign[i]) {
                    /* the relation still holds, the remainder leaves its range */
                    a->rem[i] += mod, y[i] -= 1, tried++, caught += rejects(m, w);
                    a->rem[i] -= 2 * mod, y[i] += 2, tried++, caught += rejects(m, w);
                    a->rem[i] += mod, y[i] -= 1;
                }
            }
            if (a->sign) {
                a->sign[i] ^= 1, tried++, caught += rejects(m, w), a->sign[i] ^= 1;
                int64_t s = a->sign[i];
                a->sign[i] = 2, tried++, caught += rejects(m, w), a->sign[i] = s;
            }
            if (a->arg) {
                int64_t P = nd->op == NN_MAXPOOL ? nd->kernel[0] * nd->kernel[1] : 9;
                a->arg[i] = (a->arg[i] + 1) % P, tried++, caught += rejects(m, w);
                a->arg[i] = (a->arg[i] + P - 1) % P;
                a->arg[i] += P, tried++, caught += rejects(m, w), a->arg[i] -= P;
            }
            TEST_CHECK(q_witness_check(m, w) == ZK_OK);
        }
        kinds += !!a->acc + !!a->rem + !!a->sign + !!a->arg;
    }
    TEST_CHECK(tried > 50 && kinds >= 8);
    TEST_CHECK(caught == tried);
    /* the input itself out of range; a missing array; a wrong model */
    int64_t save = w->t[0][0];
    w->t[0][0] = q_act_bound(m);
    TEST_CHECK(rejects(m, w));
    w->t[0][0] = save;
    int64_t *keep = w->nodes[1].sign;
    w->nodes[1].sign = NULL;
    TEST_CHECK(rejects(m, w));
    w->nodes[1].sign = keep;
    TEST_CHECK(q_witness_check(m, w) == ZK_OK);
    qrun_free(&r);
    nn_graph_free(g);
}

/* Relu at 0, max-pool ties, and an out-of-range activation at run time. */
static void test_edges(zk_rng *rng) {
    nn_attrs a = gb_attrs();
    nn_graph *g = gb_new();
    int x = gb_input(g, 4, (int64_t[]){1, 1, 2, 4});
    int r = gb_n(g, NN_RELU, a, 1, x, -1, -1, NULL);
    nn_attrs p = a;
    p.kernel[0] = p.kernel[1] = 2;
    p.strides[0] = p.strides[1] = 2;
    gb_n(g, NN_MAXPOOL, p, 1, r, -1, -1, NULL);
    double maxabs[4] = {1, 1, 1, 1};
    q_model *m = NULL;
    TEST_REQUIRE(q_quantize_ranges(&m, g, maxabs, NULL) == ZK_OK);
    int64_t in[8] = {0, -3, 5, 5, -7, 0, 5, 2}; /* zeros, ties in both windows */
    q_witness *w = NULL;
    TEST_REQUIRE(q_run(&w, m, in) == ZK_OK);
    TEST_CHECK(w->nodes[0].sign[0] == 1 && w->nodes[0].sign[1] == 0 && w->nodes[0].sign[5] == 1);
    TEST_CHECK(w->t[2][0] == 0 && w->t[2][1] == 5);
    TEST_CHECK(w->nodes[1].arg[0] == 0); /* window {0,0,0,0}: the first zero */
    TEST_CHECK(w->nodes[1].arg[1] == 0); /* window {5,5,5,2}: the first 5 */
    TEST_CHECK(q_witness_check(m, w) == ZK_OK);
    w->nodes[0].sign[0] = 0; /* x = 0 must have s = 1 */
    TEST_CHECK(rejects(m, w));
    w->nodes[0].sign[0] = 1;
    w->nodes[1].arg[1] = 1; /* a later tie is not the first maximum */
    TEST_CHECK(rejects(m, w));
    w->nodes[1].arg[1] = 0;
    TEST_CHECK(q_witness_check(m, w) == ZK_OK);
    q_witness_free(w);
    /* inputs at the activation bound */
    int64_t A = q_act_bound(m);
    in[3] = A;
    w = NULL;
    TEST_CHECK(q_run(&w, m, in) == ZK_EINPUT && !w);
    in[3] = -(A - 1);
    TEST_CHECK(q_run(&w, m, in) == ZK_OK);
    q_witness_free(w);
    in[3] = -A; /* [-A, A): b_act-bit two's complement, what the circuits prove */
    w = NULL;
    TEST_CHECK(q_run(&w, m, in) == ZK_OK && q_witness_check(m, w) == ZK_OK);
    q_witness_free(w);
    in[3] = -A - 1;
    w = NULL;
    TEST_CHECK(q_run(&w, m, in) == ZK_EINPUT && !w);
    float xf[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t xq[8];
    xf[2] = NAN;
    TEST_CHECK(q_quantize_input(xq, m, xf) == ZK_EINPUT && strstr(zk_reason(), "NaN"));
    xf[2] = -3.9999f; /* range 1 calibrated: f = 13, bound 2^15 / 2^13 = 4 */
    TEST_CHECK(q_quantize_input(xq, m, xf) == ZK_OK && xq[2] == -32767);
    xf[2] = -4.0f;
    TEST_CHECK(q_quantize_input(xq, m, xf) == ZK_EINPUT && strstr(zk_reason(), "calibrated range"));
    q_model_free(m);
    nn_graph_free(g);

    /* An intermediate leaves its calibrated range: calibrate FC(ones) on
     * inputs of alternating sign (small sums), then feed all-positive ones. */
    g = gb_new();
    x = gb_input(g, 2, (int64_t[]){1, 16});
    float ones[16];
    for (int i = 0; i < 16; i++) ones[i] = 1;
    int wt = gb_t(g, "W", 2, (int64_t[]){1, 16}, ones);
    gb_n(g, NN_FC, a, 2, x, wt, -1, NULL);
    float cal[2 * 16];
    for (int i = 0; i < 32; i++) cal[i] = (i & 1) ? 1.0f : -1.0f;
    TEST_REQUIRE(q_quantize(&m, g, cal, 2, NULL) == ZK_OK);
    int64_t xq16[16];
    TEST_REQUIRE(q_quantize_input(xq16, m, ones) == ZK_OK);
    w = NULL;
    TEST_CHECK(q_run(&w, m, xq16) == ZK_EINPUT && !w);
    TEST_CHECK(strstr(zk_reason(), "value out of the calibrated range at node n0_FC") != NULL);
    q_model_free(m);
    nn_graph_free(g);
    (void)rng;
}

/* ------------------------------------------------------ the field bound */

static void test_bound(zk_rng *rng) {
    nn_attrs a = gb_attrs();
    nn_graph *g = gb_new();
    int x = gb_input(g, 2, (int64_t[]){1, 256});
    int w = gb_rand(g, rng, "W", 2, (int64_t[]){4, 256}, 1.0);
    gb_n(g, NN_FC, a, 2, x, w, -1, NULL);
    double maxabs[3] = {1.0, 0, 30.0};
    q_model *m = NULL;
    q_settings s;
    q_settings_default(&s);
    TEST_REQUIRE(q_quantize_ranges(&m, g, maxabs, &s) == ZK_OK);
    TEST_CHECK(m->nodes[0].acc_bits > 20 && m->nodes[0].acc_bits < 45);
    q_model_free(m);
    m = NULL;
    /* 2^39 activations times 2^23 weights times 256 terms: far over 2^60 */
    s.b_act = 40, s.b_w = 24;
    TEST_CHECK(q_quantize_ranges(&m, g, maxabs, &s) == ZK_EINPUT && !m);
    TEST_CHECK(strstr(zk_reason(), "node n0_FC") && strstr(zk_reason(), "bits") && strstr(zk_reason(), "b_act=40") &&
               strstr(zk_reason(), "b_w=24"));
    /* just around the edge: find the largest b_act that passes with b_w = 12 */
    s.b_w = 12;
    int last_ok = 0;
    for (int b = 16; b <= 48; b++) {
        s.b_act = b;
        zk_err e = q_quantize_ranges(&m, g, maxabs, &s);
        if (e == ZK_OK) {
            last_ok = b;
            TEST_CHECK(m->nodes[0].acc_bits < 61);
            q_model_free(m);
            m = NULL;
        }
    }
    TEST_CHECK(last_ok >= 30 && last_ok < 48);
    /* weights too large for any allowed scale */
    nn_graph_free(g);
    g = gb_new();
    x = gb_input(g, 2, (int64_t[]){1, 4});
    float huge[8] = {1e30f, -2e30f, 3, 4, 5, 6, 7, 8};
    w = gb_t(g, "W", 2, (int64_t[]){2, 4}, huge);
    gb_n(g, NN_FC, a, 2, x, w, -1, NULL);
    q_settings_default(&s);
    TEST_CHECK(q_quantize_ranges(&m, g, maxabs, &s) == ZK_EINPUT && strstr(zk_reason(), "does not fit"));
    /* a pad value outside its tensor's range */
    nn_graph *g2 = gb_new();
    int x2 = gb_input(g2, 2, (int64_t[]){2, 2});
    nn_attrs pd = a;
    pd.iattr[1] = 1;
    pd.pad_value = 5.0f;
    gb_n(g2, NN_PAD, pd, 1, x2, -1, -1, NULL);
    double r2[2] = {1.0, 1.0}; /* f = 13: |x| < 4 */
    TEST_CHECK(q_quantize_ranges(&m, g2, r2, &s) == ZK_EINPUT && strstr(zk_reason(), "n0_Pad") &&
               strstr(zk_reason(), "pad value 5"));
    g2->nodes[0].a.pad_value = -3.5f;
    TEST_CHECK(q_quantize_ranges(&m, g2, r2, &s) == ZK_OK && m->nodes[0].pad == -3 * 8192 - 4096);
    q_model_free(m);
    m = NULL;
    nn_graph_free(g2);
    /* bad settings */
    s.b_act = 1;
    TEST_CHECK(q_quantize_ranges(&m, g, maxabs, &s) == ZK_EINPUT && strstr(zk_reason(), "b_act"));
    q_settings_default(&s);
    s.f_min = 5, s.f_max = 4;
    TEST_CHECK(q_quantize_ranges(&m, g, maxabs, &s) == ZK_EINPUT);
    /* an activation range too wide for f_min */
    q_settings_default(&s);
    double wide[3] = {1e9, 0, 1};
    TEST_CHECK(q_quantize_ranges(&m, g, wide, &s) == ZK_EINPUT && strstr(zk_reason(), "raise b_act"));
    nn_graph_free(g);
}

/* --------------------------------------------------------- serialization */

static void test_serial(zk_rng *rng) {
    nn_graph *g = sink_graph(rng);
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
    float *cal = rand_samples(rng, 4 * nin, 1.0);
    q_model *m = NULL;
    zk_err e = q_quantize(&m, g, cal, 4, NULL);
    if (e) fprintf(stderr, "serial: %s\n", zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    zk_buf b;
    zk_buf_init(&b);
    q_model_serialize(&b, m);
    q_model *m2 = NULL;
    TEST_REQUIRE(q_model_deserialize(&m2, b.data, b.len) == ZK_OK);
    q_model_free(m2);
    /* every truncation fails, a trailing byte fails */
    long ok = 0;
    for (size_t len = 0; len < b.len; len++) {
        m2 = NULL;
        if (q_model_deserialize(&m2, b.data, len) == ZK_OK) ok++, q_model_free(m2);
    }
    TEST_CHECK(ok == 0);
    zk_buf_put(&b, "", 1);
    m2 = NULL;
    TEST_CHECK(q_model_deserialize(&m2, b.data, b.len) == ZK_EFORMAT && strstr(zk_reason(), "trailing"));
    b.len--;
    /* bad magic, bad version */
    b.data[0] ^= 1;
    TEST_CHECK(q_model_deserialize(&m2, b.data, b.len) == ZK_EFORMAT);
    b.data[0] ^= 1;
    b.data[8] ^= 2;
    TEST_CHECK(q_model_deserialize(&m2, b.data, b.len) == ZK_EFORMAT);
    b.data[8] ^= 2;
    /* random single-byte changes: never a crash; whatever decodes is valid
     * and runs */
    long accepted = 0;
    int64_t *xq = zk_calloc(nin, sizeof *xq);
    for (int t = 0; t < 400; t++) {
        size_t pos = zk_rng_u64(rng) % b.len;
        uint8_t old = b.data[pos];
        b.data[pos] ^= (uint8_t)(1 + zk_rng_u64(rng) % 255);
        m2 = NULL;
        if (q_model_deserialize(&m2, b.data, b.len) == ZK_OK) {
            accepted++;
            q_witness *w = NULL;
            if (q_run(&w, m2, xq) == ZK_OK) TEST_CHECK(q_witness_check(m2, w) == ZK_OK);
            q_witness_free(w);
            q_model_free(m2);
        }
        b.data[pos] = old;
    }
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  byte flips accepted: %ld of 400\n", accepted);
    /* garbage */
    for (int t = 0; t < 200; t++) {
        uint8_t junk[256];
        size_t n = zk_rng_u64(rng) % sizeof junk;
        for (size_t i = 0; i < n; i++) junk[i] = (uint8_t)zk_rng_u64(rng);
        if (n >= 12 && (t & 1)) memcpy(junk, "GKRQMOD1\x01\0\0\0", 12);
        m2 = NULL;
        TEST_CHECK(q_model_deserialize(&m2, junk, n) == ZK_EFORMAT);
    }
    /* a non-zero unused field is refused (canonical encoding) */
    q_node *nd = &m->nodes[1]; /* LeakyRelu */
    nd->group = 3;
    zk_buf b2;
    zk_buf_init(&b2);
    q_model_serialize(&b2, m);
    TEST_CHECK(q_model_deserialize(&m2, b2.data, b2.len) == ZK_EFORMAT && strstr(zk_reason(), "unused"));
    nd->group = 0;
    zk_buf_free(&b2);
    free(xq);
    free(cal);
    zk_buf_free(&b);
    q_model_free(m);
    nn_graph_free(g);
}

/* ------------------------------------------------------------- report */

static void test_report(zk_rng *rng) {
    nn_attrs a = gb_attrs();
    nn_graph *g = gb_new();
    int x = gb_input(g, 2, (int64_t[]){1, 12});
    int w = gb_rand(g, rng, "W", 2, (int64_t[]){10, 12}, 0.5);
    int y = gb_n(g, NN_FC, a, 2, x, w, -1, NULL);
    int r = gb_n(g, NN_RELU, a, 1, y, -1, -1, NULL);
    int w2 = gb_rand(g, rng, "W2", 2, (int64_t[]){5, 10}, 0.5);
    gb_n(g, NN_FC, a, 2, r, w2, -1, NULL);
    float *cal = rand_samples(rng, 20 * 12, 1.0);
    q_model *m = NULL;
    TEST_REQUIRE(q_quantize(&m, g, cal, 20, NULL) == ZK_OK);
    zk_buf b;
    zk_buf_init(&b);
    TEST_REQUIRE(q_report_json(&b, m, g, cal, 20) == ZK_OK);
    zk_buf_put(&b, "", 1);
    const char *j = (const char *)b.data;
    TEST_CHECK(strstr(j, "\"b_act\": 16") && strstr(j, "\"op\": \"FC\"") && strstr(j, "\"op\": \"Relu\""));
    TEST_CHECK(strstr(j, "\"acc_bits\"") && strstr(j, "\"mean_abs_error\"") && strstr(j, "\"samples\": 20"));
    const char *ag = strstr(j, "\"argmax_agreement\": ");
    TEST_CHECK(ag && atof(ag + 20) >= 0.9);
    const char *mx = strstr(j, "\"calibration\": {\"samples\": 20, \"max_abs_error\": ");
    TEST_CHECK(mx && atof(mx + strlen("\"calibration\": {\"samples\": 20, \"max_abs_error\": ")) < 0.01);
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("%s", j);
    zk_buf_free(&b);
    free(cal);
    q_model_free(m);
    nn_graph_free(g);
}

/* ------------------------------------------------------------- LeNet-5 */

static size_t argmax(const float *v, size_t n) {
    size_t a = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] > v[a]) a = i;
    return a;
}

static void test_lenet(zk_rng *rng) {
    const char *path = "models/lenet5_fashion.onnx", *calib = "models/calib/lenet5_fashion_calib.json";
    if (access(path, R_OK) != 0 || access(calib, R_OK) != 0) {
        printf("  quant: %s or its calibration set is missing: LeNet test skipped\n", path);
        return;
    }
    zk_buf mb;
    TEST_REQUIRE(zk_read_file(path, &mb) == ZK_OK);
    nn_graph *g = NULL;
    zk_err e = onnx_import(&g, mb.data, mb.len, NULL, 0);
    zk_buf_free(&mb);
    if (e) fprintf(stderr, "lenet import: %s\n", zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape), nout = (size_t)nn_numel(&g->tensors[g->output].shape);
    TEST_CHECK(nin == 784 && nout == 10);
    float *cal = NULL;
    size_t ncal = 0;
    TEST_REQUIRE(in_load(&cal, &ncal, calib, nin) == ZK_OK && ncal >= 16);
    q_model *m = NULL;
    e = q_quantize(&m, g, cal, ncal, NULL);
    if (e) fprintf(stderr, "lenet quantize: %s\n", zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    zk_buf rep;
    zk_buf_init(&rep);
    TEST_REQUIRE(q_report_json(&rep, m, g, cal, 16) == ZK_OK);
    zk_buf_put(&rep, "", 1);
    const char *ag = strstr((const char *)rep.data, "\"argmax_agreement\": ");
    TEST_CHECK(ag && atof(ag + 20) == 1.0);
    const char *mx = strstr((const char *)rep.data, "\"samples\": 16, \"max_abs_error\": ");
    TEST_CHECK(mx && atof(mx + 32) < 0.25);
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("%s", (const char *)rep.data);
    zk_buf_free(&rep);
    /* the model round-trips; the sample inputs agree with float on the class */
    zk_buf ser;
    zk_buf_init(&ser);
    q_model_serialize(&ser, m);
    q_model *m2 = NULL;
    TEST_CHECK(q_model_deserialize(&m2, ser.data, ser.len) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    float deq[10];
    for (int k = 0; k < 5; k++) {
        char in[64];
        snprintf(in, sizeof in, "models/inputs/lenet5_fashion_%d.json", k);
        float *x = NULL;
        if (access(in, R_OK) != 0) continue;
        TEST_REQUIRE(in_load_one(&x, in, nin) == ZK_OK);
        float **fv = NULL;
        TEST_REQUIRE(nn_run_float(&fv, g, x) == ZK_OK);
        q_witness *w = NULL, *w2 = NULL;
        TEST_REQUIRE(q_quantize_input(xq, m, x) == ZK_OK && q_run(&w, m, xq) == ZK_OK);
        TEST_CHECK(q_witness_check(m, w) == ZK_OK);
        q_dequantize_output(deq, m, w);
        TEST_CHECK(argmax(deq, 10) == argmax(fv[g->output], 10));
        TEST_CHECK(m2 && q_run(&w2, m2, xq) == ZK_OK && memcmp(q_output(m, w), q_output(m2, w2), 80) == 0);
        /* a corrupted witness value anywhere is caught */
        size_t ni = zk_rng_u64(rng) % m->nnodes;
        int64_t *y = w->t[ni + 1], i = (int64_t)(zk_rng_u64(rng) % (uint64_t)q_numel(m, (int32_t)ni + 1));
        y[i] ^= 1;
        TEST_CHECK(q_witness_check(m, w) == ZK_EPROOF);
        y[i] ^= 1;
        q_witness_free(w);
        q_witness_free(w2);
        nn_values_free(fv, g);
        free(x);
    }
    free(xq);
    zk_buf_free(&ser);
    q_model_free(m2);
    q_model_free(m);
    free(cal);
    nn_graph_free(g);
}

void test_quant(zk_rng *rng) {
    test_rounding();
    test_ops(rng);
    test_functions(rng);
    test_checker(rng);
    test_edges(rng);
    test_bound(rng);
    test_serial(rng);
    test_report(rng);
    test_lenet(rng);
}
