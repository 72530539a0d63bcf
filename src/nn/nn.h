/* nn.h -- the network IR shared by the ONNX importer (src/onnx), the float
 * reference engine (nn_run_float, src/nn) and the quantizer (src/quant).
 *
 * A graph is a topologically sorted list of nodes over tensors. Tensors
 * are float32, row-major, NCHW for images. A tensor is either the single
 * graph input, a constant (data != NULL: weights, biases, folded glue), or
 * the output of exactly one node. Exactly one tensor is the graph output.
 *
 * The importer normalizes ONNX into this small op set:
 *   - Gemm/MatMul with a constant right operand become NN_FC
 *     (y[n][m] = sum_k x[n][k] W[m][k] + b[m]; alpha, beta, transA/transB
 *     folded into W and b);
 *   - BatchNormalization is folded into the preceding Conv/FC when that
 *     node's output has no other consumer, else it becomes NN_AFFINE
 *     (y = x * scale[c] + shift[c] per channel c = dim 1);
 *   - Flatten/Reshape become NN_RESHAPE; Identity and Dropout vanish;
 *   - auto_pad is resolved into explicit pads; 1-D conv/pool are 2-D with
 *     height 1;
 *   - exporter glue on constants (Constant, Shape, Gather, Unsqueeze,
 *     Concat, ConstantOfShape, Slice, Transpose, Cast) is evaluated at
 *     import and leaves constants behind;
 *   - on computed tensors, Transpose, Slice and Resize/Upsample (nearest,
 *     integer scales) become the wiring ops NN_TRANSPOSE, NN_SLICE and
 *     NN_RESIZE (y[o] = x[src(o)], nn_wire_src); DepthToSpace and
 *     SpaceToDepth become Reshape, a 6-D NN_TRANSPOSE, Reshape (ONNX's own
 *     definition); Gather with constant indices becomes one NN_SLICE per
 *     run of evenly spaced indices, joined by NN_CONCAT, then a Reshape;
 *     Concat of N inputs becomes a chain of N - 1 binary NN_CONCAT nodes;
 *   - Gemm with transA (transB) on a computed operand transposes it first
 *     (NN_TRANSPOSE); a 2-D product of a constant A and a computed B is
 *     (B^T A^T)^T: NN_TRANSPOSE, NN_FC with weights A, NN_TRANSPOSE;
 *   - ops with no node kind of their own are written with the ones here
 *     (src/onnx/import.c, "ops lowered onto the nn op set"): Div by a
 *     constant is NN_MUL by its reciprocal; Sum of N inputs a chain of
 *     NN_ADDs (constants added first), Mean the same then NN_MUL by 1/N;
 *     Max of N inputs views each (broadcast by NN_RESHAPE and NN_RESIZE) as
 *     a column [1, n, 1], joins them with NN_CONCAT on axis 2 and takes
 *     NN_GLOBALMAXPOOL; Min(a, ..) = -Max(-a, ..) with -t = NN_SUB(0, t);
 *     ReduceSum moves the reduced axes last (NN_TRANSPOSE) and is NN_FC
 *     with weights 1 over them, ReduceMean NN_GLOBALAVGPOOL over them;
 *     ConvTranspose is NN_CONV (kernel flipped, channel axes exchanged per
 *     group, stride 1) over the input spread to its stride by a 6-D
 *     NN_PAD of zeros between reshapes, bordered by the Conv's pads or
 *     cropped by NN_PAD.
 *   - Sigmoid, Tanh, Exp, Erf, Gelu, Elu, Selu, Softplus, HardSigmoid,
 *     HardSwish, Softsign become the element-wise ops of nn_lut_eval
 *     (ONNX's defaults); PyTorch's pre-opset-20 GELU chains (x/sqrt2 ->
 *     Erf -> +1 -> *x -> *0.5, and the tanh form) become one NN_GELU;
 *     Clip (bounds as attributes or constant inputs) and PRelu (a constant
 *     slope; before opset 7 a 1-D slope is per channel) keep their names;
 *   - Softmax and LogSoftmax keep theirs, their axis turned into groups
 *     (nn_group_cell: one axis from opset 13, the 2-D view before).
 * Anything else is refused with a one-line reason naming node and op.
 */
#ifndef GKRCNN_NN_H
#define GKRCNN_NN_H

#include "../core/zk.h"

#define NN_MAX_DIMS 6

typedef struct {
    int ndim;
    int64_t d[NN_MAX_DIMS];
} nn_shape;

typedef struct {
    char *name;     /* owned; ONNX value name */
    nn_shape shape;
    float *data;    /* owned; non-NULL for constants */
} nn_tensor;

