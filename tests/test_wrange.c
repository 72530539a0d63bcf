/* Tests of the weight-range certificate of a verifying key
 * (src/layers/wrange.c; papers/protocol.md sec. 7.1.1): honest keys of
 * models with every kind of constant load, with the ledger's figure above
 * the plan's bound; keys whose committed weights break their ranges
 * (committed honestly, certified by the honest prover) are refused when
 * loaded, and so are cheating certificates (multiplicities moved or made
 * to balance, limbs rewritten), damaged ones and those of other keys. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/layers/cnn.h"
#include "../src/layers/cnn_test.h"
#include "../src/onnx/onnx.h"
#include "test.h"

/* What the hooks change. W_*: the weight table before it is committed;
 * C_*: the certificate's table C (limbs, multiplicities) before it is. */
enum {
    W_HONEST,
    W_WEIGHT_HI,   /* a weight = 2^(b_w-1): one above the range */
    W_WEIGHT_LO,   /* a weight = -2^(b_w-1) - 1: one below */
    W_WEIGHT_MIN,  /* a weight = -2^(b_w-1): the range's bottom (accepted) */
    W_HALF,        /* a weight = 1/2 in F_p */
    W_NEAR_P,      /* a weight = p - 2^40 (-2^40) */
    W_MID_P,       /* a weight = (p - 1) / 2 */
    W_BIAS_HI,     /* a bias = 2^acc_bits */
    W_BIAS_TOP,    /* a bias = 2^acc_bits - 1 (accepted) */
    W_BIAS_PAD,    /* a padding cell of the bias region = 1 (in range: accepted) */
    W_BIAS_PAD_HI, /* that cell = 2^acc_bits */
    W_CONST_HI,    /* the Sub constant = 2^acc_bits */
    W_TAIL,        /* a cell of W beyond every region = 1 */
    W_BUMP,        /* a weight + 1 (in range: another honest key) */
    W_PAD,         /* a zero-knowledge key's W pad cell = (p - 1)/2 (unconstrained: accepted) */
    W_N
};
enum { C_NONE, C_MOVE, C_COUNT_OUT, C_LIMBS_ZERO, C_LIMB_BUMP };

typedef struct {
    int w, cmode;
    fm61 *W;           /* the weight table, kept for the C hook */
    int node;          /* the first node with weights and a bias */
    uint64_t boff;     /* its bias region's offset in W */
    int done;
} wr_atk;

/* the first node with a weight region and a bias */
static int wr_node(const pl_plan *pl) {
    for (size_t i = 0; i < pl->m->nnodes; i++)
        if (pl->node[i].wreg >= 0 && pl->node[i].breg >= 0) return (int)i;
    return -1;
}

