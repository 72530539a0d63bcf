/* GKR tests: honest proofs on random and hand-built circuits, known
 * answers, every proof byte altered, wrong witnesses, wrong public data,
 * thread independence; a reference prover written from papers/protocol.md
 * sec. 4 whose honest proofs must be byte-identical to gkr_prove's (so the
 * order of every message and challenge is pinned), and whose cheating
 * variants each target one verifier check: with that check removed the
 * verifier would accept. Run with the real commitment (pcs_ligero) and
 * with a transparent "send the table" scheme that isolates the GKR logic. */
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
static const pcs_scheme pcs_plain = {.name = "plain",
                                     .commit = plain_commit,
                                     .open = plain_open,
                                     .state_free = plain_free,
                                     .read_commitment = plain_read,
                                     .verify = plain_verify};

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
 * and a later check must catch it. Every occurrence of every label.
 *
 * Fiat-Shamir binding: the tamper hook changes only the bytes written, not
 * the prover's state, so every later proof byte is the honest one unless a
 * later challenge depends on the changed message. Hence, where a challenge
 * follows the message, the proof after it must differ from the honest
 * proof's. (Exempt: pcs/col, which no challenge follows inside an opening,
 * and pcs/u1, pcs/u2 on the small tables used here, whose openings send every
 * column; test_pcs covers them with sampled queries.) */
typedef struct {
    const char *label;
    size_t occ;
    int hit;
    const zk_buf *proof; /* where the message lands: offset off, len bytes */
    size_t off, len;
    fp2 seen;            /* spy mode (label matched, no change): v[0] */
    int spy;
} tamper_ctx;

static void tamper_cb(void *ctx, const char *label, size_t occ, fp2 *v, size_t n) {
    tamper_ctx *t = ctx;
    if (strcmp(label, t->label) != 0 || occ != t->occ || n == 0) return;
    t->hit = 1;
    if (t->proof) {
        t->off = t->proof->len;
        t->len = 16 * n;
    }
    t->seen = v[0];
    if (t->spy) return;
    v[0] = fp2_add(v[0], fp2_one());
    if (n >= 2) v[1] = fp2_sub(v[1], fp2_one());
}

static const char *const tamper_labels[] = {"sc/round", "gkr/add_sum", "gkr/vx", "gkr/src_claims", "gkr/vy",
                                            "gkr/vin",  "pcs/u1",      "pcs/u2", "pcs/col"};

/* Returns the number of messages tampered with. */
static long tampered_messages(const gkr_circuit *c, fm61 **in, const pcs_scheme *pcs, const char *name) {
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    zk_buf honest;
    prove(&honest, c, w, pcs);
    long tried = 0, accepted = 0, unbound = 0;
    /* A Ligero opening that sends every column (K <= q: the small tables
     * here) draws no challenge: the claimed values before it (gkr/vin, and
     * gkr/vy where a claim ends on a committed layer) are then checked
     * deterministically, and no later challenge needs to depend on them.
     * The pcs_plain runs check the binding of those labels. */
    int full_openings = pcs == &pcs_ligero;
    for (size_t l = 0; l < c->nlayers; l++)
        if (c->layers[l].kind == GKR_INPUT_COMMITTED) {
            pcs_ligero_params pp = pcs_ligero_params_for(c->layers[l].nvars, 0);
            full_openings &= ((size_t)1 << (pp.log_cols + pp.log_inv_rate)) <= pp.queries;
        }
    for (size_t li = 0; li < sizeof tamper_labels / sizeof tamper_labels[0]; li++) {
        const char *label = tamper_labels[li];
        int exempt = strncmp(label, "pcs/", 4) == 0 ||
                     (full_openings && (strcmp(label, "gkr/vin") == 0 || strcmp(label, "gkr/vy") == 0));
        for (size_t occ = 0;; occ++) {
            zk_buf proof;
            zk_buf_init(&proof);
            tamper_ctx t = {.label = label, .occ = occ, .proof = &proof};
            tr_t *tr = tr_new_prover(GKR_PROTOCOL, &proof);
            tr_set_tamper(tr, tamper_cb, &t);
            gkr_prove(tr, c, w, pcs);
            tr_free(tr);
            if (t.hit) {
                tried++;
                if (verify(proof.data, proof.len, c, in, NULL, pcs) == ZK_OK) {
                    accepted++;
                    fprintf(stderr, "  %s/%s: tampered %s #%zu accepted\n", name, pcs->name, label, occ);
                }
                size_t rest = t.off + t.len;
                if (!exempt && rest < proof.len && proof.len == honest.len &&
                    memcmp(proof.data + rest, honest.data + rest, proof.len - rest) == 0) {
                    unbound++;
                    fprintf(stderr, "  %s/%s: no challenge after %s #%zu depends on it\n", name, pcs->name, label, occ);
                }
            }
            zk_buf_free(&proof);
            if (!t.hit) break;
        }
    }
    TEST_CHECK(accepted == 0);
    TEST_CHECK(unbound == 0);
    zk_buf_free(&honest);
    gkr_witness_free(w);
    return tried;
}

static int reached(const gkr_circuit *c, size_t l);

/* A prover that runs the protocol honestly on a wrong witness (one value
 * of one layer changed) must be caught, whichever layer it is. */
static void wrong_witness(zk_rng *rng, const gkr_circuit *c, fm61 **in, int trials) {
    for (size_t l = 0; l < c->nlayers; l++) {
        /* altering a committed input is not cheating: it changes the
         * committed statement, and outputs change accordingly. (For a
         * public input the transcripts differ; test_targeted has a prover
         * that absorbs the true public input and uses another.) */
        if (c->layers[l].kind == GKR_INPUT_COMMITTED) continue;
        /* a gate layer that no claim reaches does not affect the outputs */
        if (c->layers[l].kind == GKR_GATES && !reached(c, l)) continue;
        for (int trial = 0; trial < trials; trial++) {
            gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
            size_t i = zk_rng_u64(rng) % ((size_t)1 << c->layers[l].nvars);
            w->v[l][i] = fm61_add(w->v[l][i], 1 + zk_rng_u64(rng) % 1000);
            zk_buf proof;
            const pcs_scheme *pcs = trial == 0 ? &pcs_ligero : &pcs_plain;
            prove(&proof, c, w, pcs);
            zk_err e = verify(proof.data, proof.len, c, in, NULL, pcs);
            TEST_CHECK(e != ZK_OK);
            if (e == ZK_OK) fprintf(stderr, "  wrong value in layer %zu accepted\n", l);
            zk_buf_free(&proof);
            gkr_witness_free(w);
        }
    }
}

static void test_wrong_witness(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 4, 4);
    fm61 **in = random_inputs(rng, c);
    wrong_witness(rng, c, in, 3);
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

/* The same proof on 1 and 2 threads, and with the portable kernels. */
static void test_threads(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 12, 2);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    int saved = zk_threads();
    zk_buf p1, p2, p3;
    zk_threads_set(1);
    prove(&p1, c, w, &pcs_ligero);
    zk_threads_set(2);
    prove(&p2, c, w, &pcs_ligero);
    test_portable_kernels(1);
    prove(&p3, c, w, &pcs_ligero);
    test_portable_kernels(0);
    zk_threads_set(saved);
    TEST_CHECK(p1.len == p2.len && memcmp(p1.data, p2.data, p1.len) == 0);
    TEST_CHECK(p1.len == p3.len && memcmp(p1.data, p3.data, p1.len) == 0);
    TEST_CHECK(verify(p2.data, p2.len, c, in, NULL, &pcs_ligero) == ZK_OK);
    zk_buf_free(&p1);
    zk_buf_free(&p2);
    zk_buf_free(&p3);
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

