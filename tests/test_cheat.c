/* test_cheat.c -- strategic cheating provers against the CNN verifier
 * (issue 11). Single-value changes are always caught; these strategies
 * change several values so that every local relation still holds over
 * F_p, then let the real prover (src/layers) prove the result:
 *
 *   half      rescale remainders rem' = rem - sigma 2^(k-1) (average pools:
 *             rem - sigma n) on a set of cells, so y' = y + sigma/2 -- a
 *             value near p/2 -- chosen by solving over GF(2) so that every
 *             linear node reading y sees an accumulator that moved by an
 *             integer; everything after is recomputed honestly. One
 *             producer at a time, and both branches of an Add/Sub at once
 *             (a residual Add whose branches carry fractions).
 *   frac      y' = y + a 2^-k with rem' = rem - a (a random, or 1, or
 *             +-2^(k-1)) on a few cells of any remainder-carrying node,
 *             propagated through the linear nodes after it.
 *   tensor    a fraction added to one cell of any activation (a ReLU or
 *             max-pool output too), with the advice the prover derives.
 *   winner    a max pool's output moved to a smaller window cell, with the
 *             choice bits and the differences d = y - x made to match (the
 *             largest cell's d is then negative).
 *   choice    a max pool's output kept, its choice moved to another real
 *             cell (whose d = y - x is then not 0 under a choice bit 1).
 *   mult      lookup multiplicities moved between table entries (the
 *             range table's, and every function table's).
 *   smax      Softmax / LogSoftmax: a group's maximum moved to a smaller
 *             cell (the differences, exponentials, sum and outputs made to
 *             match: one difference is then negative); a wrong quotient y
 *             +- 1 with its remainder moved by 2S (then out of range) or
 *             left (then the division fails); LogSoftmax y +- 1.
 *   pair      a table op's (index, value) pair made wrong: the value
 *             F(i) +- 1 for the honest index; the next index's row with
 *             the input left (its remainder then no longer adds up) or
 *             with the remainder moved by 2^s (then out of its range).
 *   dead      (any strategy on a model with dead nodes: a ReLU or a chain
 *             whose result no live node reads) the dead nodes' relations
 *             ignored, their advice left honest (dead_hook): the verifier
 *             never reduces a dead node, so a dead ReLU must not count as
 *             the range check of the tensor it reads (q_int_rules).
 *
 * Every strategy runs on small random graphs covering each layer kind,
 * LeNet-5 (with a public output, and again with a class-only output,
 * protocol.md 7.8.4, where an accepted proof must attest q_run's argmax)
 * and the benchmark ResNet (when models/resnet_small.onnx is there: make
 * models). The test fails if any accepted proof attests an output other
 * than q_run's. With the integer range checks switched off
 * (cnn_test_int_checks, ZK_VERIFY builds only: the protocol as it was
 * before issue 11), the half strategy must find accepted forgeries on the
 * graphs where it applies -- so the strategies are not vacuous.
 *
 * Zero knowledge (issue 13: every visibility). Every run above is made with
 * plain keys and again with zk keys (protocol.md 9.5-9.7), whose forgeries
 * are proved with the input's and output's commitment seeds of the keys
 * and verified with cnn_verify_private where a side is private; an
 * accepted proof must attest q_run's statement: the input or the root of
 * its commitment (cnn_input_root), the output, its argmax or the root of
 * its commitment (cnn_output_root). All six zk visibilities (public or
 * private input, public, class or private output) for every graph would
 * take several times make test's budget, so: on each small graph the zk
 * forgeries (a sample, as on a large model: heavy = 1, with choice) take
 * turns, strategy by strategy over the whole run (next_keys), between the
 * zk keys with a public input and output and zk_modes[1 + kind % 5] (not
 * on lut2, softmax and relu6-table, whose strategies lut, softmax-out,
 * logsoftmax and clip-table run under zk keys); on LeNet-5 one by one over
 * the public zk keys and a private input with a class or a private
 * output; the ResNet's zk run (a private input and output) moves only
 * multiplicities, which reach its two-challenge lookup; cheat_range and
 * cheat_edge run under all six.
 * test_cheat checks that every strategy ran under the zk keys with a
 * public input and output and under some private or class visibility,
 * and that each visibility took at least four strategies. Every forgery
 * must have changed the prover's witness, or its auxiliary table outside
 * the zk pad region (prove_forged), under every key: a strategy that a
 * layout change made a no-op fails. The zk runs draw from their own
 * generator, so the plain runs draw as before (but for choice skipping ties). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/layers/cnn_test.h"
#include "../src/quant/qint.h"
#include "test.h"

/* ------------------------------------------------ field-valued witnesses */

/* A witness whose tensors are integers plus sparse field parts: the value
 * of tensor t at cell c is base->t[t][c] + delta[t][c] (mod p); node i's
 * accumulator is base->nodes[i].acc + dacc[i]. */
typedef struct {
    const q_model *m;
    q_witness *base;
    fm61 **delta; /* per tensor, NULL: none */
    fm61 **dacc;  /* per node, NULL: none */
    int stuck;    /* a node whose relations no consistent change could satisfy */
} fw;

static q_witness *wit_copy(const q_model *m, const q_witness *w) {
    q_witness *c = zk_calloc(1, sizeof *c);
    c->ntensors = w->ntensors;
    c->nnodes = w->nnodes;
    c->t = zk_calloc(w->ntensors, sizeof *c->t);
    c->nodes = zk_calloc(w->nnodes, sizeof *c->nodes);
    for (size_t t = 0; t < w->ntensors; t++) {
        size_t n = (size_t)q_numel(m, (int32_t)t);
        c->t[t] = zk_malloc_n(n, 8);
        memcpy(c->t[t], w->t[t], n * 8);
    }
    for (size_t i = 0; i < w->nnodes; i++) {
        size_t n = (size_t)q_numel(m, (int32_t)i + 1);
        int64_t **src[4] = {&w->nodes[i].acc, &w->nodes[i].rem, &w->nodes[i].sign, &w->nodes[i].arg};
        int64_t **dst[4] = {&c->nodes[i].acc, &c->nodes[i].rem, &c->nodes[i].sign, &c->nodes[i].arg};
        for (int k = 0; k < 4; k++)
            if (*src[k]) {
                *dst[k] = zk_malloc_n(n, 8);
                memcpy(*dst[k], *src[k], n * 8);
            }
    }
    return c;
}

static void fw_init(fw *f, const q_model *m, const q_witness *honest) {
    f->m = m;
    f->base = wit_copy(m, honest);
    f->delta = zk_calloc(m->ntensors, sizeof *f->delta);
    f->dacc = zk_calloc(m->nnodes, sizeof *f->dacc);
    f->stuck = 0;
}

static void fw_free(fw *f) {
    for (size_t t = 0; t < f->m->ntensors; t++) free(f->delta[t]);
    for (size_t i = 0; i < f->m->nnodes; i++) free(f->dacc[i]);
    free(f->delta);
    free(f->dacc);
    q_witness_free(f->base);
}

static fm61 *fw_delta(fw *f, int32_t t) {
    if (!f->delta[t]) f->delta[t] = zk_calloc((size_t)q_numel(f->m, t), sizeof(fm61));
    return f->delta[t];
}

/* the small integer a field element stands for, if it is one */
static int f_small(fm61 v, int64_t *out) {
    int64_t c = fm61_to_i64(v);
    if (c > ((int64_t)1 << 40) || c < -((int64_t)1 << 40)) return 0;
    *out = c;
    return 1;
}

static fm61 f_inv_pow2(int k) { return fm61_inv((fm61)1 << k); }
static fm61 f_half(void) { return fm61_inv(2); }

/* live[t]: tensor t is the graph output or read by a node whose output is
 * live -- the tensors the verifier ever makes a claim on. A node is live
 * when its output is; a dead node is never reduced, so a cheater need not
 * keep its relations (only its advice values, which the lookup still
 * range-checks). Owned by the caller. */
static uint8_t *live_tensors(const q_model *m) {
    uint8_t *live = zk_calloc(m->ntensors, 1);
    live[m->output] = 1;
    for (size_t j = m->nnodes; j-- > 0;)
        if (live[j + 1])
            for (int k = 0; k < 2; k++)
                if (m->nodes[j].in[k] >= 0) live[m->nodes[j].in[k]] = 1;
    return live;
}

/* Recomputes nodes from..end: integer nodes by q_run_node on the base;
 * linear nodes reading field parts get accumulators moved by the field
 * amount (computed column by column from q_node_acc: the accumulator is
 * affine in each operand) and keep their remainders unless the move is an
 * integer; nodes that cannot take a field input (ReLU, max pool, an input
 * read twice by a product) mark the witness stuck and compute from the
 * base, which the verifier must then reject. */
static void fw_run(fw *f, size_t from) {
    const q_model *m = f->m;
    uint8_t *live = live_tensors(m);
    for (size_t i = from; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        int32_t ty = (int32_t)i + 1;
        int64_t ny = q_numel(m, ty);
        free(f->delta[ty]);
        f->delta[ty] = NULL;
        free(f->dacc[i]);
        f->dacc[i] = NULL;
        if (!live[ty]) { /* dead: honest from the base (its advice: dead_hook) */
            (void)!q_run_node(m, f->base, i);
            continue;
        }
        int withd[2] = {0, 0}, nd_in = 0;
        for (int k = 0; k < 2; k++)
            if (nd->in[k] >= 0 && f->delta[nd->in[k]]) {
                const fm61 *d = f->delta[nd->in[k]];
                for (int64_t c = 0; c < q_numel(m, nd->in[k]); c++)
                    if (d[c]) {
                        withd[k] = 1;
                        break;
                    }
                nd_in += withd[k];
            }
        (void)!q_run_node(m, f->base, i); /* an out-of-range value is the cheater's problem */
        if (!nd_in) continue;
        int lin = q_op_rescales(nd->op) || nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL;
        if (nd->op == NN_RESHAPE || nn_is_wire(nd->op)) {
            fm61 *d = fw_delta(f, ty);
            const fm61 *dx = f->delta[nd->in[0]];
            for (int64_t o = 0; o < ny; o++) {
                int64_t s = nd->op == NN_RESHAPE ? o : q_wire_src(m, nd, o);
                if (s >= 0) d[o] = dx[s];
            }
            continue;
        }
        if ((nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL) && withd[0]) {
            /* y moves with the chosen cell; d = y - x must stay an integer */
            const fm61 *dx = f->delta[nd->in[0]];
            fm61 *d = fw_delta(f, ty);
            int64_t P = q_max_cells(m, nd), di;
            for (int64_t o = 0; o < ny; o++) {
                fm61 da = dx[q_max_cell(m, nd, o, f->base->nodes[i].arg[o])];
                d[o] = da;
                for (int64_t p = 0; p < P; p++) {
                    int64_t cp = q_max_cell(m, nd, o, p);
                    if (cp >= 0 && !f_small(fm61_sub(dx[cp], da), &di)) f->stuck = 1;
                }
            }
            continue;
        }
        if (!lin || (nd_in == 2 && (nd->op == NN_MUL || nd->op == NN_MATMUL))) {
            f->stuck = 1;
            continue;
        }
        /* F[o] = sum over changed cells c of delta_c * (acc(base + e_c) - acc(base)) */
        fm61 *F = zk_calloc((size_t)ny, sizeof *F);
        int64_t *a1 = zk_malloc_n((size_t)ny, 8);
        const int64_t *a0 = f->base->nodes[i].acc;
        for (int k = 0; k < 2; k++) {
            if (!withd[k]) continue;
            int32_t tx = nd->in[k];
            const fm61 *dx = f->delta[tx];
            for (int64_t c = 0; c < q_numel(m, tx); c++) {
                if (!dx[c]) continue;
                f->base->t[tx][c] += 1;
                q_node_acc(m, i, f->base->t, a1);
                f->base->t[tx][c] -= 1;
                for (int64_t o = 0; o < ny; o++)
                    if (a1[o] != a0[o]) F[o] = fm61_add(F[o], fm61_mul(dx[c], fm61_from_i64(a1[o] - a0[o])));
            }
        }
        free(a1);
        q_nwit *nw = &f->base->nodes[i];
        int64_t *y = f->base->t[ty];
        for (int64_t o = 0; o < ny; o++) {
            if (!F[o]) continue;
            int avg = nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL;
            int64_t n = avg ? q_avg_count(m, nd, o) : 0, fi;
            if (!avg && f_small(F[o], &fi)) { /* an integer move: honest from here */
                nw->acc[o] += fi;
                int64_t r = 0;
                y[o] = q_rescale(nw->acc[o], nd->k, &r);
                if (nw->rem) nw->rem[o] = r;
                continue;
            }
            if (!f->dacc[i]) f->dacc[i] = zk_calloc((size_t)ny, sizeof(fm61));
            if (avg && f_small(fm61_add(F[o], F[o]), &fi)) { /* 2 acc + n is still an integer */
                int64_t num = 2 * nw->acc[o] + fi + n, q = num >= 0 ? num / (2 * n) : -((-num + 2 * n - 1) / (2 * n));
                f->dacc[i][o] = F[o];
                y[o] = q;
                nw->rem[o] = num - 2 * n * q;
                continue;
            }
            /* a fraction: the remainder stays, y moves by F / 2^k (or F / n) */
            f->dacc[i][o] = F[o];
            fm61 s = avg ? fm61_inv(fm61_from_i64(n)) : nd->k >= 1 ? f_inv_pow2(nd->k) : (fm61)1 << -nd->k;
            fw_delta(f, ty)[o] = fm61_mul(F[o], s);
        }
        free(F);
    }
    free(live);
}

