/* test_zkrev.c -- a reviewer's checks of the zero-knowledge building blocks
 * (issue 13 item 6): the hiding Ligero mode (ligero.c, HIDING;
 * papers/protocol.md sec. 5.1) read as an attacker who wants the table.
 *
 * Default run: regression checks that pass and can fail.
 *   zr_gamma_zero     a hiding opening whose gamma came out 0 must not
 *                     reveal its rows: gamma is drawn again while 0
 *                     (before that fix, u1' = e^T (P | R) was sent
 *                     unmasked and a one-row table was read off it).
 *   zr_ip_pcs         the batch of zsc.h composed with the hiding
 *                     commitment it is meant for (the module's tests
 *                     evaluate T directly): T = [C ; D] committed with
 *                     pcs_ligero_zk, zsc_ip_prove, the opening at
 *                     (x0, z, t) (x0 fixed: variable 0 is Ligero's packing
 *                     bit, never a row coordinate); accepted; a prover
 *                     running the batch on a table that differs from the
 *                     committed one in one mask cell (its claims true for
 *                     that table) is caught by the opening.
 *   zr_subspace       the F_p-subspace attack of test_zsc.c's test_fp_mask
 *                     on a hiding opening: were the mask rows F_p-valued,
 *                     Im(conj(gamma) u1'[c]) = Im(conj(gamma) P[c]) would
 *                     give one F_p functional of every packed cell pair;
 *                     with the real rows it matches no coefficient.
 *                     (test_pcsz.c's hiding statistics look at each
 *                     F_p-coordinate alone and pass with F_p mask rows.)
 *   zr_slots_distinct two openings of one commitment from rebuilt states
 *                     with the honest slot count (used = 0, then 1): the
 *                     two-opening elimination below recovers nothing.
 * Demonstration, only with GKRCNN_ZKREV_DEMO set (a documented hazard of
 * the API, not a bug of the module):
 *   zr_slot_reuse     two proofs opened from states rebuilt with the same
 *                     stale count (used = 0 twice, e.g. two processes
 *                     sharing one key file): both verify, and from the two
 *                     transcripts (gamma_b u1'_a - gamma_a u1'_b) /
 *                     (gamma_b - gamma_a) = e^T (P | R): the whole table
 *                     when it is one row (m = 1, every table of <= 2^(c+1)
 *                     cells), the halves M0(z'), M1(z') otherwise. */
#include <stdlib.h>
#include <string.h>

#include "../src/pcs/pcs.h"
#include "../src/poly/mle.h"
#include "../src/sumcheck/zsc.h"
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

/* Two openings from rebuilt states (used = used_a, used_b), verified; the
 * elimination of the mask row between them; returns whether it gives the
 * table. n must make the table one row (m = 1). */
static int zr_two_openings(zk_rng *rng, unsigned n, unsigned used_a, unsigned used_b) {
    const unsigned b = 2;
    pcs_ligero_params p = pcs_ligero_zk_params_for(n, 0, b);
    TEST_CHECK(p.log_rows == 0);
    size_t N = (size_t)1 << n, ul = ((size_t)1 << p.log_cols) + p.mask_len, kd = (size_t)1 << p.log_data_cols;
    fm61 *t = zk_malloc_n(N, sizeof *t);
    for (size_t x = 0; x < N; x++) t[x] = zk_rng_u64(rng) % 256; /* small integers, like weights */
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (uint8_t)zk_rng_u64(rng);
    zr_key key;
    zr_key_make(&key, t, n, b, seed);
    zk_buf pa, pb;
    zk_buf_init(&pa);
    zk_buf_init(&pb);
    zr_prove(&pa, &key, t, n, b, seed, used_a, 1, 0);
    zr_prove(&pb, &key, t, n, b, seed, used_b, 2, 0);
    TEST_CHECK(zr_verify(&pa, &key, n, b, 1, 0) == ZK_OK);
    TEST_CHECK(zr_verify(&pb, &key, n, b, 2, 0) == ZK_OK);
    zr_view wa, wb;
    TEST_CHECK(zr_parse(&wa, &pa, n, ul, 1) && zr_parse(&wb, &pb, n, ul, 2));
    TEST_CHECK(wa.slot == used_a && wb.slot == used_b);
    /* m = 1: u1' = (P | R) + gamma A_slot for either opening */
    fp2 inv = fp2_inv(fp2_sub(wb.gamma, wa.gamma));
    fp2 *rec = zk_aligned_n(ul, sizeof *rec);
    for (size_t c = 0; c < ul; c++)
        rec[c] = fp2_mul(fp2_sub(fp2_mul(wb.gamma, wa.u1[c]), fp2_mul(wa.gamma, wb.u1[c])), inv);
    int got = zr_is_table(rec, t, kd);
    /* neither opening alone shows it */
    TEST_CHECK(!zr_is_table(wa.u1, t, kd) && !zr_is_table(wb.u1, t, kd));
    if (getenv("GKRCNN_TEST_VERBOSE"))
        printf("  two openings, slots %u and %u: table of %zu cells %s\n", wa.slot, wb.slot, N,
               got ? "RECOVERED" : "not recovered");
    free(rec);
    free(wa.u1);
    free(wb.u1);
    zk_buf_free(&pa);
    zk_buf_free(&pb);
    free(key.leaves);
    free(t);
    return got;
}

