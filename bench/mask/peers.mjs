// The npm peers of bench-mask on the same labeled corpus: redact-pii (SyncRedactor) and
// @redactpii/node (Redactor), each with its defaults and with only the rules that match
// our entities. For each: throughput (MB/s of message text, 1 MB = 10^6 bytes, one
// thread) and the spans it masked, written as JSONL for `bench-mask --spans` to score
// with the same rule as ours.
//
//   node peers.mjs --modules SCRATCH/node_modules --out-dir DIR [--min-seconds S] CORPUS.jsonl
//
// Prints one JSON line per engine: {"engine", "messages", "bytes", "passes", "mb_s",
// "spans_file", "unaligned", "labels"}.
//
// Spans from output (the peers return text, not offsets). A peer replaces each match
// with a label word (CREDIT_CARD_NUMBER, PHONE_NUMBER, ...); rules run one after another
// on the text the previous rules left. We diff input and output: the output is cut into
// literal text and label words, and aligned to the input so that every literal stretch
// equals the input there and every label word stands for one or more input characters
// (a label word that also appears verbatim in the input at that point is tried as literal
// text first). The input characters a label word stands for are a span of that label's
// entity. When several alignments exist (two labels separated by a space, say), the one
// where each label word covers a stretch its own rule's regular expression matches whole
// is preferred, then the shortest stretch. A label produced by a later rule over an
// earlier label (rare) yields one span of the later label; when the later rule replaced
// only part of the earlier label ("PERSON_NAME_CARD_NUMBER"), the whole run of capitals
// is taken as one label word of kind "other". UTF-16 offsets are turned
// into UTF-8 byte offsets. Labels map to our entities: CREDIT_CARD_NUMBER -> card,
// EMAIL_ADDRESS -> email, PHONE_NUMBER -> phone, US_SOCIAL_SECURITY_NUMBER -> ssn;
// neither peer has an IBAN rule (so its IBAN recall is 0); any other label (DIGITS,
// ZIPCODE, PERSON_NAME, ...) is written as entity "other", which counts only in the
// "any" row (masked at all, whatever the kind).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const ENTITY = {
  CREDIT_CARD_NUMBER: 'card',
  EMAIL_ADDRESS: 'email',
  PHONE_NUMBER: 'phone',
  US_SOCIAL_SECURITY_NUMBER: 'ssn',
};

function parseArgs(argv) {
  const a = { minSeconds: 2, corpus: null, modules: null, outDir: null };
  for (let i = 2; i < argv.length; ++i) {
    const k = argv[i];
    if (k === '--modules') a.modules = argv[++i];
    else if (k === '--out-dir') a.outDir = argv[++i];
    else if (k === '--min-seconds') a.minSeconds = Number(argv[++i]);
    else if (k.startsWith('-')) throw new Error(`unknown option ${k}`);
    else a.corpus = k;
  }
  if (a.modules) a.modules = path.resolve(a.modules);
  if (!a.corpus || !a.modules || !a.outDir) {
    throw new Error('usage: node peers.mjs --modules DIR/node_modules --out-dir DIR [--min-seconds S] CORPUS.jsonl');
  }
  return a;
}

// An ES module package whose "exports"/"module" may name a file it does not ship
// (@redactpii/node 1.0.x names lib/index.mjs): import the first entry that exists.
async function importPackage(modules, name) {
  const dir = path.join(modules, name);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const dot = pkg.exports && (pkg.exports['.'] ?? pkg.exports);
  const candidates = [dot?.import, pkg.module, dot?.require, dot?.default, pkg.main, 'index.js'];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const file = path.join(dir, c);
    if (fs.existsSync(file)) return { module: await import(pathToFileURL(file).href), version: pkg.version };
  }
  throw new Error(`cannot find the entry point of ${name} in ${dir}`);
}

// ---------------------------------------------------------------- engines

