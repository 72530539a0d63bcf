/* test_zsc.c -- the zero-knowledge sumcheck and the batched proof of the
 * masks' values (zsc.h).
 *
 * Mask arithmetic against brute force (sums, round polynomials, the
 * weight table); completeness of whole runs (ZK sumchecks of products of
 * k = 1, 2, 3 tables and an eq-factor one through vp_prove_eq_zk, then the
 * batch over all their masks, the final evaluation checked against the
 * table); soundness (a false H, a mask that is not the committed one,
 * every round value, G, g(r), G' and the evaluation altered, a bad
 * layout); fresh randomness (two proofs differ in every message); and a
 * simulator that sees only H, f(r) and programmed challenges
 * (tr_test.h), whose transcripts the verifier accepts and whose
 * distribution, and the real one, pass per-coordinate chi-square tests
 * that the unmasked sumcheck of a {0,1} witness fails.
 */
#include <string.h>

#include "../src/poly/mle.h"
#include "../src/sumcheck/frac.h"
#include "../src/sumcheck/vp.h"
#include "../src/sumcheck/zsc.h"
#include "../src/transcript/tr_test.h"
#include "test.h"

#define P FM61_P
#define PROTO "gkrcnn/test/zsc"
#define MAXN 16

static fp2 rand_fp2(zk_rng *rng) { return fp2_make(zk_rng_u64(rng) % P, zk_rng_u64(rng) % P); }

/* ---- mask arithmetic ---- */

/* sum over x_<v of g(x_<v, X, point_>v), by enumeration */
static fp2 brute_round(const zsc_mask *m, unsigned v, const fp2 *point, fp2 X) {
    fp2 x[MAXN], s = fp2_zero();
    for (size_t b = 0; b < (size_t)1 << v; b++) {
        for (unsigned u = 0; u < v; u++) x[u] = fp2_from_fm61((b >> u) & 1);
        x[v] = X;
        for (unsigned u = v + 1; u < m->n; u++) x[u] = point[u];
        s = fp2_add(s, zsc_mask_eval(m, x));
    }
    return s;
}

static void test_mask(zk_rng *rng) {
    for (unsigned n = 0; n <= 6; n++)
        for (unsigned d = 1; d <= SC_MAX_DEGREE; d++) {
            zsc_mask *m = zsc_mask_new(n, d, rng);
            fp2 pt[MAXN];
            for (unsigned u = 0; u < n; u++) pt[u] = rand_fp2(rng);
            /* G: the hypercube sum */
            fp2 G = n ? brute_round(m, n - 1, pt, fp2_zero()) : m->c[0];
            if (n) G = fp2_add(G, brute_round(m, n - 1, pt, fp2_one()));
            TEST_CHECK(fp2_eq(G, zsc_mask_sum(m)));
            /* round polynomials in every round, at 0..d */
            for (unsigned v = 0; v < n; v++) {
                fp2 out[SC_MAX_DEGREE + 1];
                zsc_mask_round(out, m, v, pt);
                int ok = 1;
                for (unsigned X = 0; X <= d; X++) ok &= fp2_eq(out[X], brute_round(m, v, pt, fp2_from_fm61(X)));
                TEST_CHECK(ok);
            }
            /* cells round trip; the weights give g(point) */
            size_t nc = zsc_mask_ncoef(n, d);
            fm61 cells[2 * (MAXN * SC_MAX_DEGREE + 1)];
            zsc_mask_cells(cells, m);
            zsc_mask *m2 = zsc_mask_from_cells(n, d, cells);
            TEST_CHECK(memcmp(m2->c, m->c, nc * sizeof(fp2)) == 0);
            zsc_claim cl = {.off = 2, .n = n, .d = d, .point = pt};
            unsigned mc = 1;
            while (((size_t)1 << mc) < 2 * nc + 2) mc++;
            fp2 lam = rand_fp2(rng), V[64], C[64], z[8];
            zsc_ip_weights(V, &cl, 1, &lam, mc);
            for (size_t k = 0; k < (size_t)1 << (mc - 1); k++) C[k] = fp2_zero();
            for (size_t k = 0; k < nc; k++) C[1 + k] = m->c[k];
            fp2 ip = fp2_zero();
            for (size_t k = 0; k < (size_t)1 << (mc - 1); k++) ip = fp2_add(ip, fp2_mul(C[k], V[k]));
            TEST_CHECK(fp2_eq(ip, fp2_mul(lam, zsc_mask_eval(m, pt))));
            for (unsigned j = 0; j + 1 < mc; j++) z[j] = rand_fp2(rng);
            TEST_CHECK(fp2_eq(zsc_ip_weights_eval(&cl, 1, &lam, z, mc), mle_eval_fp2(V, mc - 1, z)));
            zsc_mask_free(m2);
            zsc_mask_free(m);
        }
    zsc_mask_free(NULL);
    /* x0 = i / (1 + i) */
    TEST_CHECK(fp2_eq(fp2_mul(zsc_ip_x0(), fp2_make(1, 1)), fp2_make(0, 1)));
    /* layouts */
    fp2 pt[4] = {fp2_one(), fp2_one(), fp2_one(), fp2_one()};
    zsc_claim a[2] = {{.off = 0, .n = 2, .d = 2, .point = pt}, {.off = 10, .n = 1, .d = 1, .point = pt}};
    TEST_CHECK(zsc_layout_ok(a, 2, 4));  /* cells [0,10) and [10,14) of 16 */
    TEST_CHECK(!zsc_layout_ok(a, 2, 3)); /* 8 cells: too small */
    a[1].off = 8;
    TEST_CHECK(!zsc_layout_ok(a, 2, 4)); /* overlap */
    a[1].off = 11;
    TEST_CHECK(!zsc_layout_ok(a, 2, 4)); /* odd offset */
    a[1].off = 12;
    a[1].d = 0;
    TEST_CHECK(!zsc_layout_ok(a, 2, 4)); /* degree 0 */
    a[1].d = 1;
    TEST_CHECK(zsc_layout_ok(a, 2, 4) && !zsc_layout_ok(a, 2, 0));
}

