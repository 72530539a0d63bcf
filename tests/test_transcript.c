/* test_transcript.c -- the Fiat-Shamir transcript: prover/verifier
 * agreement, sensitivity to every absorbed item, strict decoding,
 * challenge ranges, and a known answer recomputed independently with
 * OpenSSL's one-shot EVP_Digest over the framing documented in tr.h. */
#include <math.h>
#include <openssl/evp.h>
#include <string.h>

#include "../src/transcript/tr.h"
#include "test.h"

#define P FM61_P

/* ---- a scripted message sequence, run on both sides ------------------ */

enum { OP_ABSORB, OP_ABSORB_U64, OP_ABSORB_FM61, OP_ABSORB_FP2, OP_BYTES, OP_FM61, OP_FP2, OP_CHAL, OP_INDEX, OP_N };

typedef struct {
    int op;
    const char *label;
    size_t n;        /* items */
    uint8_t b[48];   /* byte data / u64 */
    fm61 f[4];
    fp2 e[3];
} step;

static const char *labels[] = {"a", "b", "sc/round", "", "layer/7/claim"};

static void random_step(zk_rng *rng, step *s) {
    memset(s, 0, sizeof *s);
    s->op = (int)(zk_rng_u64(rng) % OP_N);
    s->label = labels[zk_rng_u64(rng) % 5];
    s->n = zk_rng_u64(rng) % 4; /* zero-length items included */
    for (size_t i = 0; i < sizeof s->b; i++) s->b[i] = (uint8_t)zk_rng_u64(rng);
    for (int i = 0; i < 4; i++) s->f[i] = zk_rng_u64(rng) % P;
    for (int i = 0; i < 3; i++) s->e[i] = fp2_make(zk_rng_u64(rng) % P, zk_rng_u64(rng) % P);
}

/* Runs the script; challenges (fp2 as two words, indices as one) go to
 * `ch`. Returns the number of words written, or -1 if a get failed. */
static int run_script(tr_t *t, const step *sc, size_t nsteps, uint64_t *ch) {
    int nc = 0;
    int prover = tr_is_prover(t);
    for (size_t i = 0; i < nsteps; i++) {
        const step *s = &sc[i];
        switch (s->op) {
        case OP_ABSORB: tr_absorb(t, s->label, s->b, s->n * 7); break;
        case OP_ABSORB_U64: tr_absorb_u64(t, s->label, zk_load_le64(s->b)); break;
        case OP_ABSORB_FM61: tr_absorb_fm61(t, s->label, s->f, s->n); break;
        case OP_ABSORB_FP2: tr_absorb_fp2(t, s->label, s->e, s->n); break;
        case OP_BYTES:
            if (prover)
                tr_put_bytes(t, s->label, s->b, s->n * 5);
            else {
                uint8_t got[48];
                if (tr_get_bytes(t, s->label, got, s->n * 5) != ZK_OK || memcmp(got, s->b, s->n * 5) != 0) return -1;
            }
            break;
        case OP_FM61:
            if (prover)
                tr_put_fm61(t, s->label, s->f, s->n);
            else {
                fm61 got[4];
                if (tr_get_fm61(t, s->label, got, s->n) != ZK_OK || memcmp(got, s->f, s->n * sizeof *got) != 0)
                    return -1;
            }
            break;
        case OP_FP2:
            if (prover)
                tr_put_fp2(t, s->label, s->e, s->n);
            else {
                fp2 got[3];
                if (tr_get_fp2(t, s->label, got, s->n) != ZK_OK) return -1;
                for (size_t j = 0; j < s->n; j++)
                    if (!fp2_eq(got[j], s->e[j])) return -1;
            }
            break;
        case OP_CHAL: {
            fp2 c = tr_challenge(t, s->label);
            ch[nc++] = c.re;
            ch[nc++] = c.im;
            break;
        }
        case OP_INDEX: ch[nc++] = tr_challenge_index(t, s->label, 1 + zk_load_le64(s->b) % 1000); break;
        }
    }
    return nc;
}

/* The challenge after a script, on the prover side. */
static fp2 final_challenge(const step *sc, size_t nsteps) {
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *t = tr_new_prover("gkrcnn/test", &proof);
    uint64_t ch[64];
    (void)run_script(t, sc, nsteps, ch);
    fp2 c = tr_challenge(t, "final");
    tr_free(t);
    zk_buf_free(&proof);
    return c;
}

