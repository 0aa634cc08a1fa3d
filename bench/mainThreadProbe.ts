// Main-thread CPU of a page over one measured span, through the Chrome DevTools Protocol: task,
// script and layout time (Performance.getMetrics, CPU of the renderer's main thread, so the load
// of the machine does not inflate it as it does wall time), the hottest functions by self time
// (Profiler, when asked), and the messages workers post to the page (count and typed-array bytes).
import type { CDPSession, Page } from 'playwright-core';
import { type MessageMark, markTs, type TraceEvent, timelineLines } from './traceTimeline';

export interface MainThreadFigures {
  /** Thread CPU of the page's main thread and of its workers (trace events' tdur). */
  mainCpuMs: number;
  workerCpuMs: number;
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  messages: number;
  messageBytes: number;
  hot: { name: string; selfMs: number }[];
  /** BENCH_TIMELINE: busy threads and messages between the marks `bench-start` and `bench-end`. */
  timeline: string[];
}

/**
 * Counts worker → page messages; install before the page loads (page.addInitScript). A string:
 * a function would carry the helpers tsx compiles into it, which the page does not have. Comlink
 * answers on the Worker and calls callbacks (the run's chunks) through MessagePorts: each message
 * event counts once, whichever listeners it reaches.
 */
export const COUNT_WORKER_MESSAGES = `(() => {
  const counts = { n: 0, bytes: 0 };
  window.__evMsgs = counts;
  // Every message with its time and direction, for BENCH_TIMELINE's message rows.
  const log = [];
  window.__evMsgLog = log;
  const bytesOf = (v, depth) => {
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v.byteLength;
    if (depth > 6 || v === null || typeof v !== 'object') return 0;
    let sum = 0;
    for (const x of Object.values(v)) sum += bytesOf(x, depth + 1);
    return sum;
  };
  const seen = new WeakSet();
  const wrapped = new WeakMap();
  for (const proto of [Worker.prototype, MessagePort.prototype]) {
    const add = proto.addEventListener;
    const remove = proto.removeEventListener;
    proto.addEventListener = function (type, listener, opts) {
      if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, opts);
      const counted = function (e) {
        if (!seen.has(e)) {
          seen.add(e);
          counts.n++;
          const bytes = bytesOf(e.data, 0);
          counts.bytes += bytes;
          log.push({ t: performance.now(), dir: 'in', bytes, what: e.data && e.data.evscopeHeartbeat ? 'beat' : e.data && e.data.type === 'HANDLER' ? 'error' : 'answer' });
        }
        return listener.call(this, e);
      };
      wrapped.set(listener, counted);
      return add.call(this, type, counted, opts);
    };
    const post = proto.postMessage;
    proto.postMessage = function (data, ...rest) {
      log.push({ t: performance.now(), dir: 'out', bytes: bytesOf(data, 0), what: data && Array.isArray(data.path) ? data.path.join('.') : '' });
      return post.call(this, data, ...rest);
    };
    proto.removeEventListener = function (type, listener, opts) {
      return remove.call(this, type, (typeof listener === 'function' && wrapped.get(listener)) || listener, opts);
    };
  }
})();`;

