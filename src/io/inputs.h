/* inputs.h -- model inputs and calibration sets from files (in_).
 *
 * A "spec" names the data:
 *   FILE.json             EZKL-style JSON, {"input_data": [[...], ...]} or
 *                         {"input_data": {"File": [[...], ...]}}
 *   FILE.pb               an ONNX TensorProto (onnx_read_tensor)
 *   FILE.h5:/grp/ds       an HDF5 dataset (float32 or float64 only)
 *   FILE.h5:/grp/ds[i:j]  samples i..j-1 of it (i or j may be omitted)
 * Files without one of these extensions are recognized by content (HDF5
 * signature, a leading '{', else TensorProto).
 *
 * Samples. Every sample has `numel` floats (the model input's element
 * count), row-major, concatenated in *out:
 *   JSON   each element of input_data (a "record": a list, nested lists
 *          allowed and flattened row-major) holds a whole number (>= 1) of
 *          samples; EZKL puts one record per model input, so a batch of k
 *          samples is one record of k*numel values, and a list of records
 *          of numel values each is a calibration set. Other top-level keys
 *          are parsed (strictly) and ignored.
 *   .pb/HDF5  a tensor of exactly numel elements is one sample; otherwise
 *          its first dimension counts samples and the remaining dimensions
 *          must hold numel elements (the [i:j] slice applies to it).
 * NaN or Inf, a value beyond float range, a wrong element count, a
 * non-number, an integer HDF5 dataset, and malformed bytes are each a
 * one-line error (ZK_EINPUT for content, ZK_EFORMAT for syntax, ZK_EIO for
 * unreadable files) in zk_reason().
 *
 * JSON parser: strict RFC 8259 syntax (no NaN/Infinity tokens, no
 * trailing commas, no comments, whitespace = space/tab/CR/LF), nesting at
 * most IN_JSON_MAX_DEPTH, at most IN_MAX_VALUES numbers, number tokens at
 * most 400 characters; strings are checked (escapes, no raw control
 * characters) but not UTF-8 validated.
 */
#ifndef GKRCNN_INPUTS_H
#define GKRCNN_INPUTS_H

#include "../core/zk.h"

#define IN_JSON_MAX_DEPTH 64
#define IN_MAX_VALUES ((size_t)1 << 28)
#define IN_MAX_FILE ((size_t)1 << 31)

/* Loads every sample of spec: *out (nsamples * numel floats, caller frees)
 * and *nsamples (>= 1). numel >= 1. */
zk_err in_load(float **out, size_t *nsamples, const char *spec, size_t numel) ZK_WARN_UNUSED;

/* As in_load, but exactly one sample is required. */
zk_err in_load_one(float **out, const char *spec, size_t numel) ZK_WARN_UNUSED;

/* The JSON decoder on bytes in memory (same result as in_load on a file
 * holding them). */
zk_err in_parse_json(float **out, size_t *nsamples, const uint8_t *data, size_t len, size_t numel) ZK_WARN_UNUSED;

#endif