/* The witness the prover gets: field values as canonical representatives. */
static q_witness *fw_materialize(const fw *f) {
    q_witness *w = wit_copy(f->m, f->base);
    for (size_t t = 0; t < f->m->ntensors; t++)
        if (f->delta[t])
            for (int64_t c = 0; c < q_numel(f->m, (int32_t)t); c++)
                if (f->delta[t][c]) w->t[t][c] = (int64_t)fm61_add(fm61_from_i64(w->t[t][c]), f->delta[t][c]);
    for (size_t i = 0; i < f->m->nnodes; i++)
        if (f->dacc[i])
            for (int64_t o = 0; o < q_numel(f->m, (int32_t)i + 1); o++)
                if (f->dacc[i][o])
                    w->nodes[i].acc[o] = (int64_t)fm61_add(fm61_from_i64(w->nodes[i].acc[o]), f->dacc[i][o]);
    return w;
}

/* ------------------------------------------------------- proving a forgery */

typedef struct {
    const q_witness *forged;
} inject;

static void inject_hook(void *ctx, const q_model *m, q_witness *w) {
    const q_witness *src = ((const inject *)ctx)->forged;
    for (size_t t = 0; t < m->ntensors; t++) memcpy(w->t[t], src->t[t], (size_t)q_numel(m, (int32_t)t) * 8);
    for (size_t i = 0; i < m->nnodes; i++) {
        size_t n = (size_t)q_numel(m, (int32_t)i + 1) * 8;
        if (src->nodes[i].acc) memcpy(w->nodes[i].acc, src->nodes[i].acc, n);
        if (src->nodes[i].rem) memcpy(w->nodes[i].rem, src->nodes[i].rem, n);
        if (src->nodes[i].sign) memcpy(w->nodes[i].sign, src->nodes[i].sign, n);
        if (src->nodes[i].arg) memcpy(w->nodes[i].arg, src->nodes[i].arg, n);
    }
}

/* 1 when witnesses a and b of m differ anywhere (tensors or advice) */
static int wit_differs(const q_model *m, const q_witness *a, const q_witness *b) {
    for (size_t t = 0; t < m->ntensors; t++)
        if (memcmp(a->t[t], b->t[t], (size_t)q_numel(m, (int32_t)t) * 8)) return 1;
    for (size_t i = 0; i < m->nnodes; i++) {
        size_t n = (size_t)q_numel(m, (int32_t)i + 1) * 8;
        const int64_t *pa[4] = {a->nodes[i].acc, a->nodes[i].rem, a->nodes[i].sign, a->nodes[i].arg};
        const int64_t *pb[4] = {b->nodes[i].acc, b->nodes[i].rem, b->nodes[i].sign, b->nodes[i].arg};
        for (int k = 0; k < 4; k++)
            if (pa[k] && pb[k] && memcmp(pa[k], pb[k], n)) return 1;
    }
    return 0;
}

/* ------------------------------------------- visibilities and statements */

/* The keys a strategy runs against (issue 13: every visibility): plain, or
 * zero-knowledge (q_settings.zk_mc; protocol.md 9.5) with a public or
 * private input (9.6) and a public, class-only (7.8.4) or private (9.7)
 * output. The plain keys take a public input and a public or class output. */
typedef struct {
    int zk, in_vis, out_vis;
} cheat_mode;

/* The visibilities (protocol.md 9.5-9.7). zk_modes[0] is the zk mode with
 * a public input and output; the other five are the zk combinations with a
 * private input or a class or private output. */
static const cheat_mode plain_mode = {0, Q_IN_PUBLIC, Q_OUT_PUBLIC};
static const cheat_mode zk_modes[6] = {{1, Q_IN_PUBLIC, Q_OUT_PUBLIC},   {1, Q_IN_PRIVATE, Q_OUT_PRIVATE},
                                       {1, Q_IN_PUBLIC, Q_OUT_CLASS},    {1, Q_IN_PRIVATE, Q_OUT_PUBLIC},
                                       {1, Q_IN_PUBLIC, Q_OUT_PRIVATE},  {1, Q_IN_PRIVATE, Q_OUT_CLASS}};

static void mode_name(char *s, size_t n, cheat_mode md) {
    snprintf(s, n, "%s%s%s", md.zk ? "zk" : "plain", md.in_vis == Q_IN_PRIVATE ? ", private input" : "",
             md.out_vis == Q_OUT_CLASS ? ", class output" : md.out_vis == Q_OUT_PRIVATE ? ", private output" : "");
}

/* What a verified proof attests, as cnn_verify_private reports it: the
 * input or the root of its commitment, and the output, its class (out[0])
 * or the root of its commitment. The honest statement (stmt_expect) is
 * q_run's input and output, committed from the prover's seeds. */
typedef struct {
    int64_t *in, *out;                 /* owned; NULL when private */
    uint8_t root[2][PCS_DIGEST_BYTES]; /* the private input's, output's */
} stmt;

static void stmt_free(stmt *s) {
    free(s->in);
    free(s->out);
    memset(s, 0, sizeof *s);
}

/* The statement of input x with output y (q_run's) under k's visibilities
 * and the commitment seeds. */
static void stmt_expect(stmt *s, const cnn_key *k, const int64_t *x, const int64_t *y, const uint8_t seed[2][32]) {
    const q_model *m = k->m;
    size_t nin = (size_t)q_numel(m, 0), nout = (size_t)q_numel(m, m->output);
    memset(s, 0, sizeof *s);
    if (m->s.in_vis == Q_IN_PRIVATE) {
        TEST_CHECK(cnn_input_root(s->root[0], k, x, seed[0]) == ZK_OK);
    } else {
        s->in = zk_malloc_n(nin, sizeof *s->in);
        memcpy(s->in, x, nin * sizeof *x);
    }
    if (m->s.out_vis == Q_OUT_PRIVATE) {
        TEST_CHECK(cnn_output_root(s->root[1], k, y, seed[1]) == ZK_OK);
    } else {
        s->out = zk_malloc_n(nout, sizeof *s->out);
        memcpy(s->out, y, nout * sizeof *y);
        if (m->s.out_vis == Q_OUT_CLASS) s->out[0] = q_argmax(y, (int64_t)nout);
    }
}

/* Verifies proof as the key's user would (cnn_verify; cnn_verify_private
 * when the input or the output is private) and fills *s on ZK_OK. */
static zk_err stmt_verify(stmt *s, const cnn_key *vk, const zk_buf *proof) {
    const q_model *m = vk->m;
    memset(s, 0, sizeof *s);
    if (m->s.in_vis != Q_IN_PRIVATE && m->s.out_vis != Q_OUT_PRIVATE)
        return cnn_verify(vk, proof->data, proof->len, &s->in, &s->out);
    return cnn_verify_private(vk, proof->data, proof->len, &s->in, &s->out, s->root[0], s->root[1]);
}

/* 0 when a proof's statement got, accepted with key k, is the honest one
 * want; else 1, with where they differ in why */
static int stmt_differs(const stmt *got, const stmt *want, const cnn_key *k, char *why, size_t n) {
    const q_model *m = k->m;
    size_t nin = (size_t)q_numel(m, 0), nout = (size_t)q_numel(m, m->output), at = 0;
    int d = 0;
    why[0] = 0;
#define WHY(...) (at += (size_t)snprintf(why + at, at < n ? n - at : 0, __VA_ARGS__), at = at < n ? at : n)
    if (!want->in != !got->in) WHY(" the input's visibility"), d = 1;
    else if (want->in ? memcmp(got->in, want->in, nin * 8) != 0 : memcmp(got->root[0], want->root[0], 32) != 0) {
        d = 1;
        if (!want->in) WHY(" the input commitment");
        for (size_t j = 0; j < nin && want->in; j++)
            if (got->in[j] != want->in[j]) WHY(" input[%zu] %lld != %lld", j, (long long)got->in[j], (long long)want->in[j]);
    }
    if (!want->out != !got->out) WHY(" the output's visibility"), d = 1;
    else if (!want->out) {
        if (memcmp(got->root[1], want->root[1], 32) != 0) WHY(" the output commitment"), d = 1;
    } else if (m->s.out_vis == Q_OUT_CLASS) {
        if (got->out[0] != want->out[0]) WHY(" the class: %lld != %lld", (long long)got->out[0], (long long)want->out[0]), d = 1;
    } else {
        for (size_t o = 0; o < nout; o++)
            if (got->out[o] != want->out[o])
                WHY(" output[%zu] %lld != %lld", o, (long long)got->out[o], (long long)want->out[o]), d = 1;
    }
#undef WHY
    return d;
}

/* A cheating proof: the prover's witness replaced by forged (NULL: left)
 * and then, with adv_fn, its auxiliary table changed; the private input's
 * and output's commitments made from seed. *changed: whether the prover
 * proved anything other than its honest witness and table -- a witness
 * other than q_run's, or a table cell changed outside the zk mode's pad
 * region (which no claim reads) -- so that no strategy silently becomes a
 * no-op under some key. */
typedef struct {
    inject in;
    cnn_adv_hook fn;
    void *ctx;
    int changed;
} watch;

static void watch_witness(void *ctx, const q_model *m, q_witness *w) {
    watch *wa = ctx;
    if (!wa->in.forged) return;
    wa->changed |= wit_differs(m, w, wa->in.forged);
    inject_hook(&wa->in, m, w);
}

static void watch_adv(void *ctx, const pl_plan *pl, fm61 *adv) {
    watch *wa = ctx;
    size_t n = (size_t)1 << pl->anv;
    fm61 *before = zk_malloc_n(n, sizeof *before);
    memcpy(before, adv, n * sizeof *adv);
    wa->fn(wa->ctx, pl, adv);
    size_t p0 = pl->zk_pad >= 0 ? pl->reg[pl->zk_pad].off : n, p1 = pl->zk_pad >= 0 ? p0 + ((size_t)1 << pl->reg[pl->zk_pad].nv) : n;
    for (size_t k = 0; k < n && !wa->changed; k++) wa->changed = before[k] != adv[k] && (k < p0 || k >= p1);
    free(before);
}

static zk_err prove_forged(zk_buf *proof, const cnn_key *pk, const int64_t *xq, const uint8_t seed[2][32],
                           const q_witness *forged, cnn_adv_hook adv_fn, void *adv_ctx, int *changed) {
    watch wa = {.in = {.forged = forged}, .fn = adv_fn, .ctx = adv_ctx};
    cnn_prover *pv = NULL;
    zk_err e = cnn_prover_new_lazy(&pv, pk);
    if (e == ZK_OK) {
        cnn_prover_set_input_seed(pv, seed[0]);
        cnn_prover_set_output_seed(pv, seed[1]);
        cnn_set_witness_hook(watch_witness, &wa);
        cnn_set_adv_hook(adv_fn ? watch_adv : NULL, &wa);
        e = cnn_prover_prove(pv, proof, xq, NULL, NULL);
        cnn_set_witness_hook(NULL, NULL);
        cnn_set_adv_hook(NULL, NULL);
    }
    cnn_prover_free(pv);
    *changed = wa.changed;
    return e;
}

typedef struct {
    long tried, accepted, forged;  /* forged: accepted with a statement other than q_run's */
    long weak_tried, weak_forged;  /* the same against the protocol without the integer checks */
} tally;

/* One key pair a model's strategies run against, with what they need. */
typedef struct {
    cheat_mode md;
    cnn_key *pk, *vk;             /* owned */
    const cnn_key *wpk, *wvk;     /* for the plans without the integer checks: pk, vk (ZK_VERIFY builds) or NULL */
    fm61 *hadv[2];                /* with dead nodes: the honest ADV of pk, of wpk */
    uint8_t seed[2][32];          /* the private input's and output's commitment seeds */
    stmt want;                    /* q_run's statement under pk */
    tally t;
} keyset;

typedef struct {
    const char *model;
    const q_model *m;     /* the keys' model (the same graph under every key) */
    const int64_t *xq;
    const q_witness *honest;
    const uint8_t *live;  /* live_tensors */
    keyset *ks;           /* the forgeries take turns over ks[0..nks) (next_keys) */
    size_t nks, *turn;
} target;

/* ---------------------------------------------------------- dead nodes */

/* A model may hold nodes whose output no live node reads (q_model allows
 * them; the ONNX importer removes them). The verifier never reduces such a
 * node, so a cheater forges the live tensors and leaves the dead nodes'
 * advice honest: their range-checked values (a ReLU's u, a max pool's d)
 * would otherwise be computed from the forged inputs and fail the lookup
 * for nothing. */
static void capture_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    fm61 **out = ctx;
    size_t n = (size_t)1 << pl->anv;
    *out = zk_malloc_n(n, sizeof **out);
    memcpy(*out, adv, n * sizeof *adv);
}

static fm61 *honest_adv(const cnn_key *pk, const int64_t *xq, int weak) {
    fm61 *a = NULL;
    cnn_set_adv_hook(capture_hook, &a);
#ifdef ZK_VERIFY
    cnn_test_int_checks(!weak);
#else
    (void)weak;
#endif
    zk_buf proof;
    zk_buf_init(&proof);
    TEST_CHECK(cnn_prove(&proof, pk, xq, NULL, NULL) == ZK_OK);
    zk_buf_free(&proof);
    cnn_set_adv_hook(NULL, NULL);
#ifdef ZK_VERIFY
    cnn_test_int_checks(1);
#endif
    return a;
}

typedef struct {
    const fm61 *honest;
    const uint8_t *live;
} dead_ctx;

/* the dead nodes' regions back to their honest values; multiplicities of
 * the table as it then is */
static void dead_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    const dead_ctx *d = ctx;
    for (size_t r = 0; r < pl->nreg; r++) {
        const pl_region *rg = &pl->reg[r];
        if (rg->poly == PL_ADV && rg->node >= 0 && !d->live[rg->node + 1])
            memcpy(adv + rg->off, d->honest + rg->off, ((size_t)1 << rg->nv) * sizeof *adv);
    }
    pl_count_range(pl, NULL, adv); /* the prover's own recount (plan.c): proof plans have ADV columns only */
}

