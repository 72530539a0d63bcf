#!/usr/bin/python3
"""Small ONNX models covering every layer kind of the CNN prover, for the
spec check of tests/cli_test.sh (tests/spec/cnn_verify.py against
`gkrcnn prove`).

    python3 tests/spec/make_models.py DIR

writes DIR/NAME.onnx, DIR/NAME.calib.json (calibration samples) and
DIR/NAME.input.json (one input, also among the calibration samples, so it
stays in the calibrated range) for each NAME below, and prints the names.
Deterministic. Needs python3-onnx (no numpy).

  conv_pool      Conv (bias, pads) -> Relu -> MaxPool -> Flatten -> Gemm
  bn_leaky_avg   grouped dilated Conv -> LeakyRelu -> BatchNormalization
                 (an Affine node: not after a Conv, so not folded) ->
                 AveragePool (pads, count_include_pad=0) -> GlobalMaxPool ->
                 Flatten -> Gemm: LeakyRelu's, the Affine's and the average
                 pool's outputs are integer-checked (rule CHECK)
  residual       two Conv branches -> Add -> Relu -> GlobalAveragePool ->
                 Flatten -> Gemm: the Conv outputs and the pooled tensor
                 are integer-checked
  matmul_misc    Gemm -> Relu; MatMul of two computed tensors; Mul and Sub
                 by broadcast constants; Add with a constant first operand;
                 Mul and Sub of two tensors; Pad that pads and crops
  pad_pool       Pad (value) -> MaxPool (pads) -> AveragePool
                 (count_include_pad=1) -> strided Conv -> GlobalAveragePool
                 (the output)
  wide_conv      Conv 1 -> 64 channels on 32 x 32 -> Relu ->
                 GlobalAveragePool -> Gemm: 2^18 lookup leaves or more, so
                 the logUp argument runs with two challenges
  big_fc         one Gemm 1024 -> 1024: a weight table of 2^20 entries, so
                 a certified weight commitment (the certificate in the key)
  wiring         Transpose -> Slice (steps 2 and -2) -> Resize (nearest,
                 x2) and a Conv, joined by Concat (a rescale), then Concat
                 with a constant (exact) -> Relu -> Flatten -> Gemm
  lut_sig_tanh   Conv -> Sigmoid (input shift 1) -> Flatten -> Gemm -> Tanh
  lut_gelu_elu   Gemm -> Gelu (PyTorch's erf chain, fused by the importer)
                 -> Gemm -> Elu -> Selu -> Softplus -> Gemm -> Gelu (the
                 tanh chain) -> Erf: six function tables, two logUp
                 challenges with two gammas
  lut_hard       Gemm -> HardSigmoid, HardSwish, two Softsigns (which
                 share one table) -> Add, Sub, Add -> Exp (opset 14; Exp's
                 table repeats its first row beyond the calibrated range)
  clip_prelu     Conv -> PRelu (a slope per channel) -> Conv -> Clip
                 (0, 1.5: two comparisons, one at 0); Clip with only a
                 lower and with only an upper bound; Add, Mul
  softmax        Conv 1x1 -> Softmax over axis 1 (groups at stride 4,
                 input shift 1) -> Flatten -> Gemm -> Softmax over the last
                 axis (one group, with the bit h)
  logsoftmax     two Gemms -> LogSoftmax over axis 1 (h, log-table shift
                 s2) and over axis 0 (input shift 1) -> Add
"""
import json
import os
import random
import sys

import onnx
from onnx import TensorProto, helper


def rnd(rng, n, s=1.0):
    return [rng.uniform(-s, s) for _ in range(n)]


def init(name, dims, vals):
    return helper.make_tensor(name, TensorProto.FLOAT, dims, vals)


def ints(name, vals):
    return helper.make_tensor(name, TensorProto.INT64, [len(vals)], vals)


def numel(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def model(name, nodes, inits, in_dims, out_name, out_dims, opset=13):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_dims)],
                          [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, out_dims)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    return m, in_dims


def conv_pool(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2", "b2"], ["y"], transB=1),
    ]
    inits = [init("w1", [3, 1, 3, 3], rnd(rng, 27)), init("b1", [3], rnd(rng, 3, 0.2)),
             init("w2", [5, 48], rnd(rng, 240, 0.3)), init("b2", [5], rnd(rng, 5, 0.2))]
    return model("conv_pool", nodes, inits, [1, 1, 8, 8], "y", [1, 5])


