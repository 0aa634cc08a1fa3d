import { readFileSync } from 'node:fs';
import {
  analyzeColocalization,
  type ColocParams,
  type ColocResult,
  colocControls,
} from '../../core/coloc/analysis';
import { FrameSweep } from '../../core/coloc/frameSweep';
import {
  distancesCsv,
  formatDurations,
  formatPositionTests,
  formatTrackTest,
  histogramCsv,
  trackTestCsv,
} from '../../core/coloc/report';
import { ColocTestSchema, TracksParamsSchema } from '../../core/coloc/schema';
import { combineCells, type TrackTestResult, trackPermutationTest } from '../../core/coloc/trackTest';
import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { parseOrThrow, v } from '../../core/schema';
import { noMoviePositionsReason, trackPositionsForMovie } from '../../core/spt/blocks';
import { detectTrackFormat, parseSptText, parseTrackCsv } from '../../core/spt/io';
import type { TrackTable } from '../../core/spt/types';
import { MetaOverridesSchema } from '../../core/stack/metaOverrides';
import { schemaFlag, stringFlag } from '../args';
import { withStack } from '../openInputs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';

const help = `usage: evscope coloc --tracks TRACKS.csv --mask MASK.tif --px 10 --camera-px 50 --out RESULT.csv [options]
Signed distance of every EV position to the structures of a binarized movie (outside: distance
to the nearest structure pixel, > 0; inside: minus the distance to its edge), against random
controls. MASK.tif is the binary (or label) movie as the Movie step exports it: one page per
movie frame, non-zero = structure, at --px nm per pixel from the camera field's top-left corner.
TRACKS is a ThunderSTORM-style CSV with a track column or the 7-column SPT text (frame, x px,
y px, …; told apart by content). Track positions are averaged over each S-frame block, the block
at the window's centre standing for the movie frame. Writes each EV position's distance (track,
movie frame, x, y, distance) to RESULT.csv.
The test printed first treats the EV track as the unit: each track's mean signed distance (and
its fraction of frames within the cut-off) against matched control tracks — the same trajectory
shifted to uniform random places in the field — by a stratified permutation test, with n
tracks/positions and the EV − control difference with a 95 % bootstrap CI (resampling tracks).
KS and χ² over all positions follow, labelled descriptive: frames of one track are not
independent, so their p-values are far too small.
options:
  --px NM             render pixel of the mask, nm (required)
  --camera-px NM      camera pixel, nm, for track columns in px (required)
  --window W          raw frames per movie frame (1002)
  --step S            raw frames between movie frames (6)
  --frame-ms T        raw frame interval, ms (5)
  --control N         random control points per movie frame, for the histograms (100)
  --control-tracks K  matched control tracks per EV track, for the test (20)
  --permutations B    permutations of the track-level test (9999)
  --cutoff NM         within = distance ≤ cut-off (240)
  --bins START,WIDTH,COUNT  histogram bins, nm (-500,50,30)
  --pooling nearest|pooled  one distance per position, or to every structure (nearest)
  --frame-base 0|1    first frame number in TRACKS.csv (1)
  --histogram FILE    also write the EV and control histograms as CSV
  --per-track FILE    also write the data behind the test: per EV track its mean distance and
                      fraction within, and the means of its matched control tracks
  --seed N            control points' random seed (1)
Several cells (stacks) at once: --tracks A.csv,B.csv --mask A.tif,B.tif (one pair per cell). The
test then pools the tracks of all cells (tracks remain the permutation strata) and its CI
resamples cells; n cells is printed; the CSVs get a leading cell column.`;

/** --bins START,WIDTH,COUNT (nm), each part through the Tracks step's histogram fields. */
function binsFlag(text: string | undefined): [number, number, number] {
  if (text === undefined) return [-500, 50, 30];
  const parts = text.split(',').map((t) => (t.trim() === '' ? Number.NaN : Number(t)));
  if (parts.length !== 3) throw new Error('--bins must be START,WIDTH,COUNT in nm (e.g. -500,50,30)');
  const T = TracksParamsSchema.entries;
  return [
    parseOrThrow(T.histStartNm, parts[0], '--bins START'),
    parseOrThrow(T.histWidthNm, parts[1], '--bins WIDTH'),
    parseOrThrow(T.histCount, parts[2], '--bins COUNT'),
  ];
}

