/* bench_cnn.c -- end-to-end CNN benchmark (make bench-cnn).
 *
 *   bench_cnn [--threads N] [--model NAME]... [--runs R] [--no-1thread]
 *             [--zk off|on|both] [--models DIR] [--csv OUT.csv] [--md OUT.md]
 *
 * For each model (lenet5_fashion, mlp3_fashion, resnet_small, resnet18_cifar, vgg16_cifar,
 * mobilenetv2_cifar,
 * or those named with --model, in that order): DIR/NAME.onnx is imported,
 * quantized with DIR/calib/NAME_calib.json (default settings), cnn_setup
 * commits the weights, and then on DIR/inputs/NAME_0.json it measures
 *   infer_ms     q_quantize_input + q_run, median of several runs
 *   setup_s      cnn_setup (one run)
 *   prove_s      cnn_prove, median of R runs (R = 5, VGG-16 2, or --runs);
 *                the phase columns (cnn_stats.t[], cnn_phase_names) are
 *                those of the median run
 *   prover_new_s cnn_prover_new: the weight table and its commitment,
 *                built once for a prover that keeps them (one run)
 *   prove_warm_s cnn_prover_prove with that prover, median of R runs (the
 *                same proofs as cnn_prove, without re-encoding the weights)
 *   vk_load_ms   cnn_vk_deserialize of the vk bytes (for a certified weight
 *                commitment this checks its certificate: a once-per-key
 *                cost that the CLI's verify pays on every call), one run
 *   vk_bytes     the serialized verifying key
 *   verify_ms    cnn_verify with the verifying key (vk bytes decoded as a
 *                verifier would), median of several runs
 *   proof_bytes, w_cells, adv_cells, lookups (cnn_stats)
 *   peak_rss_mb  getrusage ru_maxrss at the end of the model
 * and checks that every proof verifies and that the statement it attests
 * (input, output) equals the quantized input and q_run's output.
 * --zk: the keys' mode (q_settings.zk_mc, protocol.md sec. 9.5): off (the
 * default), on, or both (each model in both modes, in turn, so the two
 * rows of a model are measured minutes apart at most). A zero-knowledge
 * row's proofs are randomized: its runs must give proofs of one length
 * that differ, instead of the same bytes. Its key's weight commitment is
 * set up for max(CNN_WEIGHT_ZK_DEFAULT_OPENINGS, 2R + 1) openings (at most
 * 64; the R cold and R warm proofs and the weight-range certificate's):
 * its proofs are the size of that budget's (protocol.md sec. 9.5).
 *
 * Each model runs in a child process (fork), so peak RSS is that model's
 * alone and a crash of one model becomes a note in its row. A model whose
 * files are missing is a "skipped" row; one the prover refuses keeps the
 * columns measured so far and the reason in `note`. Unless --no-1thread or
 * a thread count of 1, LeNet-5 runs a second time on one thread.
 *
 * Output (written once at the end through zk_write_file): OUT.csv
 * (default experiments/results/cnn.csv), one row per run:
 *   model,params,threads,zk,cpu,infer_ms,setup_s,prove_s,<phase>_s...,
 *   prover_new_s,prove_warm_s,vk_load_ms,vk_bytes,verify_ms,proof_bytes,w_cells,adv_cells,lookups,peak_rss_mb,prove_runs,note
 * and OUT.md (default experiments/results/cnn.md), the same as a Markdown
 * table with the date, CPU, threads and command. Exit status: 0, or 1 when
 * a proof failed to verify or attested the wrong statement, or a model's
 * process crashed (the files are still written), 2 for usage errors or
 * when the output cannot be written.
 */
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/core/zk.h"
#include "../src/io/inputs.h"
#include "../src/layers/cnn.h"
#include "../src/onnx/onnx.h"
#include "../src/quant/quant.h"
#include "bench.h"

static const char *const all_models[] = {"lenet5_fashion", "mlp3_fashion", "resnet_small", "resnet18_cifar",
                                          "vgg16_cifar", "mobilenetv2_cifar"};
enum { NMODELS = sizeof all_models / sizeof all_models[0] };

/* runs per measurement (VGG-16: _BIG); --runs R replaces the prove counts */
enum { N_INFER = 11, N_INFER_BIG = 3, N_PROVE = 5, N_PROVE_BIG = 5, N_VERIFY = 7, N_VERIFY_BIG = 3 };