/* Which strategies were tried under which keys, over the whole run: the
 * coverage test_cheat checks. Columns: zk_modes[0..6), then the plain keys. */
enum { S_HALF, S_FRAC, S_TENSOR, S_WINNER, S_CHOICE, S_MULT, S_TMULT, S_PAIR, S_CLIP, S_SMAX, S_DEAD, S_COUNT };
static const char *const s_names[S_COUNT] = {"half", "frac", "tensor", "winner", "choice", "multiplicity",
                                             "function-table", "pair", "clip table", "smax", "dead"};
static long coverage[S_COUNT][7];
static long zk_weak[2]; /* weakened-plan forgeries under zk keys with a public or private output: tried, accepted */

/* the strategy a forgery's description names */
static int strat_of(const char *what) {
    int s = S_SMAX; /* "max ..." and "quotient ..." */
    for (int k = S_COUNT - 1; k-- > 0;)
        if (strncmp(what, s_names[k], strlen(s_names[k])) == 0) s = k;
    return s;
}

static void cover(const char *what, cheat_mode md, int dead) {
    size_t col = 6;
    for (size_t k = 0; k < 6 && md.zk; k++)
        if (zk_modes[k].in_vis == md.in_vis && zk_modes[k].out_vis == md.out_vis) col = k;
    coverage[strat_of(what)][col]++;
    if (dead) coverage[S_DEAD][col]++;
}

/* The keys of a graph's next forgery. Two keys: each strategy's forgeries
 * take turns, counted over the whole run (so that a strategy made once per
 * graph reaches both across graphs); more: the graph's forgeries take
 * turns (so that each key gets some). */
static size_t turns[S_COUNT];

static size_t next_keys(const target *g, const char *what) {
    return g->nks == 2 ? turns[strat_of(what)]++ % 2 : (*g->turn)++ % g->nks;
}

/* Proves the forged witness (and, with adv_fn, a changed auxiliary table)
 * under the next keyset's keys and verifies; an accepted proof must attest
 * q_run's statement. try_forgery_on: under ks[ki]. */
static void try_forgery_on(tally *tsum, const target *g, size_t ki, const q_witness *forged, cnn_adv_hook adv_fn,
                           void *adv_ctx, const char *what, int weak) {
    keyset *ks = &g->ks[ki];
    const cnn_key *pk = weak ? ks->wpk : ks->pk, *vk = weak ? ks->wvk : ks->vk;
    if (!pk) return;
    dead_ctx dc = {.honest = ks->hadv[weak ? 1 : 0], .live = g->live};
    if (!adv_fn && dc.honest) {
        adv_fn = dead_hook;
        adv_ctx = &dc;
    }
    zk_buf proof;
    zk_buf_init(&proof);
#ifdef ZK_VERIFY
    cnn_test_int_checks(!weak);
#endif
    int changed = 0;
    zk_err e = prove_forged(&proof, pk, g->xq, ks->seed, forged, adv_fn, adv_ctx, &changed);
    stmt got = {0};
    if (e == ZK_OK) e = stmt_verify(&got, vk, &proof);
    else e = ZK_EINPUT; /* the prover refused: nothing reached the verifier */
#ifdef ZK_VERIFY
    cnn_test_int_checks(1);
#endif
    char mode[64], why[256] = "";
    mode_name(mode, sizeof mode, ks->md);
    int other = e == ZK_OK && stmt_differs(&got, &ks->want, vk, why, sizeof why);
    if (!changed) fprintf(stderr, "cheat %s (%s, %s): the prover proved its honest witness\n", g->model, what, mode);
    TEST_CHECK(changed);
    if (!weak) cover(what, ks->md, dc.honest != NULL);
    tally *ts[2] = {tsum, &ks->t};
    for (int k = 0; k < 2; k++) {
        if (weak) {
            ts[k]->weak_tried++;
            ts[k]->weak_forged += other;
        } else {
            ts[k]->tried++;
            ts[k]->accepted += e == ZK_OK;
            ts[k]->forged += other;
        }
    }
    if (!weak) {
        if (other) fprintf(stderr, "FORGERY on %s (%s; %s): the accepted statement differs from q_run's at%s\n", g->model,
                           what, mode, why);
        TEST_CHECK(!other);
    }
    if (getenv("GKRCNN_TEST_VERBOSE"))
        printf("    [%s] %s%s: %s%s\n", mode, weak ? "[no int checks] " : "", what, e == ZK_OK ? "accepted" : "rejected: ",
               e == ZK_OK ? (other ? " WITH ANOTHER STATEMENT" : "") : zk_reason());
    stmt_free(&got);
    zk_buf_free(&proof);
}

static void try_forgery(tally *t, const target *g, const q_witness *forged, cnn_adv_hook adv_fn, void *adv_ctx,
                        const char *what, int weak) {
    try_forgery_on(t, g, next_keys(g, what), forged, adv_fn, adv_ctx, what, weak);
}

static void try_both(tally *t, const target *g, const q_witness *forged, const char *what) {
    size_t ki = next_keys(g, what);
    try_forgery_on(t, g, ki, forged, NULL, NULL, what, 0);
    try_forgery_on(t, g, ki, forged, NULL, NULL, what, 1);
}

/* ------------------------------------------------------ strategy: half */

/* Nodes whose output carries a remainder a cheater can move by half its
 * range: rescales with k >= 1, LeakyRelu with k >= 1 (cells where x < 0),
 * average pools. */
static int has_half(const q_node *nd) {
    if (nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL) return 1;
    return (q_op_rescales(nd->op) || nd->op == NN_LEAKYRELU) && nd->k >= 1;
}

/* Nodes through which a change passes as an integer-linear map: Reshape,
 * Pad and the exact shifts y = acc 2^-k (k <= 0). */
static int passes(const q_node *nd) {
    return nd->op == NN_RESHAPE || nd->op == NN_PAD || (q_op_rescales(nd->op) && nd->k <= 0);
}

/* GF(2) conditions of a half-step forgery. A unit change at a candidate
 * cell is pushed through the nodes it passes (passes()); where it arrives
 * it must be an integer once halved: at the accumulator of a rescale with
 * k >= 1 (rows keyed by node and output), at the input of a node that
 * cannot take a fraction (Relu, LeakyRelu, max pools; the graph output),
 * keyed by tensor and cell; average pools take any half (2 acc). */
typedef struct {
    uint64_t **acc;  /* per node: parity bits per output (or NULL) */
    int64_t **coef;  /* per node: the move per output and candidate (ny * 64) */
    uint64_t **ten;  /* per tensor: parity bits per cell (or NULL) */
    uint64_t **win;  /* per max-pool node: parity bits per output and window cell */
} hrows;

static void hrows_free(hrows *h, const q_model *m) {
    for (size_t i = 0; i < m->nnodes; i++) {
        free(h->acc[i]);
        free(h->coef[i]);
        free(h->win[i]);
    }
    free(h->win);
    for (size_t t = 0; t < m->ntensors; t++) free(h->ten[t]);
    free(h->acc);
    free(h->coef);
    free(h->ten);
}

static void hrows_cell(hrows *h, const q_model *m, int32_t t, int64_t cell, int64_t d, size_t k) {
    if (!(d & 1)) return;
    if (!h->ten[t]) h->ten[t] = zk_calloc((size_t)q_numel(m, t), 8);
    h->ten[t][cell] |= (uint64_t)1 << k;
}

static void half_rows(hrows *h, const q_model *m, const q_witness *hw, int32_t ct, int64_t cc, int64_t sg, size_t k) {
    q_witness *b = wit_copy(m, hw);
    uint8_t *chg = zk_calloc(m->ntensors, 1), *live = live_tensors(m);
    b->t[ct][cc] += 1;
    chg[ct] = 1;
    for (size_t j = (size_t)ct; j < m->nnodes; j++) {
        const q_node *nd = &m->nodes[j];
        int r0 = nd->in[0] >= 0 && chg[nd->in[0]], r1 = nd->in[1] >= 0 && chg[nd->in[1]];
        if ((!r0 && !r1) || !live[j + 1]) continue; /* a dead reader is never checked */
        int32_t ty = (int32_t)j + 1;
        int64_t ny = q_numel(m, ty);
        if (passes(nd) && !(r0 && r1 && (nd->op == NN_MUL || nd->op == NN_MATMUL))) {
            (void)!q_run_node(m, b, j);
            for (int64_t o = 0; o < ny && !chg[ty]; o++) chg[ty] = b->t[ty][o] != hw->t[ty][o];
        } else if (q_op_rescales(nd->op) && !(r0 && r1 && (nd->op == NN_MUL || nd->op == NN_MATMUL))) {
            if (!h->acc[j]) {
                h->acc[j] = zk_calloc((size_t)ny, 8);
                h->coef[j] = zk_calloc((size_t)ny * 64, 8);
            }
            int64_t *a1 = zk_malloc_n((size_t)ny, 8);
            q_node_acc(m, j, b->t, a1);
            for (int64_t o = 0; o < ny; o++) {
                int64_t d = a1[o] - hw->nodes[j].acc[o];
                h->coef[j][o * 64 + (int64_t)k] = d * sg;
                if (d & 1) h->acc[j][o] |= (uint64_t)1 << k;
            }
            free(a1);
        } else if ((nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL) && r0) {
            /* the chosen cell's change moves y; every other real cell of the
             * window must move by the same amount modulo 1 (d = y - x stays
             * an integer): parity of (change at p) + (change at the choice) */
            int64_t P = q_max_cells(m, nd);
            const int64_t *x = b->t[nd->in[0]], *x0 = hw->t[nd->in[0]];
            if (!h->win[j]) h->win[j] = zk_calloc((size_t)(ny * P), 8);
            for (int64_t o = 0; o < ny; o++) {
                int64_t ca = q_max_cell(m, nd, o, hw->nodes[j].arg[o]), da = x[ca] - x0[ca];
                b->t[ty][o] = hw->t[ty][o] + da;
                chg[ty] |= da != 0;
                for (int64_t p = 0; p < P; p++) {
                    int64_t cp = q_max_cell(m, nd, o, p);
                    if (cp >= 0 && ((x[cp] - x0[cp] + da) & 1)) h->win[j][o * P + p] |= (uint64_t)1 << k;
                }
            }
        } else if (nd->op != NN_AVGPOOL && nd->op != NN_GLOBALAVGPOOL) {
            for (int s = 0; s < 2; s++)
                if (nd->in[s] >= 0 && chg[nd->in[s]])
                    for (int64_t c = 0; c < q_numel(m, nd->in[s]); c++)
                        hrows_cell(h, m, nd->in[s], c, b->t[nd->in[s]][c] - hw->t[nd->in[s]][c], k);
        }
    }
    if (chg[m->output])
        for (int64_t c = 0; c < q_numel(m, m->output); c++)
            hrows_cell(h, m, m->output, c, b->t[m->output][c] - hw->t[m->output][c], k);
    free(chg);
    free(live);
    q_witness_free(b);
}

/* Half-step forgeries on the outputs of the nodes in prod[0..np): 64
 * random candidate cells; the GF(2) conditions (half_rows) give a null
 * space, and each attempt XORs the null vectors that move one reader
 * output the same way (so the move is large enough to change a rounded
 * value), then recomputes everything after it; up to `tries` forgeries
 * whose output differs from q_run's are proved. */
