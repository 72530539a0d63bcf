/* test_util.c -- helpers shared by several modules' tests. */
#include <stdlib.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/onnx/onnx.h"
#include "test.h"

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
