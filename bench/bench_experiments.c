/* bench_experiments.c -- the GKR prover against the Plonkish baseline on the
 * same quantized models, in one run on one machine (make experiments).
 *
 *   bench_experiments [--threads N] [--max-log-rows K] [--model NAME]...
 *                     [--models DIR] [--h5 OUT.h5] [--md OUT.md]
 *
 * For each model (lenet5_fashion, mlp3_fashion, resnet_small, resnet18_cifar, vgg16_cifar,
 * mobilenetv2_cifar,
 * or the --model ones): DIR/NAME.onnx is imported and quantized with
 * DIR/calib/NAME_calib.json; on DIR/inputs/NAME_0.json both systems prove
 * the same statement over the same integer witness (q_run):
 *   gkr    cnn_setup, cnn_prove (median of 3; VGG-16 1), cnn_verify; then
 *          the same with a zero-knowledge key (setup's default, protocol.md
 *          sec. 9.5, 9.8), in a process of its own;
 *   plonk  bn_arith_build (the model as a PLONK table, src/plonkish/arith.h),
 *          an insecure seeded KZG SRS (cached in experiments/cache),
 *          bn_plonk_keygen, bn_plonk_prove in both modes (plonk.h: no-zk,
 *          and zk with PLONK's blinders), each the faster of two runs, the
 *          runs alternating no-zk, zk, no-zk, zk; bn_plonk_verify (median
 *          of 5) of each mode's proof; peak RSS after keygen and the first
 *          (no-zk) proof.
 * Each system runs in its own child process, so peak RSS is that system's
 * on that model alone (the parent only collects). The Plonkish side is run
 * only when its table has at most 2^K rows (--max-log-rows, default 20);
 * otherwise the row is reported with the table size and a memory
 * projection (bytes per row of the largest table that ran, times the rows)
 * and "not run", instead of being killed for want of memory.
 *
 * Output: OUT.h5 (default experiments/results/experiments.h5): datasets
 * /models (strings), /params, /macs, /infer_ms, /gkr/{prove_s, verify_ms,
 * proof_bytes, peak_rss_mb, committed_cells, lookups, zk_prove_s,
 * zk_verify_ms, zk_proof_bytes}, /plonk/{rows, log_n,
 * setup_s, prove_s, verify_ms, proof_bytes (no-zk), zk_prove_s, zk_verify_ms,
 * zk_proof_bytes, peak_rss_mb, projected_mb, ran},
 * attributes cpu, threads, date; NaN where not measured. OUT.md (default
 * experiments/results/experiments.md): the same as a Markdown table.
 * experiments/plot.py draws experiments.png from the HDF5 file.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hdf5.h>

#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/onnx/onnx.h"
#include "../src/plonkish/arith.h"
#include "../src/plonkish/plonk.h"
#include "bench.h"

typedef struct {
    int ok;
    char note[160];
    double params, macs, infer_ms;
    double prove_s, verify_ms, proof_bytes, rss_mb, cells, lookups, setup_s;
    double rows, log_n, projected_mb;
    double zk_prove_s, zk_verify_ms, zk_proof_bytes; /* plonk in zk mode (the fields above: no-zk) */
} res_t;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double rss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* model, witness and the input, shared by both children (built in each) */
static int load(q_model **m, int64_t **xq, const char *dir, const char *name, res_t *r) {
    char p[512], c[512], in[512];
    snprintf(p, sizeof p, "%s/%s.onnx", dir, name);
    snprintf(c, sizeof c, "%s/calib/%s_calib.json", dir, name);
    snprintf(in, sizeof in, "%s/inputs/%s_0.json", dir, name);
    if (access(p, R_OK) || access(c, R_OK) || access(in, R_OK)) {
        snprintf(r->note, sizeof r->note, "skipped: model files missing");
        return 0;
    }
    zk_buf mb;
    nn_graph *g = NULL;
    float *cal = NULL, *x = NULL;
    size_t ncal = 0;
    if (zk_read_file(p, &mb) != ZK_OK) return 0;
    zk_err e = onnx_import(&g, mb.data, mb.len, NULL, 0);
    zk_buf_free(&mb);
    size_t nin = e ? 0 : (size_t)nn_numel(&g->tensors[g->input].shape);
    if (!e) e = in_load(&cal, &ncal, c, nin);
    if (!e) e = q_quantize(m, g, cal, ncal, NULL);
    if (!e) e = in_load_one(&x, in, nin);
    if (!e) {
        *xq = zk_malloc_n(nin, sizeof **xq);
        e = q_quantize_input(*xq, *m, x);
    }
    if (e) snprintf(r->note, sizeof r->note, "%s", zk_reason());
    free(cal);
    free(x);
    nn_graph_free(g);
    if (e) return 0;
    double params = 0, macs = 0;
    for (size_t i = 0; i < (*m)->nnodes; i++) {
        const q_node *nd = &(*m)->nodes[i];
        params += (double)(nd->nw + nd->nb);
        int64_t ny = q_numel(*m, (int32_t)i + 1);
        if (nd->op == NN_CONV) macs += (double)ny * (double)(nd->nw / (size_t)nd->cshape.d[0]);
        else if (nd->op == NN_FC) macs += (double)ny * (double)nd->cshape.d[1];
        else if (nd->op == NN_MATMUL) macs += (double)ny * (double)(*m)->tensors[nd->in[0]].shape.d[1];
    }
    r->params = params;
    r->macs = macs;
    double t[5];
    for (int k = 0; k < 5; k++) {
        q_witness *w = NULL;
        double t0 = now_s();
        ZK_CHECK(q_run(&w, *m, *xq) == ZK_OK);
        t[k] = now_s() - t0;
        q_witness_free(w);
    }
    qsort(t, 5, sizeof *t, cmp_d);
    r->infer_ms = 1e3 * t[2];
    return 1;
}

