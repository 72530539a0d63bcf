#!/usr/bin/env node
// ort_eval.js -- float reference for gkrcnn models with onnxruntime-node (CPU).
//
// Usage:
//   node scripts/ort_eval.js MODEL.onnx --json IN.json [--out OUT.json]
//       Runs every sample of an EZKL input file ({"input_data": [[...], ...]}
//       or {"input_data": {"File": [[...], ...]}}; each sample flattened
//       row-major to the model's static input shape) and writes the float
//       outputs as {"output_data": [[...], ...]}, one row per sample.
//   node scripts/ort_eval.js MODEL.onnx --fashion-test [--src DIR] [--out OUT.json] [--logits]
//       Evaluates all 10,000 Fashion-MNIST test images, read directly from
//       the .gz IDX files (DIR, default /usr/share/datasets/fashion-mnist)
//       with Node's zlib, preprocessed as in training:
//           x = (pixel / 255 - 0.2860) / 0.3530, each operation rounded to
//           float32 (Math.fround), layout 1 x 1 x 28 x 28.
//       Writes per-image argmax, the labels, the number correct and the
//       accuracy (and with --logits every image's outputs).
// Options: --threads N (onnxruntime intra-op threads, default 1),
//          --opt-level disabled|basic|extended|all (graph optimizations, default all).
//
// This shares no code with the C prover, the Python scripts or the HDF5
// conversion. Install its one dependency with `npm ci --ignore-scripts`
// (make ort). Exit status: 0 ok, 2 usage or bad input (one-line error).
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const os = require('os');

const PROG = 'ort_eval.js';
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const TEST_IMAGES = 't10k-images-idx3-ubyte.gz';
const TEST_LABELS = 't10k-labels-idx1-ubyte.gz';
const TEST_COUNT = 10000;
const MEAN = Math.fround(0.2860);
const STD = Math.fround(0.3530);
const NORMALIZATION = 'x = (pixel / 255 - mean) / std, each operation rounded to float32; ' +
  'mean = float32(0.2860), std = float32(0.3530); layout 1 x 1 x 28 x 28';

class UsageError extends Error {}

function fail(msg) {
  process.stderr.write(`${PROG}: ${msg}\n`);
  process.exit(2);
}

function usage() {
  return 'usage: node scripts/ort_eval.js MODEL.onnx (--json IN.json | --fashion-test [--src DIR] [--logits]) ' +
    '[--out OUT.json] [--threads N] [--opt-level disabled|basic|extended|all]';
}

function parseArgs(argv) {
  const a = { model: null, json: null, fashion: false, src: FASHION_DIR, out: null,
    logits: false, threads: 1, optLevel: 'all' };
  const needValue = (i) => {
    if (i + 1 >= argv.length) throw new UsageError(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    if (s === '--json') { a.json = needValue(i); i++; }
    else if (s === '--fashion-test') a.fashion = true;
    else if (s === '--src') { a.src = needValue(i); i++; }
    else if (s === '--out') { a.out = needValue(i); i++; }
    else if (s === '--logits') a.logits = true;
    else if (s === '--threads') {
      a.threads = Number(needValue(i)); i++;
      if (!Number.isInteger(a.threads) || a.threads < 1) throw new UsageError('--threads must be a positive integer');
    } else if (s === '--opt-level') {
      a.optLevel = needValue(i); i++;
      if (!['disabled', 'basic', 'extended', 'all'].includes(a.optLevel)) throw new UsageError(`bad --opt-level '${a.optLevel}'`);
    } else if (s === '-h' || s === '--help') { process.stdout.write(usage() + '\n'); process.exit(0); }
    else if (s.startsWith('-')) throw new UsageError(`unknown option ${s}`);
    else if (a.model === null) a.model = s;
    else throw new UsageError(`unexpected argument '${s}'`);
  }
  if (a.model === null) throw new UsageError(usage());
  if ((a.json !== null) === a.fashion) throw new UsageError('give exactly one of --json IN.json and --fashion-test');
  return a;
}

function sha256File(p) {
  return crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

function cpuModel() {
  const cpus = os.cpus();
  return cpus.length ? cpus[0].model : 'unknown';
}

// ---- EZKL JSON input ----

function readEzkl(file, numel) {
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${file}: cannot read (${e.code || e.message})`); }
  let obj;
  try { obj = JSON.parse(text); } catch (e) { throw new UsageError(`${file}: not JSON (${e.message})`); }
  if (obj === null || typeof obj !== 'object' || !('input_data' in obj)) {
    throw new UsageError(`${file}: no "input_data" key`);
  }
  let data = obj.input_data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    if (!Array.isArray(data.File)) throw new UsageError(`${file}: "input_data" is an object without a "File" list`);
    data = data.File;
  }
  if (!Array.isArray(data) || data.length === 0) throw new UsageError(`${file}: "input_data" must be a non-empty list of samples`);
  return data.map((row, i) => {
    if (!Array.isArray(row)) throw new UsageError(`${file}: sample ${i} is not a list of numbers`);
    if (row.length !== numel) throw new UsageError(`${file}: sample ${i} has ${row.length} values, the model input has ${numel}`);
    const x = new Float32Array(numel);
    for (let j = 0; j < numel; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${file}: sample ${i} value ${j} is not a finite number`);
      x[j] = v;  // rounds to float32
    }
    return x;
  });
}

// ---- Fashion-MNIST IDX (.gz) ----

