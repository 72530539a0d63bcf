/* bench_pcs.c -- Ligero commitment: commit, open, verify times and proof
 * size for tables of 2^12, 2^16, 2^20, 2^22 and 2^24 base-field elements
 * (one run each), plain, and certified for 2^20..2^24 (pcs.h; the
 * certificate's size and check time are separate rows: it is made and
 * checked once per commitment), each followed by the hiding mode
 * (pcs_ligero_zk, a budget of one opening; rows ",zk") on the same table,
 * so the two are measured alternately. */
#include <string.h>

#include "../src/pcs/pcs.h"
#include "../src/poly/mle.h"
#include "bench.h"

#define BENCH_PCS_PROTO "gkrcnn/bench/pcs"

static void bench_pcs_one(unsigned n, int certified, int zk) {
    const pcs_scheme *sc = zk ? &pcs_ligero_zk : &pcs_ligero;
    size_t N = (size_t)1 << n;
    fm61 *t = zk_aligned_n(N, sizeof *t);
    zk_rng rng;
    zk_rng_seed(&rng, 0x70c5 + n);
    for (size_t x = 0; x < N; x++) t[x] = zk_rng_u64(&rng) % FM61_P;
    char params[64];
    snprintf(params, sizeof params, "n=%u%s%s", n, certified ? ",certified" : "", zk ? ",zk" : "");

    zk_buf proof;
    zk_buf_init(&proof);
    tr_t *tr = tr_new_prover(BENCH_PCS_PROTO, &proof);
    zk_buf cert;
    zk_buf_init(&cert);
    double t0 = bench_now();
    pcs_state *st = certified ? sc->commit_certified(tr, &cert, t, n) : sc->commit(tr, t, n);
    double t1 = bench_now();
    fp2 z[64];
    tr_challenges(tr, "bench/z", z, n);
    fp2 v = mle_eval_fm61(t, n, z);
    tr_put_fp2(tr, "bench/v", &v, 1);
    size_t before_open = tr_position(tr);
    double t2 = bench_now();
    sc->open(tr, st, z);
    double t3 = bench_now();
    size_t pcs_bytes = before_open - 16 + (tr_position(tr) - before_open); /* commitment and opening */
    sc->state_free(st);
    tr_free(tr);

    tr = tr_new_verifier(BENCH_PCS_PROTO, proof.data, proof.len);
    double t4 = bench_now();
    pcs_commitment c;
    fp2 zv[64], vv;
    zk_err err = sc->read_commitment(tr, &c, n);
    double tc = bench_now();
    if (err == ZK_OK && certified) err = sc->check_certificate(&c, cert.data, cert.len);
    tc = bench_now() - tc;
    if (err == ZK_OK) {
        tr_challenges(tr, "bench/z", zv, n);
        err = tr_get_fp2(tr, "bench/v", &vv, 1);
    }
    if (err == ZK_OK) err = sc->verify(tr, &c, zv, vv);
    if (err == ZK_OK) err = tr_finish(tr);
    double t5 = bench_now();
    tr_free(tr);
    ZK_CHECK(err == ZK_OK);

    bench_row(certified ? "pcs_commit_and_certify" : "pcs_commit", params, t1 - t0, "s");
    bench_row("pcs_open", params, t3 - t2, "s");
    bench_row("pcs_verify", params, t5 - t4 - tc, "s");
    bench_row("pcs_proof_size", params, (double)pcs_bytes, "B");
    if (certified) {
        bench_row("pcs_cert_check", params, tc, "s");
        bench_row("pcs_cert_size", params, (double)cert.len, "B");
    }
    zk_buf_free(&cert);
    zk_buf_free(&proof);
    free(t);
}

void bench_pcs(void) {
    static const unsigned ns[] = {12, 16, 20, 22, 24};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
        for (int zk = 0; zk <= 1; zk++) bench_pcs_one(ns[i], 0, zk);
    for (size_t i = 2; i < sizeof ns / sizeof ns[0]; i++)
        for (int zk = 0; zk <= 1; zk++) bench_pcs_one(ns[i], 1, zk);
}
