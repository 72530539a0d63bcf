/* test_sumcheck.c -- sumcheck prover and verifier (sc.h).
 *
 * An independent reference prover in this file evaluates every round
 * polynomial g_s(X) = sum_i prod_j (T_j[i] + X (T_j[i+h] - T_j[i])) directly
 * at X = 0..k and folds by the definition; honest sc_prove proofs must be
 * byte-identical to it. Final values are checked against brute-force
 * multilinear evaluations of the original tables. Malicious provers: wrong
 * claims, every round message entry altered, truncation, non-canonical
 * elements, trailing bytes, and a prover that lies in round 1 only.
 * Per-round degrees (sc_rounds_deg, sc_verify_deg): uniform vectors give
 * sc_rounds' bytes; a sumcheck whose last round has degree 4 and the
 * others 2 (Libra's T~ + Z R, test_zr.h) is accepted, and rejected when
 * tampered or read with other degrees.
 */
#include <string.h>

#include "../src/poly/mle.h"
#include "../src/sumcheck/frac.h"
#include "../src/sumcheck/sc.h"
#include "../src/sumcheck/vp.h"
#include "test.h"
#include "test_zr.h"

#define P FM61_P
#define PROTO "gkrcnn/test/sc"

static fp2 rand_fp2(zk_rng *rng) { return fp2_make(zk_rng_u64(rng) % P, zk_rng_u64(rng) % P); }

/* f(r) = sum_x t[x] prod_j (x_j ? r_j : 1 - r_j), term by term. */
static fp2 eval_brute(const fp2 *t, unsigned n, const fp2 *r) {
    fp2 s = fp2_zero();
    for (size_t x = 0; x < (size_t)1 << n; x++) {
        fp2 e = t[x];
        for (unsigned j = 0; j < n; j++) e = fp2_mul(e, (x >> j) & 1 ? r[j] : fp2_sub(fp2_one(), r[j]));
        s = fp2_add(s, e);
    }
    return s;
}

/* Reference prover. `lie` is added to g_1(0) of round 1 only; the later
 * rounds are computed honestly from the tables. */
static void ref_prove(tr_t *tr, fp2 *point, fp2 **T, unsigned k, unsigned n, fp2 lie) {
    for (unsigned s = 0; s < n; s++) {
        size_t h = (size_t)1 << (n - 1 - s);
        fp2 g[SC_MAX_DEGREE + 1];
        for (unsigned X = 0; X <= k; X++) {
            fp2 x = fp2_from_fm61(X), sum = fp2_zero();
            for (size_t i = 0; i < h; i++) {
                fp2 p = fp2_one();
                for (unsigned j = 0; j < k; j++)
                    p = fp2_mul(p, fp2_add(T[j][i], fp2_mul(x, fp2_sub(T[j][i + h], T[j][i]))));
                sum = fp2_add(sum, p);
            }
            g[X] = sum;
        }
        if (s == 0) g[0] = fp2_add(g[0], lie);
        tr_put_fp2(tr, "sc/round", g, k + 1);
        fp2 r = tr_challenge(tr, "sc/r");
        point[n - 1 - s] = r;
        for (unsigned j = 0; j < k; j++)
            for (size_t i = 0; i < h; i++) T[j][i] = fp2_add(T[j][i], fp2_mul(r, fp2_sub(T[j][i + h], T[j][i])));
    }
}

typedef struct {
    unsigned k, n;
    fp2 *orig[SC_MAX_DEGREE]; /* the original tables */
    fp2 claim;                /* the true sum */
} instance;

static void inst_init(instance *I, zk_rng *rng, unsigned k, unsigned n) {
    I->k = k;
    I->n = n;
    size_t len = (size_t)1 << n;
    for (unsigned j = 0; j < k; j++) {
        I->orig[j] = zk_aligned_n(len, sizeof(fp2));
        for (size_t x = 0; x < len; x++) {
            /* mostly random; some tables from the base field, some zeros */
            fp2 v = rand_fp2(rng);
            if (j == 1) v.im = 0;
            if (x % 11 == 5) v = fp2_zero();
            I->orig[j][x] = v;
        }
    }
    I->claim = sc_sum_product(I->orig, k, len);
}

static void inst_free(instance *I) {
    for (unsigned j = 0; j < I->k; j++) free(I->orig[j]);
}

static void copy_tables(fp2 **dst, const instance *I) {
    size_t len = (size_t)1 << I->n;
    for (unsigned j = 0; j < I->k; j++) {
        dst[j] = zk_aligned_n(len, sizeof(fp2));
        memcpy(dst[j], I->orig[j], len * sizeof(fp2));
    }
}

static void free_tables(fp2 **t, unsigned k) {
    for (unsigned j = 0; j < k; j++) free(t[j]);
}

/* sc_prove on copies of the tables with the given claim. */
static void prove(zk_buf *proof, fp2 *point, fp2 *finals, const instance *I, fp2 claim) {
    fp2 *T[SC_MAX_DEGREE];
    copy_tables(T, I);
    tr_t *tr = tr_new_prover(PROTO, proof);
    sc_prove(tr, point, finals, T, I->k, I->n, claim);
    tr_free(tr);
    free_tables(T, I->k);
}

/* The verifier's whole job, with the final check done by brute-force
 * evaluation of the original tables at the verifier's point. Returns
 * ZK_OK, the code sc_verify or tr_finish returned, or ZK_EPROOF when the
 * reduced claim does not match. *reached_final tells whether sc_verify
 * accepted the rounds. */
static zk_err verify_full(const instance *I, const uint8_t *proof, size_t len, fp2 claim, int *reached_final) {
    fp2 point[16];
    *reached_final = 0;
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    zk_err e = sc_verify(tr, point, &claim, I->k, I->n);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    if (e != ZK_OK) return e;
    *reached_final = 1;
    fp2 want = fp2_one();
    for (unsigned j = 0; j < I->k; j++) want = fp2_mul(want, eval_brute(I->orig[j], I->n, point));
    return fp2_eq(want, claim) ? ZK_OK : ZK_EPROOF;
}

