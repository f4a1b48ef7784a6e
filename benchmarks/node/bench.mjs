#!/usr/bin/env node
// Benchmark client for llmap's Node peers: the official `openai` package and the Vercel AI SDK
// (`ai` + `@ai-sdk/openai`). Each SDK is used in its default configuration (global fetch, i.e.
// Node's bundled undici with its default keep-alive pool), with retries disabled.
//
//   node bench.mjs --base-url http://127.0.0.1:PORT/v1 --sdk openai|ai-sdk --mode complete|stream
//                  [--connections N] [--seconds S] [--warmup-seconds W] [--requests N]
//
// Prints one JSON object on stdout and nothing else; diagnostics go to stderr. Any error → exit 1.
// See README.md for what each field means.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';

const HELP = `usage: node bench.mjs --base-url URL --sdk openai|ai-sdk --mode complete|stream
       [--connections N (default 1)] [--seconds S (default 3)] [--warmup-seconds W (default 1)]
       [--requests N (stream mode: minimum number of timed streams, default 20)]`;

// Keep stdout for the single JSON result, whatever a library might log.
for (const m of ['log', 'info', 'debug']) console[m] = console.error;

function fail(msg) {
  process.stderr.write(`bench.mjs: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------- arguments
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      sdk: { type: 'string' },
      mode: { type: 'string' },
      connections: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '3' },
      'warmup-seconds': { type: 'string', default: '1' },
      requests: { type: 'string', default: '20' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  fail(`${e.message}\n${HELP}`);
}
if (args.help) {
  process.stderr.write(`${HELP}\n`);
  process.exit(0);
}
const baseURL = args['base-url'];
if (!baseURL) fail(`--base-url is required\n${HELP}`);
const sdk = args.sdk;
if (sdk !== 'openai' && sdk !== 'ai-sdk') fail(`--sdk must be openai or ai-sdk\n${HELP}`);
const mode = args.mode;
if (mode !== 'complete' && mode !== 'stream') fail(`--mode must be complete or stream\n${HELP}`);
function num(name, { integer = false, min = 0 } = {}) {
  const v = Number(args[name]);
  if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    fail(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return v;
}
const connections = num('connections', { integer: true, min: 1 });
const seconds = num('seconds');
const warmupSeconds = num('warmup-seconds');
const minStreams = num('requests', { integer: true, min: 1 });

// ---------------------------------------------------------------- request
const MODEL = 'gpt-4.1-mini';
const SYSTEM = 'You are a helpful assistant.';
const PROMPT = 'Reply with exactly: cobalt';
const MAX_TOKENS = 8;
const messages = [
  { role: 'system', content: SYSTEM },
  { role: 'user', content: PROMPT },
];

function pkgVersion(name) {
  const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  let text;
  try {
    text = readFileSync(url, 'utf8');
  } catch {
    throw new Error(`${name} is not installed next to bench.mjs: run bash benchmarks/node/setup.sh`);
  }
  return JSON.parse(text).version;
}

// ---------------------------------------------------------------- connections
// Every TCP connection Node opens (undici's included) is announced on this channel: counting it
// tells whether the SDK's default HTTP stack reuses connections (keep-alive).
// undici also announces the socket each request is sent on: the distinct sockets seen during
// the timed phase are the connections the run actually used.
let socketsOpened = 0;
diagnosticsChannel.subscribe('net.client.socket', () => {
  socketsOpened++;
});
let socketsUsed = null; // a Set while the timed phase runs
diagnosticsChannel.subscribe('undici:client:sendHeaders', ({ socket }) => {
  socketsUsed?.add(socket);
});

// ---------------------------------------------------------------- SDK adapters
// Each adapter returns { complete(), stream(), verifyStream() }.
//   complete() → the assistant text.
//   stream()   → { ttlt, total, events, textDeltas, textLength, finished } (times in ms).
async function makeOpenAI() {
  const label = `openai ${pkgVersion('openai')}`;
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL, apiKey: 'sk-bench', maxRetries: 0 });

  async function complete() {
    const r = await client.chat.completions.create({ model: MODEL, messages, max_tokens: MAX_TOKENS });
    return r.choices[0]?.message?.content ?? '';
  }

  async function stream(keepText = false) {
    const t0 = performance.now();
    let tLast = NaN;
    let events = 0;
    let textDeltas = 0;
    let textLength = 0;
    let text = '';
    let finished = false;
    const s = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: MAX_TOKENS,
      stream: true,
    });
    for await (const chunk of s) {
      events++;
      const choice = chunk.choices[0];
      const delta = choice?.delta?.content;
      if (delta) {
        tLast = performance.now();
        textDeltas++;
        textLength += delta.length;
        if (keepText) text += delta;
      }
      if (choice?.finish_reason) finished = true;
    }
    const tEnd = performance.now();
    return { ttlt: tLast - t0, total: tEnd - t0, events, textDeltas, textLength, finished, text, rawChunks: events };
  }

  return { label, complete, stream, verifyStream: () => stream(true) };
}

async function makeAISDK() {
  const label = `ai-sdk ${pkgVersion('ai')} / @ai-sdk/openai ${pkgVersion('@ai-sdk/openai')}`;
  const { generateText, streamText } = await import('ai');
  const { createOpenAI } = await import('@ai-sdk/openai');
  const provider = createOpenAI({ baseURL, apiKey: 'sk-bench' });
  // .chat(): Chat Completions API. The provider's default (provider(id)) is the Responses API.
  const model = provider.chat(MODEL);

  async function complete() {
    const r = await generateText({ model, system: SYSTEM, prompt: PROMPT, maxOutputTokens: MAX_TOKENS, maxRetries: 0 });
    return r.text;
  }

  async function stream(keepText = false, includeRawChunks = false) {
    const t0 = performance.now();
    let tLast = NaN;
    let events = 0;
    let textDeltas = 0;
    let textLength = 0;
    let rawChunks = 0;
    let text = '';
    let finished = false;
    const result = streamText({
      model,
      system: SYSTEM,
      prompt: PROMPT,
      maxOutputTokens: MAX_TOKENS,
      maxRetries: 0,
      ...(includeRawChunks ? { includeRawChunks: true } : {}),
      // Errors arrive as 'error' parts (thrown below); silence the default console.error logger.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      events++;
      switch (part.type) {
        case 'text-delta':
          if (part.text) {
            tLast = performance.now();
            textDeltas++;
            textLength += part.text.length;
            if (keepText) text += part.text;
          }
          break;
        case 'raw':
          rawChunks++;
          break;
        case 'finish':
          finished = true;
          break;
        case 'error':
          throw part.error instanceof Error ? part.error : new Error(String(part.error));
        case 'abort':
          throw new Error(`stream aborted: ${part.reason ?? ''}`);
      }
    }
    const tEnd = performance.now();
    return { ttlt: tLast - t0, total: tEnd - t0, events, textDeltas, textLength, finished, text, rawChunks };
  }

  return { label, complete, stream, verifyStream: () => stream(true, true) };
}

// ---------------------------------------------------------------- wire reference
// One request with plain fetch, parsed here, to know what the server sends: the SDK's result
// must match it before anything is timed.
async function fetchReference() {
  const url = `${baseURL.replace(/\/+$/, '')}/chat/completions`;
  const body = { model: MODEL, messages, max_tokens: MAX_TOKENS, ...(mode === 'stream' ? { stream: true } : {}) };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  if (!res.ok) throw new Error(`reference request: HTTP ${res.status}: ${raw.slice(0, 300)}`);
  if (mode === 'complete') {
    const text = JSON.parse(raw).choices?.[0]?.message?.content;
    if (typeof text !== 'string' || text === '') throw new Error('reference request: no choices[0].message.content');
    return { text };
  }
  // SSE: events are separated by a blank line; count `data:` events (the chunks on the wire).
  let dataEvents = 0;
  let done = false;
  let contentDeltas = 0;
  let text = '';
  for (const ev of raw.replace(/\r\n/g, '\n').split('\n\n')) {
    const data = ev
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!ev.split('\n').some((l) => l.startsWith('data:'))) continue;
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    dataEvents++;
    const c = JSON.parse(data).choices?.[0]?.delta?.content;
    if (c) {
      contentDeltas++;
      text += c;
    }
  }
  if (text === '') throw new Error('reference stream: no content deltas');
  return { text, dataEvents, done, contentDeltas };
}

// ---------------------------------------------------------------- timing
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const round = (x, d = 3) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : null);

// `conc` loops issue requests back to back until the deadline has passed and at least
// `minRequests` have been started; each loop finishes its request in flight. Returns the wall
// time and CPU time of the whole phase.
async function phase(durationS, minRequests, conc, fn, onResult) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + durationS * 1000;
  let started = 0;
  let done = 0;
  async function loop() {
    while (performance.now() < deadline || started < minRequests) {
      started++;
      const r = await fn();
      done++;
      onResult?.(r);
    }
  }
  await Promise.all(Array.from({ length: conc }, loop));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall, done, cpuUser: cpu.user / 1e6, cpuSys: cpu.system / 1e6 };
}

// ---------------------------------------------------------------- main
async function main() {
  const adapter = sdk === 'openai' ? await makeOpenAI() : await makeAISDK();
  const ref = await fetchReference();

  // Verify the SDK path once before timing it.
  let verified;
  if (mode === 'complete') {
    const text = await adapter.complete();
    if (text !== ref.text) throw new Error(`verify: SDK returned ${JSON.stringify(text)}, server sent ${JSON.stringify(ref.text)}`);
    verified = { text };
  } else {
    const r = await adapter.verifyStream();
    if (r.text !== ref.text) {
      throw new Error(`verify: SDK stream text (${r.text.length} chars) differs from the server's (${ref.text.length} chars)`);
    }
    if (!r.finished) throw new Error('verify: stream ended without a finish reason');
    if (r.rawChunks !== ref.dataEvents) {
      throw new Error(`verify: SDK saw ${r.rawChunks} chunks, the wire had ${ref.dataEvents} data: events`);
    }
    verified = r;
  }

  // Warm-up, then the timed phase.
  const sample = mode === 'complete' ? () => adapter.complete() : () => adapter.stream();
  const streams = [];
  const check =
    mode === 'complete'
      ? (text) => {
          if (text !== ref.text) throw new Error(`SDK returned ${JSON.stringify(text)} during the run`);
        }
      : (r) => {
          if (!r.finished || r.textLength !== ref.text.length) throw new Error('incomplete stream during the run');
        };
  if (warmupSeconds > 0) await phase(warmupSeconds, 1, connections, sample, check);
  const socketsBefore = socketsOpened;
  socketsUsed = new Set();
  const p = await phase(seconds, mode === 'stream' ? minStreams : 1, connections, sample, (r) => {
    check(r);
    if (mode === 'stream') streams.push(r);
  });
  const socketsTimed = socketsOpened - socketsBefore;
  const socketsUsedTimed = socketsUsed.size;
  socketsUsed = null;

  const cpuUsPerReq = ((p.cpuUser + p.cpuSys) * 1e6) / p.done;
  const out = {
    client: adapter.label,
    sdk,
    mode,
    connections,
    requests: p.done,
    seconds: round(p.wall),
    req_per_s: round(p.done / p.wall, 1),
    cpu_us_per_req: round(cpuUsPerReq, 1),
    cpu_user_s: round(p.cpuUser),
    cpu_sys_s: round(p.cpuSys),
  };
  if (mode === 'stream') {
    const ttlt = streams.map((s) => s.ttlt);
    Object.assign(out, {
      cpu_us_per_stream: round(cpuUsPerReq, 1),
      ttlt_ms_median: round(median(ttlt)),
      ttlt_ms_min: round(Math.min(...ttlt)),
      stream_ms_median: round(median(streams.map((s) => s.total))),
      completed: streams.filter((s) => s.finished).length,
      events: median(streams.map((s) => s.events)),
      text_deltas: median(streams.map((s) => s.textDeltas)),
      chunks: ref.dataEvents,
      events_per_s: round(median(streams.map((s) => s.events / (s.ttlt / 1000))), 0),
      chunks_per_s: round(median(streams.map((s) => ref.dataEvents / (s.ttlt / 1000))), 0),
      text_deltas_per_s: round(median(streams.map((s) => s.textDeltas / (s.ttlt / 1000))), 0),
      text_chars: ref.text.length,
    });
    if (sdk === 'ai-sdk') out.raw_parts_verified = verified.rawChunks;
  }
  Object.assign(out, {
    sockets_opened_total: socketsOpened,
    sockets_opened_timed: socketsTimed,
    sockets_used_timed: socketsUsedTimed,
    // Connections were reused if fewer were opened than requests were made.
    keep_alive: socketsTimed < p.done,
    node: process.version,
  });
  await new Promise((resolve) => process.stdout.write(`${JSON.stringify(out)}\n`, resolve));
}

main().then(
  () => process.exit(0),
  (e) => fail(`${e?.stack ?? String(e)}${e?.cause ? `\ncaused by: ${e.cause?.stack ?? e.cause}` : ''}`),
);
