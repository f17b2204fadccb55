#!/usr/bin/env node
// The atlas site's front-matter reader, for Casebook's tests: gray-matter 4 with js-yaml 3
// (YAML 1.1), exactly as the site applies them.
//
// `node read.js --scalars` reads plain scalars, one per line, on stdin and prints, for each, the
// tagged value js-yaml 3 (as gray-matter calls it) reads for `k: <scalar>`.
//
// `node read.js --docs` reads JSON lines {"name": "...", "text": "..."} on stdin (documents that
// need not be files) and prints one JSON line per document as below, with "path" the name.
//
// Otherwise reads file paths, one per line, on stdin (or as arguments) and prints one JSON line
// per file:
//   {"path": "...", "ok": true, "data": <value>}   or   {"path": "...", "ok": false, "error": "..."}
// Values are tagged so that what JSON cannot tell apart stays apart:
//   {"t":"null"} {"t":"bool","v":true} {"t":"num","v":"750"} (String(n): "Infinity", "NaN")
//   {"t":"str","v":"..."} {"t":"date","v":"2024-01-01T00:00:00.000Z"} {"t":"bytes","v":"<base64>"}
//   {"t":"list","v":[...]} {"t":"map","v":[["key", <value>], ...]} (in the order read)
'use strict';

const fs = require('fs');
const matter = require('gray-matter');

function tag(v) {
  if (v === null || v === undefined) return { t: 'null' };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'number') return { t: 'num', v: String(v) };
  if (typeof v === 'string') return { t: 'str', v };
  if (v instanceof Date) return { t: 'date', v: isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString() };
  if (Buffer.isBuffer(v)) return { t: 'bytes', v: v.toString('base64') };
  if (Array.isArray(v)) return { t: 'list', v: v.map(tag) };
  if (typeof v === 'object') return { t: 'map', v: Object.keys(v).map((k) => [k, tag(v[k])]) };
  return { t: 'other', v: String(v) };
}

function read(path, given) {
  try {
    const text = given === undefined ? fs.readFileSync(path, 'utf8') : given;
    // Options (even empty) turn off gray-matter's cache keyed by content, which would hide a
    // second failure on the same text.
    const file = matter(text, {});
    return { path, ok: true, data: tag(file.data) };
  } catch (e) {
    return { path, ok: false, error: String(e && e.message ? e.message : e).split('\n')[0] };
  }
}

function scalars() {
  const yaml = require('js-yaml');
  const lines = fs.readFileSync(0, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out = [];
  for (const s of lines) {
    try {
      out.push(JSON.stringify({ ok: true, data: tag(yaml.safeLoad('k: ' + s + '\n').k) }));
    } catch (e) {
      out.push(JSON.stringify({ ok: false, error: String(e.message).split('\n')[0] }));
    }
  }
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
}

function main() {
  if (process.argv[2] === '--scalars') return scalars();
  if (process.argv[2] === '--docs') {
    const lines = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
    const out = lines.map((l) => {
      const d = JSON.parse(l);
      return JSON.stringify(read(d.name, d.text));
    });
    process.stdout.write(out.length ? out.join('\n') + '\n' : '');
    return;
  }
  let paths = process.argv.slice(2);
  if (paths.length === 0) {
    paths = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
  }
  const out = [];
  for (const p of paths) out.push(JSON.stringify(read(p)));
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
}

main();
