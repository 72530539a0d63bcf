/* ONNX import and the float reference engine:
 *   - engine kernels (conv, pools, broadcasting, pad) against naive
 *     formulas on seeded random cases;
 *   - ONNX's own conformance data (libonnx-testdata): every test whose ops
 *     are supported must match output_0.pb, every other one must be
 *     refused with ZK_EINPUT; glue-only tests are run through the constant
 *     folder;
 *   - a hand-built model (protobuf-c): BatchNorm folding, exporter glue,
 *     refusals naming node and op, every truncation and random byte flips;
 *   - the .onnx files in models/ when present. */
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "../src/onnx/onnx.h"
#include "onnx.pb-c.h"
#include "test.h"

#define TESTDATA "/usr/share/libonnx-testdata/data"

static float frand(zk_rng *rng) { return (float)((double)(zk_rng_u64(rng) >> 11) / 9007199254740992.0 * 2.0 - 1.0); }
static int64_t irand(zk_rng *rng, int64_t lo, int64_t hi) { return lo + (int64_t)(zk_rng_u64(rng) % (uint64_t)(hi - lo + 1)); }

static int close_enough(float got, float want) {
    if (isnan(want)) return isnan(got);
    if (isinf(want)) return got == want;
    return fabs((double)got - want) <= 1e-4 + 1e-4 * fabs((double)want);
}

/* ---- a tiny graph builder for engine tests ---- */

typedef struct {
    nn_graph g;
} gb;

static int gb_tensor(gb *b, const nn_shape *s, float *data) {
    b->g.tensors = zk_realloc_n(b->g.tensors, b->g.ntensors + 1, sizeof *b->g.tensors);
    nn_tensor *t = &b->g.tensors[b->g.ntensors];
    t->name = strdup("t");
    t->shape = *s;
    t->data = data;
    return (int)b->g.ntensors++;
}

static float *rand_data(zk_rng *rng, int64_t n) {
    float *d = zk_malloc_n((size_t)n, sizeof *d);
    for (int64_t i = 0; i < n; i++) d[i] = frand(rng);
    return d;
}

/* One node graph: input of shape xs, op with attrs and constant inputs,
 * output shape inferred. Returns 0 if the shape rule refuses it. */
static int gb_single(gb *b, const nn_shape *xs, nn_op op, const nn_attrs *a, int nconst, const nn_shape *cs,
                     float **cdata) {
    memset(b, 0, sizeof *b);
    b->g.input = gb_tensor(b, xs, NULL);
    nn_node n;
    memset(&n, 0, sizeof n);
    n.op = op;
    n.name = strdup("n");
    n.nin = 1 + nconst;
    n.in[0] = b->g.input;
    for (int i = 0; i < nconst; i++) n.in[1 + i] = gb_tensor(b, &cs[i], cdata[i]);
    if (a) n.a = *a;
    nn_shape z = {0, {0}};
    n.out = gb_tensor(b, &z, NULL);
    b->g.output = n.out;
    b->g.nodes = zk_malloc(sizeof n);
    b->g.nodes[0] = n;
    b->g.nnodes = 1;
    nn_shape o;
    if (nn_infer_shape(&o, &b->g, &n) != ZK_OK) return 0;
    b->g.tensors[n.out].shape = o;
    return 1;
}

static void gb_free(gb *b) {
    for (size_t i = 0; i < b->g.ntensors; i++) free(b->g.tensors[i].name), free(b->g.tensors[i].data);
    for (size_t i = 0; i < b->g.nnodes; i++) free(b->g.nodes[i].name);
    free(b->g.tensors);
    free(b->g.nodes);
}

static void test_conv_random(zk_rng *rng) {
    long cases = 0, bad = 0;
    for (int it = 0; it < 150; it++) {
        int64_t N = irand(rng, 1, 2), G = irand(rng, 1, 3), Cg = irand(rng, 1, 3), Mg = irand(rng, 1, 3);
        int64_t H = irand(rng, 1, 9), W = irand(rng, 1, 9), KH = irand(rng, 1, 4), KW = irand(rng, 1, 4);
        nn_attrs a;
        memset(&a, 0, sizeof a);
        a.group = G, a.kernel[0] = KH, a.kernel[1] = KW;
        for (int i = 0; i < 2; i++) a.strides[i] = irand(rng, 1, 3), a.dilations[i] = irand(rng, 1, 2);
        for (int i = 0; i < 4; i++) a.pads[i] = irand(rng, 0, 2);
        int64_t C = G * Cg, M = G * Mg;
        nn_shape xs = {4, {N, C, H, W}}, cs[2] = {{4, {M, Cg, KH, KW}}, {1, {M}}};
        float *cd[2] = {rand_data(rng, M * Cg * KH * KW), rand_data(rng, M)};
        gb b;
        if (!gb_single(&b, &xs, NN_CONV, &a, 2, cs, cd)) {
            gb_free(&b);
            continue;
        }
        cases++;
        float *x = rand_data(rng, N * C * H * W), **v;
        TEST_REQUIRE(nn_run_float(&v, &b.g, x) == ZK_OK);
        const nn_shape *os = &b.g.tensors[b.g.output].shape;
        int64_t OH = os->d[2], OW = os->d[3];
        for (int64_t n = 0; n < N; n++)
            for (int64_t m = 0; m < M; m++)
                for (int64_t oh = 0; oh < OH; oh++)
                    for (int64_t ow = 0; ow < OW; ow++) {
                        double acc = cd[1][m];
                        int64_t g = m / Mg;
                        for (int64_t c = 0; c < Cg; c++)
                            for (int64_t i = 0; i < KH; i++)
                                for (int64_t j = 0; j < KW; j++) {
                                    int64_t ih = oh * a.strides[0] - a.pads[0] + i * a.dilations[0];
                                    int64_t iw = ow * a.strides[1] - a.pads[1] + j * a.dilations[1];
                                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                    acc += (double)x[((n * C + g * Cg + c) * H + ih) * W + iw] *
                                           cd[0][((m * Cg + c) * KH + i) * KW + j];
                                }
                        bad += !close_enough(v[b.g.output][((n * M + m) * OH + oh) * OW + ow], (float)acc);
                    }
        nn_values_free(v, &b.g);
        free(x);
        gb_free(&b);
    }
    TEST_CHECK(cases > 50);
    TEST_CHECK(bad == 0);
}

/* Random pooling window: kernel up to kmax, stride up to 3, dilation up to
 * dmax, pads below the kernel, ceil_mode 0 or 1. */
static nn_attrs rand_window(zk_rng *rng, int64_t kmax, int64_t dmax) {
    nn_attrs a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < 2; i++)
        a.kernel[i] = irand(rng, 1, kmax), a.strides[i] = irand(rng, 1, 3), a.dilations[i] = irand(rng, 1, dmax);
    for (int i = 0; i < 4; i++) a.pads[i] = irand(rng, 0, a.kernel[i % 2] - 1);
    a.ceil_mode = (int)irand(rng, 0, 1);
    return a;
}

/* Output elements of a pool over NC planes of H x W that differ from the
 * pool computed directly, window by window. */
static long pool_mismatches(const float *got, const float *x, nn_op op, const nn_attrs *a, int64_t NC, int64_t H,
                            int64_t W, int64_t OH, int64_t OW) {
    long bad = 0;
    for (int64_t nc = 0; nc < NC; nc++)
        for (int64_t oh = 0; oh < OH; oh++)
            for (int64_t ow = 0; ow < OW; ow++) {
                double best = -INFINITY, sum = 0;
                int64_t cnt = 0, cntpad = 0;
                for (int64_t i = 0; i < a->kernel[0]; i++)
                    for (int64_t j = 0; j < a->kernel[1]; j++) {
                        int64_t ih = oh * a->strides[0] - a->pads[0] + i * a->dilations[0];
                        int64_t iw = ow * a->strides[1] - a->pads[1] + j * a->dilations[1];
                        cntpad += ih < H + a->pads[2] && iw < W + a->pads[3];
                        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                        double xv = x[(nc * H + ih) * W + iw];
                        best = xv > best ? xv : best;
                        sum += xv;
                        cnt++;
                    }
                double want = cnt == 0 ? 0 : op == NN_MAXPOOL ? best : sum / (double)(a->count_include_pad ? cntpad : cnt);
                bad += !close_enough(got[(nc * OH + oh) * OW + ow], (float)want);
            }
    return bad;
}

static void test_pool_random(zk_rng *rng) {
    long cases = 0, bad = 0;
    for (int it = 0; it < 300; it++) {
        int64_t N = irand(rng, 1, 2), C = irand(rng, 1, 3), H = irand(rng, 1, 8), W = irand(rng, 1, 8);
        nn_attrs a = rand_window(rng, 4, 2);
        a.count_include_pad = (int)irand(rng, 0, 1);
        nn_op op = irand(rng, 0, 1) ? NN_MAXPOOL : NN_AVGPOOL;
        nn_shape xs = {4, {N, C, H, W}};
        gb b;
        if (!gb_single(&b, &xs, op, &a, 0, NULL, NULL)) {
            gb_free(&b);
            continue;
        }
        cases++;
        float *x = rand_data(rng, N * C * H * W), **v;
        TEST_REQUIRE(nn_run_float(&v, &b.g, x) == ZK_OK);
        const nn_shape *os = &b.g.tensors[b.g.output].shape;
        int64_t OH = os->d[2], OW = os->d[3];
        /* the last window starts inside the input or its begin padding */
        TEST_CHECK((OH - 1) * a.strides[0] < H + a.pads[0] && (OW - 1) * a.strides[1] < W + a.pads[1]);
        bad += pool_mismatches(v[b.g.output], x, op, &a, N * C, H, W, OH, OW);
        nn_values_free(v, &b.g);
        free(x);
        gb_free(&b);
    }
    TEST_CHECK(cases > 100);
    TEST_CHECK(bad == 0);
}

