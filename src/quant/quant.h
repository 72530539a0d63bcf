/* quant.h -- fixed-point quantization of an nn_graph (q_quantize) and the
 * integer inference engine (q_run) whose output IS the witness: the GKR
 * circuits check exactly the relations written below, over exactly the
 * values q_run produces, and nothing else computes witness values.
 *
 * ===================================================================
 * 1. Numbers
 * ===================================================================
 * Every activation tensor t (the graph input and every node output) has a
 * fractional-bit count f_t: an int64 q stands for the real q / 2^f_t.
 * Every constant operand (weights, Affine scales, a Mul constant, the
 * LeakyRelu slope) has its own f_w.  f may be negative (q * 2^-f).
 *
 *   Activation bound  every activation q satisfies -2^(b_act-1) <= q <
 *                     2^(b_act-1), a b_act-bit two's complement integer
 *                     (the graph input, every node output when computed;
 *                     quantizing a float gives |q| < 2^(b_act-1)).  A
 *                     value outside is an error naming the node ("value
 *                     out of the calibrated range at node ..."); nothing
 *                     is ever clamped.  [-A, A) is exactly what the
 *                     circuits prove (a b_act-bit range check of y + A, a
 *                     ReLU's u in [0, A)); until issue 11 item 8 q_run
 *                     refused -A, so a proof could attest an input q_run
 *                     refused (papers/protocol.md 7.7).
 *   Weight bound      every weight-like constant satisfies |w| < 2^(b_w-1).
 *
 * Float -> integer (inputs and constants): q = round(x * 2^f), rounding
 * half AWAY from zero (C llround; symmetric, so -w quantizes to -q(w)).
 * x * 2^f is exact in double, so the result is reproducible everywhere.
 *
 * Integer rescale by k (acc at scale f_acc -> y at f_out, k = f_acc - f_out):
 *   k >= 1:  y   = floor((acc + 2^(k-1)) / 2^k)      (round half UP)
 *            rem = acc + 2^(k-1) - y * 2^k,  0 <= rem < 2^k
 *            i.e. the relation  y * 2^k + rem = acc + 2^(k-1).
 *   k <= 0:  y = acc * 2^-k exactly; no remainder.
 * (rescale(-5, 1) = floor(-4/2) = -2; rescale(-6, 2) = floor(-4/4) = -1;
 *  rescale(5, 1) = 3; ties go up: -2.5 -> -2, 2.5 -> 3.)
 *
 * ===================================================================
 * 2. Calibration (q_calibrate, then q_quantize_ranges)
 * ===================================================================
 * nn_run_float runs over the calibration samples; M_t = max |x| of each
 * activation tensor over all samples.  Then
 *   f_t = largest f in [f_min, f_max] with M_t * 2^f < 2^(b_act-2)
 *         (one bit of headroom below the activation bound), for the graph
 *         input and the outputs of Conv, FC, MatMul, Mul, Affine, Add, Sub
 *         and of the table ops (Sigmoid ... Softsign);
 *   f_t = f of the node's input for Relu, LeakyRelu, PRelu, Clip, MaxPool,
 *         AvgPool, GlobalMaxPool, GlobalAvgPool, Reshape, Pad (no rescale
 *         there);
 *   f_w = largest f in [f_min, f_max] with max|W| * 2^f < 2^(b_w-1) - 1/2
 *         per constant operand (the -1/2 keeps the rounded value below
 *         2^(b_w-1)); an all-zero constant gets f_max;
 *   biases (Conv/FC bias, Affine shift) are quantized at f_x + f_w, the
 *   scale of the products they are added to;
 *   an Add/Sub constant is quantized at f_c = max(f_x, f_out), the finer
 *   of the other operand's and the output's scale;
 *   LeakyRelu alpha is quantized like a weight (f_alpha = its f_w); so is
 *   the PRelu slope (all its entries at one f_w);
 *   Clip's bounds are rounded to the input's grid (half away from zero); a
 *   bound beyond the activation range becomes -A or A - 1 (it clips
 *   nothing), and min > max becomes min = max (ONNX: max everywhere);
 *   a Pad value is quantized at the tensor's f.
 * A tensor whose range needs f < f_min, or a constant that does, is a
 * setup error.
 *
 * ===================================================================
 * 3. Integer semantics and the witness, per op
 * ===================================================================
 * A = 2^(b_act-1).  x, a, b: node inputs; y: node output; all activations.
 * Witness arrays of a node (q_nwit) all have numel(y) entries:
 *   acc   pre-rescale accumulator      rem   remainder of the rescale
 *   sign  sign bit s in {0,1}          arg   max-pool choice
 * A NULL array is absent for that op; rem exists only where the op's
 * shift k >= 1 (always for the average pools).  The checker
 * q_witness_check verifies every relation below with integer arithmetic,
 * plus -A <= y < A for every output and the input.
 *
 * Conv   acc[n,m,oy,ox] = B[m] + sum_{c < C/G, ky, kx} W[m,c,ky,kx] *
 *          x[n, g*C/G + c, oy*sh - pt + ky*dh, ox*sw - pl + kx*dw] with
 *          g = m / (M/G) the group of m (cells outside x are 0; no bias:
 *          B = 0); y = rescale(acc, k), k = f_x + f_w - f_y;   acc, rem.
 * FC     acc[n,m] = B[m] + sum_k W[m,k] x[n,k]; y = rescale(acc, k),
 *          k = f_x + f_w - f_y;  acc, rem.
 * MatMul acc[n,m] = sum_k a[n,k] b[k,m]; k = f_a + f_b - f_y;  acc, rem.
 * Mul    acc = a * b (numpy broadcasting; one operand may be a constant
 *          with f_w); k = f_a + f_b - f_y;  acc, rem.
 * Affine acc[.., c, ..] = x * S[c] + T[c] (S at f_w, T at f_x + f_w);
 *          k = f_x + f_w - f_y;  acc, rem.
 * Add    f = max(f_a, f_b); acc = a * 2^(f-f_a) + b * 2^(f-f_b) (align[0],
 *        align[1] in the node; broadcasting; one operand may be a constant
 *        at f_c); y = rescale(acc, k), k = f - f_y (k <= 0: exact left
 *        shift);  acc, rem.
 * Sub    as Add with acc = a * 2^(f-f_a) - b * 2^(f-f_b).
 * Relu   f_y = f_x; y = s * x;  sign s in {0,1} with u in [0, A), where
 *          u = x if s = 1 and u = -x - 1 if s = 0 (so s = [x >= 0]).  sign.
 * LeakyRelu  f_y = f_x; acc = x * alpha (alpha at f_alpha, k = f_alpha);
 *          sign s as for Relu; s = 1: y = x and rem = 0;
 *          s = 0: y = rescale(acc, k) with its rem.  acc, rem, sign.
 *          (Gated form: s*(y - x) = 0, (1-s)*(y*2^k + rem - acc - 2^(k-1)) = 0.)
 * MaxPool  f_y = f_x; window cells (ky,kx) at x[n,c, oy*sh-pt+ky*dh,
 *          ox*sw-pl+kx*dw], padding cells excluded; arg = ky*kw + kx of the
 *          FIRST maximal real cell; y = x[cell(arg)]; for every real cell
 *          x_i of the window, y - x_i in [0, 2A).  arg.  (The checker also
 *          insists on the first maximal cell, so the witness is unique; a
 *          circuit may accept any maximal cell.)
 * GlobalMaxPool  as MaxPool with one window = the whole plane (all dims
 *          after the first two); arg = flat index in the plane.  arg.
 * AvgPool  f_y = f_x; acc = sum of the window's real cells; n = number of
 *          cells counted: cells inside the padded input if
 *          count_include_pad, else real cells only (n >= 1 always);
 *          y = floor((2 acc + n) / (2n)) (round half up), rem = 2 acc + n -
 *          2n y in [0, 2n).  acc, rem.
 * GlobalAvgPool  as AvgPool with one window = the whole plane.  acc, rem.
 * Reshape  f_y = f_x; y = x element by element (wiring).  none.
 * Pad      f_y = f_x; y[i] = x[i - begin] inside, else the node's pad value
 *          (quantized at f_x, |pad| < A; a negative begin/end crops).  none.
 * PRelu    LeakyRelu with a slope per element: acc = x * slope[b(i)] (the
 *          constant broadcast to x, at f_w; k = f_w).  acc, rem, sign.
 * Clip     f_y = f_x; y = min(max(x, lo), hi), lo <= hi integers on x's grid
 *          (iattr[0], iattr[1]).  none.
 * Table ops (Sigmoid, Tanh, Exp, Erf, Gelu, Elu, Selu, Softplus,
 *          HardSigmoid, HardSwish, Softsign; lut.c): f_y calibrated; the
 *          input shift s = iattr[0] and the function's parameters (bits of
 *          doubles in iattr[1..3]) fix the table F(i) = round(f((2^s i +
 *          (2^s - 1)/2) / 2^f_x) 2^f_y) (half away from zero; f =
 *          nn_lut_eval), i in [-2^(b_act-s-1), 2^(b_act-s-1)), defined
 *          where it lies in [-A, A).  acc = i = floor(x / 2^s), rem = x -
 *          2^s i in [0, 2^s) (when s >= 1), y = F(i); an input whose F is
 *          not defined is an error ("value out of the calibrated range").
 *          Setup picks s (q_lut_shift): the largest with at most 2^16 table
 *          entries whose F is within one output LSB of f at every integer
 *          input of the calibrated range; settings.json reports that error.
 *          acc, rem (s >= 1).
 * Softmax, LogSoftmax over groups of n = iattr[0] cells at stride inner =
 *          iattr[1] (nn_group_cell): per group the FIRST maximum (arg, on
 *          every cell), d = max - x in [0, 2A), e = e(d) (acc): with
 *          f_e = iattr[2] = b_act + 4 and s = iattr[3], d = 2^(16+s) h +
 *          2^s i + r (h only when b_act + 1 - s = 17), e = h ? 0 : E(i),
 *          E(i) = round(exp(-(2^s i + (2^s - 1)/2) / 2^f_x) 2^f_e) (lut.c);
 *          S = the group's sum of e (>= E(0) >= 1, checked at setup).
 *          Softmax: f_y = b_act - 2; y = floor((2^(f_y+1) e + S) / (2S)),
 *          rem = q = 2^(f_y+1) e + S - 2 S y in [0, 2S).  acc, rem, arg.
 *          LogSoftmax: f_y calibrated, at least f_x; y = -2^(f_y - f_x) d -
 *          l(S >> s2), l(j) = round(ln((2^s2 j + (2^s2 - 1)/2) / 2^f_e)
 *          2^f_y), s2 = iattr[4].  acc, arg.
 *
 * ===================================================================
 * 4. The field bound (checked at setup, q_model_validate)
 * ===================================================================
 * For every node, the worst case over ALL inputs allowed by the activation
 * bound (-A <= x < A, so |x| <= A) and the actual integer constants, of the
 * magnitude of every quantity in its relations -- |acc|, |acc| + 2^(k-1),
 * A 2^k (the left side y 2^k + rem), |acc| 2^-k for k <= 0, 2A for max-pool
 * differences, 2 n A + 2n for averages -- must be < 2^60.  (Until issue 11
 * item 8 the bound took |x| <= A - 1, which left -A, a value the circuits
 * admit, outside it: with b_act = 2 a product could wrap.)  A skeleton
 * (no constant values) checks the same with every accumulator that needs
 * constants counted as 0, and takes acc_bits as given.
 * Then no relation wraps modulo p = 2^61 - 1, so -- provided every value
 * it reads is an integer in its range, which the circuits must prove
 * (q_int_rules below, papers/protocol.md 7.7) -- it holds over F_p iff it
 * holds over the integers.  A setting that breaks this is a setup error
 * naming the node, the bits needed, and the setting to lower.  Shifts
 * satisfy |k| <= 59.
 *
 * Defaults: b_act = 16, b_w = 12, f in [-8, 40].  Why (measured on the
 * LeNet-5 Fashion-MNIST model over its 64 calibration images, logits of
 * range ~34):
 *   b_w   6: mean |err| 0.45    8: 0.12, one argmax flip in 64
 *        10: 0.027             12: 0.0074  14: 0.0028  16: 0.0018
 *   (b_act = 16; b_act = 14 gives 0.011 at b_w = 12, b_act = 20 0.0068.)
 * Below 12 bits the error grows fast (4x per 2 bits, first argmax flips
 * at 8); above, it still shrinks (2.6x at 14) but the logits already sit
 * within 0.03% of their range of float with full argmax agreement, while
 * every extra weight bit adds one bit to each rescale shift (k = 11-12 on
 * LeNet), i.e. to the remainder range checks the circuit pays per output,
 * and one bit to every accumulator.  Worst-case
 * accumulators stay at 29-32 bits, far below the 2^60 field bound; 16-bit
 * activations keep one bit of calibration headroom and 13-14 fractional
 * bits on unit-range data.
 *
 * Ownership: q_quantize returns a q_model freed with q_model_free; q_run a
 * q_witness freed with q_witness_free; _free(NULL) is a no-op.
 */