static void test_honest(zk_rng *rng) {
    for (unsigned k = 1; k <= 3; k++)
        for (unsigned n = 0; n <= 12; n++) {
            instance I;
            inst_init(&I, rng, k, n);
            /* the claim: sc_sum_product against a plain loop */
            fp2 s = fp2_zero();
            for (size_t x = 0; x < (size_t)1 << n; x++) {
                fp2 p = I.orig[0][x];
                for (unsigned j = 1; j < k; j++) p = fp2_mul(p, I.orig[j][x]);
                s = fp2_add(s, p);
            }
            TEST_CHECK(fp2_eq(s, I.claim));

            zk_buf proof;
            zk_buf_init(&proof);
            fp2 point[12], finals[SC_MAX_DEGREE];
            prove(&proof, point, finals, &I, I.claim);
            TEST_CHECK(proof.len == (size_t)n * (k + 1) * 16);

            /* byte-identical to the reference prover */
            zk_buf ref;
            zk_buf_init(&ref);
            fp2 *T[SC_MAX_DEGREE], rpoint[12];
            copy_tables(T, &I);
            tr_t *tr = tr_new_prover(PROTO, &ref);
            ref_prove(tr, rpoint, T, k, n, fp2_zero());
            tr_free(tr);
            TEST_CHECK(ref.len == proof.len && (n == 0 || memcmp(ref.data, proof.data, ref.len) == 0));
            TEST_CHECK(n == 0 || memcmp(rpoint, point, n * sizeof *point) == 0);
            for (unsigned j = 0; j < k; j++) TEST_CHECK(fp2_eq(T[j][0], finals[j]));
            free_tables(T, k);
            zk_buf_free(&ref);

            /* finals are the MLEs of the original tables at the point */
            fp2 prod = fp2_one();
            for (unsigned j = 0; j < k; j++) {
                TEST_CHECK(fp2_eq(finals[j], eval_brute(I.orig[j], n, point)));
                if (n <= 10) TEST_CHECK(fp2_eq(finals[j], mle_eval_fp2(I.orig[j], n, point)));
                prod = fp2_mul(prod, finals[j]);
            }

            /* the verifier accepts, at the same point, with claim = prod */
            fp2 c = I.claim, vpoint[12];
            tr = tr_new_verifier(PROTO, proof.data, proof.len);
            TEST_CHECK(sc_verify(tr, vpoint, &c, k, n) == ZK_OK);
            TEST_CHECK(tr_finish(tr) == ZK_OK);
            tr_free(tr);
            TEST_CHECK(n == 0 || memcmp(vpoint, point, n * sizeof *point) == 0);
            TEST_CHECK(fp2_eq(c, prod));
            zk_buf_free(&proof);
            inst_free(&I);
        }
}

static void test_interpolate(zk_rng *rng) {
    for (unsigned deg = 0; deg <= SC_MAX_ROUND_DEGREE; deg++)
        for (int it = 0; it < 50; it++) {
            fp2 c[SC_MAX_ROUND_DEGREE + 1], ev[SC_MAX_ROUND_DEGREE + 1], cc[SC_MAX_ROUND_DEGREE + 1];
            for (unsigned i = 0; i <= deg; i++) c[i] = rand_fp2(rng);
            for (unsigned i = 0; i <= deg; i++) { /* Horner at i */
                fp2 x = fp2_from_fm61(i), v = fp2_zero();
                for (unsigned d = deg + 1; d-- > 0;) v = fp2_add(fp2_mul(v, x), c[d]);
                ev[i] = v;
            }
            fp2 pts[4] = {rand_fp2(rng), fp2_from_fm61((fm61)(deg + 1 + (unsigned)it)), fp2_make(P - 1, 0),
                          fp2_make(0, 1)};
            for (int q = 0; q < 4; q++) {
                fp2 v = fp2_zero();
                for (unsigned d = deg + 1; d-- > 0;) v = fp2_add(fp2_mul(v, pts[q]), c[d]);
                TEST_CHECK(fp2_eq(sc_interpolate(ev, deg, pts[q]), v));
            }
            for (unsigned i = 0; i <= deg; i++) TEST_CHECK(fp2_eq(sc_interpolate(ev, deg, fp2_from_fm61(i)), ev[i]));
            /* the tests' conversion to coefficients (test_zr.c) */
            zr_coefs(cc, ev, deg);
            int same = 1;
            for (unsigned i = 0; i <= deg; i++) same &= fp2_eq(cc[i], c[i]);
            TEST_CHECK(same);
        }
}

/* Tamper hook of test_rounds_deg: adds 1 to value idx of round occ. */
typedef struct {
    size_t occ, idx;
} sc_tamper;

static void sc_tamper_fn(void *ctx, const char *label, size_t occurrence, fp2 *v, size_t n) {
    const sc_tamper *t = ctx;
    if (strcmp(label, "sc/round") == 0 && occurrence == t->occ && t->idx < n) v[t->idx].re = fm61_add(v[t->idx].re, 1);
}

/* sc_rounds_deg on the instance with zr_step (deg: the round degrees;
 * NULL: sc_rounds at degree 2). Returns the final claim. */
static fp2 zr_prove(zk_buf *proof, fp2 *point, const zr_inst *z, const unsigned *deg, const sc_tamper *tm) {
    zr_prover p;
    zr_prover_init(&p, z);
    tr_t *tr = tr_new_prover(PROTO, proof);
    if (tm) tr_set_tamper(tr, sc_tamper_fn, (void *)tm);
    fp2 c = deg ? sc_rounds_deg(tr, point, z->n, deg, z->sum, zr_step, &p)
                : sc_rounds(tr, point, z->n, 2, z->sum, zr_step, &p);
    tr_free(tr);
    return c;
}

/* sc_verify_deg with the degrees deg, then the final check f(point). */
static zk_err zr_verify(const zr_inst *z, const unsigned *deg, const uint8_t *proof, size_t len, fp2 *point) {
    fp2 c = z->sum;
    tr_t *tr = tr_new_verifier(PROTO, proof, len);
    zk_err e = sc_verify_deg(tr, point, &c, deg, z->n);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    if (e == ZK_OK && !fp2_eq(c, zr_f(z, point))) e = ZK_EPROOF;
    return e;
}

