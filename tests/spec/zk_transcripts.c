/* zk_transcripts.c -- transcripts of the zero-knowledge building blocks
 * (papers/protocol.md 3.1, 5.1) for the Python spec verifier
 * tests/spec/zk_spec.py, whose driver tests/spec/zk_spec_test.py runs this
 * program (built by `make test` as build/test/zk_transcripts):
 *
 *   zk_transcripts gen DIR            writes DIR/NAME.bin (and NAME.cert) for
 *                                     every case below and DIR/cases.json, the
 *                                     public data the verifiers need
 *   zk_transcripts check NAME PROOF[,CERT]...
 *                                     the C verifier of case NAME on each
 *                                     transcript (with its certificate after
 *                                     a comma): one line each, "accepted" or
 *                                     "rejected: REASON"; exit 0 if all were
 *                                     accepted, 1 if not, 2 on a usage or
 *                                     file error
 *
 * Cases (deterministic: fixed seeds, so `check` rebuilds the public data):
 *   zsc       five masked sumchecks (zsc_rounds through sc_prove_zk; n, degree
 *             below, one with n = 0) over public tables, each mask in the
 *             mask table C, then the batch (zsc_ip_prove) and the hiding
 *             opening of T = [C ; D] (pcs_ligero_zk, budget 1) at the batch's
 *             point: test_zkrev.c's zr_ip_pcs with real sumchecks. The
 *             verifier computes each sum H and f(r) from the tables. Before
 *             the batch the prover sends the value of a linear claim on
 *             three entries of C^ ("test/l", protocol.md 9.8 (e)), which
 *             the batch proves with the masks' values.
 *   em        part 2's masked sumcheck (protocol.md 9.8): an eq-factor
 *             sumcheck with two tables' finals masked and a pool part
 *             absorbed, its degree vector, the batch with three linear
 *             claims, the opening (zt_em below)
 *   open-*    a hiding commitment (budget b) to a random table of 2^n cells
 *             and `nopen` openings, each at z drawn from the transcript
 *             ("test/z") with v = t~(z) sent ("test/v"); the certified case
 *             writes its certificate to NAME.cert.
 * Protocol strings: "gkrcnn/test/zkspec/zsc", "gkrcnn/test/zkspec/open". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/pcs/pcs.h"
#include "../../src/poly/mle.h"
#include "../../src/sumcheck/vp.h"
#include "../../src/sumcheck/zsc.h"

#define ZT_PROTO "gkrcnn/test/zkspec"

/* ---- the zsc case ---- */

#define ZT_NS 5
static const unsigned zt_sn[ZT_NS] = {4, 3, 5, 0, 2}, zt_sd[ZT_NS] = {2, 3, 1, 1, 2};

typedef struct {
    fp2 *tab[ZT_NS][SC_MAX_DEGREE]; /* the public tables: f_s = prod_j tab[s][j] */
    size_t off[ZT_NS];              /* mask s at cells off[s].. of C */
    unsigned mc;                    /* C has 2^mc cells, T = [C ; D] 2^(mc+1) */
    fm61 *T;
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
    size_t wi[3]; /* the linear claim (protocol.md 9.8 (e)): entries of C^ and weights */
    fp2 ww[3];
} zt_zsc;

static fm61 zt_fm61(zk_rng *rng) { return zk_rng_u64(rng) % FM61_P; }

static void zt_seed(uint8_t *seed, zk_rng *rng) {
    for (size_t i = 0; i < PCS_LIGERO_ZK_SEED_BYTES; i++) seed[i] = (uint8_t)zk_rng_u64(rng);
}

static void zt_zsc_make(zt_zsc *z) {
    zk_rng rng;
    zk_rng_seed(&rng, 0x5a5c);
    size_t cells = 0;
    for (unsigned s = 0; s < ZT_NS; s++) {
        for (unsigned j = 0; j < zt_sd[s]; j++) {
            z->tab[s][j] = zk_malloc_n((size_t)1 << zt_sn[s], sizeof(fp2));
            for (size_t x = 0; x < (size_t)1 << zt_sn[s]; x++) z->tab[s][j][x] = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
        }
        z->off[s] = cells;
        cells += 2 * zsc_mask_ncoef(zt_sn[s], zt_sd[s]);
    }
    /* the linear claim: the two entries after the masks and one inside mask 0 */
    z->wi[0] = cells / 2, z->wi[1] = cells / 2 + 1, z->wi[2] = 1;
    for (int k = 0; k < 3; k++) z->ww[k] = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    z->mc = 1;
    while (((size_t)1 << z->mc) < cells + 4) z->mc++;
    z->T = zk_malloc_n((size_t)2 << z->mc, sizeof *z->T);
    zsc_random_cells(z->T, (size_t)2 << z->mc, &rng); /* masks, padding, D */
    zt_seed(z->seed, &rng);
}