static void strat_half(tally *t, zk_rng *rng, const target *g, const size_t *prod, size_t np, int tries,
                       const char *what) {
    const q_model *m = g->m;
    const q_witness *hw = g->honest;
    enum { NC = 64 };
    int32_t ct[NC];
    int64_t cc[NC], sg[NC];
    size_t nc = 0;
    int64_t win[64];
    size_t nwin = 0, wi = 0;
    for (int attempt = 0; attempt < 4 * NC && nc < NC; attempt++) {
        size_t pi = prod[zk_rng_u64(rng) % np];
        const q_node *nd = &m->nodes[pi];
        int32_t ty = (int32_t)pi + 1;
        int64_t c = (int64_t)(zk_rng_u64(rng) % (uint64_t)q_numel(m, ty));
        if (wi < nwin) c = win[wi++];
        else if (np == 2 && nc % 2 == 1 && ct[nc - 1] != ty && q_numel(m, ty) == q_numel(m, ct[nc - 1])) {
            c = cc[nc - 1]; /* the same cell of the other branch */
        } else { /* a max pool reads it: take the whole window of a random output */
            for (size_t j = pi + 1; j < m->nnodes && np == 1; j++) {
                const q_node *mp = &m->nodes[j];
                if ((mp->op != NN_MAXPOOL && mp->op != NN_GLOBALMAXPOOL) || mp->in[0] != ty) continue;
                int64_t o = (int64_t)(zk_rng_u64(rng) % (uint64_t)q_numel(m, (int32_t)j + 1)), P = q_max_cells(m, mp);
                nwin = wi = 0;
                for (int64_t p = 0; p < P && nwin < 64; p++)
                    if (q_max_cell(m, mp, o, p) >= 0) win[nwin++] = q_max_cell(m, mp, o, p);
                if (nwin) c = win[wi++];
                break;
            }
        }
        if (nd->op == NN_LEAKYRELU && hw->nodes[pi].sign[c]) continue; /* the positive branch has no rem */
        int dup = 0;
        for (size_t k = 0; k < nc; k++) dup |= ct[k] == ty && cc[k] == c;
        if (dup) continue;
        int64_t half = (nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL) ? q_avg_count(m, nd, c)
                                                                             : (int64_t)1 << (nd->k - 1);
        sg[nc] = hw->nodes[pi].rem[c] >= half ? 1 : -1; /* rem' = rem - sigma half stays in range */
        ct[nc] = ty, cc[nc++] = c;
    }
    hrows h = {zk_calloc(m->nnodes, sizeof(uint64_t *)), zk_calloc(m->nnodes, sizeof(int64_t *)),
               zk_calloc(m->ntensors, sizeof(uint64_t *)), zk_calloc(m->nnodes, sizeof(uint64_t *))};
    for (size_t k = 0; k < nc; k++) half_rows(&h, m, hw, ct[k], cc[k], sg[k], k);
    size_t rn[64], nr = 0; /* the readers with accumulator rows, for the objective */
    for (size_t j = 0; j < m->nnodes && nr < 64; j++)
        if (h.acc[j]) rn[nr++] = j;
    /* reduced row echelon form over GF(2): piv[k] is the row with pivot bit k */
    uint64_t piv[NC] = {0};
    for (size_t i = 0; i < 2 * m->nnodes + m->ntensors; i++) {
        const uint64_t *rows = i < m->nnodes ? h.acc[i] : i < 2 * m->nnodes ? h.win[i - m->nnodes] : h.ten[i - 2 * m->nnodes];
        int64_t n = i < m->nnodes       ? q_numel(m, (int32_t)i + 1)
                    : i < 2 * m->nnodes ? q_numel(m, (int32_t)(i - m->nnodes) + 1) *
                                              q_max_cells(m, &m->nodes[i - m->nnodes])
                                        : q_numel(m, (int32_t)(i - 2 * m->nnodes));
        for (int64_t o = 0; rows && o < n; o++) {
            uint64_t v = rows[o];
            for (size_t k = 0; k < nc && v; k++)
                if (((v >> k) & 1) && piv[k]) v ^= piv[k];
            if (!v) continue;
            unsigned k = (unsigned)__builtin_ctzll(v);
            for (size_t q = 0; q < nc; q++)
                if (piv[q] && ((piv[q] >> k) & 1)) piv[q] ^= v;
            piv[k] = v;
        }
    }
    /* the null space basis: one vector per free column */
    uint64_t basis[NC];
    size_t nb = 0;
    for (size_t f = 0; f < nc; f++) {
        if (piv[f]) continue;
        uint64_t eps = (uint64_t)1 << f;
        for (size_t q = 0; q < nc; q++)
            if (piv[q] && ((piv[q] >> f) & 1)) eps |= (uint64_t)1 << q;
        basis[nb++] = eps;
    }
    int found = 0;
    for (int attempt = 0; attempt < 6 * tries && found < tries && nb; attempt++) {
        uint64_t eps = 0;
        if (nr) { /* push one reader output one way */
            size_t j = rn[zk_rng_u64(rng) % nr];
            int64_t o = (int64_t)(zk_rng_u64(rng) % (uint64_t)q_numel(m, (int32_t)j + 1)), dir = (attempt & 1) ? 1 : -1;
            for (size_t v = 0; v < nb; v++) {
                int64_t d = 0;
                for (size_t k = 0; k < nc; k++)
                    if ((basis[v] >> k) & 1) d += h.coef[j][o * NC + (int64_t)k];
                if (d * dir > 0) eps ^= basis[v];
            }
        }
        if (!eps)
            for (size_t v = 0; v < nb; v++)
                if (zk_rng_u64(rng) & 1) eps ^= basis[v];
        if (!eps) continue;
        fw fv;
        fw_init(&fv, m, hw);
        size_t first = m->nnodes;
        for (size_t k = 0; k < nc; k++) {
            if (!((eps >> k) & 1)) continue;
            size_t pi = (size_t)ct[k] - 1;
            const q_node *nd = &m->nodes[pi];
            int64_t half = (nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL) ? q_avg_count(m, nd, cc[k])
                                                                                  : (int64_t)1 << (nd->k - 1);
            fv.base->nodes[pi].rem[cc[k]] -= sg[k] * half;
            fw_delta(&fv, ct[k])[cc[k]] = sg[k] > 0 ? f_half() : fm61_neg(f_half());
            if (pi + 1 < first) first = pi + 1;
        }
        fw_run(&fv, first);
        q_witness *fwit = fw_materialize(&fv);
        int64_t nout = q_numel(m, m->output);
        int other = memcmp(fwit->t[m->output], q_output(m, hw), (size_t)nout * 8) != 0;
        if (other && !fv.stuck) {
            try_both(t, g, fwit, what);
            found++;
        }
        q_witness_free(fwit);
        fw_free(&fv);
    }
    hrows_free(&h, m);
}

/* ------------------------------------------------------ strategy: frac */

/* y' = y + a 2^-k, rem' = rem - a on 1..3 cells of node i (a with rem'
 * in range: random, 1, or +-2^(k-1)); average pools: y + a / (2n). */
static void strat_frac(tally *t, zk_rng *rng, const target *g, size_t i) {
    const q_model *m = g->m;
    const q_node *nd = &m->nodes[i];
    int avg = nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL;
    int32_t ty = (int32_t)i + 1;
    int64_t ny = q_numel(m, ty);
    for (int variant = 0; variant < 3; variant++) {
        fw fv;
        fw_init(&fv, m, g->honest);
        int cells = 1 + (int)(zk_rng_u64(rng) % 3), done = 0;
        for (int tries = 0; tries < 64 && done < cells; tries++) {
            int64_t c = (int64_t)(zk_rng_u64(rng) % (uint64_t)ny);
            if (nd->op == NN_LEAKYRELU && g->honest->nodes[i].sign[c]) continue;
            int64_t range = avg ? 2 * q_avg_count(m, nd, c) : (int64_t)1 << nd->k, *rem = fv.base->nodes[i].rem;
            int64_t a = variant == 0 ? 1 : variant == 1 ? range / 2 : 1 + (int64_t)(zk_rng_u64(rng) % (uint64_t)range);
            if (rem[c] - a < 0) a = -a;
            if (rem[c] - a < 0 || rem[c] - a >= range || a == 0) continue;
            rem[c] -= a;
            fm61 den = avg ? fm61_inv(fm61_from_i64(range)) : f_inv_pow2(nd->k);
            fw_delta(&fv, ty)[c] = fm61_mul(fm61_from_i64(a), den);
            done++;
        }
        if (done) {
            fw_run(&fv, i + 1);
            q_witness *fwit = fw_materialize(&fv);
            char what[96];
            snprintf(what, sizeof what, "frac %s (%s) x%d", nd->name, nn_op_name(nd->op), done);
            try_forgery(t, g, fwit, NULL, NULL, what, 0);
            q_witness_free(fwit);
        }
        fw_free(&fv);
    }
}

/* -------------------------------------------- strategies: tensor, winner */

/* A fraction (1/2, a random 2^-j, or p/2-ish) added to one cell of tensor ty. */
static void strat_tensor(tally *t, zk_rng *rng, const target *g, int32_t ty) {
    const q_model *m = g->m;
    fw fv;
    fw_init(&fv, m, g->honest);
    int64_t c = (int64_t)(zk_rng_u64(rng) % (uint64_t)q_numel(m, ty));
    uint64_t kind = zk_rng_u64(rng) % 3;
    fm61 d = kind == 0 ? f_half() : kind == 1 ? f_inv_pow2(1 + (int)(zk_rng_u64(rng) % 20)) : FM61_P / 2;
    fw_delta(&fv, ty)[c] = d;
    fw_run(&fv, (size_t)ty);
    q_witness *fwit = fw_materialize(&fv);
    char what[96];
    snprintf(what, sizeof what, "tensor %s (%s) cell %lld", m->nodes[ty - 1].name, nn_op_name(m->nodes[ty - 1].op),
             (long long)c);
    try_forgery(t, g, fwit, NULL, NULL, what, 0);
    q_witness_free(fwit);
    fw_free(&fv);
}

/* Max pool node i, a few outputs: winner (choice = 0) moves the output to a
 * strictly smaller real cell, everything after it recomputed honestly (the
 * largest cell's d = y - x is then negative); choice (1) keeps the output
 * and chooses another real cell (whose d is then not 0 under a choice bit
 * 1). The prover derives e and d from the choice. */
static void strat_winner(tally *t, zk_rng *rng, const target *g, size_t i, int choice) {
    const q_model *m = g->m;
    const q_node *nd = &m->nodes[i];
    fw fv;
    fw_init(&fv, m, g->honest);
    int64_t ny = q_numel(m, (int32_t)i + 1), P = q_max_cells(m, nd), moved = 0;
    const int64_t *x = fv.base->t[nd->in[0]];
    int64_t *y = fv.base->t[i + 1], *arg = fv.base->nodes[i].arg;
    for (int tries = 0; tries < 64 && moved < 3; tries++) {
        int64_t o = (int64_t)(zk_rng_u64(rng) % (uint64_t)ny), p0 = choice ? (int64_t)(zk_rng_u64(rng) % (uint64_t)P) : 0;
        for (int64_t k = 0; k < P; k++) {
            int64_t p = (p0 + k) % P, cell = q_max_cell(m, nd, o, p);
            /* choice: not a cell equal to the maximum (a tie), which would be
             * another valid choice (an all-zero window after a ReLU) */
            if (cell < 0 || (choice ? p == arg[o] || x[cell] == y[o] : x[cell] >= y[o])) continue;
            arg[o] = p;
            if (!choice) y[o] = x[cell];
            moved++;
            break;
        }
    }
    if (moved) {
        for (size_t j = i + 1; j < m->nnodes; j++) (void)!q_run_node(m, fv.base, j);
        char what[96];
        snprintf(what, sizeof what, "%s %s x%lld", choice ? "choice" : "winner", nd->name, (long long)moved);
        try_forgery(t, g, fv.base, NULL, NULL, what, 0);
    }
    fw_free(&fv);
}

/* ------------------------------------------------------ strategy: mult */

typedef struct {
    uint64_t r;
    int kind;
} mult_ctx;

static void mult_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    mult_ctx *mc = ctx;
    fm61 *mt = adv + pl->reg[pl->mreg].off;
    size_t T = (size_t)1 << pl->lb, from = mc->r % T, to = (mc->r >> 20) % T;
    if (to == from) to = (from + 1) % T;
    for (size_t k = 0; k < T && mc->kind == 0 && mt[from] == 0; k++) from = (from + 1) % T; /* a used entry */
    if (to == from) to = (from + 1) % T; /* the search may land on it: then nothing would move */
    mt[from] = fm61_sub(mt[from], 1);
    mt[to] = fm61_add(mt[to], 1);
}

static void strat_mult(tally *t, zk_rng *rng, const target *g) {
    for (int kind = 0; kind < 2; kind++) { /* from a used entry; from anywhere (0 becomes -1) */
        mult_ctx mc = {.r = zk_rng_u64(rng), .kind = kind};
        try_forgery(t, g, g->honest, mult_hook, &mc, kind ? "multiplicity moved from anywhere" : "multiplicity moved",
                    0);
    }
}

/* The multiplicity of one row of function table t moved to another. */
typedef struct {
    uint64_t r;
    int t;
} tmult_ctx;

static void tmult_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    tmult_ctx *mc = ctx;
    const pl_tab *tb = &pl->tab[mc->t];
    fm61 *mt = adv + pl->reg[tb->mreg].off;
    size_t T = (size_t)1 << tb->nv, from = mc->r % T, to = (mc->r >> 24) % T;
    for (size_t k = 0; k < T && mt[from] == 0; k++) from = (from + 1) % T; /* a used row */
    if (to == from) to = (from + 1) % T;
    mt[from] = fm61_sub(mt[from], 1);
    mt[to] = fm61_add(mt[to], 1);
}

static void strat_tmult(tally *t, zk_rng *rng, const target *g) {
    pl_plan *pl;
    if (pl_build(&pl, g->m) != ZK_OK) return;
    for (size_t k = 0; k < pl->ntab; k++) {
        tmult_ctx mc = {.r = zk_rng_u64(rng), .t = (int)k};
        try_forgery(t, g, g->honest, tmult_hook, &mc, "function-table multiplicity moved", 0);
    }
    pl_free(pl);
}

/* Table op node i: on a few cells, (a) y = F(i) +- 1, (b) the row of
 * i + 1 with x and r left, (c) the row of i + 1 with r - 2^s; the nodes
 * after it recomputed honestly from the forged y. */
static void strat_pair(tally *t, zk_rng *rng, const target *g, size_t i) {
    const q_model *m = g->m;
    const q_node *nd = &m->nodes[i];
    int64_t ny = q_numel(m, (int32_t)i + 1), sh = nd->iattr[0];
    for (int variant = 0; variant < 3; variant++) {
        fw fv;
        fw_init(&fv, m, g->honest);
        int64_t *y = fv.base->t[i + 1], *idx = fv.base->nodes[i].acc, *rem = fv.base->nodes[i].rem, moved = 0;
        int64_t c0 = (int64_t)(zk_rng_u64(rng) % (uint64_t)ny);
        for (int tries = 0; tries < 16 && tries < ny && moved < 2; tries++) {
            int64_t c = (c0 + tries) % ny, v; /* distinct cells: two moves of one cell could cancel */
            if (variant == 0) {
                y[c] += (zk_rng_u64(rng) & 1) ? 1 : -1;
            } else {
                if (!q_lut_entry(m, nd, idx[c] + 1, &v) || v == y[c]) continue;
                idx[c] += 1, y[c] = v;
                if (variant == 2 && rem) rem[c] -= (int64_t)1 << sh;
            }
            moved++;
        }
        if (moved) {
            for (size_t j = i + 1; j < m->nnodes; j++) (void)!q_run_node(m, fv.base, j);
            char what[96];
            snprintf(what, sizeof what, "pair %s (%s) variant %d x%lld", nd->name, nn_op_name(nd->op), variant,
                     (long long)moved);
            try_forgery(t, g, fv.base, NULL, NULL, what, 0);
        }
        fw_free(&fv);
    }
}