def bn_leaky_avg(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], kernel_shape=[3, 3], group=2, dilations=[2, 2]),
        helper.make_node("LeakyRelu", ["c1"], ["l1"], alpha=0.1),
        helper.make_node("BatchNormalization", ["l1", "s", "bb", "mean", "var"], ["n1"]),
        helper.make_node("AveragePool", ["n1"], ["a1"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                         count_include_pad=0),
        helper.make_node("GlobalMaxPool", ["a1"], ["g1"]),
        helper.make_node("Flatten", ["g1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2"], ["y"], transB=1),
    ]
    inits = [init("w1", [4, 1, 3, 3], rnd(rng, 36)), init("s", [4], [rng.uniform(0.5, 1.5) for _ in range(4)]),
             init("bb", [4], rnd(rng, 4, 0.3)), init("mean", [4], rnd(rng, 4, 0.2)),
             init("var", [4], [rng.uniform(0.5, 2.0) for _ in range(4)]), init("w2", [3, 4], rnd(rng, 12))]
    return model("bn_leaky_avg", nodes, inits, [1, 2, 7, 7], "y", [1, 3])


def residual(rng):
    nodes = [
        helper.make_node("Conv", ["x", "wa", "ba"], ["ca"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["x", "wb"], ["cb"], kernel_shape=[1, 1]),
        helper.make_node("Add", ["ca", "cb"], ["s1"]),
        helper.make_node("Relu", ["s1"], ["r1"]),
        helper.make_node("GlobalAveragePool", ["r1"], ["g1"]),
        helper.make_node("Flatten", ["g1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2", "b2"], ["y"], transB=1),
    ]
    inits = [init("wa", [4, 2, 3, 3], rnd(rng, 72, 0.5)), init("ba", [4], rnd(rng, 4, 0.2)),
             init("wb", [4, 2, 1, 1], rnd(rng, 8)), init("w2", [3, 4], rnd(rng, 12)), init("b2", [3], rnd(rng, 3))]
    return model("residual", nodes, inits, [1, 2, 6, 6], "y", [1, 3])


def matmul_misc(rng):
    nodes = [
        helper.make_node("Gemm", ["x", "w1"], ["a"], transB=1),
        helper.make_node("Relu", ["a"], ["b"]),
        helper.make_node("MatMul", ["b", "a"], ["c"]),
        helper.make_node("Mul", ["c", "k1"], ["d"]),
        helper.make_node("Sub", ["d", "k2"], ["e"]),
        helper.make_node("Add", ["k3", "e"], ["e2"]),
        helper.make_node("Mul", ["e2", "b"], ["f"]),
        helper.make_node("Sub", ["f", "a"], ["g"]),
        helper.make_node("Pad", ["g", "pads", "pv"], ["y"]),
    ]
    inits = [init("w1", [4, 6], rnd(rng, 24)), init("k1", [1, 4], rnd(rng, 4)), init("k2", [4], rnd(rng, 4)),
             init("k3", [4, 1], rnd(rng, 4)), ints("pads", [1, -1, 0, 2]), init("pv", [], [0.5])]
    return model("matmul_misc", nodes, inits, [4, 6], "y", [5, 5])


def pad_pool(rng):
    nodes = [
        helper.make_node("Pad", ["x", "pads", "pv"], ["p0"]),
        helper.make_node("MaxPool", ["p0"], ["m1"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["m1"], ["a1"], kernel_shape=[2, 2], pads=[1, 0, 0, 1], count_include_pad=1),
        helper.make_node("Conv", ["a1", "w1", "b1"], ["c1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["c1"], ["y"]),
    ]
    inits = [ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]), init("pv", [], [-0.25]), init("w1", [3, 2, 2, 2], rnd(rng, 24)),
             init("b1", [3], rnd(rng, 3, 0.2))]
    return model("pad_pool", nodes, inits, [1, 2, 6, 6], "y", [1, 3, 1, 1])


def wide_conv(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("GlobalAveragePool", ["r1"], ["g1"]),
        helper.make_node("Flatten", ["g1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2"], ["y"], transB=1),
    ]
    inits = [init("w1", [64, 1, 3, 3], rnd(rng, 576)), init("b1", [64], rnd(rng, 64, 0.2)),
             init("w2", [4, 64], rnd(rng, 256, 0.3))]
    return model("wide_conv", nodes, inits, [1, 1, 32, 32], "y", [1, 4])


def big_fc(rng):
    nodes = [helper.make_node("Gemm", ["x", "w1"], ["y"], transB=1)]
    inits = [init("w1", [1024, 1024], rnd(rng, 1 << 20, 0.05))]
    return model("big_fc", nodes, inits, [1, 1024], "y", [1, 1024])


def scalar(name, v):
    return helper.make_tensor(name, TensorProto.FLOAT, [], [v])


def lut_sig_tanh(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3]),
        helper.make_node("Sigmoid", ["c1"], ["s1"]),
        helper.make_node("Flatten", ["s1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2", "b2"], ["g1"], transB=1),
        helper.make_node("Tanh", ["g1"], ["y"]),
    ]
    inits = [init("w1", [2, 1, 3, 3], rnd(rng, 18)), init("b1", [2], rnd(rng, 2, 0.2)),
             init("w2", [4, 32], rnd(rng, 128, 0.3)), init("b2", [4], rnd(rng, 4, 0.2))]
    return model("lut_sig_tanh", nodes, inits, [1, 1, 6, 6], "y", [1, 4])


