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
    fp2 tp[ZSC_MAX_VARS + 2], y;
    zsc_ip_prove(tr, tp, &y, z->T, z->mc, cl, ZT_NS + 1);
    pcs_ligero_zk.open(tr, st, tp);
    pcs_ligero_zk.state_free(st);
    tr_free(tr);
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
    fp2 tp[ZSC_MAX_VARS + 2], y, l;
    if (e == ZK_OK && (e = tr_get_fp2(tr, "test/l", &l, 1)) != ZK_OK) zk_set_reason("linear claim's value");
    cl[ZT_NS] = (zsc_claim){.nw = 3, .wi = z->wi, .ww = z->ww, .value = l};
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, &y, z->mc, cl, ZT_NS + 1);
    if (e == ZK_OK) e = pcs_ligero_zk.verify(tr, &cm, tp, y);
    if (e == ZK_OK && (e = tr_finish(tr)) != ZK_OK) zk_set_reason("trailing bytes");
    tr_free(tr);
    return e;
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