static void test_binary_pad_random(zk_rng *rng) {
    long bad = 0;
    for (int it = 0; it < 100; it++) {
        /* broadcasting: a constant whose dims are each 1 or the input's */
        int r = (int)irand(rng, 1, 4), rc = (int)irand(rng, 0, r);
        nn_shape xs = {r, {0}}, cs = {rc, {0}};
        for (int i = 0; i < r; i++) xs.d[i] = irand(rng, 1, 4);
        for (int i = 0; i < rc; i++) cs.d[i] = irand(rng, 0, 1) ? xs.d[r - rc + i] : 1;
        int64_t nx = nn_numel(&xs), nc = nn_numel(&cs);
        float *cd = rand_data(rng, nc);
        nn_op op = (nn_op)(NN_ADD + irand(rng, 0, 2));
        gb b;
        TEST_REQUIRE(gb_single(&b, &xs, op, NULL, 1, &cs, &cd));
        float *x = rand_data(rng, nx), **v;
        TEST_REQUIRE(nn_run_float(&v, &b.g, x) == ZK_OK);
        for (int64_t k = 0; k < nx; k++) {
            int64_t rem = k, ci = 0, mul = 1;
            int64_t idx[NN_MAX_DIMS];
            for (int i = r - 1; i >= 0; i--) idx[i] = rem % xs.d[i], rem /= xs.d[i];
            for (int i = rc - 1; i >= 0; i--) {
                ci += (cs.d[i] == 1 ? 0 : idx[r - rc + i]) * mul;
                mul *= cs.d[i];
            }
            float want = op == NN_ADD ? x[k] + cd[ci] : op == NN_SUB ? x[k] - cd[ci] : x[k] * cd[ci];
            bad += v[b.g.output][k] != want;
        }
        nn_values_free(v, &b.g);
        gb_free(&b);
        free(x);
        /* pad (negative pads crop) */
        nn_attrs a;
        memset(&a, 0, sizeof a);
        for (int i = 0; i < 2 * r; i++) a.iattr[i] = irand(rng, -1, 2);
        a.pad_value = 0.5f;
        if (!gb_single(&b, &xs, NN_PAD, &a, 0, NULL, NULL)) {
            gb_free(&b);
            continue;
        }
        x = rand_data(rng, nx);
        TEST_REQUIRE(nn_run_float(&v, &b.g, x) == ZK_OK);
        const nn_shape *os = &b.g.tensors[b.g.output].shape;
        for (int64_t k = 0; k < nn_numel(os); k++) {
            int64_t rem = k, xi = 0;
            int inside = 1;
            int64_t idx[NN_MAX_DIMS];
            for (int i = r - 1; i >= 0; i--) idx[i] = rem % os->d[i], rem /= os->d[i];
            for (int i = 0; i < r; i++) {
                int64_t s = idx[i] - a.iattr[i];
                inside &= s >= 0 && s < xs.d[i];
                xi = xi * xs.d[i] + s;
            }
            bad += v[b.g.output][k] != (inside ? x[xi] : 0.5f);
        }
        nn_values_free(v, &b.g);
        gb_free(&b);
        free(x);
    }
    TEST_CHECK(bad == 0);
}

/* ---- conformance data ---- */

static long try_import(const uint8_t *b, size_t len);

/* Tests that must match: one or more per supported op and attribute. */
static const char *const must_match[] = {
    "node/test_conv_with_strides_padding", "node/test_conv_with_autopad_same",
    "node/test_conv_with_strides_and_asymmetric_padding", "node/test_gemm_alpha",
    "node/test_gemm_default_matrix_bias", "node/test_matmul_2d", "node/test_relu", "node/test_leakyrelu",
    "node/test_maxpool_2d_ceil", "node/test_maxpool_2d_dilations", "node/test_maxpool_2d_same_lower",
    "node/test_averagepool_2d_pads_count_include_pad", "node/test_averagepool_2d_ceil",
    "node/test_averagepool_1d_default", "node/test_globalaveragepool", "node/test_globalmaxpool",
    "node/test_batchnorm_epsilon", "node/test_add_bcast", "node/test_sub_bcast", "node/test_mul_bcast",
    "node/test_flatten_negative_axis1", "node/test_reshape_negative_extended_dims", "node/test_constant_pad",
    "node/test_dropout_default", "node/test_unsqueeze_unsorted_axes", "node/test_squeeze_negative_axes",
    "node/test_gemm_transposeB", "node/test_transpose_all_permutations_0", "node/test_training_dropout_zero_ratio",
    "pytorch-converted/test_Conv2d_depthwise_with_multiplier",
    "pytorch-converted/test_Conv1d_dilated", "pytorch-converted/test_Conv2d_groups", "pytorch-converted/test_Linear",
    "pytorch-converted/test_Linear_no_bias", "pytorch-converted/test_BatchNorm2d_eval",
    "pytorch-converted/test_MaxPool2d_stride_padding_dilation", "pytorch-converted/test_ConstantPad2d",
    "pytorch-operator/test_operator_addmm", "pytorch-operator/test_operator_mm", "pytorch-operator/test_operator_view",
    /* wiring on computed tensors (issue 12 item 4) */
    "node/test_transpose_default", "node/test_slice", "node/test_slice_neg_steps", "node/test_concat_2d_axis_0",
    "node/test_concat_3d_axis_negative_2", "node/test_gather_0", "node/test_gather_negative_indices",
    "node/test_resize_upsample_scales_nearest", "node/test_resize_upsample_sizes_nearest_ceil_half_pixel",
    "node/test_upsample_nearest", "node/test_depthtospace_crd_mode", "node/test_depthtospace_dcr_mode",
    "node/test_spacetodepth", "pytorch-converted/test_PixelShuffle",
    /* ops lowered onto the nn op set (issue 12 item 4) */
    "node/test_div_bcast", "node/test_sum_example", "node/test_mean_example", "node/test_max_example",
    "node/test_min_two_inputs", "node/test_reduce_mean_keepdims_example", "node/test_reduce_sum_do_not_keepdims_random",
    "node/test_reduce_sum_default_axes_keepdims_example", "node/test_gemm_transposeA", "node/test_gemm_all_attributes",
    "node/test_convtranspose_1d", "node/test_convtranspose_pads", "node/test_convtranspose_output_shape",
    "node/test_convtranspose_autopad_same", "node/test_convtranspose_dilations", "pytorch-converted/test_ConvTranspose2d",
    "pytorch-operator/test_operator_min", "pytorch-operator/test_operator_reduced_mean",
    /* element-wise functions (issue 12 item 2) */
    "node/test_sigmoid", "node/test_tanh", "node/test_exp", "node/test_erf", "node/test_elu", "node/test_selu",
    "node/test_softplus", "node/test_softsign", "node/test_hardsigmoid", "node/test_hardswish", "node/test_clip",
    "node/test_clip_default_min", "node/test_prelu_broadcast", "pytorch-converted/test_PReLU_2d_multiparam",
    "pytorch-operator/test_operator_clip",
    /* Softmax, LogSoftmax (issue 12 item 3): opset 13 axes, the pre-13 2-D view, large numbers */
    "node/test_softmax_axis_0", "node/test_softmax_axis_2", "node/test_softmax_large_number",
    "node/test_logsoftmax_axis_1", "node/test_logsoftmax_large_number", "pytorch-converted/test_log_softmax_dim3",
};

/* Glue tests that must match through the constant folder (with every
 * input fed as a constant), whether or not they also import with the
 * first input computed. */
static const char *const must_fold[] = {
    "node/test_slice_neg_steps", "node/test_gather_negative_indices", "node/test_concat_3d_axis_negative_2",
    "node/test_transpose_all_permutations_4", "node/test_constantofshape_int_zeros", "node/test_shape_start_1_end_negative_1",
    "node/test_gemm_all_attributes", "pytorch-operator/test_operator_add_broadcast", "pytorch-converted/test_PixelShuffle",
};

static int compare_out(const float *got, const nn_shape *gs, const onnx_feed *want) {
    if (gs->ndim != want->shape.ndim) return 0;
    for (int i = 0; i < gs->ndim; i++)
        if (gs->d[i] != want->shape.d[i]) return 0;
    for (int64_t k = 0; k < nn_numel(gs); k++)
        if (!close_enough(got[k], want->data[k])) return 0;
    return 1;
}

static int in_list(const char *name, const char *const *list, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0) return 1;
    return 0;
}

/* Outcome of one conformance test. */
enum { TC_MATCH, TC_FOLDED, TC_REFUSED, TC_BADDATA, TC_WRONG };

/* The case's model with every input fed, evaluated by the constant
 * folder, gives output_0.pb. */
static int folds_to_output(const char *dir) {
    onnx_testcase tc;
    if (onnx_testcase_read(&tc, dir) != ZK_OK) return 0;
    onnx_feed out;
    int ok = onnx_eval_const(&out, tc.model, tc.model_len, tc.inputs, tc.ninputs) == ZK_OK;
    if (ok) {
        ok = compare_out(out.data, &out.shape, &tc.outputs[0]);
        free(out.name);
        free(out.data);
    }
    onnx_testcase_free(&tc);
    return ok;
}

static int run_testcase(const char *dir, char *why, size_t whycap) {
    onnx_testcase tc;
    zk_err e = onnx_testcase_read(&tc, dir);
    if (e) { /* test data that are not float tensors (strings, sequences, FLOAT16) */
        snprintf(why, whycap, "%s", zk_reason());
        if (e != ZK_EINPUT && e != ZK_EFORMAT) return TC_WRONG;
        char path[1100];
        snprintf(path, sizeof path, "%s/model.onnx", dir);
        zk_buf b;
        zk_buf_init(&b);
        if (zk_read_file(path, &b) == ZK_OK) try_import(b.data, b.len); /* the model alone: no crash */
        zk_buf_free(&b);
        return TC_BADDATA;
    }
    nn_graph *g;
    const float *in;
    int r;
    e = onnx_testcase_import(&g, &in, &tc);
    if (e == ZK_OK) {
        float **v;
        if (nn_run_float(&v, g, in) != ZK_OK) {
            snprintf(why, whycap, "run: %s", zk_reason());
            r = TC_WRONG;
        } else {
            r = compare_out(v[g->output], &g->tensors[g->output].shape, &tc.outputs[0]) ? TC_MATCH : TC_WRONG;
            if (r == TC_WRONG) snprintf(why, whycap, "output differs");
            nn_values_free(v, g);
        }
        nn_graph_free(g);
    } else if (e == ZK_EINPUT) {
        snprintf(why, whycap, "%s", zk_reason());
        onnx_feed out;
        r = TC_REFUSED;
        zk_err e2 = onnx_eval_const(&out, tc.model, tc.model_len, tc.inputs, tc.ninputs);
        if (e2 == ZK_OK) {
            r = compare_out(out.data, &out.shape, &tc.outputs[0]) ? TC_FOLDED : TC_WRONG;
            if (r == TC_WRONG) snprintf(why, whycap, "folded output differs");
            free(out.name);
            free(out.data);
        } else if (e2 != ZK_EINPUT) {
            snprintf(why, whycap, "constant evaluation: %s: %s", zk_err_str(e2), zk_reason());
            r = TC_WRONG;
        }
    } else {
        snprintf(why, whycap, "%s: %s", zk_err_str(e), zk_reason());
        r = TC_WRONG;
    }
    onnx_testcase_free(&tc);
    return r;
}

