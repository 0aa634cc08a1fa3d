import { describe, expect, test } from 'vitest';
import { ellipseLevel } from '../../../src/core/sim/geometry';
import { rasterizeStructureMask, structuresAt } from '../../../src/core/sim/masks';
import { presetParams } from '../../../src/core/sim/presets';
import { simulate } from '../../../src/core/sim/simulate';
import { EV_STATE } from '../../../src/core/sim/truth';
import { validateSimulationParams } from '../../../src/core/sim/validate';

describe('EVs on glass (evMarkers)', () => {
  const p = presetParams('evMarkers');
  p.frames = 40;
  const sim = simulate(p);
  const { evs, events } = sim.truth;

  test('each channel shows exactly the labelled molecules of its marker on each EV, on its membrane', () => {
    p.channels.forEach((ch, c) => {
      const perEv = new Map<number, Set<number>>();
      for (let e = 0; e < events.length; e++) {
        if (events.columns.channel[e] !== c) continue;
        const ev = events.columns.parent[e];
        if (!perEv.has(ev)) perEv.set(ev, new Set());
        perEv.get(ev)!.add(events.columns.molecule[e]);
        // Projected sphere surface: within the EV's radius of its centre.
        const r = Math.hypot(events.columns.xSample[e] - evs.x[ev], events.columns.ySample[e] - evs.y[ev]);
        if (r > evs.diameterNm[ev] / 2 + 1e-9) throw new Error(`molecule ${r} nm from EV ${ev} centre`);
      }
      for (let i = 0; i < evs.length; i++) {
        const expected = ch.source === 'probe' ? evs.probeCount[i] : evs.labelledCounts[ch.source][i];
        expect(perEv.get(i)?.size ?? 0).toBe(expected);
      }
    });
  });

  test('subtypes carry their markers and CD63-only EVs bind fewer probe molecules', () => {
    const cd63only = evs.subtypeNames.indexOf('CD63-only');
    const probe = [0, 0];
    const count = [0, 0];
    for (let i = 0; i < evs.length; i++) {
      const only = evs.subtype[i] === cd63only;
      expect(evs.markerCounts.CD63[i]).toBeGreaterThanOrEqual(1);
      if (only) {
        expect(evs.markerCounts.CD9[i] + evs.markerCounts.CD81[i]).toBe(0);
      } else {
        expect(Math.min(evs.markerCounts.CD9[i], evs.markerCounts.CD81[i])).toBeGreaterThanOrEqual(1);
      }
      expect(evs.labelledCounts.CD63[i]).toBeLessThanOrEqual(evs.markerCounts.CD63[i]);
      expect(evs.diameterNm[i]).toBeGreaterThanOrEqual(40);
      expect(evs.diameterNm[i]).toBeLessThanOrEqual(200);
      probe[only ? 0 : 1] += evs.probeCount[i];
      count[only ? 0 : 1]++;
    }
    expect(count[0]).toBeGreaterThan(5);
    expect(count[1]).toBeGreaterThan(5);
    expect(probe[0] / count[0]).toBeLessThan(probe[1] / count[1] - 2);
  });

  test('step bleaching: a marker channel starts bright and its photons per EV never rise', () => {
    const c = 1;
    const perFrame = new Float64Array(p.frames);
    for (let e = 0; e < events.length; e++) {
      if (events.columns.channel[e] === c) perFrame[events.columns.frame[e]] += events.columns.photons[e];
    }
    for (let k = 1; k < p.frames; k++) expect(perFrame[k]).toBeLessThanOrEqual(perFrame[k - 1] + 1e-9);
    expect(perFrame[p.frames - 1]).toBeLessThan(perFrame[0]);
  });
});

