/* Tests of the class-only output (q_settings.out_vis = Q_OUT_CLASS;
 * papers/protocol.md sec. 7.8.4): a proof whose statement is the input and
 * the argmax of the output (ties to the lowest index).
 *
 *   honest   LeNet-5 and the MLP in class mode: every proof verifies, from
 *            a vk that went through its bytes, and attests q_argmax of
 *            q_run's output; the key refuses a 1-output model; a skeleton
 *            with another visibility value does not decode.
 *   tie      LeNet-5 with its last layer's row 0 made a copy of the winning
 *            class's row (so y_0 = y_c): the honest class is then 0.
 *   cheats   the prover states another class c' with the advice made to
 *            fit it: d_j = y_c' - y_j - [j < c'] (then some d_j < 0: out of
 *            range), or m raised above the maximum so that every d_j is in
 *            range (then d_c' != 0), or in the tie the higher tied index;
 *            an index past the outputs; m's padding cell set.
 * The test fails if any accepted proof attests a class other than the
 * argmax of q_run's output. */
#include <stdlib.h>
#include <string.h>

#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/layers/cnn_test.h"
#include "../src/layers/plan.h"
#include "test.h"

enum { K_HONEST, K_EXACT, K_RAISED, K_MPAD, K_N };
static const char *const kind_name[K_N] = {"honest advice", "d for the stated class", "m above the maximum",
                                           "m's padding cell set"};

typedef struct {
    int kind;
    int64_t cls;     /* the stated class */
    const int64_t *y; /* q_run's output */
    int64_t n;
} cl_atk;

/* Rewrites d and m for the stated class (pl_adv wrote them for the argmax). */
static void cl_hook(void *ctx, const pl_plan *pl, fm61 *A) {
    const cl_atk *a = ctx;
    if (a->kind == K_HONEST) return;
    if (a->kind == K_MPAD) {
        A[pl->reg[pl->cls_m].off + 1] = 12345;
    } else {
        int64_t m = a->y[a->cls];
        if (a->kind == K_RAISED) {
            for (int64_t j = 0; j < a->n; j++)
                if (a->y[j] + 1 > m) m = a->y[j] + 1;
        }
        for (int64_t j = 0; j < a->n; j++)
            pl_qty_put(A, pl, &pl->cls_d, j, fm61_from_i64(m - a->y[j] - (j < a->cls)));
        A[pl->reg[pl->cls_m].off] = fm61_from_i64(m);
    }
    pl_count_range(pl, NULL, A); /* the multiplicities follow the new limbs */
}

static q_model *cl_model(const char *name) {
    char path[128], calib[128];
    snprintf(path, sizeof path, "models/%s.onnx", name);
    snprintf(calib, sizeof calib, "models/calib/%s_calib.json", name);
    q_model *m = NULL;
    if (!test_quantize_model(&m, path, calib)) return NULL;
    m->s.out_vis = Q_OUT_CLASS;
    return m;
}

static int64_t *cl_input(const q_model *m, const char *name, int k) {
    char path[128];
    snprintf(path, sizeof path, "models/inputs/%s_%d.json", name, k);
    return test_quantized_input(m, path);
}

/* setup, vk through its bytes */
static void cl_keys(q_model *m, cnn_key **pk, cnn_key **vk) {
    TEST_REQUIRE(cnn_setup(pk, m) == ZK_OK);
    zk_buf vb;
    zk_buf_init(&vb);
    cnn_vk_serialize(&vb, *pk);
    TEST_REQUIRE(cnn_vk_deserialize(vk, vb.data, vb.len) == ZK_OK);
    TEST_CHECK((*vk)->m->s.out_vis == Q_OUT_CLASS);
    /* the skeleton (at byte 20: magic, u32 version 2, four i32 settings,
     * i32 out_vis): out_vis 0 in a version-2 skeleton (a public output has
     * one encoding, version 1) and an unknown value are refused */
    TEST_CHECK(memcmp(vb.data + 20, "GKRQSKL1\x02\0\0\0", 12) == 0 && vb.data[48] == 1);
    for (int v = 0; v < 3; v += 2) {
        vb.data[48] = (uint8_t)v;
        cnn_key *bad = NULL;
        TEST_CHECK(cnn_vk_deserialize(&bad, vb.data, vb.len) != ZK_OK);
        cnn_key_free(bad);
    }
    zk_buf_free(&vb);
}

/* Proves xq stating class `cls` (< 0: the argmax) with advice `kind`;
 * returns the verifier's verdict, and checks that an accepted proof
 * attests q_run's argmax. */