/* ---- hand-built circuits (the "zoo") ---------------------------------- */

/* Shapes random circuits do not produce: several source layers per gate
 * layer, several claims per layer (from several layers, and two from one
 * layer when xsrc = ysrc), mul-free layers, a layer of constants only,
 * layers of 0 variables, two committed layers, one committed layer with a
 * single claim, public layers with several claims, and layers (input and
 * gate) that no claim ever reaches. */
enum {
    ZOO_MULTI,        /* 7 layers: committed, public, mul, mul-free, const-only, 5 sources, output */
    ZOO_MULFREE_OUT,  /* the output layer has no mul gates */
    ZOO_TINY,         /* layers of 0 variables */
    ZOO_TWO_PUBLIC,   /* two public layers, 4 and 3 claims */
    ZOO_COMMITTED_XS, /* committed layer = left input of the output layer, plus one more claim */
    ZOO_ONE_CLAIM,    /* committed layer = left input of the output layer, its only claim */
    ZOO_TWO_COMMITTED,/* two committed layers, both opened */
    ZOO_DANGLING,     /* a committed, a public and a gate layer that nothing reads */
    ZOO_CONSTS,       /* one layer of constants: a gate layer at index 0, no sources */
    ZOO_COUNT
};
static const char *const zoo_names[ZOO_COUNT] = {"multi",     "mulfree-out",   "tiny",     "two-public", "committed-xs",
                                                 "one-claim", "two-committed", "dangling", "consts"};

static fm61 zoo_coef(zk_rng *rng) { return zk_rng_u64(rng) & 1 ? 1 : rand_fm61(rng); }

static uint32_t zoo_idx(zk_rng *rng, const gkr_circuit *c, size_t l) {
    return (uint32_t)(zk_rng_u64(rng) % ((size_t)1 << c->layers[l].nvars));
}

static gkr_layer *zoo_layer(gkr_circuit *c, size_t l, gkr_kind kind, unsigned nvars, uint32_t xsrc) {
    gkr_layer *L = &c->layers[l];
    L->kind = kind;
    L->nvars = nvars;
    L->xsrc = xsrc;
    return L;
}

/* mul(out = g, x from xsrc, y from ys) for every output g of L */
static void zoo_muls(zk_rng *rng, gkr_circuit *c, gkr_layer *L, uint32_t ys) {
    for (uint32_t g = 0; g < 1u << L->nvars; g++)
        gkr_layer_add_mul(L, g, zoo_idx(rng, c, L->xsrc), ys, zoo_idx(rng, c, ys), zoo_coef(rng));
}

static void zoo_adds(zk_rng *rng, gkr_circuit *c, gkr_layer *L, uint32_t src) {
    for (uint32_t g = 0; g < 1u << L->nvars; g++) gkr_layer_add_add(L, g, src, zoo_idx(rng, c, src), zoo_coef(rng));
}

static void zoo_consts(zk_rng *rng, gkr_layer *L, uint32_t every) {
    for (uint32_t g = 0; g < 1u << L->nvars; g += every) gkr_layer_add_const(L, g, rand_fm61(rng));
}

static gkr_circuit *zoo_circuit(zk_rng *rng, int which) {
    gkr_circuit *c = NULL;
    gkr_layer *L;
    switch (which) {
    case ZOO_MULTI:
        c = gkr_circuit_new(7);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 3, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 2, 0);
        L = zoo_layer(c, 2, GKR_GATES, 3, 0);
        zoo_muls(rng, c, L, 1), zoo_adds(rng, c, L, 1), zoo_consts(rng, L, 3);
        L = zoo_layer(c, 3, GKR_GATES, 2, 0); /* mul-free, three sources */
        zoo_adds(rng, c, L, 2), zoo_adds(rng, c, L, 0), zoo_adds(rng, c, L, 1), zoo_consts(rng, L, 1);
        L = zoo_layer(c, 4, GKR_GATES, 2, 0); /* constants only (output 3 stays 0) */
        for (uint32_t g = 0; g < 3; g++) gkr_layer_add_const(L, g, rand_fm61(rng));
        L = zoo_layer(c, 5, GKR_GATES, 3, 3); /* right inputs from 2, 4, 1, 0; adds from 3, 2 */
        for (uint32_t g = 0; g < 8; g++) {
            static const uint32_t ys[4] = {2, 4, 1, 0};
            gkr_layer_add_mul(L, g, zoo_idx(rng, c, 3), ys[g % 4], zoo_idx(rng, c, ys[g % 4]), zoo_coef(rng));
            uint32_t s = g % 2 ? 3 : 2;
            gkr_layer_add_add(L, g, s, zoo_idx(rng, c, s), zoo_coef(rng));
        }
        L = zoo_layer(c, 6, GKR_GATES, 2, 5); /* xsrc = ysrc = 5: two claims on 5 from one layer */
        zoo_muls(rng, c, L, 5), zoo_adds(rng, c, L, 3), zoo_adds(rng, c, L, 1), zoo_consts(rng, L, 2);
        break;
    case ZOO_MULFREE_OUT:
        c = gkr_circuit_new(4);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 2, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 2, 0);
        L = zoo_layer(c, 2, GKR_GATES, 2, 1);
        zoo_muls(rng, c, L, 0);
        L = zoo_layer(c, 3, GKR_GATES, 2, 0);
        zoo_adds(rng, c, L, 2), zoo_adds(rng, c, L, 0), zoo_adds(rng, c, L, 1), zoo_consts(rng, L, 1);
        break;
    case ZOO_TINY:
        c = gkr_circuit_new(4);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 1, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 0, 0);
        L = zoo_layer(c, 2, GKR_GATES, 0, 1); /* phase 1 over 0 variables */
        gkr_layer_add_mul(L, 0, 0, 0, 1, zoo_coef(rng));
        gkr_layer_add_add(L, 0, 1, 0, zoo_coef(rng));
        gkr_layer_add_const(L, 0, rand_fm61(rng));
        L = zoo_layer(c, 3, GKR_GATES, 1, 2);
        gkr_layer_add_mul(L, 0, 0, 2, 0, zoo_coef(rng));
        gkr_layer_add_mul(L, 1, 0, 1, 0, zoo_coef(rng));
        gkr_layer_add_add(L, 1, 0, zoo_idx(rng, c, 0), zoo_coef(rng));
        break;
    case ZOO_TWO_PUBLIC:
        c = gkr_circuit_new(5);
        zoo_layer(c, 0, GKR_INPUT_PUBLIC, 2, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 2, 0);
        L = zoo_layer(c, 2, GKR_GATES, 2, 0);
        zoo_muls(rng, c, L, 1), zoo_adds(rng, c, L, 0), zoo_adds(rng, c, L, 1);
        L = zoo_layer(c, 3, GKR_GATES, 2, 2); /* sources 0, 1, 2 */
        zoo_muls(rng, c, L, 0), zoo_adds(rng, c, L, 1), zoo_adds(rng, c, L, 2);
        L = zoo_layer(c, 4, GKR_GATES, 2, 3);
        zoo_muls(rng, c, L, 1), zoo_adds(rng, c, L, 0), zoo_adds(rng, c, L, 2), zoo_adds(rng, c, L, 3);
        break;
    case ZOO_COMMITTED_XS:
        c = gkr_circuit_new(4);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 3, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 2, 0);
        L = zoo_layer(c, 2, GKR_GATES, 2, 1);
        zoo_muls(rng, c, L, 0), zoo_adds(rng, c, L, 0);
        L = zoo_layer(c, 3, GKR_GATES, 2, 0);
        zoo_muls(rng, c, L, 2), zoo_adds(rng, c, L, 1), zoo_adds(rng, c, L, 2);
        break;
    case ZOO_ONE_CLAIM:
        c = gkr_circuit_new(3);
        zoo_layer(c, 0, GKR_INPUT_PUBLIC, 2, 0);
        zoo_layer(c, 1, GKR_INPUT_COMMITTED, 2, 0);
        L = zoo_layer(c, 2, GKR_GATES, 2, 1);
        zoo_muls(rng, c, L, 0), zoo_adds(rng, c, L, 0);
        break;
    case ZOO_TWO_COMMITTED:
        c = gkr_circuit_new(5);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 2, 0);
        zoo_layer(c, 1, GKR_INPUT_COMMITTED, 3, 0);
        zoo_layer(c, 2, GKR_INPUT_PUBLIC, 1, 0);
        L = zoo_layer(c, 3, GKR_GATES, 2, 1);
        zoo_muls(rng, c, L, 0), zoo_adds(rng, c, L, 2);
        L = zoo_layer(c, 4, GKR_GATES, 2, 3);
        zoo_muls(rng, c, L, 1), zoo_adds(rng, c, L, 0), zoo_consts(rng, L, 2);
        break;
    case ZOO_DANGLING:
        c = gkr_circuit_new(5);
        zoo_layer(c, 0, GKR_INPUT_COMMITTED, 2, 0);
        zoo_layer(c, 1, GKR_INPUT_PUBLIC, 2, 0);
        zoo_layer(c, 2, GKR_INPUT_PUBLIC, 2, 0);
        L = zoo_layer(c, 3, GKR_GATES, 2, 0);
        zoo_adds(rng, c, L, 2), zoo_consts(rng, L, 1);
        L = zoo_layer(c, 4, GKR_GATES, 2, 2);
        zoo_muls(rng, c, L, 2), zoo_adds(rng, c, L, 2), zoo_consts(rng, L, 2);
        break;
    case ZOO_CONSTS:
        c = gkr_circuit_new(1);
        L = zoo_layer(c, 0, GKR_GATES, 2, 0);
        for (uint32_t g = 0; g < 3; g++) gkr_layer_add_const(L, g, rand_fm61(rng));
        break;
    }
    ZK_CHECK(c && gkr_circuit_seal(c) == ZK_OK);
    return c;
}

