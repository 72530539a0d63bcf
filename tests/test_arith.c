/* Tests of the PLONKish arithmetization (src/plonkish/arith.h): the table
 * built from q_run's witness satisfies bn_plonk_check_witness, its row
 * count is bn_arith_rows, its public output is q_run's, and a changed
 * witness value of every kind (acc, rem, sign, max-pool choice, an
 * activation; a remainder or sign moved out of its range once the lookup
 * argument exists) makes the check fail; a sign s = 2/3 (a field element)
 * with u = 1 where x = 0 keeps every gate, copy and lookup of a ReLU and
 * fails only the boolean gate (q_B). The custom gates: no accumulate row (q_A) is followed by
 * a padding row or sits on the last row, and a wrong running sum inside a
 * chain fails; the MLP's table is also proved and verified, without and
 * with zero-knowledge (and its forced zk proof with a wrong running sum
 * fails). bn_plonk_check_witness needs a
 * proving key, i.e. a keygen at n >= 2^16 (the range table must fit), so
 * the MLP is keyed and checked with it, and everything else (LeNet-5 and
 * small ONNX conformance cases covering the other ops) with at_table_ok
 * below, the same three checks read off the circuit directly; on the MLP
 * the two agree on every witness, honest or tampered. Issue 11: a forged
 * witness with half-integer activations (y + 1/2 where a rescale or an
 * average pool feeds an FC) and a wrong output keeps every relation over
 * F_r; the integer checks of Q_INT_CHECK tensors (arith.h) alone reject it
 * (before them it was accepted, and its proof verified). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "../src/onnx/onnx.h"
#include "../src/plonkish/arith.h"
#include "../src/quant/qint.h"
#include "test.h"

#define ARITH_TESTDATA "/usr/share/libonnx-testdata/data/node"
#define AT_HAVE_LOOKUP 1

typedef struct {
    bn_plonk_circuit *c;
    bn_fr *a, *b, *w, *pub;
    size_t n_pub;
} at_table;

static void at_free(at_table *t) {
    bn_plonk_circuit_free(t->c);
    free(t->a);
    free(t->b);
    free(t->w);
    free(t->pub);
    memset(t, 0, sizeof *t);
}

static zk_err at_build(at_table *t, const q_model *m, const q_witness *w) {
    memset(t, 0, sizeof *t);
    zk_err e = bn_arith_build(&t->c, &t->a, &t->b, &t->w, &t->pub, &t->n_pub, m, w);
    if (e) fprintf(stderr, "arith build: %s\n", zk_reason());
    return e;
}

/* bn_plonk_check_witness without a key: every gate (with the public
 * inputs and q_A's c_next, wrapping around), every boolean row, every copy
 * constraint (sigma), every marked row's a in the table. */
