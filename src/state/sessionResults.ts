// Result sections of a session that re-show a step without its raw data: the Tracks & distances
// step (parameters, tracks, the distance analysis behind its plots) and the EV-marker result
// (table, classification, subtype statistics). Each result goes through resultCodec: long
// arrays as binary columns, the rest as small JSON.
import type { ColumnArray } from '../core/locs/table';
import type { Json, SessionTable } from '../core/session/index';
import { packResult, type TableSpec, unpackResult } from '../core/session/resultCodec';
import type { MarkersResult } from '../engine/markersService';
import type { DistanceResult, TracksResult } from '../engine/tracksService';
import type { MarkersParams } from './markersParams';
import { markersStore } from './markersStore';
import { DEFAULT_TRACKS_PARAMS, type TracksParams } from './tracksParams';
import { tracksStore } from './tracksStore';

function obj(j: Json | undefined): Record<string, Json> | null {
  return typeof j === 'object' && j !== null && !Array.isArray(j) ? j : null;
}

// Table and column names as in the step's CSV exports (src/plots/tracks.ts, core/spt/io.ts), with
// units; frames stay 0-based here (as in ShareLoc localization tables), so a frame column keeps its
// plain name where the CSV writes a 1-based "movie frame".
const nm = { unit: 'nm' };
const XY = { x: { name: 'x [nm]', ...nm }, y: { name: 'y [nm]', ...nm } };
const FRAME = { frame: { unit: 'frame' } };

export const TRACKS_TABLES: Record<string, TableSpec> = {
  tracks: { name: 'tracks', columns: { ...FRAME, ...XY } },
  summary: {
    name: 'track_summary',
    columns: {
      firstFrame: { unit: 'frame' },
      lastFrame: { unit: 'frame' },
      missingFrames: { unit: 'frame' },
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
      frames: { name: 'movie frames measured', unit: 'frame' },
      within: { name: 'frames within cut-off', unit: 'frame' },
    },
  },
  'coloc.runs': {
    name: 'colocalization_runs',
    columns: {
      startFrame: { unit: 'frame' },
      duration: { name: 'duration [movie frames]', unit: 'frame' },
    },
  },
};

/** The tracks step as a section and its tables, or null when it has neither parameters nor results. */
export function captureTracks(
  stackIds: Map<number, string>,
): { section: Json; tables: SessionTable[] } | null {
  const s = tracksStore.getState();
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

/**
 * Puts a saved tracks section back into the tracks store. `stackId` is the re-created stack (or
 * null when its raw data is not attached: the results still show, re-running needs the stack).
 */
export function restoreTracks(
  section: Json | undefined,
  tables: readonly SessionTable[],
  stackId: number | null,
): void {
  tracksStore.getState().clear();
  const s = obj(section);
  if (!s) return;
  const params = {
    ...DEFAULT_TRACKS_PARAMS,
    ...(obj(s.params) as Partial<TracksParams> | null),
  } as TracksParams;
  const tracks = s.tracks !== undefined ? (unpackResult(s.tracks, tables) as TracksResult) : null;
  const distances = s.distances !== undefined ? (unpackResult(s.distances, tables) as DistanceResult) : null;
  tracksStore.setState({
    stackId,
    params: stackId !== null ? params : null,
    tracks,
    tracksStackId: tracks ? stackId : null,
    tracksKey: typeof s.tracksKey === 'string' ? s.tracksKey : null,
    trackStatus: tracks ? 'done' : 'idle',
    distances,
    distancesKey: typeof s.distancesKey === 'string' ? s.distancesKey : null,
    // Distances measured on an earlier tracking stay marked stale against the restored tracks.
    distancesTracks: distances && s.distancesOnTracks !== false ? tracks : null,
    distanceStatus: distances ? 'done' : 'idle',
    selectedTrack: typeof s.selectedTrack === 'number' ? s.selectedTrack : null,
    ...(s.colouring === 'time' || s.colouring === 'distance' ? { colouring: s.colouring } : {}),
    ...(typeof s.showOverlay === 'boolean' ? { showOverlay: s.showOverlay } : {}),
    ...(s.histogramUnits === 'counts' || s.histogramUnits === 'percent'
      ? { histogramUnits: s.histogramUnits }
      : {}),
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