/* ---- whole runs: sumchecks, then the batch ---- */

/* One sumcheck, by each prover with a mask:
 *   J_PROD   prod_{q<k} T_q                         (sc_prove_zk, k = 1, 2, 3)
 *   J_EQ     eq(rho, x) (c0 A B + c1 A)             (vp_prove_eq_zk, degree 3)
 *   J_VP     c0 A B + c1 A                          (vp_prove_zk, degree 2)
 *   J_BASE   A B, A base-field                      (sc_prove_base_zk)
 *   J_FRAC   eq(rho, x) (A D + C B + lam C D)      (sc_frac_prove_zk, degree 3)
 *   J_FRACL  the same from the layer below P, Q     (sc_frac_prove_layer_zk) */
enum { J_PROD, J_EQ, J_VP, J_BASE, J_FRAC, J_FRACL };

typedef struct {
    int kind;
    unsigned k, n, d; /* tables, variables, round degree */
    fp2 *t[4];        /* the original tables */
    fp2 rho[MAXN], c[2], lam;
    fp2 claim; /* the true sum */
} job;

/* The summand at one x (or the combination at a point), given the tables'
 * values v and eq(rho, .)'s value e there. */
static fp2 job_combine(const job *j, const fp2 *v, fp2 e) {
    switch (j->kind) {
    case J_EQ:
    case J_VP: {
        fp2 f = fp2_add(fp2_mul(j->c[0], fp2_mul(v[0], v[1])), fp2_mul(j->c[1], v[0]));
        return j->kind == J_EQ ? fp2_mul(e, f) : f;
    }
    case J_FRAC:
    case J_FRACL: {
        fp2 cd = fp2_mul(v[2], v[3]);
        fp2 f = fp2_add(fp2_add(fp2_mul(v[0], v[3]), fp2_mul(v[2], v[1])), fp2_mul(j->lam, cd));
        return fp2_mul(e, f);
    }
    default: {
        fp2 p = v[0];
        for (unsigned q = 1; q < j->k; q++) p = fp2_mul(p, v[q]);
        return p;
    }
    }
}

static void job_init(job *j, zk_rng *rng, int kind, unsigned k, unsigned n, int small) {
    static const unsigned ntab[] = {0, 2, 2, 2, 4, 4}, deg[] = {0, 3, 2, 2, 3, 3};
    memset(j, 0, sizeof *j);
    j->kind = kind, j->n = n;
    j->k = kind == J_PROD ? k : ntab[kind];
    j->d = kind == J_PROD ? k : deg[kind];
    size_t len = (size_t)1 << n;
    for (unsigned q = 0; q < j->k; q++) {
        j->t[q] = zk_aligned_n(len, sizeof(fp2));
        for (size_t x = 0; x < len; x++) {
            j->t[q][x] = small ? fp2_from_fm61(zk_rng_u64(rng) & 1) : rand_fp2(rng);
            if (kind == J_BASE && q == 0) j->t[q][x].im = 0;
        }
    }
    for (unsigned u = 0; u < n; u++) j->rho[u] = rand_fp2(rng);
    j->c[0] = rand_fp2(rng), j->c[1] = rand_fp2(rng), j->lam = rand_fp2(rng);
    fp2 *w = zk_aligned_n(len, sizeof(fp2));
    mle_eq_table(w, j->rho, n);
    j->claim = fp2_zero();
    for (size_t x = 0; x < len; x++) {
        fp2 v[4];
        for (unsigned q = 0; q < j->k; q++) v[q] = j->t[q][x];
        j->claim = fp2_add(j->claim, job_combine(j, v, w[x]));
    }
    free(w);
}

static void job_free(job *j) {
    for (unsigned q = 0; q < j->k; q++) free(j->t[q]);
}

/* f(point): what the caller's final check compares the reduced claim to */
static fp2 job_f(const job *j, const fp2 *point) {
    fp2 v[4];
    for (unsigned q = 0; q < j->k; q++) v[q] = mle_eval_fp2(j->t[q], j->n, point);
    return job_combine(j, v, mle_eq_eval(j->rho, point, j->n));
}

