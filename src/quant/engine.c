/* engine.c -- integer inference (q_run), the single source of witness
 * values, and the independent relation checker (q_witness_check). The
 * integer semantics are those of quant.h section 3. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qint.h"

#define Q_PAR_MIN 100000 /* multiply-adds below which a node runs on one thread */

static const q_tensor *q_yt(const q_model *m, const q_node *nd) { return &m->tensors[(nd - m->nodes) + 1]; }

/* Which witness arrays a node has (quant.h section 3). */
static void q_aux_mask(const q_node *nd, int *acc, int *rem, int *sign, int *arg) {
    int lin = q_op_rescales(nd->op) || nd->op == NN_LEAKYRELU || nd->op == NN_PRELU;
    int avg = nd->op == NN_AVGPOOL || nd->op == NN_GLOBALAVGPOOL;
    int lut = nn_is_lut(nd->op); /* acc: the table index i; rem: x - 2^s i */
    int smax = nd->op == NN_SOFTMAX || nd->op == NN_LOGSOFTMAX; /* acc: e; rem: q (Softmax); arg: the group's max */
    *acc = lin || avg || lut || smax;
    *rem = (lin && nd->k >= 1) || avg || (lut && nd->iattr[0] >= 1) || nd->op == NN_SOFTMAX;
    *sign = nd->op == NN_RELU || nd->op == NN_LEAKYRELU || nd->op == NN_PRELU;
    *arg = nd->op == NN_MAXPOOL || nd->op == NN_GLOBALMAXPOOL || smax;
}

static int64_t q_floor_div(int64_t a, int64_t b) { /* b > 0 */
    int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t q_plane(const nn_shape *X) {
    int64_t p = 1;
    for (int i = 2; i < X->ndim; i++) p *= X->d[i];
    return p;
}

/* ---- a convolution of stride 1 or 2 with AVX-512 (the same int64 sums) ----
 * The input planes are copied zero-padded (Hp x Wp, Hp = (OH - 1) sh + kh,
 * Wp = (OW - 1) sw + kw), their columns split by phase mod sw (stride 2:
 * even columns, then odd ones, Wq = ceil(Wp / 2) each), so that every tap
 * of an output row reads a whole vector; a task keeps the outputs of 4
 * channels x 8 columns of one row in registers while it runs over c, ky,
 * kx (4 products per input vector load). Rows of 4 columns use 4-lane
 * vectors. Products and sums are int64, wrapping as the scalar code's
 * would, so acc is the same. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define Q_CONV_AVX512 1
#define Q_CONV_TARGET __attribute__((target("avx512f,avx512dq,avx512vl")))

typedef struct {
    const int64_t *xp, *w, *b;
    int64_t *acc;
    int64_t N, C, M, G, Cg, Mg, OH, OW, kh, kw, sh, sw, Hp, Wq; /* Wq: columns of one phase */
} q_conv1;

/* Outputs of channels o..o+no-1 (no <= 4, one group), row oy, columns
 * ox..ox+7 (vec8) or ox..ox+3. */
Q_CONV_TARGET static void q_conv1_tile(const q_conv1 *q, int64_t n, int64_t o, int no, int64_t oy, int64_t ox, int vec8) {
    int64_t grp = o / q->Mg, K = q->kh * q->kw;
    __m512i a8[4];
    __m256i a4[4];
    for (int j = 0; j < 4; j++) {
        int64_t b0 = j < no && q->b ? q->b[o + j] : 0;
        a8[j] = _mm512_set1_epi64(b0);
        a4[j] = _mm256_set1_epi64x(b0);
    }
    const int64_t *wo[4];
    for (int j = 0; j < 4; j++) wo[j] = q->w + (o + (j < no ? j : 0)) * q->Cg * K;
    for (int64_t c = 0; c < q->Cg; c++) {
        const int64_t *xc = q->xp + ((n * q->C + grp * q->Cg + c) * q->Hp + oy * q->sh) * q->sw * q->Wq + ox;
        for (int64_t ky = 0; ky < q->kh; ky++) {
            const int64_t *xr = xc + ky * q->sw * q->Wq;
            for (int64_t kx = 0; kx < q->kw; kx++) {
                int64_t wi = (c * q->kh + ky) * q->kw + kx;
                const int64_t *xt = xr + (kx % q->sw) * q->Wq + kx / q->sw; /* column ox sw + kx */
                if (vec8) {
                    __m512i xv = _mm512_loadu_si512((const void *)xt);
                    for (int j = 0; j < no; j++)
                        a8[j] = _mm512_add_epi64(a8[j], _mm512_mullo_epi64(xv, _mm512_set1_epi64(wo[j][wi])));
                } else {
                    __m256i xv = _mm256_loadu_si256((const void *)xt);
                    for (int j = 0; j < no; j++)
                        a4[j] = _mm256_add_epi64(a4[j], _mm256_mullo_epi64(xv, _mm256_set1_epi64x(wo[j][wi])));
                }
            }
        }
    }
    for (int j = 0; j < no; j++) {
        int64_t *dst = q->acc + ((n * q->M + o + j) * q->OH + oy) * q->OW + ox;
        if (vec8) _mm512_storeu_si512((void *)dst, a8[j]);
        else _mm256_storeu_si256((void *)dst, a4[j]);
    }
}

