/* libFuzzer target: the EZKL-JSON input decoder and the quantized-model
 * decoder. The first byte picks the decoder (even: JSON with a sample size
 * of 1 + second byte % 8; odd: q_model_deserialize). A model that decodes
 * has passed q_model_validate, so it must run without overflow or
 * out-of-bounds access (sanitizers watch), and its honest witness must pass
 * q_witness_check; it is run when its tensors are small. */
#include <math.h>
#include <string.h>

#include "../../src/io/inputs.h"
#include "../../src/quant/quant.h"

static void fuzz_model(const uint8_t *data, size_t size) {
    q_model *m = NULL;
    if (q_model_deserialize(&m, data, size) != ZK_OK) return;
    int64_t total = 0, work = 0;
    for (size_t t = 0; t < m->ntensors; t++) total += q_numel(m, (int32_t)t);
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        int64_t per = nd->nw ? (int64_t)nd->nw : 1;
        if (nd->op == NN_MATMUL) per = m->tensors[nd->in[0]].shape.d[1];
        if (nd->op == NN_MAXPOOL || nd->op == NN_AVGPOOL) per = nd->kernel[0] * nd->kernel[1];
        if (nd->op == NN_GLOBALAVGPOOL || nd->op == NN_GLOBALMAXPOOL) per = q_numel(m, nd->in[0]);
        work += q_numel(m, (int32_t)i + 1) * (per < (1 << 20) ? per : (1 << 20));
    }
    if (total <= (1 << 16) && work <= (1 << 22)) {
        int64_t n0 = q_numel(m, 0);
        int64_t *x = calloc((size_t)n0, sizeof *x);
        int64_t A = (int64_t)1 << (m->s.b_act - 1);
        for (int64_t i = 0; i < n0; i++) x[i] = (i & 1 ? A - 1 : -(A - 1)) >> (i % 7);
        q_witness *w = NULL;
        if (q_run(&w, m, x) == ZK_OK && q_witness_check(m, w) != ZK_OK) abort();
        q_witness_free(w);
        free(x);
    }
    zk_buf b;
    zk_buf_init(&b);
    q_model_serialize(&b, m); /* canonical: re-encoding gives the same bytes */
    if (b.len != size || memcmp(b.data, data, size) != 0) abort();
    zk_buf_free(&b);
    q_model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    if (data[0] & 1) {
        fuzz_model(data + 1, size - 1);
        return 0;
    }
    size_t numel = 1 + data[1] % 8, ns = 0;
    float *v = NULL;
    if (in_parse_json(&v, &ns, data + 2, size - 2, numel) == ZK_OK) {
        if (ns < 1 || !v) abort();
        for (size_t i = 0; i < ns * numel; i++)
            if (!isfinite(v[i])) abort();
        free(v);
    }
    return 0;
}