static void wr_whook_fn(void *ctx, const pl_plan *pl, fm61 *W) {
    wr_atk *a = ctx;
    a->W = W;
    a->node = wr_node(pl);
    if (a->node < 0) return;
    const q_model *m = pl->m;
    const pl_node *pn = &pl->node[a->node];
    a->boff = pl->reg[pn->breg].off;
    if (a->w == W_HONEST) return;
    const q_node *nd = &m->nodes[a->node];
    int64_t H = (int64_t)1 << (m->s.b_w - 1), B = (int64_t)1 << nd->acc_bits;
    uint64_t wo = pl->reg[pn->wreg].off, bo = pl->reg[pn->breg].off;
    a->boff = bo;
    a->done = 1;
    switch (a->w) {
    case W_WEIGHT_HI: W[wo] = fm61_from_i64(H); break;
    case W_WEIGHT_LO: W[wo] = fm61_from_i64(-H - 1); break;
    case W_WEIGHT_MIN: W[wo] = fm61_from_i64(-H); break;
    case W_HALF: W[wo] = fm61_inv(2); break;
    case W_NEAR_P: W[wo] = FM61_P - ((fm61)1 << 40); break;
    case W_MID_P: W[wo] = (FM61_P - 1) / 2; break;
    case W_BIAS_HI: W[bo] = fm61_from_i64(B); break;
    case W_BIAS_TOP: W[bo] = fm61_from_i64(B - 1); break;
    case W_BUMP: W[wo] = fm61_add(W[wo], 1); break;
    case W_BIAS_PAD:
    case W_BIAS_PAD_HI: {
        const pl_region *rg = &pl->reg[pn->breg];
        if (rg->len == ((int64_t)1 << rg->nv)) a->done = 0;
        else W[bo + (uint64_t)rg->len] = a->w == W_BIAS_PAD ? 1 : fm61_from_i64(B);
        break;
    }
    case W_CONST_HI: {
        a->done = 0;
        for (size_t i = 0; i < m->nnodes && !a->done; i++)
            if ((m->nodes[i].op == NN_SUB || m->nodes[i].op == NN_ADD) && pl->node[i].creg >= 0) {
                W[pl->reg[pl->node[i].creg].off] = fm61_from_i64((int64_t)1 << m->nodes[i].acc_bits);
                a->done = 1;
            }
        break;
    }
    case W_PAD:
        if (pl->wpad >= 0) W[pl->reg[pl->wpad].off + 5] = (FM61_P - 1) / 2;
        else a->done = 0;
        break;
    case W_TAIL: {
        uint64_t end = 0;
        for (size_t r = 0; r < pl->nreg; r++)
            if (pl->reg[r].poly == PL_W && pl->reg[r].off + ((uint64_t)1 << pl->reg[r].nv) > end)
                end = pl->reg[r].off + ((uint64_t)1 << pl->reg[r].nv);
        if (end < ((uint64_t)1 << pl->wnv)) W[end] = 1;
        else a->done = 0;
        break;
    }
    default: a->done = 0;
    }
}

/* C (the certificate's plan pl): the limbs of the bias region (the W
 * region at a->boff) are the ADV regions made right after it (wrange.c). */
static void wr_chook_fn(void *ctx, const pl_plan *pl, fm61 *C) {
    wr_atk *a = ctx;
    if (a->cmode == C_NONE) return;
    fm61 *mt = C + pl->reg[pl->mreg].off;
    size_t T = (size_t)1 << pl->lb;
    int limb[PL_MAX_LIMBS], nl = 0;
    for (size_t r = 0; r < pl->nreg; r++)
        if (pl->reg[r].poly == PL_W && pl->reg[r].off == a->boff && pl->reg[r].node == a->node) {
            for (size_t j = r + 1; j < pl->nreg && pl->reg[j].poly == PL_ADV && pl->reg[j].node == a->node && nl < PL_MAX_LIMBS; j++)
                limb[nl++] = (int)j;
            break;
        }
    switch (a->cmode) {
    case C_MOVE: /* one count moved to the next table entry: the counts still add up */
        for (size_t t = 0; t + 1 < T; t++)
            if (mt[t]) {
                mt[t] = fm61_sub(mt[t], 1);
                mt[t + 1] = fm61_add(mt[t + 1], 1);
                a->done = 1;
                break;
            }
        break;
    case C_COUNT_OUT: /* every column entry counted, an out-of-table one at its value mod 2^lb */
        for (size_t ci = 0; ci < pl->ncol; ci++) {
            const pl_col *col = &pl->col[ci];
            const pl_region *rg = &pl->reg[col->reg];
            const fm61 *R = (rg->poly == PL_W ? a->W : C) + rg->off;
            for (size_t k = 0; k < ((size_t)1 << rg->nv); k++) {
                fm61 v = pl_col_value(pl, col, R, k);
                if (v >= T) mt[v & (T - 1)] = fm61_add(mt[v & (T - 1)], 1), a->done = 1;
            }
        }
        break;
    case C_LIMBS_ZERO: /* the first cell's limbs all 0 (in range), the counts made to balance */
    case C_LIMB_BUMP:  /* its lowest limb + 1, likewise */
        if (nl < 2) break;
        for (int j = 0; j < nl; j++) {
            fm61 *L = C + pl->reg[limb[j]].off;
            if (a->cmode == C_LIMBS_ZERO) L[0] = 0;
            else if (j == 0) L[0] = L[0] ? L[0] - 1 : 1;
        }
        pl_count_range(pl, a->W, C);
        a->done = 1;
        break;
    default: break;
    }
}