static int q_conv_have_avx512(void) {
    const char *off = getenv("GKRCNN_NO_AVX512");
    if (off && *off && strcmp(off, "0") != 0) return 0;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
}

/* Returns 0 when the shape is not one this path takes. */
static int q_conv1_run(const q_model *m, const q_node *nd, const int64_t *x, int64_t *acc) {
    const nn_shape *X = &m->tensors[nd->in[0]].shape, *Y = &q_yt(m, nd)->shape;
    if (X->ndim != 4 || nd->strides[0] < 1 || nd->strides[0] > 2 || nd->strides[1] < 1 || nd->strides[1] > 2 ||
        nd->dil[0] != 1 || nd->dil[1] != 1)
        return 0;
    q_conv1 q = {.w = nd->w, .b = nd->b, .acc = acc, .N = X->d[0], .C = X->d[1], .M = Y->d[1], .G = nd->group,
                 .OH = Y->d[2], .OW = Y->d[3], .kh = nd->kernel[0], .kw = nd->kernel[1], .sh = nd->strides[0],
                 .sw = nd->strides[1]};
    q.Cg = q.C / q.G;
    q.Mg = q.M / q.G;
    if ((q.OW % 8 != 0 && q.OW != 4) || !q_conv_have_avx512()) return 0;
    int64_t H = X->d[2], W = X->d[3], pt = nd->pads[0], pl = nd->pads[1];
    q.Hp = (q.OH - 1) * q.sh + q.kh;
    int64_t Wp = (q.OW - 1) * q.sw + q.kw;
    q.Wq = (Wp + q.sw - 1) / q.sw;
    size_t np = (size_t)(q.N * q.C * q.Hp * q.sw * q.Wq);
    int64_t *xp = zk_malloc_n(np, sizeof *xp);
    q.xp = xp;
#pragma omp parallel for schedule(static) if (np >= 65536)
    for (int64_t pc = 0; pc < q.N * q.C; pc++)
        for (int64_t yy = 0; yy < q.Hp; yy++) {
            int64_t iy = yy - pt, *d = xp + (pc * q.Hp + yy) * q.sw * q.Wq;
            for (int64_t xx = 0; xx < q.sw * q.Wq; xx++) { /* padded column xx: phase xx mod sw */
                int64_t ix = xx - pl;
                d[(xx % q.sw) * q.Wq + xx / q.sw] = xx < Wp && iy >= 0 && iy < H && ix >= 0 && ix < W
                                                        ? x[(pc * H + iy) * W + ix]
                                                        : 0;
            }
        }
    int vec8 = q.OW % 8 == 0;
    int64_t step = vec8 ? 8 : 4, nox = q.OW / step;
    int64_t nob = (q.Mg + 3) / 4; /* channel blocks of 4 within a group */
    int64_t tasks = q.N * q.G * nob * q.OH;
    int par = (double)q.N * (double)q.M * (double)(q.OH * q.OW) * (double)(q.Cg * q.kh * q.kw) >= Q_PAR_MIN;
    (void)par;
#pragma omp parallel for schedule(static) if (par)
    for (int64_t tk = 0; tk < tasks; tk++) {
        int64_t oy = tk % q.OH, rest = tk / q.OH, ob = rest % (q.G * nob), n = rest / (q.G * nob);
        int64_t g = ob / nob, o = g * q.Mg + (ob % nob) * 4;
        int no = (int)(q.Mg - (ob % nob) * 4 < 4 ? q.Mg - (ob % nob) * 4 : 4);
        for (int64_t t = 0; t < nox; t++) q_conv1_tile(&q, n, o, no, oy, t * step, vec8);
    }
    free(xp);
    return 1;
}
#endif

