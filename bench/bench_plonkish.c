/* bench_plonkish.c -- the Plonkish baseline's primitives (issue 5): F_r
 * multiplication, NTT over F_r, G1 multi-scalar multiplication, the pairing
 * check, KZG SRS generation. The MSM and NTT sizes are those the issue
 * names for comparison with halo2curves' published figures (results.md).
 * Then PLONK itself on a product chain of 2^14 rows, without and with
 * zero-knowledge (issue 13: what PLONK's blinders cost; plonk.h). */
#include <math.h>
#include <stdlib.h>

#include "../src/plonkish/kzg.h"
#include "../src/plonkish/ntt.h"
#include "../src/plonkish/plonk.h"
#include "bench.h"

static void rand_fr(bn_fr *o, zk_rng *rng) {
    uint64_t v[4] = {zk_rng_u64(rng), zk_rng_u64(rng), zk_rng_u64(rng), zk_rng_u64(rng) >> 4};
    ZK_CHECK(bn_fr_from_limbs(o, v));
}

static void bench_fr_mul(zk_rng *rng) {
    enum { N = 1 << 12, R = 200 };
    bn_fr *a = zk_malloc_n(N, sizeof *a), acc;
    for (size_t i = 0; i < N; i++) rand_fr(&a[i], rng);
    acc = a[0];
    double t0 = bench_now();
    for (int r = 0; r < R; r++)
        for (size_t i = 0; i < N; i++) bn_fr_mul(&acc, &acc, &a[i]);
    double t = bench_now() - t0;
    volatile uint64_t sink = acc.l[0];
    (void)sink;
    bench_row("bn254_fr_mul", "dependent chain", 1e9 * t / ((double)N * R), "ns");
    free(a);
}

static void bench_ntt(zk_rng *rng) {
    bn_ntt_ctx *c = bn_ntt_ctx_new(22);
    for (unsigned k = 20; k <= 22; k += 2) {
        size_t n = (size_t)1 << k;
        bn_fr *a = zk_malloc_n(n, sizeof *a);
        for (size_t i = 0; i < n; i++) rand_fr(&a[i], rng);
        double best = 1e30;
        for (int r = 0; r < 3; r++) {
            double t0 = bench_now();
            bn_ntt_forward(c, a, n);
            double t = bench_now() - t0;
            best = t < best ? t : best;
        }
        char p[32];
        snprintf(p, sizeof p, "n=2^%u", k);
        bench_row("bn254_ntt", p, best, "s");
        free(a);
    }
    bn_ntt_ctx_free(c);
}

static void bench_msm(zk_rng *rng) {
    size_t nmax = (size_t)1 << 20;
    /* points [t_i] G from a few random multiples, to build 2^20 points fast */
    bn_g1 g, *pj = zk_malloc_n(nmax, sizeof *pj);
    bn_g1_generator(&g);
    bn_fr s;
    rand_fr(&s, rng);
    bn_g1_mul(&pj[0], &g, &s);
    bn_g1 step;
    rand_fr(&s, rng);
    bn_g1_mul(&step, &g, &s);
    for (size_t i = 1; i < nmax; i++) bn_g1_add(&pj[i], &pj[i - 1], &step);
    bn_g1_aff *p = zk_malloc_n(nmax, sizeof *p);
    bn_g1_batch_to_aff(p, pj, nmax);
    free(pj);
    bn_fr *k = zk_malloc_n(nmax, sizeof *k);
    for (size_t i = 0; i < nmax; i++) rand_fr(&k[i], rng);
    for (unsigned lg = 16; lg <= 20; lg += 4) {
        size_t n = (size_t)1 << lg;
        double best = 1e30;
        for (int r = 0; r < (lg == 16 ? 5 : 2); r++) {
            bn_g1 o;
            double t0 = bench_now();
            bn_g1_msm(&o, p, k, n);
            double t = bench_now() - t0;
            best = t < best ? t : best;
        }
        char pr[32];
        snprintf(pr, sizeof pr, "n=2^%u", lg);
        bench_row("bn254_msm", pr, best, "s");
    }
    free(p);
    free(k);
}

static void bench_pairing(void) {
    bn_kzg_srs *s = NULL;
    double t0 = bench_now();
    s = bn_kzg_srs_gen((size_t)1 << 16, 1);
    bench_row("bn254_kzg_srs_gen", "n=2^16 powers", bench_now() - t0, "s");
    bn_g1_aff P[2] = {s->g1[1], s->g1[0]};
    bn_g1 t;
    bn_g1_from_aff(&t, &P[1]);
    bn_g1_neg(&t, &t);
    bn_g1_to_aff(&P[1], &t);
    double best = 1e30;
    for (int r = 0; r < 20; r++) {
        t0 = bench_now();
        ZK_CHECK(bn_pairing_check(P, s->g2, 2));
        double dt = bench_now() - t0;
        best = dt < best ? dt : best;
    }
    bench_row("bn254_pairing_check", "2 pairings", 1e3 * best, "ms");
    bn_kzg_srs_free(s);
}

