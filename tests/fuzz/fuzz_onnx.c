/* libFuzzer target: the ONNX importer. The input is a ModelProto; it is
 * imported without feeds, and a graph that imports and is cheap enough
 * (by nn_node_macs) is run on zeros with the float reference engine. */
#include "../../src/onnx/onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nn_graph *g;
    if (onnx_import(&g, data, size, NULL, 0) != ZK_OK) return 0;
    int64_t work = nn_numel(&g->tensors[g->input].shape);
    for (size_t k = 0; k < g->nnodes && work <= (1 << 22); k++) {
        int64_t w = nn_node_macs(g, &g->nodes[k]), o = nn_numel(&g->tensors[g->nodes[k].out].shape);
        work += w > o ? w : o;
    }
    if (work <= (1 << 22)) {
        float *x = zk_calloc((size_t)nn_numel(&g->tensors[g->input].shape), sizeof *x), **v;
        if (nn_run_float(&v, g, x) != ZK_OK) __builtin_trap(); /* an imported graph always runs */
        nn_values_free(v, g);
        free(x);
    }
    nn_graph_free(g);
    return 0;
}