static void run_gkr(res_t *r, const char *dir, const char *name, int zk) {
    q_model *m = NULL;
    int64_t *xq = NULL;
    if (!load(&m, &xq, dir, name, r)) return;
    m->s.zk_mc = zk; /* cnn_setup measures the pool */
    cnn_key *pk = NULL, *vk = NULL;
    if (cnn_setup(&pk, m) != ZK_OK) {
        snprintf(r->note, sizeof r->note, "gkr setup: %s", zk_reason());
        free(xq);
        return;
    }
    zk_buf vkb;
    zk_buf_init(&vkb);
    cnn_vk_serialize(&vkb, pk);
    ZK_CHECK(cnn_vk_deserialize(&vk, vkb.data, vkb.len) == ZK_OK);
    int runs = strstr(name, "vgg") ? 1 : 3;
    double t[3];
    zk_buf proof;
    zk_buf_init(&proof);
    cnn_stats st;
    for (int k = 0; k < runs; k++) {
        proof.len = 0;
        double t0 = now_s();
        if (cnn_prove(&proof, pk, xq, NULL, &st) != ZK_OK) {
            snprintf(r->note, sizeof r->note, "gkr prove: %s", zk_reason());
            goto out;
        }
        t[k] = now_s() - t0;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_d);
    r->prove_s = t[runs / 2];
    double v[5];
    for (int k = 0; k < 5; k++) {
        double t0 = now_s();
        if (cnn_verify(vk, proof.data, proof.len, NULL, NULL) != ZK_OK) {
            snprintf(r->note, sizeof r->note, "gkr: PROOF DID NOT VERIFY: %s", zk_reason());
            goto out;
        }
        v[k] = now_s() - t0;
    }
    qsort(v, 5, sizeof *v, cmp_d);
    r->verify_ms = 1e3 * v[2];
    r->proof_bytes = (double)proof.len;
    r->cells = (double)(st.w_cells + st.adv_cells);
    r->lookups = (double)st.lookups;
    r->rss_mb = rss_mb();
    r->ok = 1;
out:
    zk_buf_free(&proof);
    zk_buf_free(&vkb);
    cnn_key_free(pk);
    cnn_key_free(vk);
    free(xq);
}