static void zt_zsc_free(zt_zsc *z) {
    for (unsigned s = 0; s < ZT_NS; s++)
        for (unsigned j = 0; j < zt_sd[s]; j++) free(z->tab[s][j]);
    free(z->T);
}

static fp2 zt_sum(const zt_zsc *z, unsigned s) {
    return sc_sum_product((fp2 *const *)z->tab[s], zt_sd[s], (size_t)1 << zt_sn[s]);
}

/* The end of the zsc and em cases: the batch of the claims on T = [C ; D]
 * and T's hiding opening at its point; the verifier's side then also
 * requires the transcript's end. */
static void zt_batch_open(tr_t *tr, pcs_state *st, const fm61 *T, unsigned mc, const zsc_claim *cl, size_t ncl) {
    fp2 tp[ZSC_MAX_VARS + 2], y;
    zsc_ip_prove(tr, tp, &y, T, mc, cl, ncl);
    pcs_ligero_zk.open(tr, st, tp);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
}

static zk_err zt_batch_verify(tr_t *tr, zk_err e, const pcs_commitment *cm, unsigned mc, const zsc_claim *cl,
                              size_t ncl) {
    fp2 tp[ZSC_MAX_VARS + 2], y;
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, &y, mc, cl, ncl);
    if (e == ZK_OK) e = pcs_ligero_zk.verify(tr, cm, tp, y);
    if (e == ZK_OK && (e = tr_finish(tr)) != ZK_OK) zk_set_reason("trailing bytes");
    tr_free(tr);
    return e;
}

static void zt_zsc_prove(zk_buf *pf, const zt_zsc *z) {
    tr_t *tr = tr_new_prover(ZT_PROTO "/zsc", pf);
    pcs_state *st = pcs_ligero_zk_commit(tr, NULL, z->T, z->mc + 1, 0, 1, z->seed);
    fp2 pt[ZT_NS][8];
    zsc_claim cl[ZT_NS + 1];
    for (unsigned s = 0; s < ZT_NS; s++) {
        unsigned n = zt_sn[s], d = zt_sd[s];
        fp2 *tabs[SC_MAX_DEGREE], finals[SC_MAX_DEGREE], gr;
        for (unsigned j = 0; j < d; j++) { /* sc_prove_zk folds its tables */
            tabs[j] = zk_malloc_n((size_t)1 << n, sizeof(fp2));
            memcpy(tabs[j], z->tab[s][j], ((size_t)1 << n) * sizeof(fp2));
        }
        zsc_mask *m = zsc_mask_from_cells(n, d, z->T + z->off[s]);
        sc_prove_zk(tr, pt[s], finals, &gr, tabs, d, n, zt_sum(z, s), m);
        zsc_mask_free(m);
        for (unsigned j = 0; j < d; j++) free(tabs[j]);
        cl[s] = (zsc_claim){.off = z->off[s], .n = n, .d = d, .point = pt[s], .value = gr};
    }
    fp2 l = fp2_zero();
    for (int k = 0; k < 3; k++) l = fp2_add(l, fp2_mul(z->ww[k], fp2_make(z->T[2 * z->wi[k]], z->T[2 * z->wi[k] + 1])));
    tr_put_fp2(tr, "test/l", &l, 1);
    cl[ZT_NS] = (zsc_claim){.nw = 3, .wi = z->wi, .ww = z->ww, .value = l};
    zt_batch_open(tr, st, z->T, z->mc, cl, ZT_NS + 1);
}

