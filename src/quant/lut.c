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