/* ST_REFUSED: the model or its files cannot be benchmarked (a note, exit
 * status unaffected); ST_FAILED: a bug (a proof that does not verify or
 * attests the wrong statement, differing proofs, a crash): exit status 1. */
enum { ST_NONE, ST_OK, ST_SKIPPED, ST_REFUSED, ST_FAILED };

/* One row; lives in shared memory so that the child can fill it. Fields
 * not measured stay negative (empty in the output). */
typedef struct {
    char model[32];
    int threads;
    int zk; /* zero-knowledge key (q_settings.zk_mc) */
    int status;
    char note[384];
    double params;
    double infer_ms, setup_s, prove_s, ph[CNN_NPHASES], prover_new_s, prove_warm_s, vk_load_ms, vk_bytes, verify_ms;
    double proof_bytes, w_cells, adv_cells, lookups, peak_rss_mb;
    int prove_runs;
} row_t;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Index of the median of v[0..n) (the lower middle for even n). */
static size_t median_index(const double *v, size_t n) {
    double *s = zk_malloc_n(n, sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double med = s[(n - 1) / 2];
    free(s);
    for (size_t i = 0; i < n; i++)
        if (v[i] == med) return i;
    return 0;
}

static double median(const double *v, size_t n) { return v[median_index(v, n)]; }

/* The 1-minute load average (/proc/loadavg), or -1. */
static double load_avg(void) {
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1) l = -1;
        fclose(f);
    }
    return l;
}

/* OpenMP's wait policy (read by libgomp at start-up, so only the
 * environment can set it): spinning workers on a core shared with other
 * processes can slow a parallel prover several times over. */
static const char *wait_policy(void) {
    const char *w = getenv("OMP_WAIT_POLICY");
    return w && *w ? w : "(unset)";
}

static void set_note(row_t *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_note(row_t *r, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->note, sizeof r->note, fmt, ap);
    va_end(ap);
    r->status = status;
    printf("  %s: %s\n", r->model, r->note);
    fflush(stdout);
}

static void peak_rss(row_t *r) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) r->peak_rss_mb = (double)ru.ru_maxrss / 1024.0;
}

