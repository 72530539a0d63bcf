/* bench_fields.c -- cost of one field multiplication.
 *
 * Two patterns per operation:
 *   vector: c[i] = a[i] * b[i] over arrays of 2^16 (in L2), the output fed
 *           back as the next pass's input, so every product is used and
 *           independent products can overlap in the pipeline (amortized
 *           cost, what table-folding loops see);
 *   chain:  x = x * y, each product waiting for the previous one (latency).
 * The best of several trials is reported; every result flows into a sink
 * so nothing can be optimized away. Single-threaded by design.
 * Targets: M61 <= 2 ns amortized, F_p2 <= 6 ns.
 */
#include <stdio.h>

#include "../src/fields/fp2.h"
#include "bench.h"

#define VLEN (1u << 16)
#define TRIALS 5

static volatile uint64_t bench_fields_sink;

static fm61 rnd(zk_rng *r) { return zk_rng_u64(r) % FM61_P; }

static double ns_per(double secs, double ops) { return 1e9 * secs / ops; }

static void bench_fm61_mul(zk_rng *rng) {
    fm61 *a = zk_aligned_n(VLEN, sizeof *a), *b = zk_aligned_n(VLEN, sizeof *b), *c = zk_aligned_n(VLEN, sizeof *c);
    for (size_t i = 0; i < VLEN; i++) a[i] = rnd(rng), b[i] = rnd(rng);
    const int reps = 128;
    double best = 1e30;
    for (int t = 0; t < TRIALS; t++) {
        double t0 = bench_now();
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i < VLEN; i++) c[i] = fm61_mul(a[i], b[i]);
            fm61 *s = a;
            a = c;
            c = s;
        }
        double dt = bench_now() - t0;
        if (dt < best) best = dt;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < VLEN; i++) x ^= a[i];
    bench_fields_sink ^= x;
    bench_row("fm61_mul", "vector,len=2^16", ns_per(best, (double)reps * VLEN), "ns");

    /* dependent chain */
    const long iters = 1L << 24;
    fm61 y = rnd(rng);
    best = 1e30;
    for (int t = 0; t < TRIALS; t++) {
        fm61 v = rnd(rng);
        double t0 = bench_now();
        for (long i = 0; i < iters; i++) v = fm61_mul(v, y);
        double dt = bench_now() - t0;
        bench_fields_sink ^= v;
        if (dt < best) best = dt;
    }
    bench_row("fm61_mul", "chain", ns_per(best, (double)iters), "ns");
    free(a);
    free(b);
    free(c);
}

static void bench_fp2_mul(zk_rng *rng) {
    fp2 *a = zk_aligned_n(VLEN, sizeof *a), *b = zk_aligned_n(VLEN, sizeof *b), *c = zk_aligned_n(VLEN, sizeof *c);
    fm61 *s = zk_aligned_n(VLEN, sizeof *s);
    for (size_t i = 0; i < VLEN; i++) a[i] = fp2_make(rnd(rng), rnd(rng)), b[i] = fp2_make(rnd(rng), rnd(rng)), s[i] = rnd(rng);
    const int reps = 64;
    double best = 1e30, best_b = 1e30, best_acc = 1e30;
    for (int t = 0; t < TRIALS; t++) {
        double t0 = bench_now();
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i < VLEN; i++) c[i] = fp2_mul(a[i], b[i]);
            fp2 *w = a;
            a = c;
            c = w;
        }
        double dt = bench_now() - t0;
        if (dt < best) best = dt;

        /* base x extension */
        t0 = bench_now();
        for (int r = 0; r < reps; r++) {
            for (size_t i = 0; i < VLEN; i++) c[i] = fp2_mul_fm61(a[i], s[i]);
            fp2 *w = a;
            a = c;
            c = w;
        }
        dt = bench_now() - t0;
        if (dt < best_b) best_b = dt;

        /* lazy inner product: sum a[i] b[i], reduced every FP2_ACC_MAX terms */
        t0 = bench_now();
        fp2 tot = fp2_zero();
        for (int r = 0; r < reps; r++)
            for (size_t blk = 0; blk < VLEN; blk += FP2_ACC_MAX) {
                fp2_acc acc;
                fp2_acc_zero(&acc);
                for (size_t i = blk; i < blk + FP2_ACC_MAX; i++) fp2_acc_mul(&acc, a[i], b[i]);
                tot = fp2_add(tot, fp2_acc_reduce(&acc));
            }
        dt = bench_now() - t0;
        bench_fields_sink ^= tot.re ^ tot.im;
        if (dt < best_acc) best_acc = dt;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < VLEN; i++) x ^= a[i].re ^ a[i].im;
    bench_fields_sink ^= x;
    bench_row("fp2_mul", "vector,len=2^16", ns_per(best, (double)reps * VLEN), "ns");
    bench_row("fp2_mul_fm61", "vector,len=2^16", ns_per(best_b, (double)reps * VLEN), "ns");
    bench_row("fp2_acc_mul", "inner product,len=2^16", ns_per(best_acc, (double)reps * VLEN), "ns");

    /* dependent chains */
    const long iters = 1L << 23;
    fp2 y = fp2_make(rnd(rng), rnd(rng));
    fm61 ys = rnd(rng);
    best = best_b = 1e30;
    for (int t = 0; t < TRIALS; t++) {
        fp2 v = fp2_make(rnd(rng), rnd(rng));
        double t0 = bench_now();
        for (long i = 0; i < iters; i++) v = fp2_mul(v, y);
        double dt = bench_now() - t0;
        if (dt < best) best = dt;
        t0 = bench_now();
        for (long i = 0; i < iters; i++) v = fp2_mul_fm61(v, ys);
        dt = bench_now() - t0;
        if (dt < best_b) best_b = dt;
        bench_fields_sink ^= v.re ^ v.im;
    }
    bench_row("fp2_mul", "chain", ns_per(best, (double)iters), "ns");
    bench_row("fp2_mul_fm61", "chain", ns_per(best_b, (double)iters), "ns");
    free(a);
    free(b);
    free(c);
    free(s);
}

void bench_fields(void) {
    zk_rng rng;
    zk_rng_seed(&rng, 1);
    bench_fm61_mul(&rng);
    bench_fp2_mul(&rng);
}