static bn_kzg_srs *srs_cached(size_t n) {
    char path[128];
    mkdir("experiments/cache", 0777);
    snprintf(path, sizeof path, "experiments/cache/srs_%zu.bin", n);
    zk_buf b;
    bn_kzg_srs *s = NULL;
    if (zk_read_file(path, &b) == ZK_OK) {
        if (bn_kzg_srs_deserialize(&s, b.data, b.len) != ZK_OK) s = NULL;
        zk_buf_free(&b);
        if (s && s->n >= n) return s;
        bn_kzg_srs_free(s);
    }
    s = bn_kzg_srs_gen(n, 2026);
    zk_buf_init(&b);
    bn_kzg_srs_serialize(&b, s);
    if (zk_write_file(path, b.data, b.len) != ZK_OK) fprintf(stderr, "note: cannot cache the SRS in %s\n", path);
    zk_buf_free(&b);
    return s;
}

static void run_plonk(res_t *r, const char *dir, const char *name, unsigned max_log, double bytes_per_row) {
    q_model *m = NULL;
    int64_t *xq = NULL;
    if (!load(&m, &xq, dir, name, r)) return;
    r->rows = (double)bn_arith_rows(m);
    unsigned lg = bn_arith_log_n(m);
    r->log_n = lg;
    r->projected_mb = ldexp(bytes_per_row, (int)lg) / (1024.0 * 1024.0);
    if (lg > max_log) {
        snprintf(r->note, sizeof r->note, "not run: 2^%u rows, projected %.0f GB (limit 2^%u rows)", lg,
                 r->projected_mb / 1024.0, max_log);
        q_model_free(m);
        free(xq);
        return;
    }
    q_witness *w = NULL;
    ZK_CHECK(q_run(&w, m, xq) == ZK_OK);
    bn_plonk_circuit *c = NULL;
    bn_fr *a = NULL, *b = NULL, *cw = NULL, *pub = NULL;
    size_t n_pub = 0;
    bn_plonk_pk *pk = NULL;
    bn_plonk_vk vk;
    bn_kzg_srs *srs = NULL;
    /* no-zk (index 0, the figures of before the blinders) and zk (1) */
    static const bn_plonk_opts modes[2] = {{.no_zk = 1}, {.no_zk = 0}};
    zk_buf proof[2];
    zk_buf_init(&proof[0]);
    zk_buf_init(&proof[1]);
    if (bn_arith_build(&c, &a, &b, &cw, &pub, &n_pub, m, w) != ZK_OK) {
        snprintf(r->note, sizeof r->note, "plonk: %s", zk_reason());
        goto out;
    }
    r->log_n = c->log_n;
    srs = srs_cached(c->n + 8);
    double t0 = now_s();
    if (bn_plonk_keygen(&pk, &vk, c, srs) != ZK_OK) {
        snprintf(r->note, sizeof r->note, "plonk keygen: %s", zk_reason());
        goto out;
    }
    r->setup_s = now_s() - t0;
    if (bn_plonk_check_witness(pk, a, b, cw, pub, n_pub) != ZK_OK) {
        snprintf(r->note, sizeof r->note, "plonk: witness rejected: %s", zk_reason());
        goto out;
    }
    double best[2] = {INFINITY, INFINITY}, vms[2];
    for (int rep = 0; rep < 2; rep++)
        for (int k = 0; k < 2; k++) {
            proof[k].len = 0;
            t0 = now_s();
            if (bn_plonk_prove(&proof[k], pk, &modes[k], a, b, cw, pub, n_pub) != ZK_OK) {
                snprintf(r->note, sizeof r->note, "plonk prove: %s", zk_reason());
                goto out;
            }
            double dt = now_s() - t0;
            best[k] = dt < best[k] ? dt : best[k];
            /* peak RSS of keygen and one (no-zk) proof, as before both modes
             * ran: the later runs raise the process's peak (the freed tables
             * that zk_memory_keep keeps are not all reused), while one zk
             * proof alone needs about as much (mlp3: 320 MB, no-zk 312 MB) */
            if (rep == 0 && k == 0) r->rss_mb = rss_mb();
        }
    for (int k = 0; k < 2; k++) {
        double v[5];
        for (int j = 0; j < 5; j++) {
            t0 = now_s();
            if (bn_plonk_verify(&vk, pub, n_pub, proof[k].data, proof[k].len) != ZK_OK) {
                snprintf(r->note, sizeof r->note, "plonk (%s): PROOF DID NOT VERIFY: %s", k ? "zk" : "no-zk",
                         zk_reason());
                goto out;
            }
            v[j] = now_s() - t0;
        }
        qsort(v, 5, sizeof *v, cmp_d);
        vms[k] = 1e3 * v[2];
    }
    r->prove_s = best[0];
    r->verify_ms = vms[0];
    r->proof_bytes = (double)proof[0].len;
    r->zk_prove_s = best[1];
    r->zk_verify_ms = vms[1];
    r->zk_proof_bytes = (double)proof[1].len;
    r->ok = 1;
out:
    zk_buf_free(&proof[0]);
    zk_buf_free(&proof[1]);
    bn_plonk_pk_free(pk);
    bn_kzg_srs_free(srs);
    bn_plonk_circuit_free(c);
    free(a);
    free(b);
    free(cw);
    free(pub);
    q_witness_free(w);
    q_model_free(m);
    free(xq);
}