static zk_err zt_zsc_verify(const zk_buf *pf, const zt_zsc *z) {
    tr_t *tr = tr_new_verifier(ZT_PROTO "/zsc", pf->data, pf->len);
    pcs_commitment cm;
    zk_err e = pcs_ligero_zk.read_commitment(tr, &cm, z->mc + 1);
    fp2 pt[ZT_NS][8];
    zsc_claim cl[ZT_NS + 1];
    for (unsigned s = 0; s < ZT_NS && e == ZK_OK; s++) {
        unsigned n = zt_sn[s], d = zt_sd[s];
        fp2 c = zt_sum(z, s), gr;
        if ((e = zsc_verify(tr, pt[s], &c, &gr, d, n)) != ZK_OK) break;
        fp2 f = fp2_one();
        for (unsigned j = 0; j < d; j++) f = fp2_mul(f, mle_eval_fp2(z->tab[s][j], n, pt[s]));
        if (!fp2_eq(f, c)) {
            zk_set_reason("sumcheck %u: reduced claim != f(r)", s);
            e = ZK_EPROOF;
        }
        cl[s] = (zsc_claim){.off = z->off[s], .n = n, .d = d, .point = pt[s], .value = gr};
    }
    fp2 l = fp2_zero();
    if (e == ZK_OK && (e = tr_get_fp2(tr, "test/l", &l, 1)) != ZK_OK) zk_set_reason("linear claim's value");
    cl[ZT_NS] = (zsc_claim){.nw = 3, .wi = z->wi, .ww = z->ww, .value = l};
    return zt_batch_verify(tr, e, &cm, z->mc, cl, ZT_NS + 1);
}

/* ---- the em case: part 2's masked sumcheck (protocol.md 9.8 (a), (d), (e)) ----
 * sum_x eq(rho, x) (c0 A B + c1 A) over n = ZE_N public tables, A and B
 * masked with entries a_A, a_B of C^, and a pool part P = wP C^[iP]
 * absorbed (b = C^[ib]); the prover sends V = H + P ("test/V"), the
 * masked sumcheck with its degree vector, A'(r), B'(r) ("test/vals") and
 * ell ("test/l"); the batch proves the mask's g(r) and the linear claims
 * ell = wP C^[iP] + (r_0 - rho_0) C^[ib], A'(r) - A~(r) = z C^[iA],
 * B'(r) - B~(r) = z C^[iB] (z = r_0 (1 - r_0)); then T is opened. */

#define ZE_N 4

typedef struct {
    fp2 *A, *B, rho[ZE_N], c0, c1, wP;
    unsigned deg[ZE_N];
    size_t ncell, iA, iB, iP, ib; /* the mask's cells from 0, then four entries of C^ */
    unsigned mc;
    fm61 *T;
    uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
} zt_em;

static vp_term ze_terms[2];

static void zt_em_make(zt_em *z) {
    zk_rng rng;
    zk_rng_seed(&rng, 0xe3a5);
    size_t len = (size_t)1 << ZE_N;
    z->A = zk_malloc_n(len, sizeof(fp2));
    z->B = zk_malloc_n(len, sizeof(fp2));
    for (size_t x = 0; x < len; x++) {
        z->A[x] = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
        z->B[x] = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    }
    for (unsigned v = 0; v < ZE_N; v++) z->rho[v] = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    z->c0 = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    z->c1 = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    z->wP = fp2_make(zt_fm61(&rng), zt_fm61(&rng));
    /* tables: 0 eq(rho, .), 1 A, 2 B */
    ze_terms[0] = (vp_term){.c = z->c0, .k = 3, .t = {0, 1, 2}};
    ze_terms[1] = (vp_term){.c = z->c1, .k = 2, .t = {0, 1}};
    static const int masked[3] = {0, 1, 1};
    vp_round_degrees_ab(z->deg, ze_terms, 2, masked, 1, ZE_N);
    z->ncell = 2 * zsc_mask_ncoef_deg(ZE_N, z->deg);
    z->iA = z->ncell / 2, z->iB = z->iA + 1, z->iP = z->iA + 2, z->ib = z->iA + 3;
    z->mc = 1;
    while (((size_t)1 << z->mc) < z->ncell + 8) z->mc++;
    z->T = zk_malloc_n((size_t)2 << z->mc, sizeof *z->T);
    zsc_random_cells(z->T, (size_t)2 << z->mc, &rng);
    zt_seed(z->seed, &rng);
}

static void zt_em_free(zt_em *z) {
    free(z->A);
    free(z->B);
    free(z->T);
}

