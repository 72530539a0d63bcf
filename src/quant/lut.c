/* lut.c -- the element-wise functions proved by table lookup (nn_is_lut:
 * Sigmoid, Tanh, Exp, Erf, Gelu, Elu, Selu, Softplus, HardSigmoid,
 * HardSwish, Softsign) in integers: the table, its input shift and its
 * error bound (quant.h section 3, "Table ops"). One function, q_lut_entry,
 * defines every table value; the integer engine, the checker, the report
 * and both roles of the proof (src/layers/l_lut.c) read the table through
 * it. */
#include <math.h>
#include <string.h>

#include "qint.h"

static int32_t q_lut_fy(const q_model *m, const q_node *nd) { return m->tensors[(nd - m->nodes) + 1].f; }

void q_lut_par(const q_node *nd, double par[NN_LUT_NPAR]) {
    for (int j = 0; j < NN_LUT_NPAR; j++) memcpy(&par[j], &nd->iattr[1 + j], sizeof par[j]);
}

void q_lut_set_par(q_node *nd, const double par[NN_LUT_NPAR]) {
    for (int j = 0; j < NN_LUT_NPAR; j++) memcpy(&nd->iattr[1 + j], &par[j], sizeof par[j]);
}

int q_lut_par_canonical(const q_node *nd) {
    /* the slots nn_lut_params fills for this op: probe with all ones */
    nn_attrs one;
    memset(&one, 0, sizeof one);
    one.alpha = one.beta = one.gamma = 1, one.iattr[0] = 1;
    double used[NN_LUT_NPAR], par[NN_LUT_NPAR];
    nn_lut_params(nd->op, &one, used);
    q_lut_par(nd, par);
    for (int j = 0; j < NN_LUT_NPAR; j++)
        if (!used[j] && nd->iattr[1 + j] != 0) return 0;
    return nd->op != NN_GELU || par[0] == 0 || par[0] == 1;
}

int q_lut_bits(const q_model *m, const q_node *nd) { return m->s.b_act - (int)nd->iattr[0]; }

/* F(i) with input shift s: f at the centre of the cell of inputs
 * x = 2^s i + r (r in [0, 2^s)), in output units, rounded half away from
 * zero; 0 when that is not in [-A, A) (or not finite). */
static int q_lut_entry_s(const q_model *m, const q_node *nd, int s, int64_t i, int64_t *y) {
    double par[NN_LUT_NPAR];
    q_lut_par(nd, par);
    int32_t fx = m->tensors[nd->in[0]].f, fy = q_lut_fy(m, nd);
    double xc = ldexp((double)i, s) + (ldexp(1.0, s) - 1) / 2; /* exact: |i 2^s| <= 2^(b_act - 1) */
    double v = ldexp(nn_lut_eval(nd->op, par, ldexp(xc, -fx)), fy);
    if (!(fabs(v) < ldexp(1.0, 62))) return 0;
    int64_t q = llround(v), A = q_act_bound(m);
    if (q < -A || q >= A) return 0;
    *y = q;
    return 1;
}

int q_lut_entry(const q_model *m, const q_node *nd, int64_t i, int64_t *y) {
    return q_lut_entry_s(m, nd, (int)nd->iattr[0], i, y);
}

int64_t *q_lut_table(const q_model *m, const q_node *nd, int64_t *first) {
    int n = q_lut_bits(m, nd);
    int64_t N = (int64_t)1 << n, half = N / 2;
    int64_t *t = zk_malloc_n((size_t)N, sizeof *t);
    *first = -1;
    for (int64_t k = 0; k < N; k++) {
        if (!q_lut_entry(m, nd, k - half, &t[k])) t[k] = Q_LUT_NONE;
        else if (*first < 0) *first = k;
    }
    return t;
}

static int64_t q_floor_shift(int64_t x, int s) { /* floor(x / 2^s) */
    int64_t d = (int64_t)1 << s, q = x / d;
    return (x % d != 0 && x < 0) ? q - 1 : q;
}

/* Integer inputs the calibration saw: |x| <= R. */
static int64_t q_lut_cal_range(const q_model *m, const q_node *nd) {
    const q_tensor *x = &m->tensors[nd->in[0]];
    double R = ceil(ldexp(x->range, x->f));
    int64_t A = q_act_bound(m);
    return R < (double)A ? (int64_t)R : A;
}

/* max over integer x with |x| <= R (and in [-A, A)) of |F(floor(x / 2^s))
 * - f(x) 2^f_y|, in output LSBs; inf when a cell there has no table value.
 * fv: f(x) 2^f_y at x + R. */