static void test_onnx_float_conformance(void) {
    static const char *const roots[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};
    const char *verbose = getenv("GKRCNN_ONNX_VERBOSE");
    long count[5] = {0}, node_match = 0, node_refused = 0;
    size_t must_seen = 0, fold_seen = 0;
    char root[512];
    snprintf(root, sizeof root, "%s/node", TESTDATA);
    char **names;
    size_t n;
    if (onnx_testdir_list(&names, &n, root) != ZK_OK) {
        printf("onnx: %s missing, conformance tests skipped\n", TESTDATA);
        return;
    }
    onnx_names_free(names, n);
    for (size_t r = 0; r < sizeof roots / sizeof roots[0]; r++) {
        snprintf(root, sizeof root, "%s/%s", TESTDATA, roots[r]);
        if (onnx_testdir_list(&names, &n, root) != ZK_OK) continue;
        for (size_t i = 0; i < n; i++) {
            char dir[1024], id[512], why[300] = "";
            snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
            snprintf(id, sizeof id, "%s/%s", roots[r], names[i]);
            int res = run_testcase(dir, why, sizeof why);
            count[res]++;
            if (r == 0) node_match += res == TC_MATCH, node_refused += res == TC_REFUSED;
            int must = in_list(id, must_match, sizeof must_match / sizeof must_match[0]);
            int fold = in_list(id, must_fold, sizeof must_fold / sizeof must_fold[0]);
            must_seen += must, fold_seen += fold;
            if (fold && res == TC_MATCH && !folds_to_output(dir)) {
                res = TC_WRONG;
                snprintf(why, sizeof why, "the constant folder's output differs");
            }
            if (res == TC_WRONG || (must && res != TC_MATCH) || (fold && res != TC_FOLDED && res != TC_MATCH)) {
                fprintf(stderr, "onnx conformance: %s: outcome %d: %s\n", id, res, why);
                TEST_CHECK(0);
            } else test_passed++;
            if (verbose) printf("  %-70s %s%s%s\n", id, (const char *[]){"matched", "folded", "refused", "bad-data", "WRONG"}[res],
                                res >= TC_REFUSED ? ": " : "", res >= TC_REFUSED ? why : "");
        }
        onnx_names_free(names, n);
    }
    TEST_CHECK(must_seen == sizeof must_match / sizeof must_match[0]);
    TEST_CHECK(fold_seen == sizeof must_fold / sizeof must_fold[0]);
    printf("onnx: %ld node tests matched, %ld refused (unsupported); all suites: %ld matched, %ld matched by "
           "constant folding, %ld refused, %ld unreadable test data, %ld wrong\n",
           node_match, node_refused, count[TC_MATCH], count[TC_FOLDED], count[TC_REFUSED], count[TC_BADDATA],
           count[TC_WRONG]);
}

/* ---- hand-built models (protobuf-c) ---- */

static char *dupstr(const char *s) {
    char *r = strdup(s);
    ZK_CHECK(r != NULL);
    return r;
}