/* ---- a reference prover, written from papers/protocol.md sec. 4 -------- */

/* Plain loops, no scratch pad, its own degree-2 sumcheck prover. Honest, it
 * must write exactly gkr_prove's bytes. Each cheat below applies at one
 * layer (RP_NONE: nowhere) and is built so that exactly one verifier check
 * stands between it and acceptance. */
#define RP_NONE SIZE_MAX

typedef struct {
    size_t adjust_a; /* A := C - K - sum_x V_xs(x) h1(x): phase 1 (or C-K-A = 0) holds for a false C */
    size_t true_p1;  /* the phase-1 sumcheck is run on the true sum, not on the claimed C-K-A */
    size_t lie_vu;   /* v_u := e1 / h1(u): the source claims add up, V_xs(u) = v_u is false */
    size_t shift;    /* source claims c_sa += d, c_sb -= d (their sum unchanged) */
    size_t sa, sb;
    int true_p2;     /* with shift: the phase-2 sumchecks are run on the true c_j */
    int lie_w;       /* with shift: w := reduced claim / f(v), the phase-2 final checks hold */
    size_t true_in;  /* committed layer: claim reduction run on the true combined claim */
    size_t lie_vin;  /* committed layer: vin := reduced claim / G(z) */
    fm61 *const *absorb_pub; /* public values put in the transcript (NULL: the witness's) */
} rp_cheat;

static rp_cheat rp_honest(void) {
    return (rp_cheat){.adjust_a = RP_NONE, .true_p1 = RP_NONE, .lie_vu = RP_NONE, .shift = RP_NONE,
                      .true_in = RP_NONE, .lie_vin = RP_NONE};
}

typedef struct {
    fp2 *pt[64];
    fp2 val[64];
    size_t n;
} rp_claims;

static void rp_push(rp_claims *cl, const fp2 *pt, unsigned nvars, fp2 val) {
    ZK_CHECK(cl->n < 64);
    cl->pt[cl->n] = zk_malloc_n(nvars + 1, sizeof(fp2));
    if (nvars) memcpy(cl->pt[cl->n], pt, nvars * sizeof(fp2));
    cl->val[cl->n++] = val;
}

static fp2 *rp_lift(const fm61 *v, unsigned nvars) {
    size_t n = (size_t)1 << nvars;
    fp2 *t = zk_malloc_n(n, sizeof *t);
    for (size_t i = 0; i < n; i++) t[i] = fp2_from_fm61(v[i]);
    return t;
}

static fp2 rp_dot(const fp2 *a, const fp2 *b, size_t n) {
    fp2 s = fp2_zero();
    for (size_t i = 0; i < n; i++) s = fp2_add(s, fp2_mul(a[i], b[i]));
    return s;
}

/* g(r) for the quadratic with values g[0..2] at 0, 1, 2 (Lagrange):
 * g0 (r-1)(r-2)/2 - g1 r(r-2) + g2 r(r-1)/2. */
static fp2 rp_quadratic(const fp2 g[3], fp2 r) {
    const fm61 half = (fm61)1 << 60; /* 2 * 2^60 = 2^61 = 1 mod p */
    fp2 r1 = fp2_sub(r, fp2_one()), r2 = fp2_sub(r, fp2_from_fm61(2));
    fp2 v = fp2_mul_fm61(fp2_mul(g[0], fp2_mul(r1, r2)), half);
    v = fp2_sub(v, fp2_mul(g[1], fp2_mul(r, r2)));
    return fp2_add(v, fp2_mul_fm61(fp2_mul(g[2], fp2_mul(r, r1)), half));
}

/* Sumcheck for sum_x a(x) b(x) = claim (sec. 3): g(0), g(1) = claim - g(0),
 * g(2) per round, highest variable first. a, b are folded in place; returns
 * the reduced claim, fin = {a(pt), b(pt)}. */