/* Clip node i proven by its table (q_clip_table): (a) y +- 1 on a cell
 * where lo < x < hi, (b) y = x on a clipped cell, the nodes after it
 * recomputed honestly from the forged y; (c) in ADV, one cell's pair
 * replaced by the table's row of x + 1, its multiplicity moved along, so
 * that only the claim on x disagrees. */
typedef struct {
    size_t i;
    int64_t o, x;
} cliprow_ctx;

static void cliprow_hook(void *ctx, const pl_plan *pl, fm61 *adv) {
    const cliprow_ctx *cc = ctx;
    const pl_node *pn = &pl->node[cc->i];
    const pl_tab *tb = &pl->tab[pn->ltab];
    int64_t x1 = cc->x + 1;
    adv[pl->reg[pn->lreg[0]].off + (uint64_t)cc->o] = fm61_from_i64(x1);
    adv[pl->reg[pn->lreg[1]].off + (uint64_t)cc->o] = fm61_from_i64(q_clip_value(&pl->m->nodes[cc->i], x1));
    fm61 *mt = adv + pl->reg[tb->mreg].off;
    mt[cc->x - tb->lo] = fm61_sub(mt[cc->x - tb->lo], 1);
    mt[x1 - tb->lo] = fm61_add(mt[x1 - tb->lo], 1);
}

static void strat_clip_table(tally *t, zk_rng *rng, const target *g, size_t i) {
    const q_model *m = g->m;
    const q_node *nd = &m->nodes[i];
    int64_t ny = q_numel(m, (int32_t)i + 1), lo = nd->iattr[0], hi = nd->iattr[1];
    const int64_t *hx = g->honest->t[nd->in[0]];
    int64_t c0 = (int64_t)(zk_rng_u64(rng) % (uint64_t)ny);
    for (int variant = 0; variant < 3; variant++) {
        int64_t c = -1;
        for (int64_t k = 0; k < ny && c < 0; k++) {
            int64_t o = (c0 + k) % ny, inside = hx[o] > lo && hx[o] < hi;
            if (variant == 1 ? !inside && hx[o] != lo && hx[o] != hi : inside) c = o;
        }
        if (c < 0) continue;
        char what[96];
        snprintf(what, sizeof what, "clip table %s variant %d", nd->name, variant);
        if (variant == 2) {
            cliprow_ctx cc = {.i = i, .o = c, .x = hx[c]};
            try_forgery(t, g, g->honest, cliprow_hook, &cc, what, 0);
            continue;
        }
        fw fv;
        fw_init(&fv, m, g->honest);
        int64_t *y = fv.base->t[i + 1];
        y[c] = variant == 0 ? y[c] + ((zk_rng_u64(rng) & 1) ? 1 : -1) : hx[c];
        for (size_t j = i + 1; j < m->nnodes; j++) (void)!q_run_node(m, fv.base, j);
        try_forgery(t, g, fv.base, NULL, NULL, what, 0);
        fw_free(&fv);
    }
}

/* Softmax / LogSoftmax node i: (a) in one group the maximum moved to a
 * smaller cell, everything of the node recomputed from it; (b) a wrong
 * quotient, y + 1 with rem - 2S; (c) y + 1 with rem left; the nodes after
 * it recomputed honestly. */
static void strat_smax(tally *t, zk_rng *rng, const target *g, size_t i) {
    const q_model *m = g->m;
    const q_node *nd = &m->nodes[i];
    int64_t ny = q_numel(m, (int32_t)i + 1), n = nd->iattr[0], G = ny / n;
    int fx = m->tensors[nd->in[0]].f, fy = m->tensors[i + 1].f, fe = (int)nd->iattr[2];
    for (int variant = 0; variant < 3; variant++) {
        fw fv;
        fw_init(&fv, m, g->honest);
        q_nwit *a = &fv.base->nodes[i];
        int64_t *y = fv.base->t[i + 1], gi = (int64_t)(zk_rng_u64(rng) % (uint64_t)G), done = 0;
        const int64_t *x = fv.base->t[nd->in[0]];
        if (variant == 0) {
            int64_t arg = a->arg[nn_group_cell(nd->iattr, gi, 0)], mx = x[nn_group_cell(nd->iattr, gi, arg)], to = -1;
            for (int64_t j = 0; j < n && to < 0; j++)
                if (x[nn_group_cell(nd->iattr, gi, j)] < mx) to = j;
            if (to >= 0) { /* the cheater's exponentials e^-(m' - x) 2^f_e, negative differences included */
                int64_t m2 = x[nn_group_cell(nd->iattr, gi, to)], S = 0, l = 0;
                for (int64_t j = 0; j < n; j++) {
                    int64_t o = nn_group_cell(nd->iattr, gi, j);
                    a->arg[o] = to;
                    a->acc[o] = llround(ldexp(exp(-ldexp((double)(m2 - x[o]), -fx)), fe));
                    S += a->acc[o];
                }
                if (nd->op == NN_LOGSOFTMAX) (void)!q_smax_log(m, nd, S >> nd->iattr[4], &l);
                for (int64_t j = 0; j < n; j++) {
                    int64_t o = nn_group_cell(nd->iattr, gi, j);
                    if (nd->op == NN_LOGSOFTMAX) {
                        y[o] = -(m2 - x[o]) * ((int64_t)1 << (fy - fx)) - l;
                        continue;
                    }
                    int64_t num = a->acc[o] * ((int64_t)1 << (fy + 1)) + S;
                    y[o] = num / (2 * S);
                    a->rem[o] = num - 2 * S * y[o];
                }
                done = 1;
            }
        } else {
            int64_t o = nn_group_cell(nd->iattr, gi, (int64_t)(zk_rng_u64(rng) % (uint64_t)n)), S = 0;
            for (int64_t j = 0; j < n; j++) S += a->acc[nn_group_cell(nd->iattr, gi, j)];
            y[o] += 1;
            if (variant == 1 && a->rem) a->rem[o] -= 2 * S;
            done = 1;
        }
        if (done) {
            for (size_t j = i + 1; j < m->nnodes; j++) (void)!q_run_node(m, fv.base, j);
            char what[96];
            snprintf(what, sizeof what, "%s %s (%s)", variant ? "quotient" : "max", nd->name, nn_op_name(nd->op));
            try_forgery(t, g, fv.base, NULL, NULL, what, 0);
        }
        fw_free(&fv);
    }
}

/* ------------------------------------------------------------- running */

/* Runs the strategies on one graph (the model of ks[0..nks), whose
 * forgeries take turns over those keys) with input xq. heavy: 0 every
 * strategy at every node; 1 (a large model) one half-step forgery per
 * producer, frac and tensor at a quarter of the nodes, no choice (but
 * under zk keys); 2 only the multiplicity strategies. */
static void run_strategies(zk_rng *rng, const char *name, keyset *ks, size_t nks, const int64_t *xq, int heavy) {
    const q_model *m = ks[0].pk->m;
    q_witness *hw = NULL;
    TEST_REQUIRE(q_run(&hw, m, xq) == ZK_OK);
    uint8_t *live = live_tensors(m);
    size_t ndead = 0, turn = 0;
    for (size_t i = 0; i < m->nnodes; i++) ndead += !live[i + 1];
    for (size_t k = 0; k < nks && ndead; k++) {
        ks[k].hadv[0] = honest_adv(ks[k].pk, xq, 0);
        ks[k].hadv[1] = ks[k].wpk ? honest_adv(ks[k].wpk, xq, 1) : NULL;
    }
    target g = {.model = name, .m = m, .xq = xq, .honest = hw, .live = live, .ks = ks, .nks = nks, .turn = &turn};
    tally t = {0};
    int tries = heavy ? 1 : 2;
    for (size_t i = 0; i < m->nnodes && heavy < 2; i++) {
        const q_node *nd = &m->nodes[i];
        int32_t ty = (int32_t)i + 1;
        if (has_half(nd)) {
            char what[96];
            snprintf(what, sizeof what, "half %s (%s)", nd->name, nn_op_name(nd->op));
            size_t one = i;
            strat_half(&t, rng, &g, &one, 1, tries, what);
        }
        /* both branches of an Add/Sub */
        if ((nd->op == NN_ADD || nd->op == NN_SUB) && nd->in[0] > 0 && nd->in[1] > 0) {
            size_t pr[2] = {(size_t)nd->in[0] - 1, (size_t)nd->in[1] - 1};
            if (has_half(&m->nodes[pr[0]]) && has_half(&m->nodes[pr[1]])) {
                char what[96];
                snprintf(what, sizeof what, "half both branches of %s (%s)", nd->name, nn_op_name(nd->op));
                strat_half(&t, rng, &g, pr, 2, tries, what);
            }
        }
        if (has_half(nd) && (!heavy || zk_rng_u64(rng) % 4 == 0)) strat_frac(&t, rng, &g, i);
        if (nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL) {
            strat_winner(&t, rng, &g, i, 0);
            if (!heavy || ks[0].md.zk) strat_winner(&t, rng, &g, i, 1);
        }
        if (nn_is_lut(nd->op)) strat_pair(&t, rng, &g, i);
        if (nd->op == NN_CLIP && q_clip_table(m, nd)) strat_clip_table(&t, rng, &g, i);
        if (nd->op == NN_SOFTMAX || nd->op == NN_LOGSOFTMAX) strat_smax(&t, rng, &g, i);
        if (!heavy || zk_rng_u64(rng) % 4 == 0) strat_tensor(&t, rng, &g, ty);
    }
    strat_mult(&t, rng, &g);
    strat_tmult(&t, rng, &g);
    for (size_t k = 0; k < nks; k++) {
        const tally *tk = &ks[k].t;
        char mode[64];
        mode_name(mode, sizeof mode, ks[k].md);
        printf("  cheat %-16s %-32s %3ld strategic forgeries, %2ld accepted, %ld of them with another statement; "
               "without the integer checks %ld of %ld\n",
               name, mode, tk->tried, tk->accepted, tk->forged, tk->weak_forged, tk->weak_tried);
        TEST_CHECK(tk->tried > 0);
        /* where a half-step forgery exists, the weakened protocol falls for it
         * (with a public or private output; a class-only output attests only
         * the argmax, which a half-step forgery seldom moves): with plain
         * keys on each graph; with zk keys, whose runs try one or two, over
         * the whole run (zk_weak) */
        if (ks[k].wpk && tk->weak_tried && ks[k].md.out_vis != Q_OUT_CLASS) {
            if (!ks[k].md.zk) TEST_CHECK(tk->weak_forged > 0);
            else zk_weak[0] += tk->weak_tried, zk_weak[1] += tk->weak_forged;
        }
    }
    TEST_CHECK(t.tried > 0);
    q_witness_free(hw);
    free(live);
}

/* setup, and keys through their files (the verifier uses the vk's skeleton);
 * a zk key's weight commitment with an opening budget for every forgery of
 * the key, the weakened ones and the honest proof (each takes a slot,
 * protocol.md 9.5; a prover past it refuses, which the forgery's "changed"
 * check reports): larger budgets make every opening longer */
#define CHEAT_W_BUDGET 16
static int keys_for(cnn_key **pk, cnn_key **vk, q_model *m) {
    zk_err e = cnn_setup_zk(pk, m, CHEAT_W_BUDGET);
    if (e) fprintf(stderr, "cheat setup: %s\n", zk_reason());
    TEST_CHECK(e == ZK_OK);
    if (e) return 0;
    zk_buf b;
    zk_buf_init(&b);
    cnn_vk_serialize(&b, *pk);
    e = cnn_vk_deserialize(vk, b.data, b.len);
    zk_buf_free(&b);
    TEST_CHECK(e == ZK_OK);
    return e == ZK_OK;
}

static q_model *model_copy(const q_model *m) {
    zk_buf b;
    zk_buf_init(&b);
    q_model_serialize(&b, m);
    q_model *c = NULL;
    ZK_CHECK(q_model_deserialize(&c, b.data, b.len) == ZK_OK);
    zk_buf_free(&b);
    return c;
}

/* A copy of m with mode md's settings */
static q_model *model_in_mode(const q_model *m, cheat_mode md) {
    q_model *c = model_copy(m);
    c->s.zk_mc = md.zk; /* setup measures the mask pool (protocol.md 9.5) */
    c->s.in_vis = md.in_vis;
    c->s.out_vis = md.out_vis;
    return c;
}

/* The honest proof is the same with the lookup's leaves described in the
 * base field (the prover's default) and stored in F_{p^2}
 * (cnn_test_lookup_stored), and it verifies. */
static void stored_same(const cnn_key *pk, const cnn_key *vk, const int64_t *xq, const char *name) {
    zk_buf p[2];
    zk_err e[2];
    for (int k = 0; k < 2; k++) {
        zk_buf_init(&p[k]);
        cnn_test_lookup_stored(k);
        e[k] = cnn_prove(&p[k], pk, xq, NULL, NULL);
    }
    cnn_test_lookup_stored(0);
    int same = e[0] == ZK_OK && e[1] == ZK_OK && p[0].len == p[1].len && memcmp(p[0].data, p[1].data, p[0].len) == 0;
    if (!same) fprintf(stderr, "cheat %s: the proofs with stored and described lookup leaves differ\n", name);
    TEST_CHECK(same);
    TEST_CHECK(e[0] == ZK_OK && cnn_verify(vk, p[0].data, p[0].len, NULL, NULL) == ZK_OK);
    for (int k = 0; k < 2; k++) zk_buf_free(&p[k]);
}

/* Keys of model m (not owned) under mode md, with the weakened ones
 * (ZK_VERIFY builds), commitment seeds from rng and q_run's statement on
 * xq; the honest proof under them verifies and attests that statement
 * (plain keys: stored_same). 0 when setup fails. */
