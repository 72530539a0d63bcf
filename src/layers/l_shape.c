/* l_shape.c -- the wiring ops: Reshape (also Flatten, Squeeze, ...), and
 * Pad, Transpose, Slice, Resize (nearest, integer scales), which also
 * carry DepthToSpace, SpaceToDepth and Gather with constant indices (the
 * importer writes those with Reshape, Transpose, Slice and Concat). No
 * advice (papers/protocol.md sec. 7.3 and 7.8.5, "Reshape", "Wiring").
 *
 * Relations: Reshape y = x (same row-major order); the others
 * y[o] = x[src(o)], or the pad value where src(o) = -1 (Pad only), with
 * src = q_wire_src (nn_wire_src: the node's integer attributes and the
 * shapes in the key, so the verifier rebuilds the map from the skeleton).
 * Sub-protocol: the merged claim y(rho) = v passes to x unchanged
 * (Reshape: an identity claim; the others: through the map src with pad
 * value pad, simplified to an identity claim only when src is the identity
 * on all of x and pad = 0). No message, no challenge.
 * Per-tensor constraints: none; the output is an integer in [-A, A) when
 * x is (rule Q_INT_PRODUCER, sec. 7.7; |pad| < A in the key).
 */
#include "../quant/qint.h"
#include "layers.h"

static zk_err rd_reshape(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    cx_claim_tensor(c, ln->nd->in[0], rho, v, NULL);
    return ZK_OK;
}

static zk_err rd_wire(cx *c, const layer_node *ln, const fp2 *rho, cx_v v) {
    cmap *mp = cx_map_new(c, ln->ny, ln->nv, 1, 0);
    mp->pad = fm61_from_i64(ln->nd->pad);
    for (int64_t o = 0; o < ln->ny; o++) mp->src[o] = q_wire_src(c->m, ln->nd, o);
    cx_claim_tensor(c, ln->nd->in[0], rho, v, mp);
    return ZK_OK;
}

const layer_kind layer_reshape = {.phase = CNN_PH_OTHER, .reduce = rd_reshape, .count = layer_count_plain};
const layer_kind layer_wire = {.phase = CNN_PH_OTHER, .reduce = rd_wire, .count = layer_count_plain};