/* 1: the models are set up as zero-knowledge keys (hiding W with its pad;
 * protocol.md sec. 9.5) */
static int wr_zk;

/* setup with the hooks installed; the vk's bytes; ZK_OK or setup's error */
static zk_err wr_setup(q_model *m, wr_atk *a, cnn_key **pk, zk_buf *vkb) {
    if (m && wr_zk) m->s.zk_mc = 1; /* cnn_setup measures the pool */
    cnn_set_weights_hook(wr_whook_fn, a);
    cnn_set_wrange_hook(wr_chook_fn, a);
    zk_err e = cnn_setup(pk, m);
    cnn_set_weights_hook(NULL, NULL);
    cnn_set_wrange_hook(NULL, NULL);
    if (e == ZK_OK) cnn_vk_serialize(vkb, *pk);
    return e;
}

static zk_err wr_load(const zk_buf *vkb) {
    cnn_key *k = NULL;
    zk_err e = cnn_vk_deserialize(&k, vkb->data, vkb->len);
    TEST_CHECK((e == ZK_OK) == (k != NULL));
    cnn_key_free(k);
    return e;
}

/* A model with a weight-like, a bias-like and an Add/Sub constant:
 * x [1,12] -> FC (w [5,12], bias [5]) -> Sub (a constant [1,5]) -> y. */
static q_model *wr_small(uint64_t seed) {
    zk_rng r;
    zk_rng_seed(&r, seed);
    nn_graph *g = gb_new();
    int64_t xd[2] = {1, 12}, wd[2] = {5, 12}, bd[1] = {5}, cd[2] = {1, 5};
    float wv[60], bv[5], cv[5], cal[4 * 12];
    for (int j = 0; j < 60; j++) wv[j] = (float)((double)(zk_rng_u64(&r) % 2001) / 1000.0 - 1.0);
    for (int j = 0; j < 5; j++) bv[j] = (float)((double)(zk_rng_u64(&r) % 2001) / 1000.0 - 1.0);
    for (int j = 0; j < 5; j++) cv[j] = (float)((double)(zk_rng_u64(&r) % 2001) / 500.0 - 2.0);
    for (int j = 0; j < 48; j++) cal[j] = (float)((double)(zk_rng_u64(&r) % 2001) / 1000.0 - 1.0);
    int x = g->input = gb_t(g, "x", 2, xd, NULL);
    int y = gb_n(g, NN_FC, gb_attrs(), 3, x, gb_t(g, "w", 2, wd, wv), gb_t(g, "b", 1, bd, bv), NULL);
    gb_n(g, NN_SUB, gb_attrs(), 2, y, gb_t(g, "c", 2, cd, cv), -1, NULL);
    q_model *m = NULL;
    zk_err e = q_quantize(&m, g, cal, 4, NULL);
    TEST_CHECK(e == ZK_OK);
    nn_graph_free(g);
    return e == ZK_OK ? m : NULL;
}

static q_model *wr_case(const char *name) {
    char dir[256];
    snprintf(dir, sizeof dir, "/usr/share/libonnx-testdata/data/node/%s", name);
    onnx_testcase tc;
    if (onnx_testcase_read(&tc, dir) != ZK_OK) {
        printf("  wrange: %s unreadable: skipped\n", name);
        return NULL;
    }
    nn_graph *g = NULL;
    const float *in = NULL;
    q_model *m = NULL;
    TEST_CHECK(onnx_testcase_import(&g, &in, &tc) == ZK_OK);
    if (g) TEST_CHECK(q_quantize(&m, g, in, 1, NULL) == ZK_OK);
    nn_graph_free(g);
    onnx_testcase_free(&tc);
    return m;
}