static void test_rounds_deg(zk_rng *rng) {
    /* uniform degrees: sc_rounds_deg is sc_rounds, sc_verify_deg sc_verify,
     * and both are sc_prove's bytes (zr_step computes the rounds from the
     * definition, sc_prove by folding) */
    for (unsigned n = 1; n <= 6; n++) {
        zr_inst z;
        zr_init(&z, rng, n, 0, 0);
        zk_buf a, b, c;
        zk_buf_init(&a), zk_buf_init(&b), zk_buf_init(&c);
        fp2 pa[ZR_MAXN], pb[ZR_MAXN], pc[ZR_MAXN], fin[2], *T[2];
        size_t len = (size_t)1 << n;
        T[0] = zk_aligned_n(len, sizeof(fp2)), T[1] = zk_aligned_n(len, sizeof(fp2));
        memcpy(T[0], z.T, len * sizeof(fp2)), memcpy(T[1], z.S, len * sizeof(fp2));
        tr_t *tr = tr_new_prover(PROTO, &a);
        sc_prove(tr, pa, fin, T, 2, n, z.sum);
        tr_free(tr);
        fp2 cb = zr_prove(&b, pb, &z, z.deg, NULL), cc = zr_prove(&c, pc, &z, NULL, NULL);
        TEST_CHECK(a.len == 48 * n && b.len == a.len && c.len == a.len);
        TEST_CHECK(memcmp(a.data, b.data, a.len) == 0 && memcmp(a.data, c.data, a.len) == 0);
        TEST_CHECK(fp2_eq(cb, cc) && fp2_eq(cb, fp2_mul(fin[0], fin[1])));
        fp2 c1 = z.sum, c2 = z.sum, p1[ZR_MAXN], p2[ZR_MAXN];
        tr = tr_new_verifier(PROTO, a.data, a.len);
        TEST_CHECK(sc_verify(tr, p1, &c1, 2, n) == ZK_OK && tr_finish(tr) == ZK_OK);
        tr_free(tr);
        tr = tr_new_verifier(PROTO, a.data, a.len);
        TEST_CHECK(sc_verify_deg(tr, p2, &c2, z.deg, n) == ZK_OK && tr_finish(tr) == ZK_OK);
        tr_free(tr);
        TEST_CHECK(fp2_eq(c1, c2) && memcmp(p1, p2, n * sizeof(fp2)) == 0 && memcmp(p1, pa, n * sizeof(fp2)) == 0);
        free(T[0]), free(T[1]);
        zk_buf_free(&a), zk_buf_free(&b), zk_buf_free(&c);
        zr_free(&z);
    }
    /* T' = T~ + Z R: degrees (4, 2, ..., 2) */
    for (unsigned n = 1; n <= 6; n++) {
        zr_inst z, plain;
        zk_rng r2 = *rng;
        zr_init(&z, rng, n, 1, 0);
        zr_init(&plain, &r2, n, 0, 0); /* the same T, S (and R, unused) */
        TEST_CHECK(fp2_eq(z.sum, plain.sum) && z.deg[0] == 4 && (n == 1 || z.deg[n - 1] == 2));
        zk_buf a, b;
        zk_buf_init(&a), zk_buf_init(&b);
        fp2 pt[ZR_MAXN], pp[ZR_MAXN];
        fp2 fin = zr_prove(&a, pt, &z, z.deg, NULL);
        zr_prove(&b, pp, &plain, plain.deg, NULL);
        /* n - 1 rounds of 3 values, the last of 5 */
        TEST_CHECK(a.len == 48 * (n - 1) + 80);
        TEST_CHECK(fp2_eq(fin, zr_f(&z, pt)));
        fp2 vp[ZR_MAXN];
        zk_err e = zr_verify(&z, z.deg, a.data, a.len, vp);
        TEST_CHECK(e == ZK_OK && memcmp(vp, pt, n * sizeof(fp2)) == 0);
        if (e != ZK_OK) fprintf(stderr, "  rounds_deg n=%u: %s (%s)\n", n, zk_err_str(e), zk_reason());
        /* Z vanishes while variable 0 is summed over {0,1}: the first n - 1
         * rounds are T~ S~'s, byte for byte; the last one is not */
        TEST_CHECK(memcmp(a.data, b.data, 48 * (n - 1)) == 0);
        TEST_CHECK(memcmp(a.data + 48 * (n - 1), b.data + 48 * (n - 1), 48) != 0);
        /* and it has degree 4 exactly */
        fp2 last[5], co[5];
        tr_t *tr = tr_new_verifier(PROTO, a.data, a.len);
        for (unsigned s = 0; s + 1 < n; s++) {
            fp2 g[3];
            TEST_CHECK(tr_get_fp2(tr, "sc/round", g, 3) == ZK_OK);
            (void)tr_challenge(tr, "sc/r");
        }
        TEST_CHECK(tr_get_fp2(tr, "sc/round", last, 5) == ZK_OK);
        tr_free(tr);
        zr_coefs(co, last, 4);
        TEST_CHECK(!fp2_is_zero(co[4]));
        /* read with other degrees: rejected */
        unsigned two[ZR_MAXN], five[ZR_MAXN];
        for (unsigned v = 0; v < n; v++) two[v] = 2, five[v] = v == 0 ? 5 : 2;
        TEST_CHECK(zr_verify(&z, two, a.data, a.len, vp) != ZK_OK);
        TEST_CHECK(zr_verify(&z, five, a.data, a.len, vp) == ZK_EFORMAT);
        TEST_CHECK(zr_verify(&plain, z.deg, b.data, b.len, vp) == ZK_EFORMAT); /* a degree-2 proof */
        /* every value of every round altered: rejected (the round check,
         * or the final one for the last round's values) */
        long tried = 0, rejected = 0;
        for (unsigned s = 0; s < n; s++)
            for (unsigned i = 0; i <= z.deg[n - 1 - s]; i++) {
                sc_tamper tm = {.occ = s, .idx = i};
                zk_buf t;
                zk_buf_init(&t);
                zr_prove(&t, pp, &z, z.deg, &tm);
                tried++;
                rejected += zr_verify(&z, z.deg, t.data, t.len, vp) != ZK_OK;
                zk_buf_free(&t);
            }
        TEST_CHECK(tried == 3 * (long)(n - 1) + 5 && rejected == tried);
        /* a false claim: rejected */
        {
            zr_inst f = z;
            f.sum = fp2_add(z.sum, fp2_one());
            zk_buf t;
            zk_buf_init(&t);
            zr_prove(&t, pp, &f, f.deg, NULL);
            TEST_CHECK(zr_verify(&z, z.deg, t.data, t.len, vp) == ZK_EPROOF);
            zk_buf_free(&t);
        }
        zk_buf_free(&a), zk_buf_free(&b);
        zr_free(&z), zr_free(&plain);
    }
}

