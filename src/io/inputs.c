/* inputs.c -- model inputs and calibration sets: a strict EZKL-JSON
 * decoder, ONNX TensorProto files and HDF5 datasets (see inputs.h). */
#include "inputs.h"

#include <float.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "../onnx/onnx.h"

/* ------------------------------------------------------------------ JSON */

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    float *v;         /* numbers of input_data, in order */
    size_t n, cap;
    zk_err err;       /* first error; later calls are no-ops */
} in_json;

/* Records the first error with its line and column. */
static void in_jfail(in_json *j, zk_err e, const char *what) {
    if (j->err) return;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < j->pos && i < j->len; i++) {
        if (j->p[i] == '\n') line++, col = 1;
        else col++;
    }
    zk_set_reason("JSON line %zu column %zu: %s", line, col, what);
    j->err = e;
}

static void in_ws(in_json *j) {
    while (j->pos < j->len) {
        uint8_t c = j->p[j->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        j->pos++;
    }
}

static int in_peek(in_json *j) {
    in_ws(j);
    return j->pos < j->len ? j->p[j->pos] : -1;
}

static int in_eat(in_json *j, int c) {
    if (in_peek(j) == c) {
        j->pos++;
        return 1;
    }
    return 0;
}

static int in_hex(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string at pos (after whitespace). Its decoded bytes go to key (up to
 * cap - 1, NUL-terminated); *fits = 0 when they did not fit. */
static void in_string(in_json *j, char *key, size_t cap, int *fits) {
    size_t k = 0;
    *fits = 1;
    if (!in_eat(j, '"')) {
        in_jfail(j, ZK_EFORMAT, "expected a string");
        return;
    }
    for (;;) {
        if (j->pos >= j->len) {
            in_jfail(j, ZK_EFORMAT, "unterminated string");
            return;
        }
        uint8_t c = j->p[j->pos++];
        uint32_t cp = c;
        if (c == '"') break;
        if (c < 0x20) {
            j->pos--;
            in_jfail(j, ZK_EFORMAT, "control character in a string");
            return;
        }
        if (c == '\\') {
            if (j->pos >= j->len) {
                in_jfail(j, ZK_EFORMAT, "unterminated string");
                return;
            }
            uint8_t e = j->p[j->pos++];
            switch (e) {
            case '"': case '\\': case '/': cp = e; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u': {
                cp = 0;
                for (int i = 0; i < 4; i++) {
                    int h = j->pos < j->len ? in_hex(j->p[j->pos]) : -1;
                    if (h < 0) {
                        in_jfail(j, ZK_EFORMAT, "bad \\u escape");
                        return;
                    }
                    cp = cp << 4 | (uint32_t)h;
                    j->pos++;
                }
                break;
            }
            default:
                j->pos--;
                in_jfail(j, ZK_EFORMAT, "bad escape in a string");
                return;
            }
        }
        /* keys are compared byte-wise; \u escapes are stored as UTF-8 */
        uint8_t enc[3];
        size_t ne;
        if (cp < 0x80 || c != '\\') enc[0] = (uint8_t)cp, ne = 1;
        else if (cp < 0x800) enc[0] = (uint8_t)(0xC0 | cp >> 6), enc[1] = (uint8_t)(0x80 | (cp & 63)), ne = 2;
        else
            enc[0] = (uint8_t)(0xE0 | cp >> 12), enc[1] = (uint8_t)(0x80 | ((cp >> 6) & 63)),
            enc[2] = (uint8_t)(0x80 | (cp & 63)), ne = 3;
        for (size_t i = 0; i < ne; i++) {
            if (k + 1 < cap) key[k++] = (char)enc[i];
            else *fits = 0;
        }
    }
    if (cap) key[k] = 0;
}

/* A number token at pos: strict JSON grammar, then strtod. */
static double in_number(in_json *j) {
    size_t s = j->pos, i = s;
    const uint8_t *p = j->p;
    size_t n = j->len;
#define DIG(x) ((x) < n && p[x] >= '0' && p[x] <= '9')
    if (i < n && p[i] == '-') i++;
    if (i < n && (p[i] == 'I' || p[i] == 'N')) {
        in_jfail(j, ZK_EINPUT, "NaN/Infinity is not a valid input value");
        return 0;
    }
    if (!DIG(i)) {
        in_jfail(j, ZK_EFORMAT, "bad number");
        return 0;
    }
    if (p[i] == '0') i++;
    else
        while (DIG(i)) i++;
    if (i < n && p[i] == '.') {
        i++;
        if (!DIG(i)) {
            j->pos = i;
            in_jfail(j, ZK_EFORMAT, "digit expected after '.'");
            return 0;
        }
        while (DIG(i)) i++;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-')) i++;
        if (!DIG(i)) {
            j->pos = i;
            in_jfail(j, ZK_EFORMAT, "digit expected in exponent");
            return 0;
        }
        while (DIG(i)) i++;
    }
#undef DIG
    if (i - s > 400) {
        in_jfail(j, ZK_EFORMAT, "number token longer than 400 characters");
        return 0;
    }
    char buf[404];
    memcpy(buf, p + s, i - s);
    buf[i - s] = 0;
    double v = strtod(buf, NULL);
    if (!isfinite(v) || fabs(v) > FLT_MAX) {
        in_jfail(j, ZK_EINPUT, "number beyond the float range");
        return 0;
    }
    j->pos = i;
    return v;
}

static int in_literal(in_json *j, const char *lit) {
    size_t n = strlen(lit);
    if (j->len - j->pos >= n && memcmp(j->p + j->pos, lit, n) == 0) {
        j->pos += n;
        return 1;
    }
    return 0;
}

/* Any value, checked and discarded. level: the nesting level a container
 * here would have (the top-level object is level 1). */
static void in_skip(in_json *j, int level) {
    int c = in_peek(j);
    if (j->err) return;
    if (c == '{' || c == '[') {
        if (level > IN_JSON_MAX_DEPTH) {
            in_jfail(j, ZK_EFORMAT, "nesting deeper than 64");
            return;
        }
        int close = c == '{' ? '}' : ']';
        j->pos++;
        if (in_eat(j, close)) return;
        do {
            if (c == '{') {
                int fits;
                char dummy[1];
                in_string(j, dummy, sizeof dummy, &fits);
                if (!j->err && !in_eat(j, ':')) in_jfail(j, ZK_EFORMAT, "expected ':'");
            }
            in_skip(j, level + 1);
        } while (!j->err && in_eat(j, ','));
        if (!j->err && !in_eat(j, close)) in_jfail(j, ZK_EFORMAT, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    } else if (c == '"') {
        int fits;
        char dummy[1];
        in_string(j, dummy, sizeof dummy, &fits);
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') {
        (void)in_number(j);
    } else if (!(in_literal(j, "true") || in_literal(j, "false") || in_literal(j, "null"))) {
        in_jfail(j, ZK_EFORMAT, c < 0 ? "unexpected end of input" : "unexpected character");
    }
}

static void in_push(in_json *j, double v) {
    if (j->n == IN_MAX_VALUES) {
        in_jfail(j, ZK_ENOMEM, "more than 2^28 numbers");
        return;
    }
    if (j->n == j->cap) {
        j->cap = j->cap ? 2 * j->cap : 1024;
        j->v = zk_realloc_n(j->v, j->cap, sizeof *j->v);
    }
    j->v[j->n++] = (float)v;
}

/* A record: a number, or a list of records (flattened). */
static void in_record(in_json *j, int level) {
    int c = in_peek(j);
    if (j->err) return;
    if (c == '[') {
        if (level > IN_JSON_MAX_DEPTH) {
            in_jfail(j, ZK_EFORMAT, "nesting deeper than 64");
            return;
        }
        j->pos++;
        if (in_eat(j, ']')) return;
        do in_record(j, level + 1);
        while (!j->err && in_eat(j, ','));
        if (!j->err && !in_eat(j, ']')) in_jfail(j, ZK_EFORMAT, "expected ',' or ']'");
    } else if (c == '-' || (c >= '0' && c <= '9') || c == 'N' || c == 'I') {
        double v = in_number(j);
        if (!j->err) in_push(j, v);
    } else if (c == '"' || c == '{' || c == 't' || c == 'f' || c == 'n') {
        in_jfail(j, ZK_EINPUT, "input_data holds something that is not a number");
    } else {
        in_jfail(j, ZK_EFORMAT, c < 0 ? "unexpected end of input" : "unexpected character");
    }
}

/* input_data: [record, ...] or {"File": [record, ...]} */
static void in_input_data(in_json *j, size_t numel, int level) {
    int c = in_peek(j);
    if ((c == '{' || c == '[') && level > IN_JSON_MAX_DEPTH) {
        in_jfail(j, ZK_EFORMAT, "nesting deeper than 64");
        return;
    }
    if (c == '{') {
        j->pos++;
        int fits;
        char key[16];
        in_string(j, key, sizeof key, &fits);
        if (j->err) return;
        if (!fits || strcmp(key, "File") != 0) {
            in_jfail(j, ZK_EINPUT, "input_data source is not \"File\" (only file data is supported)");
            return;
        }
        if (!in_eat(j, ':')) {
            in_jfail(j, ZK_EFORMAT, "expected ':'");
            return;
        }
        in_input_data(j, numel, level + 1);
        if (!j->err && !in_eat(j, '}')) in_jfail(j, ZK_EFORMAT, "input_data object must hold only \"File\"");
        return;
    }
    if (c != '[') {
        in_jfail(j, ZK_EINPUT, "input_data must be a list of lists of numbers");
        return;
    }
    j->pos++;
    if (in_eat(j, ']')) {
        in_jfail(j, ZK_EINPUT, "input_data is empty");
        return;
    }
    size_t rec = 0;
    do {
        if (in_peek(j) != '[') {
            in_jfail(j, ZK_EINPUT, "input_data must be a list of lists of numbers");
            return;
        }
        size_t before = j->n;
        in_record(j, level + 1);
        if (j->err) return;
        size_t got = j->n - before;
        if (got == 0 || got % numel != 0) {
            char why[160];
            snprintf(why, sizeof why, "input_data[%zu] has %zu values, not a positive multiple of the input's %zu", rec,
                     got, numel);
            in_jfail(j, ZK_EINPUT, why);
            return;
        }
        rec++;
    } while (in_eat(j, ','));
    if (!in_eat(j, ']')) in_jfail(j, ZK_EFORMAT, "expected ',' or ']'");
}

zk_err in_parse_json(float **out, size_t *nsamples, const uint8_t *data, size_t len, size_t numel) {
    ZK_CHECK(numel >= 1);
    in_json j = {.p = data, .len = len};
    int seen = 0;
    if (!in_eat(&j, '{')) {
        in_jfail(&j, ZK_EFORMAT, "expected a JSON object {\"input_data\": ...}");
        goto done;
    }
    if (in_eat(&j, '}')) {
        in_jfail(&j, ZK_EINPUT, "no \"input_data\" key");
        goto done;
    }
    do {
        int fits;
        char key[16];
        in_string(&j, key, sizeof key, &fits);
        if (!j.err && !in_eat(&j, ':')) in_jfail(&j, ZK_EFORMAT, "expected ':'");
        if (j.err) break;
        if (fits && strcmp(key, "input_data") == 0) {
            if (seen++) {
                in_jfail(&j, ZK_EINPUT, "duplicate \"input_data\" key");
                break;
            }
            in_input_data(&j, numel, 2);
        } else {
            in_skip(&j, 2);
        }
    } while (!j.err && in_eat(&j, ','));
    if (!j.err && !in_eat(&j, '}')) in_jfail(&j, ZK_EFORMAT, "expected ',' or '}'");
    if (!j.err && in_peek(&j) >= 0) in_jfail(&j, ZK_EFORMAT, "trailing characters after the JSON object");
    if (!j.err && !seen) {
        j.pos = 0;
        in_jfail(&j, ZK_EINPUT, "no \"input_data\" key");
    }
done:
    if (j.err) {
        free(j.v);
        return j.err;
    }
    *out = j.v;
    *nsamples = j.n / numel;
    return ZK_OK;
}

/* ---------------------------------------------------------------- tensors */

/* Samples in a tensor of the given dims (see inputs.h). Slice [lo, hi) of
 * the sample axis when has_slice. */
static zk_err in_samples(size_t *first, size_t *count, const int64_t *dims, int rank, size_t numel, int has_slice,
                         int64_t lo, int64_t hi, const char *what) {
    int64_t total = 1, rest = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0 || (dims[i] && total > INT64_MAX / dims[i])) goto shape;
        total *= dims[i];
        if (i >= 1) rest *= dims[i];
    }
    int64_t ns;
    if (rank >= 1 && rest == (int64_t)numel) {
        ns = dims[0];
    } else if (total == (int64_t)numel && !has_slice) {
        ns = 1;
    } else {
        goto shape;
    }
    if (!has_slice) lo = 0, hi = ns;
    if (hi < 0) hi = ns;
    if (lo < 0 || lo > hi || hi > ns) {
        zk_set_reason("%s: slice [%lld:%lld] is outside its %lld samples", what, (long long)lo, (long long)hi,
                      (long long)ns);
        return ZK_EINPUT;
    }
    if (hi == lo) {
        zk_set_reason("%s: no samples selected", what);
        return ZK_EINPUT;
    }
    if ((uint64_t)(hi - lo) > IN_MAX_VALUES / numel) {
        zk_set_reason("%s: more than 2^28 values", what);
        return ZK_EINPUT;
    }
    *first = (size_t)lo;
    *count = (size_t)(hi - lo);
    return ZK_OK;
shape : {
    char sh[128];
    size_t k = 0;
    sh[0] = 0;
    for (int i = 0; i < rank && k < sizeof sh - 24; i++)
        k += (size_t)snprintf(sh + k, sizeof sh - k, i ? ",%lld" : "%lld", (long long)dims[i]);
    zk_set_reason("%s: shape [%s] does not hold samples of %zu elements (the model input)%s", what, sh, numel,
                  has_slice ? " along a first axis" : "");
    return ZK_EINPUT;
}
}

