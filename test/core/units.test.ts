// Units and directions as types: mixing them is a compile error (the @ts-expect-error lines fail
// `tsc` the day the types stop catching them), and the simulator's channel transform and the
// registration's estimate name opposite directions of the same map.
import { describe, expect, test } from 'vitest';
import { signedDistanceField } from '../../src/core/coloc/signedDistance';
import { resolveLocalizeParams } from '../../src/core/localize/params';
import { applyAffine } from '../../src/core/math/affine';
import { movieFrameRange, movieFrameTimes } from '../../src/core/movie/window';
import { registerChannels } from '../../src/core/registration/register';
import { channelMap, similarityAffine } from '../../src/core/sim/geometry';
import {
  type AffineMap,
  type Frame0,
  type Frame1,
  frame0,
  frame1,
  invertMap,
  type Nm,
  nm,
  nmToPx,
  type Px,
  px,
  pxToNm,
  toFrame0,
  toFrame1,
} from '../../src/core/units';

describe('branded units', () => {
  test('nm, px and frame numbering do not mix', () => {
    const pixel = nm(108);
    const lengthNm: Nm = pxToNm(px(2.5), pixel);
    expect(lengthNm).toBe(270);
    expect(nmToPx(lengthNm, pixel)).toBe(2.5);
    // @ts-expect-error a pixel length is not a length in nm
    const wrong: Nm = px(3);
    // @ts-expect-error nor a bare number (say which unit it is in)
    const bare: Nm = 3;
    // @ts-expect-error the pixel size must be in nm, not px
    pxToNm(px(1), px(108));
    // @ts-expect-error nm to px takes nm
    nmToPx(px(1), pixel);
    const first: Frame1 = frame1(1);
    const index: Frame0 = toFrame0(first);
    expect(index).toBe(0);
    expect(toFrame1(frame0(41))).toBe(42);
    // @ts-expect-error a 1-based frame number is not a 0-based index
    const off: Frame0 = first;
    // @ts-expect-error and the other way round
    toFrame0(index);
    const samePx: Px = px(1);
    expect([wrong, bare, off, samePx]).toEqual([3, 3, 1, 1]);
  });

  test('at the module boundaries: localize parameters, movie windows, distance fields', () => {
    const p = resolveLocalizeParams({ pixelSizeNm: 100, sigmaNm: 130 });
    // The resolved radius is in pixels; turning it into nm needs the pixel size, in nm.
    expect(pxToNm(p.fitRadiusPx, p.pixelSizeNm)).toBe(300);
    // @ts-expect-error the PSF σ is in nm, not px
    const sigmaPx: Px = p.sigmaNm;
    // @ts-expect-error the fit radius is in px: it cannot be converted as if it were nm
    nmToPx(p.fitRadiusPx, p.pixelSizeNm);
    // @ts-expect-error the pixel size is a length in nm, not a frame
    movieFrameRange(p.pixelSizeNm, { window: 10, step: 5 });
    const w = { window: 10, step: 5 };
    const r = movieFrameRange(frame0(2), w);
    expect(r).toEqual({ start: 10, end: 20 });
    // @ts-expect-error movie frames are 0-based: a 1-based frame number must be converted
    movieFrameTimes(frame1(3), w, 0.005);
    expect(movieFrameTimes(toFrame0(frame1(3)), w, 0.005).startS).toBeCloseTo(0.05, 12);
    // @ts-expect-error the distance field's pixel size is in nm
    signedDistanceField(new Uint8Array(4), 2, 2, px(10));
    // Distances to the structure's edge, half a pixel from the centres: 10 nm pixels give ±5 nm
    // beside it and 10√2 − 5 nm across the diagonal.
    const d = signedDistanceField(Uint8Array.of(1, 0, 0, 0), 2, 2, nm(10));
    expect(Array.from(d.subarray(0, 3))).toEqual([-5, 5, 5]);
    expect(d[3]).toBeCloseTo(10 * Math.SQRT2 - 5, 5);
    expect(sigmaPx).toBe(130);
  });

  test('affine maps carry their direction', () => {
    const t = channelMap(similarityAffine(1.002, 0.5, 150, -80, 12_800, 12_800));
    const back: AffineMap<'channel c', 'channel 0'> = invertMap(t);
    // @ts-expect-error channel 0 → c is not c → 0
    const wrongWay: AffineMap<'channel c', 'channel 0'> = t;
    expect(wrongWay).toBe(t);
    expect(back.a).toBeCloseTo((1 / 1.002) * Math.cos((0.5 * Math.PI) / 180), 12);
  });
});

describe('the simulator’s channel transform and the registration agree', () => {
  test('registering channel c onto channel 0 estimates the inverse of the channel transform', () => {
    // Beads on a jittered grid over a 25.6 µm field: channel 0 sees them where they are, the
    // simulator puts channel c's copies through its transform (channel 0 → channel c).
    const refX: number[] = [];
    const refY: number[] = [];
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 7; j++) {
        refX.push(1500 + 3700 * i + ((i * 37 + j * 11) % 300));
        refY.push(1500 + 3700 * j + ((i * 13 + j * 53) % 300));
      }
    // Simulator's stored layout: x' = a·x + b·y + tx, y' = c·x + d·y + ty.
    const sim = similarityAffine(1.002, 0.5, 150, -80, 12_800, 12_800);
    const movX = refX.map((x, k) => sim.a * x + sim.b * refY[k] + sim.tx);
    const movY = refX.map((x, k) => sim.c * x + sim.d * refY[k] + sim.ty);
    const reg = registerChannels(refX, refY, movX, movY);
    expect(reg.ref.length).toBe(refX.length);
    // reg.transform maps channel c (moving) → channel 0 (reference); its inverse is the
    // simulator's map, coefficient by coefficient, once both are in one layout.
    const t = channelMap(sim);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f'] as const) expect(reg.inverse[k]).toBeCloseTo(t[k], 6);
    // And mapping the moved beads back lands on the originals.
    const home = applyAffine(reg.transform, movX, movY);
    for (let k = 0; k < refX.length; k++) {
      expect(home.x[k]).toBeCloseTo(refX[k], 5);
      expect(home.y[k]).toBeCloseTo(refY[k], 5);
    }
  });
});
