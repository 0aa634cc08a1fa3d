// Result sections of a session that re-show a step without its raw data: the Tracks & distances
// step (parameters, tracks, the distance analysis behind its plots) and the EV-marker result
// (table, classification, subtype statistics). Each result goes through resultCodec: long
// arrays as binary columns, the rest as small JSON.
import { TracksParamsSchema } from '../core/coloc/schema';
import type { ColumnArray } from '../core/locs/table';
import { intIn, v } from '../core/schema';
import type { Json, SessionTable } from '../core/session/index';
import { packResult, type TableSpec, unpackResult } from '../core/session/resultCodec';
import type { MarkersResult } from '../engine/markersService';
import type { StructureResult } from '../engine/movieService';
import type { DistanceResult, TracksResult } from '../engine/tracksService';
import type { MarkersParams } from './markersParams';
import { markersStore } from './markersStore';
import { DEFAULT_TRACKS_PARAMS } from './tracksParams';
import { type TracksState, tracksStore } from './tracksStore';

function obj(j: Json | undefined): Record<string, Json> | null {
  return typeof j === 'object' && j !== null && !Array.isArray(j) ? j : null;
}

// Table and column names as in the step's CSV exports (src/plots/tracks.ts, core/spt/io.ts), with
// units; frames stay 0-based here (as in ShareLoc localization tables), so a frame column keeps its
// plain name where the CSV writes a 1-based "movie frame".
const nm = { unit: 'nm' };
const XY = { x: { name: 'x [nm]', ...nm }, y: { name: 'y [nm]', ...nm } };
// Frame indices are unitless (as in localization tables); counts and durations are in frames.
const FRAME = { frame: { unit: '' } };

export const TRACKS_TABLES: Record<string, TableSpec> = {
  tracks: { name: 'tracks', columns: { ...FRAME, ...XY } },
  summary: {
    name: 'track_summary',
    columns: {
      missingFrames: { unit: 'frames' },
      meanX: { name: 'meanX [nm]', ...nm },
      meanY: { name: 'meanY [nm]', ...nm },
      D: { name: 'D [um^2/s]', unit: 'um^2/s' },
      sigma: { name: 'sigma [nm]', ...nm },
      mobility: { name: 'mobility (0 mobile, 1 immobile, 2 confined, 3 unclassified)', unit: '' },
    },
  },
};

const DIST = { ...FRAME, ...XY, distance: { name: 'distance [nm]', ...nm } };
export const DISTANCE_TABLES: Record<string, TableSpec> = {
  'coloc.distances': { name: 'distances_ev', columns: DIST },
  'coloc.control': { name: 'distances_control', columns: DIST },
  'coloc.histogramTable': {
    name: 'distance_histogram',
    columns: {
      binStart: { name: 'binStart [nm]', ...nm },
      binEnd: { name: 'binEnd [nm]', ...nm },
      evPercent: { unit: '%' },
      controlPercent: { unit: '%' },
    },
  },
  'coloc.perTrack': {
    name: 'distances_per_track',
    columns: {
      frames: { name: 'movie frames measured', unit: 'frames' },
      within: { name: 'frames within cut-off', unit: 'frames' },
    },
  },
  'coloc.runs': {
    name: 'colocalization_runs',
    columns: {
      duration: { name: 'duration [movie frames]', unit: 'frames' },
    },
  },
};

