/* l_shape.c -- Reshape (also Flatten, Squeeze, ...) and Pad: wiring, no
 * advice (papers/protocol.md sec. 7.3 and 7.8.5, "Reshape", "Pad").
 *
 * Relations: Reshape y = x (same row-major order); Pad y[o] = x[src(o)],
 * or the pad value where src(o) = -1 (q_pad_src).
 * Sub-protocol: the merged claim y(rho) = v passes to x unchanged
 * (Reshape: an identity claim; Pad: through the map src with pad value
 * pad, never simplified away when pad != 0 or the Pad crops). No message,
 * no challenge.
 * Per-tensor constraints: none; the output is an integer in [-A, A) when
 * x is (rule Q_INT_PRODUCER, sec. 7.7; |pad| < A in the key).
 */
#include "../quant/qint.h"
#include "layers.h"

static zk_err rd_reshape(cx *c, const layer_node *ln, const fp2 *rho, fp2 v) {
    cx_claim_tensor(c, ln->nd->in[0], rho, v, NULL);
    return ZK_OK;
}

static zk_err rd_pad(cx *c, const layer_node *ln, const fp2 *rho, fp2 v) {
    cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    mp->pad = fm61_from_i64(ln->nd->pad);
    for (int64_t o = 0; o < ln->ny; o++) mp->src[o] = q_pad_src(c->m, ln->nd, o);
    cx_claim_tensor(c, ln->nd->in[0], rho, v, mp);
    return ZK_OK;
}

static void shape_count(const pl_plan *p, const layer_node *ln, layer_count *n) {
    (void)p;
    layer_count_node(ln, n, 1, 0, 0, 0);
}

const layer_kind layer_reshape = {.phase = CNN_PH_OTHER, .reduce = rd_reshape, .count = shape_count};
const layer_kind layer_pad = {.phase = CNN_PH_OTHER, .reduce = rd_pad, .count = shape_count};
