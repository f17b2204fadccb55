#!/usr/bin/env node
// The baseline of `benches/check-vs-site/run.sh`: what the atlas site does with a checkout at the
// least — find every case folder (a folder holding index.md) under the given roots, read each
// index.md with gray-matter 4 (js-yaml 3) and JSON.parse each .geojson beside it. Prints a count
// so the work cannot be skipped. Uses tests/site-reader/node_modules (run `npm ci` there first).
'use strict';

const fs = require('fs');
const path = require('path');
const matter = require(path.join(__dirname, '..', '..', 'tests', 'site-reader', 'node_modules', 'gray-matter'));

function walk(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return;
  }
  if (entries.some((e) => e.isFile() && e.name === 'index.md')) {
    out.push(dir);
    return;
  }
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
      walk(path.join(dir, e.name), out);
    }
  }
}

let cases = [];
for (const root of process.argv.slice(2)) walk(root, cases);
let keys = 0;
let features = 0;
let failed = 0;
for (const dir of cases) {
  try {
    const m = matter(fs.readFileSync(path.join(dir, 'index.md'), 'utf8'));
    keys += Object.keys(m.data || {}).length;
  } catch (e) {
    failed += 1;
  }
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.geojson')) continue;
    try {
      const g = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      features += (g.features || [g]).length;
    } catch (e) {
      failed += 1;
    }
  }
}
console.log(`${cases.length} cases, ${keys} keys, ${features} features, ${failed} unreadable`);
