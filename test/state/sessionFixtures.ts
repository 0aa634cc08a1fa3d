// Shared by the session tests: a fake stack service and results to put in the stores.
import { analyzeColocalization } from '../../src/core/coloc/analysis';
import { classifyEvs, subtypeStatistics } from '../../src/core/ev/classify';
import { fingerprintBytes } from '../../src/core/session/index';
import { summarizeTracks } from '../../src/core/spt/summary';
import type { TrackTable } from '../../src/core/spt/types';
import type { MarkersResult } from '../../src/engine/markersService';
import type { StackInfo, StackRecipe } from '../../src/engine/stackService';
import type { DistanceResult, TracksResult } from '../../src/engine/tracksService';
import { makeDataActions } from '../../src/state/dataActions';

let nextId = 500;
export function fakeActions() {
  const service = {
    openRecipe: async (recipe: StackRecipe, _id: number, label: string) => {
      const info: StackInfo = {
        id: nextId++,
        name: label,
        files: [],
        recipe,
        width: 64,
        height: 48,
        frameCount: 400,
        channels: 3,
        dtype: 'uint16',
        meta: { flavour: 'multipage', byteOrder: 'little' },
      };
      return { ok: true as const, info };
    },
    close: () => {},
    cancel: () => {},
  };
  return makeDataActions(service as never);
}

export const fingerprint = async (b: Blob) => fingerprintBytes(new Uint8Array(await b.arrayBuffer()));

/** 12 tracks of 40 positions, wandering near a structure edge at x = 2000 nm. */
export function tracksResult(): TracksResult {
  const n = 12 * 40;
  const track = new Uint32Array(n);
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const intensity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(i / 40);
    track[i] = k * 3 + 1;
    frame[i] = (i % 40) + k;
    x[i] = 1500 + k * 80 + 30 * Math.sin(i * 0.7);
    y[i] = 1000 + 25 * Math.cos(i * 1.3) + (i % 40) * 3;
    intensity[i] = 500 + (i % 17);
  }
  const tracks: TrackTable = { length: n, columns: { track, frame, x, y, intensity } };
  return {
    tracks,
    summary: summarizeTracks(tracks, { frameInterval: 0.005 }),
    source: { kind: 'tracked', channel: 1 },
    detections: 530,
    tracksBefore: 15,
    segments: 14,
    gapsClosed: 3,
    elapsedMs: 12.5,
  };
}

export function distanceResult(t: TracksResult): DistanceResult {
  const c = t.tracks.columns;
  const positions = { length: t.tracks.length, columns: { track: c.track, frame: c.frame, x: c.x, y: c.y } };
  // Frame 3 has no structure (+∞ distances), so the file must carry non-finite values too.
  const provider = { distance: (f: number, px: number) => (f === 3 ? Number.POSITIVE_INFINITY : px - 2000) };
  const coloc = analyzeColocalization(positions, provider, {
    movieFrames: 60,
    frameInterval: 0.03,
    controlRegion: { kind: 'rect', x0: 0, y0: 0, x1: 6400, y1: 4800 },
    controlPerFrame: 20,
    controlSeed: 7,
  });
  return {
    coloc,
    grid: { x0Nm: 0, y0Nm: 0, width: 320, height: 240, pixelNm: 20 },
    movieFrames: 60,
    movieFrameIntervalS: 0.03,
    window: 50,
    step: 6,
    threshold: 0.42,
    thresholdKind: 'otsu',
    structureCoverage: 0.12,
    cellMask: {
      width: 16,
      height: 12,
      pixelNm: 400,
      mask: new Uint8Array(192).fill(1),
      threshold: 3,
      coverage: 1,
    },
    evPositions: t.tracks.length,
    elapsedMs: 88,
  };
}

export function markersResult(n: number): MarkersResult {
  const id = new Uint32Array(n);
  const xs = new Float64Array(n);
  const cd9 = new Float64Array(n);
  const cd63 = new Float64Array(n);
  const probe = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = i + 1;
    xs[i] = 100 * i;
    cd9[i] = i % 3;
    cd63[i] = (i >> 1) % 3;
    probe[i] = i % 5;
  }
  const columns = { id, x: xs, y: xs.slice(), 'CD9 steps': cd9, 'CD63 steps': cd63, 'ALIX steps': probe };
  const channels = [
    { name: 'CD9', role: 'marker' as const, threshold: 1 },
    { name: 'CD63', role: 'marker' as const, threshold: 1 },
    { name: 'ALIX', role: 'probe' as const, threshold: 0 },
  ];
  const classification = classifyEvs(columns, channels, 'steps');
  return {
    length: n,
    columns,
    classification,
    statistics: subtypeStatistics(classification, 'welch', { seed: 3 } as never),
    channels: channels.map(
      (c, k) => ({ name: c.name, role: c.role, channel: k, unit: null, noise: null }) as never,
    ),
    nFrames: 400,
    frameStart: 0,
    pixelSizeNm: 107,
    dropped: { edge: 2, overlap: 1 } as never,
    warnings: ['one channel is dim'],
    registration: null,
    elapsedMs: 321,
  };
}