/* Honest keys load; the ledger counts at least the plan's bound. */
static void wr_honest(const char *name, q_model *m) {
    if (!m) return;
    wr_atk a = {0};
    cnn_key *pk = NULL, *vk = NULL;
    zk_buf vb;
    zk_buf_init(&vb);
    zk_err e = wr_setup(m, &a, &pk, &vb);
    if (e) fprintf(stderr, "wrange %s: setup: %s\n", name, zk_reason());
    TEST_REQUIRE(e == ZK_OK);
    e = cnn_vk_deserialize(&vk, vb.data, vb.len);
    if (e) fprintf(stderr, "wrange %s: load: %s\n", name, zk_reason());
    TEST_CHECK(e == ZK_OK);
    double counted = 0, rbr = 0, bound = cnn_wrange_bits(pk);
    if (vk) TEST_CHECK(cnn_wrange_check(vk, &counted, &rbr) == ZK_OK);
    TEST_CHECK(!pk->w_nvars || (pk->wrange_len > 0 && bound >= CNN_MIN_SOUNDNESS_BITS && counted >= bound));
    /* a zero-knowledge key: W hiding (the vk says so) with the default budget, the certificate's slot taken */
    TEST_CHECK(pk->wcom.zk == (wr_zk && pk->w_nvars > 0));
    if (vk) TEST_CHECK(vk->wcom.zk == pk->wcom.zk && vk->wcom.openings == pk->wcom.openings);
    if (pk->wcom.zk)
        TEST_CHECK(pk->wcom.openings == CNN_WEIGHT_ZK_DEFAULT_OPENINGS && pk->wused && *pk->wused == 1 &&
                   cnn_key_proofs_left(pk) == CNN_WEIGHT_ZK_DEFAULT_OPENINGS - 1);
    else
        TEST_CHECK(cnn_key_proofs_left(pk) == -1);
    printf("  wrange %s%s: W 2^%u, certificate %zu bytes, %.2f bits (counted %.2f), round-by-round %.2f bits\n", name,
           wr_zk ? " (zk key)" : "", pk->w_nvars, pk->wrange_len, bound, counted, rbr);
    /* a key below the soundness floor is unusable: the floor raised past
     * this key's bounds, the same bytes no longer load */
    if (pk->w_nvars) {
        double pb = cnn_soundness_bits(pk), top = (pb > counted ? pb : counted) + 1;
        cnn_test_set_key_min_bits(top);
        TEST_CHECK(wr_load(&vb) == ZK_EFORMAT && strstr(zk_reason(), "below the floor") != NULL);
        cnn_test_set_key_min_bits((pb < counted ? pb : counted) - 0.01); /* just under both: loads */
        TEST_CHECK(wr_load(&vb) == ZK_OK);
        cnn_test_set_key_min_bits(CNN_MIN_SOUNDNESS_BITS);
    }
    cnn_key_free(vk);
    cnn_key_free(pk);
    zk_buf_free(&vb);
}

/* One attack on a fresh copy of a model: whether its key loads. */
static void wr_attack(q_model *(*make)(const void *), const void *arg, int w, int cmode, int accept, const char *what) {
    q_model *m = make(arg);
    if (!m) return;
    wr_atk a = {.w = w, .cmode = cmode};
    cnn_key *pk = NULL;
    zk_buf vb;
    zk_buf_init(&vb);
    zk_err e = wr_setup(m, &a, &pk, &vb);
    TEST_REQUIRE(e == ZK_OK);
    if (!a.done && (w != W_HONEST || cmode != C_NONE)) {
        printf("  wrange: %s: nothing to change, skipped\n", what);
    } else {
        e = wr_load(&vb);
        if ((e == ZK_OK) != accept) fprintf(stderr, "wrange: %s: key %s\n", what, e == ZK_OK ? "accepted" : zk_reason());
        TEST_CHECK((e == ZK_OK) == accept);
        if (e != ZK_OK) TEST_CHECK(e == ZK_EFORMAT && strstr(zk_reason(), "verifying key") != NULL);
        if (getenv("GKRCNN_TEST_VERBOSE")) printf("  wrange: %s: %s\n", what, e == ZK_OK ? "accepted" : zk_reason());
    }
    cnn_key_free(pk);
    zk_buf_free(&vb);
}

