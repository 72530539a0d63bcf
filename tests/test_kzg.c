/* test_kzg.c -- KZG commitments over BN254 (src/plonkish/kzg.h): the SRS
 * is consistent (pairing checks between consecutive powers), honest
 * openings verify, wrong values, wrong proofs, wrong points and wrong
 * commitments are rejected, batch openings, the SRS file round-trips and
 * corrupted files are refused. */
#include <string.h>

#include "../src/plonkish/kzg.h"
#include "test.h"

static int aff_eq(const bn_g1_aff *a, const bn_g1_aff *b) {
    return a->inf == b->inf && (a->inf || (bn_fq_eq(&a->x, &b->x) && bn_fq_eq(&a->y, &b->y)));
}

static void rand_fr(bn_fr *o, zk_rng *rng) {
    uint64_t v[4] = {zk_rng_u64(rng), zk_rng_u64(rng), zk_rng_u64(rng), zk_rng_u64(rng) >> 4};
    TEST_CHECK(bn_fr_from_limbs(o, v));
}

void test_kzg(zk_rng *rng) {
    size_t n = 64;
    bn_kzg_srs *s = bn_kzg_srs_gen(n, 42);
    /* e([tau^i]_1, [1]_2) == e([tau^(i-1)]_1, [tau]_2) */
    for (size_t i = 1; i < n; i += 21) {
        bn_g1_aff P[2] = {s->g1[i], s->g1[i - 1]};
        bn_g1 t;
        bn_g1_from_aff(&t, &P[1]);
        bn_g1_neg(&t, &t);
        bn_g1_to_aff(&P[1], &t);
        TEST_CHECK(bn_pairing_check(P, s->g2, 2));
    }
    bn_g1 g;
    bn_g1_generator(&g);
    bn_g1_aff ga;
    bn_g1_to_aff(&ga, &g);
    TEST_CHECK(aff_eq(&s->g1[0], &ga));
    /* the same seed gives the same SRS; another seed another */
    bn_kzg_srs *s2 = bn_kzg_srs_gen(4, 42), *s3 = bn_kzg_srs_gen(4, 43);
    TEST_CHECK(aff_eq(&s2->g1[3], &s->g1[3]) && !aff_eq(&s3->g1[3], &s->g1[3]));
    bn_kzg_srs_free(s2);
    bn_kzg_srs_free(s3);
    for (int it = 0; it < 6; it++) {
        size_t m = it == 0 ? 1 : 1 + zk_rng_u64(rng) % n;
        bn_fr p[64], z, v, bad, one;
        for (size_t i = 0; i < m; i++) rand_fr(&p[i], rng);
        rand_fr(&z, rng);
        bn_fr_one(&one);
        bn_g1_aff c, w;
        bn_kzg_commit(&c, s, p, m);
        bn_kzg_open(&w, &v, s, p, m, &z);
        bn_fr ev;
        bn_kzg_eval(&ev, p, m, &z);
        TEST_CHECK(bn_fr_eq(&ev, &v));
        TEST_CHECK(bn_kzg_verify(s, &c, &z, &v, &w));
        bn_fr_add(&bad, &v, &one);
        TEST_CHECK(!bn_kzg_verify(s, &c, &z, &bad, &w));
        bn_fr_add(&bad, &z, &one); /* another point: p(z+1) != p(z) unless p is constant */
        if (m > 1) TEST_CHECK(!bn_kzg_verify(s, &c, &bad, &v, &w));
        bn_g1 t;
        bn_g1_from_aff(&t, &w);
        bn_g1_add(&t, &t, &g);
        bn_g1_aff w2;
        bn_g1_to_aff(&w2, &t);
        TEST_CHECK(!bn_kzg_verify(s, &c, &z, &v, &w2));
        TEST_CHECK(!bn_kzg_verify(s, &w2, &z, &v, &w));
        /* a different polynomial with the same value at z needs a different proof */
        bn_fr_add(&p[0], &p[0], &one);
        bn_g1_aff c2;
        bn_kzg_commit(&c2, s, p, m);
        TEST_CHECK(!bn_kzg_verify(s, &c2, &z, &v, &w));
    }
    /* batch */
    {
        bn_fr a[10], b[7], cc[3], z, gam, vals[3];
        for (int i = 0; i < 10; i++) rand_fr(&a[i], rng);
        for (int i = 0; i < 7; i++) rand_fr(&b[i], rng);
        for (int i = 0; i < 3; i++) rand_fr(&cc[i], rng);
        rand_fr(&z, rng);
        rand_fr(&gam, rng);
        const bn_fr *polys[3] = {a, b, cc};
        size_t lens[3] = {10, 7, 3};
        bn_g1_aff cs[3], w;
        for (int j = 0; j < 3; j++) bn_kzg_commit(&cs[j], s, polys[j], lens[j]);
        bn_kzg_open_batch(&w, vals, s, polys, lens, 3, &z, &gam);
        TEST_CHECK(bn_kzg_verify_batch(s, cs, vals, 3, &z, &gam, &w));
        bn_fr one;
        bn_fr_one(&one);
        bn_fr_add(&vals[1], &vals[1], &one);
        TEST_CHECK(!bn_kzg_verify_batch(s, cs, vals, 3, &z, &gam, &w));
        bn_fr_sub(&vals[1], &vals[1], &one);
        bn_g1_aff t = cs[0];
        cs[0] = cs[2];
        cs[2] = t;
        TEST_CHECK(!bn_kzg_verify_batch(s, cs, vals, 3, &z, &gam, &w));
    }
    /* file */
    zk_buf b;
    zk_buf_init(&b);
    bn_kzg_srs_serialize(&b, s);
    bn_kzg_srs *r = NULL;
    TEST_CHECK(bn_kzg_srs_deserialize(&r, b.data, b.len) == ZK_OK);
    int same = r && r->n == n && bn_g2_aff_eq(&r->g2[1], &s->g2[1]);
    for (size_t i = 0; i < n && same; i++) same = aff_eq(&r->g1[i], &s->g1[i]);
    TEST_CHECK(same);
    bn_kzg_srs_free(r);
    r = NULL;
    TEST_CHECK(bn_kzg_srs_deserialize(&r, b.data, b.len - 1) == ZK_EFORMAT);
    b.data[10 + 8 + 64 * 5 + 63] ^= 1; /* a G1 point off the curve */
    TEST_CHECK(bn_kzg_srs_deserialize(&r, b.data, b.len) == ZK_EFORMAT);
    b.data[10 + 8 + 64 * 5 + 63] ^= 1;
    b.data[b.len - 1] ^= 1; /* [tau]_2 broken */
    TEST_CHECK(bn_kzg_srs_deserialize(&r, b.data, b.len) == ZK_EFORMAT);
    zk_buf_free(&b);
    bn_kzg_srs_free(s);
}
