/* libFuzzer target: the proof decoder and verifier on hostile bytes.
 *
 * Two fixed small circuits and a valid proof for each are built once:
 *   0  a random circuit (committed and public input, two gate layers);
 *   1  a hand-built one with the shapes the random generator never makes:
 *      a mul-free layer, a layer of constants only, a layer of 0 variables
 *      (sumchecks of 0 rounds), two committed layers (two openings).
 * The fuzz input's first byte picks the circuit (bit 0) and how the rest is
 * used (the other bits, m = byte >> 1):
 *   m < 64  xor the rest into the valid proof file (coverage-guided search
 *           around a valid proof: deep verifier paths are reached),
 *   m < 96  truncate the valid proof to a length taken from the next bytes,
 *   else    the rest is the proof file itself.
 * The verifier must return without crashing, leaking or reading out of
 * bounds (ASan/UBSan), and must not accept anything but the valid proof. */
#include <string.h>

#include "../../src/gkr/gkr.h"
#include "../../src/proof/proof.h"

static struct {
    gkr_circuit *circ;
    fm61 **inputs;
    zk_buf valid;
} fz[2];

/* 0 committed (2 vars), 1 public (1), 2 mul-free (2), 3 constants (1),
 * 4 (0 vars, left input from 1), 5 committed (1), 6 output (2, left input 4) */
static gkr_circuit *hand_built(void) {
    gkr_circuit *c = gkr_circuit_new(7);
    c->layers[0] = (gkr_layer){.kind = GKR_INPUT_COMMITTED, .nvars = 2};
    c->layers[1] = (gkr_layer){.kind = GKR_INPUT_PUBLIC, .nvars = 1};
    c->layers[2] = (gkr_layer){.kind = GKR_GATES, .nvars = 2};
    c->layers[3] = (gkr_layer){.kind = GKR_GATES, .nvars = 1};
    c->layers[4] = (gkr_layer){.kind = GKR_GATES, .nvars = 0, .xsrc = 1};
    c->layers[5] = (gkr_layer){.kind = GKR_INPUT_COMMITTED, .nvars = 1};
    c->layers[6] = (gkr_layer){.kind = GKR_GATES, .nvars = 2, .xsrc = 4};
    for (uint32_t g = 0; g < 4; g++) {
        gkr_layer_add_add(&c->layers[2], g, 0, g, 3);
        gkr_layer_add_add(&c->layers[2], g, 1, g & 1, 1);
        gkr_layer_add_const(&c->layers[2], g, 5 + g);
    }
    gkr_layer_add_const(&c->layers[3], 0, 7);
    gkr_layer_add_const(&c->layers[3], 1, 11);
    gkr_layer_add_mul(&c->layers[4], 0, 1, 3, 1, 2);
    gkr_layer_add_add(&c->layers[4], 0, 2, 3, 1);
    for (uint32_t g = 0; g < 4; g++) {
        gkr_layer_add_mul(&c->layers[6], g, 0, g & 1 ? 2 : 5, g & 1, 1);
        gkr_layer_add_add(&c->layers[6], g, 0, g, 1);
        gkr_layer_add_const(&c->layers[6], g, FM61_P - 1);
    }
    if (gkr_circuit_seal(c) != ZK_OK) __builtin_trap();
    return c;
}

static void setup(void) {
    zk_rng rng;
    zk_rng_seed(&rng, 42);
    fz[0].circ = gkr_circuit_random(&rng, 3, 2);
    fz[1].circ = hand_built();
    for (int k = 0; k < 2; k++) {
        fz[k].inputs = gkr_inputs_random(&rng, fz[k].circ);
        gkr_witness *w = gkr_witness_new(fz[k].circ, (const fm61 *const *)fz[k].inputs);
        zk_buf body;
        zk_buf_init(&body);
        tr_t *tr = tr_new_prover(GKR_PROTOCOL, &body);
        gkr_prove(tr, fz[k].circ, w, &pcs_ligero);
        tr_free(tr);
        zk_buf_init(&fz[k].valid);
        proof_wrap(&fz[k].valid, PROOF_KIND_CIRCUIT, body.data, body.len);
        zk_buf_free(&body);
        gkr_witness_free(w);
    }
}

static int verify_file(int k, const uint8_t *f, size_t len) {
    const uint8_t *body;
    size_t blen;
    if (proof_unwrap(&body, &blen, f, len, PROOF_KIND_CIRCUIT) != ZK_OK) return 0;
    tr_t *tr = tr_new_verifier(GKR_PROTOCOL, body, blen);
    zk_err e = gkr_verify(tr, NULL, fz[k].circ, (const fm61 *const *)fz[k].inputs, &pcs_ligero);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e == ZK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!fz[0].circ) setup();
    if (size == 0) return 0;
    int k = data[0] & 1;
    uint8_t mode = data[0] >> 1;
    const zk_buf *valid = &fz[k].valid;
    data++, size--;
    if (mode < 64) {
        uint8_t *p = malloc(valid->len);
        memcpy(p, valid->data, valid->len);
        int changed = 0;
        for (size_t i = 0; i < size && i < valid->len; i++) p[i] ^= data[i], changed |= data[i];
        int ok = verify_file(k, p, valid->len);
        if (ok != !changed) __builtin_trap(); /* a changed proof accepted, or the valid one refused */
        free(p);
    } else if (mode < 96) {
        size_t cut = 0;
        for (size_t i = 0; i < size && i < 4; i++) cut = cut << 8 | data[i];
        cut %= valid->len;
        if (verify_file(k, valid->data, cut)) __builtin_trap();
    } else {
        int ok = verify_file(k, data, size);
        if (ok && (size != valid->len || memcmp(data, valid->data, size) != 0)) __builtin_trap();
    }
    return 0;
}