def lut_gelu_elu(rng):
    nodes = [
        helper.make_node("Gemm", ["x", "w1"], ["a"], transB=1),
        # PyTorch's pre-opset-20 Gelu (erf form), fused into one node by the importer
        helper.make_node("Div", ["a", "sq2"], ["a1"]),
        helper.make_node("Erf", ["a1"], ["a2"]),
        helper.make_node("Add", ["a2", "one"], ["a3"]),
        helper.make_node("Mul", ["a", "a3"], ["a4"]),
        helper.make_node("Mul", ["a4", "half"], ["ge"]),
        helper.make_node("Gemm", ["ge", "w2"], ["b"], transB=1),
        helper.make_node("Elu", ["b"], ["el"], alpha=0.8),
        helper.make_node("Selu", ["el"], ["se"]),
        helper.make_node("Softplus", ["se"], ["sp"]),
        helper.make_node("Gemm", ["sp", "w3"], ["c"], transB=1),
        # the tanh form of Gelu, fused the same way
        helper.make_node("Mul", ["c", "c"], ["t1"]),
        helper.make_node("Mul", ["t1", "c"], ["t2"]),
        helper.make_node("Mul", ["t2", "k3"], ["t3"]),
        helper.make_node("Add", ["t3", "c"], ["t4"]),
        helper.make_node("Mul", ["t4", "k4"], ["t5"]),
        helper.make_node("Tanh", ["t5"], ["t6"]),
        helper.make_node("Add", ["t6", "one"], ["t7"]),
        helper.make_node("Mul", ["t7", "c"], ["t8"]),
        helper.make_node("Mul", ["t8", "half"], ["gt"]),
        helper.make_node("Erf", ["gt"], ["y"]),
    ]
    inits = [init("w1", [6, 5], rnd(rng, 30)), scalar("sq2", 1.4142135623730951), scalar("one", 1.0),
             scalar("half", 0.5), init("w2", [6, 6], rnd(rng, 36, 0.6)), init("w3", [3, 6], rnd(rng, 18, 0.5)),
             scalar("k3", 0.044715), scalar("k4", 0.7978845608028654)]
    return model("lut_gelu_elu", nodes, inits, [1, 5], "y", [1, 3])


def lut_hard(rng):
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["a"], transB=1),
        helper.make_node("HardSigmoid", ["a"], ["hs"], alpha=0.25, beta=0.4),
        helper.make_node("HardSwish", ["a"], ["hw"]),
        helper.make_node("Softsign", ["a"], ["ss"]),
        helper.make_node("Softsign", ["a"], ["ss2"]),
        helper.make_node("Add", ["hs", "hw"], ["s1"]),
        helper.make_node("Sub", ["s1", "ss"], ["s2"]),
        helper.make_node("Add", ["s2", "ss2"], ["s3"]),
        helper.make_node("Exp", ["s3"], ["y"]),
    ]
    inits = [init("w1", [8, 4], rnd(rng, 32, 1.5)), init("b1", [8], rnd(rng, 8, 0.5))]
    return model("lut_hard", nodes, inits, [2, 4], "y", [2, 8], opset=14)


