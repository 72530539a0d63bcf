/* libFuzzer target: the PLONK verifier (bn_plonk_verify) and the verifying
 * key decoder (bn_plonk_vk_deserialize) of the Plonkish baseline on hostile
 * bytes.
 *
 * At the first input a small circuit (public out = x^3 + x + 5, 8 rows, as
 * in tests/test_plonk.c, with the custom gates in its last rows: an
 * accumulate row, q_A = 1, and a boolean row, q_B = 1) is set up with an
 * insecure seeded SRS and one valid proof for x = 3 is made and checked
 * (without zero-knowledge: deterministic, so that a crashing input replays
 * on the same proof; zk proofs have the same layout and checks). The fuzz
 * input's first byte b
 * chooses how the rest is used (b % 6):
 *   0  xor the rest into the valid proof,
 *   1  the same at an offset from the next byte,
 *   2  truncate the valid proof to a length from the next byte,
 *   3  the rest is the proof,
 *   4  xor the rest into the verifying key; if it decodes, verify the
 *      valid proof with it,
 *   5  the rest replaces the public input (32 bytes, big-endian).
 * Nothing may crash, leak or read out of bounds; only the valid proof with
 * the valid key and public input may verify (anything else accepted traps),
 * and a key that decodes must re-encode to the same bytes.
 * One verification is a two-pairing check (~1 ms at -O2, more with
 * sanitizers), hence tests/fuzz/fuzz_plonk.runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/plonkish/plonk.h"

enum { N = 8 };

static struct {
    bn_kzg_srs *srs;
    bn_plonk_pk *pk;
    bn_plonk_vk vk;
    zk_buf vkb, proof;
    bn_fr pub;
} fz;
static int fz_ready;

static void fz_fail(const char *what) {
    fprintf(stderr, "fuzz_plonk: %s\n", what);
    abort();
}

static void fz_init(void) {
    bn_plonk_circuit *c = bn_plonk_circuit_new(3, 1);
    bn_plonk_circuit_gate_i64(c, 0, 1, 0, 0, 0, 0);
    bn_plonk_circuit_gate_i64(c, 1, 0, 0, -1, 1, 0);
    bn_plonk_circuit_gate_i64(c, 2, 0, 0, -1, 1, 0);
    bn_plonk_circuit_gate_i64(c, 3, 1, 1, -1, 0, 0);
    bn_plonk_circuit_gate_i64(c, 4, 1, 0, -1, 0, 5);
    bn_plonk_circuit_gate_i64(c, 5, 1, 0, 0, 0, 0); /* x + c - c_next = 0 */
    bn_plonk_circuit_accumulate_i64(c, 5, 1);
    bn_plonk_circuit_gate_i64(c, 7, 0, 0, -1, 1, 0); /* s x - v = 0, s a bit */
    bn_plonk_circuit_bool(c, 7);
    uint32_t var[3 * N];
    for (uint32_t i = 0; i < 3 * N; i++) var[i] = 100 + i;
