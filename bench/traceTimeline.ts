// A text timeline of one measured span from Chrome trace events (BENCH_TIMELINE=1): for the page's
// main thread and every worker thread, when it was busy (top-level tasks, wall time) in bins across
// the span, which script its tasks ran (the worker's bundle), and the messages between the page and
// its workers over time (counted by COUNT_WORKER_MESSAGES). Shows whether workers wait — on the
// main thread, on reads, on chunk hand-out or on start-up — without touching the app.

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; type?: string } };
}

/** One message between the page and a worker: page time (ms), direction, bytes of typed arrays. */
export interface MessageMark {
  t: number;
  dir: 'in' | 'out';
  bytes: number;
  /** The comlink method called (out), or answer / beat (in). */
  what?: string;
}

interface Thread {
  label: string;
  spans: [number, number][];
  scripts: Map<string, number>;
}

const COLUMNS = 64;
const SHADES = ' .:-=+*#';

function threadsOf(events: TraceEvent[]): Map<string, Thread> {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const threads = new Map<string, Thread>();
  const thread = (key: string) => {
    let t = threads.get(key);
    if (!t) {
      t = { label: names.get(key) ?? key, spans: [], scripts: new Map() };
      threads.set(key, t);
    }
    return t;
  };
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    const name = names.get(key) ?? '';
    if (name !== 'CrRendererMain' && !/DedicatedWorker/.test(name)) continue;
    if (e.ph === 'X' && /RunTask/.test(e.name) && e.dur !== undefined)
      thread(key).spans.push([e.ts, e.ts + e.dur]);
    const url = e.args?.data?.url;
    if (e.name === 'FunctionCall' && url) {
      const file = url.split('/').pop() ?? url;
      const s = thread(key).scripts;
      s.set(file, (s.get(file) ?? 0) + (e.dur ?? 0));
    }
  }
  for (const t of threads.values()) {
    t.spans.sort((a, b) => a[0] - b[0]);
    // Nested RunTask events (a task inside a task) count once.
    const merged: [number, number][] = [];
    for (const s of t.spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    }
    t.spans = merged;
  }
  return threads;
}

/** The time (trace µs) of the first user-timing mark of this name. */
export function markTs(events: TraceEvent[], name: string): number | undefined {
  return events.find((e) => e.name === name)?.ts;
}

function bar(
  spans: [number, number][],
  t0: number,
  t1: number,
): { bar: string; busy: number; first: number } {
  const bin = (t1 - t0) / COLUMNS;
  const fill = new Float64Array(COLUMNS);
  let busy = 0;
  let first = Number.NaN;
  for (const [a, b] of spans) {
    const lo = Math.max(a, t0);
    const hi = Math.min(b, t1);
    if (hi <= lo) continue;
    if (Number.isNaN(first)) first = lo - t0;
    busy += hi - lo;
    for (let i = Math.floor((lo - t0) / bin); i < COLUMNS && t0 + i * bin < hi; i++) {
      const s = Math.max(lo, t0 + i * bin);
      const e = Math.min(hi, t0 + (i + 1) * bin);
      if (e > s) fill[i] += (e - s) / bin;
    }
  }
  const chars = [...fill].map((f) =>
    f <= 0 ? ' ' : SHADES[Math.min(SHADES.length - 1, 1 + Math.floor(f * (SHADES.length - 1)))],
  );
  return { bar: chars.join(''), busy, first };
}

/**
 * Lines of the timeline over [t0, t1] (trace µs): one per busy thread, then the messages per bin
 * (in: worker → page, out: page → worker; `pageT0` is t0 on the page's performance clock).
 */