/** The tracks step as a section and its tables, or null when it has neither parameters nor results. */
export function captureTracks(
  stackIds: Map<number, string>,
  s: TracksState = tracksStore.getState(),
): { section: Json; tables: SessionTable[] } | null {
  if (!s.params && !s.tracks) return null;
  const stack = s.stackId !== null ? (stackIds.get(s.stackId) ?? null) : null;
  const tablesStack = s.tracksStackId !== null ? stackIds.get(s.tracksStackId) : undefined;
  const section: Record<string, Json> = {
    params: JSON.parse(JSON.stringify(s.params ?? DEFAULT_TRACKS_PARAMS)) as Json,
    stack,
    selectedTrack: s.selectedTrack,
    colouring: s.colouring,
    showOverlay: s.showOverlay,
    histogramUnits: s.histogramUnits,
  };
  const tables: SessionTable[] = [];
  if (s.tracks) {
    const p = packResult(s.tracks, {
      prefix: 'tracks',
      kind: 'tracks',
      name: 'EV tracks',
      stack: tablesStack,
      tables: TRACKS_TABLES,
    });
    section.tracks = p.json;
    section.tracksKey = s.tracksKey;
    tables.push(...p.tables);
  }
  if (s.distances) {
    const p = packResult(s.distances, {
      prefix: 'distances',
      kind: 'distances',
      name: 'EV–structure distances',
      stack: tablesStack,
      tables: DISTANCE_TABLES,
      units: { counts: '', mask: '' },
    });
    section.distances = p.json;
    section.distancesKey = s.distancesKey;
    section.distancesOnTracks = s.distancesTracks === s.tracks;
    tables.push(...p.tables);
  }
  return { section, tables };
}

/** The tracks section as saved; its parameters go through the Tracks step's schema. */
export const TracksSectionSchema = v.object({
  params: TracksParamsSchema,
  stack: v.nullable(v.string()),
  tracks: v.optional(v.unknown()),
  tracksKey: v.nullable(v.string()),
  distances: v.optional(v.unknown()),
  distancesKey: v.nullable(v.string()),
  /** The distances were measured on these tracks (not on an earlier tracking). */
  distancesOnTracks: v.optional(v.boolean()),
  selectedTrack: v.nullable(intIn(0)),
  colouring: v.optional(v.picklist(['time', 'distance'])),
  showOverlay: v.optional(v.boolean()),
  histogramUnits: v.optional(v.picklist(['counts', 'percent'])),
});
export type TracksSection = v.InferOutput<typeof TracksSectionSchema>;

export const DEFAULT_TRACKS_SECTION: TracksSection = {
  params: DEFAULT_TRACKS_PARAMS,
  stack: null,
  tracksKey: null,
  distancesKey: null,
  selectedTrack: null,
};

/**
 * Puts a saved tracks section back into the tracks store. `stackId` is the re-created stack (or
 * null when its raw data is not attached: the results still show, re-running needs the stack).
 */
export function restoreTracks(
  s: TracksSection | undefined,
  tables: readonly SessionTable[],
  stackId: number | null,
): void {
  tracksStore.getState().clear();
  if (!s) return;
  const tracks = s.tracks !== undefined ? (unpackResult(s.tracks as Json, tables) as TracksResult) : null;
  const distances =
    s.distances !== undefined ? (unpackResult(s.distances as Json, tables) as DistanceResult) : null;
  tracksStore.setState({
    stackId,
    params: stackId !== null ? s.params : null,
    tracks,
    tracksStackId: tracks ? stackId : null,
    tracksKey: s.tracksKey,
    trackStatus: tracks ? 'done' : 'idle',
    distances,
    distancesKey: s.distancesKey,
    // Distances measured on an earlier tracking stay marked stale against the restored tracks.
    distancesTracks: distances && s.distancesOnTracks !== false ? tracks : null,
    distanceStatus: distances ? 'done' : 'idle',
    selectedTrack: s.selectedTrack,
    ...(s.colouring ? { colouring: s.colouring } : {}),
    ...(s.showOverlay !== undefined ? { showOverlay: s.showOverlay } : {}),
    ...(s.histogramUnits ? { histogramUnits: s.histogramUnits } : {}),
  });
}

/**
 * The EV-marker result without its table's columns (those travel as the ev-counts table, for
 * other readers too): classification, statistics, channels, warnings.
 */
export function captureMarkersResult(
  result: MarkersResult,
  stack: string,
): { json: Json; tables: SessionTable[] } {
  const { columns: _c, ...rest } = result;
  return packResult(rest, { prefix: 'markers', kind: 'ev-counts', name: 'EV marker classification', stack });
}

