#!/usr/bin/python3
"""Train a 3-layer MLP on Fashion-MNIST (CPU, seeded) and export models/mlp3_fashion.onnx.

Usage: scripts/train_mlp3.py [--epochs N] [--seed S] [--threads T] [--models-dir DIR]

Architecture (input 1 x 1 x 28 x 28, the same preprocessing as LeNet-5):
  Flatten (784) -> FC 128 -> ReLU -> FC 64 -> ReLU -> FC 10 (logits)
109,386 parameters. The input keeps the image shape so that the LeNet-5
inputs, calibration set and HDF5 test/x serve both models.

Writes models/mlp3_fashion.onnx (opset 13, static batch 1, input "input",
output "logits"), models/mlp3_fashion_train.json, models/inputs/mlp3_fashion_*
and models/calib/mlp3_fashion_calib.json.
Must be run with Debian's /usr/bin/python3 (python3-torch, python3-onnx).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_train as ft  # noqa: E402
import torch.nn as nn  # noqa: E402


class MLP3(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 128), nn.ReLU(),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.net(x)


DESCRIPTION = "MLP: Flatten, FC 784->128-ReLU, FC 128->64-ReLU, FC 64->10"


def main():
    ap = ft.common_args("Train a 3-layer MLP on Fashion-MNIST and export ONNX",
                        default_epochs=8, default_lr=1e-3, default_batch=64)
    args = ap.parse_args()
    ft.setup(args)  # seeds torch before the weights are initialized
    ft.run(MLP3(), "mlp3_fashion", args, DESCRIPTION)


if __name__ == "__main__":
    ft.main_guard(main)
