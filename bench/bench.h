/* bench.h -- micro-benchmark harness: each bench/bench_<module>.c defines
 * `void bench_<module>(void)` and reports figures with bench_row; the
 * driver (bench_micro.c) writes them to experiments/results/micro.csv with
 * the CPU model and thread count. Timing lives here, never in src/. */
#ifndef GKRCNN_BENCH_H
#define GKRCNN_BENCH_H

#include "../src/core/zk.h"

/* Wall-clock seconds (CLOCK_MONOTONIC). */
double bench_now(void);
/* Record one figure: e.g. bench_row("sumcheck_prove", "n=24,k=2", 0.41, "s"). */
void bench_row(const char *name, const char *params, double value, const char *unit);
/* The CPU's model name from /proc/cpuinfo ("unknown" if absent); bench_sys.c. */
void bench_cpu_model(char *out, size_t cap);
/* One CSV field (RFC 4180: quoted when it holds a comma, a quote or a line
 * break), then ',' or, when last, a newline; bench_sys.c. */
void bench_csv_field(zk_buf *b, const char *s, int last);
/* Peak resident set size of this process so far, in bytes. */
size_t bench_peak_rss(void);

void bench_fields(void);
void bench_sumcheck(void);
void bench_pcs(void);
void bench_gkr(void);
void bench_plonkish(void);

#endif
