/* pb.c -- protobuf level of the ONNX importer: a bounded pre-check of the
 * wire format, unpacking, and decoding of TensorProto values. */
#include <string.h>

#include "onnx_int.h"

/* ---- wire-format pre-check ---- */

static int pb_varint(uint64_t *v, const uint8_t *p, size_t len, size_t *pos) {
    uint64_t r = 0;
    for (int i = 0; i < 10; i++) {
        if (*pos >= len) return 0;
        uint8_t b = p[(*pos)++];
        if (i == 9 && b > 1) return 0;
        r |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *v = r;
            return 1;
        }
    }
    return 0;
}

static zk_err pb_walk(const uint8_t *p, size_t len, const ProtobufCMessageDescriptor *d, int depth) {
    if (depth > ONNX_PB_MAX_DEPTH) {
        zk_set_reason("not a valid ONNX model: messages nest deeper than %d", ONNX_PB_MAX_DEPTH);
        return ZK_EFORMAT;
    }
    size_t pos = 0;
    while (pos < len) {
        uint64_t key, v;
        if (!pb_varint(&key, p, len, &pos) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) goto bad;
        switch (key & 7) {
        case 0:
            if (!pb_varint(&v, p, len, &pos)) goto bad;
            break;
        case 1:
            if (len - pos < 8) goto bad;
            pos += 8;
            break;
        case 5:
            if (len - pos < 4) goto bad;
            pos += 4;
            break;
        case 2: {
            if (!pb_varint(&v, p, len, &pos) || v > len - pos) goto bad;
            const ProtobufCFieldDescriptor *f =
                d ? protobuf_c_message_descriptor_get_field(d, (unsigned)(key >> 3)) : NULL;
            if (f && f->type == PROTOBUF_C_TYPE_MESSAGE) {
                zk_err e = pb_walk(p + pos, (size_t)v, f->descriptor, depth + 1);
                if (e) return e;
            }
            pos += (size_t)v;
            break;
        }
        default: goto bad; /* groups (3, 4) and reserved wire types */
        }
    }
    return ZK_OK;
bad:
    zk_set_reason("not a valid ONNX model: malformed protobuf at depth %d", depth);
    return ZK_EFORMAT;
}

zk_err onnx_pb_check(const uint8_t *bytes, size_t len, const ProtobufCMessageDescriptor *d) {
    if (len > ONNX_MAX_FILE) {
        zk_set_reason("file of %zu bytes is too large", len);
        return ZK_EFORMAT;
    }
    return pb_walk(bytes, len, d, 0);
}

zk_err onnx_model_unpack(Onnx__ModelProto **m, const uint8_t *bytes, size_t len) {
    zk_err e = onnx_pb_check(bytes, len, &onnx__model_proto__descriptor);
    if (e) return e;
    *m = onnx__model_proto__unpack(NULL, len, bytes);
    if (!*m) {
        zk_set_reason("not a valid ONNX model");
        return ZK_EFORMAT;
    }
    return ZK_OK;
}

/* ---- TensorProto values ---- */

int64_t onnx_numel0(const nn_shape *s) {
    if (s->ndim < 0 || s->ndim > NN_MAX_DIMS) return -1;
    int64_t n = 1;
    for (int i = 0; i < s->ndim; i++) {
        if (s->d[i] < 0 || s->d[i] > ONNX_MAX_NUMEL) return -1;
        n *= s->d[i];
        if (n > ONNX_MAX_NUMEL) return -1;
    }
    return n;
}

void onnx_value_clear(onnx_value *v) {
    free(v->f);
    free(v->i);
    v->f = NULL;
    v->i = NULL;
}