describe('EV uptake scene (demo)', () => {
  const p = presetParams('demo');
  const sim = simulate(p);
  const { structures: st, trajectories: tr, evs, events } = sim.truth;

  test('the demo preset is valid and shows structures, binding and internalisation', () => {
    expect(validateSimulationParams(p)).toEqual([]);
    expect(st.length).toBeGreaterThan(20);
    expect(structuresAt(st, 0).length).toBeGreaterThan(5);
    expect(Array.from(tr.state).some((s) => s === EV_STATE.bound)).toBe(true);
    expect(Array.from(tr.state).some((s) => s === EV_STATE.inside)).toBe(true);
    expect(Array.from(evs.internalisedFrame).some((f) => f >= 0)).toBe(true);
  });

  test('structure molecules emit only inside their structure and during its life', () => {
    let n = 0;
    for (let e = 0; e < events.length; e++) {
      if (events.columns.channel[e] !== 0) continue;
      const s = events.columns.parent[e];
      if (s < 0) continue;
      n++;
      const k = events.columns.frame[e];
      if (k < st.startFrame[s] || k >= st.endFrame[s])
        throw new Error(`event at ${k} outside structure ${s}'s life`);
      const level = ellipseLevel(
        events.columns.xSample[e],
        events.columns.ySample[e],
        st.x[s],
        st.y[s],
        st.rx[s],
        st.ry[s],
        st.angle[s],
      );
      if (level > 1 + 1e-9) throw new Error(`event outside structure ${s}`);
    }
    expect(n).toBeGreaterThan(1000);
  });

  test('EVs are inside their structure when "inside" and emit nothing once internalised', () => {
    for (let r = 0; r < tr.length; r++) {
      if (tr.state[r] === EV_STATE.mobile) {
        expect(tr.structure[r]).toBe(-1);
        continue;
      }
      const s = tr.structure[r];
      expect(tr.frame[r]).toBeGreaterThanOrEqual(st.startFrame[s]);
      expect(tr.frame[r]).toBeLessThan(st.endFrame[s]);
      if (tr.state[r] === EV_STATE.inside) {
        expect(
          ellipseLevel(tr.x[r], tr.y[r], st.x[s], st.y[s], st.rx[s], st.ry[s], st.angle[s]),
        ).toBeLessThan(1);
      }
    }
    for (let e = 0; e < events.length; e++) {
      if (events.columns.channel[e] !== 1) continue;
      const ev = events.columns.parent[e];
      const gone = evs.internalisedFrame[ev];
      if (gone >= 0) expect(events.columns.frame[e]).toBeLessThan(gone);
      expect(events.columns.frame[e]).toBeGreaterThanOrEqual(evs.arrivalFrame[ev]);
    }
  });

  test('masks: at 10 nm a structure covers its ellipse area; absent outside its life', () => {
    const patch = Array.from(st.kind).findIndex(
      (k, i) => k === 1 && st.startFrame[i] > 0 && st.endFrame[i] < p.frames,
    );
    expect(patch).toBeGreaterThanOrEqual(0);
    const mid = Math.floor((st.startFrame[patch] + st.endFrame[patch]) / 2);
    const grid = { width: p.width * 10, height: p.height * 10, pixelSizeNm: 10 };
    const mask = rasterizeStructureMask(st, mid, grid);
    let area = 0;
    for (const v of mask) if (v === patch + 1) area += 100;
    expect(area / (Math.PI * st.rx[patch] * st.ry[patch])).toBeCloseTo(1, 1);
    const before = rasterizeStructureMask(st, st.startFrame[patch] - 1, grid);
    expect(before.includes(patch + 1)).toBe(false);
    // A camera-space mask is the same shape moved by the drift.
    const shifted = rasterizeStructureMask(st, mid, { ...grid, shiftXNm: 100 });
    let shiftedArea = 0;
    for (let i = 0; i < shifted.length; i++) {
      if (shifted[i] === patch + 1) {
        shiftedArea += 100;
        expect(mask[i - 10]).toBe(patch + 1);
      }
    }
    expect(shiftedArea).toBe(area);
  });
});

describe('validation', () => {
  test('reports each problem with its unit', () => {
    const p = presetParams('isolated');
    p.pixelSizeNm = -5;
    p.channels[0].psfSigmaNm = 0;
    p.camera.electronsPerAdu = 0;
    p.channels[0].source = 'nonsense';
    const msgs = validateSimulationParams(p);
    expect(msgs).toContain('pixel size must be 0–10000 nm (got -5 nm)');
    expect(msgs.some((m) => m.includes('PSF σ') && m.includes('0 nm'))).toBe(true);
    expect(msgs.some((m) => m.includes('e⁻/ADU'))).toBe(true);
    expect(msgs.some((m) => m.includes('"nonsense"'))).toBe(true);
    expect(() => simulate(p)).toThrow(/invalid simulation parameters/);
    for (const name of ['demo', 'isolated', 'evMarkers', 'dstorm'] as const) {
      expect(validateSimulationParams(presetParams(name))).toEqual([]);
    }
  });
});