static void test_agreement(zk_rng *rng) {
    for (int it = 0; it < 200; it++) {
        step sc[20];
        size_t ns = 1 + zk_rng_u64(rng) % 20;
        for (size_t i = 0; i < ns; i++) random_step(rng, &sc[i]);
        uint64_t cp[64], cv[64];
        zk_buf proof;
        zk_buf_init(&proof);
        tr_t *p = tr_new_prover("gkrcnn/test", &proof);
        TEST_CHECK(tr_is_prover(p));
        int np = run_script(p, sc, ns, cp);
        fp2 fp = tr_challenge(p, "final");
        TEST_CHECK(tr_position(p) == proof.len);
        TEST_CHECK(tr_finish(p) == ZK_OK);

        tr_t *v = tr_new_verifier("gkrcnn/test", proof.data, proof.len);
        TEST_CHECK(!tr_is_prover(v));
        int nv = run_script(v, sc, ns, cv);
        fp2 fv = tr_challenge(v, "final");
        TEST_CHECK(np == nv && memcmp(cp, cv, (size_t)(np > 0 ? np : 0) * sizeof *cp) == 0);
        TEST_CHECK(fp2_eq(fp, fv));
        TEST_CHECK(tr_position(v) == proof.len);
        TEST_CHECK(tr_finish(v) == ZK_OK);
        tr_free(p);
        tr_free(v);

        /* a different protocol label changes everything */
        tr_t *w = tr_new_prover("gkrcnn/test2", &proof);
        (void)run_script(w, sc, ns, cv);
        TEST_CHECK(!fp2_eq(tr_challenge(w, "final"), fp));
        tr_free(w);
        zk_buf_free(&proof);
    }
    tr_free(NULL);
}

/* The bytes a step feeds the hash, as far as they matter for ordering:
 * squeezes by label, everything else by its framed item. */
static void step_bytes(zk_buf *out, const step *s) {
    static const uint8_t tag[OP_N] = {1, 1, 1, 1, 2, 2, 2, 3, 3};
    size_t len = 0;
    uint8_t d[64];
    switch (s->op) {
    case OP_ABSORB: len = s->n * 7; memcpy(d, s->b, len); break;
    case OP_ABSORB_U64: len = 8; memcpy(d, s->b, 8); break;
    case OP_ABSORB_FM61: case OP_FM61:
        len = 8 * s->n;
        for (size_t i = 0; i < s->n; i++) fm61_encode(d + 8 * i, s->f[i]);
        break;
    case OP_ABSORB_FP2: case OP_FP2:
        len = 16 * s->n;
        for (size_t i = 0; i < s->n && i < 3; i++) fp2_encode(d + 16 * i, s->e[i]);
        break;
    case OP_BYTES: len = s->n * 5; memcpy(d, s->b, len); break;
    default: break;
    }
    zk_buf_put(out, &tag[s->op], 1);
    zk_buf_put(out, s->label, strlen(s->label) + 1);
    zk_buf_put_u64(out, len);
    zk_buf_put(out, d, len);
}

static int same_effect(const step *a, const step *b) {
    zk_buf x, y;
    zk_buf_init(&x);
    zk_buf_init(&y);
    step_bytes(&x, a);
    step_bytes(&y, b);
    int same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    zk_buf_free(&x);
    zk_buf_free(&y);
    return same;
}

/* Any change in label, data, order, or an extra item changes the final
 * challenge. */