static int keyset_new(keyset *ks, zk_rng *rng, const char *name, const q_model *m, cheat_mode md, const int64_t *xq) {
    memset(ks, 0, sizeof *ks);
    ks->md = md;
    if (!keys_for(&ks->pk, &ks->vk, model_in_mode(m, md))) return 0;
#ifdef ZK_VERIFY /* the same keys serve the weakened plans (the checks live in ADV, the plan is the prover's) */
    ks->wpk = ks->pk, ks->wvk = ks->vk;
#endif
    for (int j = 0; j < 2 && md.zk; j++) /* (plain keys draw nothing: their runs draw what they drew before) */
        for (int b = 0; b < 32; b++) ks->seed[j][b] = (uint8_t)zk_rng_u64(rng);
    const q_model *km = ks->pk->m;
    TEST_CHECK(km->s.in_vis == md.in_vis && km->s.out_vis == md.out_vis && (km->s.zk_mc != 0) == md.zk);
    q_witness *hw = NULL;
    TEST_CHECK(q_run(&hw, km, xq) == ZK_OK);
    if (hw) stmt_expect(&ks->want, ks->pk, xq, q_output(km, hw), ks->seed);
    q_witness_free(hw);
    if (!md.zk) { /* (the plain keys' honest proof: stored_same) */
        stored_same(ks->pk, ks->vk, xq, name);
        return 1;
    }
    zk_buf proof;
    zk_buf_init(&proof);
    int changed = 1;
    zk_err e = prove_forged(&proof, ks->pk, xq, ks->seed, NULL, NULL, NULL, &changed);
    stmt got = {0};
    char why[256] = "", mode[64];
    if (e == ZK_OK) e = stmt_verify(&got, ks->vk, &proof);
    mode_name(mode, sizeof mode, md);
    if (e || stmt_differs(&got, &ks->want, ks->vk, why, sizeof why))
        fprintf(stderr, "cheat %s (%s): the honest proof %s%s\n", name, mode, e ? "fails: " : "attests another statement:",
                e ? zk_reason() : why);
    TEST_CHECK(e == ZK_OK && !changed && why[0] == 0);
    stmt_free(&got);
    zk_buf_free(&proof);
    return 1;
}

static void keyset_free(keyset *ks) {
    cnn_key_free(ks->pk);
    cnn_key_free(ks->vk);
    free(ks->hadv[0]);
    free(ks->hadv[1]);
    stmt_free(&ks->want);
}

/* Runs the strategies on model m (not owned) with input xq, the forgeries
 * taking turns over the keys of modes md[0..nmd). */
static void cheat_model(zk_rng *rng, const char *name, const q_model *m, const int64_t *xq, int heavy,
                        const cheat_mode *md, size_t nmd) {
    keyset *ks = zk_calloc(nmd, sizeof *ks);
    size_t n = 0;
    int ok = 1;
    while (n < nmd && ok) ok = keyset_new(&ks[n], rng, name, m, md[n], xq), n++;
    if (ok) run_strategies(rng, name, ks, n, xq, heavy);
    for (size_t k = 0; k < n; k++) keyset_free(&ks[k]);
    free(ks);
}

/* ---------------------------------------------------- small random graphs */

static double urand(zk_rng *rng) { return (double)(zk_rng_u64(rng) >> 11) * 0x1p-53 * 2.0 - 1.0; }

static int rand_const(nn_graph *g, zk_rng *rng, int ndim, const int64_t *d, double scale) {
    nn_shape s = {.ndim = ndim};
    for (int i = 0; i < ndim; i++) s.d[i] = d[i];
    size_t n = (size_t)nn_numel(&s);
    float *v = zk_malloc_n(n, sizeof *v);
    for (size_t i = 0; i < n; i++) v[i] = (float)(scale * urand(rng));
    char name[32];
    snprintf(name, sizeof name, "c%zu", g->ntensors);
    int t = gb_t(g, name, ndim, d, v);
    free(v);
    return t;
}

/* y -> Flatten -> FC (numel -> 2): a linear reader with more inputs than outputs */
static int fc_tail(nn_graph *g, zk_rng *rng, int y) {
    int64_t n = nn_numel(&g->tensors[y].shape);
    nn_shape flat = {.ndim = 2, .d = {1, n}};
    nn_attrs a = gb_attrs();
    int f = gb_n(g, NN_RESHAPE, a, 1, y, -1, -1, &flat);
    int64_t wd[2] = {2, n}, bd[1] = {2};
    return gb_n(g, NN_FC, a, 3, f, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
}

enum { G_FC, G_CONV, G_MATMUL, G_MUL, G_MULACT, G_AFFINE, G_ADD, G_SUB, G_RESID, G_AVG, G_GAP, G_LEAKY, G_MAXPOOL,
       G_RESNET_TAIL, G_DEAD_RELU, G_DEAD_CHAIN, G_DEAD_RESHAPE, G_DEAD_LATE, G_CONCAT, G_CONCAT_EXACT, G_WIRE,
       G_MAX, G_MIN, G_REDUCE_MEAN, G_REDUCE_SUM, G_CONVT, G_LUT, G_LUT2, G_CLIP, G_RELU6, G_PRELU, G_SOFTMAX,
       G_SOFTMAX_OUT, G_LOGSOFTMAX, G_COUNT };
static const char *const g_names[G_COUNT] = {"fc", "conv", "matmul", "mul-const", "mul-act", "affine", "add-const",
                                             "sub", "residual-add", "avgpool", "gap", "leakyrelu", "maxpool",
                                             "resnet-tail", "dead-relu", "dead-relu-fc", "dead-reshape-relu",
                                             "dead-relu-late", "concat", "concat-exact", "wire", "max", "min",
                                             "reduce-mean", "reduce-sum", "convtranspose", "lut", "lut2",
                                             "clip", "relu6", "prelu", "softmax", "softmax-out", "logsoftmax"};

/* -t as the importer writes it (import.c, negate): Sub(0, t), 0 of shape [1] */
static int neg_node(nn_graph *g, int t) {
    int64_t one[1] = {1};
    float zero = 0;
    char name[32];
    snprintf(name, sizeof name, "z%zu", g->ntensors);
    return gb_n(g, NN_SUB, gb_attrs(), 2, gb_t(g, name, 1, one, &zero), t, -1, NULL);
}

static int reshape_node(nn_graph *g, int t, int ndim, const int64_t *d) {
    nn_shape s = {.ndim = ndim};
    for (int i = 0; i < ndim; i++) s.d[i] = d[i];
    return gb_n(g, NN_RESHAPE, gb_attrs(), 1, t, -1, -1, &s);
}

static nn_attrs pool2(void) { /* 2 x 2 windows, stride 2 */
    nn_attrs p = gb_attrs();
    p.kernel[0] = p.kernel[1] = 2;
    p.strides[0] = p.strides[1] = 2;
    return p;
}

static nn_graph *small_graph(zk_rng *rng, int kind) {
    nn_graph *g = gb_new();
    nn_attrs a = gb_attrs();
    int64_t img[4] = {1, 4, 6, 6}, vec[2] = {1, 16};
    int x, y;
    switch (kind) {
    case G_FC: {
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {8, 16}, bd[1] = {8};
        y = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        break;
    }
    case G_CONV:
    case G_MAXPOOL: {
        x = g->input = gb_t(g, "x", 4, img, NULL);
        int64_t wd[4] = {4, 4, 3, 3};
        a.kernel[0] = a.kernel[1] = 3;
        a.pads[0] = a.pads[1] = a.pads[2] = a.pads[3] = 1;
        y = gb_n(g, NN_CONV, a, 2, x, rand_const(g, rng, 4, wd, 0.4), -1, NULL);
        if (kind == G_MAXPOOL) y = gb_n(g, NN_MAXPOOL, pool2(), 1, y, -1, -1, NULL);
        break;
    }
    case G_MATMUL: {
        int64_t xd[2] = {4, 6}, wd[2] = {6, 6}, bd[1] = {6};
        x = g->input = gb_t(g, "x", 2, xd, NULL);
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_shape s = {.ndim = 2, .d = {6, 4}};
        int v = gb_n(g, NN_RESHAPE, a, 1, x, -1, -1, &s);
        y = gb_n(g, NN_MATMUL, a, 2, u, v, -1, NULL);
        break;
    }
    case G_MUL:
    case G_ADD:
    case G_SUB: {
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.3), rand_const(g, rng, 1, bd, 0.2), NULL);
        int c = rand_const(g, rng, 2, vec, kind == G_MUL ? 1.5 : 0.7);
        y = gb_n(g, kind == G_MUL ? NN_MUL : kind == G_ADD ? NN_ADD : NN_SUB, a, 2, kind == G_SUB ? c : u,
                 kind == G_SUB ? u : c, -1, NULL);
        break;
    }
    case G_MULACT: {
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.3), rand_const(g, rng, 1, bd, 0.2), NULL);
        y = gb_n(g, NN_MUL, a, 2, u, x, -1, NULL);
        break;
    }
    case G_AFFINE: {
        x = g->input = gb_t(g, "x", 4, img, NULL);
        int64_t cd[1] = {4};
        y = gb_n(g, NN_AFFINE, a, 3, x, rand_const(g, rng, 1, cd, 1.2), rand_const(g, rng, 1, cd, 0.3), NULL);
        break;
    }
    case G_RESID:
    case G_RESNET_TAIL: {
        int64_t d[4] = {1, 4, 4, 4};
        x = g->input = gb_t(g, "x", 4, d, NULL);
        int64_t wd[4] = {4, 4, 3, 3}, w1[4] = {4, 4, 1, 1};
        a.kernel[0] = a.kernel[1] = 3;
        a.pads[0] = a.pads[1] = a.pads[2] = a.pads[3] = 1;
        int u = gb_n(g, NN_CONV, a, 2, x, rand_const(g, rng, 4, wd, 0.4), -1, NULL);
        nn_attrs b = gb_attrs();
        b.kernel[0] = b.kernel[1] = 1;
        int v = gb_n(g, NN_CONV, b, 2, x, rand_const(g, rng, 4, w1, 0.8), -1, NULL);
        y = gb_n(g, NN_ADD, gb_attrs(), 2, u, v, -1, NULL);
        if (kind == G_RESNET_TAIL) {
            y = gb_n(g, NN_RELU, gb_attrs(), 1, y, -1, -1, NULL);
            int64_t wd2[4] = {16, 4, 3, 3};
            y = gb_n(g, NN_CONV, a, 2, y, rand_const(g, rng, 4, wd2, 0.3), -1, NULL);
            y = gb_n(g, NN_GLOBALAVGPOOL, gb_attrs(), 1, y, -1, -1, NULL);
        }
        break;
    }
    case G_AVG: {
        x = g->input = gb_t(g, "x", 4, img, NULL);
        y = gb_n(g, NN_AVGPOOL, pool2(), 1, x, -1, -1, NULL);
        break;
    }
    case G_GAP: {
        int64_t d[4] = {1, 16, 4, 4};
        x = g->input = gb_t(g, "x", 4, d, NULL);
        y = gb_n(g, NN_GLOBALAVGPOOL, a, 1, x, -1, -1, NULL);
        break;
    }
    case G_LEAKY: {
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_attrs l = gb_attrs();
        l.alpha = 0.1f;
        y = gb_n(g, NN_LEAKYRELU, l, 1, u, -1, -1, NULL);
        break;
    }
    case G_DEAD_RELU:
    case G_DEAD_CHAIN:
    case G_DEAD_RESHAPE:
    case G_DEAD_LATE: {
        /* u = FC(x) feeds the live tail and a ReLU whose result nothing
         * live reads (issue 11: a dead ReLU proves nothing about u) */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        y = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        if (kind == G_DEAD_RELU) gb_n(g, NN_RELU, a, 1, y, -1, -1, NULL);
        if (kind == G_DEAD_CHAIN) {
            int r = gb_n(g, NN_RELU, a, 1, y, -1, -1, NULL);
            int64_t w3[2] = {4, 16};
            gb_n(g, NN_FC, a, 2, r, rand_const(g, rng, 2, w3, 0.5), -1, NULL);
        }
        if (kind == G_DEAD_RESHAPE) {
            nn_shape s = {.ndim = 2, .d = {2, 8}};
            int v = gb_n(g, NN_RESHAPE, a, 1, y, -1, -1, &s);
            gb_n(g, NN_RELU, a, 1, v, -1, -1, NULL);
        }
        break;
    }
    case G_CONCAT:
    case G_CONCAT_EXACT: {
        /* two computed branches of different ranges joined on axis 1
         * (a rescaling Concat); exact: two ReLU branches at one scale */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wa[2] = {12, 16}, wb[2] = {8, 16}, ba[1] = {12}, bb[1] = {8};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wa, 0.5), rand_const(g, rng, 1, ba, 0.2), NULL);
        int v = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wb, kind == G_CONCAT ? 0.1 : 0.5),
                     rand_const(g, rng, 1, bb, 0.2), NULL);
        if (kind == G_CONCAT_EXACT) {
            u = gb_n(g, NN_RELU, a, 1, u, -1, -1, NULL);
            v = gb_n(g, NN_RELU, a, 1, v, -1, -1, NULL);
        }
        nn_attrs c = gb_attrs();
        c.iattr[0] = 1;
        y = gb_n(g, NN_CONCAT, c, 2, u, v, -1, NULL);
        break;
    }
    case G_WIRE: {
        /* FC -> [1, 4, 2, 2] -> Transpose (0, 2, 3, 1) -> Resize x2 on the
         * spatial axes -> Slice (every other row, columns reversed) */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_shape s4 = {.ndim = 4, .d = {1, 4, 2, 2}};
        u = gb_n(g, NN_RESHAPE, a, 1, u, -1, -1, &s4);
        nn_attrs t = gb_attrs();
        int64_t perm[4] = {0, 2, 3, 1};
        for (int d = 0; d < 4; d++) t.iattr[d] = perm[d];
        u = gb_n(g, NN_TRANSPOSE, t, 1, u, -1, -1, NULL);
        nn_attrs r = gb_attrs();
        int64_t sc[4] = {1, 2, 2, 1};
        for (int d = 0; d < 4; d++) r.iattr[d] = sc[d];
        u = gb_n(g, NN_RESIZE, r, 1, u, -1, -1, NULL);
        nn_attrs sl = gb_attrs();
        int64_t st[8] = {0, 0, 3, 0, 1, 2, -1, 1};
        for (int d = 0; d < 8; d++) sl.iattr[d] = st[d];
        nn_shape s5 = {.ndim = 4, .d = {1, 2, 4, 4}};
        y = gb_n(g, NN_SLICE, sl, 1, u, -1, -1, &s5);
        break;
    }
    case G_MAX:
    case G_MIN: {
        /* the importer's Max/Min (import.c, op_extreme) of u [4,4], v [1,4]
         * (broadcast by Resize) and, for Min, a constant: columns [1,16,1]
         * joined on axis 2, GlobalMaxPool, negated around for Min */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wu[2] = {16, 16}, wv[2] = {4, 16}, bu[1] = {16}, bv[1] = {4}, sq[2] = {4, 4}, row[2] = {1, 4};
        int64_t col[3] = {1, 16, 1};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wu, 0.5), rand_const(g, rng, 1, bu, 0.2), NULL);
        int v = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wv, 0.5), rand_const(g, rng, 1, bv, 0.2), NULL);
        if (kind == G_MIN) u = neg_node(g, u), v = neg_node(g, v);
        u = reshape_node(g, u, 2, sq);
        v = reshape_node(g, v, 2, row);
        nn_attrs r = gb_attrs();
        r.iattr[0] = 4, r.iattr[1] = 1;
        v = gb_n(g, NN_RESIZE, r, 1, v, -1, -1, NULL);
        nn_attrs c = gb_attrs();
        c.iattr[0] = 2;
        y = gb_n(g, NN_CONCAT, c, 2, reshape_node(g, u, 3, col), reshape_node(g, v, 3, col), -1, NULL);
        if (kind == G_MIN) y = gb_n(g, NN_CONCAT, c, 2, y, rand_const(g, rng, 3, col, 0.7), -1, NULL);
        y = reshape_node(g, gb_n(g, NN_GLOBALMAXPOOL, a, 1, y, -1, -1, NULL), 2, sq);
        if (kind == G_MIN) y = neg_node(g, y);
        break;
    }
    case G_REDUCE_MEAN:
    case G_REDUCE_SUM: {
        /* the importer's ReduceMean/ReduceSum (op_reduce) over axis 1 of
         * u [2,2,4]: Transpose (0,2,1), then GlobalAveragePool over
         * [1,8,2] or FC with weights 1 over [8,2] */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16}, d3[3] = {2, 2, 4}, m3[3] = {1, 8, 2}, s2[2] = {8, 2}, wo[2] = {1, 2};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_attrs t = gb_attrs();
        t.iattr[0] = 0, t.iattr[1] = 2, t.iattr[2] = 1;
        u = gb_n(g, NN_TRANSPOSE, t, 1, reshape_node(g, u, 3, d3), -1, -1, NULL);
        if (kind == G_REDUCE_MEAN) {
            y = gb_n(g, NN_GLOBALAVGPOOL, a, 1, reshape_node(g, u, 3, m3), -1, -1, NULL);
        } else {
            float ones[2] = {1, 1};
            y = gb_n(g, NN_FC, a, 2, reshape_node(g, u, 2, s2), gb_t(g, "ones", 2, wo, ones), -1, NULL);
        }
        break;
    }
    case G_CONVT: {
        /* the importer's ConvTranspose (op_convtranspose), kernel 3,
         * stride 2, pads 1, output_padding 1, on u [1,2,3,3]: spread by a
         * 6-D Pad, then a Conv with pads 1 -> [1,3,6,6] */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {18, 16}, bd[1] = {18}, d4[4] = {1, 2, 3, 3}, d6[6] = {1, 2, 3, 1, 3, 1}, up[4] = {1, 2, 6, 6};
        int64_t kd[4] = {3, 2, 3, 3};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_attrs p = gb_attrs();
        p.iattr[6 + 3] = p.iattr[6 + 5] = 1;
        u = gb_n(g, NN_PAD, p, 1, reshape_node(g, reshape_node(g, u, 4, d4), 6, d6), -1, -1, NULL);
        nn_attrs cv = gb_attrs();
        cv.kernel[0] = cv.kernel[1] = 3;
        cv.pads[0] = cv.pads[1] = cv.pads[2] = cv.pads[3] = 1;
        y = gb_n(g, NN_CONV, cv, 2, reshape_node(g, u, 4, up), rand_const(g, rng, 4, kd, 0.4), -1, NULL);
        break;
    }
    case G_LUT:
    case G_LUT2:
    case G_CLIP:
    case G_RELU6:
    case G_PRELU: {
        /* FC -> Gelu -> Sigmoid; FC -> Gelu (tanh form) -> HardSigmoid (a coarse
         * table: shift >= 1); FC -> Clip(-0.3, 0.4) (its input range-checked);
         * FC -> Clip(0, 0.5) (ReLU6-like: covers its input); FC -> PRelu
         * with a slope per element */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t wd[2] = {16, 16}, bd[1] = {16};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.5), rand_const(g, rng, 1, bd, 0.2), NULL);
        nn_attrs f = gb_attrs();
        if (kind == G_LUT) { /* the exact GELU, then a Sigmoid */
            u = gb_n(g, NN_GELU, f, 1, u, -1, -1, NULL);
            y = gb_n(g, NN_SIGMOID, f, 1, u, -1, -1, NULL);
        } else if (kind == G_LUT2) {
            f.iattr[0] = 1;
            u = gb_n(g, NN_GELU, f, 1, u, -1, -1, NULL);
            nn_attrs h = gb_attrs();
            h.alpha = 0.05f, h.beta = 0.5f;
            y = gb_n(g, NN_HARDSIGMOID, h, 1, u, -1, -1, NULL);
        } else if (kind == G_PRELU) {
            int64_t sd[1] = {16};
            y = gb_n(g, NN_PRELU, f, 2, u, rand_const(g, rng, 1, sd, 0.5), -1, NULL);
        } else {
            f.beta = kind == G_CLIP ? -0.3f : 0.0f, f.gamma = kind == G_CLIP ? 0.4f : 0.5f;
            y = gb_n(g, NN_CLIP, f, 1, u, -1, -1, NULL);
        }
        break;
    }
    case G_SOFTMAX:
    case G_SOFTMAX_OUT:
    case G_LOGSOFTMAX: {
        /* FC -> Softmax over 10 logits (the output itself, or read by an
         * FC); FC -> [4, 4] -> LogSoftmax down the columns (stride 4) */
        x = g->input = gb_t(g, "x", 2, vec, NULL);
        int64_t n = kind == G_LOGSOFTMAX ? 16 : 10, wd[2] = {n, 16}, bd[1] = {n};
        int u = gb_n(g, NN_FC, a, 3, x, rand_const(g, rng, 2, wd, 0.8), rand_const(g, rng, 1, bd, 0.3), NULL);
        nn_attrs f = gb_attrs();
        if (kind == G_LOGSOFTMAX) {
            nn_shape s4 = {.ndim = 2, .d = {4, 4}};
            u = gb_n(g, NN_RESHAPE, a, 1, u, -1, -1, &s4);
            f.iattr[0] = 4, f.iattr[1] = 4;
        } else {
            f.iattr[0] = 10, f.iattr[1] = 1;
        }
        y = gb_n(g, kind == G_LOGSOFTMAX ? NN_LOGSOFTMAX : NN_SOFTMAX, f, 1, u, -1, -1, NULL);
        if (kind == G_SOFTMAX_OUT) {
            g->output = y;
            return g;
        }
        break;
    }
    default: ZK_CHECK(0);
    }
    int out = fc_tail(g, rng, y);
    if (kind == G_DEAD_LATE) { /* after the graph output */
        gb_n(g, NN_RELU, a, 1, y, -1, -1, NULL);
        g->output = out;
    }
    return g;
}

