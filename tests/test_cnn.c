/* Tests of the CNN prover (src/layers): models proved and verified with
 * outputs equal to quantized inference, keys, and malicious provers. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/layers/cnn_test.h"
#include "../src/onnx/onnx.h"
#include "../src/quant/qint.h"
#include "test.h"

/* ONNX model + calibration file -> setup keys (pk with weights, vk skeleton
 * via the serialized key files). Returns 0 when the files are missing. */
/* 1: the keys load_keys makes are zero-knowledge keys (q_settings.zk_mc;
 * protocol.md sec. 9.5), whose proofs are randomized */
static int zk_mode;
/* 1: with zk_mode, the keys' input is private (q_settings.in_vis) */
static int in_private;
/* 1: with zk_mode, the keys' output is private (Q_OUT_PRIVATE) */
static int out_private;

static int load_keys(cnn_key **pk, cnn_key **vk, const char *path, const char *calib) {
    q_model *m = NULL;
    if (!test_quantize_model(&m, path, calib)) return 0;
    m->s.zk_mc = zk_mode;
    m->s.in_vis = zk_mode && in_private ? Q_IN_PRIVATE : Q_IN_PUBLIC;
    if (zk_mode && out_private) m->s.out_vis = Q_OUT_PRIVATE;
    cnn_key *k = NULL;
    /* a zk key's weight commitment serves 23 proofs (test_malicious's tamper sweep takes keys of its own) */
    zk_err e = cnn_setup_zk(&k, m, 24);
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
    TEST_CHECK((k->m->s.zk_mc != 0) == zk_mode && (*vk)->m->s.zk_mc == k->m->s.zk_mc);
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
        if (m->s.in_vis == Q_IN_PRIVATE) TEST_CHECK(vin == NULL); /* the statement's input is a commitment */
        else TEST_CHECK(memcmp(vin, xq, nin * 8) == 0);
        if (m->s.out_vis == Q_OUT_PRIVATE) TEST_CHECK(vout == NULL); /* and its output */
        else TEST_CHECK(memcmp(vout, q_output(m, w), nout * 8) == 0);
    }
    printf("  cnn %s%s: proof %zu bytes, prove %.3f s, adv 2^%d, lookups 2^%d, soundness %.2f bits (counted "
           "%.2f)\n", name, zk_mode ? " (zk)" : "", proof.len, st.total, __builtin_ctzll(st.adv_cells), __builtin_ctzll(st.lookups),
           cnn_soundness_bits(pk), st.counted_bits);
    /* the bounds setup computes are below what the proof's path counts */
    TEST_CHECK(st.counted_bits >= cnn_soundness_bits(pk) && st.counted_bits >= CNN_MIN_SOUNDNESS_BITS);
    TEST_CHECK(st.rbr_bits >= cnn_rbr_bits(pk) && cnn_rbr_bits(pk) > 100);
    printf("  cnn %s: round-by-round %.2f bits (plan bound %.2f): Fiat-Shamir %.1f bits at 2^%d hash calls\n", name,
           st.rbr_bits, cnn_rbr_bits(pk), cnn_rbr_bits(pk) - CNN_FS_LOG2_CALLS, CNN_FS_LOG2_CALLS);
    /* a prover that keeps the weights' commitment gives the same proofs,
     * proof after proof; in zero-knowledge mode proofs of the same length
     * that differ (fresh masks and hiding randomness) and verify */
    cnn_prover *pv = NULL;
    TEST_CHECK(cnn_prover_new(&pv, pk) == ZK_OK);
    for (int r = 0; r < 2 && pv; r++) {
        zk_buf again;
        zk_buf_init(&again);
        TEST_CHECK(cnn_prover_prove(pv, &again, xq, NULL, NULL) == ZK_OK);
        if (!zk_mode) TEST_CHECK(again.len == proof.len && memcmp(again.data, proof.data, proof.len) == 0);
        else {
            TEST_CHECK(again.len == proof.len && memcmp(again.data, proof.data, proof.len) != 0);
            TEST_CHECK(cnn_verify(vk, again.data, again.len, NULL, NULL) == ZK_OK);
        }
        zk_buf_free(&again);
    }
    cnn_prover_free(pv);
    /* a proving key whose weights are not the committed ones: refused by
     * the prover that recommits them, and by cnn_prove (which takes the
     * tree from the key's leaves) when a column its opening sends
     * disagrees with its leaf: here every column, the changed weight's row
     * being in all of them */
    for (size_t i = 0; i < m->nnodes; i++) {
        if (!m->nodes[i].nw) continue;
        m->nodes[i].w[0] ^= 1;
        pv = NULL;
        TEST_CHECK(cnn_prover_new(&pv, pk) == ZK_EFORMAT && pv == NULL);
        TEST_CHECK(strstr(zk_reason(), "weight commitment") != NULL);
        zk_buf bad;
        zk_buf_init(&bad);
        TEST_CHECK(cnn_prove(&bad, pk, xq, NULL, NULL) == ZK_EFORMAT);
        TEST_CHECK(strstr(zk_reason(), "weight commitment") != NULL);
        zk_buf_free(&bad);
        m->nodes[i].w[0] ^= 1;
        break;
    }
    /* and one whose leaves do not give its root */
    if (pk->wleaves_len) {
        pk->wleaves[pk->wleaves_len / 2] ^= 1;
        pv = NULL;
        TEST_CHECK(cnn_prover_new_lazy(&pv, pk) == ZK_EFORMAT && pv == NULL);
        TEST_CHECK(strstr(zk_reason(), "weight commitment") != NULL);
        pk->wleaves[pk->wleaves_len / 2] ^= 1;
    }
    free(vin);
    free(vout);
    q_witness_free(w);
    zk_buf_free(&proof);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

/* ---- malicious provers ---- */

typedef struct {
    int kind;          /* ATK_* */
    nn_op op;          /* target node op */
    int nth;           /* which node of that op (0 = first) */
    uint64_t pick;     /* random element selector */
    int done;          /* the hook found something to change */
} attack;

enum {
    ATK_REM,        /* remainder + 1 (relation broken) */
    ATK_REM_WRAP,   /* output layer: y - 1, rem + 2^k (relation holds, rem out of range) */
    ATK_SIGN,       /* ReLU sign flipped (y kept) */
    ATK_SIGN_NEG,   /* ReLU: negative x passed through (s = 1, y = x) */
    ATK_ARG,        /* max-pool choice moved to a smaller cell (y kept) */
    ATK_ARG_LOW,    /* max-pool output lowered to a smaller cell, choice moved with it */
    ATK_TENSOR,     /* one activation +1 */
    ATK_OUTPUT,     /* the claimed output +1 (nothing else) */
    ATK_ACC,        /* accumulator + 2^k with y + 1 (rem kept) */
};

static int64_t nth_node(const q_model *m, nn_op op, int nth) {
    for (size_t i = 0; i < m->nnodes; i++)
        if (m->nodes[i].op == op && nth-- == 0) return (int64_t)i;
    return -1;
}

static void attack_hook(void *ctx, const q_model *m, q_witness *w) {
    attack *a = ctx;
    int64_t i = a->kind == ATK_OUTPUT ? m->output - 1 : nth_node(m, a->op, a->nth);
    if (a->kind == ATK_REM_WRAP) i = m->output - 1;
    if (i < 0) return;
    const q_node *nd = &m->nodes[i];
    q_nwit *nw = &w->nodes[i];
    int64_t ny = q_numel(m, (int32_t)i + 1), *y = w->t[i + 1];
    const int64_t *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
    for (int64_t t = 0; t < ny; t++) {
        int64_t o = (int64_t)((a->pick + (uint64_t)t) % (uint64_t)ny);
        switch (a->kind) {
        case ATK_REM:
            if (!nw->rem) return;
            nw->rem[o] += 1;
            a->done = 1;
            return;
        case ATK_REM_WRAP:
            if (!nw->rem || nd->k < 1) return;
            y[o] -= 1;
            nw->rem[o] += (int64_t)1 << nd->k;
            a->done = 1;
            return;
        case ATK_SIGN:
            nw->sign[o] ^= 1;
            a->done = 1;
            return;
        case ATK_SIGN_NEG:
            if (x[o] >= 0) continue;
            nw->sign[o] = 1;
            y[o] = x[o];
            a->done = 1;
            return;
        case ATK_ARG:
        case ATK_ARG_LOW: {
            int64_t P = q_max_cells(m, nd);
            for (int64_t p = 0; p < P; p++) {
                int64_t cell = q_max_cell(m, nd, o, p);
                if (cell < 0 || x[cell] >= y[o]) continue;
                nw->arg[o] = p;
                if (a->kind == ATK_ARG_LOW) y[o] = x[cell];
                a->done = 1;
                return;
            }
            continue;
        }
        case ATK_TENSOR:
        case ATK_OUTPUT:
            y[o] += 1;
            a->done = 1;
            return;
        case ATK_ACC:
            if (!nw->acc || nd->k < 1) return;
            nw->acc[o] += (int64_t)1 << nd->k;
            y[o] += 1;
            a->done = 1;
            return;
        }
    }
}