/* Tampered proofs of an honest prover for a true claim. */
static void test_malicious(zk_rng *rng) {
    const unsigned ns[] = {1, 2, 5};
    for (unsigned k = 1; k <= 3; k++)
        for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
            unsigned n = ns[ni];
            instance I;
            inst_init(&I, rng, k, n);
            zk_buf proof;
            zk_buf_init(&proof);
            fp2 point[8], finals[SC_MAX_DEGREE];
            prove(&proof, point, finals, &I, I.claim);
            int fin;
            TEST_CHECK(verify_full(&I, proof.data, proof.len, I.claim, &fin) == ZK_OK);
            uint8_t *buf = zk_malloc(proof.len + 1);

            /* wrong claim */
            TEST_CHECK(verify_full(&I, proof.data, proof.len, fp2_add(I.claim, fp2_one()), &fin) == ZK_EPROOF);
            TEST_CHECK(!fin);

            /* each entry g_s(X) of each round, each coordinate, altered */
            for (unsigned s = 0; s < n; s++)
                for (unsigned X = 0; X <= k; X++)
                    for (int coord = 0; coord < 2; coord++) {
                        memcpy(buf, proof.data, proof.len);
                        uint8_t *w = buf + 16 * ((k + 1) * s + X) + 8 * coord;
                        zk_store_le64(w, fm61_add(zk_load_le64(w), 1 + zk_rng_u64(rng) % 1000));
                        zk_err e = verify_full(&I, buf, proof.len, I.claim, &fin);
                        TEST_CHECK(e == ZK_EPROOF);
                        /* g(0) and g(1) fail the round check itself; a
                         * higher entry fails the next round or, in the last
                         * round, the final check */
                        if (X <= 1) TEST_CHECK(!fin);
                        if (X >= 2) TEST_CHECK(fin == (s == n - 1));
                    }

            /* every truncation */
            for (size_t cut = 0; cut < proof.len; cut++)
                TEST_CHECK(verify_full(&I, proof.data, cut, I.claim, &fin) == ZK_EFORMAT);

            /* a non-canonical element in each round (value p, 2^61, 2^64-1),
             * also the non-canonical encoding p + v of a valid value v */
            const uint64_t bad[] = {P, 1ULL << 61, UINT64_MAX};
            for (unsigned s = 0; s < n; s++)
                for (int b = 0; b < 4; b++) {
                    memcpy(buf, proof.data, proof.len);
                    uint8_t *w = buf + 16 * ((k + 1) * s + (unsigned)b % (k + 1)) + 8 * (b & 1);
                    zk_store_le64(w, b < 3 ? bad[b] : zk_load_le64(w) + P);
                    TEST_CHECK(verify_full(&I, buf, proof.len, I.claim, &fin) == ZK_EFORMAT);
                }

            /* trailing bytes */
            memcpy(buf, proof.data, proof.len);
            buf[proof.len] = 0;
            TEST_CHECK(verify_full(&I, buf, proof.len + 1, I.claim, &fin) == ZK_EFORMAT);
            TEST_CHECK(!fin);
            /* a proof for another number of variables */
            instance J = I;
            J.n = n + 1;
            TEST_CHECK(verify_full(&J, proof.data, proof.len, I.claim, &fin) == ZK_EFORMAT);
            if (n >= 2) {
                J.n = n - 1; /* one round too few: trailing bytes */
                TEST_CHECK(verify_full(&J, proof.data, proof.len, I.claim, &fin) == ZK_EFORMAT);
            }
            free(buf);
            zk_buf_free(&proof);
            inst_free(&I);
        }
}

/* Cheating provers for a false claim. */
static void test_cheating(zk_rng *rng) {
    for (unsigned k = 1; k <= 3; k++)
        for (unsigned n = 0; n <= 8; n++) {
            instance I;
            inst_init(&I, rng, k, n);
            fp2 delta = rand_fp2(rng);
            if (fp2_is_zero(delta)) delta = fp2_one();
            fp2 lie = fp2_add(I.claim, delta);
            int fin;

            /* (a) sc_prove given the false claim: every message satisfies
             * g(0) + g(1) = the running claim, so all round checks pass,
             * and only the final check exposes the lie. */
            zk_buf proof;
            zk_buf_init(&proof);
            fp2 point[8], finals[SC_MAX_DEGREE];
            prove(&proof, point, finals, &I, lie);
            fp2 c = lie, vpoint[8];
            tr_t *tr = tr_new_verifier(PROTO, proof.data, proof.len);
            TEST_CHECK(sc_verify(tr, vpoint, &c, k, n) == ZK_OK);
            TEST_CHECK(tr_finish(tr) == ZK_OK);
            tr_free(tr);
            fp2 prod = fp2_one();
            for (unsigned j = 0; j < k; j++) prod = fp2_mul(prod, finals[j]);
            TEST_CHECK(!fp2_eq(c, prod));
            TEST_CHECK(verify_full(&I, proof.data, proof.len, lie, &fin) == ZK_EPROOF && fin);
            zk_buf_free(&proof);

            /* (b) round 1 consistent with the false claim, then honest:
             * caught by the round-2 check (or the final check if n = 1). */
            if (n >= 1) {
                zk_buf_init(&proof);
                fp2 *T[SC_MAX_DEGREE];
                copy_tables(T, &I);
                tr = tr_new_prover(PROTO, &proof);
                ref_prove(tr, point, T, k, n, delta);
                tr_free(tr);
                free_tables(T, k);
                TEST_CHECK(verify_full(&I, proof.data, proof.len, lie, &fin) == ZK_EPROOF);
                TEST_CHECK(fin == (n == 1));
                zk_buf_free(&proof);
            }
            inst_free(&I);
        }
}