static fp2 rp_sumcheck(tr_t *tr, fp2 *pt, fp2 fin[2], fp2 *a, fp2 *b, unsigned n, fp2 claim) {
    for (unsigned s = 0; s < n; s++) {
        size_t h = (size_t)1 << (n - 1 - s);
        fp2 g[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
        for (size_t i = 0; i < h; i++) {
            g[0] = fp2_add(g[0], fp2_mul(a[i], b[i]));
            g[2] = fp2_add(g[2], fp2_mul(fp2_sub(fp2_dbl(a[i + h]), a[i]), fp2_sub(fp2_dbl(b[i + h]), b[i])));
        }
        g[1] = fp2_sub(claim, g[0]);
        tr_put_fp2(tr, "sc/round", g, 3);
        fp2 r = tr_challenge(tr, "sc/r");
        pt[n - 1 - s] = r;
        claim = rp_quadratic(g, r);
        for (size_t i = 0; i < h; i++) {
            a[i] = fp2_add(a[i], fp2_mul(r, fp2_sub(a[i + h], a[i])));
            b[i] = fp2_add(b[i], fp2_mul(r, fp2_sub(b[i + h], b[i])));
        }
    }
    fin[0] = a[0];
    fin[1] = b[0];
    return claim;
}

/* alpha_0 = 1, alpha_1.. drawn; returns C = sum alpha_k v_k and fills
 * G = sum alpha_k eq(r_k, .). */
static fp2 rp_combine(tr_t *tr, fp2 *G, const rp_claims *cl, unsigned nvars) {
    size_t size = (size_t)1 << nvars;
    fp2 *e = zk_malloc_n(size, sizeof *e);
    fp2 C = fp2_zero();
    memset(G, 0, size * sizeof *G);
    for (size_t k = 0; k < cl->n; k++) {
        fp2 a = k == 0 ? fp2_one() : tr_challenge(tr, "gkr/alpha");
        C = fp2_add(C, fp2_mul(a, cl->val[k]));
        mle_eq_table(e, cl->pt[k], nvars);
        for (size_t x = 0; x < size; x++) G[x] = fp2_add(G[x], fp2_mul(a, e[x]));
    }
    free(e);
    return C;
}

static fp2 rp_cg(const fp2 *G, uint32_t out, fm61 coef) { return fp2_mul_fm61(G[out], coef); }

static void rp_gates(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, size_t l, rp_claims *cls,
                     const rp_cheat *ch) {
    const gkr_layer *L = &c->layers[l];
    fp2 *G = zk_malloc_n((size_t)1 << L->nvars, sizeof *G);
    fp2 C = rp_combine(tr, G, &cls[l], L->nvars);
    fp2 K = fp2_zero(), A = fp2_zero();
    for (size_t g = 0; g < L->ncst; g++) K = fp2_add(K, rp_cg(G, L->cst[g].out, L->cst[g].coef));
    for (size_t g = 0; g < L->nadd; g++) {
        const gkr_add *a = &L->add[g];
        A = fp2_add(A, fp2_mul_fm61(rp_cg(G, a->out, a->coef), w->v[a->src][a->in]));
    }
    /* phase 1: sum_x V_xs(x) h1(x), h1(x) = sum_{mul at x} coef G(out) V_ys(y) */
    unsigned nx = L->nmul ? c->layers[L->xsrc].nvars : 0;
    size_t xsize = (size_t)1 << nx;
    fp2 *h1 = zk_calloc(xsize, sizeof *h1), *Vx = L->nmul ? rp_lift(w->v[L->xsrc], nx) : NULL;
    for (size_t g = 0; g < L->nmul; g++) {
        const gkr_mul *m = &L->mul[g];
        h1[m->x] = fp2_add(h1[m->x], fp2_mul_fm61(rp_cg(G, m->out, m->coef), w->v[m->ysrc][m->y]));
    }
    fp2 mulsum = L->nmul ? rp_dot(Vx, h1, xsize) : fp2_zero();
    if (ch->adjust_a == l) A = fp2_sub(fp2_sub(C, K), mulsum);
    tr_put_fp2(tr, "gkr/add_sum", &A, 1);
    fp2 *u = zk_malloc_n(nx + 1, sizeof *u), vu = fp2_zero();
    if (L->nmul) {
        fp2 fin[2];
        fp2 claim = ch->true_p1 == l ? mulsum : fp2_sub(fp2_sub(C, K), A);
        fp2 e1 = rp_sumcheck(tr, u, fin, Vx, h1, nx, claim);
        vu = fin[0];
        if (ch->lie_vu == l) vu = fp2_mul(e1, fp2_inv(fin[1]));
        tr_put_fp2(tr, "gkr/vx", &vu, 1);
    }
    /* per-source claims with rho */
    fp2 rho = tr_challenge(tr, "gkr/rho");
    fp2 *eqU = zk_malloc_n(xsize, sizeof *eqU);
    mle_eq_table(eqU, u, nx);
    size_t src[GKR_MAX_LAYERS], nsrc = 0;
    for (size_t j = 0; j < l; j++) {
        int is = 0;
        for (size_t g = 0; g < L->nmul; g++) is |= L->mul[g].ysrc == j;
        for (size_t g = 0; g < L->nadd; g++) is |= L->add[g].src == j;
        if (is) src[nsrc++] = j;
    }
    fp2 **f = zk_calloc(nsrc + 1, sizeof *f);
    fp2 *cj = zk_calloc(nsrc + 1, sizeof *cj), *ctrue = zk_calloc(nsrc + 1, sizeof *ctrue);
    for (size_t k = 0; k < nsrc; k++) {
        size_t j = src[k];
        f[k] = zk_calloc((size_t)1 << c->layers[j].nvars, sizeof **f);
        for (size_t g = 0; g < L->nmul; g++) {
            const gkr_mul *m = &L->mul[g];
            if (m->ysrc != j) continue;
            f[k][m->y] = fp2_add(f[k][m->y], fp2_mul(vu, fp2_mul(rp_cg(G, m->out, m->coef), eqU[m->x])));
        }
        for (size_t g = 0; g < L->nadd; g++) {
            const gkr_add *a = &L->add[g];
            if (a->src == j) f[k][a->in] = fp2_add(f[k][a->in], fp2_mul(rho, rp_cg(G, a->out, a->coef)));
        }
        fp2 *Vj = rp_lift(w->v[j], c->layers[j].nvars);
        cj[k] = ctrue[k] = rp_dot(f[k], Vj, (size_t)1 << c->layers[j].nvars);
        free(Vj);
    }
    int shift = ch->shift == l;
    if (shift) {
        ZK_CHECK(ch->sa < nsrc && ch->sb < nsrc && ch->sa != ch->sb);
        const fp2 d = fp2_make(1, 2);
        cj[ch->sa] = fp2_add(cj[ch->sa], d);
        cj[ch->sb] = fp2_sub(cj[ch->sb], d);
    }
    tr_put_fp2(tr, "gkr/src_claims", cj, nsrc);
    /* phase 2 */
    for (size_t k = 0; k < nsrc; k++) {
        size_t j = src[k];
        unsigned nj = c->layers[j].nvars;
        fp2 *v = zk_malloc_n(nj + 1, sizeof *v), fin[2];
        fp2 *Vj = rp_lift(w->v[j], nj);
        fp2 red = rp_sumcheck(tr, v, fin, Vj, f[k], nj, shift && ch->true_p2 ? ctrue[k] : cj[k]);
        fp2 wv = fin[0];
        if (shift && ch->lie_w && (k == ch->sa || k == ch->sb)) wv = fp2_mul(red, fp2_inv(fin[1]));
        tr_put_fp2(tr, "gkr/vy", &wv, 1);
        rp_push(&cls[j], v, nj, wv);
        free(Vj);
        free(v);
    }
    if (L->nmul) rp_push(&cls[L->xsrc], u, nx, vu);
    for (size_t k = 0; k < nsrc; k++) free(f[k]);
    free(f), free(cj), free(ctrue), free(eqU), free(u), free(h1), free(Vx), free(G);
}

static void rp_committed(tr_t *tr, const gkr_circuit *c, const gkr_witness *w, size_t l, rp_claims *cl,
                         const pcs_scheme *pcs, const pcs_state *st, const rp_cheat *ch) {
    unsigned n = c->layers[l].nvars;
    if (cl->n == 1) {
        pcs->open(tr, st, cl->pt[0]);
        return;
    }
    fp2 *G = zk_malloc_n((size_t)1 << n, sizeof *G);
    fp2 C = rp_combine(tr, G, cl, n);
    fp2 *V = rp_lift(w->v[l], n), *z = zk_malloc_n(n, sizeof *z), fin[2];
    fp2 truth = rp_dot(V, G, (size_t)1 << n);
    fp2 red = rp_sumcheck(tr, z, fin, V, G, n, ch->true_in == l ? truth : C);
    fp2 vin = fin[0];
    if (ch->lie_vin == l) vin = fp2_mul(red, fp2_inv(fin[1]));
    tr_put_fp2(tr, "gkr/vin", &vin, 1);
    pcs->open(tr, st, z);
    free(z), free(V), free(G);
}

static void rp_prove(zk_buf *proof, const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs,
                     const rp_cheat *ch) {
    zk_buf_init(proof);
    tr_t *tr = tr_new_prover(GKR_PROTOCOL, proof);
    size_t L = c->nlayers;
    tr_absorb(tr, "gkr/circuit", c->digest, sizeof c->digest);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_PUBLIC)
            tr_absorb_fm61(tr, "gkr/public", ch->absorb_pub ? ch->absorb_pub[l] : w->v[l],
                           (size_t)1 << c->layers[l].nvars);
    pcs_state **st = zk_calloc(L, sizeof *st);
    for (size_t l = 0; l < L; l++)
        if (c->layers[l].kind == GKR_INPUT_COMMITTED) st[l] = pcs->commit(tr, w->v[l], c->layers[l].nvars);
    unsigned no = c->layers[L - 1].nvars;
    tr_put_fm61(tr, "gkr/output", w->v[L - 1], (size_t)1 << no);
    fp2 r0[GKR_MAX_VARS + 1];
    tr_challenges(tr, "gkr/r0", r0, no);
    rp_claims *cls = zk_calloc(L, sizeof *cls);
    rp_push(&cls[L - 1], r0, no, mle_eval_fm61(w->v[L - 1], no, r0));
    for (size_t l = L; l-- > 0;) {
        if (cls[l].n == 0) continue;
        if (c->layers[l].kind == GKR_GATES) rp_gates(tr, c, w, l, cls, ch);
        else if (c->layers[l].kind == GKR_INPUT_COMMITTED) rp_committed(tr, c, w, l, &cls[l], pcs, st[l], ch);
    }
    for (size_t l = 0; l < L; l++) {
        for (size_t k = 0; k < cls[l].n; k++) free(cls[l].pt[k]);
        pcs->state_free(st[l]);
    }
    free(cls);
    free(st);
    tr_free(tr);
}