/* acc of every linear node, from its (bounded) inputs. */
static void q_linear_acc(const q_model *m, const q_node *nd, int64_t *const *t, int64_t *acc) {
    const nn_shape *X = &m->tensors[nd->in[0] >= 0 ? nd->in[0] : nd->in[1]].shape, *Y = &q_yt(m, nd)->shape;
    const int64_t *x = nd->in[0] >= 0 ? t[nd->in[0]] : NULL;
    int64_t ny = q_numel(m, (int32_t)(nd - m->nodes) + 1);
    switch (nd->op) {
    case NN_CONV: {
#ifdef Q_CONV_AVX512
        if (q_conv1_run(m, nd, x, acc)) return;
#endif
        int64_t N = X->d[0], C = X->d[1], H = X->d[2], W = X->d[3];
        int64_t M = Y->d[1], OH = Y->d[2], OW = Y->d[3], kh = nd->kernel[0], kw = nd->kernel[1];
        int64_t G = nd->group, Cg = C / G, Mg = M / G;
        int64_t sh = nd->strides[0], sw = nd->strides[1], dh = nd->dil[0], dw = nd->dil[1];
        int64_t pt = nd->pads[0], pl = nd->pads[1];
        const int64_t *w = nd->w, *b = nd->b;
        int par = (double)ny * (double)(Cg * kh * kw) >= Q_PAR_MIN;
        (void)par; /* unused without OpenMP */
#pragma omp parallel for collapse(2) schedule(static) if (par)
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t grp = o / Mg;
                const int64_t *wo = w + o * Cg * kh * kw;
                int64_t *ao = acc + (n * M + o) * OH * OW;
                for (int64_t i = 0; i < OH * OW; i++) ao[i] = b ? b[o] : 0;
                /* one weight at a time over the output plane: the inner
                 * loop runs over a row of outputs (contiguous at stride 1) */
                for (int64_t c = 0; c < Cg; c++) {
                    const int64_t *xc = x + (n * C + grp * Cg + c) * H * W;
                    for (int64_t ky = 0; ky < kh; ky++)
                        for (int64_t kx = 0; kx < kw; kx++) {
                            int64_t wv = wo[(c * kh + ky) * kw + kx];
                            if (wv == 0) continue;
                            /* ix = ox sw - pl + kx dw in [0, W) */
                            int64_t off = kx * dw - pl, ox0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
                            int64_t ox1 = W - off <= 0 ? 0 : (W - off + sw - 1) / sw;
                            if (ox1 > OW) ox1 = OW;
                            for (int64_t oy = 0; oy < OH; oy++) {
                                int64_t iy = oy * sh - pt + ky * dh;
                                if (iy < 0 || iy >= H) continue;
                                const int64_t *xr = xc + iy * W; /* xr[off + ox sw] is in the row */
                                int64_t *ar = ao + oy * OW;
                                for (int64_t ox = ox0; ox < ox1; ox++) ar[ox] += wv * xr[off + ox * sw];
                            }
                        }
                }
            }
        return;
    }
    case NN_FC: {
        int64_t M = nd->cshape.d[0], K = nd->cshape.d[1], N = ny / M;
        const int64_t *w = nd->w, *b = nd->b;
        int par = (double)ny * (double)K >= Q_PAR_MIN;
        (void)par; /* unused without OpenMP */
#pragma omp parallel for collapse(2) schedule(static) if (par)
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t s = b ? b[o] : 0;
                for (int64_t k = 0; k < K; k++) s += w[o * K + k] * x[n * K + k];
                acc[n * M + o] = s;
            }
        return;
    }
    case NN_MATMUL: {
        int64_t N = X->d[0], K = X->d[1], M = Y->d[1];
        const int64_t *bm = t[nd->in[1]];
        int par = (double)ny * (double)K >= Q_PAR_MIN;
        (void)par; /* unused without OpenMP */
#pragma omp parallel for schedule(static) if (par)
        for (int64_t n = 0; n < N; n++)
            for (int64_t o = 0; o < M; o++) {
                int64_t s = 0;
                for (int64_t k = 0; k < K; k++) s += x[n * K + k] * bm[k * M + o];
                acc[n * M + o] = s;
            }
        return;
    }
    case NN_MUL:
    case NN_ADD:
    case NN_SUB: {
        q_bcast bc;
        ZK_CHECK(q_bcast_init(&bc, q_operand_shape(m, nd, 0), q_operand_shape(m, nd, 1), Y));
        const int64_t *a = nd->in[0] >= 0 ? t[nd->in[0]] : nd->w, *b = nd->in[1] >= 0 ? t[nd->in[1]] : nd->w;
        int64_t s0 = (int64_t)1 << nd->align[0], s1 = (int64_t)1 << nd->align[1];
        for (int64_t i = 0; i < ny; i++) {
            int64_t oa, ob;
            q_bcast_off(&bc, i, &oa, &ob);
            if (nd->op == NN_MUL) acc[i] = a[oa] * b[ob];
            else if (nd->op == NN_ADD) acc[i] = a[oa] * s0 + b[ob] * s1;
            else acc[i] = a[oa] * s0 - b[ob] * s1;
        }
        return;
    }
    case NN_CONCAT: {
        const int64_t *a = nd->in[0] >= 0 ? t[nd->in[0]] : nd->w, *b = nd->in[1] >= 0 ? t[nd->in[1]] : nd->w;
        const nn_shape *A0 = q_operand_shape(m, nd, 0), *B0 = q_operand_shape(m, nd, 1);
        for (int64_t i = 0; i < ny; i++) {
            int64_t off;
            int j = nn_concat_src(nd->iattr[0], A0, B0, Y, i, &off);
            acc[i] = (j ? b[off] : a[off]) * ((int64_t)1 << nd->align[j]);
        }
        return;
    }
    case NN_AFFINE: {
        int64_t C = X->d[1], inner = q_plane(X);
        for (int64_t i = 0; i < ny; i++) {
            int64_t c = (i / inner) % C;
            acc[i] = x[i] * nd->w[c] + nd->b[c];
        }
        return;
    }
    case NN_LEAKYRELU:
        for (int64_t i = 0; i < ny; i++) acc[i] = x[i] * nd->alpha;
        return;
    case NN_PRELU: {
        q_bcast bc;
        ZK_CHECK(q_bcast_init(&bc, X, &nd->cshape, Y));
        for (int64_t i = 0; i < ny; i++) {
            int64_t oa, ob;
            q_bcast_off(&bc, i, &oa, &ob);
            acc[i] = x[i] * nd->w[ob];
        }
        return;
    }
    case NN_AVGPOOL: {
        int64_t NC = X->d[0] * X->d[1], H = X->d[2], W = X->d[3], OH = Y->d[2], OW = Y->d[3];
        for (int64_t p = 0; p < NC; p++)
            for (int64_t oy = 0; oy < OH; oy++)
                for (int64_t ox = 0; ox < OW; ox++) {
                    int64_t s = 0;
                    for (int64_t ky = 0; ky < nd->kernel[0]; ky++) {
                        int64_t iy = oy * nd->strides[0] - nd->pads[0] + ky * nd->dil[0];
                        if (iy < 0 || iy >= H) continue;
                        for (int64_t kx = 0; kx < nd->kernel[1]; kx++) {
                            int64_t ix = ox * nd->strides[1] - nd->pads[1] + kx * nd->dil[1];
                            if (ix >= 0 && ix < W) s += x[(p * H + iy) * W + ix];
                        }
                    }
                    acc[(p * OH + oy) * OW + ox] = s;
                }
        return;
    }
    case NN_GLOBALAVGPOOL: {
        int64_t P = q_plane(X);
        for (int64_t p = 0; p < ny; p++) {
            int64_t s = 0;
            for (int64_t j = 0; j < P; j++) s += x[p * P + j];
            acc[p] = s;
        }
        return;
    }
    default: ZK_CHECK(0);
    }
}