/* Model m's strategies with plain keys, then with zk keys: the forgeries
 * take turns between the zk mode's public input and output and the
 * combination zk_modes[1 + rot % 5] */
static void cheat_plain_zk(zk_rng *rng, zk_rng *zr, const char *name, const q_model *m, const int64_t *xq, int heavy,
                           size_t rot, int zk) {
    cheat_model(rng, name, m, xq, heavy, &plain_mode, 1);
    cheat_mode md[2] = {zk_modes[0], zk_modes[1 + rot % 5]};
    if (zk) cheat_model(zr, name, m, xq, 1, md, 2);
}

static void cheat_small(zk_rng *rng, zk_rng *zr, int kind) {
    nn_graph *g = small_graph(rng, kind);
    size_t nin = (size_t)nn_numel(&g->tensors[g->input].shape);
    float *cal = zk_malloc_n(8 * nin, sizeof *cal);
    for (size_t i = 0; i < 8 * nin; i++) cal[i] = (float)urand(rng);
    q_model *m = NULL;
    zk_err e = q_quantize(&m, g, cal, 8, NULL);
    if (e) fprintf(stderr, "cheat %s: %s\n", g_names[kind], zk_reason());
    TEST_CHECK(e == ZK_OK);
    if (e == ZK_OK) {
        int64_t *xq = zk_malloc_n(nin, sizeof *xq);
        TEST_CHECK(q_quantize_input(xq, m, cal) == ZK_OK);
        /* zk keys: not on the table graphs whose strategies another one
         * runs under them (lut2: lut; softmax: softmax-out, logsoftmax;
         * relu6-table: clip-table), for make test's time */
        cheat_plain_zk(rng, zr, g_names[kind], m, xq, 0, (size_t)kind, kind != G_LUT2 && kind != G_SOFTMAX);
#ifdef ZK_VERIFY
        if (kind == G_CLIP || kind == G_RELU6) { /* the same Clip proven by its table */
            char name[32];
            snprintf(name, sizeof name, "%s-table", g_names[kind]);
            q_test_clip_table(1);
            q_model *mt = model_copy(m);
            cheat_plain_zk(rng, zr, name, mt, xq, 0, (size_t)kind + 1, kind == G_CLIP);
            q_model_free(mt);
            q_test_clip_table(-1);
        }
#endif
        free(xq);
    }
    q_model_free(m);
    free(cal);
    nn_graph_free(g);
}

static void cheat_file(zk_rng *rng, const char *name, const char *input, int heavy, const cheat_mode *md, size_t nmd) {
    char path[128], calib[128];
    snprintf(path, sizeof path, "models/%s.onnx", name);
    snprintf(calib, sizeof calib, "models/calib/%s_calib.json", name);
    q_model *m = NULL;
    if (!test_quantize_model(&m, path, calib)) return;
    size_t nin = (size_t)q_numel(m, 0);
    float *x = NULL;
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    TEST_CHECK(in_load_one(&x, input, nin) == ZK_OK);
    if (x && q_quantize_input(xq, m, x) == ZK_OK) cheat_model(rng, name, m, xq, heavy, md, nmd);
    q_model_free(m);
    free(x);
    free(xq);
}

/* ---- an input q_run refuses ----
 * x -> a = (x0, x1), b = (x1, x0) -> Sub (a - b) -> FC with equal columns
 * (its accumulator is the bias whatever the Sub gives). Calibrated where
 * x0 = x1, the Sub's output range is 0, so it is an exact left shift
 * (k < 0) by many bits, and x = (0.9, -0.9) overflows it: q_run refuses.
 * A cheater runs the nodes without that stop and proves the result for x;
 * since q_run has no output for x, no such proof may be accepted. Without
 * the integer checks (the protocol before issue 11, where exact shifts
 * were taken as in range) it is. */
