/* bench_pcs.c -- Ligero commitment: commit, open, verify times and proof
 * size for tables of 2^12, 2^16, 2^20, 2^22 and 2^24 base-field elements,
 * plain, and certified for 2^20..2^24 (pcs.h; the certificate's size and
 * check time are separate rows: it is made and checked once per
 * commitment), each followed by the hiding mode (pcs_ligero_zk, a budget of
 * one opening; rows ",zk") on the same table, so the two are measured
 * alternately.
 *
 * One run of each by default. GKRCNN_BENCH_PCS_REPS=R (1..64) runs each
 * pair R times after one uncounted round, the order alternating (plain
 * first, then hiding first), and reports the medians; GKRCNN_BENCH_PCS_CPU=1 times with the process's
 * CPU clock instead of the wall clock (rows ",cpu"; with --threads 1 it
 * counts the work alone, on a machine shared with other jobs). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/pcs/pcs.h"
#include "../src/poly/mle.h"
#include "bench.h"

#define BENCH_PCS_PROTO "gkrcnn/bench/pcs"
#define BENCH_PCS_MAX_REPS 64

static int bench_pcs_cpu;

static double bench_pcs_clock(void) {
    if (!bench_pcs_cpu) return bench_now();
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    double commit, open, verify, cert_check;
    size_t bytes, cert_bytes;
} bench_pcs_run;

static bench_pcs_run bench_pcs_one(const fm61 *t, unsigned n, int certified, int zk) {
    const pcs_scheme *sc = zk ? &pcs_ligero_zk : &pcs_ligero;
    bench_pcs_run r = {0};
    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(BENCH_PCS_PROTO, &proof);
    zk_buf cert;
    zk_buf_init(&cert);
    double t0 = bench_pcs_clock();
    pcs_state *st = certified ? sc->commit_certified(tr, &cert, t, n) : sc->commit(tr, t, n);
    double t1 = bench_pcs_clock();
    fp2 z[64];
    tr_challenges(tr, "bench/z", z, n);
    fp2 v = mle_eval_fm61(t, n, z);
    tr_put_fp2(tr, "bench/v", &v, 1);
    size_t before_open = tr_position(tr);
    double t2 = bench_pcs_clock();
    sc->open(tr, st, z);
    double t3 = bench_pcs_clock();
    r.bytes = before_open - 16 + (tr_position(tr) - before_open); /* commitment and opening */
    sc->state_free(st);
    tr_free(tr);

    tr = tr_new_verifier(BENCH_PCS_PROTO, proof.data, proof.len);
    double t4 = bench_pcs_clock();
    pcs_commitment c;
    fp2 zv[64], vv;
    zk_err err = sc->read_commitment(tr, &c, n);
    double tc = bench_pcs_clock();
    if (err == ZK_OK && certified) err = sc->check_certificate(&c, cert.data, cert.len);
    tc = bench_pcs_clock() - tc;
    if (err == ZK_OK) {
        tr_challenges(tr, "bench/z", zv, n);
        err = tr_get_fp2(tr, "bench/v", &vv, 1);
    }
    if (err == ZK_OK) err = sc->verify(tr, &c, zv, vv);
    if (err == ZK_OK) err = tr_finish(tr);
    double t5 = bench_pcs_clock();
    tr_free(tr);
    ZK_CHECK(err == ZK_OK);
    r.commit = t1 - t0;
    r.open = t3 - t2;
    r.verify = t5 - t4 - tc;
    r.cert_check = tc;
    r.cert_bytes = cert.len;
    zk_buf_free(&cert);
    zk_buf_free(&proof);
    return r;
}

static int bench_pcs_cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of v[0..n) (of an even count, the mean of the middle two). */
static double bench_pcs_median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, bench_pcs_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void bench_pcs_pair(unsigned n, int certified, int reps) {
    size_t N = (size_t)1 << n;
    fm61 *t = zk_aligned_n(N, sizeof *t);
    zk_rng rng;
    zk_rng_seed(&rng, 0x70c5 + n);
    for (size_t x = 0; x < N; x++) t[x] = zk_rng_u64(&rng) % FM61_P;
    bench_pcs_run runs[2][BENCH_PCS_MAX_REPS];
    if (reps > 1) /* a round not counted: first-touch page faults, lazy initializations */
        for (int zk = 0; zk <= 1; zk++) (void)bench_pcs_one(t, n, certified, zk);
    for (int r = 0; r < reps; r++)
        for (int j = 0; j < 2; j++) {
            int zk = r % 2 ? 1 - j : j;
            runs[zk][r] = bench_pcs_one(t, n, certified, zk);
        }
    for (int zk = 0; zk <= 1; zk++) {
        char params[64];
        snprintf(params, sizeof params, "n=%u%s%s%s", n, certified ? ",certified" : "", zk ? ",zk" : "",
                 bench_pcs_cpu ? ",cpu" : "");
        double v[4][BENCH_PCS_MAX_REPS];
        for (int r = 0; r < reps; r++) {
            v[0][r] = runs[zk][r].commit;
            v[1][r] = runs[zk][r].open;
            v[2][r] = runs[zk][r].verify;
            v[3][r] = runs[zk][r].cert_check;
        }
        bench_row(certified ? "pcs_commit_and_certify" : "pcs_commit", params, bench_pcs_median(v[0], reps), "s");
        bench_row("pcs_open", params, bench_pcs_median(v[1], reps), "s");
        bench_row("pcs_verify", params, bench_pcs_median(v[2], reps), "s");
        bench_row("pcs_proof_size", params, (double)runs[zk][0].bytes, "B");
        if (certified) {
            bench_row("pcs_cert_check", params, bench_pcs_median(v[3], reps), "s");
            bench_row("pcs_cert_size", params, (double)runs[zk][0].cert_bytes, "B");
        }
    }
    free(t);
}

void bench_pcs(void) {
    const char *e = getenv("GKRCNN_BENCH_PCS_REPS");
    int reps = e ? atoi(e) : 1;
    if (reps < 1) reps = 1;
    if (reps > BENCH_PCS_MAX_REPS) reps = BENCH_PCS_MAX_REPS;
    e = getenv("GKRCNN_BENCH_PCS_CPU");
    bench_pcs_cpu = e && *e && strcmp(e, "0") != 0;
    static const unsigned ns[] = {12, 16, 20, 22, 24};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) bench_pcs_pair(ns[i], 0, reps);
    for (size_t i = 2; i < sizeof ns / sizeof ns[0]; i++) bench_pcs_pair(ns[i], 1, reps);
}