/* The ZK prover on copies of the tables (mask NULL: the plain one). */
static void job_prove(const job *j, tr_t *tr, fp2 *point, fp2 *gr, fp2 claim, const zsc_mask *m) {
    size_t len = (size_t)1 << j->n;
    fp2 *T[4] = {NULL, NULL, NULL, NULL}, fin[4];
    for (unsigned q = 0; q < j->k; q++) {
        T[q] = zk_aligned_n(len, sizeof(fp2));
        memcpy(T[q], j->t[q], len * sizeof(fp2));
    }
    vp_term terms[2] = {{.c = j->c[0], .k = 3, .t = {0, 1, 2}}, {.c = j->c[1], .k = 2, .t = {0, 1}}};
    switch (j->kind) {
    case J_EQ: {
        fp2 *tabs[3] = {NULL, T[0], T[1]};
        vp_prove_eq_zk(tr, point, fin, gr, tabs, 3, terms, 2, j->n, claim, 0, j->rho, m);
        break;
    }
    case J_VP: {
        vp_term t2[2] = {{.c = j->c[0], .k = 2, .t = {0, 1}}, {.c = j->c[1], .k = 1, .t = {0}}};
        vp_prove_zk(tr, point, fin, gr, T, 2, t2, 2, j->n, claim, m);
        break;
    }
    case J_BASE: {
        fm61 *V = zk_malloc_n(len, sizeof *V);
        fp2 *vbuf = zk_aligned_n(len, sizeof(fp2));
        for (size_t x = 0; x < len; x++) V[x] = j->t[0][x].re;
        sc_prove_base_zk(tr, point, fin, gr, V, vbuf, T[1], j->n, claim, m);
        free(vbuf);
        free(V);
        break;
    }
    case J_FRAC:
        sc_frac_prove_zk(tr, point, fin, gr, T, j->rho, j->n, j->lam, claim, m);
        break;
    case J_FRACL: {
        /* the layer below: P[2x] = A[x], P[2x+1] = B[x], Q[2x] = C[x], Q[2x+1] = D[x] */
        fp2 *Pl = zk_aligned_n(2 * len, sizeof(fp2)), *Ql = zk_aligned_n(2 * len, sizeof(fp2));
        for (size_t x = 0; x < len; x++) {
            Pl[2 * x] = j->t[0][x], Pl[2 * x + 1] = j->t[1][x];
            Ql[2 * x] = j->t[2][x], Ql[2 * x + 1] = j->t[3][x];
        }
        sc_frac_prove_layer_zk(tr, point, fin, gr, T, Pl, Ql, j->rho, j->n, j->lam, claim, m);
        free(Pl);
        free(Ql);
        break;
    }
    default:
        sc_prove_zk(tr, point, fin, gr, T, j->k, j->n, claim, m);
    }
    for (unsigned q = 0; q < j->k; q++) free(T[q]);
}

/* The masks, their layout in C and the committed table T = [C ; D]. */
typedef struct {
    size_t nj;
    const job *jobs;
    zsc_mask *mask[8];   /* the masks the prover runs with */
    size_t off[8];       /* their cells in C */
    unsigned mc;
    fm61 *T;             /* 2^(mc+1) cells */
} setup;

static void setup_make(setup *S, const job *jobs, size_t nj, zk_rng *rng) {
    memset(S, 0, sizeof *S);
    ZK_CHECK(nj <= 8);
    S->nj = nj, S->jobs = jobs;
    size_t cells = 0;
    for (size_t s = 0; s < nj; s++) {
        S->mask[s] = zsc_mask_new(jobs[s].n, jobs[s].d, rng);
        S->off[s] = cells;
        cells += 2 * zsc_mask_ncoef(jobs[s].n, jobs[s].d);
    }
    S->mc = 1;
    while (((size_t)1 << S->mc) < cells) S->mc++;
    size_t N = (size_t)1 << S->mc;
    S->T = zk_malloc_n(2 * N, sizeof(fm61));
    zsc_random_cells(S->T, 2 * N, rng); /* D, and the padding of C */
    for (size_t s = 0; s < nj; s++) zsc_mask_cells(S->T + S->off[s], S->mask[s]);
}

static void setup_free(setup *S) {
    for (size_t s = 0; s < S->nj; s++) zsc_mask_free(S->mask[s]);
    free(S->T);
}

/* Tamper hook: adds 1 to entry idx of occurrence occ of label. */
typedef struct {
    const char *label;
    size_t occ, idx;
} tamper;

static void tamper_fn(void *ctx, const char *label, size_t occurrence, fp2 *v, size_t n) {
    const tamper *t = ctx;
    if (strcmp(label, t->label) == 0 && occurrence == t->occ && t->idx < n) v[t->idx].re = fm61_add(v[t->idx].re, 1);
}

/* Programmed challenges (tr_test.h): the list, in order. */
typedef struct {
    const fp2 *v;
    size_t n, pos;
} prog;

static int prog_fn(void *ctx, const char *label, fp2 *out) {
    prog *p = ctx;
    (void)label;
    if (p->pos >= p->n) return 0;
    *out = p->v[p->pos++];
    return 1;
}

/* The prover: every ZK sumcheck (claims[s]: the claimed sums, NULL for
 * the true ones), then the batch on T. The table is absorbed first, a
 * stand-in for its commitment. */
static void prove_all(zk_buf *proof, const setup *S, const fp2 *claims, const tamper *tm, prog *pg) {
    tr_t *tr = tr_new_prover(PROTO, proof);
    if (tm) tr_set_tamper(tr, tamper_fn, (void *)tm);
    if (pg) tr_set_program(tr, prog_fn, pg);
    tr_absorb_fm61(tr, "test/T", S->T, (size_t)2 << S->mc);
    fp2 point[8][MAXN], gr[8];
    zsc_claim cl[8];
    for (size_t s = 0; s < S->nj; s++) {
        const job *j = &S->jobs[s];
        job_prove(j, tr, point[s], &gr[s], claims ? claims[s] : j->claim, S->mask[s]);
        cl[s] = (zsc_claim){.off = S->off[s], .n = j->n, .d = j->d, .point = point[s], .value = gr[s]};
    }
    fp2 tp[MAXN + 2], y;
    zsc_ip_prove(tr, tp, &y, S->T, S->mc, cl, S->nj);
    tr_free(tr);
}

/* The verifier, with the caller's two final checks done by oracle: f at
 * each sumcheck's point from the tables, and T~ at the batch's point. */
static zk_err verify_all(const setup *S, const uint8_t *proof, size_t len, prog *pg) {
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    if (pg) tr_set_program(tr, prog_fn, pg);
    tr_absorb_fm61(tr, "test/T", S->T, (size_t)2 << S->mc);
    fp2 point[8][MAXN], gr[8];
    zsc_claim cl[8];
    zk_err e = ZK_OK;
    for (size_t s = 0; s < S->nj && e == ZK_OK; s++) {
        const job *j = &S->jobs[s];
        fp2 c = j->claim;
        e = zsc_verify(tr, point[s], &c, &gr[s], j->d, j->n);
        if (e == ZK_OK && !fp2_eq(c, job_f(j, point[s]))) e = ZK_EPROOF;
        cl[s] = (zsc_claim){.off = S->off[s], .n = j->n, .d = j->d, .point = point[s], .value = gr[s]};
    }
    fp2 tp[MAXN + 2], y;
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, &y, S->mc, cl, S->nj);
    if (e == ZK_OK && !fp2_eq(y, mle_eval_fm61(S->T, S->mc + 1, tp))) e = ZK_EPROOF;
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