/* runs fn in a child; the result comes back through a pipe */
static void forked(res_t *r, int sys, const char *dir, const char *name, unsigned max_log, double bpr) {
    int fd[2];
    memset(r, 0, sizeof *r);
    ZK_CHECK(pipe(fd) == 0);
    pid_t pid = fork();
    ZK_CHECK(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        res_t c;
        memset(&c, 0, sizeof c);
        c.prove_s = c.verify_ms = c.proof_bytes = c.rss_mb = c.cells = c.lookups = c.setup_s = NAN;
        c.rows = c.log_n = c.projected_mb = NAN;
        c.zk_prove_s = c.zk_verify_ms = c.zk_proof_bytes = NAN;
        if (sys == 0 || sys == 2) run_gkr(&c, dir, name, sys == 2);
        else run_plonk(&c, dir, name, max_log, bpr);
        ssize_t wr = write(fd[1], &c, sizeof c);
        _exit(wr == (ssize_t)sizeof c ? 0 : 1);
    }
    close(fd[1]);
    ssize_t rd = read(fd[0], r, sizeof *r);
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (rd != (ssize_t)sizeof *r || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        memset(r, 0, sizeof *r);
        snprintf(r->note, sizeof r->note, "the process died (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
}

static void h5_put(hid_t loc, const char *name, const double *v, size_t n) {
    hsize_t dims[1] = {n};
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(loc, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d);
    H5Sclose(sp);
}

static void h5_attr(hid_t loc, const char *name, const char *val) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(val) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, val);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

#define NMAX 16

int main(int argc, char **argv) {
    zk_memory_keep(); /* zk.h: reuse freed tables rather than fault in fresh pages */
    const char *dir = "models", *h5 = "experiments/results/experiments.h5", *md = "experiments/results/experiments.md";
    const char *names[NMAX];
    size_t nm = 0;
    unsigned max_log = 20;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) zk_threads_set(atoi(argv[++i]));
        else if (!strcmp(argv[i], "--max-log-rows") && i + 1 < argc) max_log = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--model") && i + 1 < argc && nm < NMAX) names[nm++] = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--h5") && i + 1 < argc) h5 = argv[++i];
        else if (!strcmp(argv[i], "--md") && i + 1 < argc) md = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--threads N] [--max-log-rows K] [--model NAME]... [--models DIR] [--h5 F] [--md F]\n",
                    argv[0]);
            return 2;
        }
    }
    if (!nm) {
        static const char *const def[] = {"mlp3_fashion", "lenet5_fashion", "resnet_small", "resnet18_cifar",
                                          "vgg16_cifar", "mobilenetv2_cifar"};
        for (size_t i = 0; i < sizeof def / sizeof def[0]; i++) names[nm++] = def[i];
    }
    int threads = zk_threads();
    char cpu[128], date[32];
    bench_cpu_model(cpu, sizeof cpu);
    time_t tt = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tt));
    res_t g[NMAX], p[NMAX], gz[NMAX]; /* gz: GKR with a zero-knowledge key */
    double bpr = 4096; /* bytes per PLONK row, refined from the largest table that ran */
    int bad = 0;
    for (size_t i = 0; i < nm; i++) {
        forked(&g[i], 0, dir, names[i], max_log, bpr);
        forked(&gz[i], 2, dir, names[i], max_log, bpr);
        forked(&p[i], 1, dir, names[i], max_log, bpr);
        if (p[i].ok && p[i].log_n >= 16) bpr = p[i].rss_mb * 1024.0 * 1024.0 / ldexp(1.0, (int)p[i].log_n);
        bad |= strstr(g[i].note, "DID NOT VERIFY") || strstr(p[i].note, "DID NOT VERIFY") ||
               strstr(gz[i].note, "DID NOT VERIFY");
        /* a system that did not run prints its note instead of the figures */
        char gs[192], ps[256];
        if (g[i].ok)
            snprintf(gs, sizeof gs, "%.3f s prove, %.2f ms verify, %.0f B, %.0f MB", g[i].prove_s, g[i].verify_ms,
                     g[i].proof_bytes, g[i].rss_mb);
        else
            snprintf(gs, sizeof gs, "%s", g[i].note);
        if (p[i].ok)
            snprintf(ps, sizeof ps,
                     "%.3f s prove, %.2f ms verify, %.0f B (zk: %.3f s, %.2f ms, %.0f B), %.0f MB, 2^%.0f rows",
                     p[i].prove_s, p[i].verify_ms, p[i].proof_bytes, p[i].zk_prove_s, p[i].zk_verify_ms,
                     p[i].zk_proof_bytes, p[i].rss_mb, p[i].log_n);
        else
            snprintf(ps, sizeof ps, "%s", p[i].note);
        printf("%-16s gkr: %s | plonk: %s\n", names[i], gs, ps);
        if (gz[i].ok)
            printf("%-16s gkr zk: %.3f s prove, %.2f ms verify, %.0f B, %.0f MB\n", names[i], gz[i].prove_s,
                   gz[i].verify_ms, gz[i].proof_bytes, gz[i].rss_mb);
        else
            printf("%-16s gkr zk: %s\n", names[i], gz[i].note);
        fflush(stdout);
    }
    /* HDF5 */
    hid_t f = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f < 0) {
        fprintf(stderr, "cannot write %s\n", h5);
        return 2;
    }
    char th[16];
    snprintf(th, sizeof th, "%d", threads);
    h5_attr(f, "cpu", cpu);
    h5_attr(f, "threads", th);
    h5_attr(f, "date", date);
    {
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, 32);
        hsize_t dims[1] = {nm};
        hid_t sp = H5Screate_simple(1, dims, NULL);
        hid_t d = H5Dcreate2(f, "models", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        char buf[NMAX][32];
        memset(buf, 0, sizeof buf);
        for (size_t i = 0; i < nm; i++) snprintf(buf[i], 32, "%s", names[i]);
        H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        H5Dclose(d);
        H5Sclose(sp);
        H5Tclose(t);
    }
    double col[NMAX];
