#!/bin/sh
# A Fashion-MNIST model on the whole test set (10,000 images): float vs quantized.
#
# Usage: sh experiments/fashion_accuracy.sh [MODEL...]   (default: lenet5_fashion
#        cnn_softmax_fashion;
#        from anywhere; exit 1 if a gap is too large)
#
# Float: onnxruntime-node on models/MODEL.onnx, images read straight from
# the .gz IDX files (scripts/ort_eval.js), independent of the C code and of
# the HDF5 conversion. Quantized: gkrcnn's quantized path on the HDF5 test
# set. The class is the argmax of the output (logits or, for a model ending
# in Softmax, probabilities; ties to the lowest index). The quantized
# accuracy must be within 0.5 percentage points of float. Results go to
# experiments/results/, with S = MODEL without "_fashion":
#   S_float_eval.json   float per-image argmax, labels, accuracy
#   S_quant_eval.json   quantized, same form (images, correct, argmax)
#   S_setup_report.json the quantization report of gkrcnn setup
#   S_accuracy.json     the comparison (scripts/accuracy_compare.js)
set -e
cd "$(dirname "$0")/.."
R=experiments/results
mkdir -p "$R"
[ $# -gt 0 ] || set -- lenet5_fashion cnn_softmax_fashion

make --no-print-directory ort data build/gkrcnn
for M in "$@"; do
    S=${M%_fashion}
    make --no-print-directory "models/$M.onnx" "models/calib/${M}_calib.json"

    node scripts/ort_eval.js "models/$M.onnx" --fashion-test --out "$R/${S}_float_eval.json"

    # Quantized: setup (calibration on 64 training images) and integer
    # inference over the HDF5 test set with the C engine; argmax against the
    # same labels.
    build/gkrcnn setup --no-zk --model "models/$M.onnx" --calib "models/calib/${M}_calib.json" --out "build/$M"
    build/gkrcnn infer --pk "build/$M/model.pk" --input build/data/fashion_mnist.h5:/test/x \
        --out "build/${S}_quant_outputs.json"
    cp "build/$M/settings.json" "$R/${S}_setup_report.json"
    node scripts/outputs_to_eval.js "build/${S}_quant_outputs.json" "$R/${S}_float_eval.json" \
        "$R/${S}_quant_eval.json" --note "gkrcnn quantized engine, b_act 16, b_w 12; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

    node scripts/accuracy_compare.js "$R/${S}_float_eval.json" "$R/${S}_quant_eval.json" \
        --max-gap 0.5 --out "$R/${S}_accuracy.json"
done