function readIdx(file, magic, count, dims) {
  let buf;
  try { buf = zlib.gunzipSync(fs.readFileSync(file)); } catch (e) {
    throw new UsageError(`${file}: cannot read or gunzip (${e.code || e.message})`);
  }
  const header = 4 * (2 + dims.length);
  if (buf.length < header) throw new UsageError(`${file}: truncated IDX header (${buf.length} bytes)`);
  const m = buf.readUInt32BE(0);
  if (m !== magic) throw new UsageError(`${file}: bad IDX magic 0x${m.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')}`);
  const n = buf.readUInt32BE(4);
  if (n !== count) throw new UsageError(`${file}: header says ${n} items, expected ${count}`);
  let per = 1;
  dims.forEach((d, k) => {
    const got = buf.readUInt32BE(8 + 4 * k);
    if (got !== d) throw new UsageError(`${file}: dimension ${k + 1} is ${got}, expected ${d}`);
    per *= d;
  });
  if (buf.length !== header + n * per) throw new UsageError(`${file}: ${buf.length} bytes after gunzip, header implies ${header + n * per}`);
  return buf.subarray(header);
}

function normalizePixel(p) {
  const a = Math.fround(p / 255);
  const b = Math.fround(a - MEAN);
  return Math.fround(b / STD);
}

// ---- main ----

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  let ort;
  try { ort = require('onnxruntime-node'); } catch (e) {
    fail('onnxruntime-node is not installed: run `make ort` (npm ci --ignore-scripts) in the repository root');
  }
  if (!fs.existsSync(args.model)) fail(`${args.model}: no such file`);
  let session;
  try {
    session = await ort.InferenceSession.create(args.model, {
      executionProviders: ['cpu'], intraOpNumThreads: args.threads, interOpNumThreads: 1,
      graphOptimizationLevel: args.optLevel,
    });
  } catch (e) {
    fail(`${args.model}: onnxruntime cannot load it (${String(e.message).split('\n')[0]})`);
  }
  if (session.inputNames.length !== 1) fail(`${args.model}: expected one input, found ${session.inputNames.length}`);
  const inName = session.inputNames[0];
  const outName = session.outputNames[0];
  const meta = session.inputMetadata && session.inputMetadata[0];
  const shape = meta && meta.isTensor ? meta.shape : null;
  if (!shape || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    fail(`${args.model}: input '${inName}' has no static shape (${JSON.stringify(shape)})`);
  }
  const numel = shape.reduce((p, d) => p * d, 1);
  const run = async (x) => {
    const res = await session.run({ [inName]: new ort.Tensor('float32', x, shape) });
    return res[outName].data;
  };
  const toList = (a) => Array.from(a, (v) => v);  // float32 values, exact as JSON numbers
  const write = (obj) => {
    const text = JSON.stringify(obj) + '\n';
    if (args.out) {
      fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
      fs.writeFileSync(args.out + '.tmp', text);
      fs.renameSync(args.out + '.tmp', args.out);
    } else process.stdout.write(text);
  };

  try {
    if (args.json !== null) {
      const samples = readEzkl(args.json, numel);
      const outputs = [];
      for (const x of samples) outputs.push(toList(await run(x)));
      write({ output_data: outputs });
      return;
    }

    // --fashion-test
    if (numel !== 28 * 28) fail(`${args.model}: input shape ${JSON.stringify(shape)} is not one 28x28 image`);
    const imgFile = path.join(args.src, TEST_IMAGES);
    const labFile = path.join(args.src, TEST_LABELS);
    const images = readIdx(imgFile, 0x803, TEST_COUNT, [28, 28]);
    const labels = readIdx(labFile, 0x801, TEST_COUNT, []);
    const lut = new Float32Array(256);
    for (let p = 0; p < 256; p++) lut[p] = normalizePixel(p);
    const t0 = process.hrtime.bigint();
    const argmax = new Array(TEST_COUNT);
    const logits = args.logits ? new Array(TEST_COUNT) : null;
    let correct = 0;
    const x = new Float32Array(numel);
    for (let i = 0; i < TEST_COUNT; i++) {
      for (let j = 0; j < numel; j++) x[j] = lut[images[i * numel + j]];
      const y = await run(x);
      let best = 0;
      for (let k = 1; k < y.length; k++) if (y[k] > y[best]) best = k;  // first maximum
      argmax[i] = best;
      if (best === labels[i]) correct++;
      if (logits) logits[i] = toList(y);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const ortVersion = require('onnxruntime-node/package.json').version;
    const result = {
      model: args.model,
      model_sha256: sha256File(args.model),
      runtime: `onnxruntime-node ${ortVersion} (CPU), graph optimization ${args.optLevel}`,
      dataset: 'Fashion-MNIST test set',
      images_file: imgFile, images_sha256: sha256File(imgFile),
      labels_file: labFile, labels_sha256: sha256File(labFile),
      normalization: NORMALIZATION,
      images: TEST_COUNT,
      correct,
      accuracy: correct / TEST_COUNT,
      cpu: cpuModel(),
      threads: args.threads,
      seconds: Math.round(seconds * 100) / 100,
      argmax,
      labels: Array.from(labels),
    };
    if (logits) result.logits = logits;
    write(result);
    process.stderr.write(`${path.basename(args.model)}: onnxruntime float accuracy ${(100 * correct / TEST_COUNT).toFixed(2)}% ` +
      `(${correct}/${TEST_COUNT}), ${seconds.toFixed(1)} s\n`);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    fail(`${args.model}: ${String(e.message).split('\n')[0]}`);
  }
}

main();