static zk_err cl_prove(const cnn_key *pk, const cnn_key *vk, const int64_t *xq, int64_t cls, int kind,
                       const char *what, long *forged) {
    const q_model *m = pk->m;
    q_witness *w = NULL;
    if (q_run(&w, m, xq) != ZK_OK) {
        TEST_CHECK(0);
        return ZK_EINPUT;
    }
    int64_t n = q_numel(m, m->output), best = q_argmax(q_output(m, w), n);
    cl_atk a = {.kind = kind, .cls = cls < 0 ? best : cls, .y = q_output(m, w), .n = n};
    cnn_test_set_class(cls);
    cnn_set_adv_hook(cl_hook, &a);
    zk_buf proof;
    zk_buf_init(&proof);
    zk_err e = cnn_prove(&proof, pk, xq, NULL, NULL);
    cnn_set_adv_hook(NULL, NULL);
    cnn_test_set_class(-1);
    int64_t *in_q = NULL, *out_q = NULL;
    if (e == ZK_OK) e = cnn_verify(vk, proof.data, proof.len, &in_q, &out_q);
    int other = e == ZK_OK && out_q[0] != best;
    if (other) ++*forged;
    printf("  class %-24s stated %lld (argmax %lld), %s: %s%s\n", what, (long long)a.cls, (long long)best,
           kind_name[kind], e == ZK_OK ? "accepted" : "rejected: ", e == ZK_OK ? (other ? " WITH ANOTHER CLASS" : "")
                                                                                : zk_reason());
    free(in_q);
    free(out_q);
    zk_buf_free(&proof);
    q_witness_free(w);
    return e;
}

static void cl_run(const char *name, int inputs, int tie, long *forged) {
    q_model *m = cl_model(name);
    if (!m) return;
    cnn_key *pk = NULL, *vk = NULL;
    int64_t *x0 = cl_input(m, name, 0);
    if (!x0) {
        q_model_free(m);
        return;
    }
    int64_t tc = -1; /* the tie's second index */
    if (tie) { /* row 0 of the last layer := the winner's row (or row 1 := row 0) */
        q_witness *w = NULL;
        TEST_REQUIRE(q_run(&w, m, x0) == ZK_OK);
        int64_t best = q_argmax(q_output(m, w), q_numel(m, m->output));
        q_witness_free(w);
        q_node *nd = &m->nodes[m->output - 1];
        TEST_REQUIRE(nd->op == NN_FC && nd->b);
        int64_t K = nd->cshape.d[1], dst = best ? 0 : 1, src = best;
        memcpy(nd->w + dst * K, nd->w + src * K, (size_t)K * sizeof *nd->w);
        nd->b[dst] = nd->b[src];
        tc = best ? best : 1;
    }
    cl_keys(m, &pk, &vk);
    for (int k = 0; k < inputs; k++) {
        int64_t *xq = k ? cl_input(pk->m, name, k) : x0;
        if (!xq) continue;
        TEST_CHECK(cl_prove(pk, vk, xq, -1, K_HONEST, name, forged) == ZK_OK);
        if (k) free(xq);
    }
    q_witness *w = NULL;
    TEST_REQUIRE(q_run(&w, pk->m, x0) == ZK_OK);
    const int64_t *y = q_output(pk->m, w);
    int64_t n = q_numel(pk->m, pk->m->output), best = q_argmax(y, n);
    if (tie) TEST_CHECK(best == 0 && y[tc] == y[0]);
    /* the runner-up (or the higher tied index) */
    int64_t other = tie ? tc : (best ? 0 : 1);
    for (int64_t j = 0; j < n && !tie; j++)
        if (j != best && y[j] > y[other]) other = j;
    q_witness_free(w);
    TEST_CHECK(cl_prove(pk, vk, x0, other, K_EXACT, name, forged) != ZK_OK);
    TEST_CHECK(cl_prove(pk, vk, x0, other, K_RAISED, name, forged) != ZK_OK);
    TEST_CHECK(cl_prove(pk, vk, x0, other, K_HONEST, name, forged) != ZK_OK);
    TEST_CHECK(cl_prove(pk, vk, x0, n, K_HONEST, name, forged) != ZK_OK);
    cl_prove(pk, vk, x0, -1, K_MPAD, name, forged); /* harmless either way; must not change the class */
    free(x0);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

void test_class(zk_rng *rng) {
    (void)rng;
    long forged = 0;
    cl_run("lenet5_fashion", 3, 0, &forged);
    cl_run("mlp3_fashion", 2, 0, &forged);
    cl_run("lenet5_fashion", 1, 1, &forged);
    TEST_CHECK(forged == 0);
    /* a 1-output model cannot have a class-only output */
    nn_graph *g = gb_new();
    float wv[4] = {0.5f, -0.25f, 0.125f, 1.0f};
    g->input = gb_t(g, "x", 2, (int64_t[]){1, 4}, NULL);
    int wt = gb_t(g, "w", 2, (int64_t[]){1, 4}, wv);
    gb_n(g, NN_FC, gb_attrs(), 2, g->input, wt, -1, NULL);
    float cal[8] = {0.5f, -1, 0.25f, 1, -0.5f, 0.75f, 0, -0.25f};
    q_model *m = NULL;
    TEST_REQUIRE(q_quantize(&m, g, cal, 2, NULL) == ZK_OK);
    nn_graph_free(g);
    m->s.out_vis = Q_OUT_CLASS;
    cnn_key *pk = NULL;
    zk_err e = cnn_setup(&pk, m);
    TEST_CHECK(e == ZK_EINPUT && strstr(zk_reason(), "at least 2 outputs"));
    cnn_key_free(pk);
}
