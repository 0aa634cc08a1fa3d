// `evscope localize STACK --out LOCS.csv [options]`: detect and fit every frame on a pool of
// worker threads, write a ThunderSTORM CSV, print one summary line.
//
// The stack reader and the CSV writer are injected (`createLocalizeVerb`), so this verb is
// tested with in-memory fakes and wired to openStack / writeThunderstormCsv by the dispatcher.
import type { LocalizeApi } from '../../../workers/localize.api';
import type { ScmosMaps } from '../../core/camera/camera';
import { type GainUnit, type MapRole, readMap } from '../../core/camera/scmosMaps';
import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { countForRun, describeBrightnessCount } from '../../core/localize/brightnessCount';
import {
  type LocalizeParamsInput,
  LocalizeParamsInputSchema,
  resolveLocalizeParams,
} from '../../core/localize/params';
import { type SigmaEstimate, SigmaEstimator } from '../../core/localize/sigmaFromData';
import { concatLocTables, type LocTable } from '../../core/locs/table';
import {
  type Assumption,
  assumedLine,
  offsetWarning,
  type PhysicalKey,
  resolvePhysical,
} from '../../core/physicalDefaults';
import { readFrameBlock } from '../../core/stack/frameBlock';
import { openStack } from '../../core/stack/open';
import type { ByteSource, FrameSource } from '../../core/stack/types';
import { localizeRun } from '../../engine/localizeRun';
import { localizeNodeWorkerFactory, nodePoolSize } from '../../engine/nodeWorker';
import { WorkerPool } from '../../engine/workerPool';
import { numberFlag, type ParsedArgs, schemaFlag } from '../args';
import { openFileByteSources } from '../nodeByteSource';
import { reportStackWarnings } from '../openInputs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb, type Verb } from '../verb';
import { parseFrameRange } from './convert';

export interface LocalizeVerbDeps {
  openStack(sources: ByteSource[]): Promise<FrameSource>;
  /** The table (x, y in nm, 0-based frames) as ThunderSTORM CSV text. */
  writeCsv(table: LocTable): string;
}

/** Exit status when the output holds only the frames before one that could not be read. */
export const PARTIAL_EXIT = 3;

const HELP = `usage: evscope localize STACK [SIDECAR] --out LOCS.csv [options]
(SIDECAR: the .inf or .yaml of a headerless .dax/.raw movie)
Detects (wavelet filter, local maxima) and fits (integrated Gaussian) every frame.
  --out FILE          ThunderSTORM CSV to write (required)
  --pixel-nm N        camera pixel size in nm (default: from the file, else 100, reported as assumed)
  --sigma-nm N|auto   PSF sigma in nm (default 130); auto measures it first: a free-σ fit of
                      isolated spots of the first frames (up to 400 spots), median, printed
  --fit-sigma         fit sigma per spot instead of keeping it fixed
  --camera KIND       ccd | emccd | scmos (default: from the file, else ccd)
  --offset ADU        camera offset (default: from the file, else 0, reported as assumed, with a
                      warning when the darkest pixels sit far above it)
  --gain E_PER_ADU    photoelectrons per ADU (default: from the file, else 1)
  --em-gain N         EM gain (default: from the file, else 1)
  --scmos-offset F --scmos-gain F --scmos-variance F
                      sCMOS per-pixel calibration maps, all three together, each an image of the
                      full frame (frame 0 is read; any pixel type): offset in ADU, gain in e⁻/ADU,
                      read-noise variance in ADU². They imply --camera scmos and replace
                      --offset/--gain. (evscope simulate --camera scmos writes such maps.)
  --scmos-gain-unit U e-per-adu (default) | adu-per-e, for gain maps stored as ADU per e⁻
  --fitter KIND       mle | lsq | wlsq | mle-multi (default mle); mle-multi fits 1…N emitters
                      per window where one does not explain it (σ fixed; dense data)
  --max-emitters N    mle-multi: most emitters per window (default 5)
  --multi-alpha P     mle-multi: significance of the test that accepts one more emitter (default 1e-4)
  --count-by-brightness on|off
                      mle-multi: count emitters too close to resolve from the spots' photons
                      (a Gamma mixture of 1…4 emitters' brightness fitted to the run; one row
                      per emitter); declines, saying why, when one emitter's brightness is too
                      broad to tell one from two (default on)
  --threshold K       detection threshold K × std(Wave.F1) (default 1)
  --frames A:B        frames A to B, 1-based inclusive; either end may be left out
  --threads N         worker threads (default: one per core)

The output is refused when it is one of the inputs, and written under OUT.partial until complete.
A frame that cannot be read (a damaged page) stops the run: the localizations of every frame
before it are written, a warning names the frame, and the exit status is ${PARTIAL_EXIT}.`;