/* n = 7: one row for a budget of 2 (k = 2^6, pcs_ligero_zk_params_for) */
static void zr_slots_distinct(zk_rng *rng) { TEST_CHECK(!zr_two_openings(rng, 7, 0, 1)); }

static void zr_slot_reuse(zk_rng *rng) {
    /* the hazard: both proofs accepted, the table read off them */
    TEST_CHECK(zr_two_openings(rng, 7, 0, 0));
}

/* One verified hiding opening of a one-row table of small integers (n = 6,
 * budget 1: k = 2^5) and its view; prog as zr_prove. Returns the table (the
 * caller frees it and w->u1); *kd its packed cells. */
static fm61 *zr_one_opening(zk_rng *rng, zr_view *w, size_t *kd, uint64_t id, int prog) {
    const unsigned n = 6, b = 1;
    pcs_ligero_params p = pcs_ligero_zk_params_for(n, 0, b);
    TEST_CHECK(p.log_rows == 0);
    size_t N = (size_t)1 << n, ul = ((size_t)1 << p.log_cols) + p.mask_len;
    *kd = (size_t)1 << p.log_data_cols;
    fm61 *t = zk_malloc_n(N, sizeof *t);
    for (size_t x = 0; x < N; x++) t[x] = zk_rng_u64(rng) % 256;
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (uint8_t)zk_rng_u64(rng);
    zr_key key;
    zr_key_make(&key, t, n, b, seed);
    zk_buf pf;
    zk_buf_init(&pf);
    zr_prove(&pf, &key, t, n, b, seed, 0, id, prog);
    TEST_CHECK(zr_verify(&pf, &key, n, b, id, prog) == ZK_OK);
    /* u1' is read by position, whatever gamma the parse draws */
    TEST_CHECK(zr_parse(w, &pf, n, ul, id));
    zk_buf_free(&pf);
    free(key.leaves);
    return t;
}

/* gamma = 0 (programmed on both sides): the opening must still verify and
 * u1' must not be the table's row. */
static void zr_gamma_zero(zk_rng *rng) {
    zr_view w;
    size_t kd;
    fm61 *t = zr_one_opening(rng, &w, &kd, 7, 1);
    int leaked = zr_is_table(w.u1, t, kd);
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  gamma programmed to 0: u1' %s the table\n", leaked ? "IS" : "is not");
    TEST_CHECK(!leaked);
    free(w.u1);
    free(t);
}

/* The subspace attack: with A in F_p^(k+t), u1' - P = gamma A lies on the
 * F_p-line gamma F_p, so Im(conj(gamma) u1'[c]) = Im(conj(gamma) P[c]) for
 * every c < kd (likewise u2' with conj(gamma) and B). Counts the matches. */
static size_t zr_line_matches(const fp2 *u, const fm61 *t, size_t kd, fp2 g) {
    size_t hits = 0;
    fp2 cg = fp2_conj(g);
    for (size_t c = 0; c < kd; c++) {
        fm61 lhs = fp2_mul(cg, u[c]).im, rhs = fp2_mul(cg, fp2_make(t[2 * c], t[2 * c + 1])).im;
        hits += lhs == rhs;
    }
    return hits;
}

static void zr_subspace(zk_rng *rng) {
    zr_view w;
    size_t kd;
    fm61 *t = zr_one_opening(rng, &w, &kd, 9, 0);
    size_t hits = zr_line_matches(w.u1, t, kd, w.gamma);
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  F_p-line attack on u1': %zu of %zu cell pairs\n", hits, kd);
    TEST_CHECK(hits == 0);
    free(w.u1);
    free(t);
}

/* ---- zsc's batch with the hiding commitment ---- */

#define ZR_NM 2
static const unsigned zr_mn[ZR_NM] = {4, 3}, zr_md[ZR_NM] = {2, 3};

