import { describe, expect, test } from 'vitest';
import { trackDetections } from '../../../src/core/spt/link';
import { simulateBrownian } from './simulate';

describe('trackDetections', () => {
  test('recovers simulated Brownian trajectories with missed and spurious detections', () => {
    // 40 EVs in a 25 µm field, D 0.05–0.2 µm²/s at 5 ms/frame, 20 nm noise, 4% missed
    // detections (gaps of 1–2 frames), 2 spurious spots per frame.
    const sim = simulateBrownian({
      particles: 40,
      frames: 300,
      fieldNm: 25_000,
      dMin: 0.05,
      dMax: 0.2,
      dt: 0.005,
      noiseNm: 20,
      missProb: 0.04,
      spuriousPerFrame: 2,
      seed: 3,
    });
    const res = trackDetections(sim.det, { maxLinkDistance: 250, maxGap: 2 });
    const t = res.tracks.columns;
    const truthOfRow = Int32Array.from(res.detectionRow, (i) => sim.truth[i]);
    // A link (consecutive rows of one output track) is correct when both detections are real
    // and belong to the same true particle.
    let links = 0;
    let correct = 0;
    let bridged = 0;
    for (let i = 1; i < res.tracks.length; i++) {
      if (t.track[i] !== t.track[i - 1]) continue;
      links++;
      if (truthOfRow[i] >= 0 && truthOfRow[i] === truthOfRow[i - 1]) {
        correct++;
        if (t.frame[i] - t.frame[i - 1] > 1) bridged++;
      }
    }
    // True links: consecutive detections of each particle (across missed frames up to 2).
    let trueLinks = 0;
    const last = new Int32Array(40).fill(-1);
    for (let i = 0; i < sim.det.length; i++) {
      const k = sim.truth[i];
      if (k < 0) continue;
      if (last[k] >= 0 && sim.det.frame[i] - last[k] <= 3) trueLinks++;
      last[k] = sim.det.frame[i];
    }
    expect(correct / links).toBeGreaterThanOrEqual(0.95);
    expect(correct / trueLinks).toBeGreaterThanOrEqual(0.95);
    expect(res.gapsClosed).toBeGreaterThan(100);
    expect(bridged).toBeGreaterThan(100);
    // Every output row is one input detection, used once.
    expect(new Set(res.detectionRow).size).toBe(sim.det.length);
  });

  test('gap closing bridges missing frames within √gap-scaled radius, and only when enabled', () => {
    const frames = [0, 1, 2, 3, 6, 7, 8]; // frames 4 and 5 missing
    const det = {
      length: frames.length,
      frame: Uint32Array.from(frames),
      x: Float64Array.from(frames, (f) => 1000 + 30 * f),
      y: Float64Array.from(frames, () => 500),
      intensity: new Float64Array(frames.length).fill(1),
    };
    const closed = trackDetections(det, { maxLinkDistance: 60, maxGap: 2 });
    expect(new Set(closed.tracks.columns.track).size).toBe(1);
    expect(closed.gapsClosed).toBe(1);
    const open = trackDetections(det, { maxLinkDistance: 60, maxGap: 0 });
    expect(new Set(open.tracks.columns.track).size).toBe(2);
    // 90 nm over 3 frames is beyond 40·√3 ≈ 69 nm: not bridged.
    const far = trackDetections(det, { maxLinkDistance: 35, maxGap: 2, maxGapDistance: 40 });
    expect(new Set(far.tracks.columns.track).size).toBe(2);
    // A gap longer than maxGap is not bridged.
    const short = trackDetections(det, { maxLinkDistance: 60, maxGap: 1 });
    expect(new Set(short.tracks.columns.track).size).toBe(2);
  });

  test('links by global optimum, not greedy nearest neighbour', () => {
    // Sources at x = 0 and 100, targets at 90 and 190. Greedy nearest-first would link 100→90
    // (10 nm) and leave 0 and 190 unlinked (190 nm > 150 nm radius); the assignment minimising
    // total cost links 0→90 and 100→190 (2 × 90²) instead of paying two no-link costs.
    const det = {
      length: 4,
      frame: Uint32Array.from([0, 0, 1, 1]),
      x: Float64Array.from([0, 100, 90, 190]),
      y: new Float64Array(4),
      intensity: new Float64Array(4),
    };
    const res = trackDetections(det, { maxLinkDistance: 150, maxGap: 0 });
    const t = res.tracks.columns;
    expect(res.tracks.length).toBe(4);
    expect(Array.from(t.x)).toEqual([0, 90, 100, 190]);
    expect(Array.from(t.track)).toEqual([0, 0, 1, 1]);
  });
});