/* Proofs do not depend on the thread count (tables above the parallel
 * thresholds SC_PAR_MIN = 2^13 and MLE_PAR_MIN = 2^14). */
static void test_threads(zk_rng *rng) {
    const unsigned n = 16;
    int saved = zk_threads();
    for (unsigned k = 1; k <= 3; k++) {
        instance I;
        inst_init(&I, rng, k, n);
        zk_buf proof[2];
        fp2 point[2][16], finals[2][SC_MAX_DEGREE];
        for (int th = 1; th <= 2; th++) {
            zk_threads_set(th);
            zk_buf_init(&proof[th - 1]);
            prove(&proof[th - 1], point[th - 1], finals[th - 1], &I, I.claim);
        }
        TEST_CHECK(proof[0].len == proof[1].len && memcmp(proof[0].data, proof[1].data, proof[0].len) == 0);
        TEST_CHECK(memcmp(finals[0], finals[1], k * sizeof(fp2)) == 0);
        fp2 c = I.claim, vpoint[16];
        tr_t *tr = tr_new_verifier(PROTO, proof[0].data, proof[0].len);
        TEST_CHECK(sc_verify(tr, vpoint, &c, k, n) == ZK_OK && tr_finish(tr) == ZK_OK);
        tr_free(tr);
        fp2 prod = fp2_one();
        for (unsigned j = 0; j < k; j++) {
            TEST_CHECK(fp2_eq(finals[0][j], mle_eval_fp2(I.orig[j], n, vpoint)));
            prod = fp2_mul(prod, finals[0][j]);
        }
        TEST_CHECK(fp2_eq(c, prod));
        zk_buf_free(&proof[0]);
        zk_buf_free(&proof[1]);
        inst_free(&I);
    }
    zk_threads_set(saved);
}

/* sc_prove_base on a base-field V must write the same bytes as sc_prove on
 * V lifted to F_{p^2}, with V's values near p to stress the lazy sums. */
static void test_base_first_round(zk_rng *rng) {
    for (unsigned n = 0; n <= 13; n++) {
        size_t len = (size_t)1 << n, half = len / 2 ? len / 2 : 1;
        fm61 *V = zk_malloc_n(len, sizeof *V);
        fp2 *h1 = zk_malloc_n(len, sizeof *h1), *h2 = zk_malloc_n(len, sizeof *h2);
        fp2 *lv = zk_malloc_n(len, sizeof *lv), *vbuf = zk_malloc_n(half, sizeof *vbuf);
        for (size_t i = 0; i < len; i++) {
            V[i] = (zk_rng_u64(rng) & 1) ? P - 1 - zk_rng_u64(rng) % 4 : zk_rng_u64(rng) % P;
            h1[i] = h2[i] = rand_fp2(rng);
            lv[i] = fp2_from_fm61(V[i]);
        }
        fp2 *tabs[2] = {lv, h1};
        fp2 claim = sc_sum_product(tabs, 2, len);
        zk_buf a, b;
        zk_buf_init(&a);
        zk_buf_init(&b);
        fp2 pa[16], pb[16], fa[2], fb[2];
        tr_t *ta = tr_new_prover("test/sc", &a), *tb = tr_new_prover("test/sc", &b);
        sc_prove(ta, pa, fa, tabs, 2, n, claim);
        sc_prove_base(tb, pb, fb, V, vbuf, h2, n, claim);
        TEST_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0));
        TEST_CHECK(fp2_eq(fa[0], fb[0]) && fp2_eq(fa[1], fb[1]));
        for (unsigned j = 0; j < n; j++) TEST_CHECK(fp2_eq(pa[j], pb[j]));
        tr_free(ta);
        tr_free(tb);
        zk_buf_free(&a);
        zk_buf_free(&b);
        free(V), free(h1), free(h2), free(lv), free(vbuf);
    }
}

/* Entries that stress the lazy reductions: 0, 1, p-1, p-2 and random. */
static fm61 edgy_fm61(zk_rng *rng) {
    uint64_t r = zk_rng_u64(rng);
    switch (r & 7) {
    case 0: return 0;
    case 1: return 1;
    case 2: return P - 1;
    case 3: return P - 2;
    default: return (r >> 3) % P;
    }
}

/* The fused fold-and-sum passes, in both kernels (vector and portable),
 * against the reference prover on tables full of edge values: k = 2
 * through sc_prove; the base-field variants through sc_prove_base, and
 * through sc_base_sums + sc_prove_base_sums (whose s[0] + s[1] must be the
 * whole sum); same bytes, same point, same finals everywhere. */