async function engines(modules) {
  const require = createRequire(path.join(modules, 'noop.js'));
  const out = [];

  const rp = require('redact-pii');
  const rpVersion = JSON.parse(fs.readFileSync(path.join(modules, 'redact-pii', 'package.json'), 'utf8')).version;
  // Its built-in regex rules, by label, for the tie-break (see the top of this file).
  const rpShapes = (redactor) => {
    const shapes = {};
    for (const c of redactor.childRedactors ?? [])
      if (c.regexpMatcher && c.replaceWith) shapes[c.replaceWith] = c.regexpMatcher;
    return shapes;
  };
  {
    const r = new rp.SyncRedactor();
    out.push({ name: `redact-pii ${rpVersion} (defaults)`, id: 'redact-pii', redact: (t) => r.redact(t), shapes: rpShapes(r) });
  }
  {
    const off = { enabled: false };
    const r = new rp.SyncRedactor({
      builtInRedactors: {
        names: off, streetAddress: off, zipcode: off, ipAddress: off, username: off, password: off,
        credentials: off, digits: off, url: off,
      },
    });
    out.push({
      name: `redact-pii ${rpVersion} (card, email, phone, ssn rules only)`, id: 'redact-pii-pii',
      redact: (t) => r.redact(t), shapes: rpShapes(r),
    });
  }

  const { module: rn, version: rnVersion } = await importPackage(modules, '@redactpii/node');
  const rnLabel = { CREDIT_CARD: 'CREDIT_CARD_NUMBER', EMAIL: 'EMAIL_ADDRESS', PERSON_NAME: 'PERSON_NAME',
    PHONE_NUMBER: 'PHONE_NUMBER', US_SOCIAL_SECURITY_NUMBER: 'US_SOCIAL_SECURITY_NUMBER' };
  const rnShapes = (redactor) => {
    const shapes = {};
    for (const rule of redactor.activeRules ?? []) shapes[rnLabel[rule.name] ?? 'DIGITS'] = rule.pattern;
    return shapes;
  };
  {
    const r = new rn.Redactor();
    out.push({ name: `@redactpii/node ${rnVersion} (defaults)`, id: 'redactpii-node', redact: (t) => r.redact(t), shapes: rnShapes(r) });
  }
  {
    const r = new rn.Redactor({ rules: { CREDIT_CARD: true, EMAIL: true, PHONE: true, SSN: true, NAME: false } });
    out.push({
      name: `@redactpii/node ${rnVersion} (card, email, phone, ssn rules only)`, id: 'redactpii-node-pii',
      redact: (t) => r.redact(t), shapes: rnShapes(r),
    });
  }
  return out;
}

// ---------------------------------------------------------------- diff

const LABELS = [
  'US_SOCIAL_SECURITY_NUMBER', 'CREDIT_CARD_NUMBER', 'STREET_ADDRESS', 'EMAIL_ADDRESS', 'PHONE_NUMBER',
  'PERSON_NAME', 'IP_ADDRESS', 'CREDENTIALS', 'PASSWORD', 'USERNAME', 'ZIPCODE', 'DIGITS', 'URL',
];
const LABEL_RE = new RegExp(LABELS.join('|'), 'g');
// Second try, for a label that a later rule partly replaced ("Hello there\nCREDIT_CARD_NUMBER"
// -> "PERSON_NAME_CARD_NUMBER"): a run of capitals and underscores holding a label is one
// label word; its spans count as "other" unless the run is exactly one label.
const MERGED_RE = new RegExp(`[A-Z_]*(?:${LABELS.join('|')})[A-Z_]*`, 'g');

const anchoredCache = new Map();
function fullMatch(re, s) {
  if (!re) return false;
  let anchored = anchoredCache.get(re);
  if (!anchored) {
    anchored = new RegExp(`^(?:${re.source})$`, re.flags.replace('g', ''));
    anchoredCache.set(re, anchored);
  }
  return anchored.test(s);
}

// Spans [{label, start, end}] in UTF-16 units of input, or null if output is not input
// with stretches replaced by label words.
function align(input, output, shapes) {
  if (input === output) return [];
  return alignWith(input, output, shapes, LABEL_RE) ?? alignWith(input, output, shapes, MERGED_RE);
}

