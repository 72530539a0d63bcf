#!/usr/bin/env node
// accuracy_compare.js -- compare float and quantized accuracy on the same test set.
//
// Usage: node scripts/accuracy_compare.js FLOAT.json QUANT.json [--out OUT.json] [--max-gap PP]
//
// Both inputs have the form written by `ort_eval.js --fashion-test`:
//   {"images": N, "correct": C, "argmax": [N class indices], ...}
// ("labels" is taken from FLOAT.json when present). Writes a summary with both
// accuracies, the gap in percentage points and the per-image agreement of the
// two argmax lists. Exit status: 0 when |float - quantized| <= PP percentage
// points (default 0.5), 1 when the gap is larger, 2 on usage or bad input.
'use strict';
const fs = require('fs');
const path = require('path');

function fail(msg) { process.stderr.write(`accuracy_compare.js: ${msg}\n`); process.exit(2); }

function load(file) {
  let o;
  try { o = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { fail(`${file}: ${e.code || e.message}`); }
  if (!o || !Number.isInteger(o.images) || o.images <= 0 || !Number.isInteger(o.correct) ||
      o.correct < 0 || o.correct > o.images) fail(`${file}: needs integer "images" > 0 and "correct" in 0..images`);
  if (o.argmax !== undefined && (!Array.isArray(o.argmax) || o.argmax.length !== o.images)) {
    fail(`${file}: "argmax" must list ${o.images} class indices`);
  }
  return o;
}

const argv = process.argv.slice(2);
let out = null, maxGap = 0.5;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out' && i + 1 < argv.length) out = argv[++i];
  else if (argv[i] === '--max-gap' && i + 1 < argv.length) {
    maxGap = Number(argv[++i]);
    if (!(maxGap >= 0)) fail('--max-gap must be a non-negative number of percentage points');
  } else if (argv[i].startsWith('-')) fail(`unknown option ${argv[i]}`);
  else files.push(argv[i]);
}
if (files.length !== 2) fail('usage: node scripts/accuracy_compare.js FLOAT.json QUANT.json [--out OUT.json] [--max-gap PP]');
const [f, q] = files.map(load);
if (f.images !== q.images) fail(`${files[0]} has ${f.images} images, ${files[1]} has ${q.images}`);
const fa = 100 * f.correct / f.images, qa = 100 * q.correct / q.images;
const gap = fa - qa;
let agree = null;
if (f.argmax && q.argmax) { agree = 0; for (let i = 0; i < f.images; i++) if (f.argmax[i] === q.argmax[i]) agree++; }
const summary = {
  float_file: files[0], quantized_file: files[1], images: f.images,
  float_correct: f.correct, quantized_correct: q.correct,
  float_accuracy_pct: fa, quantized_accuracy_pct: qa,
  gap_pp: gap, max_gap_pp: maxGap, argmax_agreement: agree,
  pass: Math.abs(gap) <= maxGap + 1e-12,
};
const text = JSON.stringify(summary, null, 1) + '\n';
if (out) { fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true }); fs.writeFileSync(out, text); }
process.stdout.write(`float ${fa.toFixed(2)}%, quantized ${qa.toFixed(2)}%, gap ${gap.toFixed(2)} pp ` +
  `(limit ${maxGap}), argmax agreement ${agree === null ? 'n/a' : `${agree}/${f.images}`}: ${summary.pass ? 'PASS' : 'FAIL'}\n`);
process.exit(summary.pass ? 0 : 1);