/* Divisor n of output element i of an average pool. */
int64_t q_avg_count(const q_model *m, const q_node *nd, int64_t i) {
    const nn_shape *X = &m->tensors[nd->in[0]].shape, *Y = &q_yt(m, nd)->shape;
    if (nd->op == NN_GLOBALAVGPOOL) return q_plane(X);
    int64_t OW = Y->d[3], OH = Y->d[2], nreal;
    return q_pool_count(nd, X->d[2], X->d[3], (i / OW) % OH, i % OW, &nreal);
}

/* For MaxPool: offset in x of window position p of output element i, or
 * -1 for a padding cell. GlobalMaxPool: the plane offset. */
int64_t q_max_cell(const q_model *m, const q_node *nd, int64_t i, int64_t p) {
    const nn_shape *X = &m->tensors[nd->in[0]].shape, *Y = &q_yt(m, nd)->shape;
    if (nd->op == NN_GLOBALMAXPOOL || nd->op == NN_GLOBALAVGPOOL) return i * q_plane(X) + p;
    int64_t H = X->d[2], W = X->d[3], OH = Y->d[2], OW = Y->d[3];
    int64_t ox = i % OW, oy = (i / OW) % OH, nc = i / (OW * OH);
    int64_t ky = p / nd->kernel[1], kx = p % nd->kernel[1];
    int64_t iy = oy * nd->strides[0] - nd->pads[0] + ky * nd->dil[0];
    int64_t ix = ox * nd->strides[1] - nd->pads[1] + kx * nd->dil[1];
    if (iy < 0 || iy >= H || ix < 0 || ix >= W) return -1;
    return (nc * H + iy) * W + ix;
}

int64_t q_max_cells(const q_model *m, const q_node *nd) {
    if (nd->op == NN_GLOBALMAXPOOL) return q_plane(&m->tensors[nd->in[0]].shape);
    return nd->kernel[0] * nd->kernel[1];
}

int64_t q_wire_src(const q_model *m, const q_node *nd, int64_t i) {
    return nn_wire_src(nd->op, nd->iattr, &m->tensors[nd->in[0]].shape, &q_yt(m, nd)->shape, i);
}

/* Softmax, LogSoftmax (quant.h section 3): per group the first maximum
 * (arg, on every cell of the group), e = e(max - x) (acc), S = sum e;
 * Softmax y = floor((2^(f_y+1) e + S) / (2S)) with q = 2^(f_y+1) e + S -
 * 2 S y (rem); LogSoftmax y = -2^(f_y - f_x) (max - x) - l(S >> s2). */