static Onnx__AttributeProto *attr_new(const char *name, Onnx__AttributeProto__AttributeType type) {
    Onnx__AttributeProto *a = zk_malloc(sizeof *a);
    onnx__attribute_proto__init(a);
    a->name = dupstr(name);
    a->has_type = 1;
    a->type = type;
    return a;
}
static Onnx__AttributeProto *A_i(const char *name, int64_t v) {
    Onnx__AttributeProto *a = attr_new(name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
    a->has_i = 1, a->i = v;
    return a;
}
static Onnx__AttributeProto *A_f(const char *name, float v) {
    Onnx__AttributeProto *a = attr_new(name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
    a->has_f = 1, a->f = v;
    return a;
}
static Onnx__AttributeProto *A_ints(const char *name, int n, const int64_t *v) {
    Onnx__AttributeProto *a = attr_new(name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS);
    a->n_ints = (size_t)n;
    a->ints = zk_malloc_n((size_t)n, sizeof *a->ints);
    memcpy(a->ints, v, (size_t)n * sizeof *v);
    return a;
}
static Onnx__AttributeProto *A_s(const char *name, const char *v) {
    Onnx__AttributeProto *a = attr_new(name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
    a->has_s = 1;
    a->s.len = strlen(v);
    a->s.data = (uint8_t *)dupstr(v);
    return a;
}

static Onnx__TensorProto *T_new(const char *name, int ndim, const int64_t *dims, int32_t type) {
    Onnx__TensorProto *t = zk_malloc(sizeof *t);
    onnx__tensor_proto__init(t);
    t->name = dupstr(name);
    t->n_dims = (size_t)ndim;
    t->dims = zk_malloc_n((size_t)(ndim ? ndim : 1), sizeof *t->dims);
    if (ndim) memcpy(t->dims, dims, (size_t)ndim * sizeof *dims);
    t->has_data_type = 1;
    t->data_type = type;
    return t;
}
/* float tensor, in raw_data (raw) or float_data */
static Onnx__TensorProto *T_f(const char *name, int ndim, const int64_t *dims, const float *v, int raw) {
    Onnx__TensorProto *t = T_new(name, ndim, dims, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT);
    size_t n = 1;
    for (int i = 0; i < ndim; i++) n *= (size_t)dims[i];
    if (raw) {
        t->has_raw_data = 1;
        t->raw_data.len = 4 * n;
        t->raw_data.data = zk_malloc(4 * n);
        for (size_t i = 0; i < n; i++) {
            uint32_t w;
            memcpy(&w, &v[i], 4);
            for (int b = 0; b < 4; b++) t->raw_data.data[4 * i + b] = (uint8_t)(w >> (8 * b));
        }
    } else {
        t->n_float_data = n;
        t->float_data = zk_malloc_n(n, sizeof(float));
        memcpy(t->float_data, v, n * sizeof(float));
    }
    return t;
}
static Onnx__TensorProto *T_i64(const char *name, int ndim, const int64_t *dims, const int64_t *v) {
    Onnx__TensorProto *t = T_new(name, ndim, dims, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
    size_t n = 1;
    for (int i = 0; i < ndim; i++) n *= (size_t)dims[i];
    t->n_int64_data = n;
    t->int64_data = zk_malloc_n(n, sizeof(int64_t));
    memcpy(t->int64_data, v, n * sizeof(int64_t));
    return t;
}

/* comma-separated names into a string array */
static size_t split_names(char ***out, const char *list) {
    size_t n = 0;
    char **v = NULL;
    const char *p = list;
    while (*list) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        v = zk_realloc_n(v, n + 1, sizeof *v);
        v[n] = zk_malloc(len + 1);
        memcpy(v[n], p, len);
        v[n++][len] = 0;
        if (!q) break;
        p = q + 1;
    }
    *out = v;
    return n;
}

static Onnx__NodeProto *N_new(const char *name, const char *op, const char *ins, const char *outs, int nattr, ...) {
    Onnx__NodeProto *n = zk_malloc(sizeof *n);
    onnx__node_proto__init(n);
    n->name = dupstr(name);
    n->op_type = dupstr(op);
    n->n_input = split_names(&n->input, ins);
    n->n_output = split_names(&n->output, outs);
    n->n_attribute = (size_t)nattr;
    n->attribute = zk_malloc_n((size_t)(nattr ? nattr : 1), sizeof *n->attribute);
    va_list ap;
    va_start(ap, nattr);
    for (int i = 0; i < nattr; i++) n->attribute[i] = va_arg(ap, Onnx__AttributeProto *);
    va_end(ap);
    return n;
}

/* value info of a float tensor; a dim of -1 is symbolic ("N") */
static Onnx__ValueInfoProto *VI(const char *name, int ndim, const int64_t *dims) {
    Onnx__ValueInfoProto *v = zk_malloc(sizeof *v);
    onnx__value_info_proto__init(v);
    v->name = dupstr(name);
    v->type = zk_malloc(sizeof *v->type);
    onnx__type_proto__init(v->type);
    v->type->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE;
    Onnx__TypeProto__Tensor *tt = zk_malloc(sizeof *tt);
    onnx__type_proto__tensor__init(tt);
    tt->has_elem_type = 1;
    tt->elem_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT;
    tt->shape = zk_malloc(sizeof *tt->shape);
    onnx__tensor_shape_proto__init(tt->shape);
    tt->shape->n_dim = (size_t)ndim;
    tt->shape->dim = zk_malloc_n((size_t)ndim, sizeof *tt->shape->dim);
    for (int i = 0; i < ndim; i++) {
        Onnx__TensorShapeProto__Dimension *d = zk_malloc(sizeof *d);
        onnx__tensor_shape_proto__dimension__init(d);
        if (dims[i] < 0) d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM, d->dim_param = dupstr("N");
        else d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE, d->dim_value = dims[i];
        tt->shape->dim[i] = d;
    }
    v->type->tensor_type = tt;
    return v;
}

static Onnx__ModelProto *M_new(int64_t opset) {
    Onnx__ModelProto *m = zk_malloc(sizeof *m);
    onnx__model_proto__init(m);
    m->has_ir_version = 1;
    m->ir_version = 7;
    m->n_opset_import = 1;
    m->opset_import = zk_malloc(sizeof *m->opset_import);
    m->opset_import[0] = zk_malloc(sizeof *m->opset_import[0]);
    onnx__operator_set_id_proto__init(m->opset_import[0]);
    m->opset_import[0]->domain = dupstr("");
    m->opset_import[0]->has_version = 1;
    m->opset_import[0]->version = opset;
    m->graph = zk_malloc(sizeof *m->graph);
    onnx__graph_proto__init(m->graph);
    m->graph->name = dupstr("g");
    return m;
}

#define M_ADD(arr, cnt, item)                                          \
    do {                                                               \
        (arr) = zk_realloc_n((arr), (cnt) + 1, sizeof *(arr));         \
        (arr)[(cnt)++] = (item);                                       \
    } while (0)
static void M_node(Onnx__ModelProto *m, Onnx__NodeProto *n) { M_ADD(m->graph->node, m->graph->n_node, n); }
static void M_init(Onnx__ModelProto *m, Onnx__TensorProto *t) { M_ADD(m->graph->initializer, m->graph->n_initializer, t); }
static void M_in(Onnx__ModelProto *m, Onnx__ValueInfoProto *v) { M_ADD(m->graph->input, m->graph->n_input, v); }
static void M_out(Onnx__ModelProto *m, Onnx__ValueInfoProto *v) { M_ADD(m->graph->output, m->graph->n_output, v); }

static void M_pack(zk_buf *b, Onnx__ModelProto *m) {
    zk_buf_init(b);
    size_t n = onnx__model_proto__get_packed_size(m);
    uint8_t *p = zk_malloc(n);
    onnx__model_proto__pack(m, p);
    zk_buf_put(b, p, n);
    free(p);
    onnx__model_proto__free_unpacked(m, NULL);
}

/* The small CNN: conv3x3(1->3, pad 1) -> BN -> ReLU -> maxpool2 -> the
 * exporter's view(x.size(0), -1) glue -> Gemm(transB) -> y[N,4].
 * variant 1: BN after the ReLU (not foldable); 2: an LSTM node "n7";
 * 3: auto_pad=FOO; 4: FC weight of the wrong width. */
typedef struct {
    float w1[27], b1[3], gamma[3], beta[3], mean[3], var[3], wfc[4 * 27], bfc[4];
} cnn_params;

static void cnn_model(zk_buf *out, const cnn_params *p, int variant) {
    Onnx__ModelProto *m = M_new(13);
    int64_t xd[4] = {-1, 1, 6, 6}, wd[4] = {3, 1, 3, 3}, cd[1] = {3}, fd[2] = {4, variant == 4 ? 26 : 27}, bd[1] = {4};
    int64_t yd[2] = {-1, 4}, one[1] = {1}, zero = 0, neg = -1, pads[4] = {1, 1, 1, 1}, k2[2] = {2, 2};
    M_in(m, VI("x", 4, xd));
    M_init(m, T_f("W1", 4, wd, p->w1, 1));
    M_init(m, T_f("B1", 1, cd, p->b1, 0));
    M_init(m, T_f("gamma", 1, cd, p->gamma, 1));
    M_init(m, T_f("beta", 1, cd, p->beta, 1));
    M_init(m, T_f("mean", 1, cd, p->mean, 0));
    M_init(m, T_f("var", 1, cd, p->var, 1));
    M_init(m, T_f("Wfc", 2, fd, p->wfc, 1));
    M_init(m, T_f("Bfc", 1, bd, p->bfc, 1));
    M_init(m, T_i64("axes0", 1, one, &zero));
    M_node(m, N_new("conv1", "Conv", "x,W1,B1", "c1", 2, A_ints("pads", 4, pads),
                    A_s("auto_pad", variant == 3 ? "FOO" : "NOTSET")));
    if (variant == 1) {
        M_node(m, N_new("relu1", "Relu", "c1", "r1", 0));
        M_node(m, N_new("bn1", "BatchNormalization", "r1,gamma,beta,mean,var", "a1", 1, A_f("epsilon", 1e-3f)));
    } else {
        M_node(m, N_new("bn1", "BatchNormalization", "c1,gamma,beta,mean,var", "n1", 1, A_f("epsilon", 1e-3f)));
        M_node(m, N_new(variant == 2 ? "n7" : "relu1", variant == 2 ? "LSTM" : "Relu", "n1", "a1", 0));
    }
    M_node(m, N_new("pool1", "MaxPool", "a1", "p1", 2, A_ints("kernel_shape", 2, k2), A_ints("strides", 2, k2)));
    M_node(m, N_new("shape", "Shape", "p1", "s", 0));
    Onnx__AttributeProto *cv = attr_new("value", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
    cv->t = T_i64("", 0, NULL, &zero);
    M_node(m, N_new("c0", "Constant", "", "zero", 1, cv));
    M_node(m, N_new("gather", "Gather", "s,zero", "n", 1, A_i("axis", 0)));
    M_node(m, N_new("unsq", "Unsqueeze", "n,axes0", "n1d", 0));
    cv = attr_new("value", ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR);
    cv->t = T_i64("", 1, one, &neg);
    M_node(m, N_new("cneg", "Constant", "", "m1", 1, cv));
    M_node(m, N_new("concat", "Concat", "n1d,m1", "shp", 1, A_i("axis", 0)));
    M_node(m, N_new("reshape", "Reshape", "p1,shp", "flat", 0));
    M_node(m, N_new("fc", "Gemm", "flat,Wfc,Bfc", "y", 1, A_i("transB", 1)));
    M_out(m, VI("y", 2, yd));
    M_pack(out, m);
}

/* The same network computed directly (batch B, input x[B][36]). */
static void cnn_reference(double *y, const cnn_params *p, const float *x, int B, int bn_after_relu) {
    for (int b = 0; b < B; b++) {
        double a[3][6][6], pool[3][3][3];
        for (int c = 0; c < 3; c++) {
            double sc = p->gamma[c] / sqrt((double)p->var[c] + 1e-3f);
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++) {
                    double v = p->b1[c];
                    for (int ki = 0; ki < 3; ki++)
                        for (int kj = 0; kj < 3; kj++) {
                            int ii = i - 1 + ki, jj = j - 1 + kj;
                            if (ii >= 0 && ii < 6 && jj >= 0 && jj < 6) v += (double)x[b * 36 + ii * 6 + jj] * p->w1[c * 9 + ki * 3 + kj];
                        }
                    if (bn_after_relu) {
                        v = v > 0 ? v : 0;
                        v = (v - p->mean[c]) * sc + p->beta[c];
                    } else {
                        v = (v - p->mean[c]) * sc + p->beta[c];
                        v = v > 0 ? v : 0;
                    }
                    a[c][i][j] = v;
                }
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) {
                    double mx = a[c][2 * i][2 * j];
                    for (int di = 0; di < 2; di++)
                        for (int dj = 0; dj < 2; dj++) mx = fmax(mx, a[c][2 * i + di][2 * j + dj]);
                    pool[c][i][j] = mx;
                }
        }
        for (int o = 0; o < 4; o++) {
            double v = p->bfc[o];
            for (int k = 0; k < 27; k++) v += (&pool[0][0][0])[k] * p->wfc[o * 27 + k];
            y[b * 4 + o] = v;
        }
    }
}

static int count_op(const nn_graph *g, nn_op op) {
    int n = 0;
    for (size_t k = 0; k < g->nnodes; k++) n += g->nodes[k].op == op;
    return n;
}

/* Import must give an error or a graph that runs; never a crash. */
static long try_import(const uint8_t *b, size_t len) {
    nn_graph *g;
    zk_err e = onnx_import(&g, b, len, NULL, 0);
    if (e != ZK_OK) {
        TEST_CHECK(e == ZK_EFORMAT || e == ZK_EINPUT);
        TEST_CHECK(strchr(zk_reason(), '\n') == NULL);
        return 0;
    }
    int64_t n = nn_numel(&g->tensors[g->input].shape);
    float *x = zk_calloc((size_t)n, sizeof *x), **v;
    if (n <= (1 << 20)) {
        TEST_CHECK(nn_run_float(&v, g, x) == ZK_OK);
        nn_values_free(v, g);
    }
    free(x);
    nn_graph_free(g);
    return 1;
}

static void test_cnn_model(zk_rng *rng) {
    cnn_params p;
    float *f = (float *)&p;
    for (size_t i = 0; i < sizeof p / sizeof(float); i++) f[i] = frand(rng);
    for (int c = 0; c < 3; c++) p.var[c] = 0.5f + fabsf(p.var[c]);
    for (int variant = 0; variant < 2; variant++) {
        zk_buf b;
        cnn_model(&b, &p, variant);
        nn_graph *g;
        TEST_REQUIRE(onnx_import(&g, b.data, b.len, NULL, 0) == ZK_OK);
        /* BN folded into the conv unless it follows the ReLU; the glue is gone */
        TEST_CHECK(g->nnodes == (variant ? 6u : 5u));
        TEST_CHECK(count_op(g, NN_AFFINE) == variant && count_op(g, NN_CONV) == 1 && count_op(g, NN_FC) == 1 &&
                   count_op(g, NN_RESHAPE) == 1 && count_op(g, NN_MAXPOOL) == 1);
        TEST_CHECK(g->tensors[g->input].shape.d[0] == 1);
        float x[2 * 36], **v;
        double want[8];
        for (int i = 0; i < 72; i++) x[i] = frand(rng);
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        cnn_reference(want, &p, x, 1, variant);
        for (int i = 0; i < 4; i++) TEST_CHECK(close_enough(v[g->output][i], (float)want[i]));
        nn_values_free(v, g);
        nn_graph_free(g);
        /* a shape-only feed sets the batch; the Shape/Gather glue follows it */
        onnx_feed feed = {(char *)"x", {4, {2, 1, 6, 6}}, NULL};
        TEST_REQUIRE(onnx_import(&g, b.data, b.len, &feed, 1) == ZK_OK);
        TEST_CHECK(g->tensors[g->output].shape.ndim == 2 && g->tensors[g->output].shape.d[0] == 2);
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        cnn_reference(want, &p, x, 2, variant);
        for (int i = 0; i < 8; i++) TEST_CHECK(close_enough(v[g->output][i], (float)want[i]));
        nn_values_free(v, g);
        nn_graph_free(g);
        /* a feed that is not a graph input, or of the wrong rank */
        onnx_feed bad = {(char *)"nope", {1, {1}}, NULL};
        TEST_CHECK(onnx_import(&g, b.data, b.len, &bad, 1) == ZK_EINPUT);
        bad.name = (char *)"x", bad.shape.ndim = 2;
        TEST_CHECK(onnx_import(&g, b.data, b.len, &bad, 1) == ZK_EINPUT);
        if (variant == 0) {
            /* every truncation; random byte flips */
            long ok = 0;
            for (size_t len = 0; len < b.len; len++) ok += try_import(b.data, len);
            TEST_CHECK(ok == 0 || ok < (long)b.len);
            uint8_t *c = zk_malloc(b.len);
            for (int it = 0; it < 1500; it++) {
                memcpy(c, b.data, b.len);
                int flips = (int)irand(rng, 1, 3);
                for (int k = 0; k < flips; k++) c[zk_rng_u64(rng) % b.len] ^= (uint8_t)(1u << (zk_rng_u64(rng) % 8));
                try_import(c, b.len);
            }
            for (size_t i = 0; i < b.len; i++) c[i] = (uint8_t)zk_rng_u64(rng);
            TEST_CHECK(try_import(c, b.len) == 0);
            free(c);
        }
        zk_buf_free(&b);
    }
    /* refusals name the node and the problem */
    static const struct {
        int variant;
        const char *reason;
    } refusals[] = {
        {2, "node \"n7\" (LSTM): unsupported operator"},
        {3, "node \"conv1\" (Conv): unsupported attribute value auto_pad=FOO"},
        {4, "node \"fc\" (Gemm): "},
    };
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        zk_buf b;
        cnn_model(&b, &p, refusals[i].variant);
        nn_graph *g = NULL;
        TEST_CHECK(onnx_import(&g, b.data, b.len, NULL, 0) == ZK_EINPUT);
        TEST_CHECK(strstr(zk_reason(), refusals[i].reason) != NULL);
        if (!strstr(zk_reason(), refusals[i].reason)) fprintf(stderr, "  reason: %s\n", zk_reason());
        zk_buf_free(&b);
    }
}

/* Gemm -> BatchNormalization (folded into the FC) -> Relu, and MatMul with
 * a 3-D left operand and a constant right one. */
/* One ONNX MaxPool node over x[1, C, H, W]. */
static void maxpool_model(zk_buf *out, int64_t C, int64_t H, int64_t W, const nn_attrs *a) {
    Onnx__ModelProto *m = M_new(13);
    int64_t xd[4] = {1, C, H, W}, yd[4] = {1, C, -1, -1};
    int64_t pads[4] = {a->pads[0], a->pads[1], a->pads[2], a->pads[3]};
    M_in(m, VI("x", 4, xd));
    M_node(m, N_new("pool", "MaxPool", "x", "y", 5, A_ints("kernel_shape", 2, a->kernel), A_ints("strides", 2, a->strides),
                    A_ints("dilations", 2, a->dilations), A_ints("pads", 4, pads), A_i("ceil_mode", a->ceil_mode)));
    M_out(m, VI("y", 4, yd));
    M_pack(out, m);
}

/* A large MaxPool window is imported as a row pass and a column pass
 * (import.c, maxpool_split_pays): same shape, same values as the window
 * computed directly; small pools stay whole. */
static void test_maxpool_split(zk_rng *rng) {
    long cases = 0, splits = 0, bad = 0;
    for (int it = 0; it < 300; it++) {
        int64_t C = irand(rng, 1, 2), H = irand(rng, 4, 24), W = irand(rng, 4, 24);
        nn_attrs a = rand_window(rng, 7, 3);
        if (it == 0) { /* 5 x 5 at stride 1 (splits), then 2 x 2 and 3 x 3 at stride 2 (do not) */
            H = W = 28;
            a = (nn_attrs){.kernel = {5, 5}, .strides = {1, 1}, .dilations = {1, 1}, .pads = {2, 2, 2, 2}};
        } else if (it == 1 || it == 2) {
            H = W = 32;
            a = (nn_attrs){.kernel = {it + 1, it + 1}, .strides = {2, 2}, .dilations = {1, 1}, .pads = {it - 1, it - 1, 0, 0}};
        }
        nn_shape xs = {4, {1, C, H, W}};
        gb ref;
        int fits = gb_single(&ref, &xs, NN_MAXPOOL, &a, 0, NULL, NULL);
        zk_buf b;
        maxpool_model(&b, C, H, W, &a);
        nn_graph *g;
        zk_err e = onnx_import(&g, b.data, b.len, NULL, 0);
        zk_buf_free(&b);
        if (!fits || e != ZK_OK) {
            TEST_CHECK(it > 2);
            gb_free(&ref);
            if (e == ZK_OK) nn_graph_free(g);
            continue;
        }
        cases++;
        int np = count_op(g, NN_MAXPOOL);
        TEST_CHECK(g->nnodes == (size_t)np && (np == 1 || np == 2));
        splits += np == 2;
        if (it == 0) TEST_CHECK(np == 2);
        if (it == 1 || it == 2) TEST_CHECK(np == 1);
        const nn_shape *os = &g->tensors[g->output].shape, *rs = &ref.g.tensors[ref.g.output].shape;
        TEST_CHECK(os->ndim == 4 && os->d[2] == rs->d[2] && os->d[3] == rs->d[3]);
        float *x = rand_data(rng, C * H * W), **v;
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        bad += pool_mismatches(v[g->output], x, NN_MAXPOOL, &a, C, H, W, rs->d[2], rs->d[3]);
        nn_values_free(v, g);
        nn_graph_free(g);
        free(x);
        gb_free(&ref);
    }
    TEST_CHECK(cases > 100 && splits >= 5 && splits < cases); /* roughly one case in ten splits */
    TEST_CHECK(bad == 0);
}

static void test_fc_bn(zk_rng *rng) {
    float w[15], b[3], gm[3], bt[3], mu[3], var[3], wm[12], x[10];
    for (int i = 0; i < 15; i++) w[i] = frand(rng);
    for (int i = 0; i < 3; i++) b[i] = frand(rng), gm[i] = frand(rng), bt[i] = frand(rng), mu[i] = frand(rng), var[i] = 1 + frand(rng) / 2;
    for (int i = 0; i < 12; i++) wm[i] = frand(rng);
    for (int i = 0; i < 10; i++) x[i] = frand(rng);
    Onnx__ModelProto *m = M_new(15);
    int64_t xd[2] = {2, 5}, wd[2] = {3, 5}, cd[1] = {3}, md[2] = {3, 4}, yd[3] = {1, 2, 4}, rs[3] = {1, 2, 3};
    M_in(m, VI("x", 2, xd));
    M_init(m, T_f("W", 2, wd, w, 0));
    M_init(m, T_f("B", 1, cd, b, 1));
    M_init(m, T_f("g", 1, cd, gm, 1));
    M_init(m, T_f("bt", 1, cd, bt, 1));
    M_init(m, T_f("mu", 1, cd, mu, 1));
    M_init(m, T_f("var", 1, cd, var, 1));
    M_init(m, T_f("Wm", 2, md, wm, 1));
    M_init(m, T_i64("rs", 1, cd, rs));
    M_node(m, N_new("fc", "Gemm", "x,W,B", "f", 2, A_i("transB", 1), A_f("alpha", 0.5f)));
    M_node(m, N_new("bn", "BatchNormalization", "f,g,bt,mu,var", "n", 0));
    M_node(m, N_new("relu", "Relu", "n", "r", 0));
    M_node(m, N_new("rs", "Reshape", "r,rs", "r3", 0));
    M_node(m, N_new("mm", "MatMul", "r3,Wm", "y", 0));
    M_out(m, VI("y", 3, yd));
    zk_buf buf;
    M_pack(&buf, m);
    nn_graph *g;
    TEST_REQUIRE(onnx_import(&g, buf.data, buf.len, NULL, 0) == ZK_OK);
    TEST_CHECK(count_op(g, NN_AFFINE) == 0 && count_op(g, NN_FC) == 2);
    const nn_shape *os = &g->tensors[g->output].shape;
    TEST_CHECK(os->ndim == 3 && os->d[0] == 1 && os->d[1] == 2 && os->d[2] == 4);
    float **v;
    TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
    for (int r = 0; r < 2; r++) {
        double h[3];
        for (int j = 0; j < 3; j++) {
            double a = b[j];
            for (int k = 0; k < 5; k++) a += 0.5 * x[r * 5 + k] * w[j * 5 + k];
            a = (a - mu[j]) * gm[j] / sqrt((double)var[j] + 1e-5f) + bt[j];
            h[j] = a > 0 ? a : 0;
        }
        for (int o = 0; o < 4; o++) {
            double y = 0;
            for (int j = 0; j < 3; j++) y += h[j] * wm[j * 4 + o];
            TEST_CHECK(close_enough(v[g->output][r * 4 + o], (float)y));
        }
    }
    nn_values_free(v, g);
    nn_graph_free(g);
    zk_buf_free(&buf);
}

/* Pad and Reshape in their old (attribute) and new (input) forms. */
static void pad_model(zk_buf *out, int64_t opset) {
    Onnx__ModelProto *m = M_new(opset);
    int64_t xd[4] = {1, 2, 4, 4}, yd[2] = {1, 2}, pads[8] = {0, 0, 1, 2, 0, 0, 1, 0}, k3[2] = {3, 3}, pd[1] = {8};
    int64_t sd[1] = {2}, shape[2] = {1, -1};
    M_in(m, VI("x", 4, xd));
    if (opset >= 11) {
        float v = 0.5f;
        M_init(m, T_i64("pads", 1, pd, pads));
        M_init(m, T_f("val", 0, NULL, &v, 0));
        M_init(m, T_i64("shape", 1, sd, shape));
        M_node(m, N_new("pad", "Pad", "x,pads,val", "xp", 0));
    } else {
        M_node(m, N_new("pad", "Pad", "x", "xp", 2, A_ints("pads", 8, pads), A_f("value", 0.5f)));
    }
    M_node(m, N_new("avg", "AveragePool", "xp", "a", 2, A_ints("kernel_shape", 2, k3), A_i("count_include_pad", 1)));
    M_node(m, N_new("gmp", "GlobalMaxPool", "a", "g", 0));
    if (opset >= 11) M_node(m, N_new("rs", "Reshape", "g,shape", "y", 0));
    else M_node(m, N_new("rs", "Reshape", "g", "y", 1, A_ints("shape", 2, shape)));
    M_out(m, VI("y", 2, yd));
    M_pack(out, m);
}

static void test_opsets(zk_rng *rng) {
    float x[32], out[2][2];
    for (int i = 0; i < 32; i++) x[i] = frand(rng);
    static const int64_t opsets[2] = {4, 13};
    for (int k = 0; k < 2; k++) {
        zk_buf b;
        pad_model(&b, opsets[k]);
        nn_graph *g;
        TEST_REQUIRE(onnx_import(&g, b.data, b.len, NULL, 0) == ZK_OK);
        TEST_CHECK(count_op(g, NN_PAD) == 1 && g->tensors[g->output].shape.d[1] == 2);
        float **v;
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        memcpy(out[k], v[g->output], sizeof out[k]);
        nn_values_free(v, g);
        nn_graph_free(g);
        zk_buf_free(&b);
    }
    TEST_CHECK(out[0][0] == out[1][0] && out[0][1] == out[1][1]);
}

/* ---- element-wise functions (issue 12 item 2) ----
 * GELU as a single Gelu node (opset 20) and as the chains exporters write
 * before it; each must become one NN_GELU, and a chain whose inner value
 * something else reads must not. */
static void gelu_model(zk_buf *out, int variant) {
    Onnx__ModelProto *m = M_new(variant == 0 || variant == 1 ? 20 : 13);
    int64_t xd[2] = {2, 8};
    M_in(m, VI("x", 2, xd));
    float sq2 = 1.41421356f, one = 1, half = 0.5f, kap = 0.044715f, bet = 0.7978845608f;
    switch (variant) {
    case 0: M_node(m, N_new("g", "Gelu", "x", "y", 0)); break;
    case 1: M_node(m, N_new("g", "Gelu", "x", "y", 1, A_s("approximate", "tanh"))); break;
    case 2: /* PyTorch: /sqrt2, Erf, +1 (a Constant node after the Div), times x, times 0.5 */
    case 5: /* the same with the Erf's value also read elsewhere: no fusion */
        M_init(m, T_f("s2", 0, NULL, &sq2, 0));
        M_node(m, N_new("div", "Div", "x,s2", "a", 0));
        M_node(m, N_new("erf", "Erf", "a", "b", 0));
        M_node(m, N_new("c1", "Constant", "", "one", 1, A_f("value_float", one)));
        M_node(m, N_new("add", "Add", "b,one", "c", 0));
        M_node(m, N_new("mul", "Mul", "x,c", "d", 0));
        M_init(m, T_f("h", 0, NULL, &half, 0));
        M_node(m, N_new("mul2", "Mul", "d,h", variant == 5 ? "e" : "y", 0));
        if (variant == 5) M_node(m, N_new("out", "Add", "e,b", "y", 0));
        break;
    case 3: /* x * 0.5 first, then times (1 + erf(x * (1 / sqrt2))) */
        M_init(m, T_f("h", 0, NULL, &half, 0));
        M_node(m, N_new("xh", "Mul", "h,x", "xh", 0));
        sq2 = 0.70710678f;
        M_init(m, T_f("is2", 0, NULL, &sq2, 0));
        M_node(m, N_new("scale", "Mul", "x,is2", "a", 0));
        M_node(m, N_new("erf", "Erf", "a", "b", 0));
        M_init(m, T_f("one", 0, NULL, &one, 0));
        M_node(m, N_new("add", "Add", "one,b", "c", 0));
        M_node(m, N_new("mul", "Mul", "c,xh", "y", 0));
        break;
    case 4: /* the tanh form as PyTorch writes it */
        M_init(m, T_f("k", 0, NULL, &kap, 0));
        M_init(m, T_f("b", 0, NULL, &bet, 0));
        M_init(m, T_f("one", 0, NULL, &one, 0));
        M_init(m, T_f("h", 0, NULL, &half, 0));
        M_node(m, N_new("sq", "Mul", "x,x", "s", 0));
        M_node(m, N_new("cube", "Mul", "x,s", "cu", 0));
        M_node(m, N_new("kc", "Mul", "k,cu", "kc", 0));
        M_node(m, N_new("in", "Add", "x,kc", "in", 0));
        M_node(m, N_new("bi", "Mul", "b,in", "bi", 0));
        M_node(m, N_new("th", "Tanh", "bi", "t", 0));
        M_node(m, N_new("t1", "Add", "one,t", "t1", 0));
        M_node(m, N_new("xm", "Mul", "x,t1", "xm", 0));
        M_node(m, N_new("out", "Mul", "h,xm", "y", 0));
        break;
    }
    M_out(m, VI("y", 2, xd));
    M_pack(out, m);
}

static void test_functions(zk_rng *rng) {
    float x[16];
    for (int i = 0; i < 16; i++) x[i] = 3 * frand(rng);
    for (int variant = 0; variant < 6; variant++) {
        zk_buf b;
        gelu_model(&b, variant);
        nn_graph *g;
        zk_err e = onnx_import(&g, b.data, b.len, NULL, 0);
        zk_buf_free(&b);
        if (variant == 5) { /* not fused: the Erf stays, the Div is a Mul by 1/sqrt2 */
            TEST_REQUIRE(e == ZK_OK);
            TEST_CHECK(count_op(g, NN_GELU) == 0 && count_op(g, NN_ERF) == 1 && count_op(g, NN_MUL) == 3);
            nn_graph_free(g);
            continue;
        }
        TEST_REQUIRE(e == ZK_OK);
        TEST_CHECK(g->nnodes == 1 && count_op(g, NN_GELU) == 1);
        int tanh_form = variant == 1 || variant == 4;
        TEST_CHECK(g->nodes[0].a.iattr[0] == tanh_form);
        float **v;
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        for (int i = 0; i < 16; i++) {
            double xi = x[i], want = tanh_form ? 0.5 * xi * (1 + tanh(sqrt(2 / M_PI) * (xi + 0.044715 * xi * xi * xi)))
                                               : 0.5 * xi * (1 + erf(xi / sqrt(2)));
            TEST_CHECK(fabs(v[g->output][i] - want) <= 1e-5);
        }
        nn_values_free(v, g);
        nn_graph_free(g);
    }
    /* Clip with attribute bounds (opset 6) and with constant inputs (opset 13) agree */
    float out[2][16];
    for (int k = 0; k < 2; k++) {
        Onnx__ModelProto *m = M_new(k ? 13 : 6);
        int64_t xd[2] = {2, 8};
        M_in(m, VI("x", 2, xd));
        if (k) {
            float lo = -0.5f, hi = 1.25f;
            M_init(m, T_f("lo", 0, NULL, &lo, 0));
            M_init(m, T_f("hi", 0, NULL, &hi, 0));
            M_node(m, N_new("clip", "Clip", "x,lo,hi", "y", 0));
        } else {
            M_node(m, N_new("clip", "Clip", "x", "y", 2, A_f("min", -0.5f), A_f("max", 1.25f)));
        }
        M_out(m, VI("y", 2, xd));
        zk_buf b;
        M_pack(&b, m);
        nn_graph *g;
        TEST_REQUIRE(onnx_import(&g, b.data, b.len, NULL, 0) == ZK_OK);
        float **v;
        TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
        memcpy(out[k], v[g->output], sizeof out[k]);
        for (int i = 0; i < 16; i++) TEST_CHECK(out[k][i] == fminf(fmaxf(x[i], -0.5f), 1.25f));
        nn_values_free(v, g);
        nn_graph_free(g);
        zk_buf_free(&b);
    }
    /* a computed Clip bound or PRelu slope is refused, naming the node */
    {
        Onnx__ModelProto *m = M_new(13);
        int64_t xd[2] = {2, 8};
        M_in(m, VI("x", 2, xd));
        M_node(m, N_new("r", "Relu", "x", "s", 0));
        M_node(m, N_new("pr", "PRelu", "x,s", "y", 0));
        M_out(m, VI("y", 2, xd));
        zk_buf b;
        M_pack(&b, m);
        nn_graph *g;
        TEST_CHECK(onnx_import(&g, b.data, b.len, NULL, 0) == ZK_EINPUT && strstr(zk_reason(), "\"pr\" (PRelu)") &&
                   strstr(zk_reason(), "slope must be a constant"));
        zk_buf_free(&b);
    }
}

static void test_tensor_read(void) {
    int64_t d[2] = {2, 3};
    float v[6] = {1.5f, -2, 3, 4, 5, -6.25f};
    for (int raw = 0; raw < 2; raw++) {
        Onnx__TensorProto *t = T_f("t", 2, d, v, raw);
        size_t n = onnx__tensor_proto__get_packed_size(t);
        uint8_t *p = zk_malloc(n);
        onnx__tensor_proto__pack(t, p);
        float *data;
        nn_shape s;
        char *name;
        TEST_REQUIRE(onnx_read_tensor(&data, &s, &name, p, n) == ZK_OK);
        TEST_CHECK(strcmp(name, "t") == 0 && s.ndim == 2 && s.d[0] == 2 && s.d[1] == 3);
        TEST_CHECK(memcmp(data, v, sizeof v) == 0);
        free(data);
        free(name);
        /* data that disagrees with the dims */
        t->dims[1] = 4;
        size_t n2 = onnx__tensor_proto__get_packed_size(t);
        uint8_t *p2 = zk_malloc(n2);
        onnx__tensor_proto__pack(t, p2);
        TEST_CHECK(onnx_read_tensor(&data, &s, &name, p2, n2) == ZK_EFORMAT);
        free(p2);
        free(p);
        onnx__tensor_proto__free_unpacked(t, NULL);
    }
    /* messages nested beyond the limit: refused before protobuf-c recurses */
    zk_buf b;
    zk_buf_init(&b);
    for (int depth = 0; depth < 400; depth++) {
        /* GraphProto.node(1) { NodeProto.attribute(5) { AttributeProto.g(6) { ... } } } */
        static const uint8_t tags[3] = {(6 << 3) | 2, (5 << 3) | 2, (1 << 3) | 2};
        for (int k = 0; k < 3; k++) {
            zk_buf w;
            zk_buf_init(&w);
            uint8_t hdr[11];
            size_t h = 0, len = b.len;
            hdr[h++] = tags[k];
            do {
                hdr[h++] = (uint8_t)((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
                len >>= 7;
            } while (len);
            zk_buf_put(&w, hdr, h);
            zk_buf_put(&w, b.data, b.len);
            zk_buf_free(&b);
            b = w;
        }
    }
    uint8_t hdr[8] = {(7 << 3) | 2}; /* ModelProto.graph(7) */
    size_t h = 1, len = b.len;
    do {
        hdr[h++] = (uint8_t)((len & 0x7f) | (len > 0x7f ? 0x80 : 0));
        len >>= 7;
    } while (len);
    zk_buf m;
    zk_buf_init(&m);
    zk_buf_put(&m, hdr, h);
    zk_buf_put(&m, b.data, b.len);
    nn_graph *g;
    TEST_CHECK(onnx_import(&g, m.data, m.len, NULL, 0) == ZK_EFORMAT);
    TEST_CHECK(strstr(zk_reason(), "nest") != NULL);
    zk_buf_free(&m);
    zk_buf_free(&b);
}

/* Two PyTorch 1.13 exports kept as fuzz seeds (dynamic batch, exporter
 * glue for view/flatten/F.pad, BatchNorm kept by TrainingMode.PRESERVE,
 * depthwise and 1-D convs, ceil_mode, count_include_pad, LeakyRelu,
 * BN1d -> affine), run on x[i] = sin(0.37 i + 0.1) with batch 2; the
 * expected outputs are PyTorch's. Generated by:
 *   torch.manual_seed(0); class Glue: conv3x3(1->2,pad 1), BN2d, relu,
 *     max_pool2d(2, ceil_mode), avg_pool2d(F.pad(x,(0,1,0,1)), 2),
 *     Linear(8,3)(x.view(x.size(0), -1)) + 1;
 *   class Misc: conv3x3(4->8, groups 4, pad 1, stride 2), leaky_relu(0.1),
 *     max_pool2d(3,2,1,ceil_mode), avg_pool2d(3,1,1,ceil_mode,
 *     count_include_pad), conv1x1 * 0.5 - 1, conv1d(8->4,3,pad 2,dil 2) on
 *     x.flatten(2), max_pool1d(2), adaptive_max_pool1d(1), BN1d, Linear(4,5);
 *   BN running stats uniform(-0.5,0.5)/(0.5,2), weight uniform(0.5,1.5);
 *   torch.onnx.export(opset 13, PRESERVE, do_constant_folding=False,
 *     dynamic_axes batch). */
static void test_pytorch_seeds(void) {
    static const struct {
        const char *file;
        nn_shape in;
        int nout;
        float out[10];
    } cases[] = {
        {"glue.onnx", {4, {2, 1, 7, 7}}, 6,
         {0.779208422f, 0.762563229f, 1.22153139f, 0.734160304f, 0.761457264f, 1.20820546f}},
        {"misc.onnx", {4, {2, 4, 13, 11}}, 10,
         {-0.351346076f, 0.255521417f, 0.234497085f, -0.189006314f, 0.00871662796f, -0.348762661f, 0.253500044f,
          0.231804341f, -0.188535392f, 0.004701294f}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/fuzz/seeds/fuzz_onnx/%s", cases[i].file);
        zk_buf b;
        zk_buf_init(&b);
        if (zk_read_file(path, &b) != ZK_OK) {
            fprintf(stderr, "onnx: %s missing\n", path);
            TEST_CHECK(0);
            continue;
        }
        onnx_feed feed = {(char *)"x", cases[i].in, NULL};
        nn_graph *g;
        zk_err e = onnx_import(&g, b.data, b.len, &feed, 1);
        if (e) fprintf(stderr, "onnx: %s: %s\n", path, zk_reason());
        TEST_CHECK(e == ZK_OK);
        if (!e) {
            int64_t n = nn_numel(&cases[i].in);
            float *x = zk_malloc_n((size_t)n, sizeof *x), **v;
            for (int64_t k = 0; k < n; k++) x[k] = (float)sin(0.37 * (double)k + 0.1);
            TEST_REQUIRE(nn_run_float(&v, g, x) == ZK_OK);
            TEST_CHECK(nn_numel(&g->tensors[g->output].shape) == cases[i].nout);
            for (int k = 0; k < cases[i].nout; k++) TEST_CHECK(close_enough(v[g->output][k], cases[i].out[k]));
            TEST_CHECK(count_op(g, NN_AFFINE) == (i == 1)); /* BN2d folded into the conv, BN1d not */
            nn_values_free(v, g);
            free(x);
            nn_graph_free(g);
        }
        zk_buf_free(&b);
    }
}

/* Every models/ *.onnx: imports, and runs on its sample input or zeros. */
static void test_project_models(void) {
    DIR *d = opendir("models");
    if (!d) return;
    long found = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".onnx") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "models/%s", de->d_name);
        zk_buf b;
        zk_buf_init(&b);
        TEST_REQUIRE(zk_read_file(path, &b) == ZK_OK);
        nn_graph *g;
        zk_err e = onnx_import(&g, b.data, b.len, NULL, 0);
        if (e) fprintf(stderr, "onnx: %s: %s\n", path, zk_reason());
        TEST_CHECK(e == ZK_OK);
        if (!e) {
            int64_t cnt = nn_numel(&g->tensors[g->input].shape);
            float *x = zk_calloc((size_t)cnt, sizeof *x), **v;
            TEST_CHECK(nn_run_float(&v, g, x) == ZK_OK);
            int64_t no = nn_numel(&g->tensors[g->output].shape);
            int finite = 1;
            for (int64_t k = 0; k < no; k++) finite &= isfinite(v[g->output][k]);
            TEST_CHECK(finite);
            nn_values_free(v, g);
            free(x);
            nn_graph_free(g);
            found++;
        }
        zk_buf_free(&b);
    }
    closedir(d);
    if (found) printf("onnx: %ld model(s) in models/ imported and ran\n", found);
}

/* ---- ops lowered onto the nn op set (issue 12 item 4): ConvTranspose,
 * ReduceSum/ReduceMean, Max/Min/Sum/Mean, Div, Gemm with transA/transB on
 * computed operands, each imported from a random model and run by the
 * float engine, against the operator computed directly ---- */

/* Imports m (freed) and runs it on x: the number of output cells that
 * differ from ref (shape nd, yd), a large count for another shape, -1
 * when the importer refuses. *g (if g) keeps the graph. */
static long lowered_run(Onnx__ModelProto *m, const float *x, int nd, const int64_t *yd, const double *ref,
                        nn_graph **gout) {
    zk_buf b;
    M_pack(&b, m);
    nn_graph *g;
    zk_err e = onnx_import(&g, b.data, b.len, NULL, 0);
    zk_buf_free(&b);
    if (e != ZK_OK) {
        fprintf(stderr, "lowered: %s\n", zk_reason());
        return -1;
    }
    const nn_shape *os = &g->tensors[g->output].shape;
    long bad = os->ndim == nd ? 0 : 1000000;
    int64_t n = 1;
    for (int i = 0; i < nd && !bad; i++) {
        bad = os->d[i] == yd[i] ? 0 : 1000000;
        n *= yd[i];
    }
    if (!bad) {
        float **v;
        if (nn_run_float(&v, g, x) != ZK_OK) {
            fprintf(stderr, "lowered: %s\n", zk_reason());
            bad = 1000000;
        } else {
            for (int64_t k = 0; k < n; k++) bad += !close_enough(v[g->output][k], (float)ref[k]);
            nn_values_free(v, g);
        }
    }
    if (gout) *gout = g;
    else nn_graph_free(g);
    return bad;
}

/* ConvTranspose, 1-D and 2-D, with groups, strides, dilations, bias, and
 * pads, output_shape or auto_pad SAME_*, against the scatter form
 * y[o = i s - p_begin + k d] += x[i] W[k]. */
static void test_convtranspose_random(zk_rng *rng) {
    long cases = 0, bad = 0;
    for (int it = 0; it < 60; it++) {
        int sp = (int)irand(rng, 1, 2), mode = (int)irand(rng, 0, 3); /* pads, output_shape, SAME_UPPER, SAME_LOWER */
        int64_t N = irand(rng, 1, 2), G = irand(rng, 1, 2), Cg = irand(rng, 1, 2), Mg = irand(rng, 1, 3);
        int64_t C = G * Cg, M = G * Mg;
        /* axis 1 is the last spatial axis; a 1-D op has axis 0 of length 1 */
        int64_t L[2] = {1, 1}, k[2] = {1, 1}, s[2] = {1, 1}, d[2] = {1, 1}, pb[2] = {0, 0}, pe[2] = {0, 0};
        int64_t op[2] = {0, 0}, O[2] = {1, 1};
        for (int a = 2 - sp; a < 2; a++) {
            L[a] = irand(rng, 1, 4), k[a] = irand(rng, 1, 3), s[a] = irand(rng, 1, 3), d[a] = irand(rng, 1, 2);
            op[a] = irand(rng, 0, (s[a] > d[a] ? s[a] : d[a]) - 1);
            int64_t full = s[a] * (L[a] - 1) + op[a] + (k[a] - 1) * d[a] + 1;
            if (mode == 0) {
                pb[a] = irand(rng, 0, k[a] - 1), pe[a] = irand(rng, 0, k[a] - 1);
                if (full - pb[a] - pe[a] < 1) pb[a] = pe[a] = 0;
                O[a] = full - pb[a] - pe[a];
            } else {
                O[a] = mode == 1 ? irand(rng, full > 3 ? full - 3 : 1, full + 2) : L[a] * s[a];
                int64_t total = full - O[a];
                pb[a] = total <= 0 ? 0 : mode == 2 ? total / 2 : total - total / 2;
            }
        }
        int64_t nx = N * C * L[0] * L[1], nw = C * Mg * k[0] * k[1], ny = N * M * O[0] * O[1];
        float *x = rand_data(rng, nx), *w = rand_data(rng, nw), *bias = rand_data(rng, M);
        int has_b = (int)irand(rng, 0, 1);
        double *ref = zk_calloc((size_t)ny, sizeof *ref);
        for (int64_t n = 0; n < N; n++)
            for (int64_t m = 0; m < M; m++)
                for (int64_t o = 0; o < O[0] * O[1]; o++) ref[(n * M + m) * O[0] * O[1] + o] = has_b ? bias[m] : 0;
        for (int64_t n = 0; n < N; n++)
            for (int64_t c = 0; c < C; c++)
                for (int64_t m = 0; m < Mg; m++)
                    for (int64_t i0 = 0; i0 < L[0]; i0++)
                        for (int64_t i1 = 0; i1 < L[1]; i1++)
                            for (int64_t k0 = 0; k0 < k[0]; k0++)
                                for (int64_t k1 = 0; k1 < k[1]; k1++) {
                                    int64_t o0 = i0 * s[0] - pb[0] + k0 * d[0], o1 = i1 * s[1] - pb[1] + k1 * d[1];
                                    if (o0 < 0 || o0 >= O[0] || o1 < 0 || o1 >= O[1]) continue;
                                    int64_t mo = (c / Cg) * Mg + m;
                                    ref[((n * M + mo) * O[0] + o0) * O[1] + o1] +=
                                        (double)x[((n * C + c) * L[0] + i0) * L[1] + i1] *
                                        w[((c * Mg + m) * k[0] + k0) * k[1] + k1];
                                }
        Onnx__ModelProto *mp = M_new(13);
        int64_t xd[4] = {N, C, L[0], L[1]}, wd[4] = {C, Mg, k[0], k[1]}, yd[4] = {N, M, O[0], O[1]}, bd[1] = {M};
        if (sp == 1) xd[2] = L[1], wd[2] = k[1], yd[2] = O[1];
        int64_t pads[4] = {pb[2 - sp], pb[1], pe[2 - sp], pe[1]};
        M_in(mp, VI("x", sp + 2, xd));
        M_init(mp, T_f("W", sp + 2, wd, w, 1));
        if (has_b) M_init(mp, T_f("B", 1, bd, bias, 0));
        Onnx__AttributeProto *last = mode == 0 ? A_ints("pads", 2 * sp, sp == 1 ? (int64_t[]){pb[1], pe[1]} : pads)
                                     : mode == 1 ? A_ints("output_shape", sp, O + 2 - sp)
                                                 : A_s("auto_pad", mode == 2 ? "SAME_UPPER" : "SAME_LOWER");
        M_node(mp, N_new("ct", "ConvTranspose", has_b ? "x,W,B" : "x,W", "y", 5, A_ints("strides", sp, s + 2 - sp),
                         A_ints("dilations", sp, d + 2 - sp), A_i("group", G), A_ints("output_padding", sp, op + 2 - sp),
                         last));
        M_out(mp, VI("y", sp + 2, yd));
        nn_graph *g = NULL;
        long b = lowered_run(mp, x, sp + 2, yd, ref, &g);
        TEST_CHECK(b >= 0);
        if (b >= 0) {
            bad += b;
            cases++;
            TEST_CHECK(count_op(g, NN_CONV) == 1);
            nn_graph_free(g);
        }
        free(x), free(w), free(bias), free(ref);
    }
    TEST_CHECK(cases == 60 && bad == 0);
}

/* ReduceSum and ReduceMean over random axes (attribute, or input from
 * opset 13 for ReduceSum), keepdims both ways, no axes with and without
 * noop_with_empty_axes. */
static void test_reduce_random(zk_rng *rng) {
    long cases = 0, bad = 0;
    for (int it = 0; it < 80; it++) {
        int mean = it & 1, r = (int)irand(rng, 1, 4), keep = (int)irand(rng, 0, 1), noop = (int)irand(rng, 0, 1);
        int64_t xd[4], yd[4], nx = 1, axes[4];
        unsigned mask = (unsigned)irand(rng, 0, (1 << r) - 1);
        int na = 0, ny = 0, input_axes = !mean && irand(rng, 0, 1);
        for (int i = 0; i < r; i++) {
            xd[i] = irand(rng, 1, 4), nx *= xd[i];
            if (mask >> i & 1) axes[na++] = irand(rng, 0, 1) ? i : i - r;
        }
        unsigned red = na ? mask : noop ? 0 : (1u << r) - 1;
        if (red == (1u << r) - 1) keep = 1; /* no rank-0 outputs here */
        for (int i = 0; i < r; i++)
            if (!(red >> i & 1) || keep) yd[ny++] = red >> i & 1 ? 1 : xd[i];
        int64_t n_out = 1, n_red = 1;
        for (int i = 0; i < ny; i++) n_out *= yd[i];
        for (int i = 0; i < r; i++)
            if (red >> i & 1) n_red *= xd[i];
        float *x = rand_data(rng, nx);
        double *ref = zk_calloc((size_t)n_out, sizeof *ref);
        for (int64_t k = 0; k < nx; k++) { /* output cell: the kept coordinates */
            int64_t rem = k, o = 0, st = 1;
            for (int i = r - 1; i >= 0; i--) {
                int64_t c = rem % xd[i];
                rem /= xd[i];
                if (!(red >> i & 1)) o += c * st, st *= xd[i];
            }
            ref[o] += x[k];
        }
        if (mean)
            for (int64_t o = 0; o < n_out; o++) ref[o] /= (double)n_red;
        Onnx__ModelProto *m = M_new(input_axes ? 13 : 11);
        M_in(m, VI("x", r, xd));
        const char *op = mean ? "ReduceMean" : "ReduceSum";
        int64_t nad[1] = {na};
        if (na && input_axes) {
            M_init(m, T_i64("axes", 1, nad, axes));
            M_node(m, N_new("red", op, "x,axes", "y", 2, A_i("keepdims", keep), A_i("noop_with_empty_axes", noop)));
        } else if (na) {
            M_node(m, N_new("red", op, "x", "y", 2, A_i("keepdims", keep), A_ints("axes", na, axes)));
        } else {
            M_node(m, N_new("red", op, "x", "y", 2, A_i("keepdims", keep), A_i("noop_with_empty_axes", noop)));
        }
        M_out(m, VI("y", ny, yd));
        long b = lowered_run(m, x, ny, yd, ref, NULL);
        TEST_CHECK(b >= 0);
        if (b >= 0) bad += b, cases++;
        free(x), free(ref);
    }
    TEST_CHECK(cases == 80 && bad == 0);
}

/* Max, Min, Sum, Mean over x [a,b,c], the computed r = ReduceMean(x, axis
 * 1, keepdims) [a,1,c] (broadcast against x) and a constant [c], in random
 * order and number; Div of x by a constant [b,c]. */
static void test_variadic_random(zk_rng *rng) {
    static const char *const ops[5] = {"Max", "Min", "Sum", "Mean", "Div"};
    long cases = 0, bad = 0;
    for (int it = 0; it < 60; it++) {
        int which = it % 5;
        int64_t a = irand(rng, 1, 3), bb = irand(rng, 1, 3), cc = irand(rng, 1, 4), n = a * bb * cc;
        int64_t xd[3] = {a, bb, cc}, kd[2] = {bb, cc}, one[1] = {1};
        float *x = rand_data(rng, n), *k = rand_data(rng, which == 4 ? bb * cc : cc);
        if (which == 4)
            for (int64_t i = 0; i < bb * cc; i++) k[i] = k[i] < 0 ? k[i] - 0.5f : k[i] + 0.5f;
        double *rr = zk_calloc((size_t)(a * cc), sizeof *rr), *ref = zk_calloc((size_t)n, sizeof *ref);
        for (int64_t i = 0; i < n; i++) rr[(i / (bb * cc)) * cc + i % cc] += x[i] / (double)bb;
        /* the inputs by name, the first nin of a random order of x, r, k */
        const char *names[3] = {"x", "r", "k"};
        int perm[3] = {0, 1, 2}, nin = which == 4 ? 2 : (int)irand(rng, 2, 3);
        for (int i = 2; i > 0; i--) {
            int j = (int)irand(rng, 0, i), t = perm[i];
            perm[i] = perm[j], perm[j] = t;
        }
        if (which == 4) perm[0] = 0, perm[1] = 2; /* x / k */
        if (nin == 2 && perm[0] && perm[1]) perm[1] = 0; /* x among them: the output is x's shape */
        char in[16] = "";
        for (int i = 0; i < nin; i++) snprintf(in + strlen(in), sizeof in - strlen(in), "%s%s", i ? "," : "", names[perm[i]]);
        for (int64_t i = 0; i < n; i++) {
            double v[3] = {x[i], rr[(i / (bb * cc)) * cc + i % cc], which == 4 ? k[i % (bb * cc)] : k[i % cc]};
            double acc = v[perm[0]];
            for (int j = 1; j < nin; j++) {
                double u = v[perm[j]];
                acc = which == 0 ? fmax(acc, u) : which == 1 ? fmin(acc, u) : which == 4 ? acc / u : acc + u;
            }
            ref[i] = which == 3 ? acc / nin : acc;
        }
        Onnx__ModelProto *m = M_new(13);
        int64_t ax[1] = {1};
        M_in(m, VI("x", 3, xd));
        M_init(m, T_f("k", which == 4 ? 2 : 1, which == 4 ? kd : xd + 2, k, 1));
        M_init(m, T_i64("ax", 1, one, ax));
        M_node(m, N_new("rm", "ReduceMean", "x", "r", 2, A_ints("axes", 1, ax), A_i("keepdims", 1)));
        M_node(m, N_new("op", ops[which], in, "y", 0));
        M_out(m, VI("y", 3, xd));
        long b = lowered_run(m, x, 3, xd, ref, NULL);
        TEST_CHECK(b >= 0);
        if (b >= 0) bad += b, cases++;
        free(x), free(k), free(rr), free(ref);
    }
    TEST_CHECK(cases == 60 && bad == 0);
}

/* Gemm y = alpha op(A) op(B) + beta C with transA/transB on computed
 * operands: A = x with a constant B, A = B = x (both computed), and a
 * constant A with B = x; MatMul of a constant and a computed operand. */
static void test_gemm_trans(zk_rng *rng) {
    for (int it = 0; it < 18; it++) {
        int mode = it % 3, ta = mode < 2 ? 1 : (int)irand(rng, 0, 1), tb = (int)irand(rng, 0, 1);
        int matmul = mode == 2 && it % 2 == 0;
        if (matmul) ta = tb = 0;
        /* op(A) [N, K], op(B) [K, Mo]; A = B = x needs op(x^T) and op(x) to chain */
        int64_t K = irand(rng, 1, 4), N = irand(rng, 1, 4), Mo = irand(rng, 1, 4);
        if (mode == 1) Mo = tb ? K : N, N = tb ? K : N;
        int64_t ad[2] = {ta ? K : N, ta ? N : K}, bd[2] = {tb ? Mo : K, tb ? K : Mo}, cd[1] = {Mo}, yd[2] = {N, Mo};
        float alpha = matmul ? 1.0f : 0.5f + (float)irand(rng, 0, 3) * 0.25f;
        float beta = matmul ? 0.0f : (float)irand(rng, 0, 2) * 0.5f;
        float *av = rand_data(rng, N * K), *bv = rand_data(rng, K * Mo), *cv = rand_data(rng, Mo);
        const float *x = mode == 2 ? bv : av; /* the computed operand */
        if (mode == 1) bv = memcpy(bv, av, (size_t)(N * K) * sizeof *av); /* B = x: equal sizes */
        double *ref = zk_calloc((size_t)(N * Mo), sizeof *ref);
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < Mo; o++) {
                double acc = 0;
                for (int64_t k = 0; k < K; k++)
                    acc += (double)av[ta ? k * N + n : n * K + k] * bv[tb ? o * K + k : k * Mo + o];
                ref[n * Mo + o] = alpha * acc + beta * cv[o];
            }
        Onnx__ModelProto *m = M_new(13);
        M_in(m, VI("x", 2, mode == 2 ? bd : ad));
        if (mode == 0) M_init(m, T_f("B", 2, bd, bv, 1));
        if (mode == 2) M_init(m, T_f("A", 2, ad, av, 1));
        M_init(m, T_f("C", 1, cd, cv, 0));
        const char *ins = mode == 0 ? "x,B,C" : mode == 1 ? "x,x,C" : matmul ? "A,x" : "A,x,C";
        M_node(m, matmul ? N_new("mm", "MatMul", ins, "y", 0)
                         : N_new("gemm", "Gemm", ins, "y", 4, A_i("transA", ta), A_i("transB", tb), A_f("alpha", alpha),
                                 A_f("beta", beta)));
        M_out(m, VI("y", 2, yd));
        nn_graph *g = NULL;
        long b = lowered_run(m, x, 2, yd, ref, &g);
        TEST_CHECK(b == 0);
        if (b >= 0) {
            TEST_CHECK(count_op(g, mode == 1 ? NN_MATMUL : NN_FC) == 1);
            nn_graph_free(g);
        }
        free(av), free(bv), free(cv), free(ref);
    }
}

