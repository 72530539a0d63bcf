/* onnx.h -- ONNX import into the network IR of ../nn/nn.h.
 *
 * Models are parsed with protobuf-c from the onnx.proto that Debian's
 * libonnx-dev ships (compiled by protoc-c at build time). The importer
 * evaluates exporter glue on constants, folds what it can, normalizes the
 * rest into the small op set of nn.h and runs shape inference. Every
 * refusal is one line in zk_reason() naming the node and its op, e.g.
 *   node "n7" (LSTM): unsupported operator
 *   node "conv3" (Conv): unsupported attribute value auto_pad=FOO
 *
 * Supported ONNX operators (default domain, opsets 1 to 18):
 *   Conv (1-D and 2-D; strides, pads, dilations, group incl. depthwise,
 *     auto_pad NOTSET/SAME_UPPER/SAME_LOWER/VALID; constant weight/bias),
 *   ConvTranspose (1-D and 2-D; strides, dilations, group, pads,
 *     output_padding, output_shape, auto_pad; constant weight/bias),
 *   Gemm (alpha, beta, transA, transB on constant or computed operands;
 *     C as bias or broadcast add), MatMul (constant right operand [K,N] or
 *     [K] with any left operand; a constant left operand with a computed
 *     right one, and two computed operands, only 2-D),
 *   Relu, LeakyRelu, MaxPool and AveragePool (1-D and 2-D; pads, strides,
 *     dilations, ceil_mode, count_include_pad, auto_pad; no Indices output),
 *   GlobalAveragePool, GlobalMaxPool, BatchNormalization (inference; folded
 *     into a preceding Conv/Gemm/MatMul read by nothing else, else an affine
 *     layer), Add, Sub, Mul (numpy broadcasting, legacy broadcast/axis),
 *   Div (by a constant, or of two integer constants), Sum, Mean, Max, Min
 *     (any number of inputs, numpy broadcasting), ReduceSum, ReduceMean
 *     (axes as attribute or input, keepdims, noop_with_empty_axes),
 *   Flatten, Reshape (0, -1, allowzero), Squeeze, Unsqueeze (reshapes),
 *   Pad (constant mode; pads as attribute or input; axes), Identity,
 *   Dropout (inference, or training_mode with ratio 0),
 *   Transpose, Slice (any steps), Concat (any axis, N inputs), Gather
 *     (constant indices), Resize/Upsample (nearest, integer scales),
 *     DepthToSpace, SpaceToDepth on computed tensors,
 *   Sigmoid, Tanh, Exp, Erf, Gelu (and PyTorch's erf and tanh GELU
 *     chains), Elu, Selu, Softplus, HardSigmoid, HardSwish, Softsign
 *     (table lookups), Clip, PRelu, Softmax and LogSoftmax (any axis; the
 *     opset < 13 flattening semantics before opset 13);
 * on constants only: Constant, Shape (of any tensor: shapes are known),
 *   ConstantOfShape, Cast, and every op above (evaluated at import). Cast
 *   of a computed tensor only to FLOAT. 1-D conv/pool run as 2-D with height 1 between reshapes; 3-D
 *   conv/pool are refused. Anything else, including extra graph outputs and
 *   secondary node outputs that something reads, is refused.
 * Tensor element types read: FLOAT, DOUBLE (rounded to float), INT8,
 * UINT8, INT16, UINT16, INT32, INT64, BOOL (integers kept exact while
 * folding, as int64 without narrow-type wraparound). The graph input must
 * be FLOAT.
 *
 * Bounds on hostile files: protobuf nesting depth, ONNX_MAX_NODES nodes,
 * rank <= NN_MAX_DIMS, fewer than 2^31 elements per tensor, tensor data
 * checked against dims, and constant folding limited to a budget of
 * elements and multiply-accumulates proportional to the file size.
 *
 * Errors: ZK_EFORMAT for bytes that are not a valid protobuf ModelProto or
 * TensorProto, or tensor data inconsistent with its dims; ZK_EINPUT for a
 * well-formed model that is refused (operator, attribute, shape, type).
 */
#ifndef GKRCNN_ONNX_H
#define GKRCNN_ONNX_H