/* The reference prover's honest proofs are gkr_prove's, byte for byte, and
 * verify: this pins the order of every message and challenge (a change
 * made to prover and verifier alike would pass the other tests). */
static void test_reference(zk_rng *rng) {
    for (int z = 0; z < ZOO_COUNT + 4; z++) {
        gkr_circuit *c = z < ZOO_COUNT ? zoo_circuit(rng, z) : gkr_circuit_random(rng, 2 + (unsigned)z % 3, 2);
        fm61 **in = random_inputs(rng, c);
        gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
        rp_cheat h = rp_honest();
        for (int s = 0; s < 2; s++) {
            const pcs_scheme *pcs = s ? &pcs_ligero : &pcs_plain;
            zk_buf a, b;
            prove(&a, c, w, pcs);
            rp_prove(&b, c, w, pcs, &h);
            int same = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
            TEST_CHECK(same);
            zk_err e = verify(b.data, b.len, c, in, NULL, pcs);
            TEST_CHECK(e == ZK_OK);
            if (!same || e != ZK_OK)
                fprintf(stderr, "  reference prover, circuit %d, %s: %s, %s\n", z, pcs->name,
                        same ? "same bytes" : "bytes differ", zk_reason());
            zk_buf_free(&a);
            zk_buf_free(&b);
        }
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);
    }
}

/* ---- targeted cheating provers ------------------------------------------ */

/* A proof of a false statement from the reference prover with `ch`; the
 * verifier must reject it at the check named by `reason` (a substring of
 * zk_reason()). Each case is built so that, with that one check removed,
 * every other check would pass: mutation tests rely on it. */
static void expect_caught(const char *what, const gkr_circuit *c, const gkr_witness *w, fm61 **pub,
                          const pcs_scheme *pcs, const rp_cheat *ch, const char *reason) {
    zk_buf proof;
    rp_prove(&proof, c, w, pcs, ch);
    zk_err e = verify(proof.data, proof.len, c, pub, NULL, pcs);
    int named = e != ZK_OK && strstr(zk_reason(), reason) != NULL;
    TEST_CHECK(e == ZK_EPROOF);
    TEST_CHECK(named);
    if (e != ZK_EPROOF || !named)
        fprintf(stderr, "  %s (%s): %s: %s; expected \"%s\"\n", what, pcs->name, zk_err_str(e),
                e == ZK_OK ? "accepted" : zk_reason(), reason);
    zk_buf_free(&proof);
}

/* Witness of c on `in` with output value 0 changed: a false statement. */
static gkr_witness *false_output(const gkr_circuit *c, fm61 **in) {
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    fm61 *o = w->v[c->nlayers - 1];
    o[0] = fm61_add(o[0], 1);
    return w;
}

static void test_targeted(zk_rng *rng) {
    static const pcs_scheme *const both[2] = {&pcs_plain, &pcs_ligero};
    for (int s = 0; s < 2; s++) {
        const pcs_scheme *pcs = both[s];
        rp_cheat ch;

        /* ZOO_MULTI: layer 6 (output; mul, sources 1, 3, 5), layer 5 (sources
         * 0..4 in this order), layer 4 (constants only), layer 3 (mul-free) */
        gkr_circuit *c = zoo_circuit(rng, ZOO_MULTI);
        fm61 **in = random_inputs(rng, c);
        gkr_witness *w = false_output(c, in);
        ch = rp_honest();
        expect_caught("false output", c, w, in, pcs, &ch, "layer 6: source claims do not add up");
        ch.adjust_a = 6; /* phase 1 is a true statement; only A is wrong */
        expect_caught("false output, A adjusted", c, w, in, pcs, &ch, "layer 6: source claims do not add up");
        ch = rp_honest();
        ch.true_p1 = 6; /* phase-1 rounds for the true sum: e1 is right */
        expect_caught("false output, true phase-1 rounds", c, w, in, pcs, &ch,
                      "layer 6: phase-1 sumcheck: sumcheck round 1");
        ch = rp_honest();
        ch.lie_vu = 6; /* the lie moves to the claim V_5(u) */
        expect_caught("false output, lie about V(u)", c, w, in, pcs, &ch, "layer 5: source claims do not add up");
        gkr_witness_free(w);
        w = gkr_witness_new(c, (const fm61 *const *)in);
        /* a true statement with two source claims of layer 5 shifted */
        static const size_t pairs[3][2] = {{3, 4}, {0, 1}, {1, 3}};
        for (int p = 0; p < 3; p++) {
            char want[64];
            ch = rp_honest();
            ch.shift = 5, ch.sa = pairs[p][0], ch.sb = pairs[p][1];
            snprintf(want, sizeof want, "layer 5: phase-2 final check failed (source layer %zu)", pairs[p][0]);
            expect_caught("shifted source claims", c, w, in, pcs, &ch, want);
            ch.true_p2 = 1; /* phase-2 rounds for the true c_j */
            snprintf(want, sizeof want, "layer 5: phase-2 sumcheck (source layer %zu)", pairs[p][0]);
            expect_caught("shifted source claims, true phase-2 rounds", c, w, in, pcs, &ch, want);
        }
        /* the lie moved on by choosing w: into the constants-only layer 4,
         * then into the mul-free layer 3 */
        ch = rp_honest();
        ch.shift = 5, ch.sa = 3, ch.sb = 4, ch.lie_w = 1;
        expect_caught("lie into the constants layer", c, w, in, pcs, &ch,
                      "layer 4: add and constant gates do not match");
        ch.sa = 2, ch.sb = 3;
        expect_caught("lie into the mul-free layer", c, w, in, pcs, &ch,
                      "layer 3: add and constant gates do not match");
        /* a prover that absorbs the true public input but proves for another */
        {
            fm61 **in2 = random_inputs(rng, c);
            memcpy(in2[0], in[0], 8 * sizeof(fm61)); /* same committed input */
            gkr_witness *w2 = gkr_witness_new(c, (const fm61 *const *)in2);
            ch = rp_honest();
            ch.absorb_pub = in;
            expect_caught("other public input", c, w2, in, pcs, &ch,
                          "layer 1: claim on the public input does not match");
            gkr_witness_free(w2);
            free_inputs(in2, c->nlayers);
        }
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);

        /* mul-free output layer: C - K - A = 0 is the check */
        c = zoo_circuit(rng, ZOO_MULFREE_OUT);
        in = random_inputs(rng, c);
        w = false_output(c, in);
        ch = rp_honest();
        expect_caught("false output, mul-free", c, w, in, pcs, &ch, "layer 3: add and constant gates do not match");
        ch.adjust_a = 3;
        expect_caught("false output, mul-free, A adjusted", c, w, in, pcs, &ch, "layer 3: source claims do not add up");
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);

        /* one false claim (index 1 of 4 and of 3) on each of two public layers */
        c = zoo_circuit(rng, ZOO_TWO_PUBLIC);
        in = random_inputs(rng, c);
        w = gkr_witness_new(c, (const fm61 *const *)in);
        ch = rp_honest();
        ch.shift = 3, ch.sa = 0, ch.sb = 1, ch.lie_w = 1;
        expect_caught("lie into public layers", c, w, in, pcs, &ch,
                      "layer 1: claim on the public input does not match");
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);

        /* committed layer 0 = left input of the output layer, 2 claims */
        c = zoo_circuit(rng, ZOO_COMMITTED_XS);
        in = random_inputs(rng, c);
        w = false_output(c, in);
        ch = rp_honest();
        ch.lie_vu = 3;
        expect_caught("lie into the committed layer", c, w, in, pcs, &ch,
                      "layer 0: input claim-reduction final check failed");
        ch.true_in = 0;
        expect_caught("lie into the committed layer, true reduction rounds", c, w, in, pcs, &ch,
                      "layer 0: input claim-reduction sumcheck: sumcheck round 1");
        ch.true_in = RP_NONE, ch.lie_vin = 0;
        expect_caught("lie into the committed layer, lie about V(z)", c, w, in, pcs, &ch,
                      s ? "layer 0: commitment opening: pcs: opened value does not match" : "plain: wrong evaluation");
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);

        /* committed layer 1 with a single claim */
        c = zoo_circuit(rng, ZOO_ONE_CLAIM);
        in = random_inputs(rng, c);
        w = false_output(c, in);
        ch = rp_honest();
        ch.lie_vu = 2;
        expect_caught("lie into the single committed claim", c, w, in, pcs, &ch,
                      s ? "layer 1: commitment opening: pcs: opened value does not match" : "plain: wrong evaluation");
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);
    }
}