#ifndef GKRCNN_QUANT_H
#define GKRCNN_QUANT_H

#include "../nn/nn.h"

#define Q_FIELD_BITS 60          /* every relation magnitude < 2^60 */
#define Q_MAX_SHIFT 59           /* |k| <= 59 */
#define Q_MAX_NUMEL ((int64_t)1 << 32) /* per tensor, and per constant */

typedef struct {
    int b_act;  /* activation bits including sign: -2^(b_act-1) <= q < 2^(b_act-1); 2..48 */
    int b_w;    /* weight bits including sign: |w| < 2^(b_w-1); 2..48 */
    int f_min;  /* every f is clamped to [f_min, f_max]; -60 <= f_min <= f_max <= 60 */
    int f_max;
    int out_vis; /* what a proof's statement says of the output (q_out_vis) */
    int in_vis;  /* what it says of the input (q_in_vis); private needs zk_mc */
    /* Zero-knowledge mode (issue 13; papers/protocol.md sec. 9.5): 0 for
     * the non-hiding proofs; otherwise every proof masks its sumchecks
     * from a pool of 2^zk_mc random cells and commits its tables with the
     * hiding Ligero. cnn_setup measures the pool: any value 1..Q_ZK_MAX_MC
     * given to it asks for the mode and is replaced by the measured one. */
    int zk_mc;
} q_settings;

