#!/usr/bin/env node
// outputs_to_eval.js -- turn `gkrcnn infer --out` outputs into an evaluation
// record comparable with ort_eval.js --fashion-test.
//
// Usage: node scripts/outputs_to_eval.js OUTPUTS.json LABELS_FROM.json OUT.json [--note TEXT]
//   OUTPUTS.json     {"output_data": [[logits...], ...]} from gkrcnn infer
//   LABELS_FROM.json a record with "labels" (e.g. ort_eval.js's output)
// Writes {"images": N, "correct": C, "accuracy": A, "argmax": [...], "labels_from": ...}.
// Exit 2 on bad input.
'use strict';
const fs = require('fs');

function fail(msg) { process.stderr.write(`outputs_to_eval.js: ${msg}\n`); process.exit(2); }
function load(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) { fail(`${file}: ${e.code || e.message}`); }
}

const argv = process.argv.slice(2);
let note = null;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--note' && i + 1 < argv.length) note = argv[++i];
  else if (argv[i].startsWith('-')) fail(`unknown option ${argv[i]}`);
  else files.push(argv[i]);
}
if (files.length !== 3) fail('usage: node scripts/outputs_to_eval.js OUTPUTS.json LABELS_FROM.json OUT.json [--note TEXT]');
const outs = load(files[0]).output_data;
const labels = load(files[1]).labels;
if (!Array.isArray(outs) || outs.length === 0) fail(`${files[0]}: needs a non-empty "output_data" list`);
if (!Array.isArray(labels) || labels.length !== outs.length)
  fail(`${files[1]}: "labels" must have ${outs.length} entries`);
const argmax = outs.map((row, i) => {
  if (!Array.isArray(row) || row.length === 0 || !row.every(Number.isFinite)) fail(`${files[0]}: sample ${i} is not a list of numbers`);
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
});
const correct = argmax.reduce((c, a, i) => c + (a === labels[i] ? 1 : 0), 0);
const rec = { images: outs.length, correct, accuracy: correct / outs.length, argmax, labels_from: files[1] };
if (note) rec.note = note;
fs.writeFileSync(files[2], JSON.stringify(rec) + '\n');
process.stdout.write(`${files[2]}: ${correct}/${outs.length} correct (${(100 * correct / outs.length).toFixed(2)}%)\n`);