static void test_kernels(zk_rng *rng) {
    for (unsigned n = 0; n <= 13; n++) {
        size_t len = (size_t)1 << n, half = len / 2 ? len / 2 : 1;
        fp2 *a = zk_malloc_n(len, sizeof *a), *b = zk_malloc_n(len, sizeof *b);
        fm61 *V = zk_malloc_n(len, sizeof *V);
        fp2 *lv = zk_malloc_n(len, sizeof *lv), *vbuf = zk_malloc_n(half, sizeof *vbuf);
        fp2 *T[2], *U[2];
        for (size_t i = 0; i < len; i++) {
            a[i] = fp2_make(edgy_fm61(rng), edgy_fm61(rng));
            b[i] = fp2_make(edgy_fm61(rng), edgy_fm61(rng));
            V[i] = edgy_fm61(rng);
            lv[i] = fp2_from_fm61(V[i]);
        }
        fp2 *ab[2] = {a, b}, *vb[2] = {lv, b};
        fp2 claim = sc_sum_product(ab, 2, len), vclaim = sc_sum_product(vb, 2, len);
        /* the reference proofs */
        zk_buf ref, vref;
        fp2 rpt[13], vrpt[13];
        zk_buf_init(&ref);
        zk_buf_init(&vref);
        for (int j = 0; j < 2; j++) {
            T[j] = zk_malloc_n(len, sizeof(fp2));
            U[j] = zk_malloc_n(len, sizeof(fp2));
        }
        memcpy(T[0], a, len * sizeof *a), memcpy(T[1], b, len * sizeof *b);
        memcpy(U[0], lv, len * sizeof *lv), memcpy(U[1], b, len * sizeof *b);
        tr_t *tr = tr_new_prover(PROTO, &ref);
        ref_prove(tr, rpt, T, 2, n, fp2_zero());
        tr_free(tr);
        tr = tr_new_prover(PROTO, &vref);
        ref_prove(tr, vrpt, U, 2, n, fp2_zero());
        tr_free(tr);
        for (int portable = 0; portable < 2; portable++) {
            test_portable_kernels(portable);
            zk_buf pf[3];
            fp2 pt[3][13], fin[3][2];
            /* sc_prove, k = 2 */
            fp2 *W[2] = {zk_malloc_n(len, sizeof(fp2)), zk_malloc_n(len, sizeof(fp2))};
            memcpy(W[0], a, len * sizeof *a), memcpy(W[1], b, len * sizeof *b);
            zk_buf_init(&pf[0]);
            tr = tr_new_prover(PROTO, &pf[0]);
            sc_prove(tr, pt[0], fin[0], W, 2, n, claim);
            tr_free(tr);
            TEST_CHECK(pf[0].len == ref.len && (n == 0 || memcmp(pf[0].data, ref.data, ref.len) == 0));
            TEST_CHECK(n == 0 || memcmp(pt[0], rpt, n * sizeof(fp2)) == 0);
            TEST_CHECK(fp2_eq(fin[0][0], T[0][0]) && fp2_eq(fin[0][1], T[1][0]));
            /* sc_prove_base */
            memcpy(W[1], b, len * sizeof *b);
            zk_buf_init(&pf[1]);
            tr = tr_new_prover(PROTO, &pf[1]);
            sc_prove_base(tr, pt[1], fin[1], V, vbuf, W[1], n, vclaim);
            tr_free(tr);
            /* sc_base_sums + sc_prove_base_sums */
            fp2 sums[3];
            memcpy(W[1], b, len * sizeof *b);
            sc_base_sums(sums, V, W[1], n);
            TEST_CHECK(fp2_eq(fp2_add(sums[0], sums[1]), vclaim));
            zk_buf_init(&pf[2]);
            tr = tr_new_prover(PROTO, &pf[2]);
            sc_prove_base_sums(tr, pt[2], fin[2], V, vbuf, W[1], n, sums);
            tr_free(tr);
            for (int t = 1; t < 3; t++) {
                TEST_CHECK(pf[t].len == vref.len && (n == 0 || memcmp(pf[t].data, vref.data, vref.len) == 0));
                TEST_CHECK(n == 0 || memcmp(pt[t], vrpt, n * sizeof(fp2)) == 0);
                TEST_CHECK(fp2_eq(fin[t][0], U[0][0]) && fp2_eq(fin[t][1], U[1][0]));
            }
            for (int t = 0; t < 3; t++) zk_buf_free(&pf[t]);
            free(W[0]), free(W[1]);
        }
        test_portable_kernels(0);
        zk_buf_free(&ref);
        zk_buf_free(&vref);
        for (int j = 0; j < 2; j++) free(T[j]), free(U[j]);
        free(a), free(b), free(V), free(lv), free(vbuf);
    }
}

/* vp_prove: random sums of products (terms of 1..3 factors, repeated
 * tables inside a term) on n = 0..6 variables. The honest proof verifies
 * with sc_verify at the right degree, the finals are the tables' values
 * at the point (brute force) and the reduced claim is their combination;
 * a claim off by one is rejected; proofs are identical for 1 and 2 threads. */
static void test_vp(zk_rng *rng) {
    int saved = zk_threads();
    for (unsigned n = 0; n <= 6; n++)
        for (int it = 0; it < 6; it++) {
            unsigned ntab = 1 + (unsigned)(zk_rng_u64(rng) % 5), nt = 1 + (unsigned)(zk_rng_u64(rng) % 5);
            size_t N = (size_t)1 << n;
            fp2 *orig[5], *tab[5];
            vp_term t[5];
            for (unsigned j = 0; j < ntab; j++) {
                orig[j] = zk_malloc_n(N, sizeof(fp2));
                tab[j] = zk_malloc_n(N, sizeof(fp2));
                for (size_t x = 0; x < N; x++) orig[j][x] = rand_fp2(rng);
            }
            for (unsigned k = 0; k < nt; k++) {
                t[k].c = rand_fp2(rng);
                t[k].k = 1 + (unsigned)(zk_rng_u64(rng) % 3);
                for (unsigned f = 0; f < 3; f++) t[k].t[f] = (unsigned)(zk_rng_u64(rng) % ntab);
            }
            fp2 claim = fp2_zero(), vals[5];
            for (size_t x = 0; x < N; x++) {
                for (unsigned j = 0; j < ntab; j++) vals[j] = orig[j][x];
                claim = fp2_add(claim, vp_combine(t, nt, vals));
            }
            unsigned deg = vp_degree(t, nt);
            for (int lie = 0; lie < 2; lie++) {
                zk_buf pf[2];
                fp2 pt[6], fin[5];
                for (int th = 0; th < 2; th++) {
                    zk_threads_set(th + 1);
                    for (unsigned j = 0; j < ntab; j++) memcpy(tab[j], orig[j], N * sizeof(fp2));
                    zk_buf_init(&pf[th]);
                    tr_t *tr = tr_new_prover(PROTO, &pf[th]);
                    vp_prove(tr, pt, fin, tab, ntab, t, nt, n, lie ? fp2_add(claim, fp2_one()) : claim);
                    tr_free(tr);
                }
                zk_threads_set(saved);
                TEST_CHECK(pf[0].len == pf[1].len && (pf[0].len == 0 || memcmp(pf[0].data, pf[1].data, pf[0].len) == 0));
                tr_t *tv = tr_new_verifier(PROTO, pf[0].data, pf[0].len);
                fp2 vpt[6], red = lie ? fp2_add(claim, fp2_one()) : claim;
                zk_err e = sc_verify(tv, vpt, &red, deg, n);
                int ok = e == ZK_OK && memcmp(vpt, pt, n * sizeof(fp2)) == 0;
                for (unsigned j = 0; j < ntab && ok; j++) ok = fp2_eq(fin[j], eval_brute(orig[j], n, pt));
                int match = ok && fp2_eq(red, vp_combine(t, nt, fin));
                if (!lie) TEST_CHECK(match && tr_finish(tv) == ZK_OK);
                else TEST_CHECK(!match); /* a false claim fails a round check or the final check */
                tr_free(tv);
                zk_buf_free(&pf[0]);
                zk_buf_free(&pf[1]);
            }
            for (unsigned j = 0; j < ntab; j++) {
                free(orig[j]);
                free(tab[j]);
            }
        }
}

