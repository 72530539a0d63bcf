#!/usr/bin/python3
"""Tiny ONNX models for the CNN prover's tests (tests/data), made with the
onnx helper API so they need no training. Run: /usr/bin/python3 scripts/make_test_models.py

  matmul_act.onnx  X[4,6] -> A = Relu(X); B = Reshape(Relu(-1 * X), [6,4]);
                   P = MatMul(A, B); Y = P + P * P: a MatMul and a Mul of two
                   computed tensors, which no conformance case has.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper

X = helper.make_tensor_value_info("X", TensorProto.FLOAT, [4, 6])
Y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [4, 4])
shape = helper.make_tensor("shape", TensorProto.INT64, [2], [6, 4])
nodes = [
    helper.make_node("Relu", ["X"], ["A"]),
    helper.make_node("Mul", ["X", "m1"], ["NX"]),
    helper.make_node("Relu", ["NX"], ["NR"]),
    helper.make_node("Reshape", ["NR", "shape"], ["B"]),
    helper.make_node("MatMul", ["A", "B"], ["P"]),
    helper.make_node("Mul", ["P", "P"], ["Q"]),
    helper.make_node("Add", ["P", "Q"], ["Y"]),
]
m1 = helper.make_tensor("m1", TensorProto.FLOAT, [1], [-1.0])
g = helper.make_graph(nodes, "matmul_act", [X], [Y], initializer=[shape, m1])
model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "tests/data/matmul_act.onnx")
rng = np.random.default_rng(7)
x = rng.uniform(-1, 1, size=(4, 4, 6)).astype(np.float32)
with open("tests/data/matmul_act_calib.json", "w") as f:
    import json
    json.dump({"input_data": [s.reshape(-1).tolist() for s in x]}, f)
print("wrote tests/data/matmul_act.onnx and tests/data/matmul_act_calib.json")