typedef struct {
    const char *label;
    size_t occ;
    int hit;
} tamper_ctx;

static void tamper_fn(void *ctx, const char *label, size_t occ, fp2 *v, size_t n) {
    tamper_ctx *t = ctx;
    if (strcmp(label, t->label) != 0 || occ != t->occ || n == 0) return;
    v[n - 1] = fp2_add(v[n - 1], fp2_one());
    t->hit = 1;
}

static zk_err prove_verify(const cnn_key *pk, const cnn_key *vk, const int64_t *xq, zk_buf *proof) {
    zk_buf_init(proof);
    zk_err e = cnn_prove(proof, pk, xq, NULL, NULL);
    if (e) return ZK_EINPUT; /* the prover refused: not the verifier's decision */
    return cnn_verify(vk, proof->data, proof->len, NULL, NULL);
}

/* Every field-element message the CNN prover sends (src/layers and pcs.h
 * labels), altered in flight at occurrence 0 and at reps - 1 random
 * occurrences below 24: rejected wherever the model has that message. */
static const char *const tamper_labels[] = {"sc/round", "cnn/eval", "cnn/acc", "cnn/limb", "cnn/mm/z", "cnn/add/a",
                                            "cnn/affine/t", "cnn/avg/rem", "cnn/max/d", "cnn/max/e", "cnn/lu/root",
                                            "cnn/lu/leaf", "pcs/u1", "pcs/u2", "pcs/col",
                                            /* zero-knowledge mode: the masks' messages (zsc.h), the hiding openings (pcs.h) */
                                            "zsc/G", "zsc/gr", "zsc/ip/G", "zsc/ip/eval", "pcs/zk/s",
                                            /* part 2 (protocol.md sec. 9.8 (d)): the absorbed parts' values */
                                            "cnn/ell"};
enum { N_TAMPER_LABELS = sizeof tamper_labels / sizeof tamper_labels[0] };
static long tamper_hits[N_TAMPER_LABELS]; /* over the whole test run */

/* Every label, occurrences rep0..reps-1 (rep 0: the first, then random ones). */
static void tamper_sweep(zk_rng *rng, const cnn_key *pk, const cnn_key *vk, const int64_t *xq, int rep0, int reps) {
    for (size_t k = 0; k < N_TAMPER_LABELS; k++)
        for (int rep = rep0; rep < reps; rep++) {
            tamper_ctx t = {.label = tamper_labels[k], .occ = rep == 0 ? 0 : zk_rng_u64(rng) % 24};
            cnn_set_tamper(tamper_fn, &t);
            zk_buf proof;
            zk_err e = prove_verify(pk, vk, xq, &proof);
            cnn_set_tamper(NULL, NULL);
            if (!t.hit) {
                TEST_CHECK(e == ZK_OK); /* nothing was sent under that occurrence */
            } else {
                tamper_hits[k]++;
                if (e == ZK_OK) fprintf(stderr, "tampered %s #%zu accepted\n", tamper_labels[k], t.occ);
                TEST_CHECK(e == ZK_EPROOF);
            }
            zk_buf_free(&proof);
        }
}