export function timelineLines(
  events: TraceEvent[],
  t0: number,
  t1: number,
  messages: MessageMark[] = [],
  pageT0 = 0,
): string[] {
  const ms = (us: number) => (us / 1000).toFixed(0);
  const lines = [`timeline over ${ms(t1 - t0)} ms, ${((t1 - t0) / COLUMNS / 1000).toFixed(0)} ms a column:`];
  for (const t of threadsOf(events).values()) {
    const b = bar(t.spans, t0, t1);
    if (b.busy < 2000) continue;
    const script = [...t.scripts].sort((a, c) => c[1] - a[1])[0]?.[0] ?? '';
    const label = t.label === 'CrRendererMain' ? 'main' : script.replace(/-[\w-]{8}\.js$/, '') || 'worker';
    lines.push(
      `  |${b.bar}| ${label.slice(0, 22).padEnd(22)} busy ${ms(b.busy).padStart(5)} ms, first at ${ms(b.first)} ms`,
    );
  }
  const counts = (dir: 'in' | 'out') => {
    const n = new Array<number>(COLUMNS).fill(0);
    for (const m of messages) {
      if (m.dir !== dir) continue;
      const i = Math.floor(((m.t - pageT0) * 1000) / ((t1 - t0) / COLUMNS));
      if (i >= 0 && i < COLUMNS) n[i]++;
    }
    return n.map((c) => (c === 0 ? ' ' : c > 9 ? '+' : String(c))).join('');
  };
  lines.push(`  |${counts('out')}| messages page → workers`);
  lines.push(`  |${counts('in')}| messages workers → page`);
  lines.push(...longTasks(events, t0, t1));
  if (process.env.BENCH_TIMELINE === '2') {
    lines.push(...workerTasks(events, t0, t1));
    const span = (t1 - t0) / 1000;
    const listed = messages
      .filter((m) => m.t - pageT0 >= 0 && m.t - pageT0 <= span)
      .map((m) => `${(m.t - pageT0).toFixed(0)}${m.dir === 'out' ? '→' : '←'}${m.what || '?'}`);
    lines.push(`  messages (ms, → to a worker, ← from one): ${listed.join(' ')}`);
  }
  return lines;
}

/** Every worker thread's tasks over 1 ms, and the messages it handled, in order (BENCH_TIMELINE=2). */
function workerTasks(events: TraceEvent[], t0: number, t1: number): string[] {
  const out: string[] = [];
  const byThread = new Map<string, TraceEvent[]>();
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!/DedicatedWorker/.test(names.get(key) ?? '') || e.ph !== 'X' || e.ts > t1 || e.ts < t0) continue;
    const l = byThread.get(key) ?? [];
    l.push(e);
    byThread.set(key, l);
  }
  for (const [key, list] of byThread) {
    const tasks = list.filter((e) => /RunTask/.test(e.name) && e.dur! > 1000).sort((a, b) => a.ts - b.ts);
    const msgs = list.filter((e) => e.name === 'HandlePostMessage').length;
    if (!tasks.length) continue;
    out.push(`  worker ${key}: ${msgs} messages handled; tasks over 1 ms (at ms: ms):`);
    out.push(
      `    ${tasks.map((t) => `${((t.ts - t0) / 1000).toFixed(0)}:${(t.dur! / 1000).toFixed(0)}`).join(' ')}`,
    );
    const handled = list
      .filter((e) => e.name === 'HandlePostMessage')
      .map((e) => ((e.ts - t0) / 1000).toFixed(0));
    out.push(`    messages handled at ms: ${handled.join(' ')}`);
  }
  return out;
}

/** What ran inside a task: the first level of timeline events under it, largest first. */
const INSIDE = new Set([
  'FunctionCall',
  'TimerFire',
  'EventDispatch',
  'FireAnimationFrame',
  'Layout',
  'UpdateLayoutTree',
  'Paint',
  'RunMicrotasks',
  'v8.callFunction',
  'HandlePostMessage',
]);

/** The main thread's tasks over 30 ms inside [t0, t1]: when, how long and what they ran. */
function longTasks(events: TraceEvent[], t0: number, t1: number): string[] {
  let main = '';
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      main = `${e.pid}:${e.tid}`;
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined);
  const tasks = mine.filter(
    (e) => /RunTask/.test(e.name) && e.dur! > 30_000 && e.ts < t1 && e.ts + e.dur! > t0,
  );
  const out: string[] = [];
  for (const t of tasks) {
    const inner = mine
      .filter((e) => INSIDE.has(e.name) && e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur! && e.dur! > 3000)
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 4)
      .map((e) => {
        const d = e.args?.data as { functionName?: string; url?: string; type?: string } | undefined;
        const what = d?.functionName || d?.type || '';
        return `${e.name}${what ? ` ${what}` : ''} ${(e.dur! / 1000).toFixed(0)}`;
      });
    out.push(
      `  main task at ${((t.ts - t0) / 1000).toFixed(0)} ms: ${(t.dur! / 1000).toFixed(0)} ms (${inner.join(', ')})`,
    );
  }
  return out;
}