static void test_sensitivity(zk_rng *rng) {
    for (int it = 0; it < 100; it++) {
        step sc[12], mod[13];
        size_t ns = 2 + zk_rng_u64(rng) % 10;
        for (size_t i = 0; i < ns; i++) random_step(rng, &sc[i]);
        fp2 base = final_challenge(sc, ns);
        size_t k = zk_rng_u64(rng) % ns;

        /* label */
        memcpy(mod, sc, sizeof sc);
        mod[k].label = mod[k].label[0] == 'a' ? "b" : "a";
        TEST_CHECK(!fp2_eq(final_challenge(mod, ns), base));
        /* data: one more item if there was none, else one changed value
         * (challenge steps carry no data; an index bound is not absorbed) */
        memcpy(mod, sc, sizeof sc);
        if (mod[k].op != OP_CHAL && mod[k].op != OP_INDEX) {
            if (mod[k].n == 0 && mod[k].op != OP_ABSORB_U64)
                mod[k].n = 1;
            else {
                mod[k].b[0] ^= 1;
                mod[k].f[0] = fm61_add(mod[k].f[0], 1);
                mod[k].e[0].im = fm61_add(mod[k].e[0].im, 1);
            }
            TEST_CHECK(!fp2_eq(final_challenge(mod, ns), base));
        }
        /* order: swap two steps whose absorbed bytes differ */
        size_t k2 = (k + 1) % ns;
        memcpy(mod, sc, sizeof sc);
        step tmp = mod[k];
        mod[k] = mod[k2];
        mod[k2] = tmp;
        if (!same_effect(&sc[k], &sc[k2])) TEST_CHECK(!fp2_eq(final_challenge(mod, ns), base));
        /* an extra item (even an empty one) inserted at k */
        memcpy(mod, sc, k * sizeof *sc);
        memcpy(mod + k + 1, sc + k, (ns - k) * sizeof *sc);
        memset(&mod[k], 0, sizeof mod[k]);
        mod[k].op = OP_ABSORB;
        mod[k].label = "";
        TEST_CHECK(!fp2_eq(final_challenge(mod, ns + 1), base));
        /* an extra squeeze */
        mod[k].op = OP_CHAL;
        TEST_CHECK(!fp2_eq(final_challenge(mod, ns + 1), base));
    }

    /* framing: the same bytes split differently, or moved between label and
     * data, or sent as public vs message, hash differently */
    zk_buf b1, b2;
    zk_buf_init(&b1);
    zk_buf_init(&b2);
    tr_t *t1 = tr_new_prover("x", &b1), *t2 = tr_new_prover("x", &b2);
    tr_absorb(t1, "l", "abc", 3);
    tr_absorb(t2, "l", "ab", 2);
    tr_absorb(t2, "l", "c", 1);
    TEST_CHECK(!fp2_eq(tr_challenge(t1, "c"), tr_challenge(t2, "c")));
    tr_free(t1);
    tr_free(t2);
    t1 = tr_new_prover("x", &b1);
    t2 = tr_new_prover("x", &b2);
    tr_absorb(t1, "ab", "c", 1);
    tr_absorb(t2, "a", "bc", 2);
    TEST_CHECK(!fp2_eq(tr_challenge(t1, "c"), tr_challenge(t2, "c")));
    tr_free(t1);
    tr_free(t2);
    t1 = tr_new_prover("x", &b1);
    t2 = tr_new_prover("x", &b2);
    tr_absorb(t1, "m", "abc", 3);
    tr_put_bytes(t2, "m", (const uint8_t *)"abc", 3);
    TEST_CHECK(!fp2_eq(tr_challenge(t1, "c"), tr_challenge(t2, "c")));
    tr_free(t1);
    tr_free(t2);
    /* the challenge label matters, and successive challenges differ */
    t1 = tr_new_prover("x", &b1);
    t2 = tr_new_prover("x", &b2);
    fp2 c1 = tr_challenge(t1, "r"), c2 = tr_challenge(t2, "s");
    TEST_CHECK(!fp2_eq(c1, c2));
    TEST_CHECK(!fp2_eq(c1, tr_challenge(t1, "r")));
    tr_free(t1);
    tr_free(t2);
    zk_buf_free(&b1);
    zk_buf_free(&b2);
}

/* tr_get_* on truncated or non-canonical input: ZK_EFORMAT, nothing read,
 * nothing absorbed (later challenges equal those of an untouched twin). */