static void q_smax_run(const q_model *m, const q_node *nd, const int64_t *x, int64_t *y, q_nwit *a, int64_t ny) {
    int64_t n = nd->iattr[0], G = ny / n, fy1 = (int64_t)1 << (m->tensors[(nd - m->nodes) + 1].f + 1);
    for (int64_t g = 0; g < G; g++) {
        int64_t best = 0, S = 0, h, i, r, l = 0;
        for (int64_t j = 1; j < n; j++)
            if (x[nn_group_cell(nd->iattr, g, j)] > x[nn_group_cell(nd->iattr, g, best)]) best = j;
        int64_t mx = x[nn_group_cell(nd->iattr, g, best)];
        for (int64_t j = 0; j < n; j++) {
            int64_t o = nn_group_cell(nd->iattr, g, j);
            a->arg[o] = best;
            a->acc[o] = q_smax_e(m, nd, mx - x[o], &h, &i, &r);
            S += a->acc[o];
        }
        if (nd->op == NN_LOGSOFTMAX) ZK_CHECK(q_smax_log(m, nd, S >> nd->iattr[4], &l)); /* S >= E(0) > 0 */
        for (int64_t j = 0; j < n; j++) {
            int64_t o = nn_group_cell(nd->iattr, g, j);
            if (nd->op == NN_LOGSOFTMAX) {
                y[o] = -(mx - x[o]) * ((int64_t)1 << (m->tensors[(nd - m->nodes) + 1].f - m->tensors[nd->in[0]].f)) - l;
                continue;
            }
            int64_t num = fy1 * a->acc[o] + S;
            y[o] = q_floor_div(num, 2 * S);
            a->rem[o] = num - 2 * S * y[o];
        }
    }
}

/* y of a wiring node (Pad, Transpose, Slice, Resize) */
static void q_wire_run(const q_model *m, const q_node *nd, const int64_t *x, int64_t *y, int64_t ny) {
    for (int64_t i = 0; i < ny; i++) {
        int64_t off = q_wire_src(m, nd, i);
        y[i] = off >= 0 ? x[off] : nd->pad;
    }
}

static void q_witness_release(q_witness *w, void (*fr)(void *)) {
    if (!w) return;
    for (size_t i = 0; i < w->ntensors; i++) fr(w->t[i]);
    for (size_t i = 0; i < w->nnodes; i++) {
        fr(w->nodes[i].acc);
        fr(w->nodes[i].rem);
        fr(w->nodes[i].sign);
        fr(w->nodes[i].arg);
    }
    free(w->t);
    free(w->nodes);
    free(w);
}

void q_witness_free(q_witness *w) { q_witness_release(w, free); }
void q_witness_free_secret(q_witness *w) { q_witness_release(w, zk_free_secret); }

zk_err q_quantize_input(int64_t *out, const q_model *m, const float *x) {
    int64_t n = q_numel(m, 0);
    int f = m->tensors[0].f;
    double lim = (double)q_act_bound(m) - 0.5; /* llround(v) < A iff |v| < A - 1/2 */
    for (int64_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            zk_set_reason("input element %lld is NaN or Inf", (long long)i);
            return ZK_EINPUT;
        }
        double v = ldexp((double)x[i], f);
        if (!(fabs(v) < lim)) {
            zk_set_reason("input element %lld = %g is out of the calibrated range (|x| < %g)", (long long)i,
                          (double)x[i], ldexp(lim, -f));
            return ZK_EINPUT;
        }
        out[i] = llround(v);
    }
    return ZK_OK;
}

const int64_t *q_output(const q_model *m, const q_witness *w) { return w->t[m->output]; }

int64_t q_argmax(const int64_t *y, int64_t n) {
    int64_t c = 0;
    for (int64_t j = 1; j < n; j++)
        if (y[j] > y[c]) c = j;
    return c;
}

void q_dequantize_output(float *out, const q_model *m, const q_witness *w) {
    int64_t n = q_numel(m, m->output);
    const int64_t *y = w->t[m->output];
    for (int64_t i = 0; i < n; i++) out[i] = (float)ldexp((double)y[i], -m->tensors[m->output].f);
}

static int64_t *q_arr_new(int64_t n) { return zk_malloc_n((size_t)n, sizeof(int64_t)); }

void q_node_acc(const q_model *m, size_t ni, int64_t *const *t, int64_t *acc) {
    q_linear_acc(m, &m->nodes[ni], t, acc);
}

/* Allocates *a with n entries unless it is there already (a re-run). */
static int64_t *q_arr_keep(int64_t **a, int64_t n) {
    if (!*a) *a = q_arr_new(n);
    return *a;
}

