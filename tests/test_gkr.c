/* GKR tests: honest proofs on random circuits, hand-built known answers,
 * every proof byte altered, wrong witnesses, wrong public data, thread
 * independence. Run with the real commitment (pcs_ligero) and with a
 * transparent "send the table" scheme that isolates the GKR logic. */
#include <string.h>

#include "../src/gkr/gkr.h"
#include "../src/poly/mle.h"
#include "test.h"

/* ---- a transparent scheme for tests: the commitment is the table ---- */
struct pcs_state {
    fm61 *t;
    unsigned n;
};
static fm61 *plain_tables[GKR_MAX_LAYERS];
static size_t plain_count;

static pcs_state *plain_commit(tr_t *tr, const fm61 *t, unsigned n) {
    pcs_state *st = zk_malloc(sizeof *st);
    st->n = n;
    st->t = zk_malloc_n((size_t)1 << n, sizeof *st->t);
    memcpy(st->t, t, ((size_t)1 << n) * sizeof *t);
    tr_put_fm61(tr, "plain/table", t, (size_t)1 << n);
    return st;
}
static void plain_open(tr_t *tr, const pcs_state *st, const fp2 *z) { (void)tr, (void)st, (void)z; }
static void plain_free(pcs_state *st) {
    if (st) free(st->t);
    free(st);
}
static zk_err plain_read(tr_t *tr, pcs_commitment *out, unsigned n) {
    ZK_CHECK(plain_count < GKR_MAX_LAYERS);
    fm61 *t = zk_malloc_n((size_t)1 << n, sizeof *t);
    if (tr_get_fm61(tr, "plain/table", t, (size_t)1 << n) != ZK_OK) {
        free(t);
        return ZK_EFORMAT;
    }
    out->nvars = n;
    memset(out->root, 0, sizeof out->root);
    memcpy(out->root, &plain_count, sizeof plain_count);
    plain_tables[plain_count++] = t;
    return ZK_OK;
}
static zk_err plain_verify(tr_t *tr, const pcs_commitment *c, const fp2 *z, fp2 v) {
    (void)tr;
    size_t idx;
    memcpy(&idx, c->root, sizeof idx);
    if (!fp2_eq(mle_eval_fm61(plain_tables[idx], c->nvars, z), v)) {
        zk_set_reason("plain: wrong evaluation");
        return ZK_EPROOF;
    }
    return ZK_OK;
}
static void plain_reset(void) {
    for (size_t i = 0; i < plain_count; i++) free(plain_tables[i]);
    plain_count = 0;
}
static const pcs_scheme pcs_plain = {"plain", plain_commit, plain_open, plain_free, plain_read, plain_verify};

/* ---- helpers ---- */

static fm61 rand_fm61(zk_rng *rng) { return fm61_reduce64(zk_rng_u64(rng) >> 3); }

static fm61 **random_inputs(zk_rng *rng, const gkr_circuit *c) {
    fm61 **in = zk_calloc(c->nlayers, sizeof *in);
    for (size_t l = 0; l < c->nlayers; l++) {
        if (c->layers[l].kind == GKR_GATES) continue;
        size_t n = (size_t)1 << c->layers[l].nvars;
        in[l] = zk_malloc_n(n, sizeof *in[l]);
        for (size_t i = 0; i < n; i++) in[l][i] = rand_fm61(rng);
    }
    return in;
}

static void free_inputs(fm61 **in, size_t n) {
    for (size_t l = 0; l < n; l++) free(in[l]);
    free(in);
}

static void prove(zk_buf *proof, const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs) {
    zk_buf_init(proof);
    tr_t *tr = tr_new_prover(GKR_PROTOCOL, proof);
    gkr_prove(tr, c, w, pcs);
    tr_free(tr);
}

