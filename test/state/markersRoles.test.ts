// The EV-markers step on data it was not made for: the uptake demo (PALM structures + EV
// tracking) gets no marker roles and an offer of marker data; nonsensical roles are refused in
// words, by what simulated channels really image (their ground truth) or by channel names.
import { describe, expect, test } from 'vitest';
import { resolveEvMarkerParams, validateEvMarkerParams } from '../../src/core/ev/params';
import type { PresetName } from '../../src/core/sim/params';
import { presetParams } from '../../src/core/sim/presets';
import {
  defaultMarkersParams,
  type MarkersStackInfo,
  markerDataAdvice,
  markersParamErrors,
  stackShape,
} from '../../src/state/markersParams';

function simulated(preset: PresetName): MarkersStackInfo {
  const params = { ...presetParams(preset), frames: 200 };
  return {
    name: preset,
    width: params.width,
    height: params.height,
    frameCount: params.frames,
    channels: params.channels.length,
    meta: {
      flavour: 'simulated',
      byteOrder: 'little',
      pixelSizeNm: params.pixelSizeNm,
      channelNames: params.channels.map((c) => c.name),
      simulated: true,
    },
    recipe: { kind: 'simulated', params },
  };
}

const roles = (info: MarkersStackInfo) =>
  defaultMarkersParams(info).channels.map((c) => `${c.name}:${c.role}`);

describe('the uptake demo', () => {
  const demo = simulated('demo');

  test('starts with no channel counted, says why and offers marker data', () => {
    expect(roles(demo)).toEqual(['caveolin-1 (PALM):skip', 'EV (CD63-Halo7-SF650T):skip']);
    expect(markerDataAdvice(demo)).toMatch(/EV-uptake demo.*no marker channels/);
    const errors = markersParamErrors(defaultMarkersParams(demo), demo, 100);
    expect(errors).toContain('Mark at least one channel as a marker: subtypes are defined by markers.');
  });

  test('refuses the caveolin PALM channel and the EV-tracking channel as markers', () => {
    const p = defaultMarkersParams(demo);
    const asMarkers = { ...p, channels: p.channels.map((c) => ({ ...c, role: 'marker' as const })) };
    const errors = markersParamErrors(asMarkers, demo, 100);
    expect(errors.some((e) => e.startsWith('Channel 1 ("caveolin-1 (PALM)") images cell structures'))).toBe(
      true,
    );
    expect(errors.some((e) => e.startsWith('Channel 2 ("EV (CD63-Halo7-SF650T)") tracks moving EVs'))).toBe(
      true,
    );
    // The same refusal once only (the kernel sees the caveolin name too).
    expect(errors.filter((e) => e.includes('caveolin-1 (PALM)")')).length).toBe(1);
  });
});

describe('the EV-markers simulation', () => {
  const mk = simulated('evMarkers');

  test('defaults to its three markers and the probe, with nothing to object to', () => {
    expect(roles(mk)).toEqual(['CD9:marker', 'CD63:marker', 'CD81:marker', 'fluidity probe:probe']);
    expect(markerDataAdvice(mk)).toBeNull();
    expect(markersParamErrors(defaultMarkersParams(mk), mk, 100)).toEqual([]);
  });

  test('refuses the probe channel as a marker', () => {
    const p = defaultMarkersParams(mk);
    const bad = {
      ...p,
      channels: p.channels.map((c) => (c.channel === 3 ? { ...c, role: 'marker' as const } : c)),
    };
    expect(markersParamErrors(bad, mk, 100)).toContain(
      'Channel 4 ("fluidity probe") is a membrane/fluidity probe: it labels every EV, so as a marker it defines no subtype. Make it the probe.',
    );
  });
});

describe('the kernel (also the CLI) from channel names alone', () => {
  const real: MarkersStackInfo = {
    name: 'two-colour.tif',
    width: 64,
    height: 64,
    frameCount: 300,
    channels: 3,
    meta: {
      flavour: 'tiff',
      byteOrder: 'little',
      pixelSizeNm: 100,
      channelNames: ['caveolin-1 (PALM)', 'CD63-AF647', 'DiD'],
    },
  };

  test('leaves a structure channel out of the defaults and refuses it when asked', () => {
    const src = stackShape(real);
    const p = resolveEvMarkerParams({}, src);
    expect(p.channels.map((c) => `${c.name}:${c.role}`)).toEqual(['CD63-AF647:marker', 'DiD:probe']);
    expect(validateEvMarkerParams(p, src)).toEqual([]);
    const forced = resolveEvMarkerParams(
      { channels: [{ channel: 0, name: 'caveolin-1 (PALM)', role: 'marker', threshold: 1 }] },
      src,
    );
    expect(validateEvMarkerParams(forced, src).some((e) => e.includes('images cell structures'))).toBe(true);
  });

  test('refuses one channel in two roles', () => {
    const src = stackShape(real);
    const p = resolveEvMarkerParams(
      {
        channels: [
          { channel: 1, name: 'CD63', role: 'marker', threshold: 1 },
          { channel: 1, name: 'probe', role: 'probe', threshold: 1 },
        ],
      },
      src,
    );
    expect(validateEvMarkerParams(p, src)).toContain(
      'Channel 2 is given 2 roles (marker and probe): one role per channel.',
    );
  });
});