static zk_err in_finite(const float *v, size_t n, size_t numel, const char *what) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i])) {
            zk_set_reason("%s: sample %zu element %zu is NaN or Inf", what, i / numel, i % numel);
            return ZK_EINPUT;
        }
    return ZK_OK;
}

static zk_err in_pb(float **out, size_t *nsamples, const uint8_t *bytes, size_t len, size_t numel, const char *path) {
    float *data = NULL;
    nn_shape shape;
    char *name = NULL;
    zk_err e = onnx_read_tensor(&data, &shape, &name, bytes, len);
    if (e) {
        char why[160];
        snprintf(why, sizeof why, "%s", zk_reason());
        zk_set_reason("%s: %s", path, why);
        return e;
    }
    free(name);
    size_t first, count;
    e = in_samples(&first, &count, shape.d, shape.ndim, numel, 0, 0, -1, path);
    if (!e) e = in_finite(data, count * numel, numel, path);
    if (e) {
        free(data);
        return e;
    }
    *out = data;
    *nsamples = count;
    return ZK_OK;
}

/* ------------------------------------------------------------------- HDF5 */

static zk_err in_h5(float **out, size_t *nsamples, const char *file, const char *dset, int has_slice, int64_t lo,
                    int64_t hi, size_t numel) {
    H5E_auto2_t efunc;
    void *edata;
    H5Eget_auto2(H5E_DEFAULT, &efunc, &edata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = -1, d = -1, t = -1, sp = -1, ms = -1;
    zk_err e = ZK_EINPUT;
    float *v = NULL;
    char what[300];
    snprintf(what, sizeof what, "%s:%s", file, dset);
    FILE *probe = fopen(file, "rb");
    if (!probe) {
        zk_set_reason("cannot open %s", file);
        e = ZK_EIO;
        goto done;
    }
    fclose(probe);
    if (H5Fis_hdf5(file) <= 0 || (f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        zk_set_reason("%s is not an HDF5 file", file);
        e = ZK_EFORMAT;
        goto done;
    }
    if (H5Lexists(f, dset, H5P_DEFAULT) <= 0 || (d = H5Dopen2(f, dset, H5P_DEFAULT)) < 0) {
        zk_set_reason("%s: no dataset %s", file, dset);
        goto done;
    }
    t = H5Dget_type(d);
    H5T_class_t cls = H5Tget_class(t);
    size_t tsize = H5Tget_size(t);
    if (cls == H5T_INTEGER) {
        zk_set_reason("%s holds integers (e.g. uint8 pixels); only float32/float64 datasets are model inputs", what);
        goto done;
    }
    if (cls != H5T_FLOAT || (tsize != 4 && tsize != 8)) {
        zk_set_reason("%s is not a float32/float64 dataset", what);
        goto done;
    }
    sp = H5Dget_space(d);
    int rank = H5Sget_simple_extent_ndims(sp);
    if (rank < 0 || rank > 32) {
        zk_set_reason("%s: unreadable dataspace", what);
        e = ZK_EFORMAT;
        goto done;
    }
    hsize_t hd[32] = {0};
    int64_t dims[32] = {0};
    H5Sget_simple_extent_dims(sp, hd, NULL);
    for (int i = 0; i < rank; i++) dims[i] = hd[i] > (hsize_t)INT64_MAX ? -1 : (int64_t)hd[i];
    size_t first, count;
    if ((e = in_samples(&first, &count, dims, rank, numel, has_slice, lo, hi, what))) goto done;
    e = ZK_EINPUT;
    size_t total = count * numel;
    if (rank >= 1) {
        hsize_t start[32] = {0}, cnt[32];
        int64_t rest = 1;
        for (int i = 0; i < rank; i++) cnt[i] = hd[i];
        for (int i = 1; i < rank; i++) rest *= dims[i];
        if (rest == (int64_t)numel) start[0] = first, cnt[0] = count; /* axis 0 counts samples */
        if (H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, cnt, NULL) < 0) {
            zk_set_reason("%s: cannot select samples", what);
            goto done;
        }
    }
    hsize_t mdim = total;
    ms = H5Screate_simple(1, &mdim, NULL);
    v = zk_malloc_n(total, sizeof *v);
    herr_t rc;
    if (tsize == 8) {
        double *tmp = zk_malloc_n(total, sizeof *tmp);
        rc = H5Dread(d, H5T_NATIVE_DOUBLE, ms, sp, H5P_DEFAULT, tmp);
        for (size_t i = 0; rc >= 0 && i < total; i++) {
            if (isfinite(tmp[i]) && fabs(tmp[i]) > FLT_MAX) {
                zk_set_reason("%s: sample %zu element %zu is beyond the float range", what, i / numel, i % numel);
                free(tmp);
                goto done;
            }
            v[i] = (float)tmp[i];
        }
        free(tmp);
    } else {
        rc = H5Dread(d, H5T_NATIVE_FLOAT, ms, sp, H5P_DEFAULT, v);
    }
    if (rc < 0) {
        zk_set_reason("%s: read failed", what);
        e = ZK_EIO;
        goto done;
    }
    if ((e = in_finite(v, total, numel, what))) goto done;
    *out = v;
    v = NULL;
    *nsamples = count;
    e = ZK_OK;
done:
    free(v);
    if (ms >= 0) H5Sclose(ms);
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (d >= 0) H5Dclose(d);
    if (f >= 0) H5Fclose(f);
    H5Eset_auto2(H5E_DEFAULT, efunc, edata);
    return e;
}

/* "[i:j]" at the end of s (either bound may be empty): strips it. */
static int in_slice(char *s, int64_t *lo, int64_t *hi) {
    size_t n = strlen(s);
    if (n == 0 || s[n - 1] != ']') return 0;
    char *open = strrchr(s, '[');
    if (!open) return -1;
    char *colon = strchr(open, ':');
    if (!colon) return -1;
    int64_t v[2] = {0, -1};
    char *parts[2] = {open + 1, colon + 1}, *ends[2] = {colon, s + n - 1};
    for (int k = 0; k < 2; k++) {
        if (parts[k] == ends[k]) continue;
        int64_t x = 0;
        for (char *c = parts[k]; c < ends[k]; c++) {
            if (*c < '0' || *c > '9' || x > (INT64_MAX - 9) / 10) return -1;
            x = x * 10 + (*c - '0');
        }
        v[k] = x;
    }
    *lo = v[0];
    *hi = v[1];
    *open = 0;
    return 1;
}

static int in_ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

zk_err in_load(float **out, size_t *nsamples, const char *spec, size_t numel) {
    ZK_CHECK(numel >= 1);
    const char *sep = strstr(spec, ":/");
    if (sep) {
        size_t fl = (size_t)(sep - spec);
        char *file = zk_malloc(fl + 1), *dset = zk_malloc(strlen(sep + 1) + 1);
        memcpy(file, spec, fl);
        file[fl] = 0;
        strcpy(dset, sep + 1);
        int64_t lo = 0, hi = -1;
        int sl = in_slice(dset, &lo, &hi);
        zk_err e;
        if (sl < 0) {
            zk_set_reason("%s: bad sample slice (expected [i:j])", spec);
            e = ZK_EINPUT;
        } else {
            e = in_h5(out, nsamples, file, dset, sl, lo, hi, numel);
        }
        free(file);
        free(dset);
        return e;
    }
    zk_buf b;
    zk_err e = zk_read_file(spec, &b);
    if (e) return e;
    static const uint8_t h5sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    size_t i = 0;
    while (i < b.len && (b.data[i] == ' ' || b.data[i] == '\t' || b.data[i] == '\n' || b.data[i] == '\r')) i++;
    if (in_ends_with(spec, ".h5") || in_ends_with(spec, ".hdf5") || (b.len >= 8 && memcmp(b.data, h5sig, 8) == 0)) {
        zk_set_reason("%s is HDF5: name a dataset as %s:/path/to/dataset", spec, spec);
        e = ZK_EINPUT;
    } else if (b.len > IN_MAX_FILE) {
        zk_set_reason("%s is larger than 2 GiB", spec);
        e = ZK_EINPUT;
    } else if (in_ends_with(spec, ".json") || (!in_ends_with(spec, ".pb") && i < b.len && b.data[i] == '{')) {
        e = in_parse_json(out, nsamples, b.data, b.len, numel);
        if (e) {
            char why[200];
            snprintf(why, sizeof why, "%s", zk_reason());
            zk_set_reason("%s: %s", spec, why);
        }
    } else {
        e = in_pb(out, nsamples, b.data, b.len, numel, spec);
    }
    zk_buf_free(&b);
    return e;
}

zk_err in_load_one(float **out, const char *spec, size_t numel) {
    size_t ns;
    float *v;
    zk_err e = in_load(&v, &ns, spec, numel);
    if (e) return e;
    if (ns != 1) {
        zk_set_reason("%s holds %zu samples; one input of %zu values expected", spec, ns, numel);
        free(v);
        return ZK_EINPUT;
    }
    *out = v;
    return ZK_OK;
}
