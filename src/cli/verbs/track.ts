import { createTracksApi, type TracksProgress } from '../../../workers/tracks.api';
import { DEFAULT_TRACKS_PARAMS, FALLBACK_EV_SIGMA_NM, TracksParamsSchema } from '../../core/coloc/schema';
import {
  type Assumption,
  assumedLine,
  PHYSICAL_DEFAULTS,
  type PhysicalKey,
  resolvePhysical,
} from '../../core/physicalDefaults';
import { tracksToCsv } from '../../core/spt/io';
import { MOBILITY_NAMES } from '../../core/spt/summary';
import type { FrameSource } from '../../core/stack/types';
import { numberFlag, schemaFlag } from '../args';
import { groupWithSidecars, withStack } from '../openInputs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';

const help = `usage: evscope track STACK --out TRACKS.csv [options]
Detects and fits the EVs of one channel (wavelet detection, MLE Gaussian fit with σ free), links
them into tracks (optimal assignment within a search radius, gap closing) and writes the tracks
as a ThunderSTORM-style CSV (track, frame 1-based, x [nm], y [nm], intensity). Prints the number
of tracks and their mobility classes (MSD, D).
options:
  --channel C        EV channel, 1-based (default: the last channel)
  --sigma-nm S       PSF σ start value, nm (150)
  --fixed-sigma      keep σ fixed instead of fitting it
  --threshold K      detection threshold, × noise std of the first wavelet level (2)
  --radius NM|auto   search radius between consecutive frames, nm (auto: 200, raised to the
                     radius that keeps 99.9 % of the steps when fast EVs' steps exceed it; with
                     a fixed radius a warning suggests one instead)
  --max-gap N        missing frames a gap may bridge (2)
  --min-length N     shortest track kept, positions (10)
  --min-intensity P  lowest mean intensity kept, photons (0)
  --pixel-nm P       camera pixel size, nm (from the file, else 100)
  --frame-ms T       frame interval, ms (from the file, else 5)
  --summary FILE     also write the per-track summary (D, α, class) as CSV`;

export const verb = defineVerb({
  help,
  values: [
    'out',
    'channel',
    'sigma-nm',
    'threshold',
    'radius',
    'max-gap',
    'min-length',
    'min-intensity',
    'pixel-nm',
    'frame-ms',
    'summary',
  ],
  booleans: ['fixed-sigma'],
  async run(a) {
    const out = a.flags.get('out');
    if (a.positionals.length < 1 || typeof out !== 'string') {
      console.error(help);
      return 2;
    }
    // The Tracks step's schema: the flags obey the panel's rules and give its messages.
    const t = TracksParamsSchema.entries;
    const autoRadius = (a.flags.get('radius') ?? 'auto') === 'auto';
    let radiusNm = DEFAULT_TRACKS_PARAMS.radiusNm;
    try {
      if (!autoRadius) radiusNm = schemaFlag(a, 'radius', t.radiusNm) ?? radiusNm;
    } catch (e) {
      throw new Error(`${(e as Error).message} (give "auto" or a distance in nm)`);
    }
    const summary = a.flags.get('summary');
    await checkOutputs([out, typeof summary === 'string' ? summary : undefined], a.positionals);
    const paths = groupWithSidecars(a.positionals)[0];
    return withStack(paths, async (src: FrameSource) => {
      const channel = (numberFlag(a, 'channel') ?? src.channels) - 1;
      const cam = src.meta.camera ?? {};
      const kind = cam.kind ?? 'ccd';
      const assumed: Assumption[] = [];
      const phys = (key: PhysicalKey, flag: string, fromFile: number | undefined) =>
        resolvePhysical(key, numberFlag(a, flag), fromFile, assumed, `pass --${flag}`);
      const pixelSizeNm = phys('pixelSizeNm', 'pixel-nm', src.meta.pixelSizeNm);
      const frameMs = phys('frameIntervalMs', 'frame-ms', src.meta.frameIntervalMs);
      for (const x of assumed) console.error(assumedLine(x));
      const api = createTracksApi(async () => src);
      let last = 0;
      const r = await api.track(
        {
          recipe: { kind: 'files', files: [] },
          channel,
          localize: {
            pixelSizeNm,
            sigmaNm: schemaFlag(a, 'sigma-nm', t.sigmaNm) ?? FALLBACK_EV_SIGMA_NM,
            fitSigma: !a.flags.has('fixed-sigma'),
            thresholdFactor:
              schemaFlag(a, 'threshold', t.thresholdFactor) ?? DEFAULT_TRACKS_PARAMS.thresholdFactor,
            camera: {
              kind,
              offsetAdu: cam.offsetAdu ?? PHYSICAL_DEFAULTS.offsetAdu,
              electronsPerAdu: cam.electronsPerAdu ?? 1,
              emGain: kind === 'emccd' ? (cam.emGain ?? 1) : 1,
              quantumEfficiency: cam.quantumEfficiency ?? 1,
              readNoiseE: cam.readNoiseE ?? 0,
            },
          },
          link: {
            maxLinkDistance: radiusNm,
            maxGap: schemaFlag(a, 'max-gap', t.maxGap) ?? DEFAULT_TRACKS_PARAMS.maxGap,
            autoRadius,
          },
          filter: {
            minLength: schemaFlag(a, 'min-length', t.minLength) ?? DEFAULT_TRACKS_PARAMS.minLength,
            minMeanIntensity:
              schemaFlag(a, 'min-intensity', t.minIntensity) ?? DEFAULT_TRACKS_PARAMS.minIntensity,
          },
          frameIntervalS: frameMs / 1000,
        },
        (p: TracksProgress) => {
          if (process.stderr.isTTY && p.elapsed - last > 0.5) {
            last = p.elapsed;
            process.stderr.write(`\r${p.phase} ${p.done}/${p.total}`);
          }
        },
      );
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      await writeOutputSafely(out, tracksToCsv(r.tracks));
      const summaryPath = a.flags.get('summary');
      if (typeof summaryPath === 'string') {
        const { trackSummaryCsv } = await import('../../core/coloc/report');
        await writeOutputSafely(summaryPath, trackSummaryCsv(r.summary, null));
      }
      const counts = MOBILITY_NAMES.map(
        (n, k) => `${r.summary.columns.mobility.filter((m) => m === k).length} ${n}`,
      );
      const rc = r.radiusCheck;
      if (rc?.raisedFromNm !== undefined)
        console.log(
          `search radius raised from ${rc.raisedFromNm} to ${rc.radiusNm} nm for the fastest EVs' steps`,
        );
      if (rc?.warning) console.error(`warning: ${rc.warning} (--radius)`);
      console.log(
        `${r.summary.length} tracks (${r.tracksBefore} before filters) from ${r.detections} spots in channel ${channel + 1}; ${r.gapsClosed} gaps closed; ${counts.join(', ')} → ${out}`,
      );
      return 0;
    });
  },
});
