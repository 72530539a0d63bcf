#!/usr/bin/python3
"""Convert Fashion-MNIST (Debian's dataset-fashion-mnist) to one HDF5 file.

Usage: scripts/fashion_to_h5.py [OUT.h5] [--src DIR]

Datasets written (gzip level 4 + shuffle, chunked by 256 images):
  train/images  uint8   60000 x 28 x 28   raw pixels
  train/labels  uint8   60000             class 0..9
  train/x       float32 60000 x 1 x 28 x 28  preprocessed model input
  test/images   uint8   10000 x 28 x 28
  test/labels   uint8   10000
  test/x        float32 10000 x 1 x 28 x 28

The x datasets carry the normalization as attributes (normalization, mean,
std, layout); the root carries the source file names and their SHA-256.
Must be run with Debian's /usr/bin/python3 (python3-numpy, python3-h5py).
Exit status: 0 ok, 2 bad input or output (one-line error).
"""

import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist  # noqa: E402

DEFAULT_OUT = "build/data/fashion_mnist.h5"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description="Fashion-MNIST IDX (.gz) -> HDF5")
    ap.add_argument("out", nargs="?", default=DEFAULT_OUT,
                    help=f"output HDF5 file (default {DEFAULT_OUT})")
    ap.add_argument("--src", default=fmnist.DEFAULT_DIR,
                    help=f"directory of the four .gz IDX files (default {fmnist.DEFAULT_DIR})")
    args = ap.parse_args()

    try:
        import h5py
    except ImportError:
        fmnist.die("h5py missing: run with /usr/bin/python3 and install python3-h5py")

    try:
        splits = {s: fmnist.load_split(s, args.src) for s in ("train", "test")}
    except fmnist.DataError as e:
        fmnist.die(str(e))

    out_dir = os.path.dirname(args.out)
    tmp = args.out + ".tmp"
    try:
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
        with h5py.File(tmp, "w") as f:
            f.attrs["description"] = "Fashion-MNIST (Zalando), converted by scripts/fashion_to_h5.py"
            f.attrs["source_dir"] = args.src
            for (split, kind), name in sorted(fmnist.FILES.items()):
                f.attrs[f"sha256_{name}"] = sha256(os.path.join(args.src, name))
            f.attrs["class_names"] = fmnist.CLASS_NAMES
            for split, (images, labels) in splits.items():
                g = f.create_group(split)
                n = images.shape[0]
                kw = dict(compression="gzip", compression_opts=4, shuffle=True)
                g.create_dataset("images", data=images, chunks=(min(256, n), 28, 28), **kw)
                g.create_dataset("labels", data=labels, chunks=(n,), **kw)
                x = fmnist.normalize(images)
                d = g.create_dataset("x", data=x, chunks=(min(256, n), 1, 28, 28), **kw)
                d.attrs["normalization"] = fmnist.NORMALIZATION
                d.attrs["mean"] = fmnist.MEAN
                d.attrs["std"] = fmnist.STD
                d.attrs["layout"] = "NCHW"
        os.replace(tmp, args.out)
    except OSError as e:
        try:
            os.remove(tmp)
        except OSError:
            pass
        fmnist.die(f"{args.out}: cannot write ({e})")
    print(f"wrote {args.out}: train {splits['train'][0].shape[0]}, "
          f"test {splits['test'][0].shape[0]} images")


if __name__ == "__main__":
    main()
