/* Input files: the strict EZKL-JSON decoder (syntax, numbers, nesting,
 * truncation, NaN tokens, depth bombs, shapes), HDF5 datasets written
 * here with the HDF5 C API, and ONNX TensorProto files. */
#include <hdf5.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "../src/io/inputs.h"
#include "test.h"

static zk_err parse(float **v, size_t *ns, const char *s, size_t numel) {
    *v = NULL;
    return in_parse_json(v, ns, (const uint8_t *)s, strlen(s), numel);
}

/* parses s, expects ok with the given values */
static int parses_to(const char *s, size_t numel, size_t want_ns, const float *want, size_t nwant) {
    float *v;
    size_t ns = 0;
    zk_err e = parse(&v, &ns, s, numel);
    if (e) {
        fprintf(stderr, "  unexpected error for %.60s: %s\n", s, zk_reason());
        return 0;
    }
    int ok = ns == want_ns && ns * numel == nwant;
    for (size_t i = 0; ok && i < nwant; i++) ok = v[i] == want[i];
    free(v);
    return ok;
}

/* expects error e, with `needle` in the reason when given */
static int fails(const char *s, size_t numel, zk_err want, const char *needle) {
    float *v;
    size_t ns;
    zk_err e = parse(&v, &ns, s, numel);
    if (e == ZK_OK) free(v);
    int ok = e == want && (!needle || strstr(zk_reason(), needle));
    if (!ok) fprintf(stderr, "  %.60s: got %d (%s)\n", s, (int)e, e ? zk_reason() : "ok");
    return ok;
}