/** Workers silent this long while busy are presumed dead and replaced (they beat every second). */
const STALL_TIMEOUT_MS = 60_000;

export function localizeParamsFromArgs(
  p: ParsedArgs,
  stack: FrameSource,
  assumed: Assumption[] = [],
): LocalizeParamsInput {
  const cam = stack.meta.camera ?? {};
  // The run's parameter schema: a bad flag gets the message a session file's value would.
  const f = LocalizeParamsInputSchema.entries;
  const kind = schemaFlag(p, 'camera', f.camera.wrapped.entries.kind);
  const phys = (key: PhysicalKey, flag: string, fromFile: number | undefined) =>
    resolvePhysical(key, numberFlag(p, flag), fromFile, assumed, `pass --${flag}`);
  return {
    pixelSizeNm: phys('pixelSizeNm', 'pixel-nm', stack.meta.pixelSizeNm),
    sigmaNm: sigmaIsAuto(p) ? undefined : (schemaFlag(p, 'sigma-nm', f.sigmaNm) ?? 130),
    fitSigma: p.flags.get('fit-sigma') === true,
    fitter: schemaFlag(p, 'fitter', f.fitter) ?? 'mle',
    maxEmitters: schemaFlag(p, 'max-emitters', f.maxEmitters),
    multiAlpha: schemaFlag(p, 'multi-alpha', f.multiAlpha),
    countByBrightness: onOffFlag(p, 'count-by-brightness'),
    thresholdFactor: schemaFlag(p, 'threshold', f.thresholdFactor) ?? 1,
    camera: {
      kind: kind ?? cam.kind ?? 'ccd',
      offsetAdu: phys('offsetAdu', 'offset', cam.offsetAdu),
      electronsPerAdu: phys('electronsPerAdu', 'gain', cam.electronsPerAdu),
      emGain: phys('emGain', 'em-gain', cam.emGain),
      quantumEfficiency: cam.quantumEfficiency ?? 1,
      readNoiseE: cam.readNoiseE ?? 0,
    },
  };
}

/**
 * Prints each assumed camera/geometry value to stderr, and warns when the darkest pixels of the
 * first frame sit far above the offset in use (an offset nobody subtracted).
 */
async function reportAssumptions(
  stack: FrameSource,
  params: LocalizeParamsInput,
  assumed: Assumption[],
  firstFrame: number,
): Promise<void> {
  const kind = params.camera?.kind;
  const maps = params.camera?.scmosMaps !== undefined;
  for (const a of assumed) {
    // Per-pixel maps carry offset and gain: the scalar defaults are not used, so not assumed.
    if (maps && (a.key === 'offsetAdu' || a.key === 'electronsPerAdu')) continue;
    // EM gain means nothing for a CCD or sCMOS; their 1 is not an assumption.
    if (a.key === 'emGain' && kind !== 'emccd') continue;
    console.error(assumedLine(a));
  }
  if (maps || !assumed.some((a) => a.key === 'offsetAdu')) return;
  const w = offsetWarning(await stack.readFrame(firstFrame), params.camera?.offsetAdu ?? 0);
  if (w) console.error(`warning: ${w}. Pass --offset ADU.`);
}