static q_model *mk_small(const void *arg) { return wr_small(*(const uint64_t *)arg); }
static q_model *mk_file(const void *arg) {
    const char *name = arg;
    char path[128], calib[128];
    snprintf(path, sizeof path, "models/%s.onnx", name);
    snprintf(calib, sizeof calib, "models/calib/%s_calib.json", name);
    q_model *m = NULL;
    return test_quantize_model(&m, path, calib) ? m : NULL;
}

/* Damaged certificates, and certificates of other keys. */
static void wr_foreign(zk_rng *rng) {
    uint64_t s1 = 1, s2 = 2;
    wr_atk a = {0}, b = {.w = W_BUMP};
    cnn_key *k1 = NULL, *k2 = NULL, *k3 = NULL;
    zk_buf v1, v2, v3;
    zk_buf_init(&v1);
    zk_buf_init(&v2);
    zk_buf_init(&v3);
    q_model *m1 = wr_small(s1), *m2 = wr_small(s2), *m3 = wr_small(s1);
    TEST_REQUIRE(m1 && m2 && m3);
    TEST_REQUIRE(wr_setup(m1, &a, &k1, &v1) == ZK_OK);
    TEST_REQUIRE(wr_setup(m2, &a, &k2, &v2) == ZK_OK);
    TEST_REQUIRE(wr_setup(m3, &b, &k3, &v3) == ZK_OK && b.done); /* the same model, one weight + 1 */
    TEST_CHECK(wr_load(&v1) == ZK_OK && wr_load(&v2) == ZK_OK && wr_load(&v3) == ZK_OK);
    /* every byte of the certificate: flipped bits, each refused */
    size_t at = v1.len - k1->wcert_len - 8 - k1->wrange_len, n = k1->wrange_len, tried = 0;
    TEST_CHECK(memcmp(v1.data + at, k1->wrange, n) == 0);
    for (size_t i = 0; i < n; i += 1 + (size_t)(zk_rng_u64(rng) % 13), tried++) {
        uint8_t bit = (uint8_t)(1u << (zk_rng_u64(rng) % 8));
        v1.data[at + i] ^= bit;
        zk_err e = wr_load(&v1);
        if (e == ZK_OK) fprintf(stderr, "wrange: certificate byte %zu of %zu flipped: accepted\n", i, n);
        TEST_CHECK(e == ZK_EFORMAT);
        v1.data[at + i] ^= bit;
    }
    printf("  wrange: %zu of %zu certificate bytes flipped, each refused\n", tried, n);
    /* truncated, extended, missing */
    uint8_t *keep = k1->wrange;
    size_t keep_len = k1->wrange_len;
    uint8_t *ext = zk_calloc(keep_len + 1, 1);
    memcpy(ext, keep, keep_len);
    zk_buf t;
    size_t lens[3] = {keep_len - 1, keep_len + 1, 0};
    for (int j = 0; j < 3; j++) {
        k1->wrange = ext;
        k1->wrange_len = lens[j];
        zk_buf_init(&t);
        cnn_vk_serialize(&t, k1);
        TEST_CHECK(wr_load(&t) == ZK_EFORMAT);
        zk_buf_free(&t);
    }
    free(ext);
    /* another model's certificate, and that of the same model with one
     * weight changed (in range) */
    const cnn_key *other[2] = {k2, k3};
    for (int j = 0; j < 2; j++) {
        k1->wrange = other[j]->wrange;
        k1->wrange_len = other[j]->wrange_len;
        zk_buf_init(&t);
        cnn_vk_serialize(&t, k1);
        TEST_CHECK(wr_load(&t) == ZK_EFORMAT);
        zk_buf_free(&t);
    }
    k1->wrange = keep;
    k1->wrange_len = keep_len;
    /* a skeleton whose acc_bits lets a relation pass the field bound with
     * its constants in their certified ranges: refused before the certificate */
    q_model *m = wr_small(s1);
    TEST_REQUIRE(m);
    TEST_CHECK(q_model_check_ranges(m) == ZK_OK);
    m->nodes[0].acc_bits = 60; /* a bias may then be 2^60 */
    TEST_CHECK(q_model_check_ranges(m) == ZK_EINPUT);
    /* setup validates the model again and so recomputes acc_bits from the
     * constants: a caller's value cannot widen the certified ranges */
    cnn_key *bad = NULL;
    TEST_CHECK(cnn_setup(&bad, m) == ZK_OK && bad && bad->m->nodes[0].acc_bits < 60); /* takes m */
    cnn_key_free(bad);
    cnn_key_free(k1);
    cnn_key_free(k2);
    cnn_key_free(k3);
    zk_buf_free(&v1);
    zk_buf_free(&v2);
    zk_buf_free(&v3);
}