static void test_complete(zk_rng *rng) {
    enum { NJ = 11 };
    job jobs[NJ];
    job_init(&jobs[0], rng, J_PROD, 1, 5, 0);
    job_init(&jobs[1], rng, J_PROD, 2, 6, 0);
    job_init(&jobs[2], rng, J_PROD, 3, 4, 0);
    job_init(&jobs[3], rng, J_EQ, 0, 5, 0);
    job_init(&jobs[4], rng, J_PROD, 2, 1, 1);
    job_init(&jobs[5], rng, J_PROD, 2, 0, 0); /* no round: g(r) = a0 */
    job_init(&jobs[6], rng, J_VP, 0, 4, 0);
    job_init(&jobs[7], rng, J_BASE, 0, 5, 0);
    job_init(&jobs[8], rng, J_FRAC, 0, 4, 0);
    job_init(&jobs[9], rng, J_FRACL, 0, 3, 0);
    job_init(&jobs[10], rng, J_BASE, 0, 0, 0);
    /* one sumcheck per batch, then 8 together (the setup's limit) */
    for (size_t s = 0; s <= NJ; s++) {
        setup S;
        setup_make(&S, s < NJ ? &jobs[s] : jobs + 3, s < NJ ? 1 : 8, rng);
        zk_buf proof;
        zk_buf_init(&proof);
        prove_all(&proof, &S, NULL, NULL, NULL);
        zk_err e = verify_all(&S, proof.data, proof.len, NULL);
        TEST_CHECK(e == ZK_OK);
        if (e != ZK_OK) fprintf(stderr, "  zsc complete %zu: %s (%s)\n", s, zk_err_str(e), zk_reason());
        zk_buf_free(&proof);
        setup_free(&S);
    }
    /* a mask given as NULL: byte for byte the plain prover */
    {
        zk_buf a, b;
        zk_buf_init(&a);
        zk_buf_init(&b);
        fp2 pt[MAXN], fin[3], *T[2];
        for (int q = 0; q < 2; q++) {
            T[q] = zk_aligned_n(64, sizeof(fp2));
            memcpy(T[q], jobs[1].t[q], 64 * sizeof(fp2));
        }
        tr_t *tr = tr_new_prover(PROTO, &a);
        sc_prove(tr, pt, fin, T, 2, 6, jobs[1].claim);
        tr_free(tr);
        tr = tr_new_prover(PROTO, &b);
        job_prove(&jobs[1], tr, pt, NULL, jobs[1].claim, NULL);
        tr_free(tr);
        TEST_CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        for (int q = 0; q < 2; q++) free(T[q]);
        zk_buf_free(&a);
        zk_buf_free(&b);
    }
    for (int s = 0; s < NJ; s++) job_free(&jobs[s]);
}

static void test_sound(zk_rng *rng) {
    job jobs[3];
    job_init(&jobs[0], rng, J_PROD, 2, 4, 1);
    job_init(&jobs[1], rng, J_EQ, 0, 3, 1);
    job_init(&jobs[2], rng, J_FRAC, 0, 3, 0);
    setup S;
    setup_make(&S, jobs, 3, rng);
    zk_buf proof;
    /* a false H, with an honestly random mask, in each position */
    for (size_t s = 0; s < 3; s++) {
        fp2 claims[3] = {jobs[0].claim, jobs[1].claim, jobs[2].claim};
        claims[s] = fp2_add(claims[s], fp2_one());
        zk_buf_init(&proof);
        prove_all(&proof, &S, claims, NULL, NULL);
        TEST_CHECK(verify_all(&S, proof.data, proof.len, NULL) == ZK_EPROOF);
        zk_buf_free(&proof);
    }
    /* the prover runs with a mask that is not the committed one (so G,
     * the rounds and g(r) agree with each other, not with C): the
     * sumchecks and f(r) pass, the batch rejects */
    for (size_t s = 0; s < 3; s++) {
        zsc_mask *honest = S.mask[s];
        S.mask[s] = zsc_mask_new(jobs[s].n, jobs[s].d, rng);
        zk_buf_init(&proof);
        prove_all(&proof, &S, NULL, NULL, NULL);
        zsc_mask_free(S.mask[s]);
        S.mask[s] = honest;
        zk_err e = verify_all(&S, proof.data, proof.len, NULL);
        TEST_CHECK(e == ZK_EPROOF && strstr(zk_reason(), "zk mask batch"));
        zk_buf_free(&proof);
    }
    /* every value of every message altered: the sumcheck rounds (both
     * sumchecks and the batch's), G, g(r), G', the evaluation */
    size_t rounds = 0;
    for (size_t s = 0; s < 3; s++) rounds += jobs[s].n;
    rounds += S.mc - 1;
    struct {
        const char *label;
        size_t occs, width;
    } msgs[] = {{"sc/round", rounds, 4}, {"zsc/G", 3, 1}, {"zsc/gr", 3, 1}, {"zsc/ip/G", 1, 1}, {"zsc/ip/eval", 1, 1}};
    long tried = 0, rejected = 0;
    for (size_t m = 0; m < sizeof msgs / sizeof msgs[0]; m++)
        for (size_t o = 0; o < msgs[m].occs; o++)
            for (size_t i = 0; i < msgs[m].width; i++) {
                tamper tm = {.label = msgs[m].label, .occ = o, .idx = i};
                zk_buf_init(&proof);
                prove_all(&proof, &S, NULL, &tm, NULL);
                zk_err e = verify_all(&S, proof.data, proof.len, NULL);
                tried++;
                rejected += e != ZK_OK;
                zk_buf_free(&proof);
            }
    /* the round widths: degree 2, 3, 3 for the sumchecks, 2 for the batch
     * (entries past a round's width are not altered: count those out) */
    long untouched = 0;
    for (size_t s = 0; s < 3; s++) untouched += (long)jobs[s].n * (3 - jobs[s].d);
    untouched += (long)(S.mc - 1) * 1;
    TEST_CHECK(rejected == tried - untouched);
    /* the honest run still passes; a bad layout is refused */
    zk_buf_init(&proof);
    prove_all(&proof, &S, NULL, NULL, NULL);
    TEST_CHECK(verify_all(&S, proof.data, proof.len, NULL) == ZK_OK);
    {
        size_t off1 = S.off[1];
        S.off[1] = S.off[0] + 2; /* overlaps mask 0 */
        TEST_CHECK(verify_all(&S, proof.data, proof.len, NULL) == ZK_EINPUT);
        S.off[1] = off1;
    }
    /* truncation; single bytes flipped anywhere; random bytes */
    TEST_CHECK(verify_all(&S, proof.data, proof.len - 1, NULL) == ZK_EFORMAT);
    long flips = 0, flips_rejected = 0;
    for (int t = 0; t < 300; t++) {
        size_t at = zk_rng_u64(rng) % proof.len;
        uint8_t bit = (uint8_t)(1u << (zk_rng_u64(rng) % 8)), old = proof.data[at];
        proof.data[at] ^= bit;
        flips++;
        flips_rejected += verify_all(&S, proof.data, proof.len, NULL) != ZK_OK;
        proof.data[at] = old;
    }
    TEST_CHECK(flips_rejected == flips);
    {
        uint8_t *junk = zk_malloc(proof.len);
        for (size_t i = 0; i < proof.len; i++) junk[i] = (uint8_t)zk_rng_u64(rng);
        TEST_CHECK(verify_all(&S, junk, proof.len, NULL) != ZK_OK);
        free(junk);
    }
    zk_buf_free(&proof);
    setup_free(&S);
    for (int s = 0; s < 3; s++) job_free(&jobs[s]);
}