static int at_table_ok(const bn_plonk_circuit *c, const at_table *t) {
    size_t n = c->n;
    for (size_t i = 0; i < n; i++) {
        bn_fr acc, u;
        bn_fr_sub(&acc, &t->w[i], &t->w[(i + 1) % n]);
        bn_fr_mul(&acc, &acc, &c->sel[BN_PLONK_QA][i]);
        bn_fr_sqr(&u, &t->a[i]);
        bn_fr_sub(&u, &u, &t->a[i]);
        bn_fr_mul(&u, &u, &c->sel[BN_PLONK_QB][i]);
        if (!bn_fr_is_zero(&u)) return 0;
        bn_fr_mul(&u, &c->sel[BN_PLONK_QL][i], &t->a[i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_mul(&u, &c->sel[BN_PLONK_QR][i], &t->b[i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_mul(&u, &c->sel[BN_PLONK_QO][i], &t->w[i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_mul(&u, &t->a[i], &t->b[i]);
        bn_fr_mul(&u, &u, &c->sel[BN_PLONK_QM][i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_add(&acc, &acc, &c->sel[BN_PLONK_QC][i]);
        if (i < c->n_pub) bn_fr_sub(&acc, &acc, &t->pub[i]);
        if (!bn_fr_is_zero(&acc)) return 0;
        if (!bn_fr_is_zero(&c->qk[i])) {
            uint64_t l[4];
            bn_fr_to_limbs(l, &t->a[i]);
            if (l[1] || l[2] || l[3] || l[0] >> BN_PLONK_LOOKUP_BITS) return 0;
        }
    }
    const bn_fr *col[3] = {t->a, t->b, t->w};
    for (size_t cell = 0; cell < 3 * n; cell++) {
        uint32_t d = c->sigma[cell];
        if (!bn_fr_eq(&col[cell / n][cell % n], &col[d / n][d % n])) return 0;
    }
    return 1;
}

/* every cell of the variable of `cell` (its cycle in sigma) set to v */
static void at_set_var(at_table *t, uint32_t cell, const bn_fr *v) {
    size_t n = t->c->n;
    bn_fr *col[3] = {t->a, t->b, t->w};
    uint32_t d = cell;
    do {
        col[d / n][d % n] = *v;
        d = t->c->sigma[d];
    } while (d != cell);
}

/* whether cells x and y hold the same variable (one cycle of sigma) */
static int at_same_var(const bn_plonk_circuit *c, uint32_t x, uint32_t y) {
    uint32_t d = x;
    do {
        if (d == y) return 1;
        d = c->sigma[d];
    } while (d != x);
    return 0;
}

/* the gate selectors of row i are (q_L, q_R, q_O, q_M, q_C) = sel */
static int at_gate_is(const bn_plonk_circuit *c, size_t i, const int64_t sel[5]) {
    for (int k = 0; k < 5; k++) {
        bn_fr v;
        bn_fr_from_i64(&v, sel[k]);
        if (!bn_fr_eq(&c->sel[k][i], &v)) return 0;
    }
    return 1;
}

/* 1 when the table holds; with a key, bn_plonk_check_witness must agree */
static int at_holds(const bn_plonk_pk *pk, const at_table *t) {
    int ok = at_table_ok(t->c, t);
    if (pk) {
        zk_err e = bn_plonk_check_witness(pk, t->a, t->b, t->w, t->pub, t->n_pub);
        TEST_CHECK((e == ZK_OK) == ok);
        TEST_CHECK(e == ZK_OK || e == ZK_EINPUT);
    }
    return ok;
}

/* The witness, rebuilt, must fail the check (the circuit is the same: it
 * does not depend on witness values). */
static int at_rejects(const bn_plonk_pk *pk, const q_model *m, const q_witness *w) {
    at_table t;
    if (at_build(&t, m, w)) return 0;
    int ok = at_holds(pk, &t);
    at_free(&t);
    return !ok;
}

static int64_t at_pick(zk_rng *rng, int64_t n) { return (int64_t)(zk_rng_u64(rng) % (uint64_t)n); }

/* Every kind of witness value, node by node. Returns the number of
 * tampered values tried (each a TEST_CHECK). */
enum { AT_ACC, AT_REM, AT_SIGN, AT_ARG, AT_ACT, AT_NKIND };
static int at_tamper_all(zk_rng *rng, const bn_plonk_pk *pk, const q_model *m, q_witness *w, int once) {
    int tried = 0, done[AT_NKIND] = {0};
    for (size_t ni = 0; ni < m->nnodes; ni++) {
        const q_node *nd = &m->nodes[ni];
        q_nwit *a = &w->nodes[ni];
        int32_t ty = (int32_t)ni + 1;
        int64_t ny = q_numel(m, ty);
        if (!ny) continue;
        int64_t i = at_pick(rng, ny);
        const int64_t *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
        if (once) { /* one value of each kind in the whole model (LeNet: each rebuild costs) */
            int todo = (a->acc && !done[AT_ACC]) || (a->rem && !done[AT_REM]) || (a->sign && !done[AT_SIGN]) ||
                       (a->arg && !done[AT_ARG]) || (nd->op != NN_RESHAPE && !nn_is_wire(nd->op) && !done[AT_ACT]);
            if (!todo) continue;
            done[AT_ACC] |= !!a->acc;
            done[AT_REM] |= !!a->rem;
            done[AT_SIGN] |= !!a->sign;
            done[AT_ARG] |= !!a->arg;
        }
        if (a->acc) { /* accumulator */
            a->acc[i] += 1;
            TEST_CHECK(at_rejects(pk, m, w));
            a->acc[i] -= 1;
            tried++;
        }
        if (a->rem) { /* remainder: relation */
            a->rem[i] += 1;
            TEST_CHECK(at_rejects(pk, m, w));
            a->rem[i] -= 1;
            tried++;
        }
        if (a->sign) { /* sign where x != 0: y = s x or the gated relations fail */
            for (int64_t j = 0; j < ny; j++)
                if (x[(i + j) % ny] != 0) {
                    int64_t jj = (i + j) % ny;
                    a->sign[jj] ^= 1;
                    TEST_CHECK(at_rejects(pk, m, w));
                    a->sign[jj] ^= 1;
                    tried++;
                    break;
                }
        }
        if (a->arg) { /* another real cell, of a different value */
            int64_t P = q_max_cells(m, nd), hit = 0;
            for (int64_t j = 0; j < ny && !hit; j++) {
                int64_t jj = (i + j) % ny, g = a->arg[jj];
                for (int64_t p = 0; p < P && !hit; p++) {
                    int64_t cp = q_max_cell(m, nd, jj, p);
                    if (p == g || cp < 0 || x[cp] == w->t[ty][jj]) continue;
                    a->arg[jj] = p;
                    TEST_CHECK(at_rejects(pk, m, w));
                    a->arg[jj] = g;
                    tried++;
                    hit = 1;
                }
            }
        }
        /* the node's output; a Reshape's or wiring op's (Pad, Transpose,
         * Slice, Resize) cells are its input's variables: nothing to change */
        if (nd->op != NN_RESHAPE && !nn_is_wire(nd->op) && !(once && done[AT_ACT]++)) {
            w->t[ty][i] += 1;
            TEST_CHECK(at_rejects(pk, m, w));
            w->t[ty][i] -= 1;
            tried++;
        }
        /* values that keep every gate and copy constraint but leave a range:
         * only the lookups catch them. rem + 2^k with y - 1 at the graph
         * output (nothing reads y there but the public row, which follows
         * the witness); the sign 0 where x = 0 (y = 0 either way, u = -1). */
        if (a->rem && q_op_rescales(nd->op) && nd->k >= 1 && ty == m->output) {
            a->rem[i] += (int64_t)1 << nd->k;
            w->t[ty][i] -= 1;
            TEST_CHECK(at_rejects(pk, m, w) == AT_HAVE_LOOKUP);
            a->rem[i] -= (int64_t)1 << nd->k;
            w->t[ty][i] += 1;
            tried++;
        }
        if (nd->op == NN_RELU) {
            for (int64_t j = 0; j < ny; j++)
                if (x[j] == 0) {
                    a->sign[j] = 0;
                    TEST_CHECK(at_rejects(pk, m, w) == AT_HAVE_LOOKUP);
                    a->sign[j] = 1;
                    tried++;
                    break;
                }
        }
    }
    return tried;
}

/* check (keyed: with bn_plonk_check_witness too), public output, the
 * circuit-only build, tampering (once: one value of each kind) */
static void at_end_to_end(zk_rng *rng, const char *name, const q_model *m, q_witness *w, int keyed, int once,
                          int prove) {
    at_table t;
    TEST_REQUIRE(at_build(&t, m, w) == ZK_OK);
    size_t rows = bn_arith_rows(m);
    unsigned log_n = bn_arith_log_n(m);
    TEST_CHECK(t.c->log_n == log_n && t.c->n >= rows &&
               (t.c->n / 2 < rows || log_n == BN_PLONK_LOOKUP_BITS || log_n == BN_PLONK_ZK_MIN_LOG));
    int64_t n_in = q_numel(m, 0), n_out = q_numel(m, m->output);
    TEST_CHECK(t.n_pub == (size_t)(n_in + n_out) && t.c->n_pub == t.n_pub);
    const int64_t *out = q_output(m, w);
    for (int64_t j = 0; j < n_out; j++) {
        bn_fr v;
        bn_fr_from_i64(&v, out[j]);
        TEST_CHECK(bn_fr_eq(&v, &t.pub[n_in + j]) && bn_fr_eq(&v, &t.a[n_in + j]));
    }
    bn_kzg_srs *srs = NULL;
    bn_plonk_pk *pk = NULL;
    bn_plonk_vk vk;
    bn_fr one1;
    bn_fr_one(&one1);
    if (keyed) {
        srs = bn_kzg_srs_gen(t.c->n + BN_PLONK_SRS_EXTRA, 0x5eed);
        zk_err ek = bn_plonk_keygen(&pk, &vk, t.c, srs);
        if (ek) fprintf(stderr, "%s: keygen: %s\n", name, zk_reason());
        TEST_CHECK(ek == ZK_OK);
        if (pk) {
            zk_err e = bn_plonk_check_witness(pk, t.a, t.b, t.w, t.pub, t.n_pub);
            if (e) fprintf(stderr, "%s: %s\n", name, zk_reason());
            TEST_CHECK(e == ZK_OK);
        }
    }
    int ok = at_holds(pk, &t);
    if (!ok) fprintf(stderr, "%s: the honest table fails\n", name);
    TEST_CHECK(ok);
    /* the custom gates: every accumulate row is followed by a row of the
     * table (its chain's next row or the row it lands on), never by a
     * padding row, and the last row has q_A = 0 (no wrap-around) */
    size_t nacc = 0, nbool = 0, inner = SIZE_MAX, last_acc = 0;
    for (size_t i = 0; i < t.c->n; i++) {
        nbool += !bn_fr_is_zero(&t.c->sel[BN_PLONK_QB][i]);
        if (bn_fr_is_zero(&t.c->sel[BN_PLONK_QA][i])) continue;
        nacc++;
        last_acc = i;
        if (i + 1 < t.c->n && !bn_fr_is_zero(&t.c->sel[BN_PLONK_QA][i + 1]) && inner == SIZE_MAX) inner = i + 1;
    }
    TEST_CHECK(nacc == 0 || last_acc + 1 < rows);
    TEST_CHECK(bn_fr_is_zero(&t.c->sel[BN_PLONK_QA][t.c->n - 1]));
    /* a wrong running sum inside a chain (c of a row between two
     * accumulate rows: a variable of one cell, so only the gates see it) */
    if (inner != SIZE_MAX) {
        bn_fr keep_c = t.w[inner];
        bn_fr_add(&t.w[inner], &keep_c, &one1);
        TEST_CHECK(!at_holds(pk, &t));
        if (pk && prove) { /* the forced proof fails (zero-knowledge, the default) */
            zk_buf p2;
            zk_buf_init(&p2);
            TEST_CHECK(bn_plonk_prove(&p2, pk, NULL, t.a, t.b, t.w, t.pub, t.n_pub) == ZK_OK);
            TEST_CHECK(bn_plonk_verify(&vk, t.pub, t.n_pub, p2.data, p2.len) == ZK_EPROOF);
            zk_buf_free(&p2);
        }
        t.w[inner] = keep_c;
    }
    /* The boolean gate where arith.h puts it, found by the rows' shapes
     * alone: a ReLU's y = s x row (q_M = 1, q_O = -1) two rows after u's
     * lookup row a = u, b = s, c = x; a max pool's e d = 0 row (q_M = 1
     * alone) right after d's lookup row (d on wire a, or on wire b of
     * its scaled row). Each must have q_B = 1. */
    size_t nrelu = 0, nmax = 0, qb_missing = 0, relu0 = SIZE_MAX;
    {
        size_t n = t.c->n;
        static const int64_t ysel[5] = {0, 0, -1, 1, 0}, esel[5] = {0, 0, 0, 1, 0};
        for (size_t i = 2; i < rows; i++) {
            int relu = at_gate_is(t.c, i, ysel) && !bn_fr_is_zero(&t.c->qk[i - 2]) &&
                       at_same_var(t.c, (uint32_t)(n + i - 2), (uint32_t)i) &&
                       at_same_var(t.c, (uint32_t)(2 * n + i - 2), (uint32_t)(n + i));
            int mx = at_gate_is(t.c, i, esel) && !bn_fr_is_zero(&t.c->qk[i - 1]) &&
                     (at_same_var(t.c, (uint32_t)(i - 1), (uint32_t)(n + i)) ||
                      at_same_var(t.c, (uint32_t)(n + i - 1), (uint32_t)(n + i)));
            if (!relu && !mx) continue;
            nrelu += relu;
            nmax += mx;
            qb_missing += bn_fr_is_zero(&t.c->sel[BN_PLONK_QB][i]);
            if (relu && relu0 == SIZE_MAX && bn_fr_is_zero(&t.b[i])) relu0 = i;
        }
        TEST_CHECK(qb_missing == 0);
        int has_relu = 0, has_max = 0;
        for (size_t k = 0; k < m->nnodes; k++) {
            has_relu |= m->nodes[k].op == NN_RELU;
            has_max |= m->nodes[k].op == NN_MAXPOOL || m->nodes[k].op == NN_GLOBALMAXPOOL;
        }
        TEST_CHECK(!has_relu || nrelu > 0);
        TEST_CHECK(!has_max || nmax > 0);
    }
    /* a ReLU row y = s x with x = 0 (so y = 0): s = 2/3, u = 1 (and the
     * scaled 2^(17 - b_act) u, b_act - 1 < 16) keep x = (2s - 1) u + s - 1 = 0,
     * every copy and every lookup; only q_B (s^2 - s) = 0 on y's row rejects
     * it (arith.h: u's lookup row, its scaled row, then y's row) */
    if (ok && relu0 != SIZE_MAX && m->s.b_act - 1 < 16) {
        size_t n = t.c->n, i = relu0;
        bn_fr two3, su;
        at_table s2 = t;
        s2.a = zk_malloc_n(n, sizeof(bn_fr));
        s2.b = zk_malloc_n(n, sizeof(bn_fr));
        s2.w = zk_malloc_n(n, sizeof(bn_fr));
        memcpy(s2.a, t.a, n * sizeof(bn_fr));
        memcpy(s2.b, t.b, n * sizeof(bn_fr));
        memcpy(s2.w, t.w, n * sizeof(bn_fr));
        bn_fr_from_u64(&two3, 3);
        bn_fr_inv(&two3, &two3);
        bn_fr_add(&two3, &two3, &two3);
        TEST_CHECK(at_same_var(t.c, (uint32_t)(n + i - 1), (uint32_t)(i - 2))); /* the scaled row's b is u */
        at_set_var(&s2, (uint32_t)i, &two3);       /* s */
        at_set_var(&s2, (uint32_t)(i - 2), &one1); /* u */
        bn_fr_from_u64(&su, (uint64_t)1 << (17 - m->s.b_act));
        at_set_var(&s2, (uint32_t)(i - 1), &su); /* 2^(17 - b_act) u */
        TEST_CHECK(!at_holds(pk, &s2));
        /* the same table without q_B on that row holds: nothing else
         * catches the non-bit */
        bn_fr keep_qb = t.c->sel[BN_PLONK_QB][i];
        bn_fr_zero(&t.c->sel[BN_PLONK_QB][i]);
        TEST_CHECK(at_table_ok(t.c, &s2));
        t.c->sel[BN_PLONK_QB][i] = keep_qb;
        free(s2.a);
        free(s2.b);
        free(s2.w);
        printf("  arith: %s: a ReLU sign s = 2/3 where x = 0 is caught by q_B alone\n", name);
    }
    /* the honest table proves and verifies with zk (the default; the
     * no-zk prover is test_plonk's, byte for byte against stored hashes,
     * and bench_experiments runs both on this table: a second 2^16-row
     * proof here would cost seconds under ASan for nothing new) */
    if (pk && prove && ok) {
        zk_buf pr;
        zk_buf_init(&pr);
        TEST_CHECK(bn_plonk_prove(&pr, pk, NULL, t.a, t.b, t.w, t.pub, t.n_pub) == ZK_OK);
        TEST_CHECK(pr.len == BN_PLONK_PROOF_BYTES);
        zk_err ev = bn_plonk_verify(&vk, t.pub, t.n_pub, pr.data, pr.len);
        if (ev) fprintf(stderr, "%s: the honest zk proof fails: %s\n", name, zk_reason());
        TEST_CHECK(ev == ZK_OK);
        /* another public output: rejected */
        bn_fr po = t.pub[n_in];
        bn_fr_add(&t.pub[n_in], &po, &one1);
        TEST_CHECK(bn_plonk_verify(&vk, t.pub, t.n_pub, pr.data, pr.len) == ZK_EPROOF);
        t.pub[n_in] = po;
        zk_buf_free(&pr);
    }
    /* a wrong public output */
    bn_fr keep = t.pub[n_in], one;
    bn_fr_one(&one);
    bn_fr_add(&t.pub[n_in], &keep, &one);
    TEST_CHECK(!at_holds(pk, &t));
    t.pub[n_in] = keep;
    /* the circuit alone (w == NULL) is the same table */
    at_table s;
    TEST_CHECK(bn_arith_build(&s.c, &s.a, &s.b, &s.w, &s.pub, &s.n_pub, m, NULL) == ZK_OK);
    TEST_CHECK(s.a == NULL && s.b == NULL && s.w == NULL && s.pub == NULL && s.n_pub == t.n_pub);
    if (s.c) {
        TEST_CHECK(s.c->n == t.c->n && memcmp(s.c->sigma, t.c->sigma, 3 * t.c->n * sizeof *s.c->sigma) == 0);
        for (int k = 0; k < BN_PLONK_NSEL; k++)
            TEST_CHECK(memcmp(s.c->sel[k], t.c->sel[k], t.c->n * sizeof(bn_fr)) == 0);
        TEST_CHECK(memcmp(s.c->qk, t.c->qk, t.c->n * sizeof(bn_fr)) == 0);
        bn_plonk_circuit_free(s.c);
    }
    if (ok) {
        int tried = at_tamper_all(rng, pk, m, w, once);
        TEST_CHECK(tried > 0 || m->nodes[0].op == NN_PAD);
        printf("  arith: %-42s %8zu rows (2^%u; %zu q_A, %zu q_B), %2d tampered witnesses rejected%s\n", name, rows,
               t.c->log_n, nacc, nbool, tried, keyed ? (prove ? " (keyed, proved)" : " (keyed)") : "");
    }
    bn_plonk_pk_free(pk);
    bn_kzg_srs_free(srs);
    at_free(&t);
}

/* ONNX model + calibration -> quantized model, witness of input file. */
static int at_load(q_model **m, q_witness **w, const char *name) {
    char path[128], calib[128], input[128];
    snprintf(path, sizeof path, "models/%s.onnx", name);
    snprintf(calib, sizeof calib, "models/calib/%s_calib.json", name);
    snprintf(input, sizeof input, "models/inputs/%s_0.json", name);
    if (access(path, R_OK) || access(calib, R_OK) || access(input, R_OK)) {
        printf("  arith: %s missing: skipped\n", name);
        return 0;
    }
    if (!test_quantize_model(m, path, calib)) return 0;
    size_t nin = (size_t)q_numel(*m, 0);
    float *x = NULL;
    TEST_CHECK(in_load_one(&x, input, nin) == ZK_OK);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_CHECK(q_quantize_input(xq, *m, x) == ZK_OK);
    zk_err e = q_run(w, *m, xq);
    free(x);
    free(xq);
    TEST_CHECK(e == ZK_OK);
    if (e) {
        q_model_free(*m);
        return 0;
    }
    return 1;
}

/* Conformance cases: one per op family (Conv with padding and strides,
 * MaxPool with padding, AvgPool with and without counted padding, global
 * pools, LeakyRelu, Add/Sub/Mul with a constant operand and broadcasting,
 * Pad, Gemm), and one per op the importer lowers onto those (Div, Max,
 * Min, Mean, ReduceMean, ReduceSum, ConvTranspose, Gemm with transA). A
 * case the importer or quantizer refuses is skipped. */
static void at_conformance(zk_rng *rng) {
    static const char *const cases[] = {
        "test_conv_with_strides_padding", "test_maxpool_2d_precomputed_pads", "test_maxpool_2d_ceil",
        "test_averagepool_2d_pads",       "test_averagepool_2d_pads_count_include_pad",
        "test_globalmaxpool",             "test_globalaveragepool",    "test_leakyrelu",
        "test_add_bcast",                 "test_sub_bcast",            "test_mul_bcast",
        "test_constant_pad",              "test_gemm_default_vector_bias", "test_relu",
        "test_matmul_2d",
        /* ops the importer lowers onto the ones above (issue 12 item 4) */
        "test_div_bcast", "test_max_two_inputs", "test_min_two_inputs", "test_mean_two_inputs",
        "test_reduce_mean_keepdims_example", "test_reduce_sum_keepdims_example", "test_convtranspose_pads",
        "test_gemm_transposeA",
    };
    int ran = 0;
    for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
        char dir[256];
        snprintf(dir, sizeof dir, "%s/%s", ARITH_TESTDATA, cases[ci]);
        if (access(dir, R_OK)) continue;
        nn_graph *g = NULL;
        float *in = NULL;
        onnx_feed *exp = NULL;
        if (onnx_testcase_load(&g, &in, &exp, dir) != ZK_OK) continue;
        onnx_feeds_free(exp, 1);
        size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
        q_model *m = NULL;
        q_witness *w = NULL;
        int64_t *xq = zk_malloc_n(nin, sizeof *xq);
        if (q_quantize(&m, g, in, 1, NULL) == ZK_OK && q_quantize_input(xq, m, in) == ZK_OK &&
            q_run(&w, m, xq) == ZK_OK) {
            at_end_to_end(rng, cases[ci], m, w, 0, 0, 0);
            ran++;
        }
        q_witness_free(w);
        q_model_free(m);
        free(xq);
        free(in);
        nn_graph_free(g);
    }
    printf("  arith: %d conformance cases end to end\n", ran);
}

/* ---------------------------------------------- a graph built here (as
 * tests/test_quant.c does, with test.h's builder): the ops no ONNX test case reaches, MatMul of
 * two computed tensors, Mul and Add of two tensors, Sub with the constant
 * first */

static float at_urand(zk_rng *rng) { return (float)((double)(zk_rng_u64(rng) >> 11) * 0x1p-53 * 2.0 - 1.0); }

static void at_graph(zk_rng *rng) {
    nn_graph *g = gb_new();
    g->input = gb_t(g, "x", 2, (int64_t[]){4, 6}, NULL);
    nn_shape rs = {.ndim = 2, .d = {6, 4}};
    int r = gb_n(g, NN_RESHAPE, gb_attrs(), 1, g->input, -1, -1, &rs);
    int y = gb_n(g, NN_MATMUL, gb_attrs(), 2, g->input, r, -1, NULL);     /* [4,4] */
    int p = gb_n(g, NN_MUL, gb_attrs(), 2, y, y, -1, NULL);               /* tensor x tensor */
    int s = gb_n(g, NN_ADD, gb_attrs(), 2, y, p, -1, NULL);               /* two scales */
    float cv[4];
    for (int i = 0; i < 4; i++) cv[i] = at_urand(rng);
    int c = gb_t(g, "c", 1, (int64_t[]){4}, cv);
    int d = gb_n(g, NN_SUB, gb_attrs(), 2, c, s, -1, NULL);               /* constant first, broadcast */
    gb_n(g, NN_RELU, gb_attrs(), 1, d, -1, -1, NULL);
    float cal[8 * 24];
    for (int i = 0; i < 8 * 24; i++) cal[i] = at_urand(rng);
    q_model *m = NULL;
    q_witness *w = NULL;
    int64_t xq[24];
    zk_err e = q_quantize(&m, g, cal, 8, NULL);
    if (e) fprintf(stderr, "graph: %s\n", zk_reason());
    TEST_CHECK(e == ZK_OK);
    if (!e) {
        TEST_CHECK(q_quantize_input(xq, m, cal) == ZK_OK);
        TEST_CHECK(q_run(&w, m, xq) == ZK_OK);
        if (w) at_end_to_end(rng, "matmul/mul/add/sub/relu graph", m, w, 0, 0, 0);
    }
    q_witness_free(w);
    q_model_free(m);
    nn_graph_free(g);
}

/* ---------------------------------------------- issue 11: a half-integer
 * activation (quant.h, q_int_rules). Over F_r, y 2^k + rem = acc + 2^(k-1)
 * with rem in [0, 2^k) does not make y an integer: rem' = rem - 2^(k-1) s,
 * y' = y + s/2 (s = +-1, whichever keeps rem' in range) keeps the relation
 * (an average pool's 2n y + rem = 2 acc + n the same with rem' = rem - n s).
 * When y feeds an FC, moving a set S of its cells whose weight columns sum
 * to zero mod 2 (a vector of the kernel of W mod 2 over GF(2), found by
 * enumerating the subsets) moves every accumulator of the FC by an
 * integer D_o = sum_{i in S} W[o,i] s_i / 2, and the FC's acc, y, rem
 * recomputed from acc + D_o are an integer witness for another output.
 * The table of that forged witness keeps every gate, copy and lookup of
 * the rescale and average rows and of the linear sums; only the range
 * check of y + A in [0, 2A) on Q_INT_CHECK tensors (arith.h, "integer
 * check") rejects it. */

/* c_next of every accumulate row recomputed in row order (the running sums
 * of the chains after an input of theirs changed) */
static void at_repair_chains(at_table *t) {
    size_t n = t->c->n;
    bn_fr one;
    bn_fr_one(&one);
    for (size_t i = 0; i + 1 < n; i++) {
        if (bn_fr_is_zero(&t->c->sel[BN_PLONK_QA][i])) continue;
        TEST_CHECK(bn_fr_eq(&t->c->sel[BN_PLONK_QA][i], &one));
        bn_fr acc, u;
        bn_fr_mul(&acc, &t->c->sel[BN_PLONK_QL][i], &t->a[i]);
        bn_fr_mul(&u, &t->c->sel[BN_PLONK_QR][i], &t->b[i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_mul(&u, &t->c->sel[BN_PLONK_QO][i], &t->w[i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_mul(&u, &t->a[i], &t->b[i]);
        bn_fr_mul(&u, &u, &t->c->sel[BN_PLONK_QM][i]);
        bn_fr_add(&acc, &acc, &u);
        bn_fr_add(&acc, &acc, &t->c->sel[BN_PLONK_QC][i]);
        bn_fr_add(&acc, &acc, &t->w[i]);
        at_set_var(t, (uint32_t)(2 * n + i + 1), &acc);
    }
}

/* the first row at or after `from` with selectors sel and wires (a, b, c)
 * holding (va, vb, vc); SIZE_MAX if none */
static size_t at_find_row(const at_table *t, size_t from, const int64_t sel[5], int64_t va, int64_t vb, int64_t vc) {
    bn_fr fa, fb, fc;
    bn_fr_from_i64(&fa, va);
    bn_fr_from_i64(&fb, vb);
    bn_fr_from_i64(&fc, vc);
    for (size_t r = from; r < t->c->n; r++)
        if (at_gate_is(t->c, r, sel) && bn_fr_eq(&t->a[r], &fa) && bn_fr_eq(&t->b[r], &fb) && bn_fr_eq(&t->w[r], &fc))
            return r;
    return SIZE_MAX;
}

static void at_print_out(const char *what, const int64_t *v, int64_t n) {
    printf("%s [", what);
    for (int64_t j = 0; j < n; j++) printf("%s%lld", j ? ", " : "", (long long)v[j]);
    printf("]");
}

/* g: tensor 1 (the first node's output: FC or GlobalAveragePool) read by
 * the last node, an FC (through a Reshape or directly); the forged table
 * must be rejected. */
static void at_half_forgery(const char *name, nn_graph *g, int keyed) {
    zk_rng rng;
    zk_rng_seed(&rng, 0x11a1f); /* fixed: the printed values are reproducible */
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
    float *cal = zk_malloc_n(16 * nin, sizeof *cal), *x = zk_malloc_n(nin, sizeof *x);
    for (size_t i = 0; i < 16 * nin; i++) cal[i] = at_urand(&rng);
    q_model *m = NULL;
    q_witness *w = NULL;
    zk_err e = q_quantize(&m, g, cal, 16, NULL);
    if (e) fprintf(stderr, "%s: %s\n", name, zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    const q_node *np = &m->nodes[0], *nc = &m->nodes[m->nnodes - 1];
    int avg = np->op == NN_GLOBALAVGPOOL;
    int64_t K = q_numel(m, 1), M = nc->cshape.d[0];
    TEST_REQUIRE(nc->op == NN_FC && nc->cshape.d[1] == K && K <= 16 && q_numel(m, m->output) == M && M <= 8);
    TEST_REQUIRE(avg || (np->op == NN_FC && np->k >= 1));
    q_int_rule *rule = zk_malloc_n(m->ntensors, sizeof *rule);
    q_int_rules(m, rule);
    TEST_CHECK(rule[1] == Q_INT_CHECK);
    /* an input for which some kernel vector moves the output */
    int64_t *xq = zk_malloc_n(nin, sizeof *xq), half[16], sg[16], d[8], y2[8], honest[8];
    uint32_t best = 0;
    int64_t best_score = 0;
    for (int trial = 0; trial < 64 && !best; trial++) {
        for (size_t i = 0; i < nin; i++) x[i] = at_urand(&rng);
        q_witness_free(w);
        w = NULL;
        if (q_quantize_input(xq, m, x) != ZK_OK || q_run(&w, m, xq) != ZK_OK) continue;
        const int64_t *rem = w->nodes[0].rem, *acc2 = w->nodes[m->nnodes - 1].acc, *y = q_output(m, w);
        for (int64_t i = 0; i < K; i++) {
            half[i] = avg ? q_avg_count(m, np, i) : (int64_t)1 << (np->k - 1);
            sg[i] = rem[i] >= half[i] ? 1 : -1; /* rem - half s in [0, 2 half) */
        }
        for (uint32_t S = 1; S < (1u << K); S++) {
            int ok = 1;
            int64_t score = 0;
            for (int64_t o = 0; o < M && ok; o++) {
                int64_t sum = 0;
                for (int64_t i = 0; i < K; i++)
                    if (S >> i & 1) sum += nc->w[o * K + i] * sg[i];
                ok = sum % 2 == 0;
                int64_t rr, yy = q_rescale(acc2[o] + sum / 2, nc->k, &rr);
                score += yy > y[o] ? yy - y[o] : y[o] - yy;
            }
            if (ok && score > best_score) best = S, best_score = score;
        }
    }
    TEST_REQUIRE(best != 0);
    /* the forged integer witness: rem of the cells of S, the FC's acc, y,
     * rem from the shifted accumulator; tensor 1 keeps its integers here
     * (the table gets y + s/2 below) */
    const int64_t *y1 = w->t[1];
    int64_t *rem1 = w->nodes[0].rem, *acc2 = w->nodes[m->nnodes - 1].acc, *rem2 = w->nodes[m->nnodes - 1].rem;
    int64_t *out = w->t[m->output];
    memcpy(honest, out, (size_t)M * sizeof *honest);
    for (int64_t o = 0; o < M; o++) {
        int64_t sum = 0;
        for (int64_t i = 0; i < K; i++)
            if (best >> i & 1) sum += nc->w[o * K + i] * sg[i];
        d[o] = sum / 2;
        acc2[o] += d[o];
        int64_t rr = 0;
        y2[o] = q_rescale(acc2[o], nc->k, &rr);
        out[o] = y2[o];
        if (rem2) rem2[o] = rr;
        else TEST_CHECK(rr == 0);
    }
    for (int64_t i = 0; i < K; i++)
        if (best >> i & 1) rem1[i] -= half[i] * sg[i];
    at_table t;
    TEST_REQUIRE(at_build(&t, m, w) == ZK_OK);
    size_t n = t.c->n, row[16], chk[16], nchk = 0, from = 0;
    int64_t A = q_act_bound(m);
    bn_fr h, one;
    bn_fr_one(&one);
    bn_fr_from_u64(&h, 2);
    bn_fr_inv(&h, &h);
    /* the rows defining tensor 1, in order: the rescale row (a = rem,
     * b = y, c = acc) or the average row */
    for (int64_t i = 0; i < K; i++) {
        /* rescale: half = 2^(k-1); average: half = n */
        const int64_t sel[5] = {1, 2 * half[i], avg ? -2 : -1, 0, -half[i]};
        row[i] = at_find_row(&t, from, sel, rem1[i], y1[i], w->nodes[0].acc[i]);
        TEST_REQUIRE(row[i] != SIZE_MAX);
        from = row[i] + 1;
    }
    for (int64_t i = 0; i < K; i++) {
        if (!(best >> i & 1)) continue;
        bn_fr yv, v, sh;
        bn_fr_from_i64(&yv, y1[i]);
        if (sg[i] > 0) bn_fr_add(&yv, &yv, &h);
        else bn_fr_sub(&yv, &yv, &h);
        at_set_var(&t, (uint32_t)(n + row[i]), &yv);
        /* the integer check of y (arith.h), if the table has one: its
         * y + A on wire a set to the forged y + A (every gate holds) */
        const int64_t csel[5] = {1, -1, 0, 0, -A};
        for (size_t r = 0; r < n; r++) {
            if (bn_fr_is_zero(&t.c->qk[r]) || !at_gate_is(t.c, r, csel) ||
                !at_same_var(t.c, (uint32_t)(n + r), (uint32_t)(n + row[i])))
                continue;
            bn_fr_from_i64(&sh, A);
            bn_fr_add(&v, &yv, &sh);
            at_set_var(&t, (uint32_t)r, &v);
            chk[nchk++] = r;
        }
    }
    at_repair_chains(&t);
    int64_t n_in = q_numel(m, 0);
    int differs = 0;
    for (int64_t o = 0; o < M; o++) {
        bn_fr v;
        bn_fr_from_i64(&v, y2[o]);
        TEST_CHECK(bn_fr_eq(&t.pub[n_in + o], &v));
        differs |= y2[o] != honest[o];
    }
    TEST_CHECK(differs);
    int holds = at_table_ok(t.c, &t);
    TEST_CHECK(nchk == (size_t)__builtin_popcount(best)); /* one check row per moved cell */
    /* without the lookups of the integer check the forgery holds: those
     * rows, and nothing else, reject it */
    for (size_t j = 0; j < nchk; j++) bn_fr_zero(&t.c->qk[chk[j]]);
    TEST_CHECK(at_table_ok(t.c, &t));
    for (size_t j = 0; j < nchk; j++) bn_fr_one(&t.c->qk[chk[j]]);
    const char *proof = "";
    if (keyed) {
        bn_kzg_srs *srs = bn_kzg_srs_gen(n + BN_PLONK_SRS_EXTRA, 0x5eed);
        bn_plonk_pk *pk = NULL;
        bn_plonk_vk vk;
        TEST_CHECK(bn_plonk_keygen(&pk, &vk, t.c, srs) == ZK_OK);
        if (pk) {
            zk_err ec = bn_plonk_check_witness(pk, t.a, t.b, t.w, t.pub, t.n_pub);
            TEST_CHECK((ec == ZK_OK) == holds);
            zk_buf pr;
            zk_buf_init(&pr);
            TEST_CHECK(bn_plonk_prove(&pr, pk, NULL, t.a, t.b, t.w, t.pub, t.n_pub) == ZK_OK);
            zk_err ev = bn_plonk_verify(&vk, t.pub, t.n_pub, pr.data, pr.len);
            proof = ev == ZK_OK ? "; its proof VERIFIES" : "; its proof is rejected";
            TEST_CHECK(ev == ZK_EPROOF);
            zk_buf_free(&pr);
        }
        bn_plonk_pk_free(pk);
        bn_kzg_srs_free(srs);
    }
    printf("  arith: issue 11, %s: cells", name);
    for (int64_t i = 0; i < K; i++)
        if (best >> i & 1) printf(" %lld%s", (long long)i, sg[i] > 0 ? "+" : "-");
    printf(" of tensor 1 (%s) moved by +-1/2, FC accumulators by", q_int_rule_name(rule[1]));
    for (int64_t o = 0; o < M; o++) printf(" %+lld", (long long)d[o]);
    printf(":\n        ");
    at_print_out("output honest", honest, M);
    at_print_out(", forged", y2, M);
    printf(": forged table %s (%zu integer-check lookups)%s\n", holds ? "ACCEPTED" : "rejected", nchk, proof);
    TEST_CHECK(!holds);
    at_free(&t);
    free(rule);
    free(xq);
    free(x);
    free(cal);
    q_witness_free(w);
    q_model_free(m);
}

/* The honest tables of graph g with its integer checks at b_act = 12 (v
 * and its scaled row), 16 (one lookup row) and 20 (two limbs), end to end
 * (row counts, lookups, tampering), and one check row per element of
 * tensor 1 */
static void at_int_check_widths(zk_rng *rng, const char *name, nn_graph *g) {
    static const int bits[] = {12, 16, 20};
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
    float *cal = zk_malloc_n(16 * nin, sizeof *cal);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    for (size_t i = 0; i < 16 * nin; i++) cal[i] = at_urand(rng);
    for (size_t bi = 0; bi < sizeof bits / sizeof bits[0]; bi++) {
        q_settings st;
        q_settings_default(&st);
        st.b_act = bits[bi];
        q_model *m = NULL;
        q_witness *w = NULL;
        char label[96];
        snprintf(label, sizeof label, "%s, b_act %d", name, bits[bi]);
        TEST_CHECK(q_quantize(&m, g, cal, 16, &st) == ZK_OK);
        if (m && q_quantize_input(xq, m, cal) == ZK_OK && q_run(&w, m, xq) == ZK_OK) {
            at_end_to_end(rng, label, m, w, 0, 0, 0);
            /* tensor 1's 8 elements, each with its check row v - y - A = 0 */
            const int64_t csel[5] = {1, -1, 0, 0, -q_act_bound(m)};
            at_table t;
            size_t nchk = 0;
            if (at_build(&t, m, w) == ZK_OK) {
                for (size_t r = 0; r < t.c->n; r++) nchk += at_gate_is(t.c, r, csel);
                at_free(&t);
            }
            TEST_CHECK(nchk == 8);
        } else {
            TEST_CHECK(0);
        }
        q_witness_free(w);
        q_model_free(m);
    }
    free(cal);
    free(xq);
}

static void at_half_forgeries(zk_rng *trng) {
    zk_rng rng;
    zk_rng_seed(&rng, 0xf00d);
    float w1[8 * 16], b1[8], w2[2 * 8], w3[2 * 8];
    for (int i = 0; i < 8 * 16; i++) w1[i] = at_urand(&rng) * 0.5f;
    for (int i = 0; i < 8; i++) b1[i] = at_urand(&rng) * 0.5f;
    for (int i = 0; i < 16; i++) w2[i] = at_urand(&rng), w3[i] = at_urand(&rng);
    { /* input [1,16] -> FC 16->8 -> FC 8->2 */
        nn_graph *g = gb_new();
        g->input = gb_t(g, "x", 2, (int64_t[]){1, 16}, NULL);
        int W1 = gb_t(g, "W1", 2, (int64_t[]){8, 16}, w1), B1 = gb_t(g, "B1", 1, (int64_t[]){8}, b1);
        int y = gb_n(g, NN_FC, gb_attrs(), 3, g->input, W1, B1, NULL);
        int W2 = gb_t(g, "W2", 2, (int64_t[]){2, 8}, w2);
        gb_n(g, NN_FC, gb_attrs(), 2, y, W2, -1, NULL);
        /* with GKRCNN_TEST_SLOW set, also a full PLONK keygen, proof and
         * verification of the forged table (about 45 s under ASan; the
         * table check above is the same constraint system) */
        at_half_forgery("FC 16->8 -> FC 8->2", g, getenv("GKRCNN_TEST_SLOW") != NULL);
        at_int_check_widths(trng, "FC 16->8 -> FC 8->2", g);
        nn_graph_free(g);
    }
    { /* input [1,8,2,2] -> GlobalAveragePool -> Reshape [1,8] -> FC 8->2 */
        nn_graph *g = gb_new();
        g->input = gb_t(g, "x", 4, (int64_t[]){1, 8, 2, 2}, NULL);
        int p = gb_n(g, NN_GLOBALAVGPOOL, gb_attrs(), 1, g->input, -1, -1, NULL);
        nn_shape rs = {.ndim = 2, .d = {1, 8}};
        int r = gb_n(g, NN_RESHAPE, gb_attrs(), 1, p, -1, -1, &rs);
        int W3 = gb_t(g, "W3", 2, (int64_t[]){2, 8}, w3);
        gb_n(g, NN_FC, gb_attrs(), 2, r, W3, -1, NULL);
        at_half_forgery("GlobalAveragePool -> Reshape -> FC 8->2", g, 0);
        at_int_check_widths(trng, "GAP -> Reshape -> FC 8->2", g);
        nn_graph_free(g);
    }
}

/* refusals: a skeleton, a witness of another model */
static void at_refusals(const q_model *m, const q_witness *w) {
    at_table t;
    q_witness other = *w;
    other.nnodes = w->nnodes + 1;
    TEST_CHECK(bn_arith_build(&t.c, &t.a, &t.b, &t.w, &t.pub, &t.n_pub, m, &other) == ZK_EINPUT);
    TEST_CHECK(t.c == NULL && t.a == NULL);
    zk_buf sk;
    zk_buf_init(&sk);
    q_model_serialize_skeleton(&sk, m);
    q_model *s = NULL;
    TEST_CHECK(q_model_deserialize_skeleton(&s, sk.data, sk.len) == ZK_OK);
    if (s) {
        TEST_CHECK(bn_arith_rows(s) == bn_arith_rows(m)); /* rows need no constants */
        TEST_CHECK(bn_arith_build(&t.c, &t.a, &t.b, &t.w, &t.pub, &t.n_pub, s, NULL) == ZK_EINPUT);
        q_model_free(s);
    }
    zk_buf_free(&sk);
}

void test_arith(zk_rng *rng) {
    q_model *m = NULL;
    q_witness *w = NULL;
    if (at_load(&m, &w, "mlp3_fashion")) {
        at_end_to_end(rng, "mlp3_fashion", m, w, 1, 0, 1);
        at_refusals(m, w);
        q_witness_free(w);
        q_model_free(m);
    }
    if (at_load(&m, &w, "lenet5_fashion")) {
        at_end_to_end(rng, "lenet5_fashion", m, w, 0, 1, 0);
        q_witness_free(w);
        q_model_free(m);
    }
    at_graph(rng);
    at_half_forgeries(rng);
    at_conformance(rng);
}
