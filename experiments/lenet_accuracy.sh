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
#   lenet5_setup_report.json the quantization report of gkrcnn setup
#   lenet5_accuracy.json     the comparison (scripts/accuracy_compare.js)
# Usage: sh experiments/lenet_accuracy.sh   (from anywhere; exit 1 if the gap is too large)
set -e
cd "$(dirname "$0")/.."
R=experiments/results
mkdir -p "$R"

make --no-print-directory ort data models/lenet5_fashion.onnx models/calib/lenet5_fashion_calib.json

node scripts/ort_eval.js models/lenet5_fashion.onnx --fashion-test --out "$R/lenet5_float_eval.json"

# Quantized: setup (calibration on 64 training images) and integer inference
# over the HDF5 test set with the C engine; argmax against the same labels.
make --no-print-directory build/gkrcnn
build/gkrcnn setup --model models/lenet5_fashion.onnx --calib models/calib/lenet5_fashion_calib.json \
    --out build/lenet5_fashion
build/gkrcnn infer --pk build/lenet5_fashion/model.pk --input build/data/fashion_mnist.h5:/test/x \
    --out build/lenet5_quant_outputs.json
cp build/lenet5_fashion/settings.json "$R/lenet5_setup_report.json"
node scripts/outputs_to_eval.js build/lenet5_quant_outputs.json "$R/lenet5_float_eval.json" \
    "$R/lenet5_quant_eval.json" --note "gkrcnn quantized engine, b_act 16, b_w 12; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

node scripts/accuracy_compare.js "$R/lenet5_float_eval.json" "$R/lenet5_quant_eval.json" \
    --max-gap 0.5 --out "$R/lenet5_accuracy.json"