/** Shows a saved EV-marker result in the markers store (no re-count: that needs the raw frames). */
export function restoreMarkersResult(
  stackId: number | null,
  params: MarkersParams,
  packed: Json,
  resultKey: string | null,
  counts: SessionTable,
  tables: readonly SessionTable[],
): void {
  const rest = unpackResult(packed, tables) as Omit<MarkersResult, 'columns'>;
  // Sessions name the position columns as the EV CSV does ("x [nm]"); older ones used "x".
  const columns: Record<string, ColumnArray> = {};
  for (const [k, c] of Object.entries(counts.columns)) columns[k.replace(/^([xy]) \[nm\]$/, '$1')] = c;
  markersStore.getState().loadResult(stackId, params, { ...rest, columns, length: counts.length }, resultKey);
}

const STRUCTURE_TABLES: Record<string, TableSpec> = {
  structures: {
    name: 'structures',
    columns: {
      maxAreaNm2: { name: 'max_area_nm2', unit: 'nm^2' },
      meanDiameterNm: { name: 'mean_diameter_nm', unit: 'nm' },
      xNm: { name: 'x_nm', unit: 'nm' },
      yNm: { name: 'y_nm', unit: 'nm' },
    },
  },
  perFrame: {
    name: 'structures_per_frame',
    columns: {
      meanAreaNm2: { name: 'mean_area_nm2', unit: 'nm^2' },
      meanDiameterNm: { name: 'mean_diameter_nm', unit: 'nm' },
    },
  },
};

const STRUCTURE_KEYS = [
  'id',
  'firstFrame',
  'lastFrame',
  'maxAreaNm2',
  'meanDiameterNm',
  'xNm',
  'yNm',
] as const;
const PER_FRAME_KEYS = ['count', 'meanAreaNm2', 'meanDiameterNm'] as const;

function asTable<K extends string>(src: Record<K, number[]>, keys: readonly K[]) {
  const columns = {} as Record<K, Float64Array>;
  for (const k of keys) columns[k] = Float64Array.from(src[k]);
  return { length: src[keys[0]].length, columns };
}

function fromTable<K extends string>(t: unknown, keys: readonly K[], what: string): Record<K, number[]> {
  const cols = (obj(t as Json)?.columns ?? null) as Record<string, unknown> | null;
  const out = {} as Record<K, number[]>;
  for (const k of keys) {
    const c = cols?.[k];
    if (!ArrayBuffer.isView(c)) throw new Error(`the ${what} table has no "${k}" column`);
    out[k] = Array.from(c as Float64Array);
  }
  return out;
}

/** The movie's structure analysis as a section and its tables (structures, per-frame statistics). */
export function captureStructures(
  r: StructureResult,
  stack: string | undefined,
): { json: Json; tables: SessionTable[] } {
  return packResult(
    {
      threshold: r.threshold,
      connectivity: r.connectivity,
      frames: r.frames,
      count: r.count,
      structures: asTable(r.structures, STRUCTURE_KEYS),
      perFrame: asTable(r.perFrame, PER_FRAME_KEYS),
    },
    { prefix: 'structures', kind: 'structures', name: 'movie structures', stack, tables: STRUCTURE_TABLES },
  );
}

/** The structure analysis a session carries, as the movie store holds it (nothing recomputed). */
export function restoreStructures(section: Json, tables: readonly SessionTable[]): StructureResult {
  const v = obj(unpackResult(section, tables) as Json);
  const n = (k: string) => {
    const x = v?.[k];
    if (typeof x !== 'number') throw new Error(`the structure result has no ${k}`);
    return x;
  };
  const connectivity = n('connectivity');
  if (connectivity !== 8 && connectivity !== 26)
    throw new Error(`connectivity ${connectivity} is not 8 or 26`);
  return {
    threshold: n('threshold'),
    connectivity,
    frames: n('frames'),
    count: n('count'),
    structures: fromTable(v?.structures, STRUCTURE_KEYS, 'structures'),
    perFrame: fromTable(v?.perFrame, PER_FRAME_KEYS, 'per-frame structures'),
  };
}