static fp2 zt_entry(const zt_em *z, size_t k) { return fp2_make(z->T[2 * k], z->T[2 * k + 1]); }

/* H = sum_x eq(rho, x) (c0 A B + c1 A) */
static fp2 zt_em_sum(const zt_em *z) {
    size_t len = (size_t)1 << ZE_N;
    fp2 *w = zk_malloc_n(len, sizeof *w), H = fp2_zero();
    mle_eq_table(w, z->rho, ZE_N);
    for (size_t x = 0; x < len; x++)
        H = fp2_add(H, fp2_mul(w[x], fp2_add(fp2_mul(z->c0, fp2_mul(z->A[x], z->B[x])), fp2_mul(z->c1, z->A[x]))));
    free(w);
    return H;
}

/* The batch's claims: the mask's, then the three linear ones (storage in ws). */
typedef struct {
    zsc_claim cl[4];
    size_t wi[4];
    fp2 ww[4];
} zt_em_claims;

static void zt_em_batch(zt_em_claims *b, const zt_em *z, const fp2 *pt, fp2 gr, fp2 ell, const fp2 *vals) {
    fp2 zr = fp2_mul(pt[0], fp2_sub(fp2_one(), pt[0]));
    b->wi[0] = z->iP, b->ww[0] = z->wP, b->wi[1] = z->ib, b->ww[1] = fp2_sub(pt[0], z->rho[0]);
    b->wi[2] = z->iA, b->ww[2] = zr, b->wi[3] = z->iB, b->ww[3] = zr;
    b->cl[0] = (zsc_claim){.off = 0, .n = ZE_N, .point = pt, .value = gr, .deg = z->deg};
    b->cl[1] = (zsc_claim){.nw = 2, .wi = b->wi, .ww = b->ww, .value = ell};
    b->cl[2] = (zsc_claim){.nw = 1, .wi = b->wi + 2, .ww = b->ww + 2,
                           .value = fp2_sub(vals[1], mle_eval_fp2(z->A, ZE_N, pt))};
    b->cl[3] = (zsc_claim){.nw = 1, .wi = b->wi + 3, .ww = b->ww + 3,
                           .value = fp2_sub(vals[2], mle_eval_fp2(z->B, ZE_N, pt))};
}

static void zt_em_prove(zk_buf *pf, const zt_em *z) {
    tr_t *tr = tr_new_prover(ZT_PROTO "/em", pf);
    pcs_state *st = pcs_ligero_zk_commit(tr, NULL, z->T, z->mc + 1, 0, 1, z->seed);
    size_t len = (size_t)1 << ZE_N;
    fp2 H = zt_em_sum(z), P = fp2_mul(z->wP, zt_entry(z, z->iP)), V = fp2_add(H, P);
    tr_put_fp2(tr, "test/V", &V, 1);
    fp2 *tabs[3] = {NULL, zk_malloc_n(len, sizeof(fp2)), zk_malloc_n(len, sizeof(fp2))};
    memcpy(tabs[1], z->A, len * sizeof(fp2));
    memcpy(tabs[2], z->B, len * sizeof(fp2));
    static const int masked[3] = {0, 1, 1};
    fp2 a[3] = {fp2_zero(), zt_entry(z, z->iA), zt_entry(z, z->iB)}, pt[ZE_N], vals[3], gr;
    vp_absorb ab = {.part = P, .b = zt_entry(z, z->ib), .e = z->rho};
    zsc_mask *m = zsc_mask_from_cells_deg(ZE_N, z->deg, z->T);
    vp_prove_eq_em(tr, pt, vals, &gr, tabs, 3, ze_terms, 2, ZE_N, H, 0, z->rho, m, masked, a, &ab);
    zsc_mask_free(m);
    free(tabs[1]);
    free(tabs[2]);
    tr_put_fp2(tr, "test/vals", vals + 1, 2);
    tr_put_fp2(tr, "test/l", &ab.ell, 1);
    zt_em_claims b;
    zt_em_batch(&b, z, pt, gr, ab.ell, vals);
    zt_batch_open(tr, st, z->T, z->mc, b.cl, 4);
}