/* vp_prove_eq must write the bytes of vp_prove with table 0 = eq(rho, .)
 * in every term (random other factors, tables no term reads, repeated
 * factors, merged terms), on one thread and on two (n = 13 runs the
 * parallel passes), give the same finals, and take the pass that sums G(1)
 * when a coordinate of rho is zero (rho[n-1]: the first round). */
static void test_vp_eq(zk_rng *rng) {
    int saved = zk_threads();
    for (unsigned n = 0; n <= 13; n += n < 7 ? 1 : 6)
        for (int it = 0; it < 6; it++) {
            unsigned ntab = 2 + (unsigned)(zk_rng_u64(rng) % 4), nt = 1 + (unsigned)(zk_rng_u64(rng) % 6);
            size_t N = (size_t)1 << n;
            fp2 *orig[5], *tab[5], rho[13];
            vp_term t[6];
            for (unsigned j = 0; j < n; j++) rho[j] = rand_fp2(rng);
            if (n >= 2 && it == 1) rho[n - 1] = fp2_zero();
            for (unsigned j = 0; j < ntab; j++) {
                orig[j] = zk_malloc_n(N, sizeof(fp2));
                tab[j] = zk_malloc_n(N, sizeof(fp2));
                for (size_t x = 0; x < N; x++) orig[j][x] = rand_fp2(rng);
            }
            mle_eq_table(orig[0], rho, n);
            for (unsigned k = 0; k < nt; k++) {
                t[k].c = rand_fp2(rng);
                t[k].k = 1 + (unsigned)(zk_rng_u64(rng) % 3);
                unsigned at = (unsigned)(zk_rng_u64(rng) % t[k].k);
                for (unsigned f = 0; f < 3; f++) t[k].t[f] = f == at ? 0 : 1 + (unsigned)(zk_rng_u64(rng) % (ntab - 1));
            }
            if (nt >= 2 && it == 2) t[1] = t[0]; /* the same factors twice */
            fp2 claim = fp2_zero(), vals[5];
            for (size_t x = 0; x < N; x++) {
                for (unsigned j = 0; j < ntab; j++) vals[j] = orig[j][x];
                claim = fp2_add(claim, vp_combine(t, nt, vals));
            }
            zk_buf ref;
            zk_buf_init(&ref);
            fp2 pt[2][13], fin[2][5];
            for (unsigned j = 0; j < ntab; j++) memcpy(tab[j], orig[j], N * sizeof(fp2));
            tr_t *tr = tr_new_prover(PROTO, &ref);
            vp_prove(tr, pt[0], fin[0], tab, ntab, t, nt, n, claim);
            tr_free(tr);
            for (int th = 0; th < 2; th++) {
                zk_threads_set(th + 1);
                for (unsigned j = 1; j < ntab; j++) memcpy(tab[j], orig[j], N * sizeof(fp2));
                zk_buf pf;
                zk_buf_init(&pf);
                tr = tr_new_prover(PROTO, &pf);
                fp2 *t0 = tab[0];
                tab[0] = NULL; /* not read */
                vp_prove_eq(tr, pt[1], fin[1], tab, ntab, t, nt, n, claim, 0, rho);
                tab[0] = t0;
                tr_free(tr);
                TEST_CHECK(pf.len == ref.len && (pf.len == 0 || memcmp(pf.data, ref.data, pf.len) == 0));
                TEST_CHECK(n == 0 || memcmp(pt[0], pt[1], n * sizeof(fp2)) == 0);
                for (unsigned j = 0; j < ntab; j++) TEST_CHECK(fp2_eq(fin[0][j], fin[1][j]));
                zk_buf_free(&pf);
            }
            zk_threads_set(saved);
            zk_buf_free(&ref);
            for (unsigned j = 0; j < ntab; j++) {
                free(orig[j]);
                free(tab[j]);
            }
        }
}

/* sc_frac_prove (the fraction layer of logUp-GKR) must write the bytes of
 * vp_prove on the five tables eq(r, .), A, B, C, D with the terms
 * E A D + E B C + lam E C D, on one thread and on two (n = 13 runs its
 * parallel sums), and verify with sc_verify at degree 3; so must
 * sc_frac_prove_layer on the tables interleaved, and sc_frac_parent must
 * give the layer above. A zero coordinate of r (r[n-1], bound in the first
 * round, for n = 13; r[1] otherwise) takes the pass that sums G(1). */
