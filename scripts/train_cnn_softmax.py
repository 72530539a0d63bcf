#!/usr/bin/python3
"""Train a small CNN with a Softmax output on Fashion-MNIST (CPU, seeded) and
export models/cnn_softmax_fashion.onnx.

Usage: scripts/train_cnn_softmax.py [--epochs N] [--seed S] [--threads T] [--models-dir DIR]

Architecture (input 1 x 1 x 28 x 28, normalized as in scripts/fmnist.py):
  Conv 3x3, 1->8, pad 1  -> ReLU -> MaxPool 2x2 stride 2   (8 x 14 x 14)
  Conv 3x3, 8->16, pad 1 -> ReLU -> MaxPool 2x2 stride 2   (16 x 7 x 7)
  Flatten (784) -> FC 64 -> ReLU -> FC 10 -> Softmax (class probabilities)
52,138 parameters. Trained on the logits with cross-entropy (the module
returns logits in training mode); in eval mode, and so in the export, it
returns softmax(logits) over axis 1: the ONNX graph ends in a Softmax node
and its output is "probabilities" (1 x 10, summing to 1).

Writes models/cnn_softmax_fashion.onnx (opset 13, static batch 1),
models/cnn_softmax_fashion_train.json, models/inputs/cnn_softmax_fashion_*.json,
_labels.json, _0.pb and models/calib/cnn_softmax_fashion_calib.json.
Must be run with Debian's /usr/bin/python3 (python3-torch, python3-onnx).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_train as ft  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


class CnnSoftmax(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2, 2),
            nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2, 2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 7 * 7, 64), nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        logits = self.classifier(self.features(x))
        return logits if self.training else torch.softmax(logits, dim=1)


DESCRIPTION = ("CNN with a Softmax output: conv3x3(1->8,pad 1)-ReLU-maxpool2, conv3x3(8->16,pad 1)-ReLU-maxpool2, "
               "FC 784->64-ReLU, FC 64->10, Softmax(axis 1)")


def main():
    ap = ft.common_args("Train a CNN with a Softmax output on Fashion-MNIST and export ONNX",
                        default_epochs=8, default_lr=2e-3, default_batch=64)
    args = ap.parse_args()
    ft.setup(args)  # seeds torch before the weights are initialized
    ft.run(CnnSoftmax(), "cnn_softmax_fashion", args, DESCRIPTION, output_name="probabilities")


if __name__ == "__main__":
    ft.main_guard(main)