typedef enum {
    NN_CONV = 1,     /* in: X[N,C,H,W], W[M,C/group,kh,kw] (const), optional B[M] (const) */
    NN_FC,           /* in: X[N,K] (or [K]), W[M,K] (const), optional B[M] (const) -> [N,M] */
    NN_MATMUL,       /* in: A[N,K], B[K,M], both computed tensors -> [N,M] */
    NN_RELU,
    NN_LEAKYRELU,    /* attr alpha */
    NN_MAXPOOL,      /* attrs kernel, strides, pads, dilations, ceil_mode */
    NN_AVGPOOL,      /* attrs kernel, strides, pads, dilations, ceil_mode, count_include_pad */
    NN_GLOBALAVGPOOL,
    NN_GLOBALMAXPOOL,
    NN_AFFINE,       /* in: X, scale[C] (const), shift[C] (const); per channel (dim 1) */
    NN_ADD,          /* numpy broadcasting; either input may be a constant */
    NN_SUB,
    NN_MUL,
    NN_RESHAPE,      /* output shape in the output tensor; element order unchanged */
    NN_PAD,          /* constant mode: iattr = begins[ndim], ends[ndim]; pad_value;
                        a negative pad crops, as in ONNX */
    NN_TRANSPOSE,    /* iattr = perm[ndim]: Y_d = X_{perm[d]}, y(.., y_d, ..) = x at x_{perm[d]} = y_d */
    NN_SLICE,        /* iattr = start[ndim], step[ndim]; output shape in the output
                        tensor: y_d reads x_d = start_d + y_d step_d (any integer step,
                        0 repeats a cell; an axis of output length 1 has step 1) */
    NN_RESIZE,       /* nearest, integer scales: iattr = s[ndim] (>= 1), off[ndim]
                        (|off_d| < s_d): y_d reads x_d = clamp(floor((y_d + off_d) / s_d),
                        0, X_d - 1); Y_d = s_d X_d */
    NN_CONCAT,       /* two inputs of equal rank (either may be a constant) joined
                        along axis iattr[0] */
    /* Element-wise functions of one computed input, y = f(x) with f =
     * nn_lut_eval (quantized and proved by table lookup: nn_is_lut). */
    NN_SIGMOID,      /* 1 / (1 + e^-x) */
    NN_TANH,
    NN_EXP,
    NN_ERF,
    NN_GELU,         /* iattr[0] = 0: x/2 (1 + erf(x / sqrt 2)); 1: the tanh form
                        x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) */
    NN_ELU,          /* alpha: x >= 0 ? x : alpha (e^x - 1) */
    NN_SELU,         /* alpha, gamma: gamma (x > 0 ? x : alpha (e^x - 1)) */
    NN_SOFTPLUS,     /* ln(1 + e^x) */
    NN_HARDSIGMOID,  /* alpha, beta: max(0, min(1, alpha x + beta)) */
    NN_HARDSWISH,    /* x max(0, min(1, x / 6 + 1 / 2)) */
    NN_SOFTSIGN,     /* x / (1 + |x|) */
    NN_CLIP,         /* beta = min, gamma = max (-inf / +inf when absent):
                        min(max(x, min), max); proved by comparisons */
    NN_PRELU,        /* in: X, slope (a constant unidirectionally broadcastable to
                        X): x < 0 ? slope x : x */
    NN_SOFTMAX,      /* over groups of iattr[0] = n cells at stride iattr[1] = inner
                        (nn_group_cell): y = e^(x - max) / sum e^(x - max) */
    NN_LOGSOFTMAX,   /* the same groups: y = x - max - ln sum e^(x - max) */
} nn_op;

/* Entries of the per-op integer attributes (nn_attrs.iattr, q_node.iattr). */
#define NN_IATTR (2 * NN_MAX_DIMS)

typedef struct {
    int64_t kernel[2];
    int64_t strides[2];
    int64_t pads[4];      /* top, left, bottom, right (ONNX: x1_begin, x2_begin, x1_end, x2_end) */
    int64_t dilations[2];
    int64_t group;
    int ceil_mode;
    int count_include_pad;
    float alpha;          /* LeakyRelu, Elu, Selu, HardSigmoid */
    float beta, gamma;    /* HardSigmoid beta; Selu gamma; Clip min (beta) and max (gamma) */
    int64_t iattr[NN_IATTR]; /* per-op integer attributes (NN_PAD, NN_TRANSPOSE, NN_SLICE,
                                NN_RESIZE, NN_CONCAT; see nn_op); unused entries 0 */
    float pad_value;
} nn_attrs;

typedef struct {
    nn_op op;
    char *name;      /* owned; ONNX node name (or "#index" if unnamed) */
    int nin;
    int in[3];       /* tensor indices */
    int out;         /* tensor index */
    nn_attrs a;
} nn_node;

