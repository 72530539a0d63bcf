/* test_zkrev.c -- a reviewer's checks of the zero-knowledge building blocks
 * (issue 13 item 6): the hiding Ligero mode (ligero.c, HIDING;
 * papers/protocol.md sec. 5.1) read as an attacker who wants the table.
 *
 * Default run: regression checks that pass and can fail.
 *   zr_gamma_zero     a hiding opening whose gamma came out 0 must not
 *                     reveal its rows: gamma is drawn again while 0
 *                     (before that fix, u1' = e^T (P | R) was sent
 *                     unmasked and a one-row table was read off it). */
#include <stdlib.h>
#include <string.h>

#include "../src/pcs/pcs.h"
#include "../src/poly/mle.h"
#include "../src/transcript/tr_test.h"
#include "test.h"

#define ZR_PROTO "gkrcnn/test/zkrev"
#define ZR_MAXN 16

/* A hiding key: the commitment's leaves and root for table t under seed. */
typedef struct {
    uint8_t root[PCS_DIGEST_BYTES];
    uint8_t *leaves;
} zr_key;

static void zr_key_make(zr_key *k, const fm61 *t, unsigned n, unsigned b, const uint8_t *seed) {
    zk_buf kb;
    zk_buf_init(&kb);
    tr_t *tr = tr_new_prover(ZR_PROTO "/key", &kb);
    pcs_state *st = pcs_ligero_zk_commit(tr, NULL, t, n, 0, b, seed);
    size_t lb = pcs_ligero_zk_leaves_bytes(n, 0, b);
    k->leaves = zk_malloc(lb);
    memcpy(k->leaves, pcs_ligero_leaves(st), lb);
    memcpy(k->root, pcs_ligero_root(st), PCS_DIGEST_BYTES);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
    zk_buf_free(&kb);
}

/* The challenge program: gamma = 0 the first time it is asked for. */
typedef struct {
    int fired;
} zr_prog;

static int zr_prog_fn(void *ctx, const char *label, fp2 *out) {
    zr_prog *p = ctx;
    if (p->fired || strcmp(label, "pcs/zk/gamma") != 0) return 0;
    p->fired = 1;
    *out = fp2_zero();
    return 1;
}

/* One proof: the key's root, a point z from the transcript, v = f(z), and
 * one hiding opening from a state rebuilt with `used` openings served.
 * prog: program the first gamma to 0 (prover and verifier alike). */
static void zr_prove(zk_buf *proof, const zr_key *key, const fm61 *t, unsigned n, unsigned b, const uint8_t *seed,
                     unsigned used, uint64_t id, int prog) {
    tr_t *tr = tr_new_prover(ZR_PROTO, proof);
    zr_prog pg = {0};
    if (prog) tr_set_program(tr, zr_prog_fn, &pg);
    tr_absorb_u64(tr, "test/id", id);
    tr_put_bytes(tr, "test/root", key->root, PCS_DIGEST_BYTES);
    pcs_state *st = pcs_ligero_zk_state_from_leaves(t, n, 0, b, seed, key->leaves, used);
    fp2 z[ZR_MAXN];
    tr_challenges(tr, "test/z", z, n);
    fp2 v = mle_eval_fm61(t, n, z);
    tr_put_fp2(tr, "test/v", &v, 1);
    pcs_ligero_zk.open(tr, st, z);
    TEST_CHECK(pcs_ligero_mismatches(st) == 0);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
}