static void test_strict_reads(void) {
    fm61 f[3] = {1, P - 1, 5};
    fp2 e[2] = {fp2_make(3, 4), fp2_make(P - 1, 0)};
    uint8_t raw[5] = {9, 8, 7, 6, 5};
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *p = tr_new_prover("strict", &proof);
    tr_put_bytes(p, "b", raw, 5);
    tr_put_fm61(p, "f", f, 3);
    tr_put_fp2(p, "e", e, 2);
    fp2 want = tr_challenge(p, "c");
    tr_free(p);
    TEST_CHECK(proof.len == 5 + 24 + 32);

    /* every truncation of the proof */
    for (size_t cut = 0; cut < proof.len; cut++) {
        tr_t *v = tr_new_verifier("strict", proof.data, cut);
        tr_t *twin = tr_new_verifier("strict", proof.data, proof.len);
        uint8_t gb[5];
        fm61 gf[3];
        fp2 ge[2];
        zk_err err = tr_get_bytes(v, "b", gb, 5);
        int failed = err != ZK_OK;
        if (!failed) {
            TEST_CHECK(tr_get_bytes(twin, "b", gb, 5) == ZK_OK);
            err = tr_get_fm61(v, "f", gf, 3);
            failed = err != ZK_OK;
            if (!failed) {
                TEST_CHECK(tr_get_fm61(twin, "f", gf, 3) == ZK_OK);
                err = tr_get_fp2(v, "e", ge, 2);
                failed = err != ZK_OK;
            }
        }
        TEST_CHECK(failed && err == ZK_EFORMAT);
        size_t pos = tr_position(v);
        TEST_CHECK(pos == tr_position(twin) && pos <= cut);
        TEST_CHECK(fp2_eq(tr_challenge(v, "c2"), tr_challenge(twin, "c2")));
        tr_free(v);
        tr_free(twin);
    }

    /* the full proof verifies; a trailing byte is rejected by tr_finish */
    for (int extra = 0; extra <= 1; extra++) {
        zk_buf pr;
        zk_buf_init(&pr);
        zk_buf_put(&pr, proof.data, proof.len);
        if (extra) zk_buf_put(&pr, "\0", 1);
        tr_t *v = tr_new_verifier("strict", pr.data, pr.len);
        uint8_t gb[5];
        fm61 gf[3];
        fp2 ge[2];
        TEST_CHECK(tr_get_bytes(v, "b", gb, 5) == ZK_OK && memcmp(gb, raw, 5) == 0);
        TEST_CHECK(tr_get_fm61(v, "f", gf, 3) == ZK_OK && gf[1] == P - 1);
        TEST_CHECK(tr_get_fp2(v, "e", ge, 2) == ZK_OK && fp2_eq(ge[1], e[1]));
        TEST_CHECK(fp2_eq(tr_challenge(v, "c"), want));
        TEST_CHECK(tr_finish(v) == (extra ? ZK_EFORMAT : ZK_OK));
        tr_free(v);
        zk_buf_free(&pr);
    }

    /* non-canonical words at each position of the fm61 and fp2 arrays */
    const uint64_t bad[] = {P, 1ULL << 61, UINT64_MAX};
    for (size_t w = 0; w < 3 + 4; w++)
        for (size_t b = 0; b < 3; b++) {
            zk_buf pr;
            zk_buf_init(&pr);
            zk_buf_put(&pr, proof.data, proof.len);
            zk_store_le64(pr.data + 5 + 8 * w, bad[b]);
            tr_t *v = tr_new_verifier("strict", pr.data, pr.len);
            tr_t *twin = tr_new_verifier("strict", pr.data, pr.len);
            uint8_t gb[5];
            fm61 gf[3];
            fp2 ge[2];
            TEST_CHECK(tr_get_bytes(v, "b", gb, 5) == ZK_OK && tr_get_bytes(twin, "b", gb, 5) == ZK_OK);
            if (w < 3) {
                TEST_CHECK(tr_get_fm61(v, "f", gf, 3) == ZK_EFORMAT);
            } else {
                TEST_CHECK(tr_get_fm61(v, "f", gf, 3) == ZK_OK && tr_get_fm61(twin, "f", gf, 3) == ZK_OK);
                TEST_CHECK(tr_get_fp2(v, "e", ge, 2) == ZK_EFORMAT);
            }
            TEST_CHECK(tr_position(v) == tr_position(twin));
            TEST_CHECK(fp2_eq(tr_challenge(v, "c2"), tr_challenge(twin, "c2")));
            tr_free(v);
            tr_free(twin);
            zk_buf_free(&pr);
        }
    zk_buf_free(&proof);

    /* a count whose byte size would overflow is a truncation, not a crash */
    tr_t *v = tr_new_verifier("strict", (const uint8_t *)"", 0);
    fm61 one;
    fp2 onee;
    uint8_t onebuf[1];
    TEST_CHECK(tr_get_fm61(v, "f", &one, SIZE_MAX / 4) == ZK_EFORMAT);
    TEST_CHECK(tr_get_fp2(v, "e", &onee, SIZE_MAX / 8) == ZK_EFORMAT);
    TEST_CHECK(tr_get_bytes(v, "b", onebuf, 0) == ZK_OK);
    TEST_CHECK(tr_finish(v) == ZK_OK);
    tr_free(v);
}