/* Two proofs of the same statement (fresh masks, fresh D) differ in every
 * message: every 16-byte value of the proof. */
static void test_fresh(zk_rng *rng) {
    job jobs[2];
    job_init(&jobs[0], rng, J_PROD, 2, 5, 1);
    job_init(&jobs[1], rng, J_EQ, 0, 4, 1);
    zk_buf a, b;
    zk_buf_init(&a);
    zk_buf_init(&b);
    setup S1, S2;
    setup_make(&S1, jobs, 2, rng);
    setup_make(&S2, jobs, 2, rng);
    prove_all(&a, &S1, NULL, NULL, NULL);
    prove_all(&b, &S2, NULL, NULL, NULL);
    TEST_CHECK(a.len == b.len && a.len % 16 == 0);
    size_t same = 0;
    for (size_t o = 0; o + 16 <= a.len && o + 16 <= b.len; o += 16) same += memcmp(a.data + o, b.data + o, 16) == 0;
    TEST_CHECK(same == 0);
    /* the same masks and D again give the same bytes (Fiat-Shamir is
     * deterministic): the differences above are the fresh randomness */
    zk_buf c;
    zk_buf_init(&c);
    prove_all(&c, &S1, NULL, NULL, NULL);
    TEST_CHECK(c.len == a.len && memcmp(c.data, a.data, a.len) == 0);
    zk_buf_free(&a);
    zk_buf_free(&b);
    zk_buf_free(&c);
    setup_free(&S1);
    setup_free(&S2);
    for (int s = 0; s < 2; s++) job_free(&jobs[s]);
}

/* Why the coefficients are F_{p^2}: with F_p coefficients (imaginary
 * cells zero), round 1's mask values rho m(X) lie on the line rho F_p, and
 * the verifier recovers the unmasked g(0) as msg - rho Im(msg) / Im(rho).
 * With the real masks the same computation gives something else. */
static void test_fp_mask(zk_rng *rng) {
    job j;
    job_init(&j, rng, J_PROD, 2, 5, 1);
    size_t nc = zsc_mask_ncoef(5, 2);
    fm61 cells[2 * (5 * 2 + 1)];
    zsc_random_cells(cells, 2 * nc, rng);
    for (size_t k = 0; k < nc; k++) cells[2 * k + 1] = 0;
    zsc_mask *masks[2] = {zsc_mask_from_cells(5, 2, cells), zsc_mask_new(5, 2, rng)};
    zk_buf proof;
    fp2 pt[MAXN], gr, plain0, msg;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(PROTO, &proof);
    job_prove(&j, tr, pt, NULL, j.claim, NULL);
    tr_free(tr);
    TEST_CHECK(fp2_decode(&plain0, proof.data) == ZK_OK); /* round 1's g(0) */
    zk_buf_free(&proof);
    for (int w = 0; w < 2; w++) {
        zk_buf_init(&proof);
        tr = tr_new_prover(PROTO, &proof);
        job_prove(&j, tr, pt, &gr, j.claim, masks[w]);
        tr_free(tr);
        /* the verifier's view: G, rho, round 1's g(0) */
        fp2 G;
        tr = tr_new_verifier(PROTO, proof.data, proof.len);
        TEST_CHECK(tr_get_fp2(tr, "zsc/G", &G, 1) == ZK_OK);
        fp2 rho = tr_challenge(tr, "zsc/rho");
        TEST_CHECK(tr_get_fp2(tr, "sc/round", &msg, 1) == ZK_OK);
        tr_free(tr);
        fm61 u = fm61_mul(msg.im, fm61_inv(rho.im));
        fp2 guess = fp2_sub(msg, fp2_mul_fm61(rho, u));
        TEST_CHECK(w == 0 ? fp2_eq(guess, plain0) : !fp2_eq(guess, plain0));
        zk_buf_free(&proof);
    }
    zsc_mask_free(masks[0]);
    zsc_mask_free(masks[1]);
    job_free(&j);
}