/* Refusals of the lowered ops: one line naming node and op, ZK_EINPUT. */
static void test_lowered_refusals(void) {
    static const struct {
        const char *op, *ins, *want;
        int opset;
    } cases[] = {
        {"Div", "x,z", "reciprocal is not a finite float", 13},
        {"Div", "z,x", "division by a computed tensor", 13},
        {"ReduceSum", "x", "invalid axes", 11},
        {"ConvTranspose", "x,W3", "disagree", 13},
        {"Max", "x,bad", "do not broadcast", 13},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Onnx__ModelProto *m = M_new(cases[i].opset);
        int64_t xd[4] = {1, 2, 3, 3}, zd[1] = {3}, w3[4] = {3, 1, 2, 2}, bd[1] = {2}, ax[1] = {4};
        float z[3] = {1, 0, 2}, w[12] = {0}, bad[2] = {1, 2};
        M_in(m, VI("x", 4, xd));
        M_init(m, T_f("z", 1, zd, z, 0));
        M_init(m, T_f("W3", 4, w3, w, 0));
        M_init(m, T_f("bad", 1, bd, bad, 0));
        Onnx__NodeProto *n = strcmp(cases[i].op, "ReduceSum") == 0
                                 ? N_new("node7", cases[i].op, cases[i].ins, "y", 1, A_ints("axes", 1, ax))
                                 : N_new("node7", cases[i].op, cases[i].ins, "y", 0);
        M_node(m, n);
        M_out(m, VI("y", 4, xd));
        zk_buf b;
        M_pack(&b, m);
        nn_graph *g;
        zk_err e = onnx_import(&g, b.data, b.len, NULL, 0);
        zk_buf_free(&b);
        char want[80];
        snprintf(want, sizeof want, "node \"node7\" (%s): ", cases[i].op);
        TEST_CHECK(e == ZK_EINPUT && strstr(zk_reason(), want) == zk_reason() && strstr(zk_reason(), cases[i].want) &&
                   !strchr(zk_reason(), '\n'));
        if (e == ZK_OK) nn_graph_free(g);
        else if (!strstr(zk_reason(), cases[i].want)) fprintf(stderr, "refusal: %s\n", zk_reason());
    }
}

void test_onnx(zk_rng *rng) {
    test_conv_random(rng);
    test_pool_random(rng);
    test_maxpool_split(rng);
    test_binary_pad_random(rng);
    test_cnn_model(rng);
    test_fc_bn(rng);
    test_opsets(rng);
    test_convtranspose_random(rng);
    test_reduce_random(rng);
    test_variadic_random(rng);
    test_gemm_trans(rng);
    test_lowered_refusals();
    test_functions(rng);
    test_tensor_read();
    test_pytorch_seeds();
    test_project_models();
    test_onnx_float_conformance();
}