static zk_err verify(const uint8_t *p, size_t len, const gkr_circuit *c, fm61 *const *pub, fm61 *outputs,
                     const pcs_scheme *pcs) {
    tr_t *tr = tr_new_verifier(GKR_PROTOCOL, p, len);
    zk_err e = gkr_verify(tr, outputs, c, (const fm61 *const *)pub, pcs);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    plain_reset();
    return e;
}

/* ---- tests ---- */

/* out0 = 3 * a0 * b1 + a1 - 5,  out1 = a1 * a1 + b0 (a: committed, b: public) */
static void test_known_answer(void) {
    gkr_circuit *c = gkr_circuit_new(3);
    c->layers[0] = (gkr_layer){.kind = GKR_INPUT_COMMITTED, .nvars = 1};
    c->layers[1] = (gkr_layer){.kind = GKR_INPUT_PUBLIC, .nvars = 1};
    gkr_layer *L = &c->layers[2];
    L->kind = GKR_GATES;
    L->nvars = 1;
    L->xsrc = 0;
    gkr_layer_add_mul(L, 0, 0, 1, 1, 3);
    gkr_layer_add_add(L, 0, 0, 1, 1);
    gkr_layer_add_const(L, 0, fm61_neg(5));
    gkr_layer_add_mul(L, 1, 1, 0, 1, 1);
    gkr_layer_add_add(L, 1, 1, 0, 1);
    TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
    fm61 a[2] = {7, 11}, b[2] = {13, FM61_P - 2};
    const fm61 *in[3] = {a, b, NULL};
    gkr_witness *w = gkr_witness_new(c, in);
    TEST_CHECK(w->v[2][0] == fm61_sub(fm61_add(fm61_mul(3, fm61_mul(7, FM61_P - 2)), 11), 5));
    TEST_CHECK(w->v[2][1] == 11 * 11 + 13);
    for (int s = 0; s < 2; s++) {
        const pcs_scheme *pcs = s ? &pcs_ligero : &pcs_plain;
        zk_buf proof;
        prove(&proof, c, w, pcs);
        fm61 outs[2] = {0, 0};
        fm61 *pub[3] = {NULL, b, NULL};
        TEST_CHECK(verify(proof.data, proof.len, c, pub, outs, pcs) == ZK_OK);
        TEST_CHECK(outs[0] == w->v[2][0] && outs[1] == w->v[2][1]);
        zk_buf_free(&proof);
    }
    gkr_witness_free(w);
    gkr_circuit_free(c);
}

static void test_random_circuits(zk_rng *rng) {
    for (unsigned width = 1; width <= 7; width++) {
        for (unsigned depth = 1; depth <= 4; depth++) {
            gkr_circuit *c = gkr_circuit_random(rng, width, depth);
            fm61 **in = random_inputs(rng, c);
            gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
            const pcs_scheme *pcs = (width + depth) % 2 ? &pcs_ligero : &pcs_plain;
            zk_buf proof;
            prove(&proof, c, w, pcs);
            size_t osize = (size_t)1 << gkr_output_layer(c)->nvars;
            fm61 *outs = zk_calloc(osize, sizeof *outs);
            zk_err e = verify(proof.data, proof.len, c, in, outs, pcs);
            TEST_CHECK(e == ZK_OK);
            if (e != ZK_OK) fprintf(stderr, "  width %u depth %u: %s\n", width, depth, zk_reason());
            TEST_CHECK(memcmp(outs, w->v[c->nlayers - 1], osize * sizeof *outs) == 0);
            free(outs);
            zk_buf_free(&proof);
            gkr_witness_free(w);
            free_inputs(in, c->nlayers);
            gkr_circuit_free(c);
        }
    }
}