/* Why D is read as F_{p^2} pairs: the layout E = C + rho' D with C, D
 * base-field tables of 4 cells (mc = 2) makes Im E = b D and
 * Re E = C + a D (rho' = a + b i), so C = Re E - (a/b) Im E; the batch's
 * sumcheck on E V reveals q1(0) = E0 V0 + E1 V1, q1(1) = E2 V2 + E3 V3 and
 * E folded by r1 at 0 and 1 (q2(X) / V'(X)): four independent functionals,
 * hence E, hence C. Reading the cells in pairs (2 entries of E, uniform)
 * leaves nothing to solve for. */
static void test_base_d_leaks(zk_rng *rng) {
    fm61 C[4], D[4];
    zsc_random_cells(C, 4, rng);
    zsc_random_cells(D, 4, rng);
    fp2 rho = rand_fp2(rng), V[4], E[4], Vc[4], A[4][5];
    for (int k = 0; k < 4; k++) {
        V[k] = Vc[k] = rand_fp2(rng);
        E[k] = fp2_add(fp2_from_fm61(C[k]), fp2_mul(rho, fp2_from_fm61(D[k])));
    }
    fp2 claim = fp2_zero(), pt[2], fin[2], *tabs[2] = {E, V};
    for (int k = 0; k < 4; k++) claim = fp2_add(claim, fp2_mul(E[k], Vc[k]));
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(PROTO, &proof);
    sc_prove(tr, pt, fin, tabs, 2, 2, claim);
    tr_free(tr);
    /* the verifier's side: the two rounds, the challenges */
    fp2 q1[3], q2[3], zero = fp2_zero(), one = fp2_one();
    tr = tr_new_verifier(PROTO, proof.data, proof.len);
    TEST_CHECK(tr_get_fp2(tr, "sc/round", q1, 3) == ZK_OK);
    fp2 r1 = tr_challenge(tr, "sc/r");
    TEST_CHECK(tr_get_fp2(tr, "sc/round", q2, 3) == ZK_OK);
    tr_free(tr);
    zk_buf_free(&proof);
    fp2 s1 = fp2_sub(one, r1), V0 = fp2_add(fp2_mul(s1, Vc[0]), fp2_mul(r1, Vc[2]));
    fp2 V1 = fp2_add(fp2_mul(s1, Vc[1]), fp2_mul(r1, Vc[3]));
    fp2 rows[4][5] = {{Vc[0], Vc[1], zero, zero, q1[0]},
                      {zero, zero, Vc[2], Vc[3], q1[1]},
                      {s1, zero, r1, zero, fp2_mul(q2[0], fp2_inv(V0))},
                      {zero, s1, zero, r1, fp2_mul(q2[1], fp2_inv(V1))}};
    memcpy(A, rows, sizeof A);
    /* Gauss-Jordan over F_{p^2} */
    int ok = 1;
    for (int c = 0; c < 4 && ok; c++) {
        int piv = c;
        while (piv < 4 && fp2_is_zero(A[piv][c])) piv++;
        if (piv == 4) {
            ok = 0;
            break;
        }
        for (int k = 0; k < 5; k++) {
            fp2 t = A[c][k];
            A[c][k] = A[piv][k], A[piv][k] = t;
        }
        fp2 inv = fp2_inv(A[c][c]);
        for (int k = 0; k < 5; k++) A[c][k] = fp2_mul(A[c][k], inv);
        for (int r = 0; r < 4; r++) {
            if (r == c || fp2_is_zero(A[r][c])) continue;
            fp2 f = A[r][c];
            for (int k = 0; k < 5; k++) A[r][k] = fp2_sub(A[r][k], fp2_mul(f, A[c][k]));
        }
    }
    TEST_CHECK(ok);
    fm61 ab = fm61_mul(rho.re, fm61_inv(rho.im));
    int recovered = ok;
    for (int k = 0; k < 4 && ok; k++) recovered &= fm61_sub(A[k][4].re, fm61_mul(ab, A[k][4].im)) == C[k];
    TEST_CHECK(recovered);
}

/* ---- the simulator and the distribution test ----
 *
 * Statement: two sumchecks of products of two {0,1} tables (n = 4 and
 * n = 3, degree 2), masks of 9 and 7 coefficients filling C (32 cells,
 * mc = 5), so every weight V(k) is nonzero. The challenges, in order:
 * rho_1, r_1 (4), rho_2, r_2 (3), lambda (2), rho', z (4). */
#define SIM_NCH 15
#define SIM_RUNS 2000
#define SIM_BUCKETS 16
#define SIM_LIMIT 70.0 /* chi-square, 15 degrees of freedom: P(> 70) = 4.5e-9 */

static const unsigned sim_n[2] = {4, 3};

/* The sumcheck's point from the challenge list: round s binds variable n-1-s. */
static void sim_point(fp2 *point, const fp2 *ch, unsigned n) {
    for (unsigned s = 0; s < n; s++) point[n - 1 - s] = ch[1 + s];
}