static void test_malicious(zk_rng *rng) {
    cnn_key *pk = NULL, *vk = NULL;
    if (!load_keys(&pk, &vk, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json")) return;
    const q_model *m = pk->m;
    size_t nin = (size_t)q_numel(m, 0);
    float *x = NULL;
    TEST_REQUIRE(in_load_one(&x, "models/inputs/lenet5_fashion_0.json", nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_REQUIRE(q_quantize_input(xq, m, x) == ZK_OK);
    static const struct {
        int kind;
        nn_op op;
        int nth;
        const char *name;
    } atk[] = {
        {ATK_REM, NN_CONV, 0, "conv remainder"},       {ATK_REM, NN_CONV, 1, "conv2 remainder"},
        {ATK_REM, NN_FC, 0, "fc remainder"},           {ATK_REM_WRAP, NN_FC, 2, "output remainder out of range"},
        {ATK_ACC, NN_CONV, 0, "conv accumulator"},     {ATK_ACC, NN_FC, 2, "fc accumulator"},
        {ATK_SIGN, NN_RELU, 0, "relu sign"},           {ATK_SIGN, NN_RELU, 3, "relu4 sign"},
        {ATK_SIGN_NEG, NN_RELU, 0, "relu negative through"}, {ATK_SIGN_NEG, NN_RELU, 2, "relu3 negative through"},
        {ATK_ARG, NN_MAXPOOL, 0, "maxpool choice"},     {ATK_ARG, NN_MAXPOOL, 1, "maxpool2 choice"},
        {ATK_ARG_LOW, NN_MAXPOOL, 0, "maxpool lowered"}, {ATK_ARG_LOW, NN_MAXPOOL, 1, "maxpool2 lowered"},
        {ATK_TENSOR, NN_CONV, 0, "conv activation"},   {ATK_TENSOR, NN_RESHAPE, 0, "reshape activation"},
        {ATK_TENSOR, NN_MAXPOOL, 1, "maxpool activation"}, {ATK_OUTPUT, NN_FC, 0, "claimed output"},
    };
    for (size_t k = 0; k < sizeof atk / sizeof atk[0]; k++) {
        attack a = {.kind = atk[k].kind, .op = atk[k].op, .nth = atk[k].nth, .pick = zk_rng_u64(rng)};
        cnn_set_witness_hook(attack_hook, &a);
        zk_buf proof;
        zk_err e = prove_verify(pk, vk, xq, &proof);
        cnn_set_witness_hook(NULL, NULL);
        TEST_CHECK(a.done);
        if (e != ZK_EPROOF) fprintf(stderr, "attack %s: verifier returned %d\n", atk[k].name, (int)e);
        TEST_CHECK(e == ZK_EPROOF);
        if (getenv("GKRCNN_TEST_VERBOSE")) printf("  attack %-32s rejected: %s\n", atk[k].name, zk_reason());
        zk_buf_free(&proof);
    }
    /* every kind of message altered in flight; zk: occurrence 0 and one
     * random one, for make test's time, each on keys of its own (the
     * weight commitment's budget, load_keys) */
    for (int rep = 0; rep < (zk_mode ? 2 : 1); rep++) {
        cnn_key *tp = pk, *tv = vk;
        if (zk_mode && !load_keys(&tp, &tv, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json"))
            break;
        tamper_sweep(rng, tp, tv, xq, rep, zk_mode ? rep + 1 : 3);
        if (zk_mode) {
            cnn_key_free(tp);
            cnn_key_free(tv);
        }
    }
    /* bytes flipped anywhere; proofs for another input or model */
    zk_buf proof;
    zk_buf_init(&proof);
    TEST_REQUIRE(cnn_prove(&proof, pk, xq, NULL, NULL) == ZK_OK);
    for (int rep = 0; rep < 48; rep++) {
        size_t at = rep < 16 ? (size_t)rep * 37 % proof.len : zk_rng_u64(rng) % proof.len;
        uint8_t bit = (uint8_t)(1u << (zk_rng_u64(rng) % 8));
        proof.data[at] ^= bit;
        zk_err e = cnn_verify(vk, proof.data, proof.len, NULL, NULL);
        TEST_CHECK(e == ZK_EPROOF || e == ZK_EFORMAT);
        proof.data[at] ^= bit;
    }
    TEST_CHECK(cnn_verify(vk, proof.data, proof.len - 1, NULL, NULL) != ZK_OK);
    TEST_CHECK(cnn_verify(vk, proof.data, proof.len / 2, NULL, NULL) != ZK_OK);
    TEST_CHECK(cnn_verify(vk, proof.data, 0, NULL, NULL) != ZK_OK);
    cnn_key *pk2 = NULL, *vk2 = NULL;
    if (load_keys(&pk2, &vk2, "models/mlp3_fashion.onnx", "models/calib/mlp3_fashion_calib.json")) {
        TEST_CHECK(cnn_verify(vk2, proof.data, proof.len, NULL, NULL) != ZK_OK);
        cnn_key_free(pk2);
        cnn_key_free(vk2);
    }
    /* a vk whose weight root was swapped: its weight-range certificate no
     * longer holds, so the key is unusable (before the certificate it
     * loaded, and its proofs failed at the weight opening); a certified W
     * (every zk key's) fails its proximity certificate first */
    vk->wcom.root[3] ^= 1;
    cnn_key *vk3 = NULL;
    zk_buf vb;
    zk_buf_init(&vb);
    cnn_vk_serialize(&vb, vk);
    TEST_CHECK(cnn_vk_deserialize(&vk3, vb.data, vb.len) == ZK_EFORMAT && vk3 == NULL);
    TEST_CHECK(strstr(zk_reason(), vk->wcom.certified ? "weight commitment's certificate is invalid"
                                                       : "weight-range certificate") != NULL);
    zk_buf_free(&vb);
    vk->wcom.root[3] ^= 1;
    TEST_CHECK(cnn_verify(vk, proof.data, proof.len, NULL, NULL) == ZK_OK);
    zk_buf_free(&proof);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

/* ---- a private input (q_settings.in_vis; protocol.md sec. 9.6) ---- */


/* Runs of two consecutive values of v[0..n), both nonzero, as a proof
 * would carry them (two 8-byte LE canonical field elements), sorted. A
 * single small value is not distinctive everywhere: 8 bytes of which 6 are
 * 0 occur in a public output (and, before W was committed hiding in zk
 * keys, as sums in W's opened columns); singles_found looks for single
 * weights after the statement. */
typedef struct {
    uint8_t b[16];
} run16;
static int cmp_run16(const void *a, const void *b) { return memcmp(a, b, 16); }

static size_t runs_of(run16 **out, const int64_t *v, size_t n) {
    run16 *r = zk_malloc_n(n ? n : 1, sizeof *r);
    size_t k = 0;
    for (size_t j = 0; j + 1 < n; j++) {
        if (!v[j] || !v[j + 1]) continue;
        uint64_t f0 = fm61_from_i64(v[j]), f1 = fm61_from_i64(v[j + 1]);
        memcpy(r[k].b, &f0, 8);
        memcpy(r[k].b + 8, &f1, 8);
        k++;
    }
    qsort(r, k, sizeof *r, cmp_run16);
    *out = r;
    return k;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many 8-byte windows of pr (at any byte offset) are the field
 * encoding of one value of v (n values) that has two nonzero bytes or more
 * (v < 0 or v >= 256): a value in 1..255 is one byte and seven zeros, which
 * a random byte before a public zero (the logUp root's numerator, a u32
 * budget or slot) gives by chance. */
static size_t singles_found(const uint8_t *pr, size_t len, const int64_t *v, size_t n) {
    uint64_t *e = zk_malloc_n(n ? n : 1, sizeof *e);
    size_t k = 0, hits = 0;
    for (size_t j = 0; j < n; j++)
        if (v[j] < 0 || v[j] >= 256) e[k++] = fm61_from_i64(v[j]);
    qsort(e, k, sizeof *e, cmp_u64);
    for (size_t j = 0; j + 8 <= len; j++) {
        uint64_t w;
        memcpy(&w, pr + j, 8);
        if (bsearch(&w, e, k, sizeof *e, cmp_u64)) hits++;
    }
    free(e);
    return hits;
}

/* How many 16-byte windows of the proof (at any byte offset) are runs. */
static size_t runs_found(const uint8_t *pr, size_t len, const run16 *r, size_t nr) {
    size_t hits = 0;
    for (size_t j = 0; j + 16 <= len; j++)
        if (bsearch(pr + j, r, nr, sizeof *r, cmp_run16)) hits++;
    return hits;
}

typedef struct {
    int kind; /* 0: one input element + 1; 1: one input element = A (out of range); 2: its x + A copy's low limb + 1 */
    int done;
} in_attack;

static void in_attack_hook(void *ctx, const q_model *m, q_witness *w) {
    in_attack *a = ctx;
    int64_t j = q_numel(m, 0) / 2;
    if (a->kind == 0) w->t[0][j] += 1;
    if (a->kind == 1) w->t[0][j] = q_act_bound(m);
    a->done = a->kind < 2;
}

static void in_adv_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    in_attack *a = ctx;
    if (a->kind != 2 || !pl->in_chk.nl) return;
    uint64_t at = pl->reg[pl->in_chk.reg[0]].off + (uint64_t)(q_numel(pl->m, 0) / 2);
    adv[at] = fm61_add(adv[at], 1);
    a->done = 1;
}

/* ---- the weights of a zero-knowledge key (protocol.md sec. 9.5) ---- */

/* LeNet-5's first test input, quantized for m (malloc'd; NULL if it fails). */
static int64_t *lenet_input(const q_model *m) { return test_quantized_input(m, "models/inputs/lenet5_fashion_0.json"); }

/* A zero-knowledge model's accumulator widths (protocol.md sec. 9.9 item 5)
 * are the public ones: the same for other weights of the same shape (the
 * plain widths differ), at least the real ones; a zk skeleton with another
 * width is refused, and so is a zk model whose bias needs a wider
 * accumulator than the public one (a plain key takes it). */
static void test_zk_acc_bits(void) {
    q_model *m = NULL, *m0 = NULL, *s = NULL;
    if (!test_quantize_model(&m, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json")) return;
    size_t n = m->nnodes, lin = 0;
    int *plain = zk_calloc(n, sizeof *plain);
    for (size_t i = 0; i < n; i++) plain[i] = m->nodes[i].acc_bits;
    zk_buf b;
    zk_buf_init(&b);
    m->s.zk_mc = 1;
    TEST_REQUIRE(q_model_validate(m) == ZK_OK);
    for (size_t i = 0; i < n; i++) TEST_CHECK(m->nodes[i].acc_bits >= plain[i]);
    /* other weights: every weight halved (and the biases kept), widths unchanged in zk, not in plain */
    q_model_serialize(&b, m);
    TEST_REQUIRE(q_model_deserialize(&m0, b.data, b.len) == ZK_OK);
    int differ = 0;
    for (size_t i = 0; i < n; i++) {
        q_node *nd = &m0->nodes[i];
        for (size_t j = 0; j < nd->nw && (nd->op == NN_CONV || nd->op == NN_FC); j++) nd->w[j] /= 2;
        lin += nd->op == NN_CONV || nd->op == NN_FC;
    }
    TEST_REQUIRE(lin >= 5 && q_model_validate(m0) == ZK_OK);
    for (size_t i = 0; i < n; i++) TEST_CHECK(m0->nodes[i].acc_bits == m->nodes[i].acc_bits);
    m0->s.zk_mc = 0;
    TEST_REQUIRE(q_model_validate(m0) == ZK_OK);
    for (size_t i = 0; i < n; i++) differ += m0->nodes[i].acc_bits != plain[i];
    TEST_CHECK(differ > 0);
    /* the skeleton: the public widths load, another width does not */
    b.len = 0;
    q_model_serialize_skeleton(&b, m);
    TEST_CHECK(q_model_deserialize_skeleton(&s, b.data, b.len) == ZK_OK);
    q_model_free(s);
    s = NULL;
    size_t first = 0;
    while (m->nodes[first].op != NN_CONV) first++;
    int keep = m->nodes[first].acc_bits;
    m->nodes[first].acc_bits = plain[first]; /* the real width, as a key before the fix showed it */
    b.len = 0;
    q_model_serialize_skeleton(&b, m);
    TEST_CHECK(q_model_deserialize_skeleton(&s, b.data, b.len) == ZK_EFORMAT && s == NULL);
    TEST_CHECK(strstr(zk_reason(), "not the public one") != NULL);
    m->nodes[first].acc_bits = keep;
    /* a bias beyond the public width: refused in zk, taken by a plain key */
    q_node *nd = &m->nodes[first];
    TEST_REQUIRE(nd->nb > 0);
    nd->b[0] = (int64_t)1 << (keep + 1);
    TEST_CHECK(q_model_validate(m) == ZK_EINPUT && strstr(zk_reason(), "zero-knowledge key allows") != NULL);
    m->s.zk_mc = 0;
    TEST_CHECK(q_model_validate(m) == ZK_OK);
    printf("  cnn zk accumulator widths: LeNet-5 %d -> %d bits (first conv), %zu linear nodes\n", plain[first], keep, lin);
    zk_buf_free(&b);
    free(plain);
    q_model_free(m0);
    q_model_free(m);
}


/* A pk's copy of its weight commitment's encoded matrix (CNN_PK_ENCODED_MAX),
 * plain and hiding: setup keeps it; the pk file carries it 16-aligned
 * after zeros, and cnn_pk_deserialize_mapped leaves it in the mapping;
 * proofs from it verify, and so do proofs from the same key without it; a
 * matrix of the wrong length or after non-zero padding is refused at load,
 * and a key whose matrix is not the commitment's makes no proof. */
static void test_pk_encoded(void) {
    for (int zk = 0; zk < 2; zk++) {
        q_model *m = NULL;
        if (!test_quantize_model(&m, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json")) return;
        m->s.zk_mc = zk;
        cnn_key *k = NULL, *a = NULL, *b = NULL, *vk = NULL;
        TEST_REQUIRE(cnn_setup_zk(&k, m, 6) == ZK_OK);
        int certified = k->wcom.certified;
        pcs_ligero_params wp = zk ? pcs_ligero_zk_params_for(k->w_nvars, certified, 6)
                                  : pcs_ligero_params_for(k->w_nvars, certified);
        size_t eb = pcs_ligero_encoded_bytes(&wp);
        TEST_REQUIRE(eb <= CNN_PK_ENCODED_MAX && k->wenc != NULL && k->wenc_len == eb);
        zk_buf pb, vb;
        zk_buf_init(&pb);
        zk_buf_init(&vb);
        cnn_pk_serialize(&pb, k);
        cnn_vk_serialize(&vb, k);
        TEST_REQUIRE(cnn_vk_deserialize(&vk, vb.data, vb.len) == ZK_OK);
        uint8_t *own = mmap(NULL, pb.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        TEST_REQUIRE(own != MAP_FAILED);
        memcpy(own, pb.data, pb.len);
        TEST_REQUIRE(cnn_pk_deserialize_mapped(&a, own, pb.len) == ZK_OK); /* keeps the mapping */
        TEST_CHECK(a->wenc_buf == own && a->wenc_map_len == pb.len && a->wenc_len == eb &&
                   memcmp(a->wenc, k->wenc, eb) == 0);
        size_t off = (size_t)(a->wenc - own), lenpos = 0;
        for (size_t pad = 0; pad < 16 && !lenpos; pad++) { /* the u64 length, then pad zeros */
            uint64_t l;
            memcpy(&l, pb.data + off - 8 - pad, 8);
            if (l == eb) lenpos = off - 8 - pad;
        }
        uint64_t l0;
        memcpy(&l0, pb.data + lenpos, 8);
        TEST_CHECK(off % 16 == 0 && l0 == eb && off - lenpos - 8 < 16);
        int64_t *xq = lenet_input(a->m);
        TEST_REQUIRE(xq);
        zk_buf p1, p2;
        zk_buf_init(&p1);
        zk_buf_init(&p2);
        TEST_CHECK(cnn_prove(&p1, a, xq, NULL, NULL) == ZK_OK && cnn_verify(vk, p1.data, p1.len, NULL, NULL) == ZK_OK);
        /* the same key without its matrix: u64 0 in its place, the same padding; the next slot */
        zk_buf nb;
        zk_buf_init(&nb);
        zk_buf_put(&nb, pb.data, lenpos);
        zk_buf_put_u64(&nb, 0);
        zk_buf_put(&nb, pb.data + lenpos + 8, off - lenpos - 8);
        zk_buf_put(&nb, pb.data + off + eb, pb.len - off - eb);
        if (zk) nb.data[a->wused_at] = (uint8_t)*a->wused;
        uint8_t *nm = mmap(NULL, nb.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        TEST_REQUIRE(nm != MAP_FAILED);
        memcpy(nm, nb.data, nb.len);
        TEST_CHECK(cnn_pk_deserialize_mapped(&b, nm, nb.len) == ZK_OK && b->wenc == NULL && b->wenc_map_len == 0);
        cnn_key_free(b); /* the mapping was given back at load */
        b = NULL;
        nm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        TEST_REQUIRE(nm != MAP_FAILED);
        TEST_CHECK(cnn_pk_deserialize_mapped(&b, nm, 4096) == ZK_EFORMAT && b == NULL); /* zeros: bad magic */
        TEST_REQUIRE(cnn_pk_deserialize(&b, nb.data, nb.len) == ZK_OK);
        TEST_CHECK(b->wenc == NULL && b->wenc_len == 0);
        TEST_CHECK(cnn_prove(&p2, b, xq, NULL, NULL) == ZK_OK && cnn_verify(vk, p2.data, p2.len, NULL, NULL) == ZK_OK);
        TEST_CHECK(p2.len == p1.len && (zk ? memcmp(p1.data, p2.data, p1.len) != 0 : memcmp(p1.data, p2.data, p1.len) == 0));
        cnn_key_free(b);
        b = NULL;
        /* refused at load: a length neither 0 nor the commitment's; a non-zero padding byte */
        zk_buf cb;
        zk_buf_init(&cb);
        zk_buf_put(&cb, pb.data, pb.len);
        static const uint64_t bad_len[3] = {16, 1, 0};
        for (int j = 0; j < 3; j++) {
            uint64_t bl = j < 2 ? eb - bad_len[j] : eb + 16;
            memcpy(cb.data + lenpos, &bl, 8);
            TEST_CHECK(cnn_pk_deserialize(&b, cb.data, cb.len) == ZK_EFORMAT && b == NULL &&
                       strstr(zk_reason(), "encoded matrix") != NULL);
        }
        memcpy(cb.data + lenpos, &l0, 8);
        if (off > lenpos + 8) {
            cb.data[off - 1] = 1;
            TEST_CHECK(cnn_pk_deserialize(&b, cb.data, cb.len) == ZK_EFORMAT && b == NULL);
            cb.data[off - 1] = 0;
        }
        /* a matrix that is not the commitment's (all zeros): the proof is refused */
        memset(cb.data + off, 0, eb);
        if (zk) cb.data[a->wused_at] = (uint8_t)(*a->wused + 1);
        TEST_REQUIRE(cnn_pk_deserialize(&b, cb.data, cb.len) == ZK_OK);
        zk_buf p3;
        zk_buf_init(&p3);
        TEST_CHECK(cnn_prove(&p3, b, xq, NULL, NULL) == ZK_EFORMAT && strstr(zk_reason(), "do not match") != NULL);
        printf("  cnn pk encoded matrix (%s): %zu bytes in a %zu-byte pk; proofs %zu bytes with and without it\n",
               zk ? "hiding" : "plain", eb, pb.len, p1.len);
        zk_buf_free(&p3);
        zk_buf_free(&cb);
        zk_buf_free(&nb);
        zk_buf_free(&p1);
        zk_buf_free(&p2);
        zk_buf_free(&pb);
        zk_buf_free(&vb);
        free(xq);
        cnn_key_free(b);
        cnn_key_free(a);
        cnn_key_free(vk);
        cnn_key_free(k);
    }
}

/* W committed hiding with a budget (the weight-range certificate's opening
 * and one per proof), the slot count in the proving key, stale counts
 * refused; the vk says W is hiding and its proofs verify. */
static void test_zk_weights(zk_rng *rng) {
    (void)rng;
    q_model *m = NULL;
    if (!test_quantize_model(&m, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json")) return;
    m->s.zk_mc = 1;
    cnn_key *k = NULL, *pk = NULL, *vk = NULL, *stale = NULL;
    TEST_CHECK(cnn_setup_zk(&k, m, 0) == ZK_EINPUT && k == NULL); /* budget outside 1..64 (takes m) */
    TEST_REQUIRE(test_quantize_model(&m, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json"));
    m->s.zk_mc = 1;
    TEST_REQUIRE(cnn_setup_zk(&k, m, 4) == ZK_OK);
    TEST_CHECK(k->wcom.zk == 1 && k->wcom.openings == 4 && *k->wused == 1 && cnn_key_proofs_left(k) == 3);
    zk_buf pb0, vb;
    zk_buf_init(&pb0);
    zk_buf_init(&vb);
    cnn_pk_serialize(&pb0, k); /* count 1: the certificate's slot */
    cnn_vk_serialize(&vb, k);
    TEST_REQUIRE(cnn_pk_deserialize(&pk, pb0.data, pb0.len) == ZK_OK && cnn_vk_deserialize(&vk, vb.data, vb.len) == ZK_OK);
    uint32_t ver;
    memcpy(&ver, vb.data + 8, 4);
    TEST_CHECK(ver == CNN_KEY_VERSION_ZKW && vk->wcom.zk == 1 && vk->wcom.openings == 4 && vk->wused == NULL);
    TEST_CHECK(pk->wused_at > 0 && pb0.data[pk->wused_at] == 1 && *pk->wused == 1);
    int64_t *xq = lenet_input(pk->m);
    TEST_REQUIRE(xq);
    /* two proofs from one in-memory key: slots 1 and 2, the count advanced, both verify */
    zk_buf p1, p2, p3;
    zk_buf_init(&p1);
    zk_buf_init(&p2);
    zk_buf_init(&p3);
    cnn_stats s1, s2;
    TEST_CHECK(cnn_prove(&p1, pk, xq, NULL, &s1) == ZK_OK && s1.w_slot == 1 && *pk->wused == 2);
    TEST_CHECK(s1.counted_bits >= cnn_soundness_bits(pk) && cnn_soundness_bits(pk) >= CNN_MIN_SOUNDNESS_BITS);
    cnn_prover *pv = NULL; /* a prover made before another proof of the same key: it does not reuse that slot */
    TEST_REQUIRE(cnn_prover_new(&pv, pk) == ZK_OK);
    TEST_CHECK(cnn_prove(&p2, pk, xq, NULL, &s2) == ZK_OK && s2.w_slot == 2 && *pk->wused == 3);
    TEST_CHECK(cnn_verify(vk, p1.data, p1.len, NULL, NULL) == ZK_OK && cnn_verify(vk, p2.data, p2.len, NULL, NULL) == ZK_OK);
    /* the slot is in the proof ("pcs/zk/slot" of W's opening, after ADV's slot 0) */
    cnn_stats s3;
    TEST_CHECK(cnn_prover_prove(pv, &p3, xq, NULL, &s3) == ZK_OK && s3.w_slot == 3 && *pk->wused == 4);
    TEST_CHECK(cnn_verify(vk, p3.data, p3.len, NULL, NULL) == ZK_OK);
    TEST_CHECK(cnn_key_proofs_left(pk) == 0);
    /* the budget is spent: refused by the prover and by cnn_prove, no bytes written */
    zk_buf p4;
    zk_buf_init(&p4);
    TEST_CHECK(cnn_prover_prove(pv, &p4, xq, NULL, NULL) == ZK_EINPUT && strstr(zk_reason(), "used up") != NULL);
    TEST_CHECK(cnn_prove(&p4, pk, xq, NULL, NULL) == ZK_EINPUT && strstr(zk_reason(), "budget (4) is used up") != NULL);
    TEST_CHECK(p4.len == 0);
    cnn_prover_free(pv);
    /* the count goes into the key's bytes: 4 at wused_at, the rest as before */
    zk_buf pb1;
    zk_buf_init(&pb1);
    cnn_pk_serialize(&pb1, pk);
    TEST_CHECK(pb1.len == pb0.len && pb1.data[pk->wused_at] == 4);
    pb1.data[pk->wused_at] = 1;
    TEST_CHECK(memcmp(pb1.data, pb0.data, pb0.len) == 0);
    /* a stale copy of the key (count 1): its slot was used in this process, refused */
    TEST_REQUIRE(cnn_pk_deserialize(&stale, pb0.data, pb0.len) == ZK_OK);
    TEST_CHECK(cnn_prove(&p4, stale, xq, NULL, NULL) == ZK_EINPUT && strstr(zk_reason(), "already used") != NULL);
    cnn_key_free(stale);
    stale = NULL;
    /* a count beyond the budget, a budget of 0 or 65, a truncated seed: refused */
    pb1.data[pk->wused_at] = 5;
    TEST_CHECK(cnn_pk_deserialize(&stale, pb1.data, pb1.len) == ZK_EFORMAT && stale == NULL);
    pb1.data[pk->wused_at] = 1;
    static const uint32_t bad_b[2] = {0, 65};
    for (int j = 0; j < 2; j++) {
        memcpy(pb1.data + pk->wused_at - 4, &bad_b[j], 4);
        TEST_CHECK(cnn_pk_deserialize(&stale, pb1.data, pb1.len) == ZK_EFORMAT && stale == NULL);
        memcpy(vb.data + vb.len - vk->wcert_len - 8 - vk->wrange_len - 8 - 4, &bad_b[j], 4);
        TEST_CHECK(cnn_vk_deserialize(&stale, vb.data, vb.len) == ZK_EFORMAT && stale == NULL);
    }
    TEST_CHECK(cnn_pk_deserialize(&stale, pb1.data, pk->wused_at + 20) == ZK_EFORMAT && stale == NULL);
    /* another budget in the vk: the digest and the parameters change, the key does not load */
    uint32_t b3 = 3;
    memcpy(vb.data + vb.len - vk->wcert_len - 8 - vk->wrange_len - 8 - 4, &b3, 4);
    TEST_CHECK(cnn_vk_deserialize(&stale, vb.data, vb.len) == ZK_EFORMAT && stale == NULL);
    /* the version of a non-zk key with a zk key's fields: refused */
    uint32_t b4 = 4, v5 = CNN_KEY_VERSION;
    memcpy(vb.data + vb.len - vk->wcert_len - 8 - vk->wrange_len - 8 - 4, &b4, 4);
    TEST_CHECK(cnn_vk_deserialize(&stale, vb.data, vb.len) == ZK_OK); /* restored: loads */
    cnn_key_free(stale);
    stale = NULL;
    memcpy(vb.data + 8, &v5, 4);
    TEST_CHECK(cnn_vk_deserialize(&stale, vb.data, vb.len) == ZK_EFORMAT && stale == NULL);
    printf("  cnn zk weights: budget 4, proofs %zu bytes with slots %ld, %ld, %ld; soundness %.2f bits (counted %.2f)\n",
           p1.len, s1.w_slot, s2.w_slot, s3.w_slot, cnn_soundness_bits(pk), s1.counted_bits);
    zk_buf_free(&p1);
    zk_buf_free(&p2);
    zk_buf_free(&p3);
    zk_buf_free(&p4);
    zk_buf_free(&pb0);
    zk_buf_free(&pb1);
    zk_buf_free(&vb);
    free(xq);
    cnn_key_free(k);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

static void test_private_input(zk_rng *rng) {
    (void)rng;
    cnn_key *pk = NULL, *vk = NULL, *pkp = NULL, *vkp = NULL;
    zk_mode = 1;
    in_private = 1;
    int ok = load_keys(&pk, &vk, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json");
    in_private = 0;
    int okp = load_keys(&pkp, &vkp, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json");
    zk_mode = 0;
    if (!ok || !okp) return;
    const q_model *m = pk->m;
    TEST_CHECK(m->s.in_vis == Q_IN_PRIVATE && vk->m->s.in_vis == Q_IN_PRIVATE);
    size_t nin = (size_t)q_numel(m, 0);
    float *x = NULL;
    TEST_REQUIRE(in_load_one(&x, "models/inputs/lenet5_fashion_0.json", nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_REQUIRE(q_quantize_input(xq, m, x) == ZK_OK);
    uint8_t seed[32], seed2[32], root[32], want[32];
    for (int j = 0; j < 32; j++) seed[j] = (uint8_t)zk_rng_u64(rng), seed2[j] = seed[j];
    seed2[5] ^= 1;
    cnn_prover *pv = NULL;
    TEST_REQUIRE(cnn_prover_new_lazy(&pv, pk) == ZK_OK);
    cnn_prover_set_input_seed(pv, seed);
    zk_buf proof, again;
    zk_buf_init(&proof);
    zk_buf_init(&again);
    q_witness *w = NULL;
    TEST_REQUIRE(cnn_prover_prove(pv, &proof, xq, &w, NULL) == ZK_OK);
    /* the same input again: the seed served one proof, so a fresh commitment
     * (one seed opened twice would give the input away, protocol.md 9.6) */
    TEST_CHECK(cnn_prover_prove(pv, &again, xq, NULL, NULL) == ZK_OK);
    cnn_prover_free(pv);
    int64_t *vin = (int64_t *)1, *vout = NULL;
    TEST_CHECK(cnn_verify(vk, proof.data, proof.len, &vin, &vout) == ZK_OK && vin == NULL);
    TEST_CHECK(vout && memcmp(vout, q_output(m, w), (size_t)q_numel(m, m->output) * 8) == 0);
    free(vout);
    TEST_CHECK(cnn_verify_private(vk, proof.data, proof.len, NULL, NULL, root, NULL) == ZK_OK);
    TEST_CHECK(cnn_input_root(want, vk, xq, seed) == ZK_OK && memcmp(want, root, 32) == 0);
    uint8_t root2[32];
    TEST_CHECK(cnn_verify_private(vk, again.data, again.len, NULL, NULL, root2, NULL) == ZK_OK &&
               memcmp(root2, root, 32) != 0);
    TEST_CHECK(cnn_input_root(want, vk, xq, seed) == ZK_OK && memcmp(want, root2, 32) != 0);
    TEST_CHECK(again.len == proof.len && memcmp(again.data + 64, proof.data + 64, proof.len - 64) != 0);
    /* another seed or another input does not open it */
    TEST_CHECK(cnn_input_root(want, vk, xq, seed2) == ZK_OK && memcmp(want, root, 32) != 0);
    xq[nin / 3] += 1;
    TEST_CHECK(cnn_input_root(want, vk, xq, seed) == ZK_OK && memcmp(want, root, 32) != 0);
    xq[nin / 3] -= 1;
    TEST_CHECK(cnn_verify_private(vkp, proof.data, proof.len, NULL, NULL, root, NULL) == ZK_EINPUT); /* public key */
    /* no run of the quantized input or of the weights is in the
     * private-input proof; the public-input proof of the same input (zk
     * mode too) carries the input, so the check can fail. The weights are
     * committed hiding in a zk key (protocol.md sec. 9.5): with W's plain
     * opening before, its combined rows and columns were still functionals
     * of the weights, not their values; now not even a single weight's
     * encoding (of two nonzero bytes or more: singles_found) appears after
     * the statement (the output, in the clear, holds small integers that a
     * weight may equal) */
    run16 *ri, *rw;
    size_t nri = runs_of(&ri, xq, nin);
    pl_plan *pl;
    TEST_REQUIRE(pl_build(&pl, m) == ZK_OK);
    fm61 *W = pl_weights(pl);
    int64_t *wv = zk_malloc_n((size_t)1 << pl->wnv, sizeof *wv);
    for (size_t j = 0; j < ((size_t)1 << pl->wnv); j++) wv[j] = fm61_to_i64(W[j]);
    size_t nrw = runs_of(&rw, wv, (size_t)1 << pl->wnv);
    size_t hin = runs_found(proof.data, proof.len, ri, nri), hw = runs_found(proof.data, proof.len, rw, nrw);
    size_t stmt = PCS_DIGEST_BYTES + 4 + 8 * (size_t)q_numel(m, m->output); /* input root, budget, output */
    size_t hw1 = singles_found(proof.data + stmt, proof.len - stmt, wv, (size_t)1 << pl->wnv);
    zk_buf pub;
    zk_buf_init(&pub);
    TEST_CHECK(cnn_prove(&pub, pkp, xq, NULL, NULL) == ZK_OK);
    size_t hpub = runs_found(pub.data, pub.len, ri, nri);
    printf("  cnn private input: proof %zu bytes; windows equal to a run of two input values %zu (of %zu runs; the "
           "public-input proof: %zu), of two weights %zu (of %zu), of one weight after the statement %zu\n", proof.len,
           hin, nri, hpub, hw, nrw, hw1);
    TEST_CHECK(hin == 0 && hpub > 0 && hw == 0 && hw1 == 0);
    zk_buf_free(&pub);
    free(ri);
    free(rw);
    free(wv);
    free(W);
    pl_free(pl);
    /* attacks on the input: its value changed after inference (relations
     * broken), out of range, its range-checked copy disagreeing */
    for (int k = 0; k < 3; k++) {
        in_attack a = {.kind = k};
        cnn_set_witness_hook(in_attack_hook, &a);
        cnn_set_adv_hook(in_adv_hook, &a);
        zk_buf bad;
        zk_err e = prove_verify(pk, vk, xq, &bad);
        cnn_set_witness_hook(NULL, NULL);
        cnn_set_adv_hook(NULL, NULL);
        TEST_CHECK(a.done);
        if (e != ZK_EPROOF) fprintf(stderr, "private input attack %d: verifier returned %d\n", k, (int)e);
        TEST_CHECK(e == ZK_EPROOF);
        zk_buf_free(&bad);
    }
    q_witness_free(w);
    zk_buf_free(&proof);
    zk_buf_free(&again);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
    cnn_key_free(pkp);
    cnn_key_free(vkp);
}

/* ---- a private output (Q_OUT_PRIVATE; protocol.md sec. 9.7) ---- */
static void test_private_output(zk_rng *rng) {
    cnn_key *pk = NULL, *vk = NULL;
    zk_mode = out_private = 1;
    int ok = load_keys(&pk, &vk, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json");
    zk_mode = out_private = 0;
    if (!ok) return;
    const q_model *m = pk->m;
    TEST_CHECK(vk->m->s.out_vis == Q_OUT_PRIVATE);
    size_t nin = (size_t)q_numel(m, 0), nout = (size_t)q_numel(m, m->output);
    float *x = NULL;
    TEST_REQUIRE(in_load_one(&x, "models/inputs/lenet5_fashion_0.json", nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_REQUIRE(q_quantize_input(xq, m, x) == ZK_OK);
    uint8_t seed[32], root[32], want[32];
    for (int j = 0; j < 32; j++) seed[j] = (uint8_t)zk_rng_u64(rng);
    cnn_prover *pv = NULL;
    TEST_REQUIRE(cnn_prover_new_lazy(&pv, pk) == ZK_OK);
    cnn_prover_set_output_seed(pv, seed);
    zk_buf proof;
    zk_buf_init(&proof);
    q_witness *w = NULL;
    TEST_REQUIRE(cnn_prover_prove(pv, &proof, xq, &w, NULL) == ZK_OK);
    cnn_prover_free(pv);
    int64_t *vin = NULL, *vout = (int64_t *)1;
    TEST_CHECK(cnn_verify(vk, proof.data, proof.len, &vin, &vout) == ZK_OK && vout == NULL);
    TEST_CHECK(vin && memcmp(vin, xq, nin * 8) == 0); /* the input stays public */
    free(vin);
    TEST_CHECK(cnn_verify_private(vk, proof.data, proof.len, NULL, NULL, NULL, root) == ZK_OK);
    int64_t *y = zk_malloc_n(nout, sizeof *y);
    memcpy(y, q_output(m, w), nout * sizeof *y);
    TEST_CHECK(cnn_output_root(want, vk, y, seed) == ZK_OK && memcmp(want, root, 32) == 0);
    y[3] += 1; /* another output does not open it */
    TEST_CHECK(cnn_output_root(want, vk, y, seed) == ZK_OK && memcmp(want, root, 32) != 0);
    TEST_CHECK(cnn_input_root(want, vk, xq, seed) == ZK_EINPUT); /* no input commitment */
    /* the claimed output +1 (committed and as the witness), and an output
     * activation +1: rejected */
    static const struct {
        int kind;
        nn_op op;
    } atk[] = {{ATK_OUTPUT, NN_FC}, {ATK_TENSOR, NN_FC}, {ATK_REM_WRAP, NN_FC}};
    for (size_t k = 0; k < sizeof atk / sizeof atk[0]; k++) {
        attack a = {.kind = atk[k].kind, .op = atk[k].op, .nth = 2, .pick = zk_rng_u64(rng)};
        cnn_set_witness_hook(attack_hook, &a);
        zk_buf bad;
        zk_err e = prove_verify(pk, vk, xq, &bad);
        cnn_set_witness_hook(NULL, NULL);
        TEST_CHECK(a.done && e == ZK_EPROOF);
        zk_buf_free(&bad);
    }
    free(y);
    q_witness_free(w);
    zk_buf_free(&proof);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

/* ---- the two-challenge logUp (protocol.md sec. 7.4) ----
 * The small ResNet has 2^19 lookup leaves, so its lookup runs with two
 * challenges (PL_LU_TWO_MIN); its lookup messages altered in flight (the
 * root, and leaf values at occurrences 0, 1 and two random ones) are
 * rejected. */
static void test_lookup_two(zk_rng *rng) {
    cnn_key *pk = NULL, *vk = NULL;
    if (!load_keys(&pk, &vk, "models/resnet_small.onnx", "models/calib/resnet_small_calib.json")) return;
    const q_model *m = pk->m;
    pl_plan *pl = NULL;
    TEST_REQUIRE(pl_build(&pl, m) == ZK_OK);
    TEST_CHECK(pl->lu_two && pl->lnv >= PL_LU_TWO_MIN);
    pl_free(pl);
    size_t nin = (size_t)q_numel(m, 0);
    float *x = NULL;
    TEST_REQUIRE(in_load_one(&x, "models/inputs/resnet_small_0.json", nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_REQUIRE(q_quantize_input(xq, m, x) == ZK_OK);
    static const char *const labels[] = {"cnn/lu/root", "cnn/lu/leaf"};
    long tried = 0;
    /* the root, and the leaf values at occurrences 0, 1 and two random ones
     * below 48 (every occurrence would take a minute under ASan) */
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++)
        for (int n = 0; n < (k ? 4 : 1); n++) {
            size_t occ = n < 2 ? (size_t)n : zk_rng_u64(rng) % 48;
            tamper_ctx t = {.label = labels[k], .occ = occ};
            cnn_set_tamper(tamper_fn, &t);
            zk_buf proof;
            zk_err e = prove_verify(pk, vk, xq, &proof);
            cnn_set_tamper(NULL, NULL);
            zk_buf_free(&proof);
            if (!t.hit) {
                TEST_CHECK(e == ZK_OK);
                continue;
            }
            tried++;
            if (e == ZK_OK) fprintf(stderr, "resnet: tampered %s #%zu accepted\n", labels[k], occ);
            TEST_CHECK(e == ZK_EPROOF);
        }
    TEST_CHECK(tried >= 2);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

/* ---- certified weight commitments (pcs.h, protocol.md sec. 5) ----
 * LeNet-5's 2^16-entry weight table, certified by lowering the threshold:
 * the vk carries the certificate and loading checks it; proofs open the
 * weights with the certified (shorter) opening; a damaged, missing or
 * unexpected certificate is a key error; a certified proof does not verify
 * under an uncertified key of the same model, nor the reverse. */
static void test_certified(zk_rng *rng) {
    const char *path = "models/lenet5_fashion.onnx", *calib = "models/calib/lenet5_fashion_calib.json";
    cnn_key *pk0 = NULL, *vk0 = NULL, *pk = NULL, *vk = NULL;
    if (!load_keys(&pk0, &vk0, path, calib)) return;
    TEST_CHECK(vk0->wcert_len == 0 && !vk0->wcom.certified);
    cnn_set_cert_min_vars(1);
    int ok = load_keys(&pk, &vk, path, calib);
    TEST_CHECK(ok);
    if (!ok) {
        cnn_set_cert_min_vars(CNN_WEIGHT_CERT_MIN_VARS);
        cnn_key_free(pk0);
        cnn_key_free(vk0);
        return;
    }
    TEST_CHECK(vk->wcert_len > 0 && vk->wcom.certified && pk->wcom.certified);
    int64_t *xq = lenet_input(pk->m);
    TEST_REQUIRE(xq);
    zk_buf proof, proof0, vb;
    zk_buf_init(&proof);
    zk_buf_init(&proof0);
    zk_buf_init(&vb);
    TEST_REQUIRE(cnn_prove(&proof, pk, xq, NULL, NULL) == ZK_OK);
    zk_err e = cnn_verify(vk, proof.data, proof.len, NULL, NULL);
    if (e) fprintf(stderr, "certified verify: %s\n", zk_reason());
    TEST_CHECK(e == ZK_OK);
    TEST_CHECK(cnn_soundness_bits(vk) >= CNN_MIN_SOUNDNESS_BITS);
    /* the vk's certificate: byte flips, truncation, removal */
    cnn_vk_serialize(&vb, vk);
    size_t cert_at = vb.len - vk->wcert_len;
    for (int rep = 0; rep < 24; rep++) {
        size_t at = cert_at + zk_rng_u64(rng) % vk->wcert_len;
        uint8_t bit = (uint8_t)(1u << (zk_rng_u64(rng) % 8));
        cnn_key *bad = NULL;
        vb.data[at] ^= bit;
        e = cnn_vk_deserialize(&bad, vb.data, vb.len);
        TEST_CHECK(e == ZK_EFORMAT && bad == NULL);
        vb.data[at] ^= bit;
    }
    {
        cnn_key *bad = NULL;
        TEST_CHECK(cnn_vk_deserialize(&bad, vb.data, vb.len - 1) == ZK_EFORMAT);
        /* the certificate length field set to 0 and the bytes dropped */
        zk_buf nb;
        zk_buf_init(&nb);
        zk_buf_put(&nb, vb.data, cert_at - 8);
        zk_buf_put_u64(&nb, 0);
        TEST_CHECK(cnn_vk_deserialize(&bad, nb.data, nb.len) == ZK_EFORMAT);
        zk_buf_free(&nb);
        TEST_CHECK(cnn_vk_deserialize(&bad, vb.data, vb.len) == ZK_OK && bad);
        cnn_key_free(bad);
    }
    /* back to the default threshold: the certified vk is refused, and the
     * proofs of either key do not verify under the other */
    cnn_set_cert_min_vars(CNN_WEIGHT_CERT_MIN_VARS);
    {
        cnn_key *bad = NULL;
        TEST_CHECK(cnn_vk_deserialize(&bad, vb.data, vb.len) == ZK_EFORMAT);
    }
    TEST_REQUIRE(cnn_prove(&proof0, pk0, xq, NULL, NULL) == ZK_OK);
    TEST_CHECK(cnn_verify(vk0, proof0.data, proof0.len, NULL, NULL) == ZK_OK);
    TEST_CHECK(proof.len < proof0.len); /* the certified weight opening is shorter */
    TEST_CHECK(cnn_verify(vk0, proof.data, proof.len, NULL, NULL) != ZK_OK);
    TEST_CHECK(cnn_verify(vk, proof0.data, proof0.len, NULL, NULL) != ZK_OK);
    fprintf(stderr, "  cnn lenet5 certified weights: proof %zu bytes (uncertified %zu), vk certificate %zu bytes\n",
            proof.len, proof0.len, vk->wcert_len);
    zk_buf_free(&vb);
    zk_buf_free(&proof);
    zk_buf_free(&proof0);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
    cnn_key_free(pk0);
    cnn_key_free(vk0);
}

/* ---- every kind of auxiliary value, in every layer that has it ---- */

typedef struct {
    size_t node;
    int kind; /* 0 acc, 1 rem, 2 sign, 3 arg, 4 output tensor */
    uint64_t pick;
    int done;
} advice_atk;

static void advice_hook(void *ctx, const q_model *m, q_witness *w) {
    advice_atk *a = ctx;
    const q_node *nd = &m->nodes[a->node];
    q_nwit *nw = &w->nodes[a->node];
    int64_t ny = q_numel(m, (int32_t)a->node + 1), *y = w->t[a->node + 1];
    const int64_t *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
    for (int64_t t = 0; t < ny; t++) {
        int64_t o = (int64_t)((a->pick + (uint64_t)t) % (uint64_t)ny);
        switch (a->kind) {
        case 0: nw->acc[o] += 1; break;
        case 1:
            if (nd->op == NN_LEAKYRELU && nw->sign[o]) continue; /* rem is unused on the positive branch */
            nw->rem[o] += 1;
            break;
        case 2: nw->sign[o] ^= 1; break;
        case 3: {
            int64_t P = q_max_cells(m, nd), p;
            for (p = 0; p < P; p++) {
                int64_t cell = q_max_cell(m, nd, o, p);
                if (cell >= 0 && x[cell] < y[o]) break;
            }
            if (p == P) continue; /* no strictly smaller cell here */
            nw->arg[o] = p;
            break;
        }
        default: y[o] += 1; break;
        }
        a->done = 1;
        return;
    }
}

/* One model: for every node and every witness array, one value changed in
 * an otherwise honest witness must be rejected -- unless the prover never
 * reads that value (its proof is then byte-identical to the honest one:
 * e.g. the accumulator of an exact shift, a tensor whose only claim needs
 * no merge), in which case nothing false was claimed. */
static void advice_sweep(zk_rng *rng, cnn_key *pk, cnn_key *vk, const int64_t *xq, const char *name, size_t max_nodes) {
    const q_model *m = pk->m;
    size_t tried = 0, rejected = 0, unused = 0;
    zk_buf honest;
    zk_buf_init(&honest);
    TEST_CHECK(cnn_prove(&honest, pk, xq, NULL, NULL) == ZK_OK);
    for (size_t i = 0; i < m->nnodes; i++) {
        if (max_nodes && m->nnodes > max_nodes && zk_rng_u64(rng) % m->nnodes >= max_nodes) continue;
        const q_node *nd = &m->nodes[i];
        int avg = nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL;
        for (int kind = 0; kind < 5; kind++) {
            const q_nwit *nw = NULL;
            (void)nw;
            /* which arrays exist (quant.h sec. 3) and are read by the prover */
            int has = kind == 4 || (kind == 0 && q_op_rescales(nd->op)) ||
                      (kind == 1 && ((q_op_rescales(nd->op) || nd->op == NN_LEAKYRELU) ? nd->k >= 1 : avg)) ||
                      (kind == 2 && (nd->op == NN_RELU || nd->op == NN_LEAKYRELU)) ||
                      (kind == 3 && (nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL));
            if (!has) continue;
            advice_atk a = {.node = i, .kind = kind, .pick = zk_rng_u64(rng)};
            cnn_set_witness_hook(advice_hook, &a);
            zk_buf proof;
            zk_err e = prove_verify(pk, vk, xq, &proof);
            cnn_set_witness_hook(NULL, NULL);
            int same = proof.len == honest.len && memcmp(proof.data, honest.data, proof.len) == 0;
            zk_buf_free(&proof);
            if (!a.done) continue;
            if (same) {
                TEST_CHECK(e == ZK_OK);
                unused++;
                continue;
            }
            tried++;
            rejected += e == ZK_EPROOF;
            if (e != ZK_EPROOF)
                fprintf(stderr, "cnn %s: node %zu (%s) witness array %d changed: verifier returned %d\n", name, i,
                        nn_op_name(nd->op), kind, (int)e);
            TEST_CHECK(e == ZK_EPROOF);
        }
    }
    printf("  cnn %s: %zu of %zu single-value witness changes rejected (%zu more not read by the prover)\n", name,
           rejected, tried, unused);
    TEST_CHECK(tried > 0);
    zk_buf_free(&honest);
}

static void sweep_model(zk_rng *rng, const char *path, const char *calib, const char *input, size_t max_nodes) {
    cnn_key *pk = NULL, *vk = NULL;
    if (!load_keys(&pk, &vk, path, calib)) return;
    size_t nin = (size_t)q_numel(pk->m, 0);
    float *x = NULL;
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    if (input) TEST_CHECK(in_load_one(&x, input, nin) == ZK_OK);
    else {
        float *all = NULL;
        size_t n = 0;
        TEST_CHECK(in_load(&all, &n, calib, nin) == ZK_OK);
        x = all;
    }
    if (x && q_quantize_input(xq, pk->m, x) == ZK_OK) advice_sweep(rng, pk, vk, xq, path, max_nodes);
    free(x);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

/* Conformance cases with the layer kinds the models above lack. */
static void sweep_case(zk_rng *rng, const char *dir) {
    onnx_testcase tc;
    if (onnx_testcase_read(&tc, dir) != ZK_OK) {
        printf("  cnn: %s unreadable: skipped\n", dir);
        return;
    }
    nn_graph *g = NULL;
    const float *in = NULL;
    q_model *m = NULL;
    cnn_key *pk = NULL, *vk = NULL;
    int64_t *xq = NULL;
    zk_buf b;
    zk_buf_init(&b);
    TEST_CHECK(onnx_testcase_import(&g, &in, &tc) == ZK_OK);
    if (!g || q_quantize(&m, g, in, 1, NULL) != ZK_OK) goto done;
    xq = zk_malloc_n((size_t)q_numel(m, 0), sizeof *xq);
    TEST_CHECK(q_quantize_input(xq, m, in) == ZK_OK);
    TEST_CHECK(cnn_setup(&pk, m) == ZK_OK);
    cnn_vk_serialize(&b, pk);
    TEST_CHECK(cnn_vk_deserialize(&vk, b.data, b.len) == ZK_OK);
    if (pk && vk) advice_sweep(rng, pk, vk, xq, strrchr(dir, '/') + 1, 0);
    if (pk && vk) tamper_sweep(rng, pk, vk, xq, 0, 1);
done:
    zk_buf_free(&b);
    free(xq);
    cnn_key_free(pk);
    cnn_key_free(vk);
    nn_graph_free(g);
    onnx_testcase_free(&tc);
}

/* ---- a Pad that crops the tail without changing the variable count ----
 * [1,12] -> [1,10]: the map from the output to the input is the identity
 * on the 10 cells it has, but the input has 12 real cells; honest proofs
 * must verify (the map may not be dropped as an identity claim). */
static void test_pad_crop(zk_rng *rng) {
    static const int64_t crop[][4] = {{0, 0, 0, -2}, {0, 0, 0, -1}, {0, -2, 0, 0}, {0, 1, 0, -3}};
    for (size_t k = 0; k < sizeof crop / sizeof crop[0]; k++) {
        nn_graph *g = gb_new();
        int64_t xd[2] = {1, 12};
        int x = g->input = gb_t(g, "x", 2, xd, NULL);
        nn_attrs a = gb_attrs();
        for (int j = 0; j < 4; j++) a.iattr[j] = crop[k][j];
        int y = gb_n(g, NN_PAD, a, 1, x, -1, -1, NULL);
        int64_t n = nn_numel(&g->tensors[y].shape), wd[2] = {2, n};
        float wv[2 * 12];
        for (int64_t j = 0; j < 2 * n; j++) wv[j] = (float)((double)(zk_rng_u64(rng) % 200) / 100.0 - 1.0);
        gb_n(g, NN_FC, gb_attrs(), 2, y, gb_t(g, "w", 2, wd, wv), -1, NULL);
        float cal[4 * 12];
        for (int j = 0; j < 4 * 12; j++) cal[j] = (float)((double)(zk_rng_u64(rng) % 200) / 100.0 - 1.0);
        q_model *m = NULL;
        TEST_REQUIRE(q_quantize(&m, g, cal, 4, NULL) == ZK_OK);
        int64_t xq[12];
        TEST_REQUIRE(q_quantize_input(xq, m, cal) == ZK_OK);
        cnn_key *pk = NULL;
        TEST_REQUIRE(cnn_setup(&pk, m) == ZK_OK);
        zk_buf proof;
        zk_err e = prove_verify(pk, pk, xq, &proof);
        if (e) fprintf(stderr, "pad crop %zu: %s\n", k, zk_reason());
        TEST_CHECK(e == ZK_OK);
        zk_buf_free(&proof);
        cnn_key_free(pk);
        nn_graph_free(g);
    }
}

void test_cnn(zk_rng *rng) {
    test_pad_crop(rng);
    test_model("lenet5_fashion", "models/inputs/lenet5_fashion_0.json");
    test_model("mlp3_fashion", "models/inputs/mlp3_fashion_0.json");
    test_malicious(rng);
    test_certified(rng);
    test_lookup_two(rng);
    sweep_model(rng, "models/lenet5_fashion.onnx", "models/calib/lenet5_fashion_calib.json",
                "models/inputs/lenet5_fashion_0.json", 0);
    sweep_model(rng, "models/resnet_small.onnx", "models/calib/resnet_small_calib.json",
                "models/inputs/resnet_small_0.json", 6);
    sweep_model(rng, "tests/data/matmul_act.onnx", "tests/data/matmul_act_calib.json", NULL, 0);
    static const char *const cases[] = {"node/test_leakyrelu", "node/test_averagepool_2d_pads",
                                        "node/test_averagepool_2d_pads_count_include_pad", "node/test_globalaveragepool",
                                        "node/test_globalmaxpool", "node/test_batchnorm_example", "node/test_mul",
                                        "node/test_sub", "pytorch-converted/test_ConstantPad2d",
                                        "node/test_maxpool_2d_pads",
                                        /* a 5 x 5 window the importer splits into two max pools */
                                        "node/test_maxpool_2d_precomputed_pads"};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char dir[256];
        snprintf(dir, sizeof dir, "/usr/share/libonnx-testdata/data/%s", cases[k]);
        sweep_case(rng, dir);
    }
    /* every kind of message was altered somewhere (the conformance cases
     * bring Add, Affine and AvgPool; without the test data those are not run) */
    int have_data = access("/usr/share/libonnx-testdata/data/node/test_sub", R_OK) == 0;
    /* the zero-knowledge mode (protocol.md sec. 9.5): honest proofs, the
     * attacks and every kind of message altered in flight */
    zk_mode = 1;
    test_model("lenet5_fashion", "models/inputs/lenet5_fashion_0.json");
    test_malicious(rng);
    in_private = out_private = 1; /* and with a private input and output */
    test_model("lenet5_fashion", "models/inputs/lenet5_fashion_0.json");
    in_private = out_private = 0;
    zk_mode = 0;
    test_zk_acc_bits();
    test_zk_weights(rng);
    test_pk_encoded();
    test_private_input(rng);
    test_private_output(rng);
    for (size_t k = 0; k < N_TAMPER_LABELS; k++) {
        if (tamper_hits[k] == 0 && have_data) fprintf(stderr, "cnn: no message %s was tampered\n", tamper_labels[k]);
        TEST_CHECK(tamper_hits[k] > 0 || !have_data);
    }
}
