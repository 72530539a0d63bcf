/* bench_sys.c -- what every benchmark driver shares: the machine's CPU model
 * and the CSV field writer. */
#include <stdio.h>
#include <string.h>

#include "bench.h"

void bench_cpu_model(char *out, size_t cap) {
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        const char *v = strchr(line, ':');
        if (!v) continue;
        v++;
        while (*v == ' ' || *v == '\t') v++;
        snprintf(out, cap, "%s", v);
        out[strcspn(out, "\n")] = '\0';
        break;
    }
    fclose(f);
}

void bench_csv_field(zk_buf *b, const char *s, int last) {
    if (strpbrk(s, ",\"\r\n")) {
        zk_buf_put(b, "\"", 1);
        for (; *s; s++) {
            if (*s == '"') zk_buf_put(b, "\"", 1);
            zk_buf_put(b, s, 1);
        }
        zk_buf_put(b, "\"", 1);
    } else {
        zk_buf_put(b, s, strlen(s));
    }
    zk_buf_put(b, last ? "\n" : ",", 1);
}