static void test_challenges(void) {
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *t = tr_new_prover("chal", &proof);
    /* canonical, and tr_challenges(n) = n successive tr_challenge calls */
    enum { N = 2000 };
    fp2 *a = zk_malloc_n(N, sizeof *a);
    tr_challenges(t, "r", a, N);
    tr_t *u = tr_new_prover("chal", &proof);
    int distinct_ok = 1;
    for (size_t i = 0; i < N; i++) {
        TEST_CHECK(fm61_is_canonical(a[i].re) && fm61_is_canonical(a[i].im));
        TEST_CHECK(fp2_eq(a[i], tr_challenge(u, "r")));
        if (i && fp2_eq(a[i], a[i - 1])) distinct_ok = 0;
    }
    TEST_CHECK(distinct_ok);
    free(a);
    tr_free(u);

    /* tr_challenge_index: range and uniformity. Chi-square with 15 degrees
     * of freedom (mean 15, sd sqrt(30) ~ 5.5); the bound 15 + 10 sd = 70 is
     * never crossed by chance in practice. */
    enum { BINS = 16, DRAWS = 16000 };
    long cnt[BINS] = {0};
    for (int i = 0; i < DRAWS; i++) {
        uint64_t x = tr_challenge_index(t, "q", BINS);
        TEST_REQUIRE(x < BINS);
        cnt[x]++;
    }
    double chi = 0, expct = (double)DRAWS / BINS;
    for (int i = 0; i < BINS; i++) chi += (cnt[i] - expct) * (cnt[i] - expct) / expct;
    TEST_CHECK(chi < 15 + 10 * sqrt(30.0));

    /* bound 3 * 2^62: rejection sampling must keep the three quarters of
     * [0, bound) equally likely (a plain v % bound would put half of the
     * mass on the first third). 2 degrees of freedom: bound 2 + 10 * 2. */
    const uint64_t b3 = 3ULL << 62;
    long c3[3] = {0};
    for (int i = 0; i < 6000; i++) {
        uint64_t x = tr_challenge_index(t, "q3", b3);
        TEST_REQUIRE(x < b3);
        c3[x >> 62]++;
    }
    double chi3 = 0;
    for (int i = 0; i < 3; i++) chi3 += (c3[i] - 2000.0) * (c3[i] - 2000.0) / 2000.0;
    TEST_CHECK(chi3 < 2 + 10 * 2);

    /* edge bounds */
    const uint64_t bounds[] = {1, 2, 3, 1000003, (1ULL << 63) + 1, UINT64_MAX - 1, UINT64_MAX};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        for (int j = 0; j < 200; j++) {
            uint64_t x = tr_challenge_index(t, "e", bounds[i]);
            TEST_CHECK(x < bounds[i]);
        }
    tr_free(t);
    zk_buf_free(&proof);
}

/* ---- known answer ------------------------------------------------------ */

/* Framing from tr.h: tag || le64(len(label)) || label || le64(len(data)) || data,
 * tags: public 1, message 2, squeeze 3, digest 4. */
static void frame(zk_buf *b, uint8_t tag, const char *label, const void *data, size_t len) {
    zk_buf_put(b, &tag, 1);
    zk_buf_put_u64(b, strlen(label));
    zk_buf_put(b, label, strlen(label));
    zk_buf_put_u64(b, len);
    zk_buf_put(b, data, len);
}

/* The fixed sequence of the known-answer test:
 *   tr_new_prover("gkrcnn/kat")  (absorbs "protocol")
 *   tr_absorb("pub", "abc")
 *   tr_put_fp2("msg", {(1, 2), (p-1, 0)})
 *   tr_challenge("r")  -> KAT0
 *   tr_challenge("r")  -> KAT1
 * Squeeze j hashes state || frame(3, label, le64(j)); the 32-byte digest d
 * is then absorbed as frame(4, label, d). A challenge is
 * (le64(d[0..8]) & p, le64(d[8..16]) & p). The values below were
 * computed with tr.c and confirmed by this file's one-shot EVP_Digest
 * recomputation and by a separate Python hashlib script. */
static const fp2 KAT0 = {0x1f86fc9780c10e7bULL, 0x1e99233debdccee3ULL};
static const fp2 KAT1 = {0x1f6854e1090b51e5ULL, 0x05ef9c0ae2d4dbaeULL};