#define Q_ZK_MAX_MC 24 /* the mask table [C; D] has 2^(zk_mc + 1) <= 2^25 cells (PCS_LIGERO_MAX_VARS) */

/* Output visibility, chosen at setup (issue 13): Q_OUT_PUBLIC, the
 * statement holds the output tensor; Q_OUT_CLASS, it holds only the index
 * of the output's largest element (flattened, ties to the lowest index, as
 * numpy's argmax), proven inside the proof (papers/protocol.md sec. 7.8.4).
 * The output tensor is then a witness tensor like any other: its integer
 * rule is its producer's or a range check (q_int_rules). */
typedef enum { Q_OUT_PUBLIC = 0, Q_OUT_CLASS = 1, Q_OUT_PRIVATE = 2 } q_out_vis; /* private: a commitment, needs zk_mc */
const char *q_out_vis_name(int v);
/* Input visibility (issue 13): Q_IN_PUBLIC, the statement holds the input
 * tensor; Q_IN_PRIVATE, it holds a hiding commitment to it (protocol.md
 * sec. 9.6), and the input is a range-checked witness tensor. Private
 * needs the zero-knowledge mode (zk_mc). */
typedef enum { Q_IN_PUBLIC = 0, Q_IN_PRIVATE = 1 } q_in_vis;
const char *q_in_vis_name(int v);

