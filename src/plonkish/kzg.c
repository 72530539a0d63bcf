#include "kzg.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#define KZG_MAGIC "GKRCNNSRS1"
#define KZG_COMB_BITS 8
#define KZG_COMB_WIN (256 / KZG_COMB_BITS)

/* tau = SHA-256("gkrcnn/kzg/insecure-srs" || seed) as an integer < 2^253 < r */
static void kzg_tau(bn_fr *tau, uint64_t seed) {
    uint8_t buf[64], h[32];
    static const char lab[] = "gkrcnn/kzg/insecure-srs";
    size_t n = sizeof lab - 1;
    memcpy(buf, lab, n);
    for (int i = 0; i < 8; i++) buf[n + (size_t)i] = (uint8_t)(seed >> (8 * i));
    SHA256(buf, n + 8, h);
    uint64_t v[4];
    for (int i = 0; i < 4; i++) v[i] = zk_load_le64(h + 8 * i);
    v[3] &= ((uint64_t)1 << 61) - 1;
    ZK_CHECK(bn_fr_from_limbs(tau, v));
}

bn_kzg_srs *bn_kzg_srs_gen(size_t n, uint64_t seed) {
    ZK_CHECK(n >= 1);
    bn_fr tau;
    kzg_tau(&tau, seed);
    /* comb table: T[w][d] = d * 2^(8w) * G, d < 256 */
    size_t tn = (size_t)KZG_COMB_WIN << KZG_COMB_BITS;
    bn_g1 *tj = zk_malloc_n(tn, sizeof *tj);
    bn_g1 base;
    bn_g1_generator(&base);
    for (size_t w = 0; w < KZG_COMB_WIN; w++) {
        bn_g1 *row = tj + (w << KZG_COMB_BITS);
        bn_g1_set_inf(&row[0]);
        for (size_t d = 1; d < ((size_t)1 << KZG_COMB_BITS); d++) bn_g1_add(&row[d], &row[d - 1], &base);
        for (int k = 0; k < KZG_COMB_BITS; k++) bn_g1_dbl(&base, &base);
    }
    bn_g1_aff *T = zk_malloc_n(tn, sizeof *T);
    bn_g1_batch_to_aff(T, tj, tn);
    free(tj);
    bn_fr *pw = zk_malloc_n(n, sizeof *pw);
    bn_fr_one(&pw[0]);
    for (size_t i = 1; i < n; i++) bn_fr_mul(&pw[i], &pw[i - 1], &tau);
    bn_g1 *pj = zk_malloc_n(n, sizeof *pj);
#pragma omp parallel for schedule(static) if (n >= 256)
    for (size_t i = 0; i < n; i++) {
        uint64_t v[4];
        bn_fr_to_limbs(v, &pw[i]);
        bn_g1 acc;
        bn_g1_set_inf(&acc);
        for (size_t w = 0; w < KZG_COMB_WIN; w++) {
            unsigned d = (unsigned)(v[w / 8] >> (8 * (w % 8))) & 0xff;
            if (d) bn_g1_add_aff(&acc, &acc, &T[(w << KZG_COMB_BITS) + d]);
        }
        pj[i] = acc;
    }
    bn_kzg_srs *s = zk_calloc(1, sizeof *s);
    s->n = n;
    s->g1 = zk_malloc_n(n, sizeof *s->g1);
    bn_g1_batch_to_aff(s->g1, pj, n);
    bn_g2 g2, t2;
    bn_g2_generator(&g2);
    bn_g2_mul(&t2, &g2, &tau);
    bn_g2_to_aff(&s->g2[0], &g2);
    bn_g2_to_aff(&s->g2[1], &t2);
    free(pj);
    free(pw);
    free(T);
    return s;
}

void bn_kzg_srs_free(bn_kzg_srs *s) {
    if (!s) return;
    free(s->g1);
    free(s);
}

void bn_kzg_srs_serialize(zk_buf *out, const bn_kzg_srs *s) {
    zk_buf_put(out, KZG_MAGIC, 10);
    zk_buf_put_u64(out, s->n);
    uint8_t b[128];
    for (size_t i = 0; i < s->n; i++) {
        bn_g1_to_bytes(b, &s->g1[i]);
        zk_buf_put(out, b, 64);
    }
    for (int j = 0; j < 2; j++) {
        bn_g2_to_bytes(b, &s->g2[j]);
        zk_buf_put(out, b, 128);
    }
}

