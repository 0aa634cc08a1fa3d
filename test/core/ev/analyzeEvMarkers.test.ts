import { beforeAll, describe, expect, test } from 'vitest';
import {
  analyzeEvMarkers,
  EvParamsError,
  type EvProgress,
  type EvTable,
} from '../../../src/core/ev/analyzeEvMarkers';
import { resolveEvMarkerParams, validateEvMarkerParams } from '../../../src/core/ev/params';
import { Rng } from '../../../src/core/random';
import { type EvTruth, simulatedEvStack } from './evSimulation';

// 100 EVs on a 12-px grid with an exact subtype mix; each present marker carries 1–15 molecules
// (300/250/400 photons per molecule per frame), the probe 0–7; Poisson noise on 10 photons/px
// background, dyes bleach exponentially (τ = 100 frames) over 500 frames.
const MIX: [number, number[]][] = [
  [25, [0, 1, 0]], // CD63-only
  [35, [1, 1, 1]], // CD9+CD63+CD81+
  [20, [1, 0, 1]], // CD9+CD81+
  [10, [0, 0, 1]], // CD81-only
  [10, [1, 1, 0]], // CD9+CD63+
];
const NAMES = ['CD9', 'CD63', 'CD81', 'probe'];

function population(seed: number): EvTruth[] {
  const rng = new Rng(seed);
  const kinds: number[][] = [];
  for (const [n, present] of MIX) for (let i = 0; i < n; i++) kinds.push(present);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds.map((present, k) => ({
    x: 10 + (k % 10) * 12 + rng.uniform(),
    y: 10 + Math.floor(k / 10) * 12 + rng.uniform(),
    molecules: [
      ...present.map((p) => (p ? 1 + Math.floor(rng.uniform() * 15) : 0)),
      Math.floor(rng.uniform() * 8),
    ],
  }));
}

const evs = population(42);
const source = simulatedEvStack({
  evs,
  width: 130,
  height: 130,
  frames: 500,
  channels: 4,
  channelNames: NAMES,
  unit: [300, 250, 400, 300],
  tauFrames: 100,
  background: 10,
  psfSigma: 1.3,
  seed: 3,
});

let table: EvTable;
const phases = new Set<string>();
/** Truth index of each found EV (nearest within 1 px), −1 for none. */
let match: number[];

beforeAll(async () => {
  table = await analyzeEvMarkers(source, {}, (p: EvProgress) => phases.add(p.phase));
  const x = table.columns.x as Float64Array;
  const y = table.columns.y as Float64Array;
  match = Array.from({ length: table.length }, (_, e) => {
    let best = -1;
    let bd = 1;
    evs.forEach((t, i) => {
      const d = (t.x - x[e] / 100) ** 2 + (t.y - y[e] / 100) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    });
    return best;
  });
}, 120_000);