#define CELL(col, row) ((col) * N + (row))
    var[CELL(0, 0)] = 0;
    var[CELL(0, 1)] = 1, var[CELL(1, 1)] = 1, var[CELL(2, 1)] = 2;
    var[CELL(0, 2)] = 2, var[CELL(1, 2)] = 1, var[CELL(2, 2)] = 3;
    var[CELL(0, 3)] = 3, var[CELL(1, 3)] = 1, var[CELL(2, 3)] = 4;
    var[CELL(0, 4)] = 4, var[CELL(2, 4)] = 0;
    var[CELL(0, 5)] = 1, var[CELL(2, 5)] = 5, var[CELL(2, 6)] = 6;
    var[CELL(0, 7)] = 7, var[CELL(1, 7)] = 1, var[CELL(2, 7)] = 8;
    if (bn_plonk_circuit_wire(c, var, 3 * N) != ZK_OK) fz_fail("wiring refused");
    fz.srs = bn_kzg_srs_gen(N + 8, 7);
    if (bn_plonk_keygen(&fz.pk, &fz.vk, c, fz.srs) != ZK_OK) fz_fail("keygen failed");
    bn_plonk_circuit_free(c);
    int64_t x = 3, v1 = 9, v2 = 27, v3 = 30, out = 35;
    int64_t A[N] = {out, x, v1, v2, v3, x, 0, 1}, B[N] = {0, x, x, x, 0, 0, 0, x},
            C[N] = {0, v1, v2, v3, out, 10, 10 + x, x};
    bn_fr a[N], b[N], cc[N];
    for (int i = 0; i < N; i++) {
        bn_fr_from_i64(&a[i], A[i]);
        bn_fr_from_i64(&b[i], B[i]);
        bn_fr_from_i64(&cc[i], C[i]);
    }
    bn_fr_from_i64(&fz.pub, out);
    zk_buf_init(&fz.proof);
    zk_buf_init(&fz.vkb);
    if (bn_plonk_check_witness(fz.pk, a, b, cc, &fz.pub, 1) != ZK_OK) fz_fail("the witness is refused");
    const bn_plonk_opts nozk = {.no_zk = 1};
    if (bn_plonk_prove(&fz.proof, fz.pk, &nozk, a, b, cc, &fz.pub, 1) != ZK_OK) fz_fail("prove failed");
    if (fz.proof.len != BN_PLONK_PROOF_BYTES) fz_fail("the proof length is not BN_PLONK_PROOF_BYTES");
    if (bn_plonk_verify(&fz.vk, &fz.pub, 1, fz.proof.data, fz.proof.len) != ZK_OK) fz_fail("the valid proof fails");
    bn_plonk_vk_serialize(&fz.vkb, &fz.vk);
    fz_ready = 1;
}

static void fz_expect_reject(const bn_plonk_vk *vk, const bn_fr *pub, const uint8_t *p, size_t len, int changed) {
    zk_err e = bn_plonk_verify(vk, pub, 1, p, len);
    if (e == ZK_OK && changed) fz_fail("a changed proof, key or public input verified");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!fz_ready) fz_init();
    if (size < 1) return 0;
    unsigned mode = data[0] % 6;
    data++, size--;
    size_t L = fz.proof.len;
    uint8_t *buf = malloc(L + size + 1);
    memcpy(buf, fz.proof.data, L);
    switch (mode) {
    case 0:
    case 1: {
        size_t off = 0;
        if (mode == 1 && size) off = data[0] * (L / 256), data++, size--;
        int changed = 0;
        for (size_t i = 0; i < size && off + i < L; i++) {
            buf[off + i] ^= data[i];
            changed |= data[i] != 0;
        }
        fz_expect_reject(&fz.vk, &fz.pub, buf, L, changed);
        break;
    }
    case 2: {
        size_t cut = size ? data[0] * (L / 256 + 1) % (L + 1) : 0;
        fz_expect_reject(&fz.vk, &fz.pub, buf, cut, cut != L);
        break;
    }
    case 3: {
        int same = size == L && memcmp(data, fz.proof.data, L) == 0;
        fz_expect_reject(&fz.vk, &fz.pub, data, size, !same);
        break;
    }
    case 4: {
        size_t vl = fz.vkb.len;
        uint8_t *vb = malloc(vl);
        memcpy(vb, fz.vkb.data, vl);
        int changed = 0;
        for (size_t i = 0; i < size && i < vl; i++) {
            vb[i] ^= data[i];
            changed |= data[i] != 0;
        }
        bn_plonk_vk vk;
        if (bn_plonk_vk_deserialize(&vk, vb, vl) == ZK_OK) {
            zk_buf re;
            zk_buf_init(&re);
            bn_plonk_vk_serialize(&re, &vk);
            if (re.len != vl || memcmp(re.data, vb, vl) != 0) fz_fail("a decoded key re-encodes differently");
            zk_buf_free(&re);
            if (vk.n <= 64) fz_expect_reject(&vk, &fz.pub, fz.proof.data, L, changed);
        }
        free(vb);
        break;
    }
    default: {
        uint8_t pb[32] = {0};
        memcpy(pb, data, size < 32 ? size : 32);
        bn_fr pub;
        if (bn_fr_from_bytes(&pub, pb) == ZK_OK) fz_expect_reject(&fz.vk, &pub, fz.proof.data, L, !bn_fr_eq(&pub, &fz.pub));
        break;
    }
    }
    free(buf);
    return 0;
}
