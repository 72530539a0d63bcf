/* onnx_int.h -- internals shared by the files of src/onnx (not installed). */
#ifndef GKRCNN_ONNX_INT_H
#define GKRCNN_ONNX_INT_H

#include "onnx.h"
#include "onnx.pb-c.h"

/* Nesting depth of protobuf messages accepted before unpacking (protobuf-c
 * recurses without a limit). ONNX models nest a handful of levels. */
#define ONNX_PB_MAX_DEPTH 24
/* Elements any one tensor may hold (dims may be 0 in constants). */
#define ONNX_MAX_NUMEL (((int64_t)1 << 31) - 1)

/* Walks the protobuf wire format of bytes as message d: every field is
 * well formed, lengths lie inside their parent, no groups, and sub-messages
 * nest at most ONNX_PB_MAX_DEPTH deep. ZK_EFORMAT with a reason otherwise. */
zk_err onnx_pb_check(const uint8_t *bytes, size_t len, const ProtobufCMessageDescriptor *d) ZK_WARN_UNUSED;

/* onnx_pb_check, then protobuf-c unpack; NULL result -> ZK_EFORMAT
 * "not a valid ONNX model". Free with onnx__model_proto__free_unpacked. */
zk_err onnx_model_unpack(Onnx__ModelProto **m, const uint8_t *bytes, size_t len) ZK_WARN_UNUSED;

/* A decoded constant: float values (f) or integer values (i), never both. */
typedef struct {
    nn_shape shape; /* dims >= 0 */
    float *f;
    int64_t *i;
} onnx_value;

/* Decodes a TensorProto (typed fields or little-endian raw_data). what
 * names it in messages. ZK_EFORMAT if the data disagrees with the dims,
 * ZK_EINPUT for an unsupported type, rank or external data. */
zk_err onnx_value_decode(onnx_value *v, const Onnx__TensorProto *t, const char *what) ZK_WARN_UNUSED;
void onnx_value_clear(onnx_value *v);

/* Name of a TensorProto element type ("FLOAT", "INT64", ...). */
const char *onnx_dtype_name(int32_t t);

/* Element count of a constant's shape (dims may be 0), or -1 if over
 * ONNX_MAX_NUMEL or malformed. */
int64_t onnx_numel0(const nn_shape *s);

#endif