static void test_frac(zk_rng *rng) {
    int saved = zk_threads();
    for (unsigned n = 0; n <= 13; n += n < 7 ? 1 : 6) {
        size_t N = (size_t)1 << n;
        fp2 *orig[4], *tab[5], r[13], pt[2][13], vpt[13], fin[2][5];
        for (int k = 0; k < 4; k++) {
            orig[k] = zk_malloc_n(N, sizeof(fp2));
            for (size_t x = 0; x < N; x++) orig[k][x] = rand_fp2(rng);
        }
        for (int k = 0; k < 5; k++) tab[k] = zk_malloc_n(N, sizeof(fp2));
        for (unsigned j = 0; j < n; j++) r[j] = rand_fp2(rng);
        /* a zero coordinate: that round's g(1) gives no G(1) (frac.c) */
        if (n >= 3) r[n == 13 ? n - 1 : 1] = fp2_zero();
        fp2 lam = rand_fp2(rng);
        vp_term t[3] = {{.c = fp2_one(), .k = 3, .t = {0, 1, 4}},
                        {.c = fp2_one(), .k = 3, .t = {0, 2, 3}},
                        {.c = lam, .k = 3, .t = {0, 3, 4}}};
        mle_eq_table(tab[0], r, n);
        fp2 claim = fp2_zero(), vals[5];
        for (size_t x = 0; x < N; x++) {
            vals[0] = tab[0][x];
            for (int k = 0; k < 4; k++) vals[k + 1] = orig[k][x];
            claim = fp2_add(claim, vp_combine(t, 3, vals));
        }
        zk_buf ref;
        zk_buf_init(&ref);
        tr_t *tr = tr_new_prover(PROTO, &ref);
        for (int k = 0; k < 4; k++) memcpy(tab[k + 1], orig[k], N * sizeof(fp2));
        vp_prove(tr, pt[0], fin[0], tab, 5, t, 3, n, claim);
        tr_free(tr);
        for (int th = 0; th < 2; th++) {
            zk_threads_set(th + 1);
            zk_buf pf;
            zk_buf_init(&pf);
            tr = tr_new_prover(PROTO, &pf);
            for (int k = 0; k < 4; k++) memcpy(tab[k + 1], orig[k], N * sizeof(fp2));
            sc_frac_prove(tr, pt[1], fin[1], tab + 1, r, n, lam, claim);
            tr_free(tr);
            TEST_CHECK(pf.len == ref.len && (n == 0 || memcmp(pf.data, ref.data, ref.len) == 0));
            TEST_CHECK(n == 0 || memcmp(pt[0], pt[1], n * sizeof(fp2)) == 0);
            for (int k = 0; k < 4; k++) TEST_CHECK(fp2_eq(fin[1][k], fin[0][k + 1]));
            zk_buf_free(&pf);
            /* the layer form: the same tables interleaved as the layer below */
            fp2 *LP = zk_malloc_n(2 * N, sizeof(fp2)), *LQ = zk_malloc_n(2 * N, sizeof(fp2)), *LT[4];
            for (size_t x = 0; x < N; x++) {
                LP[2 * x] = orig[0][x], LP[2 * x + 1] = orig[1][x];
                LQ[2 * x] = orig[2][x], LQ[2 * x + 1] = orig[3][x];
            }
            for (int k = 0; k < 4; k++) LT[k] = zk_malloc_n(N > 1 ? N / 2 : 1, sizeof(fp2));
            zk_buf_init(&pf);
            tr = tr_new_prover(PROTO, &pf);
            fp2 lpt[13], lfin[4];
            sc_frac_prove_layer(tr, lpt, lfin, LT, LP, LQ, r, n, lam, claim);
            tr_free(tr);
            TEST_CHECK(pf.len == ref.len && (n == 0 || memcmp(pf.data, ref.data, ref.len) == 0));
            for (int k = 0; k < 4; k++) TEST_CHECK(fp2_eq(lfin[k], fin[0][k + 1]));
            /* and the parent layer of LP, LQ is the sum's own layer: A D + B C, C D */
            fp2 *Ppar = zk_malloc_n(N, sizeof(fp2)), *Qpar = zk_malloc_n(N, sizeof(fp2));
            sc_frac_parent(Ppar, Qpar, LP, LQ, N);
            for (size_t x = 0; x < N; x++) {
                TEST_CHECK(fp2_eq(Ppar[x], fp2_add(fp2_mul(orig[0][x], orig[3][x]), fp2_mul(orig[1][x], orig[2][x]))));
                TEST_CHECK(fp2_eq(Qpar[x], fp2_mul(orig[2][x], orig[3][x])));
            }
            zk_buf_free(&pf);
            free(Ppar);
            free(Qpar);
            free(LP);
            free(LQ);
            for (int k = 0; k < 4; k++) free(LT[k]);
        }
        zk_threads_set(saved);
        tr_t *tv = tr_new_verifier(PROTO, ref.data, ref.len);
        fp2 red = claim;
        TEST_CHECK(sc_verify(tv, vpt, &red, 3, n) == ZK_OK && tr_finish(tv) == ZK_OK);
        vals[0] = mle_eq_eval(r, vpt, n);
        for (int k = 0; k < 4; k++) {
            vals[k + 1] = fin[1][k];
            if (n <= 7) TEST_CHECK(fp2_eq(fin[1][k], eval_brute(orig[k], n, vpt)));
        }
        TEST_CHECK(fp2_eq(red, vp_combine(t, 3, vals)));
        tr_free(tv);
        zk_buf_free(&ref);
        for (int k = 0; k < 4; k++) free(orig[k]);
        for (int k = 0; k < 5; k++) free(tab[k]);
    }
}

void test_sumcheck(zk_rng *rng) {
    test_vp(rng);
    test_vp_eq(rng);
    test_frac(rng);
    test_base_first_round(rng);
    test_interpolate(rng);
    test_rounds_deg(rng);
    test_honest(rng);
    test_malicious(rng);
    test_cheating(rng);
    test_threads(rng);
    test_kernels(rng);
    /* the tests of the provers again, with the portable kernels */
    test_portable_kernels(1);
    test_vp_eq(rng);
    test_frac(rng);
    test_base_first_round(rng);
    test_honest(rng);
    test_threads(rng);
    test_portable_kernels(0);
}
