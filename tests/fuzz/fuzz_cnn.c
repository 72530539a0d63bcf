/* libFuzzer target: the CNN verifier (cnn_verify) and the key decoders
 * (cnn_vk_deserialize, cnn_pk_deserialize) on hostile bytes.
 *
 * At the first input, small models are built from ONNX conformance cases
 * (Debian's libonnx-testdata; a missing case aborts with the reason):
 *   0  test_basic_conv_without_padding      Conv (1x1x5x5 -> 1x1x3x3),
 *   1  test_maxpool_2d_precomputed_strides  MaxPool (1x1x5x5 -> 1x1x2x2),
 *   2  test_relu                            Relu (3x4x5),
 *   3  test_basic_conv_without_padding      again, with a certified weight
 *                                           commitment (cnn_set_cert_min_vars:
 *                                           the vk carries the certificate,
 *                                           the proof a certified opening);
 *   4  test_basic_conv_without_padding      again, with a class-only output
 *                                           (the statement is the argmax);
 *   5  test_basic_conv_without_padding      again, a zero-knowledge key
 *                                           (version-3 skeleton with the mask
 *                                           pool; masked sumchecks, hiding
 *                                           commitments, the mask batch; W
 *                                           hiding with its pad and budget,
 *                                           always certified: version-7 vk
 *                                           with the budget and the hiding
 *                                           certificate, version-8 pk with
 *                                           budget, count and seed);
 *   6  test_basic_conv_without_padding      again, zero-knowledge with a
 *                                           private input and output (their
 *                                           commitments in the statement,
 *                                           their openings);
 *   7  test_basic_conv_without_padding      again, zero-knowledge with a
 *                                           class-only output (until
 *                                           2026-12-06 11:00 UTC: with a
 *                                           certified hiding W, which every
 *                                           zk key now has, as model 5);
 * each quantized with its own input as the one calibration sample, set up
 * (cnn_setup), its keys serialized, and one valid proof file made
 * (proof_wrap, PROOF_KIND_CNN) and checked to verify.
 * The fuzz input's first byte b picks the model ((b >> 3) % 8) and how the
 * rest is used (b & 7):
 *   0  xor the rest into the valid proof file (from offset 0: the header,
 *      the statement and the first sumcheck messages),
 *   1  the same at an offset taken from the next 3 bytes (mod the file
 *      length: deeper messages, openings, Merkle paths),
 *   2  truncate the valid proof to a length taken from the next bytes,
 *   3  the rest is the proof file itself,
 *   4  xor the rest into the valid verifying key, 5  the rest is the vk:
 *      if it decodes, the valid proof is verified with it,
 *   6  xor the rest into the valid proving key, 7  the rest is the pk:
 *      decoded only (nothing is proved with a hostile pk).
 * The decoders and the verifier must return without crashing, leaking or
 * reading out of bounds (ASan/UBSan), and only the valid proof with the
 * valid vk may verify: a changed proof file (the header is strict, every
 * body byte is bound by the transcript or the openings) or a changed vk
 * (it changes the circuit digest the transcript starts from) that is
 * accepted traps. A key that decodes must re-encode to the same bytes
 * (strict decoding: one encoding per key).
 * Seeds (tests/fuzz/seeds/fuzz_cnn): one byte per mode, two xors deep in
 * the proof, and the valid Conv vk and pk as modes 5 and 7 (after a key
 * format change they only stop decoding; remade for the version-4 vk and
 * version-5 pk with the weight-range certificate, their version fields
 * raised to 5 and 6 with large Clips by table (a Conv plans alike), ~22 KB each, hence
 * tests/fuzz/fuzz_cnn.maxlen). A vk that decodes has had its weight-range
 * certificate checked (protocol.md 7.1.1), so mode 4 also alters that
 * certificate's messages. Seeds zkw_*: model 5's pk with its weight
 * commitment's count (offset 584) or budget (580) changed, its vk with the
 * budget (512) changed, and one byte per mode of model 7. One verification of these
 * ~250 KB proofs takes ~1.5 ms (-O2) or ~10 ms (sanitizers; make test:
 * 12,500 runs in about 40 s since every zk key carries W's certificate),
 * hence tests/fuzz/fuzz_cnn.runs (a divisor of make's FUZZ_RUNS). */
#include <stdio.h>
#include <string.h>

#include "../../src/layers/cnn_test.h"
#include "../../src/onnx/onnx.h"
#include "../../src/proof/proof.h"

#ifndef FZ_DATA
#define FZ_DATA "/usr/share/libonnx-testdata/data/node"
#endif
#define FZ_NMODELS 8

static const char *const fz_cases[FZ_NMODELS] = {
    "test_basic_conv_without_padding",
    "test_maxpool_2d_precomputed_strides",
    "test_relu",
    "test_basic_conv_without_padding",
    "test_basic_conv_without_padding",
    "test_basic_conv_without_padding",
    "test_basic_conv_without_padding",
    "test_basic_conv_without_padding",
};
/* model k's plain weight commitment is certified: every key of it is made
 * and decoded with the certification threshold lowered (the threshold is
 * global, so it is set before each input's work); a zk key's is certified
 * whatever the threshold */