static double q_lut_err_lsb(const q_model *m, const q_node *nd, int s, const double *fv, int64_t R) {
    int64_t A = q_act_bound(m), hi = R < A ? R : A - 1, cell = INT64_MIN, y = 0;
    double err = 0;
    int ok = 0;
    for (int64_t x = -R; x <= hi; x++) {
        int64_t i = q_floor_shift(x, s);
        if (i != cell) {
            cell = i;
            ok = q_lut_entry_s(m, nd, s, i, &y);
        }
        if (!ok) return INFINITY;
        double d = fabs((double)y - fv[x + R]);
        if (!(d <= err)) err = d; /* NaN sticks */
    }
    return err;
}

static double *q_lut_fv(const q_model *m, const q_node *nd, int64_t R) {
    double par[NN_LUT_NPAR];
    q_lut_par(nd, par);
    int32_t fx = m->tensors[nd->in[0]].f, fy = q_lut_fy(m, nd);
    double *fv = zk_malloc_n((size_t)(2 * R + 1), sizeof *fv);
    for (int64_t x = -R; x <= R; x++) fv[x + R] = ldexp(nn_lut_eval(nd->op, par, ldexp((double)x, -fx)), fy);
    return fv;
}

int q_lut_shift(const q_model *m, const q_node *nd) {
    int b = m->s.b_act, smin = b > Q_LUT_MAX_BITS ? b - Q_LUT_MAX_BITS : 0;
    int64_t R = q_lut_cal_range(m, nd);
    double *fv = q_lut_fv(m, nd, R);
    int pick = smin;
    for (int s = b - 1; s > smin; s--)
        if (q_lut_err_lsb(m, nd, s, fv, R) <= 1.0) {
            pick = s;
            break;
        }
    free(fv);
    return pick;
}

double q_lut_error(const q_model *m, const q_node *nd) {
    int64_t R = q_lut_cal_range(m, nd);
    double *fv = q_lut_fv(m, nd, R);
    double e = q_lut_err_lsb(m, nd, (int)nd->iattr[0], fv, R);
    free(fv);
    return ldexp(e, -q_lut_fy(m, nd));
}

int64_t q_lut_index(const q_node *nd, int64_t x, int64_t *r) {
    int64_t i = q_floor_shift(x, (int)nd->iattr[0]);
    *r = x - i * ((int64_t)1 << nd->iattr[0]);
    return i;
}

/* ---- Softmax, LogSoftmax (quant.h section 3) ---- */

int q_smax_exp_bits(const q_model *m, const q_node *nd) {
    int b = m->s.b_act + 1 - (int)nd->iattr[3];
    return b < Q_SMAX_TAB_BITS ? b : Q_SMAX_TAB_BITS;
}

int q_smax_has_h(const q_model *m, const q_node *nd) { return m->s.b_act + 1 - (int)nd->iattr[3] > Q_SMAX_TAB_BITS; }

/* E(i) = round(e^-(centre of cell i) 2^f_e), the centre 2^s i + (2^s - 1)/2
 * in x's units (f_x); in [0, 2^f_e]. */
int64_t q_smax_E(const q_model *m, const q_node *nd, int64_t i) {
    int s = (int)nd->iattr[3];
    double xc = ldexp((double)i, s) + (ldexp(1.0, s) - 1) / 2;
    return llround(ldexp(exp(-ldexp(xc, -m->tensors[nd->in[0]].f)), (int)nd->iattr[2]));
}

int64_t q_smax_e(const q_model *m, const q_node *nd, int64_t d, int64_t *h, int64_t *i, int64_t *r) {
    int s = (int)nd->iattr[3], ne = q_smax_exp_bits(m, nd);
    *r = d & (((int64_t)1 << s) - 1);
    *i = (d >> s) & (((int64_t)1 << ne) - 1);
    *h = d >> (s + ne);
    return *h ? 0 : q_smax_E(m, nd, *i);
}

int q_smax_log(const q_model *m, const q_node *nd, int64_t j, int64_t *l) {
    int s2 = (int)nd->iattr[4];
    double c = ldexp((double)j, s2) + (ldexp(1.0, s2) - 1) / 2;
    if (!(c > 0)) return 0;
    double v = ldexp(log(ldexp(c, -(int)nd->iattr[2])), m->tensors[(nd - m->nodes) + 1].f);
    int64_t A = q_act_bound(m);
    if (!(fabs(v) < (double)A)) return 0;
    int64_t q = llround(v);
    if (q < -A || q >= A) return 0;
    *l = q;
    return 1;
}

int64_t *q_smax_table(const q_model *m, const q_node *nd, int log_table, int64_t *first) {
    int n = log_table ? Q_SMAX_TAB_BITS : q_smax_exp_bits(m, nd);
    int64_t N = (int64_t)1 << n;
    int64_t *t = zk_malloc_n((size_t)N, sizeof *t);
    *first = -1;
    for (int64_t k = 0; k < N; k++) {
        if (log_table ? !q_smax_log(m, nd, k, &t[k]) : (t[k] = q_smax_E(m, nd, k), 0)) t[k] = Q_LUT_NONE;
        else if (*first < 0) *first = k;
    }
    return t;
}