/* Prover: commit T (pcs_ligero_zk, budget 1), mask points from the
 * transcript, the claims from Tp (the table the prover computes with; Tp =
 * T for an honest prover), the batch on Tp, the opening of T. */
static void zr_ip_prove(zk_buf *proof, const fm61 *T, const fm61 *Tp, unsigned mc, const size_t *off,
                        const uint8_t *seed) {
    tr_t *tr = tr_new_prover(ZR_PROTO "/ip", proof);
    pcs_state *st = pcs_ligero_zk_commit(tr, NULL, T, mc + 1, 0, 1, seed);
    fp2 pt[ZR_NM][ZR_MAXN];
    zsc_claim cl[ZR_NM];
    for (size_t s = 0; s < ZR_NM; s++) {
        tr_challenges(tr, "test/r", pt[s], zr_mn[s]);
        zsc_mask *m = zsc_mask_from_cells(zr_mn[s], zr_md[s], Tp + off[s]);
        cl[s] = (zsc_claim){.off = off[s], .n = zr_mn[s], .d = zr_md[s], .point = pt[s], .value = zsc_mask_eval(m, pt[s])};
        tr_put_fp2(tr, "zsc/gr", &cl[s].value, 1);
        zsc_mask_free(m);
    }
    fp2 tp[ZR_MAXN + 2], y;
    zsc_ip_prove(tr, tp, &y, Tp, mc, cl, ZR_NM);
    pcs_ligero_zk.open(tr, st, tp);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
}

static zk_err zr_ip_verify(const zk_buf *proof, unsigned mc, const size_t *off) {
    tr_t *tr = tr_new_verifier(ZR_PROTO "/ip", proof->data, proof->len);
    pcs_commitment cm;
    zk_err e = pcs_ligero_zk.read_commitment(tr, &cm, mc + 1);
    fp2 pt[ZR_NM][ZR_MAXN];
    zsc_claim cl[ZR_NM];
    for (size_t s = 0; s < ZR_NM && e == ZK_OK; s++) {
        tr_challenges(tr, "test/r", pt[s], zr_mn[s]);
        cl[s] = (zsc_claim){.off = off[s], .n = zr_mn[s], .d = zr_md[s], .point = pt[s]};
        e = tr_get_fp2(tr, "zsc/gr", &cl[s].value, 1);
    }
    fp2 tp[ZR_MAXN + 2], y;
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, &y, mc, cl, ZR_NM);
    if (e == ZK_OK) e = pcs_ligero_zk.verify(tr, &cm, tp, y);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

static void zr_ip_pcs(zk_rng *rng) {
    size_t off[ZR_NM], cells = 0;
    for (size_t s = 0; s < ZR_NM; s++) {
        off[s] = cells;
        cells += 2 * zsc_mask_ncoef(zr_mn[s], zr_md[s]);
    }
    unsigned mc = 1;
    while (((size_t)1 << mc) < cells) mc++;
    size_t N = (size_t)1 << mc;
    fm61 *T = zk_malloc_n(2 * N, sizeof *T), *Tp = zk_malloc_n(2 * N, sizeof *Tp);
    zsc_random_cells(T, 2 * N, rng); /* masks, padding and D */
    memcpy(Tp, T, 2 * N * sizeof *T);
    Tp[off[1] + 3] = fm61_add(Tp[off[1] + 3], 1); /* mask 1's a0, imaginary cell */
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (uint8_t)zk_rng_u64(rng);
    zk_buf pf;
    zk_buf_init(&pf);
    zr_ip_prove(&pf, T, T, mc, off, seed);
    TEST_CHECK(zr_ip_verify(&pf, mc, off) == ZK_OK);
    zk_buf_free(&pf);
    zk_buf_init(&pf);
    zr_ip_prove(&pf, T, Tp, mc, off, seed);
    zk_err e = zr_ip_verify(&pf, mc, off);
    TEST_CHECK(e == ZK_EPROOF && strstr(zk_reason(), "claimed evaluation"));
    if (getenv("GKRCNN_TEST_VERBOSE")) printf("  batch on a changed table: %s\n", zk_reason());
    zk_buf_free(&pf);
    free(Tp);
    free(T);
}

void test_zkrev(zk_rng *rng);
void test_zkrev(zk_rng *rng) {
    zr_gamma_zero(rng);
    zr_ip_pcs(rng);
    zr_subspace(rng);
    zr_slots_distinct(rng);
    if (getenv("GKRCNN_ZKREV_DEMO")) zr_slot_reuse(rng);
}