static const int fz_certified[FZ_NMODELS] = {0, 0, 0, 1, 0, 0, 0, 0};
/* model k's statement is the output's class (Q_OUT_CLASS: a version-2
 * skeleton, the class and its claims in the proof) */
static const int fz_class[FZ_NMODELS] = {0, 0, 0, 0, 1, 0, 0, 1};
/* model k is a zero-knowledge key (q_settings.zk_mc, protocol.md sec. 9.5),
 * with a private input and output (q_settings.in_vis, out_vis; sec. 9.6, 9.7) */
static const int fz_zk[FZ_NMODELS] = {0, 0, 0, 0, 0, 1, 1, 1};
static const int fz_private[FZ_NMODELS] = {0, 0, 0, 0, 0, 0, 1, 0};
static void fz_threshold(int k) { cnn_set_cert_min_vars(fz_certified[k] ? 1 : CNN_WEIGHT_CERT_MIN_VARS); }

static struct {
    cnn_key *vk;    /* decoded from vkb, as a verifier loads it */
    zk_buf pkb, vkb, valid;
    int64_t cost;   /* fz_cost of the valid model */
} fz[FZ_NMODELS];
static int fz_ready;

static void fz_die(const char *name, const char *step) {
    fprintf(stderr, "fuzz_cnn: setup failed: %s: %s: %s\n", name, step, zk_reason());
    abort();
}

/* A rough size of the work cnn_verify does for m: every tensor and
 * constant element. The model a vk describes is its owner's choice
 * (cnn.h), so a decoded hostile vk that describes a much larger model is
 * not verified: it could only cost time and memory, which is no verifier
 * bug. (Decoding a vk with weights already builds its plan and checks its
 * weight-range certificate.) */
static int64_t fz_cost(const q_model *m) {
    int64_t c = 0;
    for (size_t t = 0; t < m->ntensors; t++) c += q_numel(m, (int32_t)t);
    for (size_t i = 0; i < m->nnodes; i++) c += (int64_t)m->nodes[i].nw + (int64_t)m->nodes[i].nb;
    return c;
}

static void fz_setup_one(int k) {
    const char *name = fz_cases[k];
    fz_threshold(k);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", FZ_DATA, name);
    onnx_testcase tc;
    if (onnx_testcase_read(&tc, dir) != ZK_OK) {
        fprintf(stderr, "fuzz_cnn: setup failed: cannot read the ONNX test case %s (%s); is libonnx-testdata "
                        "installed (make deps)?\n", dir, zk_reason());
        abort();
    }
    nn_graph *g;
    const float *in;
    q_model *m;
    if (onnx_testcase_import(&g, &in, &tc) != ZK_OK) fz_die(name, "import");
    if (q_quantize(&m, g, in, 1, NULL) != ZK_OK) fz_die(name, "quantize");
    if (fz_class[k]) m->s.out_vis = Q_OUT_CLASS;
    m->s.zk_mc = fz_zk[k];
    m->s.in_vis = fz_private[k] ? Q_IN_PRIVATE : Q_IN_PUBLIC;
    if (fz_private[k]) m->s.out_vis = Q_OUT_PRIVATE;
    int64_t *xq = zk_malloc_n((size_t)q_numel(m, 0), sizeof *xq);
    if (q_quantize_input(xq, m, in) != ZK_OK) fz_die(name, "quantize input");
    nn_graph_free(g);
    onnx_testcase_free(&tc);
    cnn_key *pk;
    /* a zk key's weights: budget 2 (the certificate's opening and the valid proof), keys of ~1/4 the size */
    if ((fz_zk[k] ? cnn_setup_zk(&pk, m, 2) : cnn_setup(&pk, m)) != ZK_OK) fz_die(name, "cnn_setup");
    if ((fz_certified[k] || fz_zk[k]) != (pk->wcert_len > 0)) /* a zk key's W is always certified */
        fz_die(name, "certificate present iff asked for or zero-knowledge");
    if (fz_zk[k] != pk->wcom.zk) fz_die(name, "hiding weight commitment iff zero-knowledge");
    zk_buf_init(&fz[k].pkb);
    zk_buf_init(&fz[k].vkb);
    cnn_pk_serialize(&fz[k].pkb, pk);
    cnn_vk_serialize(&fz[k].vkb, pk);
    if (cnn_vk_deserialize(&fz[k].vk, fz[k].vkb.data, fz[k].vkb.len) != ZK_OK) fz_die(name, "vk decode");
    fz[k].cost = fz_cost(fz[k].vk->m);
    zk_buf body;
    zk_buf_init(&body);
    if (cnn_prove(&body, pk, xq, NULL, NULL) != ZK_OK) fz_die(name, "cnn_prove");
    zk_buf_init(&fz[k].valid);
    proof_wrap(&fz[k].valid, PROOF_KIND_CNN, body.data, body.len);
    zk_buf_free(&body);
    cnn_key_free(pk);
    const uint8_t *b;
    size_t blen;
    int64_t *xin = NULL;
    if (proof_unwrap(&b, &blen, fz[k].valid.data, fz[k].valid.len, PROOF_KIND_CNN) != ZK_OK ||
        cnn_verify(fz[k].vk, b, blen, &xin, NULL) != ZK_OK)
        fz_die(name, "verify the valid proof");
    if (fz_private[k] ? xin != NULL : memcmp(xin, xq, (size_t)q_numel(fz[k].vk->m, 0) * sizeof *xq) != 0) {
        fprintf(stderr, "fuzz_cnn: setup failed: %s: the proof attests another input\n", name);
        abort();
    }
    free(xin);
    free(xq);
}

