// Frames without emitters must have exactly the camera model's per-pixel mean and variance.
import { describe, expect, test } from 'vitest';
import { simulate } from '../../../src/core/sim/simulate';
import { average, pixelMoments, setEmitters, smallIsolated } from './helpers';

function darkFrames(edit: Parameters<typeof smallIsolated>[0], frames: number) {
  const p = smallIsolated((q) => {
    setEmitters(q, 0);
    q.frames = frames;
    edit?.(q);
  });
  const sim = simulate(p);
  const out: Uint16Array[] = [];
  for (let k = 0; k < frames; k++) {
    const f = new Uint16Array(p.width * p.height);
    sim.stack.renderFrameInto(k, 0, f);
    out.push(f);
  }
  return { sim, out };
}

// Rounding to integers adds a uniform error of variance 1/12 ADU².
const QUANT = 1 / 12;

describe('camera noise models', () => {
  test('CCD: mean = offset + b/g, variance = (b + r²)/g² + 1/12', () => {
    const { out } = darkFrames((p) => {
      p.camera.electronsPerAdu = 0.5;
      p.camera.readNoiseE = 2;
      p.channels[0].backgroundPhotons = 10;
    }, 300);
    const { mean, variance } = pixelMoments(out);
    expect(average(mean)).toBeCloseTo(100 + 10 / 0.5, 1);
    const expected = (10 + 4) / 0.25 + QUANT;
    expect(Math.abs(average(variance) / expected - 1)).toBeLessThan(0.02);
  });

  test('EMCCD: variance = (2·G²·b + r²)/g² — the excess-noise factor 2', () => {
    const G = 50;
    const g = 5;
    const b = 5;
    const r = 20;
    const { out } = darkFrames((p) => {
      p.camera.kind = 'emccd';
      p.camera.emGain = G;
      p.camera.electronsPerAdu = g;
      p.camera.readNoiseE = r;
      p.channels[0].backgroundPhotons = b;
    }, 300);
    const { mean, variance } = pixelMoments(out);
    expect(Math.abs(average(mean) - (100 + (G * b) / g))).toBeLessThan(0.3);
    const expected = (2 * G * G * b + r * r) / (g * g) + QUANT;
    // Without the excess noise the variance would be ~516 instead of ~1016.
    expect(Math.abs(average(variance) / expected - 1)).toBeLessThan(0.03);
  });

  test('sCMOS: every pixel follows its own offset, gain and read-noise maps', () => {
    const b = 4;
    const { sim, out } = darkFrames((p) => {
      p.width = 16;
      p.height = 16;
      p.camera.kind = 'scmos';
      p.camera.electronsPerAdu = 0.5;
      p.camera.readNoiseE = 2;
      p.camera.scmosOffsetSdAdu = 5;
      p.camera.scmosGainCv = 0.1;
      p.camera.scmosReadNoiseLogSd = 0.6;
      p.channels[0].backgroundPhotons = b;
    }, 2000);
    const maps = sim.truth.scmosMaps!;
    expect(maps).not.toBeNull();
    const { mean, variance } = pixelMoments(out);
    let worstZ = 0;
    let worstRel = 0;
    let sse = 0;
    let sst = 0;
    const expVar = new Float64Array(mean.length);
    for (let i = 0; i < mean.length; i++) {
      const g = maps.electronsPerAdu[i];
      const rn = maps.readNoiseE[i];
      expVar[i] = (b + rn * rn) / (g * g) + QUANT;
      const expMean = maps.offsetAdu[i] + b / g;
      worstZ = Math.max(worstZ, Math.abs(mean[i] - expMean) / Math.sqrt(expVar[i] / out.length));
      worstRel = Math.max(worstRel, Math.abs(variance[i] / expVar[i] - 1));
    }
    const m = average(expVar);
    for (let i = 0; i < mean.length; i++) {
      sse += (variance[i] - expVar[i]) ** 2;
      sst += (expVar[i] - m) ** 2;
    }
    // 256 pixels: |z| < 4.5 for all; variance estimates from 2000 frames are within ~3.2% (1σ).
    expect(worstZ).toBeLessThan(4.5);
    expect(worstRel).toBeLessThan(0.16);
    // The maps explain the pixel-to-pixel spread of the variance (a flat model would not).
    expect(1 - sse / sst).toBeGreaterThan(0.9);
  });

  test('floor quantisation lowers the mean by half an ADU; saturation clips', () => {
    const round = darkFrames((p) => {
      p.channels[0].backgroundPhotons = 20;
    }, 200);
    const floor = darkFrames((p) => {
      p.channels[0].backgroundPhotons = 20;
      p.camera.quantisation = 'floor';
    }, 200);
    const mr = average(pixelMoments(round.out).mean);
    const mf = average(pixelMoments(floor.out).mean);
    // Ideal CCD with g = 1 gives integers already, so floor and round agree exactly there...
    expect(mf).toBeCloseTo(mr, 10);
    const fr = darkFrames((p) => {
      p.channels[0].backgroundPhotons = 20;
      p.camera.electronsPerAdu = 0.37;
      p.camera.readNoiseE = 3;
      p.camera.quantisation = 'floor';
    }, 200);
    const rr = darkFrames((p) => {
      p.channels[0].backgroundPhotons = 20;
      p.camera.electronsPerAdu = 0.37;
      p.camera.readNoiseE = 3;
    }, 200);
    // ...while with a continuous signal floor sits 0.5 ADU below round (same noise draws).
    expect(average(pixelMoments(rr.out).mean) - average(pixelMoments(fr.out).mean)).toBeCloseTo(0.5, 1);
    const sat = darkFrames((p) => {
      p.channels[0].backgroundPhotons = 5000;
      p.camera.electronsPerAdu = 0.05;
      p.camera.saturationAdu = 60000;
    }, 2);
    expect(Math.max(...sat.out[0])).toBe(60000);
    expect(Math.min(...sat.out[0])).toBe(60000);
  });
});
