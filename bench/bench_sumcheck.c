/* bench_sumcheck.c -- sumcheck prover and verifier for products of k
 * tables of 2^n F_p2 entries: (n, k) = (20, 2), (24, 2), (20, 3).
 *
 * Table generation and the claim are outside the timed region; sc_prove is
 * timed alone (best of a few trials, fresh tables each time since the
 * prover folds them in place). Each proof is checked once (verifier
 * accepts, reduced claim = product of the final values). Uses the thread
 * count of the driver. Target: n = 24, k = 2 in <= 0.5 s on one core.
 */
#include <stdio.h>
#include <string.h>

#include "../src/sumcheck/sc.h"
#include "../src/sumcheck/zsc.h"
#include "bench.h"

#define PROTO "gkrcnn/bench/sc"

static void fill(fp2 **T, unsigned k, size_t len, uint64_t seed) {
    zk_rng rng;
    zk_rng_seed(&rng, seed);
    for (unsigned j = 0; j < k; j++)
        for (size_t i = 0; i < len; i++) T[j][i] = fp2_make(zk_rng_u64(&rng) % FM61_P, zk_rng_u64(&rng) % FM61_P);
}

static void bench_one(unsigned n, unsigned k, int trials) {
    size_t len = (size_t)1 << n;
    fp2 *T[SC_MAX_DEGREE];
    for (unsigned j = 0; j < k; j++) T[j] = zk_aligned_n(len, sizeof(fp2));
    fp2 point[32], finals[SC_MAX_DEGREE];
    char params[64];
    snprintf(params, sizeof params, "n=%u,k=%u", n, k);

    double best = 1e30;
    zk_buf proof;
    fp2 claim = fp2_zero();
    for (int t = 0; t < trials; t++) {
        fill(T, k, len, 1000 + n * 10 + k);
        claim = sc_sum_product(T, k, len);
        zk_buf_init(&proof);
        tr_t *tr = tr_new_prover(PROTO, &proof);
        double t0 = bench_now();
        sc_prove(tr, point, finals, T, k, n, claim);
        double dt = bench_now() - t0;
        tr_free(tr);
        if (dt < best) best = dt;
        if (t + 1 < trials) zk_buf_free(&proof);
    }
    bench_row("sc_prove", params, best, "s");
    bench_row("sc_prove_per_entry", params, 1e9 * best / (double)len, "ns");
    bench_row("sc_proof_size", params, (double)proof.len, "bytes");

    /* the verifier: average over many runs */
    fp2 prod = fp2_one();
    for (unsigned j = 0; j < k; j++) prod = fp2_mul(prod, finals[j]);
    const int vruns = 2000;
    double t0 = bench_now();
    for (int v = 0; v < vruns; v++) {
        fp2 c = claim, vp[32];
        tr_t *tr = tr_new_verifier(PROTO, proof.data, proof.len);
        zk_err e = sc_verify(tr, vp, &c, k, n);
        ZK_CHECK(e == ZK_OK && tr_finish(tr) == ZK_OK);
        ZK_CHECK(fp2_eq(c, prod) && memcmp(vp, point, n * sizeof *vp) == 0);
        tr_free(tr);
    }
    bench_row("sc_verify", params, 1e6 * (bench_now() - t0) / vruns, "us");
    zk_buf_free(&proof);
    for (unsigned j = 0; j < k; j++) free(T[j]);
}

/* The zero-knowledge sumcheck (zsc.h) against the plain one on the same
 * tables, alternating in one run: sc_prove_zk with a fresh mask (drawn
 * inside the timed region, from a seeded generator) vs sc_prove. The
 * batch proof of the masks' values is not included (its size is that of
 * the mask table, not of f's). */
static void bench_zk(unsigned n, int trials) {
    size_t len = (size_t)1 << n;
    fp2 *T[2] = {zk_aligned_n(len, sizeof(fp2)), zk_aligned_n(len, sizeof(fp2))};
    fp2 point[32], finals[2], gr;
    double best[2] = {1e30, 1e30};
    zk_rng rng;
    zk_rng_seed(&rng, 77);
    for (int t = 0; t < trials; t++)
        for (int zk = 0; zk < 2; zk++) {
            fill(T, 2, len, 1000 + n * 10 + 2);
            fp2 claim = sc_sum_product(T, 2, len);
            zk_buf proof;
            zk_buf_init(&proof);
            tr_t *tr = tr_new_prover(PROTO, &proof);
            double t0 = bench_now();
            if (zk) {
                zsc_mask *m = zsc_mask_new(n, 2, &rng);
                sc_prove_zk(tr, point, finals, &gr, T, 2, n, claim, m);
                zsc_mask_free(m);
            } else {
                sc_prove(tr, point, finals, T, 2, n, claim);
            }
            double dt = bench_now() - t0;
            tr_free(tr);
            zk_buf_free(&proof);
            if (dt < best[zk]) best[zk] = dt;
        }
    char params[64];
    snprintf(params, sizeof params, "n=%u,k=2", n);
    bench_row("sc_prove_zk_baseline", params, best[0], "s"); /* sc_prove, same run */
    bench_row("sc_prove_zk", params, best[1], "s");
    bench_row("sc_prove_zk_overhead", params, best[1] / best[0], "x");
    free(T[0]);
    free(T[1]);
}

void bench_sumcheck(void) {
    bench_one(20, 2, 5);
    bench_one(20, 3, 5);
    bench_one(24, 2, 3);
    bench_zk(20, 5);
    bench_zk(22, 3);
}
