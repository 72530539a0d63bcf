/* libFuzzer target: the circuit-file and circuit-input decoders.
 * The input is split at a length given by its first two bytes into a
 * circuit file and an input file; both are decoded strictly. A circuit
 * that decodes is small enough (by the decoder's limits) to evaluate, and
 * with inputs that decode it is evaluated. */
#include "../../src/io/cinput.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t split = (size_t)data[0] << 8 | data[1];
    data += 2, size -= 2;
    if (split > size) split = size;
    gkr_circuit *c = NULL;
    if (gkr_circuit_deserialize(&c, data, split) != ZK_OK) return 0;
    uint64_t total = 0;
    for (size_t l = 0; l < c->nlayers; l++) total += (uint64_t)1 << c->layers[l].nvars;
    fm61 **in = NULL;
    if (cinput_deserialize(&in, c, data + split, size - split, 0) == ZK_OK) {
        if (total <= (1u << 16)) gkr_witness_free(gkr_witness_new(c, (const fm61 *const *)in));
        cinput_free(in, c->nlayers);
    }
    gkr_circuit_free(c);
    return 0;
}