static void test_json(zk_rng *rng) {
    const float v123[] = {1, 2, 3}, v1234[] = {1, 2, 3, 4};
    TEST_CHECK(parses_to("{\"input_data\": [[1, 2, 3]]}", 3, 1, v123, 3));
    TEST_CHECK(parses_to("{\"input_data\": [[1,2],[3,4]]}", 2, 2, v1234, 4));
    TEST_CHECK(parses_to("{\"input_data\": [[1,2,3,4]]}", 2, 2, v1234, 4)); /* a batch in one record */
    TEST_CHECK(parses_to("{\"input_data\": [[[1,2],[3,4]]]}", 4, 1, v1234, 4)); /* nested record */
    TEST_CHECK(parses_to("{\"input_data\": [[[[1]],[[2]]],[3,[4]]]}", 2, 2, v1234, 4));
    TEST_CHECK(parses_to("{\"input_data\": {\"File\": [[1, 2, 3]]}}", 3, 1, v123, 3));
    TEST_CHECK(parses_to(" \t\r\n{ \"output_data\" : [[0.5, {\"a\": [true, false, null, \"s\\\"\\u00e9\"]}]] ,"
                         "\n\"input_data\"\t:\r[ [ 1 ,2, 3 ] ] } \n",
                         3, 1, v123, 3));
    TEST_CHECK(parses_to("{\"input\\u005fdata\": [[1,2,3]]}", 3, 1, v123, 3)); /* escaped key */
    const float ex[] = {1e-3f, -250.0f, 5.0f, 0.0f, -0.0f, 123.0f, 1.5e-40f, 3.25f};
    TEST_CHECK(parses_to("{\"input_data\": [[1e-3, -2.5E+2, 0.5e1, 0, -0, 1.23e2, 1.5e-40, 325e-2]]}", 8, 1, ex, 8));
    const float big[] = {3.4028234e38f, -3.4028234e38f};
    TEST_CHECK(parses_to("{\"input_data\": [[3.4028234e38, -3.4028234e38]]}", 2, 1, big, 2));
    /* syntax errors: ZK_EFORMAT */
    const char *bad[] = {
        "", "   ", "[]", "{\"input_data\": [[1.]]}", "{\"input_data\": [[.5]]}", "{\"input_data\": [[01]]}",
        "{\"input_data\": [[+1]]}", "{\"input_data\": [[-]]}", "{\"input_data\": [[1e]]}", "{\"input_data\": [[1e+]]}",
        "{\"input_data\": [[1,]]}", "{\"input_data\": [[1]],}", "{\"input_data\": [[1] [2]]}",
        "{\"input_data\" [[1]]}", "{input_data: [[1]]}", "{'input_data': [[1]]}", "{\"input_data\": [[1]]} x",
        "{\"input_data\": [[1]]}}", "{\"input_data\": [[1]]} // c", "/* c */ {\"input_data\": [[1]]}",
        "{\"a\": tru, \"input_data\": [[1]]}", "{\"a\": \"\\x\", \"input_data\": [[1]]}",
        "{\"a\": \"\\u12g4\", \"input_data\": [[1]]}", "{\"a\": \"tab\there\", \"input_data\": [[1]]}",
        "{\"a\": \"open, \"input_data\": [[1]]}", "{\"input_data\": [[0x10]]}", "{\"input_data\": [[1 2]]}",
        "{\"a\": [1 2], \"input_data\": [[1]]}", "{\"a\": {\"b\" 1}, \"input_data\": [[1]]}",
    };
    long badfail = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) badfail += !fails(bad[i], 1, ZK_EFORMAT, "JSON line");
    TEST_CHECK(badfail == 0);
    /* errors name the line and column */
    TEST_CHECK(fails("{\n  \"input_data\": [[1,\n 2,,]]}", 1, ZK_EFORMAT, "line 3 column 4"));
    /* content errors: ZK_EINPUT */
    TEST_CHECK(fails("{\"input_data\": [[1, NaN]]}", 2, ZK_EINPUT, "NaN/Infinity"));
    TEST_CHECK(fails("{\"input_data\": [[Infinity, 1]]}", 2, ZK_EINPUT, "NaN/Infinity"));
    TEST_CHECK(fails("{\"input_data\": [[-Infinity, 1]]}", 2, ZK_EINPUT, "NaN/Infinity"));
    TEST_CHECK(fails("{\"input_data\": [[1e39, 1]]}", 2, ZK_EINPUT, "float range"));
    TEST_CHECK(fails("{\"input_data\": [[-1e400, 1]]}", 2, ZK_EINPUT, "float range"));
    TEST_CHECK(fails("{\"input_data\": [[1, 2, 3]]}", 2, ZK_EINPUT, "input_data[0] has 3 values"));
    TEST_CHECK(fails("{\"input_data\": [[1, 2], [3]]}", 2, ZK_EINPUT, "input_data[1] has 1 values"));
    TEST_CHECK(fails("{\"input_data\": [[]]}", 2, ZK_EINPUT, "has 0 values"));
    TEST_CHECK(fails("{\"input_data\": []}", 2, ZK_EINPUT, "empty"));
    TEST_CHECK(fails("{\"input_data\": [1, 2]}", 2, ZK_EINPUT, "list of lists"));
    TEST_CHECK(fails("{\"input_data\": 5}", 1, ZK_EINPUT, "list of lists"));
    TEST_CHECK(fails("{\"input_data\": [[1, \"2\"]]}", 2, ZK_EINPUT, "not a number"));
    TEST_CHECK(fails("{\"input_data\": [[1, true]]}", 2, ZK_EINPUT, "not a number"));
    TEST_CHECK(fails("{\"input_data\": [[null, 1]]}", 2, ZK_EINPUT, "not a number"));
    TEST_CHECK(fails("{\"input_data\": {\"OnChain\": [[1]]}}", 1, ZK_EINPUT, "File"));
    TEST_CHECK(fails("{\"input_data\": {\"File\": [[1]], \"x\": 1}}", 1, ZK_EFORMAT, "only"));
    TEST_CHECK(fails("{\"output_data\": [[1]]}", 1, ZK_EINPUT, "no \"input_data\""));
    TEST_CHECK(fails("{}", 1, ZK_EINPUT, "no \"input_data\""));
    TEST_CHECK(fails("{\"input_data\": [[1]], \"input_data\": [[2]]}", 1, ZK_EINPUT, "duplicate"));
    /* nesting: 64 levels pass, 65 fail; a depth bomb of a million brackets fails cleanly */
    for (int depth = 60; depth <= 70; depth++) {
        zk_buf b;
        zk_buf_init(&b);
        zk_buf_put(&b, "{\"input_data\": [", 16);
        for (int i = 0; i < depth; i++) zk_buf_put(&b, "[", 1);
        zk_buf_put(&b, "7", 1);
        for (int i = 0; i < depth; i++) zk_buf_put(&b, "]", 1);
        zk_buf_put(&b, "]}", 2);
        float *v = NULL;
        size_t ns;
        zk_err e = in_parse_json(&v, &ns, b.data, b.len, 1);
        /* levels: the object, the input_data list, then depth lists */
        TEST_CHECK(depth + 2 <= IN_JSON_MAX_DEPTH ? e == ZK_OK && v[0] == 7 : e == ZK_EFORMAT);
        free(v);
        zk_buf_free(&b);
    }
    for (int which = 0; which < 3; which++) {
        size_t n = 1000000;
        uint8_t *bomb = zk_malloc(n + 32);
        size_t k = 0;
        if (which == 0) memcpy(bomb, "{\"input_data\": ", 15), k = 15;
        if (which == 2) memcpy(bomb, "{\"input_data\": {\"File\": ", 24), k = 24;
        if (which == 1) /* objects in an ignored key */
            for (; k + 5 <= n; k += 5) memcpy(bomb + k, "{\"a\":", 5);
        else
            memset(bomb + k, '[', n - k);
        float *v = NULL;
        size_t ns;
        size_t len = which == 1 ? k : n;
        TEST_CHECK(in_parse_json(&v, &ns, bomb, len, 1) == ZK_EFORMAT && strstr(zk_reason(), "deeper") && !v);
        free(bomb);
    }
    /* every truncation of a valid document fails */
    const char *doc = "{\"meta\": {\"k\": [1, \"a\\n\"]}, \"input_data\": {\"File\": [[1.5e0, -2, 3], [4, 5, 6]]}}";
    float *v;
    size_t ns;
    TEST_CHECK(parse(&v, &ns, doc, 3) == ZK_OK && ns == 2);
    free(v);
    long trunc_ok = 0;
    for (size_t len = 0; len < strlen(doc); len++) {
        v = NULL;
        if (in_parse_json(&v, &ns, (const uint8_t *)doc, len, 3) == ZK_OK) trunc_ok++, free(v);
    }
    TEST_CHECK(trunc_ok == 0);
    /* random byte changes never crash; what parses has a whole number of samples */
    size_t dl = strlen(doc);
    uint8_t *mut = zk_malloc(dl);
    for (int t = 0; t < 2000; t++) {
        memcpy(mut, doc, dl);
        for (int k = 0; k < 1 + (int)(zk_rng_u64(rng) % 3); k++) mut[zk_rng_u64(rng) % dl] = (uint8_t)zk_rng_u64(rng);
        v = NULL;
        ns = 0;
        if (in_parse_json(&v, &ns, mut, dl, 3) == ZK_OK) {
            TEST_CHECK(ns >= 1 && v != NULL);
            for (size_t i = 0; i < 3 * ns; i++) TEST_CHECK(isfinite(v[i]));
            free(v);
        }
    }
    free(mut);
    /* a large document: 300 samples of 784 values round-trip exactly */
    zk_buf b;
    zk_buf_init(&b);
    zk_buf_put(&b, "{\"input_data\": [", 16);
    size_t nv = 300 * 784;
    float *want = zk_malloc_n(nv, sizeof *want);
    for (size_t i = 0; i < nv; i++) {
        want[i] = (float)((double)(int64_t)(zk_rng_u64(rng) % 2000001 - 1000000) * 1e-6);
        char num[48];
        int m = snprintf(num, sizeof num, "%s%s%.9g", i % 784 == 0 ? (i ? "],[" : "[") : ",", "", (double)want[i]);
        zk_buf_put(&b, num, (size_t)m);
    }
    zk_buf_put(&b, "]]}", 3);
    TEST_CHECK(in_parse_json(&v, &ns, b.data, b.len, 784) == ZK_OK && ns == 300 &&
               memcmp(v, want, nv * sizeof *v) == 0);
    free(v);
    free(want);
    zk_buf_free(&b);
}