type Metrics = Record<string, number>;
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export class MainThreadProbe {
  private before: Metrics = {};
  private msgs = { n: 0, bytes: 0 };
  private events: TraceEvent[] = [];
  private traced: (() => void) | null = null;
  private constructor(
    private page: Page,
    private cdp: CDPSession,
    private profile: boolean,
    private timeline: boolean,
  ) {}

  /**
   * `timeline`: also trace what every thread does when, between the page's user-timing marks
   * `bench-start` and `bench-end` (performance.mark in the measured code).
   */
  static async open(page: Page, profile: boolean, timeline = false): Promise<MainThreadProbe> {
    const cdp = await page.context().newCDPSession(page);
    const probe = new MainThreadProbe(page, cdp, profile, timeline);
    await cdp.send('Performance.enable');
    cdp.on('Tracing.dataCollected', (e) => probe.events.push(...(e.value as unknown as TraceEvent[])));
    cdp.on('Tracing.tracingComplete', () => probe.traced?.());
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    return probe;
  }

  private async metrics(): Promise<Metrics> {
    const { metrics } = (await this.cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  }

  private counted(): Promise<{ n: number; bytes: number }> {
    return this.page.evaluate(
      () => (window as unknown as { __evMsgs?: { n: number; bytes: number } }).__evMsgs ?? { n: 0, bytes: 0 },
    );
  }

  async start(): Promise<void> {
    this.msgs = { ...(await this.counted()) };
    if (this.profile) await this.cdp.send('Profiler.start');
    this.events = [];
    const categories = this.timeline
      ? 'toplevel,__metadata,devtools.timeline,blink.user_timing'
      : 'toplevel,__metadata';
    await this.cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
    this.before = await this.metrics();
  }

  private async timelineLines(): Promise<string[]> {
    const t0 = markTs(this.events, 'bench-start');
    const t1 = markTs(this.events, 'bench-end');
    if (t0 === undefined || t1 === undefined) return ['timeline: no bench-start / bench-end marks traced'];
    const { log, start } = await this.page.evaluate(() => ({
      log: (window as unknown as { __evMsgLog?: MessageMark[] }).__evMsgLog ?? [],
      start: performance.getEntriesByName('bench-start').at(-1)?.startTime ?? 0,
    }));
    return timelineLines(this.events, t0, t1, log, start);
  }

  async stop(): Promise<MainThreadFigures> {
    const after = await this.metrics();
    const complete = new Promise<void>((res) => {
      this.traced = res;
    });
    await this.cdp.send('Tracing.end');
    await complete;
    const cpu = threadCpu(this.events);
    const msgs = await this.counted();
    const d = (k: string) => ((after[k] ?? 0) - (this.before[k] ?? 0)) * 1000;
    let hot: MainThreadFigures['hot'] = [];
    if (this.profile) {
      const { profile } = (await this.cdp.send('Profiler.stop')) as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
      };
      // With the timeline's marks, only the samples between them (the trace and the profile
      // share the clock).
      const span = this.timeline
        ? { from: markTs(this.events, 'bench-start'), to: markTs(this.events, 'bench-end') }
        : {};
      hot = hottest(profile, span.from, span.to);
    }
    return {
      ...cpu,
      timeline: this.timeline ? await this.timelineLines() : [],
      taskMs: d('TaskDuration'),
      scriptMs: d('ScriptDuration'),
      layoutMs: d('LayoutDuration'),
      styleMs: d('RecalcStyleDuration'),
      messages: msgs.n - this.msgs.n,
      messageBytes: msgs.bytes - this.msgs.bytes,
      hot,
    };
  }
}

/**
 * CPU time (tdur, µs) of the top-level tasks on the renderer's main threads and its dedicated
 * workers: unlike wall time or the Performance metrics, not stretched while the OS runs others.
 */
function threadCpu(events: TraceEvent[]): { mainCpuMs: number; workerCpuMs: number } {
  const names = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  let main = 0;
  let worker = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined || !/RunTask/.test(e.name)) continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? '';
    if (thread === 'CrRendererMain') main += e.tdur;
    else if (/DedicatedWorker/.test(thread)) worker += e.tdur;
  }
  return { mainCpuMs: main / 1000, workerCpuMs: worker / 1000 };
}

/** Self time by function (name, file, line), idle and program excluded, largest first. */
function hottest(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number },
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): MainThreadFigures['hot'] {
  const { nodes, samples, timeDeltas: deltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (f: ProfileNode['callFrame']) =>
    `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  // BENCH_PROFILE=2: time inside each function (callees included) instead of self time, to find
  // which caller (a component, a store listener) the time goes through.
  const inclusive = process.env.BENCH_PROFILE === '2';
  const self = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (t < from || t > to) continue;
    const f = byId.get(samples[i])?.callFrame;
    if (!f || f.functionName === '(idle)' || f.functionName === '(program)') continue;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const keys = new Set([keyOf(f)]);
    for (let id = parent.get(samples[i]); inclusive && id !== undefined; id = parent.get(id)) {
      const p = byId.get(id)?.callFrame;
      if (p?.url) keys.add(keyOf(p));
    }
    for (const key of keys) self.set(key, (self.get(key) ?? 0) + ms);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, inclusive ? 60 : 12)
    .map(([name, selfMs]) => ({ name, selfMs }));
}
