/* report.c -- calibration over the float engine (nn_run_float) and the
 * setup-time report comparing it with the integer engine. */
#include <math.h>
#include <string.h>

#include "qint.h"

static size_t q_gnumel(const nn_shape *s) {
    size_t n = 1;
    for (int i = 0; i < s->ndim; i++) n *= (size_t)s->d[i];
    return n;
}

static const char *q_producer(const nn_graph *g, size_t t) {
    for (size_t i = 0; i < g->nnodes; i++)
        if ((size_t)g->nodes[i].out == t) return g->nodes[i].name ? g->nodes[i].name : "?";
    return "(input)";
}

static zk_err q_check_finite(const float *x, size_t n, size_t sample) {
    for (size_t j = 0; j < n; j++)
        if (!isfinite(x[j])) {
            zk_set_reason("calibration sample %zu: element %zu is NaN or Inf", sample, j);
            return ZK_EINPUT;
        }
    return ZK_OK;
}

zk_err q_calibrate(double *maxabs, const nn_graph *g, const float *calib, size_t ncalib) {
    if (ncalib == 0) {
        zk_set_reason("calibration set is empty");
        return ZK_EINPUT;
    }
    if (g->input < 0 || (size_t)g->input >= g->ntensors) {
        zk_set_reason("graph has no input");
        return ZK_EINPUT;
    }
    size_t nin = q_gnumel(&g->tensors[g->input].shape);
    for (size_t t = 0; t < g->ntensors; t++) maxabs[t] = 0;
    for (size_t s = 0; s < ncalib; s++) {
        const float *x = calib + s * nin;
        zk_err e = q_check_finite(x, nin, s);
        if (e) return e;
        float **v = NULL;
        if ((e = nn_run_float(&v, g, x)) != ZK_OK) return e;
        for (size_t t = 0; t < g->ntensors; t++) {
            if (g->tensors[t].data) continue;
            const float *vt = (int)t == g->input ? x : v[t];
            if (!vt) continue; /* a tensor no node computes */
            size_t n = q_gnumel(&g->tensors[t].shape);
            for (size_t j = 0; j < n; j++) {
                if (!isfinite(vt[j])) {
                    zk_set_reason("calibration sample %zu: node %s produces NaN or Inf", s, q_producer(g, t));
                    nn_values_free(v, g);
                    return ZK_EINPUT;
                }
                double a = fabs((double)vt[j]);
                if (a > maxabs[t]) maxabs[t] = a;
            }
        }
        nn_values_free(v, g);
    }
    return ZK_OK;
}

zk_err q_quantize(q_model **out, const nn_graph *g, const float *calib, size_t ncalib, const q_settings *s) {
    double *maxabs = zk_malloc_n(g->ntensors ? g->ntensors : 1, sizeof *maxabs);
    zk_err e = q_calibrate(maxabs, g, calib, ncalib);
    if (e == ZK_OK) e = q_quantize_ranges(out, g, maxabs, s);
    free(maxabs);
    return e;
}

/* ------------------------------------------------------------------ JSON */

static void q_json_raw(zk_buf *b, const char *s) { zk_buf_put(b, s, strlen(s)); }


static void q_json_num(zk_buf *b, double v) {
    if (isfinite(v)) zk_buf_printf(b, "%.9g", v);
    else q_json_raw(b, "null");
}

static void q_json_str(zk_buf *b, const char *s) {
    zk_buf_put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            zk_buf_put(b, esc, 2);
        } else if (c < 0x20) {
            zk_buf_printf(b, "\\u%04x", c);
        } else {
            zk_buf_put(b, s, 1);
        }
    }
    zk_buf_put(b, "\"", 1);
}

static void q_json_shape(zk_buf *b, const nn_shape *s) {
    q_json_raw(b, "[");
    for (int i = 0; i < s->ndim; i++) zk_buf_printf(b, "%s%lld", i ? ", " : "", (long long)s->d[i]);
    q_json_raw(b, "]");
}

static int q_uses_fw(const q_node *nd) {
    return nd->op == NN_CONV || nd->op == NN_FC || nd->op == NN_AFFINE || nd->op == NN_LEAKYRELU || nd->op == NN_PRELU ||
           ((nd->op == NN_MUL || nd->op == NN_ADD || nd->op == NN_SUB) && nd->nw);
}
static int q_uses_k(const q_node *nd) { return q_op_rescales(nd->op) || nd->op == NN_LEAKYRELU || nd->op == NN_PRELU; }

