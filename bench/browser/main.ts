// Runs the cases named in ?cases=a,b in this page and leaves the figures on window for the
// Node runner (bench/run.ts) to collect.
import { cases } from '../cases';
import type { Figures } from '../types';

declare global {
  interface Window {
    __benchDone?: boolean;
    __benchResults?: { name: string; figures?: Figures; error?: string }[];
  }
}

const out = document.getElementById('out')!;
const log = (line: string) => {
  out.textContent += `${line}\n`;
};

async function runAll() {
  const wanted = new URLSearchParams(location.search).get('cases')?.split(',');
  const results: NonNullable<Window['__benchResults']> = [];
  for (const c of cases) {
    if (!c.where.includes('browser') || (wanted && !wanted.includes(c.name))) continue;
    try {
      results.push({ name: c.name, figures: await c.run(log) });
    } catch (e) {
      results.push({ name: c.name, error: String(e) });
    }
  }
  window.__benchResults = results;
  window.__benchDone = true;
}

void runAll();