function onOffFlag(p: ParsedArgs, name: string): boolean | undefined {
  const v = p.flags.get(name);
  if (v === undefined) return undefined;
  if (v === 'on' || v === 'off') return v === 'on';
  throw new Error(`--${name} must be on or off, got "${String(v)}"`);
}

function sigmaIsAuto(p: ParsedArgs): boolean {
  return p.flags.get('sigma-nm') === 'auto';
}

/** Frames read for --sigma-nm auto at most (it stops earlier once 400 spots are fitted). */
const SIGMA_FRAMES = 200;

/** σ measured on the first frames of the range, with every other parameter as given. */
async function sigmaFromStack(
  stack: FrameSource,
  params: LocalizeParamsInput,
  start: number,
  end: number,
): Promise<SigmaEstimate> {
  // The fits start from the default σ, which also sizes their window.
  const resolved = resolveLocalizeParams({ ...params, sigmaNm: params.sigmaNm ?? 130 });
  const est = new SigmaEstimator(stack.width, stack.height, resolved);
  for (let f = start; f < Math.min(end, start + SIGMA_FRAMES) && !est.done(); f++)
    est.addFrame(await stack.readFrame(f));
  return est.result();
}

const MAP_FLAGS: [MapRole, string][] = [
  ['offset', 'scmos-offset'],
  ['gain', 'scmos-gain'],
  ['variance', 'scmos-variance'],
];