static zk_err zt_em_verify(const zk_buf *pf, const zt_em *z) {
    tr_t *tr = tr_new_verifier(ZT_PROTO "/em", pf->data, pf->len);
    pcs_commitment cm;
    fp2 V, pt[ZE_N], gr, vals[3], ell;
    zk_err e = pcs_ligero_zk.read_commitment(tr, &cm, z->mc + 1);
    if (e == ZK_OK) e = tr_get_fp2(tr, "test/V", &V, 1);
    if (e == ZK_OK) e = zsc_verify_deg(tr, pt, &V, &gr, z->deg, ZE_N);
    if (e == ZK_OK) e = tr_get_fp2(tr, "test/vals", vals + 1, 2);
    if (e == ZK_OK) e = tr_get_fp2(tr, "test/l", &ell, 1);
    if (e == ZK_OK) { /* red = f(A'(r), B'(r)) + eq(rho, r) ell */
        vals[0] = mle_eq_eval(z->rho, pt, ZE_N);
        if (!fp2_eq(V, fp2_add(vp_combine(ze_terms, 2, vals), fp2_mul(vals[0], ell)))) {
            zk_set_reason("em: reduced claim != f(vals) + E(r) ell");
            e = ZK_EPROOF;
        }
    }
    zt_em_claims b = {0};
    if (e == ZK_OK) zt_em_batch(&b, z, pt, gr, ell, vals);
    return zt_batch_verify(tr, e, &cm, z->mc, b.cl, 4);
}

/* ---- the opening cases ---- */

typedef struct {
    const char *name;
    unsigned n, openings, nopen;
    int certified;
} zt_open;

static const zt_open zt_opens[] = {
    {"open-n1", 1, 1, 1, 0},        {"open-n8", 8, 1, 1, 0},   {"open-n12-b2", 12, 2, 2, 0},
    {"open-n14", 14, 1, 1, 0},      {"open-n16", 16, 1, 1, 0}, {"open-n12-cert", 12, 2, 2, 1},
    {"open-n20", 20, 1, 1, 0},
};
#define ZT_NOPEN (sizeof zt_opens / sizeof zt_opens[0])

/* The case's table (2^n cells) and commitment seed. */
static fm61 *zt_open_table(const zt_open *c, size_t idx, uint8_t *seed) {
    zk_rng rng;
    zk_rng_seed(&rng, 0x09e7 + idx);
    fm61 *t = zk_malloc_n((size_t)1 << c->n, sizeof *t);
    for (size_t x = 0; x < (size_t)1 << c->n; x++) t[x] = zt_fm61(&rng);
    zt_seed(seed, &rng);
    return t;
}

static void zt_open_prove(zk_buf *pf, zk_buf *cert, const zt_open *c, const fm61 *t, const uint8_t *seed) {
    tr_t *tr = tr_new_prover(ZT_PROTO "/open", pf);
    tr_absorb_u64(tr, "test/n", c->n);
    pcs_state *st = pcs_ligero_zk_commit(tr, c->certified ? cert : NULL, t, c->n, c->certified, c->openings, seed);
    for (unsigned o = 0; o < c->nopen; o++) {
        fp2 z[PCS_LIGERO_MAX_VARS];
        tr_challenges(tr, "test/z", z, c->n);
        fp2 v = mle_eval_fm61(t, c->n, z);
        tr_put_fp2(tr, "test/v", &v, 1);
        pcs_ligero_zk.open(tr, st, z);
    }
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
}

static zk_err zt_open_verify(const zk_buf *pf, const zk_buf *cert, const zt_open *c) {
    tr_t *tr = tr_new_verifier(ZT_PROTO "/open", pf->data, pf->len);
    tr_absorb_u64(tr, "test/n", c->n);
    pcs_commitment cm;
    zk_err e = pcs_ligero_zk.read_commitment(tr, &cm, c->n);
    if (e == ZK_OK && c->certified) e = pcs_ligero_zk.check_certificate(&cm, cert->data, cert->len);
    for (unsigned o = 0; o < c->nopen && e == ZK_OK; o++) {
        fp2 z[PCS_LIGERO_MAX_VARS], v;
        tr_challenges(tr, "test/z", z, c->n);
        if ((e = tr_get_fp2(tr, "test/v", &v, 1)) != ZK_OK) {
            zk_set_reason("truncated or non-canonical value");
            break;
        }
        e = pcs_ligero_zk.verify(tr, &cm, z, v);
    }
    if (e == ZK_OK && (e = tr_finish(tr)) != ZK_OK) zk_set_reason("trailing bytes");
    tr_free(tr);
    return e;
}