const char *onnx_dtype_name(int32_t t) {
    static const char *names[] = {"UNDEFINED", "FLOAT",  "UINT8",  "INT8",   "UINT16",    "INT16",
                                  "INT32",     "INT64",  "STRING", "BOOL",   "FLOAT16",   "DOUBLE",
                                  "UINT32",    "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
    return t >= 0 && t < (int32_t)(sizeof names / sizeof names[0]) ? names[t] : "unknown";
}

zk_err onnx_value_decode(onnx_value *v, const Onnx__TensorProto *t, const char *what) {
    memset(v, 0, sizeof *v);
    if (t->has_data_location && t->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL) {
        zk_set_reason("tensor \"%s\": external data is not supported", what);
        return ZK_EINPUT;
    }
    if (t->segment) {
        zk_set_reason("tensor \"%s\": segmented tensors are not supported", what);
        return ZK_EINPUT;
    }
    if (t->n_dims > NN_MAX_DIMS) {
        zk_set_reason("tensor \"%s\": rank %zu is above %d", what, t->n_dims, NN_MAX_DIMS);
        return ZK_EINPUT;
    }
    v->shape.ndim = (int)t->n_dims;
    for (size_t k = 0; k < t->n_dims; k++) v->shape.d[k] = t->dims[k];
    int64_t n = onnx_numel0(&v->shape);
    if (n < 0) {
        zk_set_reason("tensor \"%s\": invalid dims", what);
        return ZK_EFORMAT;
    }
    int32_t dt = t->has_data_type ? t->data_type : 0;
    size_t esz;
    int is_float = 0;
    switch (dt) {
    case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: esz = 4, is_float = 1; break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: esz = 8, is_float = 1; break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: esz = 8; break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: esz = 4; break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT16:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT16: esz = 2; break;
    case ONNX__TENSOR_PROTO__DATA_TYPE__INT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__UINT8:
    case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: esz = 1; break;
    default:
        zk_set_reason("tensor \"%s\": element type %s is not supported", what, onnx_dtype_name(dt));
        return ZK_EINPUT;
    }
    size_t cnt = (size_t)n;
    /* the count of values present in whichever field holds them */
    size_t have;
    const uint8_t *raw = NULL;
    if (t->has_raw_data && (t->raw_data.len > 0 || cnt == 0)) {
        raw = t->raw_data.data;
        have = t->raw_data.len % esz ? (size_t)-1 : t->raw_data.len / esz;
    } else if (dt == ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT) have = t->n_float_data;
    else if (dt == ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE) have = t->n_double_data;
    else if (dt == ONNX__TENSOR_PROTO__DATA_TYPE__INT64) have = t->n_int64_data;
    else have = t->n_int32_data;
    if (have != cnt) {
        zk_set_reason("tensor \"%s\": holds %zu values of type %s, dims say %zu", what,
                      have == (size_t)-1 ? (size_t)0 : have, onnx_dtype_name(dt), cnt);
        return ZK_EFORMAT;
    }
    if (is_float) v->f = zk_malloc_n(cnt, sizeof(float));
    else v->i = zk_malloc_n(cnt, sizeof(int64_t));
    for (size_t k = 0; k < cnt; k++) {
        if (raw) {
            const uint8_t *q = raw + k * esz;
            uint64_t u = 0;
            for (size_t b = 0; b < esz; b++) u |= (uint64_t)q[b] << (8 * b);
            switch (dt) {
            case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: {
                uint32_t w = (uint32_t)u;
                memcpy(&v->f[k], &w, 4);
                break;
            }
            case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: {
                double dv;
                memcpy(&dv, &u, 8);
                v->f[k] = (float)dv;
                break;
            }
            case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: v->i[k] = (int64_t)u; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__INT32: v->i[k] = (int32_t)(uint32_t)u; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__INT16: v->i[k] = (int16_t)(uint16_t)u; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__INT8: v->i[k] = (int8_t)(uint8_t)u; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: v->i[k] = u != 0; break;
            default: v->i[k] = (int64_t)u; break; /* UINT8, UINT16 */
            }
        } else {
            switch (dt) {
            case ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT: v->f[k] = t->float_data[k]; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__DOUBLE: v->f[k] = (float)t->double_data[k]; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__INT64: v->i[k] = t->int64_data[k]; break;
            case ONNX__TENSOR_PROTO__DATA_TYPE__BOOL: v->i[k] = t->int32_data[k] != 0; break;
            default: v->i[k] = t->int32_data[k]; break;
            }
        }
    }
    return ZK_OK;
}

zk_err onnx_read_tensor(float **data, nn_shape *shape, char **name, const uint8_t *bytes, size_t len) {
    zk_err e = onnx_pb_check(bytes, len, &onnx__tensor_proto__descriptor);
    if (e) return e;
    Onnx__TensorProto *t = onnx__tensor_proto__unpack(NULL, len, bytes);
    if (!t) {
        zk_set_reason("not a valid ONNX tensor");
        return ZK_EFORMAT;
    }
    onnx_value v;
    const char *nm = t->name ? t->name : "";
    e = onnx_value_decode(&v, t, nm);
    if (!e) {
        int64_t n = onnx_numel0(&v.shape);
        if (v.i) {
            v.f = zk_malloc_n((size_t)n, sizeof(float));
            for (int64_t k = 0; k < n; k++) v.f[k] = (float)v.i[k];
            free(v.i);
            v.i = NULL;
        }
        *data = v.f;
        *shape = v.shape;
        *name = strdup(nm);
        ZK_CHECK(*name != NULL);
    }
    onnx__tensor_proto__free_unpacked(t, NULL);
    return e;
}

void onnx_feeds_free(onnx_feed *feeds, size_t n) {
    if (!feeds) return;
    for (size_t k = 0; k < n; k++) {
        free(feeds[k].name);
        free(feeds[k].data);
    }
    free(feeds);
}
