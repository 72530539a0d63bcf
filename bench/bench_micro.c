/* bench_micro.c -- driver of the micro-benchmarks.
 *
 *   bench_micro OUT.csv [--threads N] [--only MODULE...]
 *
 * Runs bench_fields, bench_sumcheck, bench_pcs, bench_gkr and bench_plonkish (or only the
 * named ones), prints every figure as it is measured, and writes them all
 * to OUT.csv as
 *     name,params,value,unit,cpu,threads,date
 * (RFC 4180 quoting; params such as "n=24,k=2" contain commas). The file is
 * written once at the end through zk_write_file, so a failed run leaves no
 * partial file. Threads: --threads N, else GKRCNN_THREADS, else all cores.
 */
#include <stdarg.h>
#include <malloc.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

typedef struct {
    char name[64], params[192], unit[16];
    double value;
} bench_rec;

static bench_rec *rows;
static size_t nrows, caprows;

double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bench_row(const char *name, const char *params, double value, const char *unit) {
    if (nrows == caprows) {
        caprows = caprows ? 2 * caprows : 64;
        rows = zk_realloc_n(rows, caprows, sizeof *rows);
    }
    bench_rec *r = &rows[nrows++];
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->params, sizeof r->params, "%s", params);
    snprintf(r->unit, sizeof r->unit, "%s", unit);
    r->value = value;
    printf("%-28s %-22s %14.6g %s\n", name, params, value, unit);
    fflush(stdout);
}

/* VmHWM from /proc/self/status; getrusage as a fallback. */
size_t bench_peak_rss(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned long kb = 0;
        int found = 0;
        while (!found && fgets(line, sizeof line, f)) found = sscanf(line, "VmHWM: %lu kB", &kb) == 1;
        fclose(f);
        if (found) return (size_t)kb * 1024;
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) return (size_t)ru.ru_maxrss * 1024;
    return 0;
}

static int usage(const char *argv0) {
    fprintf(stderr, "usage: %s OUT.csv [--threads N] [--only fields|sumcheck|pcs|gkr|plonkish ...]\n", argv0);
    return 2;
}

int main(int argc, char **argv) {
    zk_memory_keep(); /* zk.h: reuse freed tables rather than fault in fresh pages */
    static const struct {
        const char *name;
        void (*fn)(void);
    } benches[] = {{"fields", bench_fields}, {"sumcheck", bench_sumcheck}, {"pcs", bench_pcs}, {"gkr", bench_gkr},
                   {"plonkish", bench_plonkish}};
    enum { NB = sizeof benches / sizeof benches[0] };
    if (argc < 2 || argv[1][0] == '-') return usage(argv[0]);
    /* keep freed memory in the heap (no mmap/trim for big tables), so
     * repeated runs reuse pages instead of faulting in fresh zeroed ones */
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    const char *out = argv[1];
    int want[NB], any_only = 0;
    for (int i = 0; i < NB; i++) want[i] = 1;
    for (int a = 2; a < argc; a++) {
        if (strcmp(argv[a], "--threads") == 0 && a + 1 < argc) {
            char *end;
            long t = strtol(argv[++a], &end, 10);
            if (*end != '\0' || t < 1 || t > 1024) return usage(argv[0]);
            zk_threads_set((int)t);
        } else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc) {
            if (!any_only)
                for (int i = 0; i < NB; i++) want[i] = 0;
            any_only = 1;
            int found = 0;
            a++;
            for (int i = 0; i < NB; i++)
                if (strcmp(argv[a], benches[i].name) == 0) want[i] = found = 1;
            if (!found) return usage(argv[0]);
        } else {
            return usage(argv[0]);
        }
    }
    int threads = zk_threads(); /* also applies GKRCNN_THREADS */
    char cpu[256];
    bench_cpu_model(cpu, sizeof cpu);
    char date[32];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    printf("bench_micro: %s, %d thread%s, %s\n", cpu, threads, threads == 1 ? "" : "s", date);

    for (int i = 0; i < NB; i++)
        if (want[i]) benches[i].fn();
    bench_row("peak_rss", "process", (double)bench_peak_rss() / (1 << 20), "MiB");

    zk_buf csv;
    zk_buf_init(&csv);
    const char *hdr = "name,params,value,unit,cpu,threads,date\n";
    zk_buf_put(&csv, hdr, strlen(hdr));
    char num[64], th[16];
    snprintf(th, sizeof th, "%d", threads);
    for (size_t i = 0; i < nrows; i++) {
        snprintf(num, sizeof num, "%.10g", rows[i].value);
        bench_csv_field(&csv, rows[i].name, 0);
        bench_csv_field(&csv, rows[i].params, 0);
        bench_csv_field(&csv, num, 0);
        bench_csv_field(&csv, rows[i].unit, 0);
        bench_csv_field(&csv, cpu, 0);
        bench_csv_field(&csv, th, 0);
        bench_csv_field(&csv, date, 1);
    }
    zk_err e = zk_write_file(out, csv.data, csv.len);
    zk_buf_free(&csv);
    free(rows);
    if (e != ZK_OK) {
        fprintf(stderr, "bench_micro: %s: %s\n", zk_err_str(e), zk_reason());
        return 1;
    }
    printf("bench_micro: %zu rows written to %s\n", nrows, out);
    return 0;
}
