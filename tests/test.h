/* test.h -- the 20-line harness shared by every module's tests.
 *
 * Each tests/test_<module>.c defines `void test_<module>(zk_rng *rng)`,
 * listed in tests/test_main.c. TEST_CHECK records a failure with file and
 * line and carries on; the driver prints "N passed, N failed" at the end.
 * Random tests draw from the seeded rng; the driver prints the seed
 * (set GKRCNN_TEST_SEED to replay one). GKRCNN_TEST_VERBOSE prints more;
 * GKRCNN_TEST_SLOW adds checks too slow for make test (the arith module's
 * full PLONK proof of a forged table).
 */
#ifndef GKRCNN_TEST_H
#define GKRCNN_TEST_H

#include <stdio.h>
#include "../src/core/zk.h"
#include "../src/fields/fp2.h"
#include "../src/transcript/tr.h"

extern long test_passed, test_failed;
extern const char *test_current;

#define TEST_CHECK(cond)                                                          \
    do {                                                                          \
        if (cond)                                                                 \
            test_passed++;                                                        \
        else {                                                                    \
            test_failed++;                                                        \
            fprintf(stderr, "FAIL %s: %s:%d: %s\n", test_current, __FILE__, __LINE__, #cond); \
        }                                                                         \
    } while (0)

/* Checks that stop the current test function on failure. */
#define TEST_REQUIRE(cond)      \
    do {                        \
        int ok_ = !!(cond);     \
        TEST_CHECK(ok_);        \
        if (!ok_) return;       \
    } while (0)

/* ONNX model + calibration file -> quantized model (default settings),
 * for the tests that need a real model (test_util.c). Returns 0, after
 * printing "skipped", when a file is missing; 0 with a failed check when
 * import or quantization fails; 1 and *m otherwise. */
#include "../src/quant/quant.h"
int test_quantize_model(q_model **m, const char *path, const char *calib);
/* The input file at path (in_load_one) quantized for m (malloc'd); NULL,
 * after a failed check, if it cannot be read or quantized. */
int64_t *test_quantized_input(const q_model *m, const char *path);

/* Small nn graphs built by hand (test_util.c): gb_new an empty graph;
 * gb_t a tensor (a constant when data != NULL); gb_attrs default
 * attributes (strides, dilations, group 1); gb_n a node whose output shape
 * nn_infer_shape computes (Reshape: reshape_to), which becomes the graph
 * output; returns its output tensor. test_strdup: a malloc'd copy. */
char *test_strdup(const char *s);
/* Selects the portable kernels of the table passes and sumchecks
 * (GKRCNN_NO_AVX512, see mle.h) when on, the default ones again when off. */
void test_portable_kernels(int on);
nn_graph *gb_new(void);
int gb_t(nn_graph *g, const char *name, int ndim, const int64_t *d, const float *data);
nn_attrs gb_attrs(void);
int gb_n(nn_graph *g, nn_op op, nn_attrs a, int nin, int i0, int i1, int i2, const nn_shape *reshape_to);

/* Per-coordinate histograms of transcripts (test_util.c), for the
 * simulator tests (test_zsc, test_zlayer): a transcript of ncoord 8-byte
 * coordinates (re and im of each F_{p^2} value), counts of each
 * coordinate's top 4 bits. chi2_range: the largest chi-square against the
 * uniform law over coordinates [lo, hi) (with GKRCNN_TEST_VERBOSE, each
 * above show > 0 printed); chi2_two: the largest two-sample chi-square
 * (equal sample sizes). Free cnt. */
#define TEST_HIST_BUCKETS 16
typedef struct {
    size_t ncoord;
    long *cnt; /* ncoord x TEST_HIST_BUCKETS */
} test_hist;
void test_hist_init(test_hist *h, size_t ncoord);
void test_hist_add(test_hist *h, const zk_buf *proof);
double test_hist_chi2_range(const test_hist *h, size_t runs, size_t lo, size_t hi, double show);
double test_hist_chi2_two(const test_hist *a, const test_hist *b);

/* A simulated sumcheck round (test_util.c; the simulators of test_zsc and
 * test_zlayer, papers/protocol.md sec. 3.1.5): uniform coefficients of
 * X^1..X^d, the constant from g(0) + g(1) = claim, the values g(0..d) sent
 * as "sc/round"; the challenge "sc/r" drawn into *x; returns g(*x). */
fp2 test_sim_round(tr_t *tr, zk_rng *rng, unsigned d, fp2 claim, fp2 *x);

#endif