/* ---- binding: the transcript covers the whole statement ---------------- */

/* The first value sent under `label` when proving (c, w). */
static fp2 first_message(const gkr_circuit *c, const gkr_witness *w, const pcs_scheme *pcs, const char *label) {
    zk_buf proof;
    zk_buf_init(&proof);
    tamper_ctx t = {.label = label, .occ = 0, .spy = 1};
    tr_t *tr = tr_new_prover(GKR_PROTOCOL, &proof);
    tr_set_tamper(tr, tamper_cb, &t);
    gkr_prove(tr, c, w, pcs);
    tr_free(tr);
    zk_buf_free(&proof);
    TEST_CHECK(t.hit);
    return t.seen;
}

/* Parts of the statement that no claim reaches (a committed layer, a public
 * layer and a gate layer nothing reads) and the outputs must all be bound
 * before the first challenge: change one and the first message that
 * depends on r0 (the add-gate sum of the output layer) changes, and a proof
 * does not verify for another circuit or other public values. */
static void test_binding(zk_rng *rng) {
    gkr_circuit *c = zoo_circuit(rng, ZOO_DANGLING);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    zk_buf proof;
    prove(&proof, c, w, &pcs_ligero);
    TEST_REQUIRE(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) == ZK_OK);
    fp2 a0 = first_message(c, w, &pcs_ligero, "gkr/add_sum");

    /* other values in the public layer that nothing reads */
    in[1][2] = fm61_add(in[1][2], 1);
    TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) != ZK_OK);
    gkr_witness *w2 = gkr_witness_new(c, (const fm61 *const *)in);
    TEST_CHECK(!fp2_eq(first_message(c, w2, &pcs_ligero, "gkr/add_sum"), a0));
    gkr_witness_free(w2);
    in[1][2] = fm61_sub(in[1][2], 1);

    /* another table in the committed layer that nothing reads: only its
     * root changes in the proof, and later challenges must follow it */
    in[0][1] = fm61_add(in[0][1], 1);
    w2 = gkr_witness_new(c, (const fm61 *const *)in);
    TEST_CHECK(!fp2_eq(first_message(c, w2, &pcs_ligero, "gkr/add_sum"), a0));
    gkr_witness_free(w2);
    in[0][1] = fm61_sub(in[0][1], 1);

    /* other outputs (the rest of the prover's state unchanged) */
    w2 = gkr_witness_new(c, (const fm61 *const *)in);
    w2->v[4][3] = fm61_add(w2->v[4][3], 1);
    TEST_CHECK(!fp2_eq(first_message(c, w2, &pcs_ligero, "gkr/add_sum"), a0));
    gkr_witness_free(w2);

    /* another circuit: a constant in the gate layer that nothing reads */
    c->layers[3].cst[0].coef = fm61_add(c->layers[3].cst[0].coef, 1);
    TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
    TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) != ZK_OK);
    w2 = gkr_witness_new(c, (const fm61 *const *)in);
    TEST_CHECK(!fp2_eq(first_message(c, w2, &pcs_ligero, "gkr/add_sum"), a0));
    gkr_witness_free(w2);

    zk_buf_free(&proof);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

/* Honest proofs, tampered messages and wrong witnesses on every zoo circuit. */
static void test_zoo(zk_rng *rng) {
    for (int z = 0; z < ZOO_COUNT; z++) {
        gkr_circuit *c = zoo_circuit(rng, z);
        fm61 **in = random_inputs(rng, c);
        gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
        size_t osize = (size_t)1 << gkr_output_layer(c)->nvars;
        fm61 *outs = zk_calloc(osize, sizeof *outs);
        for (int s = 0; s < 2; s++) {
            const pcs_scheme *pcs = s ? &pcs_ligero : &pcs_plain;
            zk_buf proof;
            prove(&proof, c, w, pcs);
            zk_err e = verify(proof.data, proof.len, c, in, outs, pcs);
            TEST_CHECK(e == ZK_OK);
            if (e != ZK_OK) fprintf(stderr, "  zoo %s, %s: %s\n", zoo_names[z], pcs->name, zk_reason());
            TEST_CHECK(memcmp(outs, w->v[c->nlayers - 1], osize * sizeof *outs) == 0);
            zk_buf_free(&proof);
            TEST_CHECK(tampered_messages(c, in, pcs, zoo_names[z]) >= 1);
        }
        wrong_witness(rng, c, in, 2);
        free(outs);
        gkr_witness_free(w);
        free_inputs(in, c->nlayers);
        gkr_circuit_free(c);
    }
}