static void cheat_range(zk_rng *rng, zk_rng *zr) {
    nn_graph *g = gb_new();
    int64_t xd[2] = {1, 2}, wd[2] = {2, 2}, bd[1] = {2};
    float wa[4] = {1, 0, 0, 1}, wb[4] = {0, 1, 1, 0}, wt[4] = {0.5f, 0.5f, -0.25f, -0.25f}, bt[2] = {0.3f, -0.2f};
    int x = g->input = gb_t(g, "x", 2, xd, NULL);
    int a = gb_n(g, NN_FC, gb_attrs(), 2, x, gb_t(g, "wa", 2, wd, wa), -1, NULL);
    int b = gb_n(g, NN_FC, gb_attrs(), 2, x, gb_t(g, "wb", 2, wd, wb), -1, NULL);
    int d = gb_n(g, NN_SUB, gb_attrs(), 2, a, b, -1, NULL);
    gb_n(g, NN_FC, gb_attrs(), 3, d, gb_t(g, "wt", 2, wd, wt), gb_t(g, "bt", 1, bd, bt), NULL);
    float cal[16], bad[2] = {0.9f, -0.9f};
    for (int i = 0; i < 8; i++) cal[2 * i] = cal[2 * i + 1] = (float)urand(rng);
    q_model *m = NULL;
    TEST_REQUIRE(q_quantize(&m, g, cal, 8, NULL) == ZK_OK);
    nn_graph_free(g);
    int64_t xq[2], xb[2];
    q_witness *w = NULL, *none = NULL;
    TEST_CHECK(m->nodes[2].op == NN_SUB && m->nodes[2].k < 0);
    TEST_CHECK(q_quantize_input(xq, m, cal) == ZK_OK && q_quantize_input(xb, m, bad) == ZK_OK);
    TEST_CHECK(q_run(&none, m, xb) == ZK_EINPUT); /* out of the calibrated range at the Sub */
    TEST_REQUIRE(q_run(&w, m, xq) == ZK_OK);
    memcpy(w->t[0], xb, sizeof xb);
    for (size_t i = 0; i < m->nnodes; i++) (void)!q_run_node(m, w, i); /* no range stop */
    /* under the plain keys and the zk keys of every visibility */
    cheat_mode md[7] = {plain_mode};
    memcpy(md + 1, zk_modes, sizeof zk_modes);
    for (size_t k = 0; k < 7; k++) {
        char mode[64];
        mode_name(mode, sizeof mode, md[k]);
        uint8_t seed[2][32];
        for (int j = 0; j < 64; j++) seed[j / 32][j % 32] = (uint8_t)zk_rng_u64(zr);
        cnn_key *pk = NULL, *vk = NULL;
        if (!keys_for(&pk, &vk, model_in_mode(m, md[k]))) continue;
        for (int weak = 0; weak < 2; weak++) { /* the same keys serve the weakened plan */
#ifdef ZK_VERIFY
            cnn_test_int_checks(!weak);
#endif
            zk_buf proof;
            zk_buf_init(&proof);
            int changed = 0;
            zk_err e = prove_forged(&proof, pk, xq, seed, w, NULL, NULL, &changed); /* x = (0.9, -0.9) swapped in */
            stmt got = {0}, sb, sq;
            if (e == ZK_OK) e = stmt_verify(&got, vk, &proof);
#ifdef ZK_VERIFY
            cnn_test_int_checks(1);
#endif
            /* the accepted statement: x = (0.9, -0.9) (or a commitment to it)
             * with the forged output, or the honest input with it */
            char why[256];
            stmt_expect(&sb, pk, xb, q_output(m, w), seed);
            stmt_expect(&sq, pk, xq, q_output(m, w), seed);
            int for_bad = e == ZK_OK && !stmt_differs(&got, &sb, vk, why, sizeof why);
            int for_honest = e == ZK_OK && !stmt_differs(&got, &sq, vk, why, sizeof why);
            printf("  cheat out-of-range     an input q_run refuses (%s)%s: proof %s%s\n", mode,
                   weak ? ", without the integer checks" : "", e == ZK_OK ? "accepted" : "rejected",
                   for_bad ? " for that input" : for_honest ? " for the honest input" : "");
            TEST_CHECK(changed);
            if (weak) TEST_CHECK(for_bad); /* the strategy works where the checks are off */
            else TEST_CHECK(e != ZK_OK);
            stmt_free(&got);
            stmt_free(&sb);
            stmt_free(&sq);
            zk_buf_free(&proof);
        }
        cnn_key_free(pk);
        cnn_key_free(vk);
    }
    q_model_free(m);
    q_witness_free(w);
}

/* ---- the bottom of the activation range ----
 * The circuits prove every activation an integer in [-A, A) (a b_act-bit
 * lookup of y + A, a ReLU's u in [0, A) with x = -u - 1): -A is the one
 * value there that q_run used to refuse (|q| < A), and the field bound of
 * quant.h section 4 was computed for |x| <= A - 1 only. So a prover could
 * prove an input on which q_run stopped (an Add reaching -A, read by an
 * FC), and with b_act = 2 (A/(A-1) = 2) the unchecked -A made a product
 * wrap mod p: a = x - 1 = -2 at x = -1, y = a * a * 2^59 = 2^61 = 1 (mod p),
 * and the verifier accepted the output 1. Now q_run's range is [-A, A)
 * (b_act-bit two's complement, what the circuits prove) and the field bound
 * is taken over |x| <= A: the first model proves honestly (output -A
 * included), the second is refused at setup, and a verifying key carrying
 * its skeleton (a key setup would not write) is refused on loading, since
 * a product of two activations needs no constant to bound. Whatever is
 * accepted must be q_run's output on the accepted input. */
static q_model *edge_model(int wrap, int k_fc, int *skel_ok) {
    nn_graph *g = gb_new();
    int64_t xd[2] = {1, wrap ? 1 : 2}, wd[2] = {2, 2};
    float cv[2] = {-0.5f, -0.5f}, id[4] = {1, 0, 0, 1};
    int x = g->input = gb_t(g, "x", 2, xd, NULL);
    int a = gb_n(g, NN_ADD, gb_attrs(), 2, x, gb_t(g, "c", 2, xd, cv), -1, NULL);
    if (wrap) gb_n(g, NN_MUL, gb_attrs(), 2, a, a, -1, NULL);
    else gb_n(g, NN_FC, gb_attrs(), 2, a, gb_t(g, "W", 2, wd, id), -1, NULL);
    float cal[4] = {0.25f, -0.25f, 0.5f, 0.125f};
    q_model *m = NULL;
    ZK_CHECK(q_quantize(&m, g, cal, 2, NULL) == ZK_OK);
    nn_graph_free(g);
    /* every scale 0, the constant -1: a = x - 1 exactly */
    m->s.f_max = 60;
    for (size_t t = 0; t < m->ntensors; t++) m->tensors[t].f = 0;
    q_node *ad = &m->nodes[0], *nx = &m->nodes[1];
    ZK_CHECK(ad->op == NN_ADD && ad->in[1] < 0 && ad->nw == (size_t)xd[1]);
    ad->f_w = 0, ad->k = 0, ad->align[0] = ad->align[1] = 0;
    for (size_t j = 0; j < ad->nw; j++) ad->w[j] = -1;
    if (wrap) { /* b_act = 2: activations in {-1, 0, 1}; y = a a 2^59 */
        m->s.b_act = 2;
        nx->k = -59;
        m->tensors[2].f = 59;
    } else { /* y = rescale(a, k_fc) */
        nx->f_w = 0, nx->k = k_fc;
        m->tensors[2].f = -k_fc;
        for (int j = 0; j < 4; j++) nx->w[j] = j == 0 || j == 3;
    }
    /* a verifying key's skeleton of it (acc_bits as quantized: <= 60), as a
     * key setup would not write would carry it */
    zk_buf b;
    zk_buf_init(&b);
    q_model_serialize_skeleton(&b, m);
    q_model *sk = NULL;
    *skel_ok = q_model_deserialize_skeleton(&sk, b.data, b.len) == ZK_OK;
    q_model_free(sk);
    zk_buf_free(&b);
    zk_buf_init(&b);
    q_model_serialize(&b, m);
    q_model_free(m);
    m = NULL;
    if (q_model_deserialize(&m, b.data, b.len) != ZK_OK) m = NULL; /* validation recomputes the field bound */
    zk_buf_free(&b);
    return m;
}

static void cheat_edge_one(zk_rng *rng, const char *what, int wrap, int k_fc, const int64_t *xb, const int64_t *xok) {
    int skel_ok = 0;
    q_model *m = edge_model(wrap, k_fc, &skel_ok);
    TEST_CHECK(skel_ok == !wrap); /* its bound needs no constant: a skeleton checks it too */
    if (!m) {
        printf("  cheat activation-edge  %s: model refused at setup (%s)\n", what, zk_reason());
        TEST_CHECK(wrap); /* only the wrapping model is over the field bound */
        return;
    }
    /* the cheater's witness: every node run without q_run's range stop */
    q_witness *w = zk_calloc(1, sizeof *w);
    w->ntensors = m->ntensors;
    w->nnodes = m->nnodes;
    w->t = zk_calloc(m->ntensors, sizeof *w->t);
    w->nodes = zk_calloc(m->nnodes, sizeof *w->nodes);
    w->t[0] = zk_malloc_n((size_t)q_numel(m, 0), sizeof *w->t[0]);
    memcpy(w->t[0], xb, (size_t)q_numel(m, 0) * sizeof *xb);
    for (size_t i = 0; i < m->nnodes; i++) (void)!q_run_node(m, w, i);
    /* under the plain keys and the zk keys of every visibility */
    cheat_mode md[7] = {plain_mode};
    memcpy(md + 1, zk_modes, sizeof zk_modes);
    for (size_t k = 0; k < 7; k++) {
        cnn_key *pk = NULL, *vk = NULL;
        TEST_CHECK(!wrap); /* the wrapping model must not get past setup */
        if (!keys_for(&pk, &vk, model_in_mode(m, md[k]))) continue;
        char mode[64];
        mode_name(mode, sizeof mode, md[k]);
        uint8_t seed[2][32];
        for (int j = 0; j < 64; j++) seed[j / 32][j % 32] = (uint8_t)zk_rng_u64(rng);
        zk_buf proof;
        zk_buf_init(&proof);
        int changed = 0;
        zk_err e = prove_forged(&proof, pk, xok, seed, w, NULL, NULL, &changed); /* xb swapped in */
        stmt got = {0};
        if (e == ZK_OK) e = stmt_verify(&got, vk, &proof);
        int accepted = e == ZK_OK, same = 0, refused = 0;
        /* the accepted statement must be q_run's on its input: the proof's
         * (public), or xb or xok (whose commitment a private one is) */
        const int64_t *cand[3] = {got.in, xb, xok};
        for (int c = 0; c < 3 && accepted && !same; c++) {
            if (!cand[c]) continue;
            q_witness *ref = NULL;
            if (q_run(&ref, m, cand[c]) != ZK_OK) {
                refused |= c == 0;
                continue;
            }
            stmt want;
            char why[256];
            stmt_expect(&want, pk, cand[c], q_output(m, ref), seed);
            same = !stmt_differs(&got, &want, vk, why, sizeof why);
            stmt_free(&want);
            q_witness_free(ref);
        }
        printf("  cheat activation-edge  %s (%s): proof %s%s\n", what, mode, accepted ? "accepted" : "rejected",
               !accepted ? "" : same ? ", q_run agrees" : refused ? ", but q_run refuses that input" : ", with another output");
        TEST_CHECK(changed && (!accepted || same));
        TEST_CHECK(accepted); /* -A is in range: the honest proof verifies */
        stmt_free(&got);
        zk_buf_free(&proof);
        cnn_key_free(pk);
        cnn_key_free(vk);
    }
    q_model_free(m);
    q_witness_free(w);
}

static void cheat_edge(zk_rng *rng) {
    const int64_t xb[2] = {-32767, 0}, xok[2] = {0, 0}; /* b_act = 16: a = x - 1 = (-A, -1) */
    cheat_edge_one(rng, "Add reaching -A read by an FC", 0, 1, xb, xok);
    cheat_edge_one(rng, "output -A", 0, 0, xb, xok);
    const int64_t wb[1] = {-1}, wok[1] = {1};
    cheat_edge_one(rng, "b_act = 2, (-2)(-2) 2^59 wraps to 1", 1, 0, wb, wok);
}

void test_cheat(zk_rng *rng) {
    /* the zk runs draw from their own generator (their keys' seeds, their
     * strategies' choices), so that the plain runs draw what they drew
     * before the zk runs were added */
    zk_rng zr = *rng;
    zk_rng_seed(&zr, zk_rng_u64(&zr) ^ 0x7a6b);
    cheat_edge(&zr);
    cheat_range(rng, &zr);
    for (int k = 0; k < G_COUNT; k++) cheat_small(rng, &zr, k);
    static const cheat_mode lenet_class = {0, Q_IN_PUBLIC, Q_OUT_CLASS};
    cheat_file(rng, "lenet5_fashion", "models/inputs/lenet5_fashion_0.json", 0, &plain_mode, 1);
    /* every strategy also against a class-only output (issue 13: every visibility) */
    cheat_file(rng, "lenet5_fashion", "models/inputs/lenet5_fashion_0.json", 1, &lenet_class, 1);
    const cheat_mode lenet_zk[3] = {zk_modes[0], zk_modes[1], zk_modes[5]};
    cheat_file(&zr, "lenet5_fashion", "models/inputs/lenet5_fashion_0.json", 1, lenet_zk, 3);
    cheat_file(rng, "resnet_small", "models/inputs/resnet_small_0.json", 1, &plain_mode, 1);
    /* its two-challenge lookup (protocol.md 7.4) under zk keys with a
     * private input and output; only the multiplicities, for make test's
     * time (a forgery of it costs about 3 s) */
    cheat_file(&zr, "resnet_small", "models/inputs/resnet_small_0.json", 2, &zk_modes[1], 1);
    /* every strategy ran under the zk keys with a public input and output
     * and under some zk keys with a private input or a class or private
     * output; every zk visibility took several strategies */
    for (int k = 0; k < S_COUNT; k++) {
        long other = 0;
        for (int c = 1; c < 6; c++) other += coverage[k][c];
        printf("  cheat coverage %-15s plain %3ld, zk %3ld, zk private input or class/private output %3ld\n", s_names[k],
               coverage[k][6], coverage[k][0], other);
        if (!coverage[k][0] || !other) fprintf(stderr, "cheat: strategy %s did not run under every kind of zk key\n", s_names[k]);
        TEST_CHECK(coverage[k][0] > 0 && other > 0);
    }
    printf("  cheat zk keys without the integer checks: %ld of %ld accepted with another statement\n", zk_weak[1],
           zk_weak[0]);
    TEST_CHECK(zk_weak[1] > 0);
    for (int c = 0; c < 6; c++) {
        int kinds = 0;
        for (int k = 0; k < S_COUNT; k++) kinds += coverage[k][c] > 0;
        char mode[64];
        mode_name(mode, sizeof mode, zk_modes[c]);
        printf("  cheat coverage %-32s %d strategies\n", mode, kinds);
        if (kinds < 4) fprintf(stderr, "cheat: only %d strategies ran under the keys %s\n", kinds, mode);
        TEST_CHECK(kinds >= 4);
    }
}