/* The simulator: H[s], f[s] = f_s(r_s) and the challenges, nothing else. */
static void simulate(zk_buf *proof, const fp2 *H, const fp2 *f, const fp2 *ch, zk_rng *rng) {
    prog pg = {.v = ch, .n = SIM_NCH};
    tr_t *tr = tr_new_prover(PROTO, proof);
    tr_set_program(tr, prog_fn, &pg);
    fp2 point[2][MAXN], gr[2], half = fp2_from_fm61(fm61_inv(2));
    zsc_claim cl[2];
    size_t off = 0;
    for (int s = 0; s < 2; s++) {
        unsigned n = sim_n[s], d = 2;
        fp2 G = rand_fp2(rng);
        tr_put_fp2(tr, "zsc/G", &G, 1);
        fp2 rho = tr_challenge(tr, "zsc/rho"), claim = fp2_add(H[s], fp2_mul(rho, G));
        for (unsigned r = 0; r < n; r++) {
            /* uniform coefficients of X^1..X^d; the constant from g(0) + g(1) = claim */
            fp2 c[3] = {fp2_zero(), rand_fp2(rng), rand_fp2(rng)}, g[3];
            c[0] = fp2_mul(half, fp2_sub(claim, fp2_add(c[1], c[2])));
            for (unsigned X = 0; X <= d; X++) {
                fp2 x = fp2_from_fm61(X);
                g[X] = fp2_add(c[0], fp2_mul(x, fp2_add(c[1], fp2_mul(x, c[2]))));
            }
            tr_put_fp2(tr, "sc/round", g, d + 1);
            fp2 x = tr_challenge(tr, "sc/r");
            point[s][n - 1 - r] = x;
            claim = sc_interpolate(g, d, x);
        }
        gr[s] = fp2_mul(fp2_sub(claim, f[s]), fp2_inv(rho));
        tr_put_fp2(tr, "zsc/gr", &gr[s], 1);
        cl[s] = (zsc_claim){.off = off, .n = n, .d = d, .point = point[s], .value = gr[s]};
        off += 2 * zsc_mask_ncoef(n, d);
    }
    /* the batch: E uniform; G' from it, knowing rho' (programmed) */
    fp2 lam[2], V[16], E[16], Hb = fp2_zero(), EV = fp2_zero();
    tr_challenges(tr, "zsc/ip/lambda", lam, 2);
    for (int s = 0; s < 2; s++) Hb = fp2_add(Hb, fp2_mul(lam[s], gr[s]));
    zsc_ip_weights(V, cl, 2, lam, 5);
    for (int k = 0; k < 16; k++) {
        E[k] = rand_fp2(rng);
        EV = fp2_add(EV, fp2_mul(E[k], V[k]));
    }
    fp2 rho = ch[pg.pos], G = fp2_mul(fp2_sub(EV, Hb), fp2_inv(rho));
    tr_put_fp2(tr, "zsc/ip/G", &G, 1);
    TEST_CHECK(fp2_eq(tr_challenge(tr, "zsc/ip/rho"), rho));
    fp2 z[4], fin[2], *tabs[2] = {E, V};
    sc_prove(tr, z, fin, tabs, 2, 4, EV);
    fp2 y = fp2_mul(fin[0], fp2_inv(fp2_mul(fp2_make(1, 1), fp2_add(fp2_one(), rho))));
    tr_put_fp2(tr, "zsc/ip/eval", &y, 1);
    tr_free(tr);
}

/* The verifier on a simulated or real transcript with the programmed
 * challenges; the final evaluation is left to the commitment (for a
 * simulated transcript, to its simulator), returned in *y. */
static zk_err sim_verify(const uint8_t *proof, size_t len, const fp2 *H, const fp2 *f, const fp2 *ch, fp2 *tp,
                         fp2 *y) {
    prog pg = {.v = ch, .n = SIM_NCH};
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    tr_set_program(tr, prog_fn, &pg);
    fp2 point[2][MAXN], gr[2];
    zsc_claim cl[2];
    size_t off = 0;
    zk_err e = ZK_OK;
    for (int s = 0; s < 2 && e == ZK_OK; s++) {
        fp2 c = H[s];
        e = zsc_verify(tr, point[s], &c, &gr[s], 2, sim_n[s]);
        if (e == ZK_OK && !fp2_eq(c, f[s])) e = ZK_EPROOF;
        cl[s] = (zsc_claim){.off = off, .n = sim_n[s], .d = 2, .point = point[s], .value = gr[s]};
        off += 2 * zsc_mask_ncoef(sim_n[s], 2);
    }
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, y, 5, cl, 2);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

/* Per coordinate (part re/im of each 16-byte value), counts of the top 4 bits. */
typedef struct {
    size_t ncoord;
    long *cnt; /* ncoord x SIM_BUCKETS */
} hist;

static void hist_init(hist *h, size_t ncoord) {
    h->ncoord = ncoord;
    h->cnt = zk_calloc(ncoord * SIM_BUCKETS, sizeof *h->cnt);
}

static void hist_add(hist *h, const zk_buf *proof) {
    ZK_CHECK(proof->len == 8 * h->ncoord);
    for (size_t c = 0; c < h->ncoord; c++) h->cnt[c * SIM_BUCKETS + (zk_load_le64(proof->data + 8 * c) >> 57)]++;
}

/* max over coordinates [lo, hi) of the chi-square against the uniform law */
static double hist_chi2_range(const hist *h, size_t runs, size_t lo, size_t hi) {
    double best = 0, e = (double)runs / SIM_BUCKETS;
    for (size_t c = lo; c < hi; c++) {
        double x = 0;
        for (int b = 0; b < SIM_BUCKETS; b++) {
            double o = (double)h->cnt[c * SIM_BUCKETS + b];
            x += (o - e) * (o - e) / e;
        }
        if (x > best) best = x;
    }
    return best;
}

static double hist_chi2(const hist *h, size_t runs) { return hist_chi2_range(h, runs, 0, h->ncoord); }