/* b_act = 16, b_w = 12, f in [-8, 40], public output. */
void q_settings_default(q_settings *s);

typedef struct {
    char *name;    /* owned; the graph's tensor name */
    nn_shape shape;
    int32_t f;     /* fractional bits */
    double range;  /* calibrated max |x| (informational; >= 0) */
} q_tensor;

typedef struct {
    nn_op op;
    char *name;       /* owned */
    /* Operands in ONNX order. in[j] is an activation tensor index, or -1
     * for the node's constant operand (in w) or for no operand. Tensor 0 is
     * the graph input; node i writes tensor i + 1. */
    int32_t in[2];
    nn_shape cshape;  /* shape of w (ndim 0 when there is no w) */
    int64_t *w;       /* owned; weight-like constant: Conv/FC W, Affine S,
                         Mul or Add/Sub constant */
    size_t nw;
    int64_t *b;       /* owned; Conv/FC bias or Affine shift, at f_x + f_w */
    size_t nb;
    int32_t f_w;      /* f of w (LeakyRelu: f_alpha) */
    int32_t k;        /* rescale shift */
    int32_t align[2]; /* Add/Sub: left shifts of the two operands */
    int64_t alpha;    /* LeakyRelu slope at f_alpha */
    int64_t pad;      /* Pad value at the tensor's f */
    int64_t kernel[2], strides[2], pads[4], dil[2]; /* Conv, pools; pads: top, left, bottom, right */
    int64_t group;    /* Conv */
    int32_t ceil_mode, count_include_pad;   /* pools */
    int64_t iattr[2 * NN_MAX_DIMS];       /* Pad: begins, then ends (input ndim each) */
    /* Set by q_model_validate (not serialized): */
    int acc_bits;     /* bits of the largest worst-case magnitude in the node's relations */
} q_node;