static fp2 kat_from_digest(const uint8_t d[32]) {
    return fp2_make(zk_load_le64(d) & P, zk_load_le64(d + 8) & P);
}

static void test_kat(void) {
    const fp2 msg[2] = {fp2_make(1, 2), fp2_make(P - 1, 0)};
    /* through tr.c */
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *t = tr_new_prover("gkrcnn/kat", &proof);
    tr_absorb(t, "pub", "abc", 3);
    tr_put_fp2(t, "msg", msg, 2);
    fp2 c0 = tr_challenge(t, "r"), c1 = tr_challenge(t, "r");
    tr_free(t);

    /* independently: one-shot SHA-256 over the framed byte string */
    zk_buf s;
    zk_buf_init(&s);
    frame(&s, 1, "protocol", "gkrcnn/kat", 10);
    frame(&s, 1, "pub", "abc", 3);
    uint8_t enc[32];
    fp2_encode(enc, msg[0]);
    fp2_encode(enc + 16, msg[1]);
    frame(&s, 2, "msg", enc, 32);
    size_t state_len = s.len;
    uint8_t ctr[8], d0[32], d1[32];
    unsigned int dl = 0;
    zk_store_le64(ctr, 0);
    frame(&s, 3, "r", ctr, 8);
    TEST_REQUIRE(EVP_Digest(s.data, s.len, d0, &dl, EVP_sha256(), NULL) == 1 && dl == 32);
    s.len = state_len; /* the squeeze frame is not part of the state */
    frame(&s, 4, "r", d0, 32);
    zk_store_le64(ctr, 1);
    frame(&s, 3, "r", ctr, 8);
    TEST_REQUIRE(EVP_Digest(s.data, s.len, d1, &dl, EVP_sha256(), NULL) == 1 && dl == 32);
    fp2 i0 = kat_from_digest(d0), i1 = kat_from_digest(d1);
    zk_buf_free(&s);

    if (!fp2_eq(c0, KAT0) || !fp2_eq(c1, KAT1))
        fprintf(stderr, "transcript KAT: got {0x%016llxULL, 0x%016llxULL} {0x%016llxULL, 0x%016llxULL}\n",
                (unsigned long long)c0.re, (unsigned long long)c0.im, (unsigned long long)c1.re,
                (unsigned long long)c1.im);
    TEST_CHECK(fp2_eq(c0, i0) && fp2_eq(c1, i1));
    TEST_CHECK(fp2_eq(c0, KAT0));
    TEST_CHECK(fp2_eq(c1, KAT1));
    TEST_CHECK(fp2_eq(i0, KAT0));
    TEST_CHECK(fp2_eq(i1, KAT1));
    /* the proof is exactly the message bytes */
    TEST_CHECK(proof.len == 32 && memcmp(proof.data, enc, 32) == 0);
    zk_buf_free(&proof);
}

/* The check values printed in papers/protocol.md sec. 1 and 2 (a reader
 * implementing the transcript from the document compares with them): a
 * change here must change the document too. */
static void test_doc_values(void) {
    tr_t *t = tr_new_verifier("gkrcnn/gkr/v2", NULL, 0);
    const uint8_t zero[32] = {0};
    tr_absorb(t, "gkr/circuit", zero, sizeof zero);
    fp2 a = tr_challenge(t, "gkr/r0"), b = tr_challenge(t, "gkr/r0");
    uint64_t i = tr_challenge_index(t, "pcs/query", 1000);
    tr_free(t);
    TEST_CHECK(fp2_eq(a, fp2_make(596976451856384173ULL, 2114489614725482455ULL)));
    TEST_CHECK(fp2_eq(b, fp2_make(2137021163921445325ULL, 694131363524170562ULL)));
    TEST_CHECK(i == 463);
    TEST_CHECK(fp2_eq(fp2_root_of_unity(1), fp2_make(P - 1, 0)));
    TEST_CHECK(fp2_eq(fp2_root_of_unity(2), fp2_make(0, 1)));
    TEST_CHECK(fp2_eq(fp2_root_of_unity(10), fp2_make(881833364629757187ULL, 822376094228679207ULL)));
}

void test_transcript(zk_rng *rng) {
    test_kat();
    test_doc_values();
    test_agreement(rng);
    test_sensitivity(rng);
    test_strict_reads();
    test_challenges();
}