static zk_err zr_verify(const zk_buf *proof, const zr_key *key, unsigned n, unsigned b, uint64_t id, int prog) {
    tr_t *tr = tr_new_verifier(ZR_PROTO, proof->data, proof->len);
    zr_prog pg = {0};
    if (prog) tr_set_program(tr, zr_prog_fn, &pg);
    tr_absorb_u64(tr, "test/id", id);
    pcs_commitment cm = {.nvars = n, .zk = 1, .openings = b};
    zk_err e = tr_get_bytes(tr, "test/root", cm.root, PCS_DIGEST_BYTES);
    if (e == ZK_OK && memcmp(cm.root, key->root, PCS_DIGEST_BYTES) != 0) e = ZK_EPROOF;
    fp2 z[ZR_MAXN], v;
    tr_challenges(tr, "test/z", z, n);
    if (e == ZK_OK) e = tr_get_fp2(tr, "test/v", &v, 1);
    if (e == ZK_OK) e = pcs_ligero_zk.verify(tr, &cm, z, v);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

/* What an observer reads off one proof: the slot, gamma as an honest
 * verifier draws it (gamma_redraw: again while 0, as ligero.c does), u1'. */
typedef struct {
    unsigned slot;
    fp2 gamma;
    fp2 *u1;
} zr_view;

static int zr_parse(zr_view *w, const zk_buf *proof, unsigned n, size_t ul, uint64_t id) {
    tr_t *tr = tr_new_verifier(ZR_PROTO, proof->data, proof->len);
    tr_absorb_u64(tr, "test/id", id);
    uint8_t buf[PCS_DIGEST_BYTES];
    fp2 z[ZR_MAXN], v, s;
    int ok = tr_get_bytes(tr, "test/root", buf, PCS_DIGEST_BYTES) == ZK_OK;
    tr_challenges(tr, "test/z", z, n);
    ok = ok && tr_get_fp2(tr, "test/v", &v, 1) == ZK_OK;
    ok = ok && tr_get_bytes(tr, "pcs/zk/slot", buf, 4) == ZK_OK && tr_get_fp2(tr, "pcs/zk/s", &s, 1) == ZK_OK;
    w->slot = (unsigned)buf[0] | (unsigned)buf[1] << 8 | (unsigned)buf[2] << 16 | (unsigned)buf[3] << 24;
    do w->gamma = tr_challenge(tr, "pcs/zk/gamma");
    while (fp2_is_zero(w->gamma));
    w->u1 = zk_aligned_n(ul, sizeof *w->u1);
    ok = ok && tr_get_fp2(tr, "pcs/u1", w->u1, ul) == ZK_OK;
    tr_free(tr);
    return ok;
}

/* Whether the first kd entries of u equal the packed one-row table. */
static int zr_is_table(const fp2 *u, const fm61 *t, size_t kd) {
    for (size_t c = 0; c < kd; c++)
        if (!fp2_eq(u[c], fp2_make(t[2 * c], t[2 * c + 1]))) return 0;
    return 1;
}

/* gamma = 0 (programmed on both sides): the opening must still verify and
 * u1' must not be the table's row. */
static void zr_gamma_zero(zk_rng *rng) {
    const unsigned n = 8, b = 1;
    pcs_ligero_params p = pcs_ligero_zk_params_for(n, 0, b);
    size_t N = (size_t)1 << n, ul = ((size_t)1 << p.log_cols) + p.mask_len, kd = (size_t)1 << p.log_data_cols;
    fm61 *t = zk_malloc_n(N, sizeof *t);
    for (size_t x = 0; x < N; x++) t[x] = zk_rng_u64(rng) % 256;
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (uint8_t)zk_rng_u64(rng);
    zr_key key;
    zr_key_make(&key, t, n, b, seed);
    zk_buf pf;
    zk_buf_init(&pf);
    zr_prove(&pf, &key, t, n, b, seed, 0, 7, 1);
    TEST_CHECK(zr_verify(&pf, &key, n, b, 7, 1) == ZK_OK);
    /* read u1' by position (whatever gamma the parse draws) */
    zr_view w;
    TEST_CHECK(zr_parse(&w, &pf, n, ul, 7));
    int leaked = zr_is_table(w.u1, t, kd);
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  gamma programmed to 0: u1' %s the table\n", leaked ? "IS" : "is not");
    TEST_CHECK(!leaked);
    free(w.u1);
    zk_buf_free(&pf);
    free(key.leaves);
    free(t);
}

void test_zkrev(zk_rng *rng);
void test_zkrev(zk_rng *rng) {
    zr_gamma_zero(rng);
}