void q_smax_pick(const q_model *m, q_node *nd) {
    int b = m->s.b_act, fx = m->tensors[nd->in[0]].f, fe = (int)nd->iattr[2];
    int s = b > Q_SMAX_TAB_BITS ? b - Q_SMAX_TAB_BITS : 0;
    /* with an h bit (b + 1 - s > 16): every d >= 2^(16 + s) must give e = 0 */
    while (b + 1 - s > Q_SMAX_TAB_BITS && !(ldexp(exp(-ldexp(1.0, Q_SMAX_TAB_BITS + s - fx)), fe) < 0.5)) s++;
    nd->iattr[3] = s;
    if (nd->op == NN_LOGSOFTMAX) { /* S < n 2^f_e + 1 <= 2^(16 + s2) */
        int bits = 0;
        while (ldexp(1.0, bits) <= (double)nd->iattr[0] * ldexp(1.0, fe)) bits++;
        nd->iattr[4] = bits > Q_SMAX_TAB_BITS ? bits - Q_SMAX_TAB_BITS : 0;
    }
}

void q_smax_error(const q_model *m, const q_node *nd, double *eps_e, double *eps_l) {
    int64_t A = q_act_bound(m), h, i, r;
    int fx = m->tensors[nd->in[0]].f, fy = m->tensors[(nd - m->nodes) + 1].f, fe = (int)nd->iattr[2];
    double e = 0;
    for (int64_t d = 0; d < 2 * A; d++) /* every difference an activation pair can have */
        e = fmax(e, fabs(ldexp((double)q_smax_e(m, nd, d, &h, &i, &r), -fe) - exp(-ldexp((double)d, -fx))));
    *eps_e = e;
    *eps_l = 0;
    if (nd->op != NN_LOGSOFTMAX) return;
    /* ln over every S a group can sum to: S in [E(0), n 2^f_e] */
    int s2 = (int)nd->iattr[4];
    double lo = (double)q_smax_E(m, nd, 0), hi = (double)nd->iattr[0] * ldexp(1.0, fe), l = 0;
    for (int64_t j = (int64_t)(lo / ldexp(1.0, s2)); ldexp((double)j, s2) <= hi; j++) {
        int64_t v;
        if (!q_smax_log(m, nd, j, &v)) continue;
        for (int k = 0; k < 2; k++) { /* ln is monotone: the cell's ends */
            double S = fmax(lo, ldexp((double)j, s2) + (k ? ldexp(1.0, s2) - 1 : 0));
            l = fmax(l, fabs(ldexp((double)v, -fy) - log(ldexp(S, -fe))));
        }
    }
    *eps_l = l;
}

double q_smax_bound(const q_model *m, const q_node *nd) {
    double ee, el, n = (double)nd->iattr[0];
    q_smax_error(m, nd, &ee, &el);
    if (nd->op == NN_LOGSOFTMAX) return el + n * ee / (1 - ee);
    return ee * (1 + n) / (1 - ee) + ldexp(0.5, -m->tensors[(nd - m->nodes) + 1].f);
}

/* ---- Clip by table (qint.h) ---- */

static int q_clip_force = -1;
#ifdef ZK_VERIFY
void q_test_clip_table(int mode) { q_clip_force = mode; }
#endif

int64_t q_clip_value(const q_node *nd, int64_t x) {
    return x < nd->iattr[0] ? nd->iattr[0] : x > nd->iattr[1] ? nd->iattr[1] : x;
}

int q_clip_table(const q_model *m, const q_node *nd) {
    int64_t A = q_act_bound(m);
    if (nd->op != NN_CLIP) return 0;
    int active = (nd->iattr[0] > -A) + (nd->iattr[1] < A - 1);
    if (q_clip_force >= 0) return q_clip_force && active;
    if (active < 2 || m->s.b_act > Q_LUT_MAX_BITS) return 0;
    int64_t cells = 0;
    for (size_t j = 0; j < m->nnodes; j++) {
        const q_node *o = &m->nodes[j];
        if (o->op != NN_CLIP || o->iattr[0] != nd->iattr[0] || o->iattr[1] != nd->iattr[1] ||
            m->tensors[o->in[0]].f != m->tensors[nd->in[0]].f)
            continue;
        int64_t n = q_numel(m, (int32_t)j + 1), p = 1;
        while (p < n) p *= 2;
        cells += p;
    }
    return cells >= ((int64_t)1 << m->s.b_act);
}