/* ---- gen / check ---- */

static int zt_write(const char *dir, const char *name, const char *ext, const zk_buf *b) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
    if (zk_write_file(path, b->data, b->len) != ZK_OK) {
        fprintf(stderr, "zk_transcripts: cannot write %s\n", path);
        return 0;
    }
    return 1;
}

static void zt_json_fp2s(zk_buf *js, const fp2 *v, size_t n) {
    zk_buf_printf(js, "[");
    for (size_t i = 0; i < n; i++)
        zk_buf_printf(js, "%s[%llu,%llu]", i ? "," : "", (unsigned long long)v[i].re, (unsigned long long)v[i].im);
    zk_buf_printf(js, "]");
}

static size_t zt_opening_bytes(unsigned n, int certified, unsigned openings) {
    pcs_ligero_params p = pcs_ligero_zk_params_for(n, certified, openings);
    return pcs_ligero_opening_bytes(&p);
}

/* Every case written, and accepted by the C verifier (a sanity check of
 * the transcripts before the spec verifier sees them). */
static int zt_gen(const char *dir) {
    int ok = 1;
    zk_buf js;
    zk_buf_init(&js);
    zt_zsc z;
    zt_zsc_make(&z);
    zk_buf pf;
    zk_buf_init(&pf);
    zt_zsc_prove(&pf, &z);
    if (zt_zsc_verify(&pf, &z) != ZK_OK) {
        fprintf(stderr, "zk_transcripts: zsc rejected by the C verifier: %s\n", zk_reason());
        ok = 0;
    }
    ok &= zt_write(dir, "zsc", ".bin", &pf);
    zk_buf_printf(&js, "{\"cases\": [\n {\"name\": \"zsc\", \"kind\": \"zsc\", \"mc\": %u, \"opening_bytes\": %zu, "
                       "\"sumchecks\": [",
                  z.mc, zt_opening_bytes(z.mc + 1, 0, 1));
    for (unsigned s = 0; s < ZT_NS; s++) {
        zk_buf_printf(&js, "%s\n  {\"n\": %u, \"deg\": %u, \"off\": %zu, \"tables\": [", s ? "," : "", zt_sn[s],
                      zt_sd[s], z.off[s]);
        for (unsigned j = 0; j < zt_sd[s]; j++) {
            zk_buf_printf(&js, "%s", j ? "," : "");
            zt_json_fp2s(&js, z.tab[s][j], (size_t)1 << zt_sn[s]);
        }
        zk_buf_printf(&js, "]}");
    }
    zk_buf_printf(&js, "], \"linear\": {\"wi\": [%zu, %zu, %zu], \"ww\": ", z.wi[0], z.wi[1], z.wi[2]);
    zt_json_fp2s(&js, z.ww, 3);
    zk_buf_printf(&js, "}}");
    zk_buf_free(&pf);
    zt_zsc_free(&z);

    zt_em ze;
    zt_em_make(&ze);
    zk_buf_init(&pf);
    zt_em_prove(&pf, &ze);
    if (zt_em_verify(&pf, &ze) != ZK_OK) {
        fprintf(stderr, "zk_transcripts: em rejected by the C verifier: %s\n", zk_reason());
        ok = 0;
    }
    ok &= zt_write(dir, "em", ".bin", &pf);
    zk_buf_printf(&js, ",\n {\"name\": \"em\", \"kind\": \"em\", \"n\": %u, \"mc\": %u, \"opening_bytes\": %zu, \"deg\": [",
                  ZE_N, ze.mc, zt_opening_bytes(ze.mc + 1, 0, 1));
    for (unsigned v = 0; v < ZE_N; v++) zk_buf_printf(&js, "%s%u", v ? ", " : "", ze.deg[v]);
    zk_buf_printf(&js, "], \"iA\": %zu, \"iB\": %zu, \"iP\": %zu, \"ib\": %zu, \"c\": ", ze.iA, ze.iB, ze.iP, ze.ib);
    fp2 cw[3] = {ze.c0, ze.c1, ze.wP};
    zt_json_fp2s(&js, cw, 3);
    zk_buf_printf(&js, ", \"rho\": ");
    zt_json_fp2s(&js, ze.rho, ZE_N);
    zk_buf_printf(&js, ", \"A\": ");
    zt_json_fp2s(&js, ze.A, (size_t)1 << ZE_N);
    zk_buf_printf(&js, ", \"B\": ");
    zt_json_fp2s(&js, ze.B, (size_t)1 << ZE_N);
    zk_buf_printf(&js, "}");
    zk_buf_free(&pf);
    zt_em_free(&ze);

    for (size_t i = 0; i < ZT_NOPEN; i++) {
        const zt_open *c = &zt_opens[i];
        uint8_t seed[PCS_LIGERO_ZK_SEED_BYTES];
        fm61 *t = zt_open_table(c, i, seed);
        zk_buf cert;
        zk_buf_init(&pf);
        zk_buf_init(&cert);
        zt_open_prove(&pf, &cert, c, t, seed);
        if (zt_open_verify(&pf, &cert, c) != ZK_OK) {
            fprintf(stderr, "zk_transcripts: %s rejected by the C verifier: %s\n", c->name, zk_reason());
            ok = 0;
        }
        ok &= zt_write(dir, c->name, ".bin", &pf);
        if (c->certified) ok &= zt_write(dir, c->name, ".cert", &cert);
        zk_buf_printf(&js,
                      ",\n {\"name\": \"%s\", \"kind\": \"open\", \"n\": %u, \"openings\": %u, \"nopen\": %u, "
                      "\"certified\": %d, \"opening_bytes\": %zu}",
                      c->name, c->n, c->openings, c->nopen, c->certified,
                      zt_opening_bytes(c->n, c->certified, c->openings));
        zk_buf_free(&cert);
        zk_buf_free(&pf);
        free(t);
    }
    zk_buf_printf(&js, "\n]}\n");
    ok &= zt_write(dir, "cases", ".json", &js);
    zk_buf_free(&js);
    return ok ? 0 : 1;
}