describe('analyzeEvMarkers on a simulated single-EV stack', () => {
  test('finds the EVs at their positions (nm, ThunderSTORM convention) and reports progress', () => {
    // The grid spans 10–120 px in a 130-px image: all EVs lie inside the 9-px border.
    // A one-molecule EV can bleach before the detection frames are over: allow two misses.
    expect(table.length).toBeGreaterThanOrEqual(98);
    expect(table.length).toBeLessThanOrEqual(100);
    expect(match.every((m) => m >= 0)).toBe(true);
    expect(new Set(match).size).toBe(table.length);
    const x = table.columns.x as Float64Array;
    let se = 0;
    table.columns.id.forEach((_, e) => {
      se += (x[e] - evs[match[e]].x * 100) ** 2;
    });
    expect(Math.sqrt(se / table.length)).toBeLessThan(30); // nm; the ROI needs ≪ 1 px
    expect([...phases].sort()).toEqual(['detect', 'steps', 'traces']);
    expect(table.warnings).toEqual([]);
  });

  test('counts from steps: relative RMS error ≤ 10 % over EVs with 1–15 molecules', () => {
    let sum = 0;
    let sumRatio = 0;
    let n = 0;
    let falsePositive = 0;
    for (let c = 0; c < 4; c++) {
      const steps = table.columns[`${NAMES[c]} steps`] as Float64Array;
      const ratio = table.columns[`${NAMES[c]} ratio`] as Float64Array;
      for (let e = 0; e < table.length; e++) {
        const m = evs[match[e]].molecules[c];
        if (m === 0) {
          if (steps[e] > 0) falsePositive++;
          continue;
        }
        sum += ((steps[e] - m) / m) ** 2;
        sumRatio += ((ratio[e] - m) / m) ** 2;
        n++;
      }
    }
    expect(n).toBeGreaterThan(250);
    expect(Math.sqrt(sum / n)).toBeLessThanOrEqual(0.1);
    expect(Math.sqrt(sumRatio / n)).toBeLessThanOrEqual(0.12);
    expect(falsePositive).toBeLessThanOrEqual(2);
  });

  test('learns each channel’s unit intensity (the ROI catches ~92 % of a molecule’s photons)', () => {
    const truth = [300, 250, 400, 300];
    table.channels.forEach((ch, c) => {
      expect(ch.unit.n).toBeGreaterThan(30);
      expect(ch.unit.unit / truth[c]).toBeGreaterThan(0.85);
      expect(ch.unit.unit / truth[c]).toBeLessThan(0.98);
      expect(ch.noise.gain).toBeGreaterThan(0.5); // shot noise of the molecules was detected
    });
  });

  test('recovers the subtype mix within ±5 percentage points', () => {
    const codes = table.columns.subtype as Int32Array;
    const expected: Record<string, number> = {
      'CD63-only': 0.25,
      'CD9+CD63+CD81+': 0.35,
      'CD9+CD81+': 0.2,
      'CD81-only': 0.1,
      'CD9+CD63+': 0.1,
    };
    const found: Record<string, number> = {};
    for (const code of codes) {
      const name = table.subtypeNames[code];
      found[name] = (found[name] ?? 0) + 1 / codes.length;
    }
    for (const name of table.subtypeNames)
      expect(Math.abs((found[name] ?? 0) - (expected[name] ?? 0))).toBeLessThanOrEqual(0.05);
  });

  test('composition sums to 1 and the probe count is reported', () => {
    const f = ['CD9', 'CD63', 'CD81'].map((m) => table.columns[`${m} fraction`] as Float64Array);
    for (let e = 0; e < table.length; e++) expect(f[0][e] + f[1][e] + f[2][e]).toBeCloseTo(1, 12);
    const probe = table.columns['probe count'] as Float64Array;
    let err = 0;
    for (let e = 0; e < table.length; e++) err += Math.abs(probe[e] - evs[match[e]].molecules[3]);
    expect(err / table.length).toBeLessThan(0.3); // mean absolute error in molecules
  });
});

describe('EV marker parameters', () => {
  test('defaults come from the stack: channel names, probe role, pixel size, all frames', () => {
    const p = resolveEvMarkerParams({}, source);
    expect(p.channels.map((c) => `${c.name}:${c.role}`)).toEqual([
      'CD9:marker',
      'CD63:marker',
      'CD81:marker',
      'probe:probe',
    ]);
    expect(p.pixelSizeNm).toBe(100);
    expect(p.frameCount).toBe(500);
    expect(validateEvMarkerParams(p, source)).toEqual([]);
  });

  test('validation explains every problem in words', () => {
    const p = resolveEvMarkerParams(
      {
        channels: [
          { channel: 5, name: 'CD9', role: 'marker', threshold: 1 },
          { channel: 1, name: 'CD9', role: 'marker', threshold: -1 },
        ],
        roi: { radiusPx: 4, annulusInnerPx: 3 },
        frameCount: 5,
        subtypeNames: { 'CD99-only': 'x' },
      },
      source,
    );
    const msgs = validateEvMarkerParams(p, source);
    expect(msgs.some((m) => m.includes('Channel 5') && m.includes('4 channel(s)'))).toBe(true);
    expect(msgs.some((m) => m.includes('Two channels are called "CD9"'))).toBe(true);
    expect(msgs.some((m) => m.includes('threshold of CD9'))).toBe(true);
    expect(msgs.some((m) => m.includes('annulus must start outside the ROI'))).toBe(true);
    expect(msgs.some((m) => m.includes('number of frames'))).toBe(true);
    expect(msgs.some((m) => m.includes('"CD99-only"'))).toBe(true);
    return expect(analyzeEvMarkers(source, { frameCount: 5 })).rejects.toBeInstanceOf(EvParamsError);
  });
});
