/* libFuzzer target: the proof decoder and verifier on hostile bytes.
 *
 * A fixed small circuit and a valid proof for it are built once. The fuzz
 * input's first byte picks how the rest is used:
 *   < 128  xor the rest into the valid proof file (coverage-guided search
 *          around a valid proof: deep verifier paths are reached),
 *   < 192  truncate the valid proof to a length taken from the next bytes,
 *   else   the rest is the proof file itself.
 * The verifier must return without crashing, leaking or reading out of
 * bounds (ASan/UBSan), and must not accept anything but the valid proof. */
#include <string.h>

#include "../../src/gkr/gkr.h"
#include "../../src/proof/proof.h"

static gkr_circuit *circ;
static fm61 **inputs;
static zk_buf valid;

static void setup(void) {
    zk_rng rng;
    zk_rng_seed(&rng, 42);
    circ = gkr_circuit_random(&rng, 3, 2);
    inputs = gkr_inputs_random(&rng, circ);
    gkr_witness *w = gkr_witness_new(circ, (const fm61 *const *)inputs);
    zk_buf body;
    zk_buf_init(&body);
    tr_t *tr = tr_new_prover(GKR_PROTOCOL, &body);
    gkr_prove(tr, circ, w, &pcs_ligero);
    tr_free(tr);
    zk_buf_init(&valid);
    proof_wrap(&valid, PROOF_KIND_CIRCUIT, body.data, body.len);
    zk_buf_free(&body);
    gkr_witness_free(w);
}

static int verify_file(const uint8_t *f, size_t len) {
    const uint8_t *body;
    size_t blen;
    if (proof_unwrap(&body, &blen, f, len, PROOF_KIND_CIRCUIT) != ZK_OK) return 0;
    tr_t *tr = tr_new_verifier(GKR_PROTOCOL, body, blen);
    zk_err e = gkr_verify(tr, NULL, circ, (const fm61 *const *)inputs, &pcs_ligero);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e == ZK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!circ) setup();
    if (size == 0) return 0;
    uint8_t mode = data[0];
    data++, size--;
    if (mode < 128) {
        uint8_t *p = malloc(valid.len);
        memcpy(p, valid.data, valid.len);
        int changed = 0;
        for (size_t i = 0; i < size && i < valid.len; i++) p[i] ^= data[i], changed |= data[i];
        int ok = verify_file(p, valid.len);
        if (ok && changed) __builtin_trap(); /* a changed proof was accepted */
        free(p);
    } else if (mode < 192) {
        size_t cut = 0;
        for (size_t i = 0; i < size && i < 4; i++) cut = cut << 8 | data[i];
        cut %= valid.len;
        if (verify_file(valid.data, cut)) __builtin_trap();
    } else {
        int ok = verify_file(data, size);
        if (ok && (size != valid.len || memcmp(data, valid.data, size) != 0)) __builtin_trap();
    }
    return 0;
}
