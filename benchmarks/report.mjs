// The benchmark report: reads the JSON the benchmark scripts wrote into a folder
// (default build/bench) and prints markdown tables with every ratio and goal, as the README's
// Performance section shows them. With --chart FILE.svg it also draws the chart (gnuplot).
//
//   node benchmarks/report.mjs [DIR] [--chart docs/performance.svg]
//
// Inputs, each optional (a table is printed for what is there):
//   DIR/env.json            machine, compiler, flags, date (written by the scripts)
//   DIR/rows/*.json         e2e_benchmark and benchmarks/node/bench.mjs results
//   DIR/parse.json          Google Benchmark JSON of parse_benchmark
//   DIR/compile_time.json   scripts/compile-time.sh
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const chartAt = args.indexOf('--chart');
const chart = chartAt >= 0 ? args.splice(chartAt, 2)[1] : null;
const dir = args[0] ?? 'build/bench';
const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null);

const fmt = (x, digits = 1) =>
  x === undefined || x === null || Number.isNaN(x)
    ? '–'
    : x >= 1000
      ? Math.round(x).toLocaleString('en-US')
      : x.toFixed(digits);
const ratio = (x) => `${x >= 100 ? Math.round(x) : x.toFixed(2)}×`;
const goals = [];
const goal = (text, met, measured) => goals.push(`- ${text}: **${met ? 'met' : 'MISSED'}** (${measured})`);

const env = read('env.json');
if (env) {
  console.log(`Machine: ${env.machine}; ${env.compiler}, ${env.flags}; Node ${env.node}; ${env.date}.\n`);
}

// ---- end to end -----------------------------------------------------------------------
const rows = [];
if (existsSync(join(dir, 'rows'))) {
  for (const f of readdirSync(join(dir, 'rows')).sort()) {
    const v = JSON.parse(readFileSync(join(dir, 'rows', f), 'utf8'));
    for (const r of Array.isArray(v) ? v : [v]) rows.push({ ...r, bench: r.bench ?? r.mode });
  }
}
const find = (bench, match, c) =>
  rows.find((r) => r.bench === bench && r.client.startsWith(match) && (c === undefined || r.connections === c));

const complete = rows.filter((r) => r.bench === 'complete');
const conns = [...new Set(complete.map((r) => r.connections))].sort((a, b) => a - b);
if (complete.length) {
  console.log('**End to end, non-streaming** (one recorded ~0.7 KB chat completion per request):\n');
  const head = conns.map((c) => `req/s, ${c} conn. | CPU µs/req (× floor), ${c} conn.`).join(' | ');
  console.log(`| client | ${head} |`);
  console.log(`|---|${conns.map(() => '---|---').join('|')}|`);
  const clients = [...new Set(complete.map((r) => r.client))];
  for (const client of clients) {
    const cells = conns.map((c) => {
      const r = complete.find((x) => x.client === client && x.connections === c);
      const floor = find('complete', 'floor', c);
      if (!r) return '– | –';
      const x = floor ? ` (${ratio(r.cpu_us_per_req / floor.cpu_us_per_req)})` : '';
      return `${fmt(r.req_per_s, 0)} | ${fmt(r.cpu_us_per_req)}${x}`;
    });
    console.log(`| ${client} | ${cells.join(' | ')} |`);
  }
  console.log();
  for (const c of conns) {
    const floor = find('complete', 'floor', c);
    const llmap = find('complete', 'llmap static', c);
    if (floor && llmap) {
      const cpu = llmap.cpu_us_per_req / floor.cpu_us_per_req;
      goal(`llmap (static) CPU per request within 1.2× of the hand-written client, ${c} conn.`,
        cpu <= 1.2, ratio(cpu));
      const rate = floor.req_per_s / llmap.req_per_s;
      goal(`llmap (static) requests per second within 1.1× of the floor, ${c} conn.`, rate <= 1.1,
        `floor/llmap = ${ratio(rate)}`);
    }
    for (const sdk of complete.filter((r) => r.connections === c && r.sdk)) {
      if (llmap) {
        const x = sdk.cpu_us_per_req / llmap.cpu_us_per_req;
        goal(`CPU per request at least 15× lower than ${sdk.client}, ${c} conn.`, x >= 15, ratio(x));
      }
    }
  }
}

