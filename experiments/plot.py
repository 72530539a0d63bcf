#!/usr/bin/python3
"""Draws experiments/results/experiments.png from experiments.h5 (written by
bench_experiments, `make experiments`): prover time and peak memory against
model size (multiply-accumulates) for the GKR prover and the Plonkish
baseline, log-log. Points the baseline did not run are drawn hollow at their
projected memory."""
import math
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

src = sys.argv[1] if len(sys.argv) > 1 else "experiments/results/experiments.h5"
out = sys.argv[2] if len(sys.argv) > 2 else "experiments/results/experiments.png"
with h5py.File(src, "r") as f:
    models = [m.decode() if isinstance(m, bytes) else str(m) for m in f["models"][()]]
    macs = f["macs"][()]
    g_prove, g_rss = f["gkr/prove_s"][()], f["gkr/peak_rss_mb"][()]
    p_prove, p_rss, p_proj = f["plonk/prove_s"][()], f["plonk/peak_rss_mb"][()], f["plonk/projected_mb"][()]
    cpu, threads, date = (f.attrs[k] for k in ("cpu", "threads", "date"))
    cpu, threads, date = [x.decode() if isinstance(x, bytes) else str(x) for x in (cpu, threads, date)]

fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
for a, (gv, pv, lab) in zip(ax, ((g_prove, p_prove, "prover time (s)"), (g_rss, p_rss, "peak RSS (MiB)"))):
    ok = [i for i in range(len(models)) if not math.isnan(gv[i])]
    a.loglog([macs[i] for i in ok], [gv[i] for i in ok], "o-", label="GKR (gkrcnn, M61)")
    ok = [i for i in range(len(models)) if not math.isnan(pv[i])]
    a.loglog([macs[i] for i in ok], [pv[i] for i in ok], "s-", label="PLONK + KZG (BN254)")
    if lab.startswith("peak"):
        pr = [i for i in range(len(models)) if math.isnan(pv[i]) and not math.isnan(p_proj[i])]
        if pr:
            a.loglog([macs[i] for i in pr], [p_proj[i] for i in pr], "s", mfc="none", label="PLONK, projected (not run)")
    for i, m in enumerate(models):
        if not math.isnan(gv[i]):
            a.annotate(m.split("_")[0], (macs[i], gv[i]), fontsize=7, xytext=(3, -9), textcoords="offset points")
    a.set_xlabel("multiply-accumulates per inference")
    a.set_ylabel(lab)
    a.grid(True, which="both", alpha=0.3)
    a.legend(fontsize=8)
fig.suptitle(f"Same quantized models, same witness; {cpu}, {threads} threads, {date}", fontsize=9)
fig.tight_layout()
fig.savefig(out, dpi=120)
print("wrote", out)