#define PUT(loc, nm_, expr)                                   \
    do {                                                      \
        for (size_t i = 0; i < nm; i++) col[i] = (expr);      \
        h5_put(loc, nm_, col, nm);                            \
    } while (0)
    PUT(f, "params", g[i].params > 0 ? g[i].params : p[i].params);
    PUT(f, "macs", g[i].macs > 0 ? g[i].macs : p[i].macs);
    PUT(f, "infer_ms", g[i].infer_ms > 0 ? g[i].infer_ms : p[i].infer_ms);
    hid_t gg = H5Gcreate2(f, "gkr", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    PUT(gg, "prove_s", g[i].ok ? g[i].prove_s : NAN);
    PUT(gg, "verify_ms", g[i].ok ? g[i].verify_ms : NAN);
    PUT(gg, "proof_bytes", g[i].ok ? g[i].proof_bytes : NAN);
    PUT(gg, "peak_rss_mb", g[i].ok ? g[i].rss_mb : NAN);
    PUT(gg, "committed_cells", g[i].ok ? g[i].cells : NAN);
    PUT(gg, "lookups", g[i].ok ? g[i].lookups : NAN);
    PUT(gg, "zk_prove_s", gz[i].ok ? gz[i].prove_s : NAN);
    PUT(gg, "zk_verify_ms", gz[i].ok ? gz[i].verify_ms : NAN);
    PUT(gg, "zk_proof_bytes", gz[i].ok ? gz[i].proof_bytes : NAN);
    H5Gclose(gg);
    hid_t pg = H5Gcreate2(f, "plonk", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    PUT(pg, "rows", p[i].rows);
    PUT(pg, "log_n", p[i].log_n);
    PUT(pg, "setup_s", p[i].ok ? p[i].setup_s : NAN);
    PUT(pg, "prove_s", p[i].ok ? p[i].prove_s : NAN);
    PUT(pg, "verify_ms", p[i].ok ? p[i].verify_ms : NAN);
    PUT(pg, "proof_bytes", p[i].ok ? p[i].proof_bytes : NAN);
    PUT(pg, "zk_prove_s", p[i].ok ? p[i].zk_prove_s : NAN);
    PUT(pg, "zk_verify_ms", p[i].ok ? p[i].zk_verify_ms : NAN);
    PUT(pg, "zk_proof_bytes", p[i].ok ? p[i].zk_proof_bytes : NAN);
    PUT(pg, "peak_rss_mb", p[i].ok ? p[i].rss_mb : NAN);
    PUT(pg, "projected_mb", p[i].ok ? NAN : p[i].projected_mb);
    PUT(pg, "ran", p[i].ok ? 1.0 : 0.0);
    H5Gclose(pg);
    H5Fclose(f);
    /* Markdown */
    zk_buf b;
    zk_buf_init(&b);
    zk_buf_printf(&b, "# GKR (gkrcnn) against the Plonkish baseline (PLONK + KZG over BN254)\n\n"
                      "Measured %s on %s, %d threads, one process per system and model; command: "
                      "`make experiments`. Both systems prove the same quantized model on the same input "
                      "with the same integer witness (`q_run`). The baseline's KZG setup is an insecure "
                      "seeded SRS (benchmarking only). PLONK no-zk: no blinders; PLONK zk: PLONK's blinders "
                      "(src/plonkish/plonk.h); each the faster of two proofs, the runs alternating. GKR zk: "
                      "a zero-knowledge key (setup's default): every sumcheck round and sent evaluation "
                      "masked, the tables committed hiding (papers/protocol.md 9.5, 9.8; argued, with "
                      "simulator tests); its weights committed hiding for a budget of 8 openings. The zk "
                      "prove ratio compares the two zero-knowledge provers.\n\n",
                  date, cpu, threads);
    zk_buf_printf(&b, "| model | params | MACs | infer ms | GKR prove s | GKR verify ms | GKR proof KiB | GKR RSS MiB | "
                      "GKR committed cells | GKR zk prove s | GKR zk verify ms | GKR zk proof KiB | "
                      "GKR zk/no-zk prove | GKR zk/no-zk proof | PLONK rows | PLONK setup s | PLONK no-zk prove s | PLONK no-zk verify ms | "
                      "PLONK no-zk proof B | PLONK zk prove s | PLONK zk verify ms | PLONK zk proof B | "
                      "PLONK zk/no-zk prove | PLONK RSS MiB | prove ratio | zk prove ratio | RSS ratio | note |\n"
                      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
                      "---:|---:|---:|---:|---|\n");
    for (size_t i = 0; i < nm; i++) {
        const res_t *G = &g[i], *P = &p[i], *Z = &gz[i];
        char ratio[32] = "-", zratio[32] = "-", rr[32] = "-", zr[32] = "-", gzp[32] = "-", gzb[32] = "-", note[600];
        if (G->ok && Z->ok) {
            snprintf(gzp, sizeof gzp, "%.2fx", Z->prove_s / G->prove_s);
            snprintf(gzb, sizeof gzb, "%.2fx", Z->proof_bytes / G->proof_bytes);
        }
        if (G->ok && P->ok) {
            snprintf(ratio, sizeof ratio, "%.0fx", P->prove_s / G->prove_s);
            snprintf(rr, sizeof rr, "%.1fx", P->rss_mb / G->rss_mb);
        }
        if (P->ok) snprintf(zr, sizeof zr, "%.2fx", P->zk_prove_s / P->prove_s);
        if (P->ok && Z->ok) snprintf(zratio, sizeof zratio, "%.0fx", P->zk_prove_s / Z->prove_s);
        snprintf(note, sizeof note, "%s%s%s%s%s", G->ok ? "" : G->note, (!G->ok && !P->ok) ? "; " : "", P->ok ? "" : P->note,
                 Z->ok ? "" : "; gkr zk: ", Z->ok ? "" : Z->note);
        zk_buf_printf(&b, "| %s | %.0f | %.3g | %.3f | %.3f | %.2f | %.1f | %.0f | %.0f | %.3f | %.2f | %.1f | %s | %s | %.0f (2^%.0f) | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f | %.0f | %s | %.0f | %s | %s | %s | %s |\n",
                      names[i], G->params > 0 ? G->params : P->params, G->macs > 0 ? G->macs : P->macs,
                      G->infer_ms > 0 ? G->infer_ms : P->infer_ms, G->prove_s, G->verify_ms, G->proof_bytes / 1024.0,
                      G->rss_mb, G->cells, Z->prove_s, Z->verify_ms, Z->proof_bytes / 1024.0, gzp, gzb, P->rows, P->log_n, P->setup_s, P->prove_s, P->verify_ms, P->proof_bytes,
                      P->zk_prove_s, P->zk_verify_ms, P->zk_proof_bytes, zr, P->rss_mb, ratio, zratio, rr, note);
    }
    zk_buf_printf(&b, "\nNaN/blank: not measured (see note). prove ratio = PLONK no-zk prove / GKR prove (both "
                      "without zero-knowledge); zk prove ratio = PLONK zk prove / GKR zk prove (both "
                      "zero-knowledge); PLONK zk/no-zk prove = what PLONK's blinders cost its prover; RSS "
                      "ratio = PLONK peak RSS (after keygen and one no-zk proof) / GKR peak RSS (each in its own "
                      "process, including model import). A model whose PLONK "
                      "table exceeds 2^%u rows is not run; its projected memory is the bytes per row of the largest "
                      "table that ran times its rows.\n",
                  max_log);
    /* published figures, apart from the measurements (../shared/ANCHORS.md) */
    static const char *const pub_rows[] = {
        "| zkCNN (CCS 2021) | VGG-16, CIFAR-10 | 88.3 s | 59.3 ms | 341 KB | not stated (single-threaded build) | paper abstract; TAMUCrypto/zkCNN |",
        "| zkCNN (third-party rerun) | LeNet-5, MNIST | 0.56 s | 77 ms | 71 KB | laptop | rerun of demo_lenet.sh |",
        "| zkPyTorch + Expander (2025) | VGG-16, CIFAR-10 | 2.2 s | - | - | not stated | paper abstract |",
        "| DeepProve | CNN, 264 k params, CIFAR-10 | 1.24 s | 0.60 s | - | not stated | Lagrange-Labs/deep-prove README |",
        "| EZKL (Halo2, KZG) | LeNet-like CNN, 5,142 params, MNIST | 0.156 s | - | - | not stated | Guy1m0/ZKML-Benchmark |",
        "| ddkang/zkml (Halo2) | same LeNet-like CNN | 15.6 s | - | - | not stated | Guy1m0/ZKML-Benchmark |",
        "| halo2curves | BN254 MSM, 2^16 points | 90 ms | | | 8-core i9-11980HK | privacy-ethereum/halo2curves PR #86 |",
    };
    zk_buf_printf(&b, "\n## Published figures of other systems (not measured here)\n\nAs their sources state them, on their "
                      "own hardware; not comparable row by row with the table above.\n\n"
                      "| system | workload | prover | verifier | proof | hardware | source |\n|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof pub_rows / sizeof pub_rows[0]; i++) zk_buf_printf(&b, "%s\n", pub_rows[i]);
    zk_err e = zk_write_file(md, b.data, b.len);
    zk_buf_free(&b);
    if (e) {
        fprintf(stderr, "cannot write %s\n", md);
        return 2;
    }
    printf("wrote %s and %s\n", h5, md);
    return bad ? 1 : 0;
}