zk_err bn_kzg_srs_deserialize(bn_kzg_srs **out, const uint8_t *data, size_t len) {
    zk_rd r;
    zk_rd_init(&r, data, len);
    char mg[10];
    uint64_t n;
    if (zk_rd_get(&r, mg, 10) != ZK_OK || memcmp(mg, KZG_MAGIC, 10) != 0 || zk_rd_u64(&r, &n) != ZK_OK) {
        zk_set_reason("not a gkrcnn SRS file");
        return ZK_EFORMAT;
    }
    if (n < 1 || n > zk_rd_left(&r) / 64 || zk_rd_left(&r) != n * 64 + 256) {
        zk_set_reason("SRS file truncated or has trailing bytes");
        return ZK_EFORMAT;
    }
    bn_kzg_srs *s = zk_calloc(1, sizeof *s);
    s->n = (size_t)n;
    s->g1 = zk_malloc_n(s->n, sizeof *s->g1);
    zk_err e = ZK_OK;
    for (size_t i = 0; i < s->n && e == ZK_OK; i++) e = bn_g1_from_bytes(&s->g1[i], data + r.pos + 64 * i);
    for (int j = 0; j < 2 && e == ZK_OK; j++) e = bn_g2_from_bytes(&s->g2[j], data + r.pos + 64 * s->n + 128 * (size_t)j);
    if (e) {
        zk_set_reason("SRS file: a point is not a valid group element");
        bn_kzg_srs_free(s);
        return ZK_EFORMAT;
    }
    *out = s;
    return ZK_OK;
}

void bn_kzg_commit(bn_g1_aff *c, const bn_kzg_srs *s, const bn_fr *p, size_t m) {
    ZK_CHECK(m <= s->n);
    bn_g1 acc;
    bn_g1_msm(&acc, s->g1, p, m);
    bn_g1_to_aff(c, &acc);
}

void bn_kzg_eval(bn_fr *v, const bn_fr *p, size_t m, const bn_fr *z) {
    bn_fr acc;
    bn_fr_zero(&acc);
    for (size_t i = m; i-- > 0;) {
        bn_fr_mul(&acc, &acc, z);
        bn_fr_add(&acc, &acc, &p[i]);
    }
    *v = acc;
}

void bn_kzg_open(bn_g1_aff *w, bn_fr *v, const bn_kzg_srs *s, const bn_fr *p, size_t m, const bn_fr *z) {
    /* synthetic division: q_{i-1} = p_i + z q_i, remainder p(z) */
    bn_fr *q = zk_calloc(m ? m : 1, sizeof *q), acc;
    bn_fr_zero(&acc);
    for (size_t i = m; i-- > 0;) {
        bn_fr_mul(&acc, &acc, z);
        bn_fr_add(&acc, &acc, &p[i]);
        if (i) q[i - 1] = acc;
    }
    *v = acc;
    bn_kzg_commit(w, s, q, m ? m - 1 : 0);
    free(q);
}

int bn_kzg_verify(const bn_kzg_srs *s, const bn_g1_aff *c, const bn_fr *z, const bn_fr *v, const bn_g1_aff *w) {
    /* e(C - [v]G + [z]W, [1]_2) * e(-W, [tau]_2) == 1 */
    bn_g1 g, t, L, W;
    bn_g1_generator(&g);
    bn_g1_mul(&t, &g, v);
    bn_g1_neg(&t, &t);
    bn_g1_from_aff(&L, c);
    bn_g1_add(&L, &L, &t);
    bn_g1_from_aff(&W, w);
    bn_g1_mul(&t, &W, z);
    bn_g1_add(&L, &L, &t);
    bn_g1_neg(&W, &W);
    bn_g1_aff P[2];
    bn_g1_to_aff(&P[0], &L);
    bn_g1_to_aff(&P[1], &W);
    return bn_pairing_check(P, s->g2, 2);
}

void bn_kzg_open_batch(bn_g1_aff *w, bn_fr *vals, const bn_kzg_srs *s, const bn_fr *const *polys, const size_t *lens,
                       size_t k, const bn_fr *z, const bn_fr *gamma) {
    size_t m = 0;
    for (size_t j = 0; j < k; j++) m = lens[j] > m ? lens[j] : m;
    bn_fr *comb = zk_calloc(m ? m : 1, sizeof *comb), g, t, v;
    bn_fr_one(&g);
    for (size_t j = 0; j < k; j++) {
        bn_kzg_eval(&vals[j], polys[j], lens[j], z);
        for (size_t i = 0; i < lens[j]; i++) {
            bn_fr_mul(&t, &polys[j][i], &g);
            bn_fr_add(&comb[i], &comb[i], &t);
        }
        bn_fr_mul(&g, &g, gamma);
    }
    bn_kzg_open(w, &v, s, comb, m, z);
    free(comb);
}

int bn_kzg_verify_batch(const bn_kzg_srs *s, const bn_g1_aff *cs, const bn_fr *vals, size_t k, const bn_fr *z,
                        const bn_fr *gamma, const bn_g1_aff *w) {
    bn_fr g, v, t;
    bn_fr_one(&g);
    bn_fr_zero(&v);
    bn_fr *gs = zk_malloc_n(k ? k : 1, sizeof *gs);
    for (size_t j = 0; j < k; j++) {
        gs[j] = g;
        bn_fr_mul(&t, &vals[j], &g);
        bn_fr_add(&v, &v, &t);
        bn_fr_mul(&g, &g, gamma);
    }
    bn_g1 C;
    bn_g1_msm(&C, cs, gs, k);
    bn_g1_aff Ca;
    bn_g1_to_aff(&Ca, &C);
    free(gs);
    return bn_kzg_verify(s, &Ca, z, &v, w);
}