/* The whole measurement of one model, in the child process. */
static void run_model(row_t *r, const char *dir, int runs_override) {
    int big = strcmp(r->model, "vgg16_cifar") == 0 || strcmp(r->model, "resnet18_cifar") == 0 ||
              strcmp(r->model, "mobilenetv2_cifar") == 0;
    int n_infer = big ? N_INFER_BIG : N_INFER, n_verify = big ? N_VERIFY_BIG : N_VERIFY;
    int n_prove = runs_override > 0 ? runs_override : big ? N_PROVE_BIG : N_PROVE;
    char mp[512], cp[512], ip[512];
    snprintf(mp, sizeof mp, "%s/%s.onnx", dir, r->model);
    snprintf(cp, sizeof cp, "%s/calib/%s_calib.json", dir, r->model);
    snprintf(ip, sizeof ip, "%s/inputs/%s_0.json", dir, r->model);
    const char *paths[] = {mp, cp, ip};
    for (int i = 0; i < 3; i++)
        if (access(paths[i], R_OK) != 0) {
            set_note(r, ST_SKIPPED, "skipped: %s missing (make models)", paths[i]);
            return; /* no peak RSS for a row that measured nothing */
        }
    zk_threads_set(r->threads);

    nn_graph *g = NULL;
    q_model *m = NULL;
    cnn_key *pk = NULL, *vk = NULL;
    float *cal = NULL, *x = NULL;
    int64_t *xq = NULL, *yq = NULL;
    zk_buf file, vkb, proof;
    zk_buf_init(&vkb);
    zk_buf_init(&proof);
    double *tp = zk_calloc((size_t)n_prove, sizeof *tp);
    double *ti = zk_calloc((size_t)n_infer, sizeof *ti);
    double *tv = zk_calloc((size_t)n_verify, sizeof *tv);
    cnn_stats *sts = zk_calloc((size_t)n_prove, sizeof *sts);

    if (zk_read_file(mp, &file) != ZK_OK) {
        set_note(r, ST_REFUSED, "%s", zk_reason());
        goto out;
    }
    zk_err e = onnx_import(&g, file.data, file.len, NULL, 0);
    zk_buf_free(&file);
    if (e != ZK_OK) {
        set_note(r, ST_REFUSED, "import: %s", zk_reason());
        goto out;
    }
    size_t numel = (size_t)nn_numel(&g->tensors[g->input].shape), ncal = 0;
    if (in_load(&cal, &ncal, cp, numel) != ZK_OK) {
        set_note(r, ST_REFUSED, "calibration set: %s", zk_reason());
        goto out;
    }
    if (in_load_one(&x, ip, numel) != ZK_OK) {
        set_note(r, ST_REFUSED, "input: %s", zk_reason());
        goto out;
    }
    if (q_quantize(&m, g, cal, ncal, NULL) != ZK_OK) {
        set_note(r, ST_REFUSED, "quantize: %s", zk_reason());
        goto out;
    }
    m->s.zk_mc = r->zk; /* cnn_setup measures the pool */
    nn_graph_free(g);
    g = NULL;
    size_t params = 0;
    for (size_t i = 0; i < m->nnodes; i++) params += m->nodes[i].nw + m->nodes[i].nb;
    r->params = (double)params;
    size_t onumel = (size_t)q_numel(m, m->output);

    /* plain quantized inference (one warm-up run, not counted) */
    xq = zk_malloc_n(numel, sizeof *xq);
    yq = zk_malloc_n(onumel, sizeof *yq);
    for (int i = -1; i < n_infer; i++) {
        q_witness *w = NULL;
        double t0 = now_s();
        e = q_quantize_input(xq, m, x);
        if (e == ZK_OK) e = q_run(&w, m, xq);
        double t = now_s() - t0;
        if (e != ZK_OK) {
            set_note(r, ST_REFUSED, "inference: %s", zk_reason());
            goto out;
        }
        if (i < 0) memcpy(yq, q_output(m, w), onumel * sizeof *yq);
        else ti[i] = t;
        q_witness_free(w);
    }
    r->infer_ms = 1e3 * median(ti, (size_t)n_infer);
    printf("  %s: %zu params, inference %.3f ms\n", r->model, params, r->infer_ms);
    fflush(stdout);

    double t0 = now_s();
    unsigned wb = 2u * (unsigned)n_prove + 1u; /* a zk key: every proof below takes a slot of W's budget */
    if (wb < CNN_WEIGHT_ZK_DEFAULT_OPENINGS) wb = CNN_WEIGHT_ZK_DEFAULT_OPENINGS;
    if (wb > PCS_LIGERO_ZK_MAX_OPENINGS) wb = PCS_LIGERO_ZK_MAX_OPENINGS;
    e = cnn_setup_zk(&pk, m, wb); /* takes m; wb ignored without the zk mode */
    r->setup_s = now_s() - t0;
    m = NULL;
    if (e != ZK_OK) {
        r->setup_s = -1;
        set_note(r, ST_REFUSED, "setup: %s", zk_reason());
        goto out;
    }
    printf("  %s: setup %.3f s\n", r->model, r->setup_s);
    fflush(stdout);
    cnn_vk_serialize(&vkb, pk);
    r->vk_bytes = (double)vkb.len;
    t0 = now_s();
    e = cnn_vk_deserialize(&vk, vkb.data, vkb.len);
    r->vk_load_ms = 1e3 * (now_s() - t0);
    if (e != ZK_OK) {
        set_note(r, ST_FAILED, "verifying key: %s", zk_reason());
        goto out;
    }

    for (int i = 0; i < n_prove; i++) {
        zk_buf pr;
        zk_buf_init(&pr);
        t0 = now_s();
        e = cnn_prove(&pr, pk, xq, NULL, &sts[i]);
        tp[i] = now_s() - t0;
        if (e != ZK_OK) {
            zk_buf_free(&pr);
            set_note(r, ST_REFUSED, "prove: %s", zk_reason());
            goto out;
        }
        printf("  %s: prove run %d/%d %.3f s, %zu bytes\n", r->model, i + 1, n_prove, tp[i], pr.len);
        fflush(stdout);
        if (i == 0) {
            proof = pr;
        } else {
            int same = pr.len == proof.len && memcmp(pr.data, proof.data, pr.len) == 0;
            int ok = r->zk ? pr.len == proof.len && !same : same;
            zk_buf_free(&pr);
            if (!ok) {
                set_note(r, ST_FAILED, "prove: runs %d and 1 gave %s proofs", i + 1,
                         r->zk ? "equal (or differently long) zero-knowledge" : "different");
                goto out;
            }
        }
    }
    size_t mi = median_index(tp, (size_t)n_prove);
    r->prove_s = tp[mi];
    r->prove_runs = n_prove;
    for (int p = 0; p < CNN_NPHASES; p++) r->ph[p] = sts[mi].t[p];
    r->proof_bytes = (double)proof.len;
    r->w_cells = (double)sts[mi].w_cells;
    r->adv_cells = (double)sts[mi].adv_cells;
    r->lookups = (double)sts[mi].lookups;

    /* a prover that keeps the weights' commitment: same proofs, warm */
    cnn_prover *pv = NULL;
    t0 = now_s();
    e = cnn_prover_new(&pv, pk);
    r->prover_new_s = now_s() - t0;
    for (int i = 0; i < n_prove && e == ZK_OK; i++) {
        zk_buf pr;
        zk_buf_init(&pr);
        t0 = now_s();
        e = cnn_prover_prove(pv, &pr, xq, NULL, NULL);
        tp[i] = now_s() - t0;
        int same = e == ZK_OK && pr.len == proof.len && memcmp(pr.data, proof.data, pr.len) == 0;
        if (r->zk) same = e == ZK_OK && pr.len == proof.len && !same; /* randomized, one length */
        zk_buf_free(&pr);
        if (e == ZK_OK && !same) {
            cnn_prover_free(pv);
            set_note(r, ST_FAILED, "prove: the warm prover's run %d gave a different proof", i + 1);
            goto out;
        }
    }
    cnn_prover_free(pv);
    if (e != ZK_OK) {
        set_note(r, ST_FAILED, "warm prover: %s", zk_reason());
        goto out;
    }
    r->prove_warm_s = tp[median_index(tp, (size_t)n_prove)];
    printf("  %s: warm prover: built in %.3f s, then %.3f s per proof\n", r->model, r->prover_new_s, r->prove_warm_s);

    for (int i = 0; i < n_verify; i++) {
        int64_t *vin = NULL, *vout = NULL;
        t0 = now_s();
        e = cnn_verify(vk, proof.data, proof.len, &vin, &vout);
        tv[i] = now_s() - t0;
        if (e != ZK_OK) {
            set_note(r, ST_FAILED, "verify: %s: %s", zk_err_str(e), zk_reason());
            goto out;
        }
        int in_ok = memcmp(vin, xq, numel * sizeof *xq) == 0, out_ok = memcmp(vout, yq, onumel * sizeof *yq) == 0;
        free(vin);
        free(vout);
        if (!in_ok || !out_ok) {
            set_note(r, ST_FAILED, "verify: the proof attests a different %s than q_run", in_ok ? "output" : "input");
            goto out;
        }
    }
    r->verify_ms = 1e3 * median(tv, (size_t)n_verify);
    r->status = ST_OK;
    printf("  %s: verify %.3f ms, output equals q_run's\n", r->model, r->verify_ms);
out:
    fflush(stdout);
    peak_rss(r);
    zk_buf_free(&proof);
    zk_buf_free(&vkb);
    cnn_key_free(pk);
    cnn_key_free(vk);
    q_model_free(m);
    nn_graph_free(g);
    free(cal);
    free(x);
    free(xq);
    free(yq);
    free(tp);
    free(ti);
    free(tv);
    free(sts);
}

