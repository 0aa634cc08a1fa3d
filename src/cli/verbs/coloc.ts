import { readFileSync, writeFileSync } from 'node:fs';
import { analyzeColocalization } from '../../core/coloc/analysis';
import { controlPositions } from '../../core/coloc/analysisControl';
import { FrameSweep } from '../../core/coloc/frameSweep';
import { assumedLine, PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { trackPositionsForMovie } from '../../core/spt/blocks';
import { parseTrackCsv } from '../../core/spt/io';
import { distancesCsv, formatP, histogramCsv } from '../../plots/tracks';
import { numberFlag, parseArgs } from '../args';
import { withStack } from '../openInputs';
import type { Verb } from '../verb';

const help = `usage: evscope coloc --tracks TRACKS.csv --mask MASK.tif --px 10 --camera-px 50 --out RESULT.csv [options]
Signed distance of every EV position to the structures of a binarized movie (outside: distance
to the nearest structure pixel, > 0; inside: minus the distance to its edge), against random
control points. MASK.tif is the binary (or label) movie as the Movie step exports it: one page
per movie frame, non-zero = structure, at --px nm per pixel from the camera field's top-left
corner. Track positions are averaged over each S-frame block, the block at the window's centre
standing for the movie frame. Writes each EV position's distance (track, movie frame, x, y,
distance) to RESULT.csv and prints the KS and χ² tests, time within the cut-off and τ.
options:
  --px NM             render pixel of the mask, nm (required)
  --camera-px NM      camera pixel, nm, for track columns in px (required)
  --window W          raw frames per movie frame (1002)
  --step S            raw frames between movie frames (6)
  --frame-ms T        raw frame interval, ms (5)
  --control N         random control points per movie frame (100)
  --cutoff NM         within = distance ≤ cut-off (240)
  --bins START,WIDTH,COUNT  histogram bins, nm (-500,50,30)
  --pooling nearest|pooled  one distance per position, or to every structure (nearest)
  --frame-base 0|1    first frame number in TRACKS.csv (1)
  --histogram FILE    also write the EV and control histograms as CSV
  --seed N            control points' random seed (1)`;

export const verb: Verb = {
  help,
  async run(args) {
    const a = parseArgs(args, {
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
      ],
    });
    const tracksPath = a.flags.get('tracks');
    const maskPath = a.flags.get('mask');
    const out = a.flags.get('out');
    const px = numberFlag(a, 'px');
    const cameraPx = numberFlag(a, 'camera-px');
    if (
      typeof tracksPath !== 'string' ||
      typeof maskPath !== 'string' ||
      typeof out !== 'string' ||
      !px ||
      !cameraPx
    ) {
      console.error(help);
      return 2;
    }
    if (!(px > 0 && cameraPx > 0)) throw new Error('--px and --camera-px must be > 0 nm');
    const window = numberFlag(a, 'window') ?? 1002;
    const step = numberFlag(a, 'step') ?? 6;
    const cutoff = numberFlag(a, 'cutoff') ?? 240;
    const perFrame = numberFlag(a, 'control') ?? 100;
    const seed = numberFlag(a, 'seed') ?? 1;
    const pooling = (a.flags.get('pooling') ?? 'nearest') as string;
    if (pooling !== 'nearest' && pooling !== 'pooled') throw new Error('--pooling must be nearest or pooled');
    const binsText = a.flags.get('bins');
    const bins = typeof binsText === 'string' ? binsText.split(',').map(Number) : [-500, 50, 30];
    if (
      bins.length !== 3 ||
      !bins.every(Number.isFinite) ||
      !(bins[1] > 0) ||
      !Number.isInteger(bins[2]) ||
      bins[2] < 1
    )
      throw new Error('--bins must be START,WIDTH,COUNT in nm (e.g. -500,50,30)');
    const frameBase = numberFlag(a, 'frame-base') ?? 1;
    if (frameBase !== 0 && frameBase !== 1) throw new Error('--frame-base must be 0 or 1');
    let tracks: ReturnType<typeof parseTrackCsv>;
    try {
      tracks = parseTrackCsv(readFileSync(tracksPath, 'utf8'), { pixelSize: cameraPx, frameBase });
    } catch (e) {
      throw new Error(`${tracksPath}: ${(e as Error).message}`);
    }
    return withStack([maskPath], async (mask) => {
      const grid = { x0Nm: 0, y0Nm: 0, width: mask.width, height: mask.height, pixelNm: px };
      const movieFrames = mask.frameCount;
      const positions = trackPositionsForMovie(tracks, { step, window, movieFrames });
      const region = { kind: 'rect' as const, x0: 0, y0: 0, x1: mask.width * px, y1: mask.height * px };
      const ctrl = controlPositions(movieFrames, region, { perFrame, seed });
      const sweep = new FrameSweep(movieFrames, [positions.columns, ctrl.columns], {
        grid,
        perStructure: pooling === 'pooled',
      });
      for (let t = 0; t < movieFrames; t++)
        sweep.addFrame(t, sweep.needs(t) ? await mask.readFrame(t) : null);
      const r = analyzeColocalization(positions, sweep.provider(), {
        movieFrames,
        frameInterval: (step * frameMs(a)) / 1000,
        controlRegion: region,
        controlPerFrame: perFrame,
        controlSeed: seed,
        cutoff,
        histogram: { start: bins[0], width: bins[1], count: bins[2] },
        pooling: pooling as 'nearest' | 'pooled',
      });
      writeFileSync(out, distancesCsv(r.distances));
      const hist = a.flags.get('histogram');
      if (typeof hist === 'string') writeFileSync(hist, histogramCsv(r.histogramTable));
      const f = r.durationFit;
      console.log(
        [
          `${r.distances.length} EV positions in ${movieFrames} movie frames (${maskPath}); ${r.control.length} control points`,
          `KS D = ${r.ks.D.toFixed(3)}, p = ${formatP(r.ks.p)}; χ² = ${r.chiSquare.statistic.toFixed(1)} (df ${r.chiSquare.df}), p = ${formatP(r.chiSquare.p)}`,
          `within ${cutoff} nm: EV ${(100 * r.evFractionWithin).toFixed(1)} %, control ${(100 * r.controlFractionWithin).toFixed(1)} %`,
          `colocalization runs: ${r.runs.length}; τ = ${Number.isFinite(f.tau) ? `${f.tau.toFixed(3)} s [${f.tauLow.toFixed(3)}, ${f.tauHigh.toFixed(3)}]` : '—'}`,
          `→ ${out}`,
        ].join('\n'),
      );
      return 0;
    });
  },
};

/** --frame-ms, else the default, said on stderr (dwell times scale with it). */
function frameMs(a: ReturnType<typeof parseArgs>): number {
  const given = numberFlag(a, 'frame-ms');
  if (given !== undefined) return given;
  const value = PHYSICAL_DEFAULTS.frameIntervalMs;
  console.error(assumedLine({ key: 'frameIntervalMs', value, remedy: 'pass --frame-ms' }));
  return value;
}