zk_err q_report_json(zk_buf *out, const q_model *m, const nn_graph *g, const float *calib, size_t ncalib) {
    if (g->nnodes != m->nnodes || g->input < 0 || (size_t)g->input >= g->ntensors ||
        q_gnumel(&g->tensors[g->input].shape) != (size_t)q_numel(m, 0)) {
        zk_set_reason("report: the graph does not match the quantized model");
        return ZK_EINPUT;
    }
    for (size_t i = 0; i < m->nnodes; i++)
        if (g->nodes[i].op != m->nodes[i].op ||
            q_gnumel(&g->tensors[g->nodes[i].out].shape) != (size_t)q_numel(m, (int32_t)i + 1)) {
            zk_set_reason("report: node %zu of the graph does not match the quantized model", i);
            return ZK_EINPUT;
        }
    if (ncalib == 0) {
        zk_set_reason("report: calibration set is empty");
        return ZK_EINPUT;
    }
    size_t nin = (size_t)q_numel(m, 0), nout = (size_t)q_numel(m, m->output);
    const nn_shape *os = &m->tensors[m->output].shape;
    size_t row = (size_t)os->d[os->ndim - 1], rows_per = nout / row;
    double *node_err = zk_calloc(m->nnodes, sizeof *node_err);
    int64_t *xq = zk_malloc_n(nin, sizeof *xq);
    double max_err = 0, sum_err = 0;
    size_t agree = 0;
    zk_err e = ZK_OK;
    for (size_t s = 0; s < ncalib && e == ZK_OK; s++) {
        const float *x = calib + s * nin;
        float **v = NULL;
        q_witness *w = NULL;
        if ((e = q_check_finite(x, nin, s)) != ZK_OK) break;
        if ((e = nn_run_float(&v, g, x)) != ZK_OK) break;
        if ((e = q_quantize_input(xq, m, x)) != ZK_OK || (e = q_run(&w, m, xq)) != ZK_OK) {
            char why[200];
            snprintf(why, sizeof why, "%s", zk_reason());
            zk_set_reason("report: calibration sample %zu: %s", s, why);
            nn_values_free(v, g);
            break;
        }
        for (size_t i = 0; i < m->nnodes; i++) {
            const float *fv = v[g->nodes[i].out];
            const int64_t *qv = w->t[i + 1];
            int f = m->tensors[i + 1].f;
            size_t n = (size_t)q_numel(m, (int32_t)i + 1);
            for (size_t j = 0; j < n; j++) {
                double d = fabs(ldexp((double)qv[j], -f) - (double)fv[j]);
                if (d > node_err[i]) node_err[i] = d;
                if ((int32_t)i + 1 == m->output) {
                    if (d > max_err) max_err = d;
                    sum_err += d;
                }
            }
            if ((int32_t)i + 1 == m->output)
                for (size_t r = 0; r < rows_per; r++) {
                    size_t af = 0, aq = 0;
                    for (size_t j = 1; j < row; j++) {
                        if (fv[r * row + j] > fv[r * row + af]) af = j;
                        if (qv[r * row + j] > qv[r * row + aq]) aq = j;
                    }
                    agree += af == aq;
                }
        }
        q_witness_free(w);
        nn_values_free(v, g);
    }
    free(xq);
    if (e) {
        free(node_err);
        return e;
    }
    q_json_raw(out, "{\n  \"settings\": {");
    zk_buf_printf(out,
                  "\"b_act\": %d, \"b_w\": %d, \"f_min\": %d, \"f_max\": %d, \"field_bits\": %d, "
                  "\"input_visibility\": \"%s\", \"output_visibility\": \"%s\", \"zero_knowledge\": %s},\n",
                  m->s.b_act, m->s.b_w, m->s.f_min, m->s.f_max, Q_FIELD_BITS, q_in_vis_name(m->s.in_vis), q_out_vis_name(m->s.out_vis),
                  m->s.zk_mc ? "true" : "false");
    q_json_raw(out, "  \"input\": {\"name\": ");
    q_json_str(out, m->tensors[0].name);
    q_json_raw(out, ", \"shape\": ");
    q_json_shape(out, &m->tensors[0].shape);
    zk_buf_printf(out, ", \"f\": %d, \"range\": ", m->tensors[0].f);
    q_json_num(out, m->tensors[0].range);
    q_json_raw(out, ", \"bound\": ");
    q_json_num(out, ldexp((double)q_act_bound(m), -m->tensors[0].f));
    q_json_raw(out, "},\n  \"nodes\": [\n");
    for (size_t i = 0; i < m->nnodes; i++) {
        const q_node *nd = &m->nodes[i];
        const q_tensor *y = &m->tensors[i + 1];
        zk_buf_printf(out, "    {\"index\": %zu, \"name\": ", i);
        q_json_str(out, nd->name);
        zk_buf_printf(out, ", \"op\": \"%s\", \"output\": ", nn_op_name(nd->op));
        q_json_str(out, y->name);
        q_json_raw(out, ", \"shape\": ");
        q_json_shape(out, &y->shape);
        q_json_raw(out, ", \"f_in\": [");
        int first = 1;
        for (int j = 0; j < 2; j++)
            if (nd->in[j] >= 0) {
                zk_buf_printf(out, "%s%d", first ? "" : ", ", m->tensors[nd->in[j]].f);
                first = 0;
            }
        zk_buf_printf(out, "], \"f_out\": %d, \"f_w\": ", y->f);
        if (q_uses_fw(nd)) zk_buf_printf(out, "%d", nd->f_w);
        else q_json_raw(out, "null");
        q_json_raw(out, ", \"shift\": ");
        if (q_uses_k(nd)) zk_buf_printf(out, "%d", nd->k);
        else q_json_raw(out, "null");
        zk_buf_printf(out, ", \"b_act\": %d, \"b_w\": ", m->s.b_act);
        if (q_uses_fw(nd) && nd->op != NN_ADD && nd->op != NN_SUB) zk_buf_printf(out, "%d", m->s.b_w);
        else q_json_raw(out, "null");
        q_json_raw(out, ", \"range\": ");
        q_json_num(out, y->range);
        q_json_raw(out, ", \"bound\": ");
        q_json_num(out, ldexp((double)q_act_bound(m), -y->f));
        zk_buf_printf(out, ", \"acc_bits\": %d, \"max_abs_error\": ", nd->acc_bits);
        q_json_num(out, node_err[i]);
        if (nn_is_lut(nd->op)) { /* the table: its size, input shift and error on the calibrated inputs */
            zk_buf_printf(out, ", \"table\": {\"entries\": %lld, \"input_shift\": %d, \"error_bound\": ",
                          (long long)1 << q_lut_bits(m, nd), (int)nd->iattr[0]);
            q_json_num(out, q_lut_error(m, nd));
            q_json_raw(out, "}");
        }
        if (nd->op == NN_SOFTMAX || nd->op == NN_LOGSOFTMAX) { /* the groups, tables and error on exact inputs */
            double ee, el;
            q_smax_error(m, nd, &ee, &el);
            zk_buf_printf(out, ", \"softmax\": {\"group\": %lld, \"stride\": %lld, \"f_exp\": %d, \"exp_entries\": %lld, "
                          "\"exp_input_shift\": %d, \"exp_error\": ", (long long)nd->iattr[0], (long long)nd->iattr[1],
                          (int)nd->iattr[2], (long long)1 << q_smax_exp_bits(m, nd), (int)nd->iattr[3]);
            q_json_num(out, ee);
            if (nd->op == NN_LOGSOFTMAX) {
                zk_buf_printf(out, ", \"log_input_shift\": %d, \"log_error\": ", (int)nd->iattr[4]);
                q_json_num(out, el);
            }
            q_json_raw(out, ", \"error_bound\": ");
            q_json_num(out, q_smax_bound(m, nd));
            q_json_raw(out, "}");
        }
        if (nd->op == NN_CLIP) { /* the bounds on the input's grid */
            int fx = m->tensors[nd->in[0]].f;
            q_json_raw(out, ", \"clip\": [");
            q_json_num(out, ldexp((double)nd->iattr[0], -fx));
            q_json_raw(out, ", ");
            q_json_num(out, ldexp((double)nd->iattr[1], -fx));
            q_json_raw(out, "]");
        }
        q_json_raw(out, i + 1 < m->nnodes ? "},\n" : "}\n");
    }
    q_json_raw(out, "  ],\n  \"output\": {\"name\": ");
    q_json_str(out, m->tensors[m->output].name);
    zk_buf_printf(out, ", \"f\": %d},\n", m->tensors[m->output].f);
    zk_buf_printf(out, "  \"calibration\": {\"samples\": %zu, \"max_abs_error\": ", ncalib);
    q_json_num(out, max_err);
    q_json_raw(out, ", \"mean_abs_error\": ");
    q_json_num(out, sum_err / ((double)ncalib * (double)nout));
    zk_buf_printf(out, ", \"argmax_agreement\": ");
    q_json_num(out, (double)agree / ((double)ncalib * (double)rows_per));
    zk_buf_printf(out, ", \"argmax_rows\": %zu}\n}\n", ncalib * rows_per);
    free(node_err);
    return ZK_OK;
}