def clip_prelu(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("PRelu", ["c1", "slope"], ["p1"]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], kernel_shape=[1, 1]),
        helper.make_node("Clip", ["c2", "zero", "six"], ["r6"]),
        helper.make_node("Clip", ["c1", "lo"], ["cl"]),
        helper.make_node("Clip", ["c2", "", "hi"], ["ch"]),
        helper.make_node("Add", ["cl", "ch"], ["s1"]),
        helper.make_node("Mul", ["s1", "r6"], ["y"]),
    ]
    inits = [init("w1", [3, 2, 3, 3], rnd(rng, 54, 0.8)), init("slope", [3, 1, 1], [0.1, -0.3, 0.5]),
             init("w2", [3, 3, 1, 1], rnd(rng, 9, 2.0)), init("b2", [3], rnd(rng, 3, 0.5)),
             scalar("zero", 0.0), scalar("six", 1.5), scalar("lo", -0.4), scalar("hi", 0.6)]
    return model("clip_prelu", nodes, inits, [1, 2, 4, 4], "y", [1, 3, 4, 4])


def softmax(rng):
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[1, 1]),
        helper.make_node("Softmax", ["c1"], ["s1"], axis=1),
        helper.make_node("Flatten", ["s1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2"], ["g1"], transB=1),
        helper.make_node("Softmax", ["g1"], ["y"], axis=-1),
    ]
    inits = [init("w1", [3, 2, 1, 1], rnd(rng, 6, 2.0)), init("b1", [3], rnd(rng, 3, 0.5)),
             init("w2", [5, 12], rnd(rng, 60))]
    return model("softmax", nodes, inits, [1, 2, 2, 2], "y", [1, 5])


def logsoftmax(rng):
    nodes = [
        helper.make_node("Gemm", ["x", "w1", "b1"], ["a"], transB=1),
        helper.make_node("LogSoftmax", ["a"], ["l1"], axis=1),
        helper.make_node("Gemm", ["x", "w2"], ["b"], transB=1),
        helper.make_node("LogSoftmax", ["b"], ["l2"], axis=0),
        helper.make_node("Add", ["l1", "l2"], ["y"]),
    ]
    inits = [init("w1", [6, 4], rnd(rng, 24, 2.0)), init("b1", [6], rnd(rng, 6, 0.5)),
             init("w2", [6, 4], rnd(rng, 24, 0.8))]
    return model("logsoftmax", nodes, inits, [3, 4], "y", [3, 6])


def wiring(rng):
    nodes = [
        helper.make_node("Transpose", ["x"], ["t1"], perm=[0, 1, 3, 2]),
        helper.make_node("Slice", ["t1", "st", "en", "ax", "sp"], ["s1"]),
        helper.make_node("Resize", ["s1", "", "sc"], ["r1"], mode="nearest"),
        helper.make_node("Conv", ["x", "w1"], ["c1"], kernel_shape=[1, 1]),
        helper.make_node("Concat", ["r1", "c1"], ["k1"], axis=1),
        helper.make_node("Concat", ["k1", "kc"], ["k2"], axis=1),
        helper.make_node("Relu", ["k2"], ["y1"]),
        helper.make_node("Flatten", ["y1"], ["f1"]),
        helper.make_node("Gemm", ["f1", "w2"], ["y"], transB=1),
    ]
    inits = [ints("st", [0, 3]), ints("en", [4, -100]), ints("ax", [2, 3]), ints("sp", [2, -2]),
             init("sc", [4], [1.0, 1.0, 2.0, 2.0]), init("w1", [3, 2, 1, 1], rnd(rng, 6)),
             init("kc", [1, 1, 4, 4], rnd(rng, 16, 0.5)), init("w2", [3, 96], rnd(rng, 288, 0.3))]
    return model("wiring", nodes, inits, [1, 2, 4, 4], "y", [1, 3])


MODELS = [conv_pool, bn_leaky_avg, residual, matmul_misc, pad_pool, wide_conv, big_fc, wiring, lut_sig_tanh, lut_gelu_elu,
          lut_hard, clip_prelu, softmax, logsoftmax]


def main(argv):
    if len(argv) != 2:
        print("usage: make_models.py DIR", file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for k, make in enumerate(MODELS):
        rng = random.Random(1000 + k)
        m, in_dims = make(rng)
        name = make.__name__
        onnx.save(m, os.path.join(out, name + ".onnx"))
        n = numel(in_dims)
        samples = [[round(v, 5) for v in rnd(rng, n)] for _ in range(8)]
        with open(os.path.join(out, name + ".calib.json"), "w") as f:
            json.dump({"input_data": samples}, f)
        with open(os.path.join(out, name + ".input.json"), "w") as f:
            json.dump({"input_data": [samples[3]]}, f)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