/* A zero-knowledge key whose W is certified (the threshold lowered): the
 * hiding certificate in the vk is checked at load, the weight-range
 * certificate's and a proof's W openings are certified hiding ones, and
 * the proof verifies. */
static void wr_zk_certified(uint64_t seed) {
    q_model *m = wr_small(seed);
    if (!m) return;
    m->s.zk_mc = 1;
    cnn_set_cert_min_vars(1);
    cnn_key *pk = NULL, *vk = NULL;
    zk_buf vb, proof;
    zk_buf_init(&vb);
    zk_buf_init(&proof);
    TEST_REQUIRE(cnn_setup_zk(&pk, m, 2) == ZK_OK);
    cnn_vk_serialize(&vb, pk);
    TEST_CHECK(cnn_vk_deserialize(&vk, vb.data, vb.len) == ZK_OK);
    TEST_CHECK(pk->wcom.zk && pk->wcom.certified && pk->wcert_len > 0 && vk && vk->wcom.certified);
    int64_t *xq = zk_calloc((size_t)q_numel(pk->m, 0), sizeof *xq);
    cnn_stats st;
    TEST_CHECK(cnn_prove(&proof, pk, xq, NULL, &st) == ZK_OK && st.w_slot == 1);
    if (vk) TEST_CHECK(cnn_verify(vk, proof.data, proof.len, NULL, NULL) == ZK_OK);
    TEST_CHECK(st.counted_bits >= cnn_soundness_bits(pk) && cnn_soundness_bits(pk) >= CNN_MIN_SOUNDNESS_BITS);
    vb.data[vb.len - 1] ^= 1; /* the hiding certificate's last byte */
    cnn_key *bad = NULL;
    TEST_CHECK(cnn_vk_deserialize(&bad, vb.data, vb.len) == ZK_EFORMAT && bad == NULL);
    printf("  wrange: zk key with a certified W 2^%u: certificate %zu bytes, proof %zu bytes, %.2f bits (counted %.2f)\n",
           pk->w_nvars, pk->wcert_len, proof.len, cnn_soundness_bits(pk), st.counted_bits);
    cnn_set_cert_min_vars(CNN_WEIGHT_CERT_MIN_VARS);
    free(xq);
    zk_buf_free(&vb);
    zk_buf_free(&proof);
    cnn_key_free(pk);
    cnn_key_free(vk);
}