static void test_tampered_messages(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_random(rng, 3, 3);
    fm61 **in = random_inputs(rng, c);
    TEST_CHECK(tampered_messages(c, in, &pcs_plain, "random") > 20);
    TEST_CHECK(tampered_messages(c, in, &pcs_ligero, "random") > 20);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

/* ---- circuit format: every rule of gkr_circuit_seal and the decoder ---- */

static void expect_bad_circuit(gkr_circuit *c, const char *what) {
    zk_err e = gkr_circuit_seal(c);
    TEST_CHECK(e == ZK_EINPUT);
    zk_buf b;
    zk_buf_init(&b);
    gkr_circuit_serialize(&b, c);
    gkr_circuit *d = NULL;
    zk_err e2 = gkr_circuit_deserialize(&d, b.data, b.len);
    TEST_CHECK(e2 == ZK_EFORMAT && d == NULL);
    if (e != ZK_EINPUT || e2 != ZK_EFORMAT) fprintf(stderr, "  circuit with %s not refused\n", what);
    if (e2 == ZK_OK) gkr_circuit_free(d);
    zk_buf_free(&b);
    gkr_circuit_free(c);
}

/* A circuit of one or two layers; the last is a gate layer of `nv`
 * variables with one constant gate. */
static gkr_circuit *small_circuit(gkr_kind first, unsigned nv0, unsigned nv) {
    gkr_circuit *c = gkr_circuit_new(first ? 2 : 1);
    if (first) zoo_layer(c, 0, first, nv0, 0);
    gkr_layer *L = zoo_layer(c, c->nlayers - 1, GKR_GATES, nv, 0);
    gkr_layer_add_const(L, 0, 1);
    return c;
}

static void test_seal_rules(zk_rng *rng) {
    /* on ZOO_MULTI: layers 0 committed (3 vars), 1 public (2), 2 (3 vars,
     * xsrc 0), 3 mul-free (2), 4 constants (2), 5 (3, xsrc 3), 6 (2, xsrc 5) */
    for (int rule = 0; rule <= 15; rule++) {
        gkr_circuit *c = zoo_circuit(rng, ZOO_MULTI);
        gkr_layer *L3 = &c->layers[3], *L5 = &c->layers[5], *L6 = &c->layers[6];
        static const char *const what[] = {
            "an unknown layer kind", "gates in an input layer", "xsrc not earlier", "mul ysrc not earlier",
            "mul out of range",      "mul x out of range",      "mul y out of range", "mul coef = p",
            "add src not earlier",   "add out of range",        "add in out of range", "add coef = p",
            "const out of range",    "const coef = p",          "xsrc beyond the circuit",
            "mul ysrc beyond the circuit"};
        switch (rule) {
        case 0: c->layers[1].kind = (gkr_kind)7; break; /* no gates: its claims would go unchecked */
        case 1: gkr_layer_add_const(&c->layers[1], 0, 1); break;
        case 2: L5->xsrc = 5; break; /* its own layer: x indices stay in range */
        case 3: L5->mul[0].ysrc = 5; break;
        case 4: L6->mul[0].out = 4; break;
        case 5: L6->mul[0].x = 8; break;
        case 6: L6->mul[0].y = 8; break;
        case 7: L6->mul[0].coef = FM61_P; break;
        case 8: L3->add[0].src = 3, L3->add[0].in = 0; break;
        case 9: L3->add[0].out = 4; break;
        case 10: L3->add[0].in = (uint32_t)1 << c->layers[L3->add[0].src].nvars; break;
        case 11: L3->add[0].coef = FM61_P; break;
        case 12: c->layers[4].cst[0].out = 4; break;
        case 13: c->layers[4].cst[0].coef = FM61_P; break;
        case 14: L6->xsrc = 7; break;
        case 15: L6->mul[0].ysrc = 9; break;
        }
        expect_bad_circuit(c, what[rule]);
    }
    /* more than 28 variables in a layer (the total, 2^29, is allowed) */
    expect_bad_circuit(small_circuit(0, 0, GKR_MAX_VARS + 1), "a layer of 29 variables");
    /* more than 2^29 values in all */
    gkr_circuit *c = gkr_circuit_new(3);
    zoo_layer(c, 0, GKR_INPUT_PUBLIC, GKR_MAX_VARS, 0);
    zoo_layer(c, 1, GKR_INPUT_PUBLIC, GKR_MAX_VARS, 0);
    gkr_layer_add_const(zoo_layer(c, 2, GKR_GATES, GKR_MAX_VARS, 0), 0, 1);
    expect_bad_circuit(c, "3 * 2^28 values");
    /* a committed layer of 0 variables; an input layer as output */
    expect_bad_circuit(small_circuit(GKR_INPUT_COMMITTED, 0, 1), "a committed layer of 0 variables");
    c = gkr_circuit_new(2);
    gkr_layer_add_const(zoo_layer(c, 0, GKR_GATES, 1, 0), 0, 1);
    zoo_layer(c, 1, GKR_INPUT_PUBLIC, 1, 0);
    expect_bad_circuit(c, "an input layer as output");
    /* the limits themselves are fine */
    c = small_circuit(GKR_INPUT_COMMITTED, 1, GKR_MAX_VARS);
    TEST_CHECK(gkr_circuit_seal(c) == ZK_OK);
    gkr_circuit_free(c);

    /* decoder: header fields, counts, coefficients */
    c = zoo_circuit(rng, ZOO_TINY);
    zk_buf b;
    zk_buf_init(&b);
    gkr_circuit_serialize(&b, c);
    gkr_circuit *d = NULL;
    TEST_REQUIRE(gkr_circuit_deserialize(&d, b.data, b.len) == ZK_OK);
    gkr_circuit_free(d);
    uint8_t *t = zk_malloc(b.len);
    /* offsets: magic 0, version 8, nlayers 12, layer 0 header at 16:
     * kind, nvars, xsrc (u32), nmul 28, nadd 36, ncst 44 (u64) */
    static const struct {
        size_t off;
        uint64_t val;
        int bytes;
    } bad[] = {{0, 'X', 1},   {8, 2, 4},  {12, 0, 4}, {12, GKR_MAX_LAYERS + 1, 4}, {12, 0xFFFFFFFFu, 4},
               {28, 1ull << 62, 8}, {36, 1ull << 62, 8}, {44, 1ull << 62, 8}, {28, UINT64_MAX, 8}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(t, b.data, b.len);
        for (int k = 0; k < bad[i].bytes; k++) t[bad[i].off + (size_t)k] = (uint8_t)(bad[i].val >> (8 * k));
        d = NULL;
        zk_err e = gkr_circuit_deserialize(&d, t, b.len);
        TEST_CHECK(e == ZK_EFORMAT && d == NULL);
        if (e == ZK_OK) gkr_circuit_free(d);
    }
    /* the last 8 bytes are the last gate's coefficient: p is refused */
    memcpy(t, b.data, b.len);
    zk_store_le64(t + b.len - 8, FM61_P);
    d = NULL;
    TEST_CHECK(gkr_circuit_deserialize(&d, t, b.len) == ZK_EFORMAT);
    free(t);
    zk_buf_free(&b);
    gkr_circuit_free(c);
}

/* Gate layers some claim reaches: the output and every layer a reached
 * gate layer reads. */
static int reached(const gkr_circuit *c, size_t l) {
    if (l == c->nlayers - 1) return 1;
    for (size_t k = l + 1; k < c->nlayers; k++) {
        const gkr_layer *L = &c->layers[k];
        int reads = L->nmul && L->xsrc == l;
        for (size_t g = 0; g < L->nmul; g++) reads |= L->mul[g].ysrc == l;
        for (size_t g = 0; g < L->nadd; g++) reads |= L->add[g].src == l;
        if (reads && reached(c, k)) return 1;
    }
    return 0;
}

/* Layers of 2^17 values or more that few gates touch: the verifier
 * evaluates its eq-type tables per gate there (gkr.c), and still accepts
 * the honest proof and rejects a changed one. */
static void test_sparse(zk_rng *rng) {
    gkr_circuit *c = gkr_circuit_new(4);
    zoo_layer(c, 0, GKR_INPUT_PUBLIC, 17, 0);
    zoo_layer(c, 1, GKR_INPUT_COMMITTED, 3, 0);
    gkr_layer *L = zoo_layer(c, 2, GKR_GATES, 17, 0); /* left inputs: 17 variables, 40 gates */
    for (uint32_t g = 0; g < 40; g++) {
        uint32_t out = (uint32_t)(zk_rng_u64(rng) % (1u << 17));
        gkr_layer_add_mul(L, out, zoo_idx(rng, c, 0), 1, zoo_idx(rng, c, 1), zoo_coef(rng));
        gkr_layer_add_add(L, out ^ 1, 0, zoo_idx(rng, c, 0), zoo_coef(rng));
        if (g % 4 == 0) gkr_layer_add_const(L, out, rand_fm61(rng));
    }
    L = zoo_layer(c, 3, GKR_GATES, 2, 2); /* sources 0 and 2, both sparse */
    for (uint32_t g = 0; g < 4; g++) {
        gkr_layer_add_mul(L, g, zoo_idx(rng, c, 2), 0, zoo_idx(rng, c, 0), zoo_coef(rng));
        gkr_layer_add_add(L, g, 2, c->layers[2].mul[g].out, 1); /* a written entry */
        gkr_layer_add_add(L, g, 1, zoo_idx(rng, c, 1), zoo_coef(rng));
    }
    TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    zk_buf proof;
    prove(&proof, c, w, &pcs_ligero);
    zk_err e = verify(proof.data, proof.len, c, in, NULL, &pcs_ligero);
    TEST_CHECK(e == ZK_OK);
    if (e != ZK_OK) fprintf(stderr, "  sparse: %s\n", zk_reason());
    for (size_t off = 0; off < proof.len; off += proof.len / 7 + 1) {
        proof.data[off] ^= 1;
        TEST_CHECK(verify(proof.data, proof.len, c, in, NULL, &pcs_ligero) != ZK_OK);
        proof.data[off] ^= 1;
    }
    zk_buf_free(&proof);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

/* Many source layers of one gate layer, each small (<= 16 variables) and
 * read by a gate or two. The verifier holds all source tables of a layer
 * at once; it builds those of small sources only up to 2^16 entries in
 * all and evaluates the others per gate (gkr.c), so its memory stays
 * bounded by the circuit's gates: 4095 empty layers of 2^16 values read
 * by one add gate each (a 230 KB circuit) once made it reserve 4 GiB. */
static void test_many_sources(zk_rng *rng) {
    {
        gkr_circuit *c = gkr_circuit_new(GKR_MAX_LAYERS);
        for (size_t j = 0; j + 1 < GKR_MAX_LAYERS; j++) zoo_layer(c, j, GKR_GATES, 16, 0);
        gkr_layer *L = zoo_layer(c, GKR_MAX_LAYERS - 1, GKR_GATES, 0, 0);
        for (uint32_t j = 0; j + 1 < GKR_MAX_LAYERS; j++) gkr_layer_add_add(L, 0, j, 0, 1);
        TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
        size_t bytes = gkr_verifier_table_bytes(c);
        /* G of one 16-variable layer and at most 2^16 entries of source tables */
        TEST_CHECK(bytes <= 2 * ((size_t)1 << 16) * sizeof(fp2) + sizeof(fp2));
        if (bytes > 2 * ((size_t)1 << 16) * sizeof(fp2) + sizeof(fp2))
            fprintf(stderr, "  many sources: the verifier's tables take %zu bytes\n", bytes);
        gkr_circuit_free(c);
    }
    /* 24 public layers of 12 variables, each read by one add gate of the
     * output (layer 23 also by its mul gates, layer 0 as their left input):
     * sources 0..15 get tables (2^16 entries), 16..23 are evaluated per
     * gate. Honest proofs verify and each attack is caught where it must be,
     * with and without the verifier's tables. */
    enum { S = 24 };
    gkr_circuit *c = gkr_circuit_new(S + 1);
    for (size_t j = 0; j < S; j++) zoo_layer(c, j, GKR_INPUT_PUBLIC, 12, 0);
    gkr_layer *L = zoo_layer(c, S, GKR_GATES, 2, 0);
    for (uint32_t g = 0; g < 4; g++)
        gkr_layer_add_mul(L, g, zoo_idx(rng, c, 0), S - 1, zoo_idx(rng, c, S - 1), zoo_coef(rng));
    for (uint32_t j = 0; j < S; j++) gkr_layer_add_add(L, j % 4, j, zoo_idx(rng, c, j), zoo_coef(rng));
    gkr_layer_add_const(L, 1, rand_fm61(rng));
    TEST_REQUIRE(gkr_circuit_seal(c) == ZK_OK);
    TEST_CHECK(gkr_verifier_table_bytes(c) <= 3 * ((size_t)1 << 16) * sizeof(fp2));
    fm61 **in = random_inputs(rng, c);
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    gkr_witness *wf = false_output(c, in);
    zk_buf a, b;
    prove(&a, c, w, &pcs_plain);
    rp_cheat ch = rp_honest();
    rp_prove(&b, c, w, &pcs_plain, &ch);
    TEST_CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    fm61 outs[4];
    for (int tables = 1; tables >= 0; tables--) {
        gkr_verifier_tables(tables);
        zk_err e = verify(a.data, a.len, c, in, outs, &pcs_plain);
        TEST_CHECK(e == ZK_OK);
        if (e != ZK_OK) fprintf(stderr, "  many sources (tables %d): %s\n", tables, zk_reason());
        TEST_CHECK(memcmp(outs, w->v[S], sizeof outs) == 0);
        ch = rp_honest();
        expect_caught("many sources, false output", c, wf, in, &pcs_plain, &ch,
                      "layer 24: source claims do not add up");
        /* the final checks run in source order: the first changed one fails
         * (source 0 has a table, 16 is evaluated per gate) */
        static const size_t pairs[2][2] = {{0, 20}, {16, 20}};
        for (int p = 0; p < 2; p++) {
            char want[80];
            ch = rp_honest();
            ch.shift = S, ch.sa = pairs[p][0], ch.sb = pairs[p][1];
            snprintf(want, sizeof want, "layer 24: phase-2 final check failed (source layer %zu)", pairs[p][0]);
            expect_caught("many sources, shifted source claims", c, w, in, &pcs_plain, &ch, want);
        }
        ch = rp_honest();
        ch.shift = S, ch.sa = 3, ch.sb = 20, ch.lie_w = 1;
        expect_caught("many sources, lie into a per-gate source", c, w, in, &pcs_plain, &ch,
                      "layer 20: claim on the public input does not match");
        ch.sa = 3, ch.sb = 5;
        expect_caught("many sources, lie into tabled sources", c, w, in, &pcs_plain, &ch,
                      "layer 5: claim on the public input does not match");
    }
    gkr_verifier_tables(1);
    zk_buf_free(&a);
    zk_buf_free(&b);
    gkr_witness_free(wf);
    gkr_witness_free(w);
    free_inputs(in, c->nlayers);
    gkr_circuit_free(c);
}

void test_gkr(zk_rng *rng) {
    test_known_answer();
    test_random_circuits(rng);
    test_every_byte(rng, &pcs_plain, 2, 2);
    test_every_byte(rng, &pcs_ligero, 2, 1);
    test_tampered_messages(rng);
    test_wrong_witness(rng);
    test_wrong_statement(rng);
    test_threads(rng);
    test_circuit_format(rng);
    test_seal_rules(rng);
    test_zoo(rng);
    test_sparse(rng);
    gkr_verifier_tables(0); /* every verifier table evaluated per gate */
    test_zoo(rng);
    test_every_byte(rng, &pcs_ligero, 2, 1);
    gkr_verifier_tables(1);
    test_reference(rng);
    test_portable_kernels(1); /* the reference prover against the portable kernels too */
    test_reference(rng);
    test_portable_kernels(0);
    test_targeted(rng);
    gkr_verifier_tables(0); /* the same attacks against the per-gate evaluations */
    test_targeted(rng);
    gkr_verifier_tables(1);
    test_many_sources(rng);
    test_binding(rng);
}