/* Every byte of a valid proof, altered, must make the verifier reject. */
static void test_every_byte(zk_rng *rng, const pcs_scheme *pcs, unsigned width, unsigned depth) {
    gkr_circuit *c = gkr_circuit_random(rng, width, depth);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    zk_buf proof;
    prove(&proof, c, w, pcs);
    TEST_REQUIRE(verify(proof.data, proof.len, c, in, NULL, pcs) == ZK_OK);
    long accepted = 0;
    uint8_t *p = zk_malloc(proof.len + 1);
    for (size_t i = 0; i < proof.len; i++) {
        memcpy(p, proof.data, proof.len);
        p[i] ^= (uint8_t)(1u << (zk_rng_u64(rng) % 8));
        if (verify(p, proof.len, c, in, NULL, pcs) == ZK_OK) {
            accepted++;
            fprintf(stderr, "  %s: flipped bit in byte %zu of %zu accepted\n", pcs->name, i, proof.len);
        }
    }
    TEST_CHECK(accepted == 0);
    /* truncation at every length and one trailing byte */
    long trunc_ok = 0;
    for (size_t len = 0; len < proof.len; len += 1 + proof.len / 64)
        trunc_ok += verify(proof.data, len, c, in, NULL, pcs) == ZK_OK;
    TEST_CHECK(trunc_ok == 0);
    memcpy(p, proof.data, proof.len);
    p[proof.len] = 0;
    TEST_CHECK(verify(p, proof.len + 1, c, in, NULL, pcs) == ZK_EFORMAT);
    free(p);
    zk_buf_free(&proof);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

/* Malicious prover: one message changed as it is sent, the rest of the
 * proof computed honestly from the changed transcript. For a sumcheck round
 * (g(0), g(1), g(2)) and for the per-source claims the change keeps the
 * sum, so the first check (g(0)+g(1) = claim, claims add up) still passes
 * and a later check must catch it. Every occurrence of every label. */
typedef struct {
    const char *label;
    size_t occ;
    int hit;
} tamper_ctx;

static void tamper_cb(void *ctx, const char *label, size_t occ, fp2 *v, size_t n) {
    tamper_ctx *t = ctx;
    if (strcmp(label, t->label) != 0 || occ != t->occ || n == 0) return;
    t->hit = 1;
    v[0] = fp2_add(v[0], fp2_one());
    if (n >= 2) v[1] = fp2_sub(v[1], fp2_one());
}

static void test_tampered_messages(zk_rng *rng, const pcs_scheme *pcs) {
    static const char *labels[] = {"sc/round", "gkr/add_sum", "gkr/vx", "gkr/src_claims", "gkr/vy",
                                   "gkr/vin",  "pcs/u0",      "pcs/u1", "pcs/u2",         "pcs/col"};
    gkr_circuit *c = gkr_circuit_random(rng, 3, 3);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    long tried = 0, accepted = 0;
    for (size_t li = 0; li < sizeof labels / sizeof labels[0]; li++) {
        for (size_t occ = 0;; occ++) {
            tamper_ctx t = {labels[li], occ, 0};
            zk_buf proof;
            zk_buf_init(&proof);
            tr_t *tr = tr_new_prover(GKR_PROTOCOL, &proof);
            tr_set_tamper(tr, tamper_cb, &t);
            gkr_prove(tr, c, w, pcs);
            tr_free(tr);
            if (t.hit) {
                tried++;
                if (verify(proof.data, proof.len, c, in, NULL, pcs) == ZK_OK) {
                    accepted++;
                    fprintf(stderr, "  %s: tampered %s #%zu accepted\n", pcs->name, labels[li], occ);
                }
            }
            zk_buf_free(&proof);
            if (!t.hit) break;
        }
    }
    TEST_CHECK(tried > 20);
    TEST_CHECK(accepted == 0);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

/* A prover that runs the protocol honestly on a wrong witness (one value
 * of one layer changed) must be caught, whichever layer it is. */
static void test_wrong_witness(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 4, 4);
    fm61 **in = random_inputs(rng, c);
    for (size_t l = 0; l < c->nlayers; l++) {
        for (int trial = 0; trial < 3; trial++) {
            gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
            size_t i = zk_rng_u64(rng) % ((size_t)1 << c->layers[l].nvars);
            w->v[l][i] = fm61_add(w->v[l][i], 1 + zk_rng_u64(rng) % 1000);
            zk_buf proof;
            const pcs_scheme *pcs = trial == 0 ? &pcs_ligero : &pcs_plain;
            prove(&proof, c, w, pcs);
            /* for a public input layer the verifier holds the true values */
            zk_err e = verify(proof.data, proof.len, c, in, NULL, pcs);
            int ok = e != ZK_OK;
            /* altering a committed input is not cheating: it changes the
             * committed statement, and outputs change accordingly */
            if (c->layers[l].kind == GKR_INPUT_COMMITTED) ok = 1;
            TEST_CHECK(ok);
            if (!ok) fprintf(stderr, "  wrong value in layer %zu accepted\n", l);
            zk_buf_free(&proof);
            gkr_witness_free(w);
        }
    }
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

static void test_wrong_statement(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 3, 3);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    zk_buf proof;
    prove(&proof, c, w, &pcs_ligero);
    TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) == ZK_OK);
    /* another public input */
    in[1][0] = fm61_add(in[1][0], 1);
    TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) != ZK_OK);
    in[1][0] = fm61_sub(in[1][0], 1);
    /* another circuit: one coefficient changed */
    gkr_layer *L = &c->layers[c->nlayers - 1];
    if (L->nadd) L->add[0].coef = fm61_add(L->add[0].coef, 1);
    else L->mul[0].coef = fm61_add(L->mul[0].coef, 1);
    TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
    TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) != ZK_OK);
    zk_buf_free(&proof);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

