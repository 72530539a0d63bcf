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
 * that the unmasked sumcheck of a {0,1} witness fails. Part 2's pieces
 * (protocol.md 9.8): evaluation masks on the finals and an absorbed pool
 * part in vp_prove_em, vp_prove_eq_em, sc_prove_base_em and the fraction
 * layers (accepted; a last round without the masks rejected), and linear
 * claims in the batch.
 */
#include <string.h>

#include "../src/poly/mle.h"
#include "../src/sumcheck/frac.h"
#include "../src/sumcheck/vp.h"
#include "../src/sumcheck/zsc.h"
#include "../src/transcript/tr_test.h"
#include "test.h"
#include "test_zr.h"

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

/* One mask (deg: its degrees, or NULL for one degree m->d) against brute
 * force at a random point: the sum G, every round polynomial at 0..d_v, the
 * cells' round trip, the weights (their inner product with the
 * coefficients is g(point), their extension at z is zsc_ip_weights_eval),
 * the layout's size. */
static void check_mask(const zsc_mask *m, const unsigned *deg, zk_rng *rng) {
    unsigned n = m->n;
    fp2 pt[MAXN];
    for (unsigned u = 0; u < n; u++) pt[u] = rand_fp2(rng);
    /* G: the hypercube sum */
    fp2 G = n ? fp2_add(brute_round(m, n - 1, pt, fp2_zero()), brute_round(m, n - 1, pt, fp2_one())) : m->c[0];
    TEST_CHECK(fp2_eq(G, zsc_mask_sum(m)));
    /* round polynomials in every round, at 0..d_v */
    int ok = 1;
    for (unsigned v = 0; v < n; v++) {
        fp2 out[ZSC_MAX_DEGREE + 1];
        zsc_mask_round(out, m, v, pt);
        for (unsigned X = 0; X <= (deg ? deg[v] : m->d); X++)
            ok &= fp2_eq(out[X], brute_round(m, v, pt, fp2_from_fm61(X)));
    }
    TEST_CHECK(ok);
    /* cells round trip; the weights give g(point) */
    size_t nc = deg ? zsc_mask_ncoef_deg(n, deg) : zsc_mask_ncoef(n, m->d);
    fm61 cells[2 * (MAXN * ZSC_MAX_DEGREE + 1)];
    zsc_mask_cells(cells, m);
    zsc_mask *m2 = deg ? zsc_mask_from_cells_deg(n, deg, cells) : zsc_mask_from_cells(n, m->d, cells);
    TEST_CHECK(memcmp(m2->c, m->c, nc * sizeof(fp2)) == 0);
    zsc_mask_free(m2);
    zsc_claim cl = {.off = 2, .n = n, .d = deg ? 0 : m->d, .point = pt, .deg = deg};
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
    TEST_CHECK(zsc_layout_ok(&cl, 1, mc) && !zsc_layout_ok(&cl, 1, mc - 1));
}

static void test_mask(zk_rng *rng) {
    for (unsigned n = 0; n <= 6; n++)
        for (unsigned d = 1; d <= SC_MAX_DEGREE; d++) {
            zsc_mask *m = zsc_mask_new(n, d, rng);
            check_mask(m, NULL, rng);
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

/* The same with a degree per variable (zsc_mask_new_deg): the sum, every
 * round polynomial at 0..d_v, the cells, the weights; and the uniform
 * vector is the uniform mask (the same coefficients from the same rng, the
 * same cells and weights). */
static void test_mask_deg(zk_rng *rng) {
    for (unsigned n = 0; n <= 6; n++)
        for (int it = 0; it < 4; it++) {
            unsigned deg[MAXN];
            for (unsigned v = 0; v < n; v++) deg[v] = 1 + (unsigned)(zk_rng_u64(rng) % ZSC_MAX_DEGREE);
            if (n && it == 0) deg[0] = ZSC_MAX_DEGREE; /* the last round's d + 2 */
            zsc_mask *m = zsc_mask_new_deg(n, deg, rng);
            size_t want = 1;
            for (unsigned v = 0; v < n; v++) want += deg[v];
            TEST_CHECK(zsc_mask_ncoef_deg(n, deg) == want && m->n == n);
            check_mask(m, deg, rng);
            /* g(x) = a0 + sum_v sum_{j <= d_v} c_{v,j} x_v^j in the documented order */
            fp2 pt[MAXN], direct = m->c[0];
            for (unsigned u = 0; u < n; u++) pt[u] = rand_fp2(rng);
            size_t k = 1;
            for (unsigned v = 0; v < n; v++) {
                fp2 p = fp2_one();
                for (unsigned j = 1; j <= deg[v]; j++, k++) {
                    p = fp2_mul(p, pt[v]);
                    direct = fp2_add(direct, fp2_mul(m->c[k], p));
                }
            }
            TEST_CHECK(fp2_eq(direct, zsc_mask_eval(m, pt)));
            zsc_mask_free(m);
        }
    /* uniform vectors: the uniform mask, its cells, its weights */
    for (unsigned n = 0; n <= 5; n++)
        for (unsigned d = 1; d <= SC_MAX_DEGREE; d++) {
            unsigned deg[MAXN];
            for (unsigned v = 0; v < n; v++) deg[v] = d;
            zk_rng r1 = *rng, r2 = *rng;
            zsc_mask *a = zsc_mask_new(n, d, &r1), *b = zsc_mask_new_deg(n, deg, &r2);
            size_t nc = zsc_mask_ncoef(n, d);
            TEST_CHECK(nc == zsc_mask_ncoef_deg(n, deg) && memcmp(&r1, &r2, sizeof r1) == 0);
            TEST_CHECK(memcmp(a->c, b->c, nc * sizeof(fp2)) == 0 && a->d == d && b->d == (n ? d : 0));
            fm61 ca[2 * (MAXN * SC_MAX_DEGREE + 1)], cb[2 * (MAXN * SC_MAX_DEGREE + 1)];
            zsc_mask_cells(ca, a), zsc_mask_cells(cb, b);
            TEST_CHECK(memcmp(ca, cb, 2 * nc * sizeof(fm61)) == 0);
            fp2 pt[MAXN], lam = rand_fp2(rng), Va[32], Vb[32];
            for (unsigned u = 0; u < n; u++) pt[u] = rand_fp2(rng);
            zsc_claim x = {.off = 0, .n = n, .d = d, .point = pt}, y = {.off = 0, .n = n, .point = pt, .deg = deg};
            zsc_ip_weights(Va, &x, 1, &lam, 6), zsc_ip_weights(Vb, &y, 1, &lam, 6);
            TEST_CHECK(memcmp(Va, Vb, sizeof Va) == 0);
            zsc_mask_free(a);
            zsc_mask_free(b);
        }
    /* a mixed mask's d is 0; layouts count the degrees */
    unsigned d42[2] = {4, 2}, d06[2] = {0, 2}, d62[2] = {ZSC_MAX_DEGREE + 1, 2};
    zsc_mask *m = zsc_mask_new_deg(2, d42, rng);
    TEST_CHECK(m->d == 0 && m->deg[0] == 4 && m->deg[1] == 2 && m->first[1] == 5);
    zsc_mask_free(m);
    fp2 pt[2] = {fp2_one(), fp2_one()};
    zsc_claim a[2] = {{.off = 0, .n = 2, .point = pt, .deg = d42}, {.off = 14, .n = 1, .d = 1, .point = pt}};
    TEST_CHECK(zsc_layout_ok(a, 2, 5));  /* cells [0,14) and [14,18) of 32 */
    a[1].off = 12;
    TEST_CHECK(!zsc_layout_ok(a, 2, 5)); /* overlap: 7 coefficients by the degrees (d, unset, is not read) */
    a[1].off = 14;
    a[0].deg = d06;
    TEST_CHECK(!zsc_layout_ok(a, 2, 5)); /* degree 0 */
    a[0].deg = d62;
    TEST_CHECK(!zsc_layout_ok(a, 2, 5)); /* degree above ZSC_MAX_DEGREE */
}

/* ---- whole runs: sumchecks, then the batch ---- */

/* One sumcheck, by each prover with a mask:
 *   J_PROD   prod_{q<k} T_q                         (sc_prove_zk, k = 1, 2, 3)
 *   J_EQ     eq(rho, x) (c0 A B + c1 A)             (vp_prove_eq_zk, degree 3)
 *   J_VP     c0 A B + c1 A                          (vp_prove_zk, degree 2)
 *   J_BASE   A B, A base-field                      (sc_prove_base_zk)
 *   J_FRAC   eq(rho, x) (A D + C B + lam C D)      (sc_frac_prove_zk, degree 3)
 *   J_FRACL  the same from the layer below P, Q     (sc_frac_prove_layer_zk)
 *   J_ZR     (T~ + Z R) S, round degrees (4, 2, .., 2) (zsc_rounds_deg, test_zr.h) */
enum { J_PROD, J_EQ, J_VP, J_BASE, J_FRAC, J_FRACL, J_ZR };

typedef struct {
    int kind;
    unsigned k, n, d; /* tables, variables, round degree (J_ZR: of all rounds but the last) */
    fp2 *t[4];        /* the original tables */
    fp2 rho[MAXN], c[2], lam;
    fp2 claim;  /* the true sum */
    zr_inst zr; /* J_ZR's tables */
} job;

/* The round degrees by variable, or NULL when they are all j->d. */
static const unsigned *job_deg(const job *j) { return j->kind == J_ZR ? j->zr.deg : NULL; }

/* A fresh mask of the job's shape. */
static zsc_mask *job_mask(const job *j, zk_rng *rng) {
    return job_deg(j) ? zsc_mask_new_deg(j->n, job_deg(j), rng) : zsc_mask_new(j->n, j->d, rng);
}

/* The job's mask claim in the batch. */
static zsc_claim job_claim(const job *j, size_t off, const fp2 *point, fp2 value) {
    return (zsc_claim){.off = off, .n = j->n, .d = j->d, .point = point, .value = value, .deg = job_deg(j)};
}

/* 2 (1 + the sum of the degrees): the job's cells in C */
static size_t job_cells(const job *j) {
    return 2 * (job_deg(j) ? zsc_mask_ncoef_deg(j->n, job_deg(j)) : zsc_mask_ncoef(j->n, j->d));
}

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
    if (kind == J_ZR) {
        zr_init(&j->zr, rng, n, 1, small);
        j->d = 2, j->claim = j->zr.sum;
        return;
    }
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
    if (j->kind == J_ZR) zr_free(&j->zr);
}

/* f(point): what the caller's final check compares the reduced claim to */
static fp2 job_f(const job *j, const fp2 *point) {
    if (j->kind == J_ZR) return zr_f(&j->zr, point);
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
    case J_ZR: {
        zr_prover p;
        zr_prover_init(&p, &j->zr);
        zsc_rounds_deg(tr, point, gr, m, j->n, j->zr.deg, claim, zr_step, &p);
        break;
    }
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
        S->mask[s] = job_mask(&jobs[s], rng);
        S->off[s] = cells;
        cells += job_cells(&jobs[s]);
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
        cl[s] = job_claim(j, S->off[s], point[s], gr[s]);
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
        e = job_deg(j) ? zsc_verify_deg(tr, point[s], &c, &gr[s], job_deg(j), j->n)
                       : zsc_verify(tr, point[s], &c, &gr[s], j->d, j->n);
        if (e == ZK_OK && !fp2_eq(c, job_f(j, point[s]))) e = ZK_EPROOF;
        cl[s] = job_claim(j, S->off[s], point[s], gr[s]);
    }
    fp2 tp[MAXN + 2], y;
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, &y, S->mc, cl, S->nj);
    if (e == ZK_OK && !fp2_eq(y, mle_eval_fm61(S->T, S->mc + 1, tp))) e = ZK_EPROOF;
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