zk_err q_run_node(const q_model *m, q_witness *w, size_t ni) {
    const q_node *nd = &m->nodes[ni];
    q_nwit *a = &w->nodes[ni];
    int64_t A = q_act_bound(m);
    int64_t ny = q_numel(m, (int32_t)ni + 1);
    int hacc, hrem, hsign, harg;
    q_aux_mask(nd, &hacc, &hrem, &hsign, &harg);
    int64_t *y = q_arr_keep(&w->t[ni + 1], ny);
    if (hacc) q_arr_keep(&a->acc, ny);
    if (hrem) q_arr_keep(&a->rem, ny);
    if (hsign) q_arr_keep(&a->sign, ny);
    if (harg) q_arr_keep(&a->arg, ny);
    const int64_t *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
    if (hacc && !nn_is_lut(nd->op) && nd->op != NN_SOFTMAX && nd->op != NN_LOGSOFTMAX) q_linear_acc(m, nd, w->t, a->acc);
    if (q_op_rescales(nd->op))
        for (int64_t i = 0; i < ny; i++) {
            int64_t r;
            y[i] = q_rescale(a->acc[i], nd->k, &r);
            if (hrem) a->rem[i] = r;
        }
    else switch (nd->op) {
    case NN_RELU:
        for (int64_t i = 0; i < ny; i++) {
            a->sign[i] = x[i] >= 0;
            y[i] = a->sign[i] ? x[i] : 0;
        }
        break;
    case NN_LEAKYRELU:
    case NN_PRELU:
        for (int64_t i = 0; i < ny; i++) {
            int64_t r = 0;
            a->sign[i] = x[i] >= 0;
            y[i] = a->sign[i] ? x[i] : q_rescale(a->acc[i], nd->k, &r);
            if (hrem) a->rem[i] = r;
        }
        break;
    case NN_MAXPOOL:
    case NN_GLOBALMAXPOOL: {
        int64_t P = q_max_cells(m, nd);
        for (int64_t i = 0; i < ny; i++) {
            int64_t best = -1, bv = 0;
            for (int64_t p = 0; p < P; p++) {
                int64_t c = q_max_cell(m, nd, i, p);
                if (c >= 0 && (best < 0 || x[c] > bv)) best = p, bv = x[c];
            }
            ZK_CHECK(best >= 0); /* validated: every window has a real cell */
            a->arg[i] = best;
            y[i] = bv;
        }
        break;
    }
    case NN_AVGPOOL:
    case NN_GLOBALAVGPOOL:
        for (int64_t i = 0; i < ny; i++) {
            int64_t n = q_avg_count(m, nd, i), num = 2 * a->acc[i] + n;
            y[i] = q_floor_div(num, 2 * n);
            a->rem[i] = num - 2 * n * y[i];
        }
        break;
    case NN_RESHAPE: memcpy(y, x, (size_t)ny * sizeof *y); break;
    case NN_PAD:
    case NN_TRANSPOSE:
    case NN_SLICE:
    case NN_RESIZE: q_wire_run(m, nd, x, y, ny); break;
    case NN_CLIP:
        for (int64_t i = 0; i < ny; i++) y[i] = x[i] < nd->iattr[0] ? nd->iattr[0] : x[i] > nd->iattr[1] ? nd->iattr[1] : x[i];
        break;
    case NN_SOFTMAX:
    case NN_LOGSOFTMAX: q_smax_run(m, nd, x, y, a, ny); break;
    default: {
        ZK_CHECK(nn_is_lut(nd->op));
        for (int64_t i = 0; i < ny; i++) {
            int64_t r;
            a->acc[i] = q_lut_index(nd, x[i], &r);
            if (hrem) a->rem[i] = r;
            if (!q_lut_entry(m, nd, a->acc[i], &y[i])) {
                zk_set_reason("value out of the calibrated range at node %s (%s): element %lld: the input %g has no "
                              "output within the bound %g",
                              nd->name, nn_op_name(nd->op), (long long)i, ldexp((double)x[i], -m->tensors[nd->in[0]].f),
                              ldexp((double)A, -m->tensors[ni + 1].f));
                return ZK_EINPUT;
            }
        }
        break;
    }
    }
    for (int64_t i = 0; i < ny; i++)
        if (y[i] < -A || y[i] >= A) {
            zk_set_reason("value out of the calibrated range at node %s (%s): element %lld = %g, bound %g", nd->name,
                          nn_op_name(nd->op), (long long)i, ldexp((double)y[i], -m->tensors[ni + 1].f),
                          ldexp((double)A, -m->tensors[ni + 1].f));
            return ZK_EINPUT;
        }
    return ZK_OK;
}