typedef struct {
    q_settings s;
    q_tensor *tensors; /* ntensors = nnodes + 1 */
    size_t ntensors;
    q_node *nodes;
    size_t nnodes;
    int32_t output;    /* the graph output tensor (1..nnodes) */
    int skeleton;      /* 1: constants absent (w, b NULL; nw, nb and acc_bits
                          kept), as in a verifying key; see _skeleton below */
} q_model;

void q_model_free(q_model *m);

/* Calibration: maxabs[t] (t indexes g->tensors, ntensors entries) receives
 * max |x| of every non-constant tensor over the ncalib samples in calib
 * (ncalib * numel(input) floats); constants get 0. Errors: no samples,
 * non-finite input or intermediate value. */
zk_err q_calibrate(double *maxabs, const nn_graph *g, const float *calib, size_t ncalib) ZK_WARN_UNUSED;

/* Builds the integer model from calibrated ranges (maxabs as above) and
 * validates it (q_model_validate). ZK_EINPUT with a one-line reason for an
 * unsupported graph, a bad setting, or a field-bound violation. */
zk_err q_quantize_ranges(q_model **out, const nn_graph *g, const double *maxabs, const q_settings *s)
    ZK_WARN_UNUSED;

/* q_calibrate + q_quantize_ranges. s == NULL: defaults. */
zk_err q_quantize(q_model **out, const nn_graph *g, const float *calib, size_t ncalib, const q_settings *s)
    ZK_WARN_UNUSED;

/* Checks a model completely: settings, shapes of every op, indices,
 * scales and shifts, constant bounds, unused fields zero, and the field
 * bound of section 4 (fills acc_bits). A model that passes can be run
 * without overflow or out-of-bounds access. ZK_EINPUT with a reason. */
zk_err q_model_validate(q_model *m) ZK_WARN_UNUSED;

/* The certified range of node nd's constant (bias = 0: w; 1: b), in bits:
 * each entry is a two's complement integer in [-2^(bits-1), 2^(bits-1)).
 * It is what the weight-range certificate of a verifying key proves of
 * the committed table (papers/protocol.md 7.1.1), so it depends on the
 * skeleton only: b_w for weight-like constants (Conv and FC weights,
 * Affine's scale, a Mul constant, PRelu's slope); acc_bits + 1 for a
 * Conv/FC bias, Affine's shift and an Add/Sub constant (each is at most
 * the node's worst-case |acc| < 2^acc_bits); b_act for a Concat constant
 * (|w| < A). 0 when the node has no such constant. */
