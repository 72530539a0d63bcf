#!/usr/bin/python3
"""Write the test inputs and the calibration set of a Fashion-MNIST model.

Usage: scripts/fashion_inputs.py PREFIX [PREFIX...] [--models-dir DIR] [--src DIR]

For each PREFIX (lenet5_fashion, mlp3_fashion, cnn_softmax_fashion) writes, preprocessed as in
scripts/fmnist.py:
  models/inputs/PREFIX_{0..4}.json   test images 0..4, EZKL {"input_data": [[784 floats]]}
  models/inputs/PREFIX_labels.json   their labels
  models/inputs/PREFIX_0.pb          test image 0, ONNX TensorProto "input" 1x1x28x28
  models/calib/PREFIX_calib.json     training images 0..63, EZKL {"input_data": [[...], ...]}
The training scripts write the same files; this regenerates them without training.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description="Fashion-MNIST model inputs and calibration sets")
    ap.add_argument("prefix", nargs="+", help="file name prefix, e.g. lenet5_fashion")
    ap.add_argument("--models-dir", default="models", help="default models")
    ap.add_argument("--src", default=fmnist.DEFAULT_DIR,
                    help=f"Fashion-MNIST .gz directory (default {fmnist.DEFAULT_DIR})")
    args = ap.parse_args()
    for prefix in args.prefix:
        if not prefix or "/" in prefix:
            fmnist.die(f"bad prefix '{prefix}'")
        try:
            for p in fmnist.write_fashion_inputs(prefix, args.models_dir, args.src):
                print(f"wrote {p}")
        except fmnist.DataError as e:
            fmnist.die(str(e))
        except OSError as e:
            fmnist.die(f"cannot write: {e}")


if __name__ == "__main__":
    main()
