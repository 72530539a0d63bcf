/* GKR prover and verifier on random layered circuits (random wiring: the
 * worst case for memory locality). "Gates" counts gate outputs, i.e.
 * depth * 2^width; the committed input layer (2^width values) is committed
 * and opened inside the timed prover run. */
#include <stdio.h>

#include "../src/gkr/gkr.h"
#include "bench.h"

static void bench_gkr_one(unsigned width, unsigned depth) {
    zk_rng rng;
    zk_rng_seed(&rng, 2026);
    gkr_circuit *c = gkr_circuit_random(&rng, width, depth);
    fm61 **in = gkr_inputs_random(&rng, c);
    double gates = (double)depth * (double)((size_t)1 << width);
    char params[96];
    snprintf(params, sizeof params, "gates=%.0f,width=2^%u,depth=%u,gate_terms=%zu", gates, width, depth,
             gkr_circuit_gates(c));

    double t0 = bench_now();
    gkr_witness *w = gkr_witness_new(c, (const fm61 *const *)in);
    /* the first run touches fresh memory (page faults dominate in this VM);
     * the second reuses the heap, as a prover serving many requests does */
    double cold = 0, t1 = 0, t2 = 0;
    zk_buf proof;
    for (int run = 0; run < 2; run++) {
        t1 = bench_now();
        zk_buf_init(&proof);
        tr_t *tr = tr_new_prover(GKR_PROTOCOL, &proof);
        gkr_prove(tr, c, w, &pcs_ligero);
        tr_free(tr);
        t2 = bench_now();
        if (run == 0) {
            cold = t2 - t1;
            zk_buf_free(&proof);
        }
    }
    tr_t *tr = tr_new_verifier(GKR_PROTOCOL, proof.data, proof.len);
    zk_err e = gkr_verify(tr, NULL, c, (const fm61 *const *)in, &pcs_ligero);
    if (e == ZK_OK) e = tr_finish(tr);
    tr_free(tr);
    double t3 = bench_now();
    ZK_CHECK(e == ZK_OK);

    bench_row("gkr_witness", params, t1 - t0, "s");
    bench_row("gkr_prove_cold", params, cold, "s");
    bench_row("gkr_prove", params, t2 - t1, "s");
    bench_row("gkr_prove_rate", params, gates / (t2 - t1) / 1e6, "Mgates/s");
    bench_row("gkr_verify", params, t3 - t2, "s");
    bench_row("gkr_proof_size", params, (double)proof.len, "bytes");
    zk_buf_free(&proof);
    gkr_witness_free(w);
    gkr_inputs_free(in, c->nlayers);
    gkr_circuit_free(c);
}

void bench_gkr(void) {
    bench_gkr_one(18, 4); /* 2^20 gates */
    bench_gkr_one(20, 4); /* 2^22 gates */
}