#include "../nn/nn.h"

/* Limits on what a file may ask for. */
#define ONNX_MAX_NODES 10000
#define ONNX_MAX_FILE ((size_t)1 << 31)

/* A named float tensor: a feed into onnx_import, or a tensor read from a
 * .pb file. Whoever fills one owns name and data (free with
 * onnx_feeds_free); onnx_import only reads them. */
typedef struct {
    char *name;
    nn_shape shape;
    float *data; /* nn_numel(&shape) floats; NULL in a shape-only feed */
} onnx_feed;

/* Frees name and data of feeds[0..n) and the array itself; NULL is a no-op. */
void onnx_feeds_free(onnx_feed *feeds, size_t n);

/* Imports the ModelProto in bytes[0..len) into a new graph (*out, freed
 * with nn_graph_free). A feed with data turns the graph input of that name
 * into a constant (ONNX conformance tests pass weights as inputs), of the
 * element type the model declares for it (integers are rounded); a feed
 * without data only fixes the shape of that graph input (e.g. a symbolic
 * batch). Afterwards exactly one non-constant graph input (element type
 * FLOAT, unknown first dim taken as 1) and exactly one graph output must
 * remain, and the output must depend on the input. */
zk_err onnx_import(nn_graph **out, const uint8_t *bytes, size_t len, const onnx_feed *feeds,
                   size_t nfeeds) ZK_WARN_UNUSED;

/* Imports a model whose graph inputs are all fed and evaluates it on
 * constants: *out receives the graph output, its name and data owned by
 * the caller (free(out->name), free(out->data)). Used to check the
 * constant folder against ONNX's conformance data. */
zk_err onnx_eval_const(onnx_feed *out, const uint8_t *bytes, size_t len, const onnx_feed *feeds,
                       size_t nfeeds) ZK_WARN_UNUSED;

/* Decodes a serialized TensorProto (the .pb files of ONNX test data) into
 * a float tensor: *data (nn_numel(shape) floats, at least one allocated)
 * and *name (may be ""), both owned by the caller (free()). */
zk_err onnx_read_tensor(float **data, nn_shape *shape, char **name, const uint8_t *bytes,
                        size_t len) ZK_WARN_UNUSED;

/* ---- ONNX conformance test cases (the layout of onnx/backend/test/data:
 * DIR/model.onnx, DIR/test_data_set_0/{input,output}_K.pb) ---- */

typedef struct {
    uint8_t *model;        /* model.onnx bytes */
    size_t model_len;
    onnx_feed *inputs;     /* input_K.pb in order; an empty name is replaced */
    size_t ninputs;        /*   by the K-th graph input without initializer */
    onnx_feed *outputs;    /* output_K.pb in order */
    size_t noutputs;
    char *data_input;      /* name of the first graph input without
                              initializer: the one left computed */
} onnx_testcase;

/* Reads the test case in directory dir (its first test_data_set). ZK_EIO
 * when a file is missing; the decoders' errors otherwise. On success the
 * caller frees with onnx_testcase_free. */
zk_err onnx_testcase_read(onnx_testcase *tc, const char *dir) ZK_WARN_UNUSED;
void onnx_testcase_free(onnx_testcase *tc);

/* Imports tc's model with every input but data_input fed as a constant
 * (data_input keeps the shape of its .pb tensor). *input points into tc
 * (the data_input tensor's values, not a copy). */
zk_err onnx_testcase_import(nn_graph **g, const float **input, const onnx_testcase *tc) ZK_WARN_UNUSED;

/* One call for the common case: read dir, import, and hand back the graph
 * (nn_graph_free), the input values (free()) and the expected first output
 * (onnx_feeds_free(expected, 1)). */
zk_err onnx_testcase_load(nn_graph **g, float **input, onnx_feed **expected, const char *dir) ZK_WARN_UNUSED;

/* Sorted names of the subdirectories of root that hold a model.onnx;
 * free with onnx_names_free. ZK_EIO if root cannot be listed. */
zk_err onnx_testdir_list(char ***names, size_t *n, const char *root) ZK_WARN_UNUSED;
void onnx_names_free(char **names, size_t n);

#endif