zk_err q_run(q_witness **out, const q_model *m, const int64_t *input_q) {
    if (m->skeleton) {
        zk_set_reason("the model has no constants (a verifying key's skeleton) and cannot be run");
        return ZK_EINPUT;
    }
    int64_t A = q_act_bound(m);
    q_witness *w = zk_calloc(1, sizeof *w);
    w->ntensors = m->ntensors;
    w->nnodes = m->nnodes;
    w->t = zk_calloc(m->ntensors, sizeof *w->t);
    w->nodes = zk_calloc(m->nnodes, sizeof *w->nodes);
    int64_t n0 = q_numel(m, 0);
    for (int64_t i = 0; i < n0; i++)
        if (input_q[i] < -A || input_q[i] >= A) {
            zk_set_reason("input element %lld = %lld is outside the activation range [-2^%d, 2^%d)", (long long)i,
                          (long long)input_q[i], m->s.b_act - 1, m->s.b_act - 1);
            q_witness_free(w);
            return ZK_EINPUT;
        }
    w->t[0] = q_arr_new(n0);
    memcpy(w->t[0], input_q, (size_t)n0 * sizeof *input_q);
    for (size_t ni = 0; ni < m->nnodes; ni++) {
        zk_err e = q_run_node(m, w, ni);
        if (e) {
            q_witness_free(w);
            return e;
        }
    }
    *out = w;
    return ZK_OK;
}

/* ---------------------------------------------------------------- checker */

#define Q_BAD(...)                  \
    do {                            \
        zk_set_reason(__VA_ARGS__); \
        e = ZK_EPROOF;              \
        goto out;                   \
    } while (0)

typedef __int128 q_i128;

/* The rescale relation of quant.h section 1 for one element. */
static int q_rescale_ok(int64_t y, int64_t acc, const int64_t *rem, int k) {
    if (k <= 0) return (q_i128)y == (q_i128)acc * ((q_i128)1 << -k);
    if (*rem < 0 || *rem >= (int64_t)1 << k) return 0;
    return (q_i128)y * ((q_i128)1 << k) + *rem == (q_i128)acc + ((q_i128)1 << (k - 1));
}