void test_wrange(zk_rng *rng) {
    uint64_t seed = zk_rng_u64(rng);
    wr_honest("small FC + Sub", wr_small(seed));
    wr_honest("lenet5_fashion", mk_file("lenet5_fashion"));
    static const char *const cases[] = {"test_batchnorm_example", "test_sub", "test_mul", "test_concat_2d_axis_0",
                                        "test_gemm_default_single_elem_vector_bias", "test_relu"};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) wr_honest(cases[k], wr_case(cases[k]));
    wr_foreign(rng);
    /* Every attack in both modes but where marked: a plain key and a
     * zero-knowledge key (protocol.md sec. 7.1.1, 9.5: W hiding, its opening
     * in the certificate a hiding one, C hiding; out-of-range weights and a
     * nonzero cell beyond the regions are refused as in a plain key; W's pad
     * (zk only) is not constrained). lenet: LeNet-5, whose weights are
     * direct columns (lb = b_w); else the small FC + Sub model. */
    enum { WR_PLAIN = 1, WR_ZK = 2, WR_BOTH = 3 };
    static const struct {
        int lenet, w, cmode, accept, modes;
        const char *what;
    } atk[] = {
        /* weights out of range, committed and certified honestly */
        {0, W_WEIGHT_HI, C_NONE, 0, WR_BOTH, "weight 2^(b_w-1)"},
        {0, W_WEIGHT_LO, C_NONE, 0, WR_BOTH, "weight -2^(b_w-1) - 1"},
        {0, W_WEIGHT_MIN, C_NONE, 1, WR_BOTH, "weight -2^(b_w-1)"},
        {0, W_HALF, C_NONE, 0, WR_BOTH, "weight 1/2"},
        {0, W_NEAR_P, C_NONE, 0, WR_BOTH, "weight p - 2^40"},
        {0, W_MID_P, C_NONE, 0, WR_BOTH, "weight (p - 1)/2"},
        {0, W_BIAS_HI, C_NONE, 0, WR_BOTH, "bias 2^acc_bits"},
        {0, W_BIAS_TOP, C_NONE, 1, WR_BOTH, "bias 2^acc_bits - 1"},
        {0, W_BIAS_PAD, C_NONE, 1, WR_BOTH, "bias padding 1"},
        {0, W_BIAS_PAD_HI, C_NONE, 0, WR_BOTH, "bias padding 2^acc_bits"},
        {0, W_CONST_HI, C_NONE, 0, WR_BOTH, "Sub constant 2^acc_bits"},
        {0, W_TAIL, C_NONE, 0, WR_BOTH, "W tail cell 1 (beyond the pad, in zk)"},
        {0, W_PAD, C_NONE, 1, WR_ZK, "W pad cell (p - 1)/2"},
        /* cheating certificates */
        {0, W_HONEST, C_MOVE, 0, WR_BOTH, "honest weights, a multiplicity moved"},
        {0, W_WEIGHT_HI, C_COUNT_OUT, 0, WR_BOTH, "weight 2^(b_w-1) counted mod 2^lb"},
        {0, W_BIAS_HI, C_LIMBS_ZERO, 0, WR_BOTH, "bias 2^acc_bits, limbs 0, counts balanced"},
        {0, W_HONEST, C_LIMB_BUMP, 0, WR_BOTH, "honest weights, a limb changed, counts balanced"},
        {1, W_WEIGHT_HI, C_NONE, 0, WR_BOTH, "lenet5 weight 2^(b_w-1)"},
        {1, W_HALF, C_NONE, 0, WR_BOTH, "lenet5 weight 1/2"},
        {1, W_WEIGHT_HI, C_COUNT_OUT, 0, WR_BOTH, "lenet5 weight 2^(b_w-1) counted mod 2^lb"},
        {1, W_HONEST, C_MOVE, 0, WR_BOTH, "lenet5 multiplicity moved"},
        {1, W_TAIL, C_NONE, 0, WR_ZK, "lenet5 W tail cell 1"},
        {1, W_PAD, C_NONE, 1, WR_ZK, "lenet5 W pad cell (p - 1)/2"},
    };
    for (int zk = 0; zk <= 1; zk++) {
        wr_zk = zk;
        if (zk) {
            wr_honest("small FC + Sub", wr_small(seed));
            wr_honest("lenet5_fashion", mk_file("lenet5_fashion"));
        }
        for (size_t k = 0; k < sizeof atk / sizeof atk[0]; k++) {
            if (!(atk[k].modes & (zk ? WR_ZK : WR_PLAIN))) continue;
            char what[96];
            snprintf(what, sizeof what, "%s%s", zk ? "zk: " : "", atk[k].what);
            if (atk[k].lenet)
                wr_attack(mk_file, "lenet5_fashion", atk[k].w, atk[k].cmode, atk[k].accept, what);
            else
                wr_attack(mk_small, &seed, atk[k].w, atk[k].cmode, atk[k].accept, what);
        }
    }
    wr_zk = 0;
    wr_zk_certified(seed);
}