typedef struct {
    nn_tensor *tensors;
    size_t ntensors;
    nn_node *nodes;
    size_t nnodes;
    int input;       /* tensor index of the graph input */
    int output;      /* tensor index of the graph output */
} nn_graph;

void nn_graph_free(nn_graph *g);
/* Product of the dims (1 for ndim 0); -1 if ndim is out of range, a dim
 * is negative or the product overflows. */
int64_t nn_numel(const nn_shape *s);
const char *nn_op_name(nn_op op);

/* The shape node n computes from its inputs' shapes and attributes (for
 * NN_RESHAPE and NN_SLICE: the output tensor's recorded shape, once its
 * element count, or every slice's cells, are checked). ZK_EINPUT, with a one-line reason naming the node, when the
 * inputs or attributes are inconsistent. Used by the importer to build
 * shapes and by nn_graph_check to verify them. */
zk_err nn_infer_shape(nn_shape *out, const nn_graph *g, const nn_node *n) ZK_WARN_UNUSED;

/* Work of node n in nn_run_float: multiply-accumulates for Conv, FC and
 * MatMul, window taps for pools, elements otherwise; saturates at
 * INT64_MAX. Shapes must have passed nn_infer_shape. */
int64_t nn_node_macs(const nn_graph *g, const nn_node *n);

/* Checks a whole graph: indices in range, nodes in topological order, one
 * producer per computed tensor, constant operands where the op needs them,
 * every shape valid (dims >= 1, fewer than 2^31 elements) and equal to
 * nn_infer_shape. ZK_EINPUT with a one-line reason otherwise. nn_run_float
 * calls it first. */
zk_err nn_graph_check(const nn_graph *g) ZK_WARN_UNUSED;

/* Float reference inference (src/nn/nn.c). values[t] receives a freshly
 * allocated array for every non-constant tensor t (the caller frees with
 * nn_values_free); values[t] is NULL for constants; input has
 * nn_numel(input shape) floats. Semantics are ONNX's; sums accumulate in
 * double. Pools: padding cells never win a max; an average divides by the
 * number of taps inside the input, or with count_include_pad by the taps
 * inside the padded input (ceil_mode overhang excluded, as PyTorch); a
 * window with no tap inside the input gives 0. */
zk_err nn_run_float(float ***values, const nn_graph *g, const float *input) ZK_WARN_UNUSED;
void nn_values_free(float **values, const nn_graph *g);

/* The wiring ops (NN_PAD, NN_TRANSPOSE, NN_SLICE, NN_RESIZE): the
 * row-major offset in x (shape X) that output element o (shape Y) copies,
 * or -1 for a cell of a Pad outside x (it holds the pad value). ia: the
 * node's iattr. The float engine, the integer engine (q_wire_src) and both
 * circuits read the cells through this one function; attributes and
 * shapes must have passed nn_infer_shape (or q_model_validate). */
int nn_is_wire(nn_op op);
int64_t nn_wire_src(nn_op op, const int64_t *ia, const nn_shape *X, const nn_shape *Y, int64_t o);

/* NN_CONCAT along axis of operands of shapes A and B into Y: returns
 * which operand (0 or 1) output element o comes from and sets *off to its
 * row-major offset there. */
int nn_concat_src(int64_t axis, const nn_shape *A, const nn_shape *B, const nn_shape *Y, int64_t o, int64_t *off);

/* The element-wise functions NN_SIGMOID .. NN_SOFTSIGN (nn_is_lut): the
 * quantizer proves them by a lookup in a table of (x, f(x)) pairs, and this
 * one function computes f for the float engine, the table (q_lut_table)
 * and the error bounds. par: the NN_LUT_NPAR parameters of the node
 * (nn_lut_params: alpha, beta, gamma, GELU's tanh flag; 0 where unused), in
 * double. The result may be +-inf (e^x for large x); never NaN for finite
 * x. */
#define NN_LUT_NPAR 3
int nn_is_lut(nn_op op);
void nn_lut_params(nn_op op, const nn_attrs *a, double par[NN_LUT_NPAR]);
double nn_lut_eval(nn_op op, const double *par, double x);

/* NN_SOFTMAX, NN_LOGSOFTMAX reduce groups of n cells at stride inner (ia =
 * the node's iattr: n, inner): group g < numel / n (g = outer * inner +
 * in) holds the cells (outer n + j) inner + in, j < n. ONNX's axis a gives
 * n = X_a, inner = the product of the dims after a (opset 13 on), or
 * n = the product from a on, inner = 1 (before: the input as 2-D).
 * nn_group_cell: the offset of cell j of group g; nn_group_of: the group of
 * offset o (and *j its place there). */
int64_t nn_group_cell(const int64_t *ia, int64_t g, int64_t j);
int64_t nn_group_of(const int64_t *ia, int64_t o, int64_t *j);

#endif
