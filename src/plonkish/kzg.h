/* kzg.h -- KZG polynomial commitments over BN254 (Kate, Zaverucha,
 * Goldberg, ASIACRYPT 2010) for the Plonkish baseline (issue 5).
 *
 * SRS: [tau^i]_1 for i < n and [1]_2, [tau]_2. bn_kzg_srs_gen derives tau
 * from a seed with SHA-256: the toxic value is known to anyone with the
 * seed, so this SRS is INSECURE and exists only to benchmark the baseline
 * on equal terms (a real deployment uses a ceremony's SRS).
 *
 *   commit(p)       C = sum_i p_i [tau^i]_1                    (one MSM)
 *   open(p, z)      v = p(z),  W = commit((p(X) - v) / (X - z))
 *   verify          e(C - [v]_1 + z W, [1]_2) = e(W, [tau]_2),
 *                   checked as one product of two pairings.
 * Batch opening of k polynomials at one point z with a verifier challenge
 * gamma: the prover opens sum_j gamma^j p_j; the verifier combines the
 * commitments and values with the same powers (one opening, one check).
 *
 * Polynomials are coefficient arrays (lowest degree first) in F_r.
 * Prefix bn_kzg_.
 */
#ifndef GKRCNN_BN254_KZG_H
#define GKRCNN_BN254_KZG_H

#include "pairing.h"

typedef struct {
    size_t n;          /* powers in G1 */
    bn_g1_aff *g1;     /* [tau^i]_1, i < n (owned) */
    bn_g2_aff g2[2];   /* [1]_2, [tau]_2 */
} bn_kzg_srs;

/* INSECURE test SRS of n powers from a seed (tau = SHA-256(label, seed)
 * reduced into F_r). Fixed-base comb over the generator; threads. */
bn_kzg_srs *bn_kzg_srs_gen(size_t n, uint64_t seed);
void bn_kzg_srs_free(bn_kzg_srs *s);
/* File cache: "GKRCNNSRS1" | u64 n | n x 64-byte G1 | 2 x 128-byte G2;
 * decoding checks every point (curve, subgroup for G2). */
void bn_kzg_srs_serialize(zk_buf *out, const bn_kzg_srs *s);
zk_err bn_kzg_srs_deserialize(bn_kzg_srs **s, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* C = commitment to p[0..m), m <= s->n. */
void bn_kzg_commit(bn_g1_aff *c, const bn_kzg_srs *s, const bn_fr *p, size_t m);
/* p(z) by Horner. */
void bn_kzg_eval(bn_fr *v, const bn_fr *p, size_t m, const bn_fr *z);
/* Opening proof at z: *v = p(z), *w the witness commitment. */
void bn_kzg_open(bn_g1_aff *w, bn_fr *v, const bn_kzg_srs *s, const bn_fr *p, size_t m, const bn_fr *z);
/* 1 iff the opening verifies. */
int bn_kzg_verify(const bn_kzg_srs *s, const bn_g1_aff *c, const bn_fr *z, const bn_fr *v, const bn_g1_aff *w);

/* Batch at one point: polys[j] of length lens[j], j < k; vals[j] = p_j(z). */
void bn_kzg_open_batch(bn_g1_aff *w, bn_fr *vals, const bn_kzg_srs *s, const bn_fr *const *polys, const size_t *lens,
                       size_t k, const bn_fr *z, const bn_fr *gamma);
int bn_kzg_verify_batch(const bn_kzg_srs *s, const bn_g1_aff *cs, const bn_fr *vals, size_t k, const bn_fr *z,
                        const bn_fr *gamma, const bn_g1_aff *w);

#endif