// ---- streaming ---------------------------------------------------------------------------
const streams = rows.filter((r) => r.bench === 'stream');
if (streams.length) {
  console.log(`\n**Streaming** (the recorded stream of ${streams[0].chunks ?? '~1,700'} chunks, one ` +
    'connection; medians over the streams):\n');
  console.log('| client | time to last token, ms | events/stream | events/s | wire chunks/s | CPU µs/stream |');
  console.log('|---|---|---|---|---|---|');
  for (const r of streams)
    console.log(`| ${r.client} | ${fmt(r.ttlt_ms_median, 2)} | ${r.events} | ${fmt(r.events_per_s, 0)} | ` +
      `${fmt(r.chunks_per_s, 0)} | ${fmt(r.cpu_us_per_stream, 0)} |`);
  const llmap = find('stream', 'llmap static');
  for (const sdk of streams.filter((r) => r.sdk)) {
    if (!llmap) break;
    const x = llmap.chunks_per_s / sdk.chunks_per_s;
    goal(`streaming rate at least 10× ${sdk.client}'s (wire chunks per second; events/s ` +
      `${ratio(llmap.events_per_s / sdk.events_per_s)})`, x >= 10, ratio(x));
  }
}

// ---- parsers -------------------------------------------------------------------------------
const parse = read('parse.json');
if (parse) {
  // The median repetition of each benchmark, by CPU time (as parse_benchmark's own summary:
  // single-threaded, no I/O, so CPU time leaves out the waits for a core on a shared machine).
  const runs = new Map();
  for (const b of parse.benchmarks.filter((b) => (b.run_type ?? 'iteration') === 'iteration')) {
    const name = b.run_name ?? b.name;
    runs.set(name, [...(runs.get(name) ?? []), b]);
  }
  const best = new Map();
  for (const [name, list] of runs) {
    list.sort((a, b) => a.cpu_time - b.cpu_time);
    best.set(name, list[Math.floor((list.length - 1) / 2)]);
  }
  const ns = (b) => b.cpu_time * { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[b.time_unit ?? 'ns'];
  // Google Benchmark computes its rates from CPU time (these benchmarks do not use real time).
  const mbs = (b) => (b.bytes_per_second ?? 0) / 1e6;
  const bytes = (b) => ((b.bytes_per_second ?? 0) * ns(b)) / 1e9;
  const sse = [...best.entries()].filter(([n]) => n.startsWith('sse/'));
  if (sse.length) {
    const floor = best.get('sse/floor');
    const floorOf = (n) => (n.includes('ndjson') ? best.get('sse/floor_ndjson') : floor);
    console.log('\n**Stream parsing** (recorded streams, in memory; CPU time, median of the repetitions):\n');
    console.log('| contender | µs per stream | MB/s | × its floor\'s speed |');
    console.log('|---|---|---|---|');
    for (const [n, b] of sse) {
      const f = floorOf(n);
      console.log(`| \`${n}\` | ${fmt(ns(b) / 1e3, 1)} | ${fmt(mbs(b), 0)} | ${f ? ratio(mbs(b) / mbs(f)) : '–'} |`);
    }
    const parser = best.get('sse/llmap_parser') ?? sse.find(([n]) => n.startsWith('sse/llmap_parser'))?.[1];
    if (floor && parser) goal('SSE parser at least half the boundary-only floor\'s speed',
      mbs(parser) / mbs(floor) >= 0.5, ratio(mbs(parser) / mbs(floor)));
  }
  const providers = [...new Set([...best.keys()].filter((n) => n.startsWith('parse/')).map((n) => n.split('/')[1]))];
  if (providers.length) {
    console.log('\n**Parsing and normalising one answer** (`boost::json::parse` alone vs llmap\'s whole path):\n');
    console.log('| provider | bytes | json::parse µs | llmap µs | llmap / parse |');
    console.log('|---|---|---|---|---|');
    for (const p of providers) {
      const j = best.get(`parse/${p}/json_only`), l = best.get(`parse/${p}/llmap`);
      if (!j || !l) continue;
      console.log(`| ${p} | ${Math.round(bytes(j))} | ${fmt(ns(j) / 1e3, 2)} | ${fmt(ns(l) / 1e3, 2)} | ${ratio(ns(l) / ns(j))} |`);
    }
  }
}

// ---- memory --------------------------------------------------------------------------------
const memory = rows.filter((r) => r.bench === 'memory');
if (memory.length) {
  console.log('\n**Memory** (peak RSS of the client process while streaming):\n');
  console.log('| run | text streamed | peak RSS after a 1 MB warm-up stream | peak RSS at the end | growth |');
  console.log('|---|---|---|---|---|');
  for (const r of memory) {
    const growth = (r.peak_rss_kib_after - r.peak_rss_kib_before) / 1024;
    console.log(`| ${r.client} | ${fmt(r.text_mb)} MB | ${fmt(r.peak_rss_kib_before / 1024)} MiB | ` +
      `${fmt(r.peak_rss_kib_after / 1024)} MiB | ${fmt(growth)} MiB |`);
  }
  const flat = memory.find((r) => !r.client.includes('collect'));
  if (flat) {
    const growth = (flat.peak_rss_kib_after - flat.peak_rss_kib_before) / 1024;
    goal(`flat memory while streaming ${fmt(flat.text_mb)} MB through a handler that keeps nothing`,
      growth < 4, `peak RSS grew ${fmt(growth)} MiB`);
  }
}

// ---- compile time --------------------------------------------------------------------------
const ct = read('compile_time.json');
if (ct) {
  const bare = ct.results.find((r) => r.group === 'bare');
  console.log(`\n**Compile time** (${ct.compiler}, \`${ct.flags}\`, median of ${ct.runs} runs):\n`);
  console.log('| translation unit | seconds | × bare Beast + SSL + JSON |');
  console.log('|---|---|---|');
  for (const r of ct.results)
    console.log(`| ${r.name} | ${r.median_s.toFixed(2)} | ${bare ? ratio(r.median_s / bare.median_s) : '–'} |`);
  const umbrella = ct.results.find((r) => r.group === 'umbrella');
  if (umbrella && bare)
    goal('the umbrella TU within 1.3× of the bare Beast + SSL + JSON TU',
      umbrella.median_s / bare.median_s <= 1.3, ratio(umbrella.median_s / bare.median_s));
  const separate = ct.results.find((r) => r.group === 'umbrella-separate');
  if (separate && bare)
    goal('the umbrella TU with LLMAP_SEPARATE_COMPILATION (the transport compiled once per ' +
      'program, in the `src.hpp` TU) within 1.3× of the bare TU',
      separate.median_s / bare.median_s <= 1.3, ratio(separate.median_s / bare.median_s));
  const r16 = ct.results.find((r) => r.group === 'registry' && r.n === 16);
  if (r16) goal('registry-only TU under 1 s at 16 providers', r16.median_s < 1, `${r16.median_s.toFixed(2)} s`);
}

if (goals.length) console.log(`\nGoals:\n\n${goals.join('\n')}`);

// ---- chart -----------------------------------------------------------------------------------
if (chart && complete.length) {
  // Client CPU per request, per client, one bar group per connection count (log scale).
  const clients = [...new Set(complete.map((r) => r.client))];
  const data = clients
    .map((client) => {
      const cells = conns.map((c) => complete.find((x) => x.client === client && x.connections === c)?.cpu_us_per_req ?? 'NaN');
      return `"${client.replace(/"/g, "'")}" ${cells.join(' ')}`;
    })
    .join('\n');
  const dat = join(dir, 'chart.dat');
  writeFileSync(dat, `client ${conns.map((c) => `"${c} connection${c > 1 ? 's' : ''}"`).join(' ')}\n${data}\n`);
  const title = env ? `${env.machine}, ${env.compiler}, ${env.date}` : '';
  const script = [
    `set terminal svg size 900,480 dynamic font "sans,12"`,
    `set output "${chart}"`,
    `set title "Client CPU per request (µs, log scale; lower is better)\\n{/*0.8 ${title}}"`,
    'set style data histograms',
    'set style histogram clustered gap 1',
    'set style fill solid 0.85 border -1',
    'set logscale y',
    'set yrange [1:*]',
    'set grid ytics',
    'set key top left',
    'set xtics rotate by -20 scale 0 noenhanced', // client names hold _ and @
    'set key noenhanced',
    `plot ${conns.map((_, i) => `"${dat}" using ${i + 2}:xtic(1) title columnheader(${i + 2})`).join(', ')}`,
  ].join('\n');
  mkdirSync(dirname(chart), { recursive: true });
  execFileSync('gnuplot', [], { input: script });
  console.log(`\nchart: ${chart}`);
}
