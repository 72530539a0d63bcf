#!/usr/bin/python3
"""Generate the CIFAR-10-shaped benchmark models with seeded random weights.

Usage: scripts/make_models.py [vgg16_cifar] [resnet_small] [resnet18_cifar] [mobilenetv2_cifar]
                             [--seed S] [--models-dir DIR]
(no names: all)

vgg16_cifar  VGG-16 (configuration D) for 3 x 32 x 32 input: 13 conv 3x3
             (pad 1, bias) + ReLU in 5 stages of 64, 128, 256, 512, 512
             channels, each closed by MaxPool 2x2; then Flatten (512) and
             FC 512->512, ReLU, FC 512->512, ReLU, FC 512->10. No BatchNorm
             and no Dropout. 15,245,130 parameters. Kaiming-normal weights
             (fan_in, ReLU gain), PyTorch's default uniform biases.
resnet_small ResNet-8 in the CIFAR style of He et al. (v1, post-activation):
             conv 3x3 3->16 + BN + ReLU, then three stages of one basic block
             each (16, 32, 64 channels; stride 1, 2, 2): conv3x3-BN-ReLU-
             conv3x3-BN, plus a shortcut that is the identity or, where the
             shape changes, a 1x1 stride-2 conv + BN; residual Add, ReLU.
             GlobalAveragePool, Flatten, FC 64->10. Convs without bias.
             78,042 parameters (plus 672 BatchNorm running statistics).
             Kaiming-normal conv weights; BatchNorm gamma ~ U(0.75, 1.25),
             beta ~ U(-0.1, 0.1), running mean/var measured on 256 seeded
             random inputs, so that activations keep a sensible scale.
             Exported in inference mode with the BatchNormalization nodes
             kept (not folded by the exporter): the importer folds them.
resnet18_cifar ResNet-18 in the usual CIFAR-10 form (He et al., v1): conv
             3x3 3->64 + BN + ReLU (no max pool), four stages of two basic
             blocks (64, 128, 256, 512 channels; first block of stages 2-4
             with stride 2 and a 1x1 stride-2 conv + BN shortcut), global
             average pool, FC 512->10. Convs without bias. 11,173,962
             parameters. Initialised and BatchNorm-calibrated as
             resnet_small; exported in inference mode with BatchNorm folded
             into the convolutions by the exporter (PyTorch's default).
mobilenetv2_cifar MobileNetV2 (Sandler et al. 2018, width 1.0) in the usual
             CIFAR-10 form: the stem conv 3x3 3->32 has stride 1 and the
             second bottleneck stage (24 channels) stride 1 instead of 2,
             so 32x32 inputs reach 4x4 before the head. Inverted residual
             blocks (t, c, n, s) = (1,16,1,1) (6,24,2,1) (6,32,3,2)
             (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1): 1x1 expand +
             BN + ReLU6 (not for t = 1), 3x3 depthwise (group = channels) +
             BN + ReLU6, 1x1 project + BN (linear bottleneck), identity
             residual Add where the stride is 1 and channels agree; then
             1x1 conv 320->1280 + BN + ReLU6, global average pool, FC
             1280->10 (no Dropout). Convs without bias. 2,236,682 parameters.
             Initialised and BatchNorm-calibrated as resnet_small; BatchNorm
             folded by the exporter; ReLU6 exports as Clip(0, 6).

Both: opset 13, static batch 1, input "input" [1,3,32,32], output "logits".
Also writes seeded random inputs x ~ N(0,1) clipped to [-3, 3] (float32):
  models/inputs/NAME_0.json     one sample, EZKL {"input_data": [[3072 floats]]}
  models/calib/NAME_calib.json  16 samples, EZKL {"input_data": [[...], ...]}
and prints the exact parameter counts. Deterministic: same seed, same files.
Must be run with Debian's /usr/bin/python3 (python3-torch, python3-onnx).
"""

import argparse
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist  # noqa: E402  (JSON writers, die)

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see fmnist_train.py
try:
    import numpy as np
    import torch
    import torch.nn as nn
except ImportError:
    fmnist.die("torch/numpy missing: run with /usr/bin/python3 and install python3-torch")

OPSET = 13
SHAPE = (3, 32, 32)
VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
             512, 512, 512, "M", 512, 512, 512, "M"]