/* max over coordinates of the two-sample chi-square (equal sample sizes) */
static double hist_chi2_two(const hist *a, const hist *b) {
    double best = 0;
    for (size_t c = 0; c < a->ncoord; c++) {
        double x = 0;
        for (int k = 0; k < SIM_BUCKETS; k++) {
            double p = (double)a->cnt[c * SIM_BUCKETS + k], q = (double)b->cnt[c * SIM_BUCKETS + k];
            if (p + q > 0) x += (p - q) * (p - q) / (p + q);
        }
        if (x > best) best = x;
    }
    return best;
}

static void test_simulator(zk_rng *rng) {
    /* proof sizes: per sumcheck G, n rounds of 3, g(r); the batch: G', 4 rounds, y */
    size_t vals = (1 + 4 * 3 + 1) + (1 + 3 * 3 + 1) + (1 + 4 * 3 + 1);
    hist real, sim, plain;
    hist_init(&real, 2 * vals);
    hist_init(&sim, 2 * vals);
    hist_init(&plain, 2 * (4 * 3 + 3 * 3));
    long accepted_real = 0, accepted_sim = 0, eval_ok = 0;
    for (int run = 0; run < SIM_RUNS; run++) {
        job jobs[2];
        job_init(&jobs[0], rng, J_PROD, 2, 4, 1);
        job_init(&jobs[1], rng, J_PROD, 2, 3, 1);
        fp2 ch[SIM_NCH], H[2] = {jobs[0].claim, jobs[1].claim}, f[2], pt[MAXN], tp[8], y;
        for (int c = 0; c < SIM_NCH; c++) {
            do ch[c] = rand_fp2(rng);
            while (fp2_is_zero(ch[c]) || fp2_eq(ch[c], fp2_neg(fp2_one())));
        }
        sim_point(pt, ch, 4);
        f[0] = job_f(&jobs[0], pt);
        sim_point(pt, ch + 5, 3);
        f[1] = job_f(&jobs[1], pt);
        /* real */
        setup S;
        setup_make(&S, jobs, 2, rng);
        ZK_CHECK(S.mc == 5 && S.off[1] == 18);
        zk_buf proof;
        zk_buf_init(&proof);
        {
            prog pg = {.v = ch, .n = SIM_NCH};
            tr_t *tr = tr_new_prover(PROTO, &proof);
            tr_set_program(tr, prog_fn, &pg);
            fp2 point[2][MAXN], gr[2], tpp[8], yy;
            zsc_claim cl[2];
            for (int s = 0; s < 2; s++) {
                job_prove(&jobs[s], tr, point[s], &gr[s], H[s], S.mask[s]);
                cl[s] = (zsc_claim){.off = S.off[s], .n = jobs[s].n, .d = 2, .point = point[s], .value = gr[s]};
            }
            zsc_ip_prove(tr, tpp, &yy, S.T, 5, cl, 2);
            tr_free(tr);
        }
        if (sim_verify(proof.data, proof.len, H, f, ch, tp, &y) == ZK_OK) {
            accepted_real++;
            eval_ok += fp2_eq(y, mle_eval_fm61(S.T, 6, tp));
        }
        hist_add(&real, &proof);
        zk_buf_free(&proof);
        setup_free(&S);
        /* simulated */
        zk_buf_init(&proof);
        simulate(&proof, H, f, ch, rng);
        accepted_sim += sim_verify(proof.data, proof.len, H, f, ch, tp, &y) == ZK_OK;
        hist_add(&sim, &proof);
        zk_buf_free(&proof);
        /* unmasked: the plain sumchecks, same challenges for the rounds */
        zk_buf_init(&proof);
        {
            fp2 pch[7] = {ch[1], ch[2], ch[3], ch[4], ch[6], ch[7], ch[8]};
            prog pg = {.v = pch, .n = 7};
            tr_t *tr = tr_new_prover(PROTO, &proof);
            tr_set_program(tr, prog_fn, &pg);
            for (int s = 0; s < 2; s++) job_prove(&jobs[s], tr, pt, NULL, H[s], NULL);
            tr_free(tr);
        }
        hist_add(&plain, &proof);
        zk_buf_free(&proof);
        for (int s = 0; s < 2; s++) job_free(&jobs[s]);
    }
    TEST_CHECK(accepted_real == SIM_RUNS && eval_ok == SIM_RUNS);
    TEST_CHECK(accepted_sim == SIM_RUNS);
    double xr = hist_chi2(&real, SIM_RUNS), xs = hist_chi2(&sim, SIM_RUNS), x2 = hist_chi2_two(&real, &sim);
    /* unmasked: round 1 of the first sumcheck (a small integer), and its
     * rounds 2..4 alone (values of the challenges, informative only) */
    double xp = hist_chi2(&plain, SIM_RUNS), xl = hist_chi2_range(&plain, SIM_RUNS, 6, 24);
    printf("  zsc: %d runs, %zu coordinates, max chi-square (15 dof, limit %.0f): real %.1f, simulated %.1f, "
           "real vs simulated %.1f; unmasked %.1f (its rounds 2-4 alone: %.1f)\n",
           SIM_RUNS, real.ncoord, SIM_LIMIT, xr, xs, x2, xp, xl);
    TEST_CHECK(xr < SIM_LIMIT);
    TEST_CHECK(xs < SIM_LIMIT);
    TEST_CHECK(x2 < SIM_LIMIT);
    TEST_CHECK(xp > SIM_LIMIT); /* the test can tell a leaking transcript */
    free(real.cnt);
    free(sim.cnt);
    free(plain.cnt);
}

void test_zsc(zk_rng *rng) {
    test_mask(rng);
    test_complete(rng);
    test_sound(rng);
    test_fresh(rng);
    test_fp_mask(rng);
    test_base_d_leaks(rng);
    test_simulator(rng);
}