/* A chain of n - 1 products c_i = a_i b_i with a_{i+1} = c_i (copy
 * constraints), row 0 the public input a_0 = x; prove (the faster of two
 * runs per mode, the runs alternating no-zk, zk, no-zk, zk) and verify
 * (median of 5) in each mode. */
static void bench_plonk_modes(zk_rng *rng) {
    enum { LOG = 14, N = 1 << LOG };
    bn_plonk_circuit *c = bn_plonk_circuit_new(LOG, 1);
    bn_fr *w[3];
    for (int j = 0; j < 3; j++) w[j] = zk_calloc(N, sizeof(bn_fr)); /* zero is all-zero limbs */
    uint32_t *var = zk_malloc_n(3 * (size_t)N, sizeof *var);
    for (uint32_t i = 0; i < 3 * N; i++) var[i] = 3 * N + i; /* free cells */
    bn_plonk_circuit_gate_i64(c, 0, 1, 0, 0, 0, 0);
    rand_fr(&w[0][0], rng);
    bn_fr x = w[0][0];
    var[0] = 0;
    for (size_t i = 1; i < N; i++) {
        bn_plonk_circuit_gate_i64(c, i, 0, 0, -1, 1, 0);
        w[0][i] = i == 1 ? x : w[2][i - 1];
        rand_fr(&w[1][i], rng);
        bn_fr_mul(&w[2][i], &w[0][i], &w[1][i]);
        var[i] = i == 1 ? 0 : (uint32_t)(2 * N + i - 1);
        var[2 * N + i] = (uint32_t)(2 * N + i);
    }
    ZK_CHECK(bn_plonk_circuit_wire(c, var, 3 * (size_t)N) == ZK_OK);
    free(var);
    bn_kzg_srs *srs = bn_kzg_srs_gen(N + BN_PLONK_SRS_EXTRA, 1);
    bn_plonk_pk *pk = NULL;
    bn_plonk_vk vk;
    ZK_CHECK(bn_plonk_keygen(&pk, &vk, c, srs) == ZK_OK);
    ZK_CHECK(bn_plonk_check_witness(pk, w[0], w[1], w[2], &x, 1) == ZK_OK);
    static const bn_plonk_opts modes[2] = {{.no_zk = 1}, {.no_zk = 0}};
    static const char *const mname[2] = {"no-zk", "zk"};
    zk_buf proof[2];
    double best[2] = {INFINITY, INFINITY};
    for (int k = 0; k < 2; k++) zk_buf_init(&proof[k]);
    for (int r = 0; r < 2; r++)
        for (int k = 0; k < 2; k++) {
            proof[k].len = 0;
            double t0 = bench_now();
            ZK_CHECK(bn_plonk_prove(&proof[k], pk, &modes[k], w[0], w[1], w[2], &x, 1) == ZK_OK);
            double t = bench_now() - t0;
            best[k] = t < best[k] ? t : best[k];
        }
    double vms[2];
    for (int k = 0; k < 2; k++) {
        double v[5];
        for (int j = 0; j < 5; j++) {
            double t0 = bench_now();
            ZK_CHECK(bn_plonk_verify(&vk, &x, 1, proof[k].data, proof[k].len) == ZK_OK);
            v[j] = bench_now() - t0;
        }
        for (int i = 1; i < 5; i++) /* insertion sort: the median */
            for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
                double tmp = v[j];
                v[j] = v[j - 1];
                v[j - 1] = tmp;
            }
        vms[k] = 1e3 * v[2];
    }
    for (int k = 0; k < 2; k++) {
        char p[48];
        snprintf(p, sizeof p, "n=2^%d %s", LOG, mname[k]);
        bench_row("bn254_plonk_prove", p, best[k], "s");
        bench_row("bn254_plonk_verify", p, vms[k], "ms");
        bench_row("bn254_plonk_proof", p, (double)proof[k].len, "B");
    }
    char p[48];
    snprintf(p, sizeof p, "n=2^%d zk/no-zk", LOG);
    bench_row("bn254_plonk_prove_ratio", p, best[1] / best[0], "x");
    bench_row("bn254_plonk_verify_ratio", p, vms[1] / vms[0], "x");
    for (int k = 0; k < 2; k++) zk_buf_free(&proof[k]);
    for (int j = 0; j < 3; j++) free(w[j]);
    bn_plonk_pk_free(pk);
    bn_kzg_srs_free(srs);
    bn_plonk_circuit_free(c);
}

void bench_plonkish(void) {
    zk_rng rng;
    zk_rng_seed(&rng, 5);
    bench_fr_mul(&rng);
    bench_ntt(&rng);
    bench_msm(&rng);
    bench_pairing();
    bench_plonk_modes(&rng);
}