/* Runs run_model in a child; a crash or an unexpected exit becomes a note. */
static void run_forked(row_t *r, const char *dir, int runs) {
    row_t *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ZK_CHECK(sh != MAP_FAILED);
    *sh = *r;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    ZK_CHECK(pid >= 0);
    if (pid == 0) {
        run_model(sh, dir, runs);
        fflush(stdout);
        _exit(0);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    ZK_CHECK(wait4(pid, &status, 0, &ru) == pid);
    *r = *sh;
    munmap(sh, sizeof *sh);
    if (r->peak_rss_mb < 0 && r->status != ST_SKIPPED) r->peak_rss_mb = (double)ru.ru_maxrss / 1024.0;
    char prev[sizeof r->note]; /* set_note writes r->note */
    memcpy(prev, r->note, sizeof prev);
    if (WIFSIGNALED(status)) {
        set_note(r, ST_FAILED, "crashed: signal %d (%s)%s%.200s", WTERMSIG(status), strsignal(WTERMSIG(status)),
                 prev[0] ? " after: " : "", prev);
    } else if (WEXITSTATUS(status) != 0 || r->status == ST_NONE) {
        set_note(r, ST_FAILED, "exited with status %d%s%.200s", WEXITSTATUS(status), prev[0] ? ": " : "", prev);
    }
}

/* ---- output ---- */

/* A number with fmt, or empty when it was not measured (< 0). */
static void csv_num(zk_buf *b, const char *fmt, double v) {
    if (v >= 0) zk_buf_printf(b, fmt, v);
    zk_buf_put(b, ",", 1);
}

static void md_num(zk_buf *b, const char *fmt, double v) {
    zk_buf_put(b, " ", 1);
    if (v >= 0) zk_buf_printf(b, fmt, v);
    else zk_buf_put(b, "–", strlen("–"));
    zk_buf_put(b, " |", 2);
}

/* md cell text: '|' escaped, no line breaks. */
static void md_str(zk_buf *b, const char *s) {
    zk_buf_put(b, " ", 1);
    for (; *s; s++) {
        if (*s == '|') zk_buf_put(b, "\\|", 2);
        else if (*s == '\n' || *s == '\r') zk_buf_put(b, " ", 1);
        else zk_buf_put(b, s, 1);
    }
    zk_buf_put(b, " |", 2);
}

static void write_csv(zk_buf *b, const row_t *rows, size_t n, const char *cpu) {
    zk_buf_printf(b, "model,params,threads,zk,cpu,infer_ms,setup_s,prove_s");
    for (int p = 0; p < CNN_NPHASES; p++) zk_buf_printf(b, ",%s_s", cnn_phase_names[p]);
    zk_buf_printf(b, ",prover_new_s,prove_warm_s,vk_load_ms,vk_bytes,verify_ms,proof_bytes,w_cells,adv_cells,lookups,"
                     "peak_rss_mb,prove_runs,note\n");
    for (size_t i = 0; i < n; i++) {
        const row_t *r = &rows[i];
        bench_csv_field(b, r->model, 0);
        csv_num(b, "%.0f", r->params);
        zk_buf_printf(b, "%d,%d,", r->threads, r->zk);
        bench_csv_field(b, cpu, 0);
        csv_num(b, "%.4f", r->infer_ms);
        csv_num(b, "%.4f", r->setup_s);
        csv_num(b, "%.4f", r->prove_s);
        for (int p = 0; p < CNN_NPHASES; p++) csv_num(b, "%.4f", r->ph[p]);
        csv_num(b, "%.4f", r->prover_new_s);
        csv_num(b, "%.4f", r->prove_warm_s);
        csv_num(b, "%.4f", r->vk_load_ms);
        csv_num(b, "%.0f", r->vk_bytes);
        csv_num(b, "%.4f", r->verify_ms);
        csv_num(b, "%.0f", r->proof_bytes);
        csv_num(b, "%.0f", r->w_cells);
        csv_num(b, "%.0f", r->adv_cells);
        csv_num(b, "%.0f", r->lookups);
        csv_num(b, "%.1f", r->peak_rss_mb);
        csv_num(b, "%.0f", r->prove_runs > 0 ? (double)r->prove_runs : -1);
        bench_csv_field(b, r->note, 1);
    }
}

/* Cells as a power of two when they are one (they always are: 2^n tables). */
static void md_cells(zk_buf *b, double v) {
    if (v > 0) {
        int k = 0;
        while (k < 62 && (double)((uint64_t)1 << k) < v) k++;
        if ((double)((uint64_t)1 << k) == v) {
            zk_buf_printf(b, " 2^%d |", k);
            return;
        }
    }
    md_num(b, "%.0f", v);
}

static void write_md(zk_buf *b, const row_t *rows, size_t n, const char *cpu, const char *date, int threads,
                     const char *cmd, const double load[2]) {
    zk_buf_printf(b, "# CNN proofs: prover, verifier, proof size\n\n");
    zk_buf_printf(b, "| model | params | threads | zk | infer ms | setup s | prove s |");
    for (int p = 0; p < CNN_NPHASES; p++) zk_buf_printf(b, " %s s |", cnn_phase_names[p]);
    zk_buf_printf(b, " prover new s | prove warm s | vk load ms | vk KiB | verify ms | proof KiB | w cells | adv cells | lookups | peak RSS MiB | note |\n|---|");
    for (int c = 0; c < 6 + CNN_NPHASES + 10; c++) zk_buf_printf(b, "---:|");
    zk_buf_printf(b, "---|\n");
    for (size_t i = 0; i < n; i++) {
        const row_t *r = &rows[i];
        zk_buf_printf(b, "| %s |", r->model);
        md_num(b, "%.0f", r->params);
        zk_buf_printf(b, " %d | %s |", r->threads, r->zk ? "on" : "off");
        md_num(b, "%.3f", r->infer_ms);
        md_num(b, "%.3f", r->setup_s);
        md_num(b, "%.3f", r->prove_s);
        for (int p = 0; p < CNN_NPHASES; p++) md_num(b, "%.3f", r->ph[p]);
        md_num(b, "%.3f", r->prover_new_s);
        md_num(b, "%.3f", r->prove_warm_s);
        md_num(b, "%.2f", r->vk_load_ms);
        md_num(b, "%.1f", r->vk_bytes >= 0 ? r->vk_bytes / 1024.0 : -1);
        md_num(b, "%.2f", r->verify_ms);
        md_num(b, "%.1f", r->proof_bytes >= 0 ? r->proof_bytes / 1024.0 : -1);
        md_cells(b, r->w_cells);
        md_cells(b, r->adv_cells);
        md_cells(b, r->lookups);
        md_num(b, "%.0f", r->peak_rss_mb);
        md_str(b, r->note);
        zk_buf_put(b, "\n", 1);
    }
    zk_buf_printf(b,
                  "\nMeasured %s on %s, %d thread%s (the threads column gives each row's); command: `%s`; "
                  "OMP_WAIT_POLICY=%s; 1-minute load average %.2f at the start, %.2f at the end.\n",
                  date, cpu, threads, threads == 1 ? "" : "s", cmd, wait_policy(), load[0], load[1]);
    zk_buf_printf(b,
                  "\nparams: constants of the quantized model (sum of nw + nb over its nodes). infer: "
                  "q_quantize_input + q_run, median of %d runs (VGG-16: %d). setup: cnn_setup (weight "
                  "commitment and, for a certified one, its certificate), one run. vk load: cnn_vk_deserialize, which checks "
                  "a certified weight commitment's certificate (a once-per-key cost; the CLI's verify pays it per call), "
                  "one run. prove: cnn_prove, median of `prove_runs` runs (cnn.csv; default %d, "
                  "VGG-16 %d; of an even count the lower middle one); the phase columns (cnn_stats.t) are those of the median run. "
                  "prover new: cnn_prover_new, building the weight table and its commitment once for a prover that "
                  "keeps them; prove warm: cnn_prover_prove with it, same proofs (checked byte for byte), median of "
                  "`prove_runs` runs. verify: cnn_verify "
                  "with the decoded verifying key, median of %d runs (VGG-16: %d); in every row without a note "
                  "the proof verified and attested the quantized input and q_run's output. zk: the key's zero-knowledge "
                  "mode (protocol.md 9.5; its proofs are randomized, so the runs are checked to differ instead). "
                  "proof: transcript bytes. Cells: committed "
                  "weight and auxiliary table sizes and lookup leaves. Peak RSS: ru_maxrss of the process "
                  "that ran that row alone (one process per row).\n",
                  N_INFER, N_INFER_BIG, N_PROVE, N_PROVE_BIG, N_VERIFY, N_VERIFY_BIG);
}

static int usage(const char *argv0) {
    fprintf(stderr,
            "usage: %s [--threads N] [--model NAME]... [--runs R] [--no-1thread] [--zk off|on|both] [--models DIR] "
            "[--csv OUT.csv] [--md OUT.md]\n",
            argv0);
    return 2;
}

int main(int argc, char **argv) {
    zk_memory_keep(); /* zk.h: reuse freed tables rather than fault in fresh pages */
    const char *dir = "models", *csv_path = "experiments/results/cnn.csv", *md_path = "experiments/results/cnn.md";
    int want[NMODELS] = {0}, any = 0, threads = 0, runs = 0, single = 1, zk_lo = 0, zk_hi = 0;
    for (int a = 1; a < argc; a++) {
        const char *o = argv[a];
        if (strcmp(o, "--no-1thread") == 0) {
            single = 0;
            continue;
        }
        if (a + 1 >= argc) return usage(argv[0]);
        const char *v = argv[++a];
        if (strcmp(o, "--threads") == 0 || strcmp(o, "--runs") == 0) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end != '\0' || t < 1 || t > 1024) return usage(argv[0]);
            if (o[2] == 't') threads = (int)t;
            else runs = (int)t;
        } else if (strcmp(o, "--model") == 0) {
            int found = 0;
            for (int i = 0; i < NMODELS; i++)
                if (strcmp(v, all_models[i]) == 0) want[i] = found = 1;
            if (!found) {
                fprintf(stderr, "bench_cnn: unknown model %s\n", v);
                return usage(argv[0]);
            }
            any = 1;
        } else if (strcmp(o, "--zk") == 0) {
            if (strcmp(v, "off") == 0) zk_lo = zk_hi = 0;
            else if (strcmp(v, "on") == 0) zk_lo = zk_hi = 1;
            else if (strcmp(v, "both") == 0) zk_lo = 0, zk_hi = 1;
            else return usage(argv[0]);
        } else if (strcmp(o, "--models") == 0) {
            dir = v;
        } else if (strcmp(o, "--csv") == 0) {
            csv_path = v;
        } else if (strcmp(o, "--md") == 0) {
            md_path = v;
        } else {
            return usage(argv[0]);
        }
    }
    if (!any)
        for (int i = 0; i < NMODELS; i++) want[i] = 1;
    if (threads == 0) threads = zk_threads(); /* GKRCNN_THREADS, else all cores */
    char cpu[256], date[32];
    bench_cpu_model(cpu, sizeof cpu);
    time_t t_now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t_now));
    zk_buf cmd;
    zk_buf_init(&cmd);
    for (int a = 0; a < argc; a++) zk_buf_printf(&cmd, "%s%s", a ? " " : "", argv[a]);
    zk_buf_put(&cmd, "", 1);
    double load[2] = {load_avg(), -1};
    printf("bench_cnn: %s, %d thread%s, %s, OMP_WAIT_POLICY=%s, load average %.2f\n", cpu, threads,
           threads == 1 ? "" : "s", date, wait_policy(), load[0]);

    row_t rows[2 * (NMODELS + 1)];
    size_t nrows = 0;
    for (int j = 0; j <= 2 * NMODELS + 1; j++) {
        /* the extra job: LeNet-5 again on one thread; each in the modes asked for */
        int i = j / 2, zk = j % 2;
        int mi = i < NMODELS ? i : 0;
        if (!want[mi] || (i == NMODELS && (!single || threads == 1)) || zk < zk_lo || zk > zk_hi) continue;
        row_t *r = &rows[nrows++];
        memset(r, 0, sizeof *r);
        snprintf(r->model, sizeof r->model, "%s", all_models[mi]);
        r->threads = i < NMODELS ? threads : 1;
        r->zk = zk;
        r->params = r->infer_ms = r->setup_s = r->prove_s = r->prover_new_s = r->prove_warm_s = r->vk_load_ms = r->vk_bytes = r->verify_ms = -1;
        r->proof_bytes = r->w_cells = r->adv_cells = r->lookups = r->peak_rss_mb = -1;
        for (int p = 0; p < CNN_NPHASES; p++) r->ph[p] = -1;
        printf("%s (%d thread%s%s)\n", r->model, r->threads, r->threads == 1 ? "" : "s", zk ? ", zero-knowledge" : "");
        double t0 = now_s();
        run_forked(r, dir, runs);
        if (r->status != ST_SKIPPED)
            printf("  %s: done in %.1f s, peak RSS %.0f MiB\n", r->model, now_s() - t0, r->peak_rss_mb);
    }

    load[1] = load_avg();
    int bad = 0;
    for (size_t i = 0; i < nrows; i++) bad |= rows[i].status == ST_FAILED;
    zk_buf csv, md;
    zk_buf_init(&csv);
    zk_buf_init(&md);
    write_csv(&csv, rows, nrows, cpu);
    write_md(&md, rows, nrows, cpu, date, threads, (const char *)cmd.data, load);
    zk_err e = zk_write_file(csv_path, csv.data, csv.len);
    if (e == ZK_OK) e = zk_write_file(md_path, md.data, md.len);
    zk_buf_free(&csv);
    zk_buf_free(&md);
    zk_buf_free(&cmd);
    if (e != ZK_OK) {
        fprintf(stderr, "bench_cnn: %s: %s\n", zk_err_str(e), zk_reason());
        return 2;
    }
    printf("bench_cnn: %zu rows written to %s and %s\n", nrows, csv_path, md_path);
    if (bad) fprintf(stderr, "bench_cnn: a model failed (see the note column)\n");
    return bad ? 1 : 0;
}