/* One transcript of case NAME: "PROOF" or "PROOF,CERT". */
static zk_err zt_check_one(const char *name, const char *arg) {
    char proof[4096];
    snprintf(proof, sizeof proof, "%s", arg);
    char *certfile = strchr(proof, ',');
    if (certfile) *certfile++ = 0;
    zk_buf pf, cert;
    zk_buf_init(&pf);
    zk_buf_init(&cert);
    zk_err e = ZK_EINPUT;
    size_t i = 0;
    while (i < ZT_NOPEN && strcmp(zt_opens[i].name, name)) i++;
    if (zk_read_file(proof, &pf) != ZK_OK || (certfile && zk_read_file(certfile, &cert) != ZK_OK)) {
        zk_set_reason("cannot read %s", arg);
    } else if (!strcmp(name, "zsc")) {
        zt_zsc z;
        zt_zsc_make(&z);
        e = zt_zsc_verify(&pf, &z);
        zt_zsc_free(&z);
    } else if (!strcmp(name, "em")) {
        zt_em z;
        zt_em_make(&z);
        e = zt_em_verify(&pf, &z);
        zt_em_free(&z);
    } else if (i == ZT_NOPEN || (zt_opens[i].certified && !certfile)) {
        zk_set_reason("unknown case %s (or its certificate missing)", name);
    } else {
        e = zt_open_verify(&pf, &cert, &zt_opens[i]);
    }
    zk_buf_free(&cert);
    zk_buf_free(&pf);
    return e;
}

/* Prints "accepted" or "rejected: REASON" for each transcript; exit 0 if
 * all were accepted, 1 if one was rejected, 2 if one could not be read. */
static int zt_check(const char *name, int nargs, char **args) {
    int rc = 0;
    for (int a = 0; a < nargs; a++) {
        zk_err e = zt_check_one(name, args[a]);
        if (e == ZK_OK) {
            printf("accepted\n");
        } else {
            printf("rejected: %s\n", zk_reason());
            if (e == ZK_EINPUT) rc = 2;
            if (!rc) rc = 1;
        }
    }
    return rc;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "gen")) return zt_gen(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "check")) return zt_check(argv[2], argc - 3, argv + 3);
    fprintf(stderr, "usage: zk_transcripts gen DIR | check NAME PROOF[,CERT]...\n");
    return 2;
}
