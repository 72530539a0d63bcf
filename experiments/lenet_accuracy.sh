#!/bin/sh
# LeNet-5 on the whole Fashion-MNIST test set (10,000 images): float vs quantized.
#
# Float: onnxruntime-node on models/lenet5_fashion.onnx, images read straight
# from the .gz IDX files (scripts/ort_eval.js), independent of the C code
# and of the HDF5 conversion. Quantized: gkrcnn's quantized path on the HDF5
# test set. The quantized accuracy must be within 0.5 percentage points of
# float. Results go to experiments/results/:
#   lenet5_float_eval.json   float per-image argmax, labels, accuracy
#   lenet5_quant_eval.json   quantized, same form (images, correct, argmax)
#   lenet5_accuracy.json     the comparison (scripts/accuracy_compare.js)
# Usage: sh experiments/lenet_accuracy.sh   (from anywhere; exit 1 if the gap is too large)
set -e
cd "$(dirname "$0")/.."
R=experiments/results
mkdir -p "$R"

make --no-print-directory ort data models/lenet5_fashion.onnx models/calib/lenet5_fashion_calib.json

node scripts/ort_eval.js models/lenet5_fashion.onnx --fashion-test --out "$R/lenet5_float_eval.json"

# TODO(lead, issue 3): quantized evaluation with the C command once it exists, writing
# {"images": 10000, "correct": C, "argmax": [...], "cpu": ..., "threads": ...} to $R/lenet5_quant_eval.json, e.g.
#   make --no-print-directory build/gkrcnn
#   build/gkrcnn QUANT-EVAL-COMMAND --model models/lenet5_fashion.onnx \
#       --calib models/calib/lenet5_fashion_calib.json --data build/data/fashion_mnist.h5 \
#       --out "$R/lenet5_quant_eval.json"
if [ ! -f "$R/lenet5_quant_eval.json" ]; then
    echo "lenet_accuracy.sh: quantized evaluation not available yet (TODO above); float result in $R/lenet5_float_eval.json" >&2
    exit 0
fi

node scripts/accuracy_compare.js "$R/lenet5_float_eval.json" "$R/lenet5_quant_eval.json" \
    --max-gap 0.5 --out "$R/lenet5_accuracy.json"
