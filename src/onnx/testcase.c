/* testcase.c -- reading ONNX conformance test cases (model.onnx plus
 * test_data_set_0/{input,output}_K.pb) and listing a directory of them. */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx_int.h"

static zk_err read_pb(onnx_feed *f, const char *path) {
    zk_buf b;
    zk_buf_init(&b);
    zk_err e = zk_read_file(path, &b);
    if (!e) e = onnx_read_tensor(&f->data, &f->shape, &f->name, b.data, b.len);
    zk_buf_free(&b);
    return e;
}

static int file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* input_K.pb / output_K.pb for K = 0, 1, ... until one is missing. */
static zk_err read_set(onnx_feed **out, size_t *n, const char *dir, const char *kind) {
    *out = NULL;
    *n = 0;
    for (size_t k = 0; k < 64; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/test_data_set_0/%s_%zu.pb", dir, kind, k);
        if (!file_exists(path)) break;
        *out = zk_realloc_n(*out, k + 1, sizeof **out);
        memset(&(*out)[k], 0, sizeof **out);
        zk_err e = read_pb(&(*out)[k], path);
        *n = k + 1;
        if (e) return e;
    }
    return ZK_OK;
}

void onnx_testcase_free(onnx_testcase *tc) {
    if (!tc) return;
    free(tc->model);
    onnx_feeds_free(tc->inputs, tc->ninputs);
    onnx_feeds_free(tc->outputs, tc->noutputs);
    free(tc->data_input);
    memset(tc, 0, sizeof *tc);
}

zk_err onnx_testcase_read(onnx_testcase *tc, const char *dir) {
    memset(tc, 0, sizeof *tc);
    char path[4096];
    snprintf(path, sizeof path, "%s/model.onnx", dir);
    zk_buf b;
    zk_buf_init(&b);
    zk_err e = zk_read_file(path, &b);
    if (e) return e;
    tc->model = b.data;
    tc->model_len = b.len;
    if ((e = read_set(&tc->inputs, &tc->ninputs, dir, "input")) ||
        (e = read_set(&tc->outputs, &tc->noutputs, dir, "output")))
        goto fail;
    if (tc->noutputs == 0) {
        zk_set_reason("%s: no test_data_set_0/output_0.pb", dir);
        e = ZK_EIO;
        goto fail;
    }
    /* positional names: the graph inputs that have no initializer */
    Onnx__ModelProto *m;
    if ((e = onnx_model_unpack(&m, tc->model, tc->model_len))) goto fail;
    size_t k = 0;
    const Onnx__GraphProto *g = m->graph;
    for (size_t i = 0; g && i < g->n_input; i++) {
        const char *nm = g->input[i]->name ? g->input[i]->name : "";
        int init = 0;
        for (size_t j = 0; j < g->n_initializer && !init; j++)
            init = g->initializer[j]->name && strcmp(g->initializer[j]->name, nm) == 0;
        if (init) continue;
        if (!tc->data_input) {
            tc->data_input = strdup(nm);
            ZK_CHECK(tc->data_input != NULL);
        }
        if (k < tc->ninputs && tc->inputs[k].name[0] == 0) {
            free(tc->inputs[k].name);
            tc->inputs[k].name = strdup(nm);
            ZK_CHECK(tc->inputs[k].name != NULL);
        }
        k++;
    }
    onnx__model_proto__free_unpacked(m, NULL);
    if (!tc->data_input) {
        tc->data_input = strdup("");
        ZK_CHECK(tc->data_input != NULL);
    }
    return ZK_OK;
fail:
    onnx_testcase_free(tc);
    return e;
}

zk_err onnx_testcase_import(nn_graph **g, const float **input, const onnx_testcase *tc) {
    onnx_feed *feeds = zk_calloc(tc->ninputs ? tc->ninputs : 1, sizeof *feeds);
    const float *in = NULL;
    for (size_t k = 0; k < tc->ninputs; k++) {
        feeds[k] = tc->inputs[k];
        if (strcmp(tc->inputs[k].name, tc->data_input) == 0) {
            in = feeds[k].data;
            feeds[k].data = NULL; /* shape only: this input stays computed */
        }
    }
    zk_err e = onnx_import(g, tc->model, tc->model_len, feeds, tc->ninputs);
    free(feeds); /* borrowed names and data */
    if (!e && !in) {
        nn_graph_free(*g);
        *g = NULL;
        zk_set_reason("test case has no data for input \"%s\"", tc->data_input);
        return ZK_EINPUT;
    }
    if (!e) *input = in;
    return e;
}

zk_err onnx_testcase_load(nn_graph **g, float **input, onnx_feed **expected, const char *dir) {
    onnx_testcase tc;
    zk_err e = onnx_testcase_read(&tc, dir);
    if (e) return e;
    const float *in;
    if ((e = onnx_testcase_import(g, &in, &tc))) {
        onnx_testcase_free(&tc);
        return e;
    }
    size_t n = (size_t)nn_numel(&(*g)->tensors[(*g)->input].shape);
    *input = zk_malloc_n(n, sizeof **input);
    memcpy(*input, in, n * sizeof **input);
    *expected = zk_calloc(1, sizeof **expected);
    **expected = tc.outputs[0];
    memset(&tc.outputs[0], 0, sizeof tc.outputs[0]);
    onnx_testcase_free(&tc);
    return ZK_OK;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

zk_err onnx_testdir_list(char ***names, size_t *n, const char *root) {
    DIR *d = opendir(root);
    if (!d) {
        zk_set_reason("cannot list %s", root);
        return ZK_EIO;
    }
    char **v = NULL;
    size_t k = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s/model.onnx", root, de->d_name);
        if (!file_exists(path)) continue;
        v = zk_realloc_n(v, k + 1, sizeof *v);
        v[k] = strdup(de->d_name);
        ZK_CHECK(v[k] != NULL);
        k++;
    }
    closedir(d);
    if (k) qsort(v, k, sizeof *v, cmp_str);
    *names = v;
    *n = k;
    return ZK_OK;
}

void onnx_names_free(char **names, size_t n) {
    if (!names) return;
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}