zk_err q_witness_check(const q_model *m, const q_witness *w) {
    zk_err e = ZK_OK;
    int64_t A = q_act_bound(m);
    int64_t *tmp = NULL;
    if (!w || w->ntensors != m->ntensors || w->nnodes != m->nnodes || !w->t || !w->nodes) {
        zk_set_reason("witness does not match the model");
        return ZK_EPROOF;
    }
    for (size_t i = 0; i < w->ntensors; i++)
        if (!w->t[i]) {
            zk_set_reason("witness lacks tensor %zu", i);
            return ZK_EPROOF;
        }
    int64_t n0 = q_numel(m, 0);
    for (int64_t i = 0; i < n0; i++)
        if (w->t[0][i] < -A || w->t[0][i] >= A) {
            zk_set_reason("input element %lld out of the activation range", (long long)i);
            return ZK_EPROOF;
        }
    for (size_t ni = 0; ni < m->nnodes; ni++) {
        const q_node *nd = &m->nodes[ni];
        const q_nwit *a = &w->nodes[ni];
        const char *nm = nd->name, *op = nn_op_name(nd->op);
        int64_t ny = q_numel(m, (int32_t)ni + 1);
        const int64_t *y = w->t[ni + 1], *x = nd->in[0] >= 0 ? w->t[nd->in[0]] : NULL;
        int hacc, hrem, hsign, harg;
        q_aux_mask(nd, &hacc, &hrem, &hsign, &harg);
        if (!a->acc != !hacc || !a->rem != !hrem || !a->sign != !hsign || !a->arg != !harg)
            Q_BAD("node %s (%s): witness arrays present/absent wrongly", nm, op);
        for (int64_t i = 0; i < ny; i++)
            if (y[i] < -A || y[i] >= A) Q_BAD("node %s (%s): output element %lld out of range", nm, op, (long long)i);
        if (hacc && !nn_is_lut(nd->op) && nd->op != NN_SOFTMAX && nd->op != NN_LOGSOFTMAX) {
            free(tmp);
            tmp = q_arr_new(ny);
            q_linear_acc(m, nd, w->t, tmp);
            for (int64_t i = 0; i < ny; i++)
                if (tmp[i] != a->acc[i]) Q_BAD("node %s (%s): element %lld: accumulator is wrong", nm, op, (long long)i);
        }
        switch (nd->op) {
        case NN_CONV:
        case NN_FC:
        case NN_MATMUL:
        case NN_MUL:
        case NN_AFFINE:
        case NN_ADD:
        case NN_SUB:
        case NN_CONCAT:
            for (int64_t i = 0; i < ny; i++)
                if (!q_rescale_ok(y[i], a->acc[i], hrem ? &a->rem[i] : NULL, nd->k))
                    Q_BAD("node %s (%s): element %lld: rescale relation or remainder range fails", nm, op,
                          (long long)i);
            break;
        case NN_RELU:
        case NN_LEAKYRELU:
        case NN_PRELU:
            for (int64_t i = 0; i < ny; i++) {
                int64_t s = a->sign[i];
                if (s != 0 && s != 1) Q_BAD("node %s (%s): element %lld: sign bit not 0/1", nm, op, (long long)i);
                int64_t u = s ? x[i] : -x[i] - 1;
                if (u < 0 || u >= A) Q_BAD("node %s (%s): element %lld: sign bit disagrees with x", nm, op, (long long)i);
                if (nd->op == NN_RELU) {
                    if (y[i] != s * x[i]) Q_BAD("node %s (Relu): element %lld: y != s*x", nm, (long long)i);
                } else if (s) {
                    if (y[i] != x[i] || (hrem && a->rem[i] != 0))
                        Q_BAD("node %s (%s): element %lld: y != x or rem != 0 where x >= 0", nm, op, (long long)i);
                } else if (!q_rescale_ok(y[i], a->acc[i], hrem ? &a->rem[i] : NULL, nd->k)) {
                    Q_BAD("node %s (%s): element %lld: rescale relation or remainder range fails", nm, op,
                          (long long)i);
                }
            }
            break;
        case NN_MAXPOOL:
        case NN_GLOBALMAXPOOL: {
            int64_t P = q_max_cells(m, nd);
            for (int64_t i = 0; i < ny; i++) {
                int64_t g = a->arg[i], c;
                if (g < 0 || g >= P || (c = q_max_cell(m, nd, i, g)) < 0 || x[c] != y[i])
                    Q_BAD("node %s (%s): element %lld: choice is not a cell holding y", nm, op, (long long)i);
                for (int64_t p = 0; p < P; p++) {
                    int64_t cp = q_max_cell(m, nd, i, p);
                    if (cp < 0) continue;
                    int64_t d = y[i] - x[cp];
                    if (d < 0 || d >= 2 * A || (p < g && d == 0))
                        Q_BAD("node %s (%s): element %lld: window cell %lld exceeds y or ties before the choice",
                              nm, op, (long long)i, (long long)p);
                }
            }
            break;
        }
        case NN_AVGPOOL:
        case NN_GLOBALAVGPOOL:
            for (int64_t i = 0; i < ny; i++) {
                int64_t n = q_avg_count(m, nd, i), r = a->rem[i];
                if (r < 0 || r >= 2 * n || (q_i128)y[i] * 2 * n + r != (q_i128)a->acc[i] * 2 + n)
                    Q_BAD("node %s (%s): element %lld: average relation or remainder range fails", nm, op,
                          (long long)i);
            }
            break;
        case NN_RESHAPE:
            for (int64_t i = 0; i < ny; i++)
                if (y[i] != x[i]) Q_BAD("node %s (Reshape): element %lld differs from its input", nm, (long long)i);
            break;
        case NN_PAD:
        case NN_TRANSPOSE:
        case NN_SLICE:
        case NN_RESIZE: {
            free(tmp);
            tmp = q_arr_new(ny);
            q_wire_run(m, nd, x, tmp, ny);
            for (int64_t i = 0; i < ny; i++)
                if (y[i] != tmp[i]) Q_BAD("node %s (%s): element %lld is not its input cell", nm, op, (long long)i);
            break;
        }
        case NN_SOFTMAX:
        case NN_LOGSOFTMAX: {
            free(tmp);
            tmp = q_arr_new(ny);
            q_nwit re = {.acc = q_arr_new(ny), .rem = q_arr_new(ny), .arg = q_arr_new(ny)};
            q_smax_run(m, nd, x, tmp, &re, ny);
            for (int64_t i = 0; i < ny && !e; i++)
                if (y[i] != tmp[i] || a->acc[i] != re.acc[i] || a->arg[i] != re.arg[i] ||
                    (nd->op == NN_SOFTMAX && a->rem[i] != re.rem[i]))
                    e = ZK_EPROOF, zk_set_reason("node %s (%s): element %lld: the maximum, exponential, quotient or "
                                                 "output is wrong", nm, op, (long long)i);
            free(re.acc);
            free(re.rem);
            free(re.arg);
            if (e) goto out;
            break;
        }
        case NN_CLIP:
            for (int64_t i = 0; i < ny; i++) {
                int64_t lo = nd->iattr[0], hi = nd->iattr[1];
                if (y[i] != (x[i] < lo ? lo : x[i] > hi ? hi : x[i]))
                    Q_BAD("node %s (Clip): element %lld is not its input clipped", nm, (long long)i);
            }
            break;
        default:
            ZK_CHECK(nn_is_lut(nd->op));
            for (int64_t i = 0; i < ny; i++) {
                int64_t r = hrem ? a->rem[i] : 0, sh = nd->iattr[0], f;
                if (r < 0 || r >= ((int64_t)1 << sh) || (q_i128)a->acc[i] * ((int64_t)1 << sh) + r != x[i] ||
                    !q_lut_entry(m, nd, a->acc[i], &f) || f != y[i])
                    Q_BAD("node %s (%s): element %lld: the table index, remainder or table value is wrong", nm, op,
                          (long long)i);
            }
            break;
        }
    }
out:
    free(tmp);
    return e;
}