def init_conv_bn(model):
    """Kaiming-normal conv weights; BatchNorm gamma ~ U(0.75, 1.25), beta ~ U(-0.1, 0.1)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.uniform_(m.weight, 0.75, 1.25)
            nn.init.uniform_(m.bias, -0.1, 0.1)


MBV2_CFG = [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2),
            (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn(cin, cout, k, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    return nn.Sequential(*(layers + [nn.ReLU6()] if act else layers))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, t):
        super().__init__()
        hid = cin * t
        layers = [] if t == 1 else [conv_bn(cin, hid, 1)]
        layers += [conv_bn(hid, hid, 3, stride=stride, groups=hid), conv_bn(hid, cout, 1, act=False)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        blocks, c = [conv_bn(SHAPE[0], 32, 3)], 32
        for t, cout, n, s in MBV2_CFG:
            for i in range(n):
                blocks.append(InvertedResidual(c, cout, s if i == 0 else 1, t))
                c = cout
        blocks.append(conv_bn(c, 1280, 1))
        self.features = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(1280, num_classes))
        init_conv_bn(self)

    def forward(self, x):
        return self.head(self.pool(self.features(x)))


class VGG16(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        layers, c = [], SHAPE[0]
        for v in VGG16_CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(c, v, kernel_size=3, padding=1), nn.ReLU()]
                c = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(512, 512), nn.ReLU(),
            nn.Linear(512, 512), nn.ReLU(),
            nn.Linear(512, num_classes),
        )
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")

    def forward(self, x):
        return self.classifier(self.features(x))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
        self.relu2 = nn.ReLU()

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x)))))
        return self.relu2(y + self.shortcut(x))


class ResNetSmall(nn.Module):
    """CIFAR-style ResNet: `depth` basic blocks per stage (ResNet-8: widths
    16, 32, 64 and one block each; ResNet-18: 64..512 and two each)."""
    def __init__(self, widths=(16, 32, 64), num_classes=10, depth=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(SHAPE[0], widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        blocks, c = [], widths[0]
        for i, w in enumerate(widths):
            for j in range(depth):
                blocks.append(BasicBlock(c, w, 2 if i > 0 and j == 0 else 1))
                c = w
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(c, num_classes))
        init_conv_bn(self)

    def forward(self, x):
        return self.head(self.pool(self.blocks(self.stem(x))))


def random_inputs(rng, n):
    """n seeded inputs, float32 N(0,1) clipped to [-3, 3], shape n x 3 x 32 x 32."""
    x = rng.standard_normal((n,) + SHAPE, dtype=np.float32)
    return np.clip(x, np.float32(-3), np.float32(3))


@torch.no_grad()
def calibrate_bn(model, gen, n=256, batch=64):
    """Set BatchNorm running statistics to the exact mean/variance over n
    seeded random inputs (momentum None = cumulative average)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    for _ in range(n // batch):
        x = torch.randn((batch,) + SHAPE, generator=gen).clamp_(-3, 3)
        model(x)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = 0.1  # back to the default (irrelevant for inference)
    model.eval()


def export(model, path, keep_bn):
    import onnx
    model.eval()
    tmp = path + ".tmp"
    # EVAL lets the exporter fold BatchNorm into the preceding Conv;
    # PRESERVE (on a model in eval mode) keeps inference BatchNormalization nodes.
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    with warnings.catch_warnings():
        # PRESERVE warns about constant folding in training mode; the model is in eval mode
        warnings.simplefilter("ignore", UserWarning)
        torch.onnx.export(model, torch.zeros((1,) + SHAPE), tmp, opset_version=OPSET,
                          input_names=["input"], output_names=["logits"],
                          do_constant_folding=True, training=mode)
    m = onnx.load(tmp)
    onnx.checker.check_model(m)
    os.replace(tmp, path)
    ops = {}
    for node in m.graph.node:
        ops[node.op_type] = ops.get(node.op_type, 0) + 1
    return ops


def build(name, seed):
    torch.manual_seed(seed)
    if name == "vgg16_cifar":
        return VGG16()
    if name == "mobilenetv2_cifar":
        model = MobileNetV2()
        calibrate_bn(model, torch.Generator().manual_seed(seed + 1))
        return model
    model = ResNetSmall(widths=(64, 128, 256, 512), depth=2) if name == "resnet18_cifar" else ResNetSmall()
    calibrate_bn(model, torch.Generator().manual_seed(seed + 1))
    return model


# name -> keep BatchNorm nodes; new models go at the end (a model's seed is
# --seed + 100 x its position here)
MODELS = {"vgg16_cifar": False, "resnet_small": True, "resnet18_cifar": False, "mobilenetv2_cifar": False}


def main():
    ap = argparse.ArgumentParser(description="Seeded VGG-16, small ResNet, ResNet-18 and MobileNetV2 (CIFAR shape) -> ONNX")
    ap.add_argument("names", nargs="*", help=f"models to make: {', '.join(MODELS)} (default all)")
    ap.add_argument("--models-dir", default="models", help="default models")
    ap.add_argument("--seed", type=int, default=1, help="weight and input seed (default 1)")
    ap.add_argument("--calib", type=int, default=16, help="calibration samples (default 16)")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    args = ap.parse_args()
    names = args.names or list(MODELS)
    for n in names:
        if n not in MODELS:
            fmnist.die(f"unknown model '{n}' (known: {', '.join(MODELS)})")
    if args.calib < 1 or args.threads < 1:
        fmnist.die("--calib and --threads must be positive")
    torch.set_num_threads(args.threads)

    for k, name in enumerate(MODELS):
        if name not in names:
            continue
        model = build(name, args.seed + 100 * k)
        nparams = sum(p.numel() for p in model.parameters())
        nbuf = sum(b.numel() for b in model.buffers() if b.dtype.is_floating_point)
        path = os.path.join(args.models_dir, f"{name}.onnx")
        try:
            os.makedirs(args.models_dir, exist_ok=True)
            ops = export(model, path, keep_bn=MODELS[name])
            rng = np.random.default_rng(args.seed + 100 * k + 7)
            x0 = random_inputs(rng, 1)
            xc = random_inputs(rng, args.calib)
            p_in = os.path.join(args.models_dir, "inputs", f"{name}_0.json")
            p_cal = os.path.join(args.models_dir, "calib", f"{name}_calib.json")
            fmnist.write_json(p_in, fmnist.ezkl_input(x0))
            fmnist.write_json(p_cal, fmnist.ezkl_input(xc))
        except OSError as e:
            fmnist.die(f"cannot write: {e}")
        with torch.no_grad():
            y = model(torch.from_numpy(x0))
        print(f"{name}: {nparams:,} parameters"
              + (f" (+ {nbuf:,} BatchNorm running statistics)" if nbuf else "")
              + f"; wrote {path} ({os.path.getsize(path):,} bytes), ops "
              + ", ".join(f"{op} x{c}" for op, c in ops.items()))
        print(f"  wrote {p_in}, {p_cal} ({args.calib} samples); "
              f"torch logits of {name}_0: {[round(v, 4) for v in y[0].tolist()]}")


if __name__ == "__main__":
    main()