static void fz_setup(void) {
    for (int k = 0; k < FZ_NMODELS; k++) fz_setup_one(k);
    fz_ready = 1;
}

static int fz_verify(const cnn_key *vk, const uint8_t *f, size_t len) {
    const uint8_t *body;
    size_t blen;
    if (proof_unwrap(&body, &blen, f, len, PROOF_KIND_CNN) != ZK_OK) return 0;
    int64_t *in = NULL, *out = NULL;
    zk_err e = cnn_verify(vk, body, blen, &in, &out);
    /* accepted without a statement (a private input's is the commitment: no input) */
    if (e == ZK_OK && ((!in && vk->m->s.in_vis != Q_IN_PRIVATE) || (!out && vk->m->s.out_vis != Q_OUT_PRIVATE)))
        __builtin_trap();
    free(in);
    free(out);
    return e == ZK_OK;
}

static int fz_same(const uint8_t *a, size_t alen, const zk_buf *b) {
    return alen == b->len && memcmp(a, b->data, alen) == 0;
}

/* Decodes a key; one that decodes re-encodes to the same bytes. With a vk
 * (and a model not much larger than the valid one) the valid proof is
 * verified: it may pass only under the valid vk. */
static void fz_key(int k, int vk, const uint8_t *p, size_t len) {
    cnn_key *key;
    zk_err e = vk ? cnn_vk_deserialize(&key, p, len) : cnn_pk_deserialize(&key, p, len);
    if (e != ZK_OK) return;
    zk_buf re;
    zk_buf_init(&re);
    if (vk) cnn_vk_serialize(&re, key);
    else cnn_pk_serialize(&re, key);
    if (!fz_same(p, len, &re)) __builtin_trap(); /* two encodings of one key */
    zk_buf_free(&re);
    if (vk && fz_cost(key->m) <= 16 * fz[k].cost && key->w_nvars <= fz[k].vk->w_nvars + 4) {
        int ok = fz_verify(key, fz[k].valid.data, fz[k].valid.len);
        if (ok && !fz_same(p, len, &fz[k].vkb)) __builtin_trap(); /* accepted under a changed vk */
    }
    cnn_key_free(key);
}

static void fz_xor_key(int k, int vk, const uint8_t *data, size_t size) {
    const zk_buf *kb = vk ? &fz[k].vkb : &fz[k].pkb;
    uint8_t *p = zk_malloc(kb->len);
    memcpy(p, kb->data, kb->len);
    for (size_t i = 0; i < size && i < kb->len; i++) p[i] ^= data[i];
    fz_key(k, vk, p, kb->len);
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!fz_ready) fz_setup();
    if (size == 0) return 0;
    int k = (data[0] >> 3) % FZ_NMODELS, mode = data[0] & 7;
    fz_threshold(k);
    const zk_buf *valid = &fz[k].valid;
    data++, size--;
    switch (mode) {
    case 0:
    case 1: {
        size_t off = 0;
        if (mode == 1) {
            for (size_t i = 0; i < 3 && i < size; i++) off = off << 8 | data[i];
            off %= valid->len;
            data += size < 3 ? size : 3, size -= size < 3 ? size : 3;
        }
        uint8_t *p = zk_malloc(valid->len);
        memcpy(p, valid->data, valid->len);
        int changed = 0;
        for (size_t i = 0; i < size && off + i < valid->len; i++) p[off + i] ^= data[i], changed |= data[i];
        int ok = fz_verify(fz[k].vk, p, valid->len);
        if (ok != !changed) __builtin_trap(); /* a changed proof accepted, or the valid one refused */
        free(p);
        break;
    }
    case 2: {
        size_t cut = 0;
        for (size_t i = 0; i < size && i < 4; i++) cut = cut << 8 | data[i];
        cut %= valid->len;
        if (fz_verify(fz[k].vk, valid->data, cut)) __builtin_trap();
        break;
    }
    case 3:
        if (fz_verify(fz[k].vk, data, size) && !fz_same(data, size, valid)) __builtin_trap();
        break;
    case 4: fz_xor_key(k, 1, data, size); break;
    case 5: fz_key(k, 1, data, size); break;
    case 6: fz_xor_key(k, 0, data, size); break;
    default: fz_key(k, 0, data, size); break;
    }
    return 0;
}