static void test_threads(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 12, 2);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    int saved = zk_threads();
    zk_buf p1, p2;
    zk_threads_set(1);
    prove(&p1, c, w, &pcs_ligero);
    zk_threads_set(2);
    prove(&p2, c, w, &pcs_ligero);
    zk_threads_set(saved);
    TEST_CHECK(p1.len == p2.len && memcmp(p1.data, p2.data, p1.len) == 0);
    TEST_CHECK(verify(p2.data, p2.len, c, in, NULL, &pcs_ligero) == ZK_OK);
    zk_buf_free(&p1);
    zk_buf_free(&p2);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

static void test_circuit_format(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 3, 2);
    zk_buf b;
    zk_buf_init(&b);
    gkr_circuit_serialize(&b, c);
    gkr_circuit *d = NULL;
    TEST_REQUIRE(gkr_circuit_deserialize(&d, b.data, b.len) == ZK_OK);
    TEST_CHECK(memcmp(c->digest, d->digest, 32) == 0);
    gkr_circuit_free(d);
    /* every truncation and a trailing byte are refused */
    long ok = 0;
    for (size_t len = 0; len < b.len; len++) {
        d = NULL;
        if (gkr_circuit_deserialize(&d, b.data, len) == ZK_OK) ok++, gkr_circuit_free(d);
    }
    TEST_CHECK(ok == 0);
    zk_buf_put(&b, "", 1);
    d = NULL;
    TEST_CHECK(gkr_circuit_deserialize(&d, b.data, b.len) == ZK_EFORMAT);
    /* a forward reference (gate reading its own layer) is refused */
    b.len--;
    gkr_layer *L = &c->layers[c->nlayers - 1];
    if (L->nadd) {
        L->add[0].src = (uint32_t)(c->nlayers - 1);
        TEST_CHECK(gkr_circuit_seal(c) == ZK_EINPUT);
    }
    zk_buf_free(&b);
    gkr_circuit_free(c);
}

void test_gkr(zk_rng *rng) {
    test_known_answer();
    test_random_circuits(rng);
    test_every_byte(rng, &pcs_plain, 2, 2);
    test_every_byte(rng, &pcs_ligero, 2, 1);
    test_tampered_messages(rng, &pcs_plain);
    test_tampered_messages(rng, &pcs_ligero);
    test_wrong_witness(rng);
    test_wrong_statement(rng);
    test_threads(rng);
    test_circuit_format(rng);
}