function alignWith(input, output, shapes, tokenRe) {
  const items = [];
  let last = 0;
  for (const m of output.matchAll(tokenRe)) {
    if (m.index > last) items.push({ lit: output.slice(last, m.index) });
    items.push({ label: m[0] });
    last = m.index + m[0].length;
  }
  if (last < output.length) items.push({ lit: output.slice(last) });

  const memo = new Map();
  const n = input.length;
  const go = (i, pos) => {
    if (i === items.length) return pos === n ? [] : null;
    const key = i * (n + 1) + pos;
    if (memo.has(key)) return memo.get(key);
    memo.set(key, null);  // cycle guard (cannot happen: pos or i always grows)
    let result = null;
    const it = items[i];
    if (it.lit !== undefined) {
      if (input.startsWith(it.lit, pos)) result = go(i + 1, pos + it.lit.length);
    } else {
      if (input.startsWith(it.label, pos)) result = go(i + 1, pos + it.label.length);  // verbatim
      if (result === null) {
        const next = items[i + 1];
        let ends = [];
        if (!next) ends = [n];
        else if (next.lit !== undefined) {
          for (let e = input.indexOf(next.lit, pos + 1); e !== -1; e = input.indexOf(next.lit, e + 1)) ends.push(e);
        } else {
          for (let e = pos + 1; e <= n; ++e) ends.push(e);
        }
        ends = ends.filter((e) => e > pos);
        const shaped = ends.filter((e) => fullMatch(shapes[it.label], input.slice(pos, e))).reverse();
        const rest = ends.filter((e) => !shaped.includes(e));
        for (const e of [...shaped, ...rest]) {
          const tail = go(i + 1, e);
          if (tail !== null) {
            result = [{ label: it.label, start: pos, end: e }, ...tail];
            break;
          }
        }
      }
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

// ---------------------------------------------------------------- main

async function main() {
  const args = parseArgs(process.argv);
  const lines = fs.readFileSync(args.corpus, 'utf8').split('\n').filter((l) => l.length);
  const texts = lines.map((l) => JSON.parse(l).text);
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t, 'utf8'), 0);
  fs.mkdirSync(args.outDir, { recursive: true });

  for (const eng of await engines(args.modules)) {
    // Warm-up on a slice, then whole passes until minSeconds have gone by.
    for (let i = 0; i < Math.min(texts.length, 5000); ++i) eng.redact(texts[i]);
    const outputs = new Array(texts.length);
    let passes = 0;
    let ns = 0n;
    const rates = [];
    do {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < texts.length; ++i) outputs[i] = eng.redact(texts[i]);
      const dt = process.hrtime.bigint() - t0;
      ns += dt;
      rates.push(bytes / 1e6 / (Number(dt) / 1e9));
      ++passes;
    } while (Number(ns) / 1e9 < args.minSeconds);
    rates.sort((a, b) => a - b);

    const spansFile = path.join(args.outDir, `${eng.id}.spans.jsonl`);
    const labels = {};
    let unaligned = 0;
    const out = [];
    for (let i = 0; i < texts.length; ++i) {
      const input = texts[i];
      const spans = align(input, outputs[i], eng.shapes);
      if (spans === null) {
        ++unaligned;
        out.push('{"spans": []}');
        continue;
      }
      const json = spans.map((s) => {
        labels[s.label] = (labels[s.label] ?? 0) + 1;
        return {
          entity: ENTITY[s.label] ?? 'other',
          start: Buffer.byteLength(input.slice(0, s.start), 'utf8'),
          end: Buffer.byteLength(input.slice(0, s.end), 'utf8'),
        };
      });
      out.push(JSON.stringify({ spans: json }));
    }
    fs.writeFileSync(spansFile, out.join('\n') + '\n');
    console.log(JSON.stringify({
      engine: eng.name, id: eng.id, messages: texts.length, bytes, passes,
      mb_s: rates[Math.floor(rates.length / 2)], mb_s_best: rates[rates.length - 1],
      spans_file: spansFile, unaligned, labels,
    }));
  }
}

main().catch((e) => {
  console.error(`peers.mjs: ${e.stack ?? e}`);
  process.exit(1);
});