export const verb = defineVerb({
  help,
  values: [
    'tracks',
    'mask',
    'px',
    'camera-px',
    'out',
    'window',
    'step',
    'frame-ms',
    'control',
    'cutoff',
    'bins',
    'pooling',
    'frame-base',
    'histogram',
    'seed',
    'control-tracks',
    'permutations',
    'per-track',
  ],
  async run(a) {
    const tracksPath = a.flags.get('tracks');
    const maskPath = a.flags.get('mask');
    const out = a.flags.get('out');
    // The Tracks & distances step's schemas: the panel's limits and messages.
    const T = TracksParamsSchema.entries;
    const C = ColocTestSchema.entries;
    const px = schemaFlag(a, 'px', T.renderPxNm);
    const cameraPx = schemaFlag(a, 'camera-px', v.unwrap(MetaOverridesSchema.entries.pixelSizeNm));
    if (
      typeof tracksPath !== 'string' ||
      typeof maskPath !== 'string' ||
      typeof out !== 'string' ||
      px === undefined ||
      cameraPx === undefined
    ) {
      console.error(help);
      return 2;
    }
    await checkOutputs(
      [out, stringFlag(a, 'histogram'), stringFlag(a, 'per-track')],
      [...tracksPath.split(','), ...maskPath.split(',')],
    );
    const window = schemaFlag(a, 'window', T.window) ?? 1002;
    const step = schemaFlag(a, 'step', T.step) ?? 6;
    const cutoff = schemaFlag(a, 'cutoff', T.cutoffNm) ?? 240;
    const perFrame = schemaFlag(a, 'control', T.controlPerFrame) ?? 100;
    const seed = schemaFlag(a, 'seed', C.controlSeed) ?? 1;
    const pooling = schemaFlag(a, 'pooling', T.pooling) ?? 'nearest';
    const bins = binsFlag(stringFlag(a, 'bins'));
    const frameBase = schemaFlag(a, 'frame-base', T.frameBase) ?? 1;
    const perTrack = schemaFlag(a, 'control-tracks', C.controlTracksPerTrack) ?? 20;
    const permutations = schemaFlag(a, 'permutations', C.permutations) ?? 9999;
    const tracksList = tracksPath.split(',');
    const maskList = maskPath.split(',');
    if (tracksList.length !== maskList.length)
      throw new Error('--tracks and --mask must list the same number of files (one pair per cell)');
    const frameMs = schemaFlag(a, 'frame-ms', v.unwrap(MetaOverridesSchema.entries.frameIntervalMs));
    const frameInterval = (step * (frameMs ?? PHYSICAL_DEFAULTS.frameIntervalMs)) / 1000;
    const cells: { r: ColocResult; movieFrames: number; mask: string }[] = [];
    for (let c = 0; c < tracksList.length; c++) {
      const tracks = readTracks(tracksList[c], cameraPx, frameBase);
      const cell = await withStack([maskList[c]], async (mask) => {
        const grid = { x0Nm: 0, y0Nm: 0, width: mask.width, height: mask.height, pixelNm: px };
        const movieFrames = mask.frameCount;
        const positions = trackPositionsForMovie(tracks, { step, window, movieFrames });
        if (!positions.length)
          return `${noMoviePositionsReason(tracks, { step, window, movieFrames })} Check --window/--step (W = ${window}, S = ${step}) against the movie the mask was made from, and --frame-base.`;
        const region = { kind: 'rect' as const, x0: 0, y0: 0, x1: mask.width * px, y1: mask.height * px };
        const params: ColocParams = {
          movieFrames,
          frameInterval,
          controlRegion: region,
          controlPerFrame: perFrame,
          controlTracksPerTrack: perTrack,
          permutations,
          controlSeed: seed,
          cutoff,
          histogram: { start: bins[0], width: bins[1], count: bins[2] },
          pooling: pooling as 'nearest' | 'pooled',
        };
        const controls = colocControls(positions, params);
        const sweep = new FrameSweep(
          movieFrames,
          [positions.columns, controls.points.columns, controls.tracks.columns],
          { grid, perStructure: pooling === 'pooled' },
        );
        for (let t = 0; t < movieFrames; t++)
          sweep.addFrame(t, sweep.needs(t) ? await mask.readFrame(t) : null);
        return { r: analyzeColocalization(positions, sweep.provider(), params, controls), movieFrames };
      });
      if (typeof cell === 'string') {
        console.error(tracksList.length > 1 ? `cell ${c + 1} (${tracksList[c]}): ${cell}` : cell);
        return 1;
      }
      cells.push({ ...cell, mask: maskList[c] });
    }
    const csv = (make: (r: ColocResult) => string) => cellCsv(cells.map((c) => make(c.r)));
    await writeOutputSafely(
      out,
      csv((r) => distancesCsv(r.distances)),
    );
    const hist = stringFlag(a, 'histogram');
    if (hist)
      await writeOutputSafely(
        hist,
        csv((r) => histogramCsv(r.histogramTable)),
      );
    const perTrackPath = stringFlag(a, 'per-track');
    if (perTrackPath) await writeOutputSafely(perTrackPath, csv(trackTestCsv));
    const lines: string[] = [];
    let tested: TrackTestResult;
    if (cells.length === 1) {
      const { r, movieFrames } = cells[0];
      tested = r.trackTest.distance;
      lines.push(
        `${r.distances.length} EV positions of ${r.perTrack.length} tracks in ${movieFrames} movie frames (${maskPath}); ${r.control.length} control points, ${perTrack} control tracks per EV track`,
        formatTrackTest(r.trackTest.distance, cutoff),
        formatTrackTest(r.trackTest.within, cutoff),
      );
    } else {
      // Several stacks: tracks stay the strata of the permutation, cells the bootstrap's unit.
      const all = combineCells(
        cells.map((c) => ({ ev: c.r.evTrackSummaries, control: c.r.controlTrackSummaries })),
        perTrack,
      );
      const opts = { cells: all.cells, permutations, seed };
      tested = trackPermutationTest(all.ev, all.control, perTrack, 'meanDistance', opts);
      const positions = cells.reduce((n, c) => n + c.r.distances.length, 0);
      const tracks = cells.reduce((n, c) => n + c.r.perTrack.length, 0);
      lines.push(
        `${positions} EV positions of ${tracks} tracks in ${cells.length} cells; ${perTrack} control tracks per EV track`,
        formatTrackTest(tested, cutoff),
        formatTrackTest(trackPermutationTest(all.ev, all.control, perTrack, 'fractionWithin', opts), cutoff),
      );
    }
    cells.forEach(({ r, mask }, c) => {
      const pre = cells.length > 1 ? `cell ${c + 1} (${mask}): ` : '';
      if (cells.length > 1) lines.push(pre + formatTrackTest(r.trackTest.distance, cutoff));
      lines.push(
        pre + formatPositionTests(r),
        `${pre}within ${cutoff} nm, all positions: EV ${(100 * r.evFractionWithin).toFixed(1)} %, control ${(100 * r.controlFractionWithin).toFixed(1)} %`,
        pre + formatDurations(r.runs, r.durationFit),
      );
    });
    lines.push(`→ ${out}`);
    console.log(lines.join('\n'));
    if (!tested.tracks) {
      console.error(
        'No EV track has a measured distance (every position falls outside the mask field or in frames without structures): nothing was tested.',
      );
      return 1;
    }
    return 0;
  },
});

/** One CSV from per-cell CSVs: unchanged for one cell, else a leading 1-based "cell" column. */
function cellCsv(parts: string[]): string {
  if (parts.length === 1) return parts[0];
  const out: string[] = [];
  parts.forEach((text, c) => {
    const lines = text.trimEnd().split('\n');
    if (c === 0) out.push(`"cell",${lines[0]}`);
    for (const l of lines.slice(1)) out.push(`${c + 1},${l}`);
  });
  return `${out.join('\n')}\n`;
}

function readTracks(path: string, cameraPx: number, frameBase: 0 | 1): TrackTable {
  try {
    const text = readFileSync(path, 'utf8');
    return detectTrackFormat(text) === 'csv'
      ? parseTrackCsv(text, { pixelSize: cameraPx, frameBase })
      : parseSptText(text, { pixelSize: cameraPx, frameBase });
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