int q_const_bits(const q_model *m, const q_node *nd, int bias);

/* The field bound of section 4 with every constant anywhere in its
 * certified range (q_const_bits) instead of at its values: what a
 * verifier who never sees the weights can check from the skeleton, and
 * what the weight-range certificate makes sufficient. ZK_EINPUT with a
 * reason naming the node. */
zk_err q_model_check_ranges(const q_model *m) ZK_WARN_UNUSED;

/* Strict binary encoding (goes into the proving key):
 *   "GKRQMOD1" u32 version=1 | settings (4 x i32) | u32 ntensors, each:
 *   str name, shape, i32 f, f64 range | u32 nnodes, each: u32 op, str
 *   name, i32 in[2], shape cshape, u64 nw + nw x i64, u64 nb + nb x i64,
 *   i32 f_w, k, align[2], i64 alpha, pad, kernel[2], strides[2], pads[4],
 *   dil[2], group, u32 ceil_mode, count_include_pad, i64 iattr[12] |
 *   i32 output.   str = u32 len (<= 4096, no NUL) + bytes; shape = u32
 *   ndim + ndim x i64; integers little-endian.
 * Decoding rejects truncation, trailing bytes, and any model that fails
 * q_model_validate (ZK_EFORMAT with a reason). */
void q_model_serialize(zk_buf *out, const q_model *m);
zk_err q_model_deserialize(q_model **out, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* The model without its constants, for the verifying key: magic
 * "GKRQSKL1", then as above except that each constant array is its length
 * alone (no values) and each node ends with i32 acc_bits, the worst-case
 * accumulator bits setup computed from the real constants (the verifier
 * cannot recompute it without them); in a zero-knowledge model (zk_mc > 0)
 * it is instead a function of the skeleton alone, one bit more than the
 * bound with every weight at its b_w-bit worst case and every additive
 * constant at 1 (q_model_validate refuses real constants that need more,
 * and a zk skeleton with any other value). The result has skeleton = 1;
 * q_model_validate then checks everything but the constant values (the
 * field bound with every accumulator that needs them counted as 0) and
 * takes acc_bits as given (<= Q_FIELD_BITS). q_run refuses a skeleton.
 * A zero-knowledge model's skeleton (zk_mc > 0) writes every tensor's
 * range as 0: the calibration maxima are the model owner's, and no
 * verifier reads them (protocol.md sec. 9.9 item 5). */
void q_model_serialize_skeleton(zk_buf *out, const q_model *m);
zk_err q_model_deserialize_skeleton(q_model **out, const uint8_t *data, size_t len) ZK_WARN_UNUSED;

/* ---- which relation proves each tensor an integer (protocol.md 7.7) ----
 * Both circuits (src/layers, src/plonkish) check the relations of section 3
 * over a field, where y 2^k + rem = acc + 2^(k-1) with rem in range does
 * NOT make y an integer: a prover can take rem' = rem - 2^(k-1) and
 * y' = y + 1/2 (mod p). Every tensor a relation consumes must therefore be
 * proven an integer in [-A, A), A = 2^(b_act-1), by one of these rules,
 * tried in this order. A node is *live* when its output is the graph
 * output or read by a live node; only live nodes count as readers below
 * (the CNN proof never reduces a dead node, so a dead Relu proves nothing
 * about its input):
 *   Q_INT_INPUT     tensor 0: public; the verifier checks every -A <= q < A.
 *   Q_INT_OUTPUT    the graph output when it is public (Q_OUT_PUBLIC):
 *                   checked the same way; a class-only output gets one of
 *                   the rules below, the argmax reading it.
 *   Q_INT_UNUSED    no live node reads it and it is not the output: no
 *                   claim is ever made on it (its producer is dead).
 *   Q_INT_CONSUMER  a live consumer's own check covers it: a Relu or
 *                   LeakyRelu proves x = u or x = -u - 1 with u in [0, A)
 *                   and s a bit (so does a Clip's comparison at 0); a
 *                   table op and a Clip by table (q_clip_table) read x as
 *                   a table index; a Reshape passes the proof of its output
 *                   back unchanged (same values) when that output is
 *                   OUTPUT/CONSUMER.
 *   Q_INT_PRODUCER  the producer's relation makes y an integer in [-A, A)
 *                   whenever its inputs are: Relu (y = s x), MaxPool and
 *                   GlobalMaxPool (y = a window cell: d = 0 at the chosen
 *                   cell), Reshape, Pad (cells or the pad value, |pad| < A).
 *   Q_INT_CHECK     none of the above -- the output of a rescale (Conv, FC,
 *                   MatMul, Mul, Affine, Add, Sub) or LeakyRelu, or of an
 *                   average pool, read by a live node other than a Relu:
 *                   the circuits range-check y + A in [0, 2A) (b_act bits).
 *                   An exact shift y = acc 2^-k (k <= 0) is an integer, but
 *                   only q_run's range check keeps it below A: an input
 *                   for which q_run refuses would otherwise still prove.
 * Works on a skeleton (shapes and shifts only). */
typedef enum { Q_INT_INPUT = 1, Q_INT_OUTPUT, Q_INT_CONSUMER, Q_INT_PRODUCER, Q_INT_UNUSED, Q_INT_CHECK } q_int_rule;
/* rule[t] for every tensor (m->ntensors entries), in one pass over the nodes */
void q_int_rules(const q_model *m, q_int_rule *rule);
const char *q_int_rule_name(q_int_rule r);

/* ---- the integer engine ---- */

typedef struct {
    int64_t *acc, *rem, *sign, *arg; /* owned; NULL when absent (see section 3) */
} q_nwit;

typedef struct {
    int64_t **t;      /* t[i]: activation tensor i (numel of its shape), owned */
    q_nwit *nodes;    /* per node, in order */
    size_t ntensors, nnodes;
} q_witness;

void q_witness_free(q_witness *w);
/* The same, every array overwritten first (zk_free_secret): a private
 * input's or the weights' witness. */
void q_witness_free_secret(q_witness *w);

/* Float input -> integers at the input's f (round half away from zero).
 * ZK_EINPUT for NaN/Inf or |q| >= 2^(b_act-1), naming the element. */
zk_err q_quantize_input(int64_t *out, const q_model *m, const float *x) ZK_WARN_UNUSED;

/* Integer inference. input_q has numel(input) values in [-2^(b_act-1), 2^(b_act-1)).
 * ZK_EINPUT with "value out of the calibrated range at node NAME ..." when
 * an activation leaves the bound. */
zk_err q_run(q_witness **out, const q_model *m, const int64_t *input_q) ZK_WARN_UNUSED;

/* out[i] = y[i] / 2^f_out for the graph output (numel of its shape). */
void q_dequantize_output(float *out, const q_model *m, const q_witness *w);
const int64_t *q_output(const q_model *m, const q_witness *w);
/* The index of the largest of y[0..n), ties to the lowest index (numpy's
 * argmax): the class a class-only output attests (Q_OUT_CLASS). n >= 1. */
int64_t q_argmax(const int64_t *y, int64_t n);
int64_t q_numel(const q_model *m, int32_t tensor);

/* Re-verifies, from the witness values alone, every relation and range of
 * section 3 (and that aux arrays are present exactly where documented).
 * ZK_EPROOF with a reason naming node and element on the first failure. */
zk_err q_witness_check(const q_model *m, const q_witness *w) ZK_WARN_UNUSED;

/* Setup report (JSON): settings, per node op, name, f of inputs/output/
 * constant, shift, bit widths, calibrated range, worst-case accumulator
 * bits, max abs error of the node's output vs float; and, over the ncalib
 * calibration samples, max abs error, mean abs error and argmax agreement
 * (argmax over the last output dimension, per row) of the graph output.
 * Runs both engines on every sample. */
zk_err q_report_json(zk_buf *out, const q_model *m, const nn_graph *g, const float *calib, size_t ncalib)
    ZK_WARN_UNUSED;

#endif
