#!/usr/bin/python3
"""Train LeNet-5 on Fashion-MNIST (CPU, seeded) and export models/lenet5_fashion.onnx.

Usage: scripts/train_lenet5.py [--epochs N] [--seed S] [--threads T] [--models-dir DIR]

Architecture (input 1 x 1 x 28 x 28, normalized as in scripts/fmnist.py):
  Conv 5x5, 1->6, pad 2  -> ReLU -> MaxPool 2x2 stride 2   (6 x 14 x 14)
  Conv 5x5, 6->16, pad 0 -> ReLU -> MaxPool 2x2 stride 2   (16 x 5 x 5)
  Flatten (400) -> FC 120 -> ReLU -> FC 84 -> ReLU -> FC 10 (logits)
61,706 parameters. Max pooling (not the original average pooling);
padding 2 on the first convolution keeps the classic 32x32 geometry.

Writes models/lenet5_fashion.onnx (opset 13, static batch 1, input
"input", output "logits"), models/lenet5_fashion_train.json (settings,
timings, accuracy), models/inputs/lenet5_fashion_{0..4}.json, _labels.json,
_0.pb and models/calib/lenet5_fashion_calib.json.
Must be run with Debian's /usr/bin/python3 (python3-torch, python3-onnx).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_train as ft  # noqa: E402
import torch.nn as nn  # noqa: E402


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
            nn.MaxPool2d(2, 2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


DESCRIPTION = ("LeNet-5: conv5x5(1->6,pad 2)-ReLU-maxpool2, conv5x5(6->16)-ReLU-maxpool2, "
               "FC 400->120-ReLU, FC 120->84-ReLU, FC 84->10")


def main():
    ap = ft.common_args("Train LeNet-5 on Fashion-MNIST and export ONNX",
                        default_epochs=10, default_lr=2e-3, default_batch=64)
    args = ap.parse_args()
    ft.setup(args)  # seeds torch before the weights are initialized
    ft.run(LeNet5(), "lenet5_fashion", args, DESCRIPTION)


if __name__ == "__main__":
    ft.main_guard(main)
