"""Seeded, deterministic CPU training and ONNX export for the Fashion-MNIST
models in models/ (used by train_lenet5.py and train_mlp3.py).

Must be run with Debian's /usr/bin/python3 (python3-torch 1.13,
python3-onnx, python3-numpy). Training uses a fixed number of CPU threads
(default 2, OpenMP workers that sleep rather than spin); with the same seed, thread count and torch build the weights
and the exported .onnx are bit-identical from run to run.
"""

import argparse
import json
import os
import platform
import sys
import time

import fmnist  # first: a one-line error if numpy is missing
import numpy as np

# Sleeping (not spinning) OpenMP workers: on a shared 2-core machine spinning
# threads made training up to 17x slower. Results do not depend on it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
try:
    import torch
    import torch.nn as nn
except ImportError:
    fmnist.die("torch missing: run with /usr/bin/python3 and install python3-torch")

OPSET = 13


def common_args(description, default_epochs, default_lr, default_batch):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--src", default=fmnist.DEFAULT_DIR,
                    help=f"Fashion-MNIST .gz directory (default {fmnist.DEFAULT_DIR})")
    ap.add_argument("--models-dir", default="models",
                    help="where the .onnx, inputs/ and calib/ go (default models)")
    ap.add_argument("--seed", type=int, default=1, help="torch/shuffle seed (default 1)")
    ap.add_argument("--epochs", type=int, default=default_epochs,
                    help=f"training epochs (default {default_epochs})")
    ap.add_argument("--batch", type=int, default=default_batch,
                    help=f"minibatch size (default {default_batch})")
    ap.add_argument("--lr", type=float, default=default_lr,
                    help=f"Adam learning rate at epoch 0, cosine-decayed to 0 (default {default_lr})")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    ap.add_argument("--no-inputs", action="store_true",
                    help="do not (re)write models/inputs and models/calib")
    return ap


def setup(args):
    if args.epochs < 1 or args.batch < 1 or args.threads < 1 or not args.lr > 0:
        fmnist.die("--epochs, --batch, --threads and --lr must be positive")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)


def load_data(src):
    try:
        tr_img, tr_lab = fmnist.load_split("train", src)
        te_img, te_lab = fmnist.load_split("test", src)
    except fmnist.DataError as e:
        fmnist.die(str(e))
    xtr = torch.from_numpy(fmnist.normalize(tr_img))
    ytr = torch.from_numpy(tr_lab.astype(np.int64))
    xte = torch.from_numpy(fmnist.normalize(te_img))
    yte = torch.from_numpy(te_lab.astype(np.int64))
    return xtr, ytr, xte, yte


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    out = [model(x[i:i + batch]).argmax(dim=1) for i in range(0, x.shape[0], batch)]
    return torch.cat(out)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def train(model, args, xtr, ytr, xte, yte):
    """Adam + cosine learning-rate decay, cross-entropy. Returns a dict of
    per-epoch statistics and the training wall time."""
    g = torch.Generator().manual_seed(args.seed)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = xtr.shape[0]
    steps_per_epoch = (n + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * steps_per_epoch)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        te = time.perf_counter()
        model.train()
        perm = torch.randperm(n, generator=g)
        total = 0.0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * idx.shape[0]
        acc = (predict(model, xte) == yte).float().mean().item()
        history.append({"epoch": epoch + 1, "train_loss": round(total / n, 5),
                        "test_accuracy": round(acc, 5),
                        "seconds": round(time.perf_counter() - te, 1)})
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {total / n:.4f}, "
              f"test accuracy {100 * acc:.2f}%, {time.perf_counter() - te:.1f} s", flush=True)
    return history, time.perf_counter() - t0


def export_onnx(model, path, output_name="logits"):
    """Export with static batch 1, input "input" [1,1,28,28], output
    output_name ("logits" unless the model ends in a Softmax)."""
    import onnx
    model.eval()
    dummy = torch.zeros(1, 1, fmnist.ROWS, fmnist.COLS)
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.onnx.export(model, dummy, tmp, opset_version=OPSET, input_names=["input"],
                      output_names=[output_name], do_constant_folding=True,
                      training=torch.onnx.TrainingMode.EVAL)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    os.replace(tmp, path)
    return [node.op_type for node in m.graph.node]


def run(model, name, args, description, output_name="logits"):
    """Train model, export models/NAME.onnx, write inputs and NAME_train.json.
    The caller runs setup(args) before constructing the model (seeded init).
    Training and the accuracy use model(x) in train/eval mode as given; a
    model whose eval-mode output is probabilities passes output_name."""
    t_start = time.perf_counter()
    xtr, ytr, xte, yte = load_data(args.src)
    print(f"{name}: {count_params(model)} parameters; {description}", flush=True)
    print(f"training on CPU, {torch.get_num_threads()} threads, seed {args.seed}, "
          f"{args.epochs} epochs, batch {args.batch}, Adam lr {args.lr} cosine", flush=True)
    history, train_s = train(model, args, xtr, ytr, xte, yte)
    pred = predict(model, xte)
    correct = int((pred == yte).sum().item())
    acc = correct / xte.shape[0]
    print(f"{name}: torch test accuracy {100 * acc:.2f}% ({correct}/{xte.shape[0]}), "
          f"training time {train_s:.1f} s", flush=True)

    onnx_path = os.path.join(args.models_dir, f"{name}.onnx")
    ops = export_onnx(model, onnx_path, output_name)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, opset {OPSET}): "
          f"{' '.join(ops)}")
    if not args.no_inputs:
        for p in fmnist.write_fashion_inputs(name, args.models_dir, args.src):
            print(f"wrote {p}")
    meta = {
        "model": f"{name}.onnx",
        "description": description,
        "parameters": count_params(model),
        "onnx_ops": ops,
        "opset": OPSET,
        "normalization": fmnist.NORMALIZATION,
        "seed": args.seed, "epochs": args.epochs, "batch": args.batch,
        "optimizer": f"Adam(lr={args.lr}), cosine decay to 0 over all steps, cross-entropy",
        "threads": torch.get_num_threads(),
        "training_seconds": round(train_s, 1),
        "total_seconds": round(time.perf_counter() - t_start, 1),
        "torch_test_accuracy": acc,
        "torch_test_correct": correct,
        "test_images": int(xte.shape[0]),
        "history": history,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "cpu": fmnist_cpu_model(),
    }
    fmnist.write_json(os.path.join(args.models_dir, f"{name}_train.json"), meta)
    print(f"wrote {os.path.join(args.models_dir, f'{name}_train.json')}")
    # torch's per-image predictions, for comparison with scripts/ort_eval.js
    os.makedirs("build/models", exist_ok=True)
    fmnist.write_json(f"build/models/{name}_torch_pred.json",
                      {"model": onnx_path, "correct": correct, "accuracy": acc,
                       "argmax": [int(v) for v in pred]})


def fmnist_cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main_guard(fn):
    try:
        fn()
    except KeyboardInterrupt:
        sys.exit(130)