/* ------------------------------------------------------------ files */

static char tmpdir[64];

static const char *tpath(const char *name) {
    static char p[160];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    return p;
}

static void put_file(const char *name, const void *data, size_t len) {
    TEST_CHECK(zk_write_file(tpath(name), data, len) == ZK_OK);
}

static void h5_write(hid_t f, const char *path, hid_t type, int rank, const hsize_t *dims, const void *data) {
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t d = H5Dcreate2(f, path, type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    TEST_CHECK(d >= 0);
    TEST_CHECK(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(sp);
}

static int loads(const char *spec, size_t numel, size_t want_ns, const float *want) {
    float *v = NULL;
    size_t ns = 0;
    zk_err e = in_load(&v, &ns, spec, numel);
    if (e) fprintf(stderr, "  %s: %s\n", spec, zk_reason());
    int ok = e == ZK_OK && ns == want_ns && (!want || memcmp(v, want, ns * numel * sizeof *v) == 0);
    free(v);
    return ok;
}

static int load_fails(const char *spec, size_t numel, zk_err want, const char *needle) {
    float *v = NULL;
    size_t ns;
    zk_err e = in_load(&v, &ns, spec, numel);
    if (e == ZK_OK) free(v);
    int ok = e == want && (!needle || strstr(zk_reason(), needle));
    if (!ok) fprintf(stderr, "  %s: got %d (%s)\n", spec, (int)e, e ? zk_reason() : "ok");
    return ok;
}

static void test_hdf5(void) {
    char spec[256];
    float x[5 * 4];
    for (int i = 0; i < 20; i++) x[i] = (float)i * 0.25f - 2;
    double xd[6] = {0.5, -1.5, 2.25, 1e-3, -7, 8};
    uint8_t px[8] = {0, 1, 2, 255, 4, 5, 6, 7};
    float withnan[4] = {1, 2, NAN, 4};
    double toobig[2] = {1e300, 1};
    hid_t f = H5Fcreate(tpath("d.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    TEST_REQUIRE(f >= 0);
    h5_write(f, "/x", H5T_NATIVE_FLOAT, 4, (hsize_t[]){5, 1, 2, 2}, x);
    h5_write(f, "/grp/sub/xd", H5T_NATIVE_DOUBLE, 2, (hsize_t[]){3, 2}, xd);
    h5_write(f, "/pixels", H5T_NATIVE_UINT8, 2, (hsize_t[]){2, 4}, px);
    h5_write(f, "/nan", H5T_NATIVE_FLOAT, 1, (hsize_t[]){4}, withnan);
    h5_write(f, "/big", H5T_NATIVE_DOUBLE, 1, (hsize_t[]){2}, toobig);
    h5_write(f, "/flat", H5T_NATIVE_FLOAT, 1, (hsize_t[]){4}, x);
    H5Fclose(f);
    const char *file = tpath("d.h5");
#define SPEC(s) (snprintf(spec, sizeof spec, "%s%s", file, s), spec)
    TEST_CHECK(loads(SPEC(":/x"), 4, 5, x));
    TEST_CHECK(loads(SPEC(":/x[1:3]"), 4, 2, x + 4));
    TEST_CHECK(loads(SPEC(":/x[:2]"), 4, 2, x));
    TEST_CHECK(loads(SPEC(":/x[3:]"), 4, 2, x + 12));
    TEST_CHECK(loads(SPEC(":/x[4:5]"), 4, 1, x + 16));
    TEST_CHECK(loads(SPEC(":/x"), 20, 1, x)); /* the whole tensor as one sample */
    TEST_CHECK(loads(SPEC(":/flat"), 4, 1, x));
    TEST_CHECK(loads(SPEC(":/flat"), 1, 4, x)); /* four samples of one value */
    float xdf[6];
    for (int i = 0; i < 6; i++) xdf[i] = (float)xd[i];
    TEST_CHECK(loads(SPEC(":/grp/sub/xd"), 2, 3, xdf));
    TEST_CHECK(loads(SPEC(":/grp/sub/xd[2:3]"), 2, 1, xdf + 4));
    float *one = NULL;
    TEST_CHECK(in_load_one(&one, SPEC(":/x[2:3]"), 4) == ZK_OK && one && one[0] == x[8]);
    free(one);
    TEST_CHECK(in_load_one(&one, SPEC(":/x"), 4) == ZK_EINPUT && strstr(zk_reason(), "5 samples"));
    TEST_CHECK(load_fails(SPEC(":/x[4:9]"), 4, ZK_EINPUT, "outside"));
    TEST_CHECK(load_fails(SPEC(":/x[3:2]"), 4, ZK_EINPUT, "outside"));
    TEST_CHECK(load_fails(SPEC(":/x[2:2]"), 4, ZK_EINPUT, "no samples"));
    TEST_CHECK(load_fails(SPEC(":/x[a:2]"), 4, ZK_EINPUT, "slice"));
    TEST_CHECK(load_fails(SPEC(":/x[1:2"), 4, ZK_EINPUT, "no dataset"));
    TEST_CHECK(load_fails(SPEC(":/x"), 3, ZK_EINPUT, "shape [5,1,2,2]"));
    TEST_CHECK(load_fails(SPEC(":/x[0:1]"), 20, ZK_EINPUT, "first axis"));
    TEST_CHECK(load_fails(SPEC(":/pixels"), 4, ZK_EINPUT, "integers"));
    TEST_CHECK(load_fails(SPEC(":/nan"), 4, ZK_EINPUT, "NaN or Inf"));
    TEST_CHECK(load_fails(SPEC(":/big"), 2, ZK_EINPUT, "float range"));
    TEST_CHECK(load_fails(SPEC(":/missing"), 4, ZK_EINPUT, "no dataset /missing"));
    TEST_CHECK(load_fails(SPEC(":/grp"), 4, ZK_EINPUT, NULL)); /* a group, not a dataset */
    TEST_CHECK(load_fails(SPEC(""), 4, ZK_EINPUT, "name a dataset"));
    snprintf(spec, sizeof spec, "%s:/x", tpath("nope.h5"));
    TEST_CHECK(load_fails(spec, 4, ZK_EIO, "cannot open"));
    put_file("fake.h5", "not hdf5 at all", 15);
    snprintf(spec, sizeof spec, "%s:/x", tpath("fake.h5"));
    TEST_CHECK(load_fails(spec, 4, ZK_EFORMAT, "not an HDF5 file"));
#undef SPEC
}

/* A TensorProto: dims, data_type FLOAT, raw_data (little-endian floats). */
static size_t tensorproto(uint8_t *out, const int64_t *dims, int nd, const float *v, size_t n) {
    size_t k = 0;
    for (int i = 0; i < nd; i++) {
        out[k++] = 0x08; /* field 1, varint */
        uint64_t d = (uint64_t)dims[i];
        do {
            out[k++] = (uint8_t)((d & 0x7f) | (d >= 0x80 ? 0x80 : 0));
            d >>= 7;
        } while (d);
    }
    out[k++] = 0x10, out[k++] = 0x01; /* data_type = FLOAT */
    out[k++] = 0x4a;                  /* field 9, raw_data */
    out[k++] = (uint8_t)(4 * n);      /* n <= 31 here */
    memcpy(out + k, v, 4 * n);
    return k + 4 * n;
}

static void test_files(void) {
    const float v123[] = {1, 2, 3};
    const char *js = "{\"input_data\": [[1, 2, 3]]}";
    put_file("a.json", js, strlen(js));
    TEST_CHECK(loads(tpath("a.json"), 3, 1, v123));
    TEST_CHECK(load_fails(tpath("a.json"), 2, ZK_EINPUT, "a.json: JSON line"));
    put_file("noext", js, strlen(js)); /* recognized by content */
    TEST_CHECK(loads(tpath("noext"), 3, 1, v123));
    put_file("trunc.json", js, 10);
    TEST_CHECK(load_fails(tpath("trunc.json"), 3, ZK_EFORMAT, "JSON"));
    TEST_CHECK(load_fails(tpath("missing.json"), 3, ZK_EIO, "cannot open"));
    /* TensorProto files */
    uint8_t pb[256];
    float six[6] = {0.5f, 1, -2, 3, 4, 5};
    size_t n = tensorproto(pb, (int64_t[]){2, 3}, 2, six, 6);
    put_file("t.pb", pb, n);
    TEST_CHECK(loads(tpath("t.pb"), 3, 2, six));
    TEST_CHECK(loads(tpath("t.pb"), 6, 1, six));
    TEST_CHECK(load_fails(tpath("t.pb"), 4, ZK_EINPUT, "shape [2,3]"));
    six[4] = INFINITY;
    n = tensorproto(pb, (int64_t[]){2, 3}, 2, six, 6);
    put_file("inf.pb", pb, n);
    TEST_CHECK(load_fails(tpath("inf.pb"), 3, ZK_EINPUT, "sample 1 element 1 is NaN or Inf"));
    put_file("junk.pb", "\xff\xff\xff", 3);
    TEST_CHECK(load_fails(tpath("junk.pb"), 3, ZK_EFORMAT, "junk.pb"));
    /* the LeNet input files, when present, agree between formats */
    if (access("models/inputs/lenet5_fashion_0.pb", R_OK) == 0 && access("models/inputs/lenet5_fashion_0.json", R_OK) == 0) {
        float *a = NULL, *b = NULL;
        TEST_CHECK(in_load_one(&a, "models/inputs/lenet5_fashion_0.pb", 784) == ZK_OK);
        TEST_CHECK(in_load_one(&b, "models/inputs/lenet5_fashion_0.json", 784) == ZK_OK);
        TEST_CHECK(a && b && memcmp(a, b, 784 * sizeof(float)) == 0);
        free(a);
        free(b);
    }
}

void test_inputs(zk_rng *rng) {
    test_json(rng);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gkrcnn_inputs_XXXXXX");
    TEST_REQUIRE(mkdtemp(tmpdir) != NULL);
    test_hdf5();
    test_files();
    const char *names[] = {"d.h5", "fake.h5", "a.json", "noext", "trunc.json", "t.pb", "inf.pb", "junk.pb"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unlink(tpath(names[i]));
    rmdir(tmpdir);
}