static void test_complete(zk_rng *rng) {
    enum { NJ = 14 };
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
    job_init(&jobs[11], rng, J_ZR, 0, 4, 0); /* degrees (4, 2, 2, 2) */
    job_init(&jobs[12], rng, J_ZR, 0, 1, 1); /* one round, of degree 4 */
    job_init(&jobs[13], rng, J_ZR, 0, 5, 1);
    /* one sumcheck per batch, then 8 together (the setup's limit): uniform
     * masks, then uniform and per-variable ones mixed */
    for (size_t s = 0; s <= NJ + 1; s++) {
        setup S;
        setup_make(&S, s < NJ ? &jobs[s] : s == NJ ? jobs + 3 : jobs + 6, s < NJ ? 1 : 8, rng);
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
    enum { NS = 4 };
    job jobs[NS];
    job_init(&jobs[0], rng, J_PROD, 2, 4, 1);
    job_init(&jobs[1], rng, J_EQ, 0, 3, 1);
    job_init(&jobs[2], rng, J_FRAC, 0, 3, 0);
    job_init(&jobs[3], rng, J_ZR, 0, 3, 1);
    setup S;
    setup_make(&S, jobs, NS, rng);
    zk_buf proof;
    /* a false H, with an honestly random mask, in each position */
    for (size_t s = 0; s < NS; s++) {
        fp2 claims[NS] = {jobs[0].claim, jobs[1].claim, jobs[2].claim, jobs[3].claim};
        claims[s] = fp2_add(claims[s], fp2_one());
        zk_buf_init(&proof);
        prove_all(&proof, &S, claims, NULL, NULL);
        TEST_CHECK(verify_all(&S, proof.data, proof.len, NULL) == ZK_EPROOF);
        zk_buf_free(&proof);
    }
    /* the prover runs with a mask that is not the committed one (so G,
     * the rounds and g(r) agree with each other, not with C): the
     * sumchecks and f(r) pass, the batch rejects */
    for (size_t s = 0; s < NS; s++) {
        zsc_mask *honest = S.mask[s];
        S.mask[s] = job_mask(&jobs[s], rng);
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
    for (size_t s = 0; s < NS; s++) rounds += jobs[s].n;
    rounds += S.mc - 1;
    struct {
        const char *label;
        size_t occs, width;
    } msgs[] = {{"sc/round", rounds, ZSC_MAX_DEGREE + 1}, {"zsc/G", NS, 1}, {"zsc/gr", NS, 1}, {"zsc/ip/G", 1, 1},
                {"zsc/ip/eval", 1, 1}};
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
    /* the round widths: degree 2, 3, 3 and (4, 2, 2) for the sumchecks, 2
     * for the batch (entries past a round's width are not altered: count
     * those out) */
    long untouched = 0;
    for (size_t s = 0; s < NS; s++)
        for (unsigned v = 0; v < jobs[s].n; v++)
            untouched += ZSC_MAX_DEGREE - (long)(job_deg(&jobs[s]) ? job_deg(&jobs[s])[v] : jobs[s].d);
    untouched += (long)(S.mc - 1) * (ZSC_MAX_DEGREE - 2);
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
    for (int s = 0; s < NS; s++) job_free(&jobs[s]);
}

/* Two proofs of the same statement (fresh masks, fresh D) differ in every
 * message: every 16-byte value of the proof. */
static void test_fresh(zk_rng *rng) {
    enum { NF = 3 };
    job jobs[NF];
    job_init(&jobs[0], rng, J_PROD, 2, 5, 1);
    job_init(&jobs[1], rng, J_EQ, 0, 4, 1);
    job_init(&jobs[2], rng, J_ZR, 0, 4, 1);
    zk_buf a, b;
    zk_buf_init(&a);
    zk_buf_init(&b);
    setup S1, S2;
    setup_make(&S1, jobs, NF, rng);
    setup_make(&S2, jobs, NF, rng);
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
    for (int s = 0; s < NF; s++) job_free(&jobs[s]);
}

/* The per-variable API with uniform degrees is the uniform one, byte for
 * byte: zsc_rounds_deg (a uniform vector) = zsc_rounds = sc_prove_zk on the
 * same mask (zr_step computes the rounds from the definition, sc_prove_zk
 * by folding); zsc_verify_deg accepts it as zsc_verify does; the batch
 * with claims carrying the uniform vector = the batch without. */
static void test_uniform_bytes(zk_rng *rng) {
    for (unsigned n = 1; n <= 5; n++) {
        zr_inst z;
        zr_init(&z, rng, n, 0, 0); /* T~ S~: degree 2 in every round */
        zk_rng r1 = *rng, r2 = *rng;
        zsc_mask *mu = zsc_mask_new(n, 2, &r1), *mv = zsc_mask_new_deg(n, z.deg, &r2);
        *rng = r1;
        zk_buf pr[3];
        fp2 pt[3][MAXN], gr[3], fin[2], *T[2];
        size_t len = (size_t)1 << n;
        T[0] = zk_aligned_n(len, sizeof(fp2)), T[1] = zk_aligned_n(len, sizeof(fp2));
        memcpy(T[0], z.T, len * sizeof(fp2)), memcpy(T[1], z.S, len * sizeof(fp2));
        for (int w = 0; w < 3; w++) {
            zk_buf_init(&pr[w]);
            tr_t *tr = tr_new_prover(PROTO, &pr[w]);
            zr_prover p;
            zr_prover_init(&p, &z);
            if (w == 0) sc_prove_zk(tr, pt[w], fin, &gr[w], T, 2, n, z.sum, mu);
            if (w == 1) zsc_rounds(tr, pt[w], &gr[w], mu, n, 2, z.sum, zr_step, &p);
            if (w == 2) zsc_rounds_deg(tr, pt[w], &gr[w], mv, n, z.deg, z.sum, zr_step, &p);
            tr_free(tr);
        }
        TEST_CHECK(pr[1].len == pr[0].len && memcmp(pr[1].data, pr[0].data, pr[0].len) == 0);
        TEST_CHECK(pr[2].len == pr[0].len && memcmp(pr[2].data, pr[0].data, pr[0].len) == 0);
        fp2 vp[2][MAXN], c[2] = {z.sum, z.sum}, g[2];
        for (int w = 0; w < 2; w++) {
            tr_t *tr = tr_new_verifier(PROTO, pr[0].data, pr[0].len);
            zk_err e = w ? zsc_verify_deg(tr, vp[w], &c[w], &g[w], z.deg, n) : zsc_verify(tr, vp[w], &c[w], &g[w], 2, n);
            TEST_CHECK(e == ZK_OK && tr_finish(tr) == ZK_OK);
            tr_free(tr);
        }
        TEST_CHECK(fp2_eq(c[0], c[1]) && fp2_eq(g[0], g[1]) && fp2_eq(g[0], gr[0]) &&
                   memcmp(vp[0], vp[1], n * sizeof(fp2)) == 0 && fp2_eq(c[0], zr_f(&z, vp[0])));
        /* the batch: claims with .deg = the uniform vector, and without */
        size_t nc = zsc_mask_ncoef(n, 2);
        unsigned mc = 1;
        while (((size_t)1 << mc) < 2 * nc) mc++;
        size_t N = (size_t)1 << mc;
        fm61 *Tb = zk_malloc_n(2 * N, sizeof(fm61));
        zsc_random_cells(Tb, 2 * N, rng);
        zsc_mask_cells(Tb, mu);
        zk_buf bb[2];
        fp2 tp[2][MAXN + 2], y[2];
        for (int w = 0; w < 2; w++) {
            zsc_claim cl = {.off = 0, .n = n, .d = w ? 0 : 2, .point = pt[0], .value = gr[0], .deg = w ? z.deg : NULL};
            zk_buf_init(&bb[w]);
            tr_t *tr = tr_new_prover(PROTO, &bb[w]);
            zsc_ip_prove(tr, tp[w], &y[w], Tb, mc, &cl, 1);
            tr_free(tr);
            fp2 vt[MAXN + 2], vy;
            tr = tr_new_verifier(PROTO, bb[w].data, bb[w].len);
            TEST_CHECK(zsc_ip_verify(tr, vt, &vy, mc, &cl, 1) == ZK_OK && tr_finish(tr) == ZK_OK);
            TEST_CHECK(fp2_eq(vy, mle_eval_fm61(Tb, mc + 1, vt)));
            tr_free(tr);
        }
        TEST_CHECK(bb[0].len == bb[1].len && memcmp(bb[0].data, bb[1].data, bb[0].len) == 0 && fp2_eq(y[0], y[1]));
        for (int w = 0; w < 3; w++) zk_buf_free(&pr[w]);
        zk_buf_free(&bb[0]), zk_buf_free(&bb[1]);
        free(Tb), free(T[0]), free(T[1]);
        zsc_mask_free(mu), zsc_mask_free(mv);
        zr_free(&z);
    }
}

/* Why a degree per variable: with Libra's evaluation mask the last round
 * has degree d + 2 = 4 (test_zr.h), and a mask of one degree d = 2 (the
 * uniform mask, here the per-variable mask of degrees (4, 2, ..) with
 * c_{0,3} = c_{0,4} = 0, the same polynomial) adds nothing to that round's
 * X^3 and X^4 coefficients. The verifier reads them off the message, and
 * they are the unmasked round's, a function of the witness (T, S, R) and
 * the challenges: with programmed challenges, two proofs with fresh masks
 * send the same two coefficients, equal to those of f(X, r_>0). With the
 * full degree-4 mask of variable 0 they are masked: different in the two
 * proofs and from f's. */
static void test_uniform_mask_leaks(zk_rng *rng) {
    enum { N = 4, NCH = 1 + N };
    zr_inst z;
    zr_init(&z, rng, N, 1, 1);
    fp2 ch[NCH];
    for (int c = 0; c < NCH; c++) ch[c] = rand_fp2(rng);
    size_t nc = zsc_mask_ncoef_deg(N, z.deg);
    TEST_CHECK(nc == 1 + 4 + 3 * 2);
    fp2 top[2][2][2], ftop[2] = {fp2_zero(), fp2_zero()}; /* [full mask?][proof][X^3, X^4] */
    for (int full = 0; full < 2; full++)
        for (int run = 0; run < 2; run++) {
            fm61 cells[2 * (1 + 4 + 3 * 2)];
            zsc_random_cells(cells, 2 * nc, rng);
            if (!full) /* c_{0,3}, c_{0,4}: coefficients 3 and 4 */
                for (int k = 3; k <= 4; k++) cells[2 * k] = cells[2 * k + 1] = 0;
            zsc_mask *m = zsc_mask_from_cells_deg(N, z.deg, cells);
            zk_buf proof;
            zk_buf_init(&proof);
            prog pg = {.v = ch, .n = NCH};
            tr_t *tr = tr_new_prover(PROTO, &proof);
            tr_set_program(tr, prog_fn, &pg);
            fp2 pt[MAXN], gr;
            zr_prover p;
            zr_prover_init(&p, &z);
            zsc_rounds_deg(tr, pt, &gr, m, N, z.deg, z.sum, zr_step, &p);
            tr_free(tr);
            /* the verifier's view: the last round (variable 0), degree 4 */
            fp2 c = z.sum, vp[MAXN], vg;
            tr = tr_new_verifier(PROTO, proof.data, proof.len);
            tr_set_program(tr, prog_fn, &(prog){.v = ch, .n = NCH});
            TEST_CHECK(zsc_verify_deg(tr, vp, &c, &vg, z.deg, N) == ZK_OK && tr_finish(tr) == ZK_OK);
            TEST_CHECK(fp2_eq(c, zr_f(&z, vp)));
            tr_free(tr);
            fp2 msg[5], co[5];
            size_t at = 16 + 3 * 48; /* G, then rounds 1..N-1 of three values */
            for (int X = 0; X < 5; X++) TEST_CHECK(fp2_decode(&msg[X], proof.data + at + 16 * X) == ZK_OK);
            zr_coefs(co, msg, 4);
            top[full][run][0] = co[3], top[full][run][1] = co[4];
            /* f's own last round at the same point: f(X, r_>0), X = 0..4 */
            fp2 fx[5], fc[5], x[MAXN];
            memcpy(x, vp, N * sizeof(fp2));
            for (int X = 0; X < 5; X++) {
                x[0] = fp2_from_fm61((fm61)X);
                fx[X] = zr_f(&z, x);
            }
            zr_coefs(fc, fx, 4);
            if (!full && !run) ftop[0] = fc[3], ftop[1] = fc[4];
            TEST_CHECK(!fp2_is_zero(fc[4])); /* the round has degree 4 */
            zk_buf_free(&proof);
            zsc_mask_free(m);
        }
    /* the degree-2 mask: the top coefficients are f's, in both proofs */
    TEST_CHECK(fp2_eq(top[0][0][0], ftop[0]) && fp2_eq(top[0][0][1], ftop[1]));
    TEST_CHECK(fp2_eq(top[0][1][0], ftop[0]) && fp2_eq(top[0][1][1], ftop[1]));
    /* the degree-4 mask: masked */
    for (int run = 0; run < 2; run++)
        TEST_CHECK(!fp2_eq(top[1][run][0], ftop[0]) && !fp2_eq(top[1][run][1], ftop[1]));
    TEST_CHECK(!fp2_eq(top[1][0][0], top[1][1][0]) && !fp2_eq(top[1][0][1], top[1][1][1]));
    zr_free(&z);
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
 * Statement: two masked sumchecks of {0,1} witnesses and their batch, the
 * masks (of 9 and 7 coefficients) filling C (32 cells, mc = 5), so every
 * weight V(k) is nonzero. Two configurations:
 *   uniform  products of two tables, n = 4 and 3, degree 2 (zsc_rounds);
 *   mixed    (T~ + Z R) S (test_zr.h), n = 3 and 2, round degrees (4, 2, 2)
 *            and (4, 2), masks of the same degrees (zsc_rounds_deg).
 * The challenges, in order: rho_1, r_1 (n_1), rho_2, r_2 (n_2), lambda (2),
 * rho', z (4). */
#define SIM_MC 5
#define SIM_MAXCH 32
#define SIM_RUNS 2000
#define SIM_LIMIT 70.0 /* chi-square, 15 degrees of freedom: P(> 70) = 4.5e-9 */

typedef struct {
    const char *name;
    int kind;      /* J_PROD (two tables) or J_ZR */
    unsigned n[2]; /* the two sumchecks' variables */
} sim_cfg;

static const sim_cfg sim_cfgs[2] = {{"uniform", J_PROD, {4, 3}}, {"mixed", J_ZR, {3, 2}}};

/* The round degree of variable v (public: part of the statement). */
static unsigned sim_deg(const sim_cfg *c, unsigned v) { return c->kind == J_ZR && v == 0 ? 4 : 2; }

/* The challenges of one run. */
static unsigned sim_nch(const sim_cfg *c) { return 2 + c->n[0] + c->n[1] + 2 + 1 + (SIM_MC - 1); }

/* Values sent by sumcheck s's rounds. */
static size_t sim_round_vals(const sim_cfg *c, int s) {
    size_t k = 0;
    for (unsigned v = 0; v < c->n[s]; v++) k += sim_deg(c, v) + 1;
    return k;
}

/* Sumcheck s's mask claim; deg: the caller's n[s] entries for the mixed
 * configuration. Advances *off past its cells. */
static zsc_claim sim_claim(const sim_cfg *c, int s, unsigned *deg, size_t *off, const fp2 *point, fp2 value) {
    for (unsigned v = 0; v < c->n[s]; v++) deg[v] = sim_deg(c, v);
    zsc_claim cl = {.off = *off, .n = c->n[s], .d = 2, .point = point, .value = value,
                    .deg = c->kind == J_ZR ? deg : NULL};
    *off += 2 * (cl.deg ? zsc_mask_ncoef_deg(cl.n, deg) : zsc_mask_ncoef(cl.n, 2));
    return cl;
}

/* The sumcheck's point from the challenge list: round s binds variable n-1-s. */
static void sim_point(fp2 *point, const fp2 *ch, unsigned n) {
    for (unsigned s = 0; s < n; s++) point[n - 1 - s] = ch[1 + s];
}

/* The simulator: H[s], f[s] = f_s(r_s), the shapes and the challenges,
 * nothing else. */
static void simulate(zk_buf *proof, const sim_cfg *cfg, const fp2 *H, const fp2 *f, const fp2 *ch, zk_rng *rng) {
    prog pg = {.v = ch, .n = sim_nch(cfg)};
    tr_t *tr = tr_new_prover(PROTO, proof);
    tr_set_program(tr, prog_fn, &pg);
    fp2 point[2][MAXN], gr[2];
    unsigned deg[2][MAXN];
    zsc_claim cl[2];
    size_t off = 0;
    for (int s = 0; s < 2; s++) {
        unsigned n = cfg->n[s];
        fp2 G = rand_fp2(rng);
        tr_put_fp2(tr, "zsc/G", &G, 1);
        fp2 rho = tr_challenge(tr, "zsc/rho"), claim = fp2_add(H[s], fp2_mul(rho, G));
        for (unsigned r = 0; r < n; r++) {
            claim = test_sim_round(tr, rng, sim_deg(cfg, n - 1 - r), claim, &point[s][n - 1 - r]);
        }
        gr[s] = fp2_mul(fp2_sub(claim, f[s]), fp2_inv(rho));
        tr_put_fp2(tr, "zsc/gr", &gr[s], 1);
        cl[s] = sim_claim(cfg, s, deg[s], &off, point[s], gr[s]);
    }
    /* the batch: E uniform; G' from it, knowing rho' (programmed) */
    enum { NH = 1 << (SIM_MC - 1) };
    fp2 lam[2], V[NH], E[NH], Hb = fp2_zero(), EV = fp2_zero();
    tr_challenges(tr, "zsc/ip/lambda", lam, 2);
    for (int s = 0; s < 2; s++) Hb = fp2_add(Hb, fp2_mul(lam[s], gr[s]));
    zsc_ip_weights(V, cl, 2, lam, SIM_MC);
    for (int k = 0; k < NH; k++) {
        E[k] = rand_fp2(rng);
        EV = fp2_add(EV, fp2_mul(E[k], V[k]));
    }
    fp2 rho = ch[pg.pos], G = fp2_mul(fp2_sub(EV, Hb), fp2_inv(rho));
    tr_put_fp2(tr, "zsc/ip/G", &G, 1);
    TEST_CHECK(fp2_eq(tr_challenge(tr, "zsc/ip/rho"), rho));
    fp2 z[SIM_MC - 1], fin[2], *tabs[2] = {E, V};
    sc_prove(tr, z, fin, tabs, 2, SIM_MC - 1, EV);
    fp2 y = fp2_mul(fin[0], fp2_inv(fp2_mul(fp2_make(1, 1), fp2_add(fp2_one(), rho))));
    tr_put_fp2(tr, "zsc/ip/eval", &y, 1);
    tr_free(tr);
}

/* The verifier on a simulated or real transcript with the programmed
 * challenges; the final evaluation is left to the commitment (for a
 * simulated transcript, to its simulator), returned in *y. */
static zk_err sim_verify(const uint8_t *proof, size_t len, const sim_cfg *cfg, const fp2 *H, const fp2 *f,
                         const fp2 *ch, fp2 *tp, fp2 *y) {
    prog pg = {.v = ch, .n = sim_nch(cfg)};
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    tr_set_program(tr, prog_fn, &pg);
    fp2 point[2][MAXN], gr[2];
    unsigned deg[2][MAXN];
    zsc_claim cl[2];
    size_t off = 0;
    zk_err e = ZK_OK;
    for (int s = 0; s < 2 && e == ZK_OK; s++) {
        fp2 c = H[s];
        cl[s] = sim_claim(cfg, s, deg[s], &off, point[s], fp2_zero());
        e = cl[s].deg ? zsc_verify_deg(tr, point[s], &c, &gr[s], cl[s].deg, cl[s].n)
                      : zsc_verify(tr, point[s], &c, &gr[s], 2, cl[s].n);
        if (e == ZK_OK && !fp2_eq(c, f[s])) e = ZK_EPROOF;
        cl[s].value = gr[s];
    }
    if (e == ZK_OK) e = zsc_ip_verify(tr, tp, y, SIM_MC, cl, 2);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    return e;
}

/* the largest chi-square against the uniform law over all coordinates */
static double hist_chi2(const test_hist *h, size_t runs) { return test_hist_chi2_range(h, runs, 0, h->ncoord, 0); }

static void sim_run(const sim_cfg *cfg, zk_rng *rng) {
    /* proof sizes: per sumcheck G, its rounds, g(r); the batch: G', mc - 1 rounds of 3, y */
    size_t rv[2] = {sim_round_vals(cfg, 0), sim_round_vals(cfg, 1)};
    size_t vals = (1 + rv[0] + 1) + (1 + rv[1] + 1) + (1 + 3 * (SIM_MC - 1) + 1);
    unsigned nch = sim_nch(cfg), n0 = cfg->n[0], n1 = cfg->n[1];
    ZK_CHECK(nch <= SIM_MAXCH);
    test_hist real, sim, plain;
    test_hist_init(&real, 2 * vals);
    test_hist_init(&sim, 2 * vals);
    test_hist_init(&plain, 2 * (rv[0] + rv[1]));
    long accepted_real = 0, accepted_sim = 0, eval_ok = 0;
    for (int run = 0; run < SIM_RUNS; run++) {
        job jobs[2];
        job_init(&jobs[0], rng, cfg->kind, 2, n0, 1);
        job_init(&jobs[1], rng, cfg->kind, 2, n1, 1);
        fp2 ch[SIM_MAXCH], H[2] = {jobs[0].claim, jobs[1].claim}, f[2], pt[MAXN], tp[SIM_MC + 1], y;
        for (unsigned c = 0; c < nch; c++) {
            do ch[c] = rand_fp2(rng);
            while (fp2_is_zero(ch[c]) || fp2_eq(ch[c], fp2_neg(fp2_one())));
        }
        sim_point(pt, ch, n0);
        f[0] = job_f(&jobs[0], pt);
        sim_point(pt, ch + 1 + n0, n1);
        f[1] = job_f(&jobs[1], pt);
        /* real */
        setup S;
        setup_make(&S, jobs, 2, rng);
        ZK_CHECK(S.mc == SIM_MC && S.off[1] == 18 && job_cells(&jobs[1]) == 14);
        zk_buf proof;
        zk_buf_init(&proof);
        {
            prog pg = {.v = ch, .n = nch};
            tr_t *tr = tr_new_prover(PROTO, &proof);
            tr_set_program(tr, prog_fn, &pg);
            fp2 point[2][MAXN], gr[2], tpp[SIM_MC + 1], yy;
            zsc_claim cl[2];
            for (int s = 0; s < 2; s++) {
                job_prove(&jobs[s], tr, point[s], &gr[s], H[s], S.mask[s]);
                cl[s] = job_claim(&jobs[s], S.off[s], point[s], gr[s]);
            }
            zsc_ip_prove(tr, tpp, &yy, S.T, SIM_MC, cl, 2);
            tr_free(tr);
        }
        if (sim_verify(proof.data, proof.len, cfg, H, f, ch, tp, &y) == ZK_OK) {
            accepted_real++;
            eval_ok += fp2_eq(y, mle_eval_fm61(S.T, SIM_MC + 1, tp));
        }
        test_hist_add(&real, &proof);
        zk_buf_free(&proof);
        setup_free(&S);
        /* simulated */
        zk_buf_init(&proof);
        simulate(&proof, cfg, H, f, ch, rng);
        accepted_sim += sim_verify(proof.data, proof.len, cfg, H, f, ch, tp, &y) == ZK_OK;
        test_hist_add(&sim, &proof);
        zk_buf_free(&proof);
        /* unmasked: the plain sumchecks, same challenges for the rounds */
        zk_buf_init(&proof);
        {
            fp2 pch[SIM_MAXCH];
            memcpy(pch, ch + 1, n0 * sizeof(fp2));
            memcpy(pch + n0, ch + 2 + n0, n1 * sizeof(fp2));
            prog pg = {.v = pch, .n = n0 + n1};
            tr_t *tr = tr_new_prover(PROTO, &proof);
            tr_set_program(tr, prog_fn, &pg);
            for (int s = 0; s < 2; s++) job_prove(&jobs[s], tr, pt, NULL, H[s], NULL);
            tr_free(tr);
        }
        test_hist_add(&plain, &proof);
        zk_buf_free(&proof);
        for (int s = 0; s < 2; s++) job_free(&jobs[s]);
    }
    TEST_CHECK(accepted_real == SIM_RUNS && eval_ok == SIM_RUNS);
    TEST_CHECK(accepted_sim == SIM_RUNS);
    double xr = hist_chi2(&real, SIM_RUNS), xs = hist_chi2(&sim, SIM_RUNS), x2 = test_hist_chi2_two(&real, &sim);
    /* unmasked: round 1 of the first sumcheck (small integers), and its
     * other rounds alone (values of the challenges, informative only) */
    double xp = hist_chi2(&plain, SIM_RUNS);
    double xl = test_hist_chi2_range(&plain, SIM_RUNS, 2 * (sim_deg(cfg, n0 - 1) + 1), 2 * rv[0], 0);
    printf("  zsc %s: %d runs, %zu coordinates, max chi-square (15 dof, limit %.0f): real %.1f, simulated %.1f, "
           "real vs simulated %.1f; unmasked %.1f (its rounds 2-%u alone: %.1f)\n",
           cfg->name, SIM_RUNS, real.ncoord, SIM_LIMIT, xr, xs, x2, xp, n0, xl);
    TEST_CHECK(xr < SIM_LIMIT);
    TEST_CHECK(xs < SIM_LIMIT);
    TEST_CHECK(x2 < SIM_LIMIT);
    TEST_CHECK(xp > SIM_LIMIT); /* the test can tell a leaking transcript */
    free(real.cnt);
    free(sim.cnt);
    free(plain.cnt);
}

static void test_simulator(zk_rng *rng) {
    for (int c = 0; c < 2; c++) sim_run(&sim_cfgs[c], rng);
}

/* ---- evaluation masks (vp_prove_em, vp_prove_eq_em; protocol.md 9.8 (a)) ----
 *
 * f = c0 A B + c1 A (vp_prove_em) or eq(rho, x) (c0 A B + c1 A)
 * (vp_prove_eq_em) with A, or A and B, masked: A' = A + x_0 (1 - x_0) a_A.
 * The verifier (zsc_verify_deg with vp_round_degrees) accepts, the finals
 * are A'(r), B'(r), and the reduced claim is f at them; a prover whose
 * last round is the unmasked one (a = 0 there) and whose finals carry the
 * masks is rejected by the final check. */
static void em_case(zk_rng *rng, int eq, unsigned n, int mask_b) {
    size_t len = (size_t)1 << n;
    fp2 *A = zk_aligned_n(len, sizeof(fp2)), *B = zk_aligned_n(len, sizeof(fp2)), rho[MAXN], c0 = rand_fp2(rng),
        c1 = rand_fp2(rng), claim = fp2_zero();
    for (unsigned v = 0; v < n; v++) rho[v] = rand_fp2(rng);
    fp2 *w = zk_aligned_n(len, sizeof(fp2));
    mle_eq_table(w, rho, n);
    for (size_t x = 0; x < len; x++) {
        A[x] = rand_fp2(rng), B[x] = rand_fp2(rng);
        fp2 f = fp2_add(fp2_mul(c0, fp2_mul(A[x], B[x])), fp2_mul(c1, A[x]));
        claim = fp2_add(claim, eq ? fp2_mul(w[x], f) : f);
    }
    free(w);
    /* tables: eq: {eq, A, B}; else {A, B} */
    unsigned o = eq ? 1 : 0, ntab = 2 + o;
    vp_term terms[2] = {{.c = c0, .k = 2 + o, .t = {0, 1, 2}}, {.c = c1, .k = 1 + o, .t = {0, 1}}};
    if (!eq) terms[0].t[0] = 0, terms[0].t[1] = 1, terms[1].t[0] = 0;
    int masked[3] = {0, 0, 0};
    masked[o] = 1, masked[o + 1] = mask_b;
    fp2 a[3] = {fp2_zero(), rand_fp2(rng), rand_fp2(rng)};
    if (!eq) a[0] = a[1], a[1] = a[2];
    unsigned deg[MAXN];
    vp_round_degrees(deg, terms, 2, masked, n);
    TEST_CHECK(deg[0] == 3 + o + (unsigned)mask_b && (n < 2 || deg[1] == 2 + o));
    fp2 zero[3] = {fp2_zero(), fp2_zero(), fp2_zero()};
    for (int cheat = 0; cheat < 2; cheat++) {
        zsc_mask *m = zsc_mask_new_deg(n, deg, rng);
        fp2 *T[3] = {NULL, NULL, NULL};
        for (unsigned q = 0; q < 2; q++) {
            T[o + q] = zk_aligned_n(len, sizeof(fp2));
            memcpy(T[o + q], q ? B : A, len * sizeof(fp2));
        }
        zk_buf proof;
        zk_buf_init(&proof);
        tr_t *tr = tr_new_prover(PROTO, &proof);
        fp2 pt[MAXN], fin[3], gr;
        const fp2 *ua = cheat ? zero : a;
        if (eq) vp_prove_eq_em(tr, pt, fin, &gr, T, ntab, terms, 2, n, claim, 0, rho, m, masked, ua, NULL);
        else vp_prove_em(tr, pt, fin, &gr, T, ntab, terms, 2, n, claim, m, masked, ua, NULL);
        fp2 z = fp2_mul(pt[0], fp2_sub(fp2_one(), pt[0]));
        if (cheat) /* the masked finals sent after unmasked rounds */
            for (unsigned j = 0; j < ntab; j++)
                if (masked[j]) fin[j] = fp2_add(fin[j], fp2_mul(z, a[j]));
        tr_put_fp2(tr, "vals", fin, ntab);
        tr_free(tr);
        if (!cheat) {
            TEST_CHECK(fp2_eq(fin[o], fp2_add(mle_eval_fp2(A, n, pt), fp2_mul(z, a[o]))));
            fp2 bv = mle_eval_fp2(B, n, pt);
            TEST_CHECK(fp2_eq(fin[o + 1], mask_b ? fp2_add(bv, fp2_mul(z, a[o + 1])) : bv));
        }
        /* the verifier, with the degrees of the masked sumcheck */
        tr = tr_new_verifier(PROTO, proof.data, proof.len);
        fp2 vpt[MAXN], red = claim, vgr, vals[3];
        zk_err e = zsc_verify_deg(tr, vpt, &red, &vgr, deg, n);
        if (e == ZK_OK) e = tr_get_fp2(tr, "vals", vals, ntab);
        int ok = e == ZK_OK;
        if (ok) {
            if (eq) vals[0] = mle_eq_eval(rho, vpt, n);
            ok = fp2_eq(red, vp_combine(terms, 2, vals)) && fp2_eq(vgr, zsc_mask_eval(m, vpt));
        }
        TEST_CHECK(cheat ? !ok : ok);
        if (cheat == ok) fprintf(stderr, "  eval masks eq=%d n=%u b=%d cheat=%d: %s\n", eq, n, mask_b, cheat, ok ? "accepted" : "rejected");
        tr_free(tr);
        zk_buf_free(&proof);
        zsc_mask_free(m);
        for (unsigned q = 0; q < 2; q++) free(T[o + q]);
    }
    free(A);
    free(B);
}

/* An absorbed pool part (vp_absorb; protocol.md 9.8 (d)): the verifier
 * knows claim + P only; with masks or without, eq(e, .) from the eq
 * prover's rho or the zero point, the rounds verify against claim + P,
 * red = f(vals) + E(r) ell, ell = P + b (r_0 - e_0); a prover that
 * absorbs P' != P (the verifier still given claim + P) is rejected. */
static void ab_case(zk_rng *rng, int eq, unsigned n, int masks, int cheat) {
    size_t len = (size_t)1 << n;
    fp2 *A = zk_aligned_n(len, sizeof(fp2)), *B = zk_aligned_n(len, sizeof(fp2)), rho[MAXN], c0 = rand_fp2(rng),
        claim = fp2_zero();
    for (unsigned v = 0; v < n; v++) rho[v] = rand_fp2(rng);
    fp2 *w = zk_aligned_n(len, sizeof(fp2));
    mle_eq_table(w, rho, n);
    for (size_t x = 0; x < len; x++) {
        A[x] = rand_fp2(rng), B[x] = rand_fp2(rng);
        fp2 f = fp2_mul(c0, fp2_mul(A[x], B[x]));
        claim = fp2_add(claim, eq ? fp2_mul(w[x], f) : f);
    }
    free(w);
    unsigned o = eq ? 1 : 0, ntab = 2 + o;
    vp_term terms[1] = {{.c = c0, .k = 2 + o, .t = {0, 1, 2}}};
    int masked[3] = {0, 1, 1};
    fp2 a[3] = {fp2_zero(), rand_fp2(rng), rand_fp2(rng)};
    vp_absorb ab = {.part = rand_fp2(rng), .b = rand_fp2(rng), .e = eq ? rho : NULL};
    fp2 Ptrue = ab.part;
    if (cheat) ab.part = fp2_add(ab.part, fp2_one());
    unsigned deg[MAXN];
    vp_round_degrees_ab(deg, terms, 1, masks ? masked + (eq ? 0 : 1) : NULL, 1, n);
    zsc_mask *m = zsc_mask_new_deg(n, deg, rng);
    fp2 *T[3] = {NULL, zk_aligned_n(len, sizeof(fp2)), zk_aligned_n(len, sizeof(fp2))};
    memcpy(T[1], A, len * sizeof(fp2));
    memcpy(T[2], B, len * sizeof(fp2));
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(PROTO, &proof);
    fp2 pt[MAXN], fin[3], gr;
    const int *mk = masks ? masked + (eq ? 0 : 1) : NULL;
    const fp2 *ma = a + (eq ? 0 : 1);
    /* the prover's claim on f: with cheat it absorbs P + 1, so its f-claim is claim - 1 */
    fp2 fc = cheat ? fp2_sub(claim, fp2_one()) : claim;
    if (eq) vp_prove_eq_em(tr, pt, fin, &gr, T, ntab, terms, 1, n, fc, 0, rho, m, mk, ma, &ab);
    else vp_prove_em(tr, pt, fin, &gr, T + 1, 2, terms, 1, n, fc, m, mk, ma, &ab);
    tr_put_fp2(tr, "vals", eq ? fin + 1 : fin, 2);
    tr_put_fp2(tr, "ell", &ab.ell, 1);
    tr_free(tr);
    tr = tr_new_verifier(PROTO, proof.data, proof.len);
    fp2 vpt[MAXN], red = fp2_add(claim, Ptrue), vgr, vals[3], ell;
    zk_err e = zsc_verify_deg(tr, vpt, &red, &vgr, deg, n);
    if (e == ZK_OK) e = tr_get_fp2(tr, "vals", vals + o, 2);
    if (e == ZK_OK) e = tr_get_fp2(tr, "ell", &ell, 1);
    int ok = e == ZK_OK;
    if (ok) {
        fp2 zero[MAXN], E;
        for (unsigned v = 0; v < n; v++) zero[v] = fp2_zero();
        if (eq) vals[0] = mle_eq_eval(rho, vpt, n);
        E = mle_eq_eval(eq ? rho : zero, vpt, n);
        ok = fp2_eq(red, fp2_add(vp_combine(terms, 1, vals), fp2_mul(E, ell)));
        /* ell is a claim on the pool: P + b (r_0 - e_0) */
        ok = ok && fp2_eq(ell, fp2_add(Ptrue, fp2_mul(ab.b, fp2_sub(vpt[0], eq ? rho[0] : fp2_zero()))));
    }
    TEST_CHECK(cheat ? !ok : ok);
    if (cheat == ok)
        fprintf(stderr, "  absorb eq=%d n=%u masks=%d cheat=%d: %s\n", eq, n, masks, cheat, ok ? "accepted" : "rejected");
    tr_free(tr);
    zk_buf_free(&proof);
    zsc_mask_free(m);
    free(T[1]);
    free(T[2]);
    free(A);
    free(B);
}

/* The dot product sum_x V(x) h(x), V base-field (sc_prove_base_em): V
 * masked, a pool part absorbed at the zero point; accepted with
 * red = V'(r) h(r) + E(r) ell; a V' in the finals that the last round did
 * not use (a = 0 there) rejected. */
static void base_case(zk_rng *rng, unsigned n, int cheat) {
    size_t len = (size_t)1 << n;
    fm61 *V = zk_malloc_n(len, sizeof *V);
    fp2 *h = zk_aligned_n(len, sizeof(fp2)), *h0 = zk_aligned_n(len, sizeof(fp2)), *vbuf = zk_aligned_n(len, sizeof(fp2)),
        claim = fp2_zero();
    for (size_t x = 0; x < len; x++) {
        V[x] = zk_rng_u64(rng) % P, h[x] = h0[x] = rand_fp2(rng);
        claim = fp2_add(claim, fp2_mul_fm61(h[x], V[x]));
    }
    vp_term term = {.c = fp2_one(), .k = 2, .t = {0, 1}};
    int masked[2] = {1, 0};
    fp2 a[2] = {rand_fp2(rng), fp2_zero()}, zero[2] = {fp2_zero(), fp2_zero()};
    vp_absorb ab = {.part = rand_fp2(rng), .b = rand_fp2(rng)};
    unsigned deg[MAXN];
    vp_round_degrees_ab(deg, &term, 1, masked, 1, n);
    zsc_mask *m = zsc_mask_new_deg(n, deg, rng);
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(PROTO, &proof);
    fp2 pt[MAXN], fin[2], gr;
    sc_prove_base_em(tr, pt, fin, &gr, V, vbuf, h, n, claim, m, masked, cheat ? zero : a, &ab);
    fp2 z = fp2_mul(pt[0], fp2_sub(fp2_one(), pt[0]));
    if (cheat) fin[0] = fp2_add(fin[0], fp2_mul(z, a[0]));
    TEST_CHECK(fp2_eq(fin[1], mle_eval_fp2(h0, n, pt)));
    TEST_CHECK(fp2_eq(fin[0], fp2_add(mle_eval_fm61(V, n, pt), fp2_mul(z, a[0]))));
    tr_put_fp2(tr, "vals", fin, 2);
    tr_put_fp2(tr, "ell", &ab.ell, 1);
    tr_free(tr);
    tr = tr_new_verifier(PROTO, proof.data, proof.len);
    fp2 vpt[MAXN], red = fp2_add(claim, ab.part), vgr, vals[2], ell, zp[MAXN];
    zk_err e = zsc_verify_deg(tr, vpt, &red, &vgr, deg, n);
    if (e == ZK_OK) e = tr_get_fp2(tr, "vals", vals, 2);
    if (e == ZK_OK) e = tr_get_fp2(tr, "ell", &ell, 1);
    for (unsigned v = 0; v < n; v++) zp[v] = fp2_zero();
    int ok = e == ZK_OK &&
             fp2_eq(red, fp2_add(fp2_mul(vals[0], vals[1]), fp2_mul(mle_eq_eval(zp, vpt, n), ell))) &&
             fp2_eq(ell, fp2_add(ab.part, fp2_mul(ab.b, vpt[0])));
    TEST_CHECK(cheat ? !ok : ok);
    if (cheat == ok) fprintf(stderr, "  base eval masks n=%u cheat=%d: %s\n", n, cheat, ok ? "accepted" : "rejected");
    tr_free(tr);
    zk_buf_free(&proof);
    zsc_mask_free(m);
    free(V);
    free(h);
    free(h0);
    free(vbuf);
}

/* A fraction layer (sc_frac_prove_em / _layer_em): A, B, C, D masked, a
 * pool part absorbed with E = eq(rho, .); accepted, and a prover whose
 * last round did not use the masks rejected. */
static void frac_em_case(zk_rng *rng, unsigned n, int layer, int cheat) {
    size_t len = (size_t)1 << n;
    fp2 *T0[4], *T[4], rho[MAXN], lam = rand_fp2(rng), claim = fp2_zero();
    for (int k = 0; k < 4; k++) {
        T0[k] = zk_aligned_n(len, sizeof(fp2));
        T[k] = zk_aligned_n(len, sizeof(fp2));
        for (size_t x = 0; x < len; x++) T0[k][x] = T[k][x] = rand_fp2(rng);
    }
    for (unsigned v = 0; v < n; v++) rho[v] = rand_fp2(rng);
    fp2 *w = zk_aligned_n(len, sizeof(fp2));
    mle_eq_table(w, rho, n);
    for (size_t x = 0; x < len; x++) {
        fp2 A = T0[0][x], B = T0[1][x], C = T0[2][x], D = T0[3][x];
        fp2 f = fp2_add(fp2_add(fp2_mul(A, D), fp2_mul(C, B)), fp2_mul(lam, fp2_mul(C, D)));
        claim = fp2_add(claim, fp2_mul(w[x], f));
    }
    free(w);
    fp2 *Pl = zk_aligned_n(2 * len, sizeof(fp2)), *Ql = zk_aligned_n(2 * len, sizeof(fp2));
    for (size_t x = 0; x < len; x++) {
        Pl[2 * x] = T0[0][x], Pl[2 * x + 1] = T0[1][x];
        Ql[2 * x] = T0[2][x], Ql[2 * x + 1] = T0[3][x];
    }
    int masked[4] = {1, 1, 1, 1}, mk5[5] = {0, 1, 1, 1, 1};
    fp2 a[4], zero[4];
    for (int k = 0; k < 4; k++) a[k] = rand_fp2(rng), zero[k] = fp2_zero();
    vp_absorb ab = {.part = rand_fp2(rng), .b = rand_fp2(rng), .e = rho};
    vp_term terms[3] = {{.c = fp2_one(), .k = 3, .t = {0, 1, 4}},
                        {.c = fp2_one(), .k = 3, .t = {0, 3, 2}},
                        {.c = lam, .k = 3, .t = {0, 3, 4}}};
    unsigned deg[MAXN];
    vp_round_degrees_ab(deg, terms, 3, mk5, 1, n);
    TEST_CHECK(deg[0] == 5);
    zsc_mask *m = zsc_mask_new_deg(n, deg, rng);
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(PROTO, &proof);
    fp2 pt[MAXN], fin[4], gr;
    const fp2 *ua = cheat ? zero : a;
    if (layer) sc_frac_prove_layer_em(tr, pt, fin, &gr, T, Pl, Ql, rho, n, lam, claim, m, masked, ua, &ab);
    else sc_frac_prove_em(tr, pt, fin, &gr, T, rho, n, lam, claim, m, masked, ua, &ab);
    fp2 z = fp2_mul(pt[0], fp2_sub(fp2_one(), pt[0]));
    for (int k = 0; k < 4; k++) {
        if (cheat) fin[k] = fp2_add(fin[k], fp2_mul(z, a[k]));
        TEST_CHECK(fp2_eq(fin[k], fp2_add(mle_eval_fp2(T0[k], n, pt), fp2_mul(z, a[k]))));
    }
    tr_put_fp2(tr, "vals", fin, 4);
    tr_put_fp2(tr, "ell", &ab.ell, 1);
    tr_free(tr);
    tr = tr_new_verifier(PROTO, proof.data, proof.len);
    fp2 vpt[MAXN], red = fp2_add(claim, ab.part), vgr, vals[5], ell;
    zk_err e = zsc_verify_deg(tr, vpt, &red, &vgr, deg, n);
    if (e == ZK_OK) e = tr_get_fp2(tr, "vals", vals + 1, 4);
    if (e == ZK_OK) e = tr_get_fp2(tr, "ell", &ell, 1);
    int ok = e == ZK_OK;
    if (ok) {
        vals[0] = mle_eq_eval(rho, vpt, n);
        ok = fp2_eq(red, fp2_add(vp_combine(terms, 3, vals), fp2_mul(vals[0], ell)));
    }
    TEST_CHECK(cheat ? !ok : ok);
    if (cheat == ok)
        fprintf(stderr, "  frac eval masks n=%u layer=%d cheat=%d: %s\n", n, layer, cheat, ok ? "accepted" : "rejected");
    tr_free(tr);
    zk_buf_free(&proof);
    zsc_mask_free(m);
    for (int k = 0; k < 4; k++) free(T0[k]), free(T[k]);
    free(Pl);
    free(Ql);
}

static void test_eval_masks(zk_rng *rng) {
    for (int eq = 0; eq < 2; eq++)
        for (unsigned n = 1; n <= 5; n += 2)
            for (int b = 0; b < 2; b++) em_case(rng, eq, n, b);
    for (int eq = 0; eq < 2; eq++)
        for (unsigned n = 1; n <= 4; n += 3)
            for (int masks = 0; masks < 2; masks++)
                for (int cheat = 0; cheat < 2; cheat++) ab_case(rng, eq, n, masks, cheat);
    for (unsigned n = 1; n <= 5; n += 2)
        for (int cheat = 0; cheat < 2; cheat++) base_case(rng, n, cheat);
    for (unsigned n = 1; n <= 4; n += 3)
        for (int layer = 0; layer < 2; layer++)
            for (int cheat = 0; cheat < 2; cheat++) frac_em_case(rng, n, layer, cheat);
}

/* ---- linear claims in the batch (zsc_claim.nw; protocol.md 9.8 (e)) ----
 * One mask's claim and two linear claims on other entries of C^, proven
 * together: accepted, the final claim is T~ at the point; a linear claim's
 * value or weight changed, or an entry outside C^, is rejected. */
static void test_linear_claims(zk_rng *rng) {
    enum { MC = 6 };
    size_t N = (size_t)1 << MC;
    fm61 *T = zk_malloc_n(2 * N, sizeof *T);
    for (size_t k = 0; k < 2 * N; k++) T[k] = zk_rng_u64(rng) % P;
    zsc_mask *m = zsc_mask_from_cells(2, 2, T); /* cells 0..9 */
    fp2 pt[2] = {rand_fp2(rng), rand_fp2(rng)};
    size_t wi0[3] = {6, 9, 17}, wi1[2] = {9, 31};
    fp2 ww0[3] = {rand_fp2(rng), rand_fp2(rng), rand_fp2(rng)}, ww1[2] = {rand_fp2(rng), rand_fp2(rng)};
    zsc_claim cl[3] = {{.off = 0, .n = 2, .d = 2, .point = pt, .value = zsc_mask_eval(m, pt)},
                       {.nw = 3, .wi = wi0, .ww = ww0},
                       {.nw = 2, .wi = wi1, .ww = ww1}};
    for (int c = 1; c < 3; c++) {
        fp2 v = fp2_zero();
        for (size_t k = 0; k < cl[c].nw; k++)
            v = fp2_add(v, fp2_mul(cl[c].ww[k], fp2_make(T[2 * cl[c].wi[k]], T[2 * cl[c].wi[k] + 1])));
        cl[c].value = v;
    }
    TEST_CHECK(zsc_layout_ok(cl, 3, MC));
    for (int bad = 0; bad < 4; bad++) {
        zk_buf proof;
        zk_buf_init(&proof);
        tr_t *tr = tr_new_prover(PROTO, &proof);
        fp2 tp[MC + 2], y;
        zsc_ip_prove(tr, tp, &y, T, MC, cl, 3);
        tr_free(tr);
        zsc_claim vc[3];
        memcpy(vc, cl, sizeof vc);
        fp2 ww[3];
        size_t wi[2] = {9, N / 2};
        if (bad == 1) vc[1].value = fp2_add(vc[1].value, fp2_one());
        if (bad == 2) {
            memcpy(ww, ww0, sizeof ww);
            ww[2] = fp2_add(ww[2], fp2_one());
            vc[1].ww = ww;
        }
        if (bad == 3) vc[2].wi = wi;
        tr = tr_new_verifier(PROTO, proof.data, proof.len);
        fp2 vtp[MC + 2], vy;
        zk_err e = zsc_ip_verify(tr, vtp, &vy, MC, vc, 3);
        tr_free(tr);
        if (!bad) {
            TEST_CHECK(e == ZK_OK && fp2_eq(vy, y));
            TEST_CHECK(fp2_eq(mle_eval_fm61(T, MC + 1, vtp), vy));
        } else {
            TEST_CHECK(e == (bad == 3 ? ZK_EINPUT : ZK_EPROOF));
        }
        zk_buf_free(&proof);
    }
    zsc_mask_free(m);
    free(T);
}

void test_zsc(zk_rng *rng) {
    test_mask(rng);
    test_mask_deg(rng);
    test_complete(rng);
    test_sound(rng);
    test_fresh(rng);
    test_uniform_bytes(rng);
    test_uniform_mask_leaks(rng);
    test_fp_mask(rng);
    test_base_d_leaks(rng);
    test_simulator(rng);
    test_eval_masks(rng);
    test_linear_claims(rng);
}