/** The --scmos-* map files, or null without them; all three or none. */
export function scmosMapPaths(p: ParsedArgs): Record<MapRole, string> | null {
  const given = MAP_FLAGS.filter(([, f]) => p.flags.has(f));
  if (given.length === 0) {
    if (p.flags.has('scmos-gain-unit')) throw new Error('--scmos-gain-unit needs the --scmos-gain map');
    return null;
  }
  if (given.length < 3) {
    const missing = MAP_FLAGS.filter(([, f]) => !p.flags.has(f)).map(([, f]) => `--${f}`);
    throw new Error(
      `sCMOS calibration needs all three maps: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  }
  const camera = p.flags.get('camera');
  if (camera !== undefined && camera !== 'scmos')
    throw new Error(
      `sCMOS maps were given but --camera is ${String(camera)}: drop --camera or make it scmos`,
    );
  const out = {} as Record<MapRole, string>;
  for (const [role, f] of MAP_FLAGS) {
    const v = p.flags.get(f);
    if (typeof v !== 'string') throw new Error(`--${f} needs a file name`);
    out[role] = v;
  }
  return out;
}

function gainUnitFlag(p: ParsedArgs): GainUnit {
  const u = p.flags.get('scmos-gain-unit');
  if (u === undefined || u === 'e-per-adu') return 'electronsPerAdu';
  if (u === 'adu-per-e') return 'aduPerElectron';
  throw new Error(`--scmos-gain-unit must be e-per-adu or adu-per-e, got "${String(u)}"`);
}

/** Reads the three map files (frame 0 of each) for a stack of the given size. */
async function readScmosMapFiles(
  paths: Record<MapRole, string>,
  width: number,
  height: number,
  gainUnit: GainUnit,
  open: LocalizeVerbDeps['openStack'],
): Promise<ScmosMaps> {
  const read = async (role: MapRole): Promise<Float32Array> => {
    const files = await openFileByteSources([paths[role]]);
    try {
      let src: FrameSource;
      try {
        src = await open(files);
      } catch (e) {
        throw new Error(`cannot read the sCMOS ${role} map ${paths[role]}: ${(e as Error).message}`);
      }
      return await readMap(role, src, width, height, { gainUnit });
    } finally {
      await Promise.all(files.map((f) => f.close()));
    }
  };
  return {
    offsetAdu: await read('offset'),
    electronsPerAdu: await read('gain'),
    varianceAdu2: await read('variance'),
  };
}

export function createLocalizeVerb(deps: LocalizeVerbDeps): Verb {
  return defineVerb({
    help: HELP,
    values: [
      'out',
      'pixel-nm',
      'sigma-nm',
      'camera',
      'offset',
      'gain',
      'em-gain',
      'fitter',
      'max-emitters',
      'multi-alpha',
      'count-by-brightness',
      'threshold',
      'frames',
      'threads',
      'scmos-offset',
      'scmos-gain',
      'scmos-variance',
      'scmos-gain-unit',
    ],
    booleans: ['fit-sigma'],
    async run(p) {
      if (p.positionals.length < 1) throw new Error('give the STACK file (see --help)');
      const out = p.flags.get('out');
      if (typeof out !== 'string') throw new Error('--out LOCS.csv is required');
      const threads = numberFlag(p, 'threads') ?? nodePoolSize();
      if (!(Number.isInteger(threads) && threads >= 1))
        throw new Error(`--threads must be a whole number ≥ 1, got ${threads}`);
      const mapPaths = scmosMapPaths(p);
      const gainUnit = gainUnitFlag(p);
      await checkOutputs([out], [...p.positionals, ...Object.values(mapPaths ?? {})]);
      const files = await openFileByteSources(p.positionals);
      const pool = new WorkerPool<LocalizeApi>(localizeNodeWorkerFactory<LocalizeApi>(), {
        size: threads,
        stallTimeoutMs: STALL_TIMEOUT_MS,
      });
      try {
        const stack = reportStackWarnings(await deps.openStack(files));
        const assumed: Assumption[] = [];
        const params = localizeParamsFromArgs(p, stack, assumed);
        if (mapPaths) {
          const scmosMaps = await readScmosMapFiles(
            mapPaths,
            stack.width,
            stack.height,
            gainUnit,
            deps.openStack,
          );
          params.camera = { ...params.camera, kind: 'scmos', emGain: 1, scmosMaps };
        }
        const range =
          typeof p.flags.get('frames') === 'string'
            ? parseFrameRange(String(p.flags.get('frames')), stack.frameCount)
            : undefined;
        const frames = range && { start: range[0], end: range[1] };
        await reportAssumptions(stack, params, assumed, range ? range[0] : 0);
        let sigmaNote = '';
        if (sigmaIsAuto(p)) {
          const est = await sigmaFromStack(
            stack,
            params,
            frames?.start ?? 0,
            frames?.end ?? stack.frameCount,
          );
          params.sigmaNm = est.sigmaNm;
          sigmaNote = `, σ ${est.sigmaNm.toFixed(1)} nm from data (spread ${est.spreadNm.toFixed(1)} nm, ${est.spots} spots in ${est.frames} frames)`;
        }
        const chunks: LocTable[] = [];
        const res = await localizeRun({
          source: {
            width: stack.width,
            height: stack.height,
            frameCount: stack.frameCount,
            readFrame: (i, signal) => stack.readFrame(i, { signal }),
            readFrames: (i, n, signal) => readFrameBlock(stack, i, n, { signal }),
          },
          params,
          pool,
          frames,
          onChunk: (t) => chunks.push(t),
        });
        let table = concatLocTables(chunks);
        const counted = countForRun(table, resolveLocalizeParams(params));
        if (counted) table = counted.table;
        await writeOutputSafely(out, deps.writeCsv(table));
        console.log(
          `${table.length} localizations, ${res.seconds.toFixed(2)} s, ${res.framesPerSecond.toFixed(0)} frames/s${sigmaNote}`,
        );
        if (counted) console.log(describeBrightnessCount(counted));
        if (!res.failedFrame) return 0;
        const first = (frames?.start ?? 0) + 1;
        const last = frames?.end ?? stack.frameCount;
        const bad = res.failedFrame.frame + 1;
        console.error(
          `warning: frame ${bad} could not be localized (${res.failedFrame.message}); ${out} holds frames ${first}–${bad - 1} only, frames ${bad}–${last} are missing (frames are 1-based)`,
        );
        return PARTIAL_EXIT;
      } finally {
        pool.terminate();
        await Promise.all(files.map((f) => f.close()));
      }
    },
  });
}

export const verb = createLocalizeVerb({ openStack, writeCsv: (t) => writeThunderstormCsv(t) });
