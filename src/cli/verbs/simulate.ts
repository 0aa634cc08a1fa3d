import { scmosMapsFromSimulation } from '../../core/camera/scmosMaps';
import {
  CAMERA_PRESETS,
  calciumTruthCsv,
  PRESET_DESCRIPTIONS,
  PRESET_NAMES,
  type PresetName,
  presetParams,
  simulate,
  truthEventsCsv,
  truthEvsCsv,
  truthStructuresCsv,
  truthTrajectoriesCsv,
} from '../../core/sim';
import { CalciumSceneFields, SimCameraFields, SimChannelFields, SimSizeFields } from '../../core/sim/schema';
import { encodeTiff } from '../../core/stack/tiffWriter';
import { numberFlag, type ParsedArgs, schemaFlag, schemaValue } from '../args';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { defineVerb } from '../verb';
import { writeSimulatedTiff } from '../writeSimulatedTiff';
import {
  EXPERIMENT_ONLY,
  writeSimulatedCalciumExperiment,
  writeSimulatedExperiment,
} from './simulateExperiment';

const help = `usage: evscope simulate --preset NAME --out PREFIX [options]
Writes PREFIX.tif (uint16, channels interleaved as an ImageJ hyperstack), PREFIX_truth_events.csv
(ThunderSTORM-style ground truth of every emission), PREFIX_truth_evs.csv, PREFIX_truth_structures.csv
and, when EVs move, PREFIX_truth_trajectories.csv. The calcium presets write PREFIX_truth_cells.csv
instead (per cell: position, responder, latency, onset and peak frame (1-based), peak ΔF/F₀). An sCMOS camera also gets its calibration maps
as float32 TIFFs, in the units evscope localize --scmos-* reads: PREFIX_scmos_offset.tif (ADU),
PREFIX_scmos_gain.tif (e⁻/ADU) and PREFIX_scmos_variance.tif (read-noise variance, ADU²).
presets:
${PRESET_NAMES.map((n) => `  ${n}: ${PRESET_DESCRIPTIONS[n]}`).join('\n')}
  experiment: a two-condition experiment with a known answer (EVs near structures vs random
              placement, 4 cells each): --out DIR gets EXPERIMENT.json, truth.json and per cell the
              structure localizations and EV tracks (see evscope batch / aggregate). Options:
              --seed S, --cells N (per condition), --inputs-per-cell K, --frames N, --size W,
              --null (both conditions random: the null experiment)
  calcium-experiment: a two-condition Ca²⁺ experiment with a known answer (responder fraction
              0.7 in A vs 0.2 in B, 4 coverslips each, ~14 recipient cells per movie): --out DIR
              gets EXPERIMENT.json (step calcium), truth.json and one TIFF per coverslip. Options:
              --seed S, --cells N (coverslips per condition), --inputs-per-cell K, --null (A and
              B alike: the null experiment)
options (override the preset):
  --frames N          number of frames
  --size W[xH]        frame size in pixels
  --seed S            random seed (same seed → same data)
  --photons N         mean photons per molecule per frame (all channels)
  --background B      background photons per pixel (all channels)
  --sigma-nm S        PSF standard deviation, nm (all channels)
  --pixel-nm P        camera pixel size, nm
  --camera KIND       ccd | emccd | scmos (typical settings of that camera)
  --read-noise E      read noise, e⁻ rms (sCMOS: the median pixel)
  --scmos-offset-sd A sCMOS: spread of the per-pixel offsets, ADU (sd)
  --scmos-gain-cv C   sCMOS: relative spread of the per-pixel gains (0–0.5)
  --scmos-noise-spread S  sCMOS: spread of the per-pixel read noise (σ of its log, 0–2)
  --cells N           calcium presets: number of cells
  --responders F      calcium presets: fraction of cells that respond (0–1)
  --add-frame N       calcium presets: frame (1-based) at which EVs are added
  --no-tiff           write only the truth CSV files`;

export const verb = defineVerb({
  help,
  values: [
    'preset',
    'out',
    'frames',
    'size',
    'seed',
    'photons',
    'background',
    'sigma-nm',
    'pixel-nm',
    'camera',
    'read-noise',
    'scmos-offset-sd',
    'scmos-gain-cv',
    'scmos-noise-spread',
    ...EXPERIMENT_ONLY.filter((f) => f !== 'null'),
    'responders',
    'add-frame',
  ],
  booleans: ['no-tiff', 'null'],
  async run(a) {
    if (a.positionals.length) throw new Error(`unexpected argument "${a.positionals[0]}"`);
    const preset = a.flags.get('preset');
    if (preset === 'experiment') return writeSimulatedExperiment(a);
    if (preset === 'calcium-experiment') return writeSimulatedCalciumExperiment(a);
    // --cells is shared with the calcium presets (number of cells there), checked below.
    for (const f of EXPERIMENT_ONLY)
      if (f !== 'cells' && a.flags.has(f)) throw new Error(`--${f} belongs to --preset experiment`);
    const out = a.flags.get('out');
    if (typeof preset !== 'string')
      throw new Error(`--preset is required (${PRESET_NAMES.join(', ')}, experiment, calcium-experiment)`);
    if (typeof out !== 'string') throw new Error('--out PREFIX is required');
    if (!PRESET_NAMES.includes(preset as PresetName)) {
      throw new Error(
        `unknown preset "${preset}" (choose ${PRESET_NAMES.join(', ')}, experiment, calcium-experiment)`,
      );
    }
    const p = presetParams(preset as PresetName);
    // Each flag through its parameter's schema (the New-simulation dialog's limits and messages).
    const frames = schemaFlag(a, 'frames', SimSizeFields.frames, 'frames');
    if (frames !== undefined) p.frames = frames;
    const seed = schemaFlag(a, 'seed', SimSizeFields.seed);
    if (seed !== undefined) p.seed = seed;
    const size = a.flags.get('size');
    if (typeof size === 'string') {
      const m = /^(\d+)(?:x(\d+))?$/.exec(size);
      if (!m) throw new Error(`--size must be W or WxH in pixels, got "${size}"`);
      p.width = schemaValue(SimSizeFields.width, Number(m[1]), '--size (width)', 'px');
      p.height = schemaValue(SimSizeFields.height, Number(m[2] ?? m[1]), '--size (height)', 'px');
    }
    const pixel = schemaFlag(a, 'pixel-nm', SimSizeFields.pixelSizeNm, 'nm');
    if (pixel !== undefined) p.pixelSizeNm = pixel;
    const cam = a.flags.get('camera');
    if (typeof cam === 'string') {
      const c = CAMERA_PRESETS[cam as keyof typeof CAMERA_PRESETS];
      if (!c) throw new Error(`--camera must be ccd, emccd or scmos, got "${cam}"`);
      p.camera = { ...c };
    }
    const cameraFlags = [
      ['read-noise', 'readNoiseE', 'e⁻ rms'],
      ['scmos-offset-sd', 'scmosOffsetSdAdu', 'ADU'],
      ['scmos-gain-cv', 'scmosGainCv', '(relative)'],
      ['scmos-noise-spread', 'scmosReadNoiseLogSd', '(σ of ln)'],
    ] as const;
    for (const [flag, key, unit] of cameraFlags) {
      const v = schemaFlag(a, flag, SimCameraFields[key], unit);
      if (v === undefined) continue;
      if (flag.startsWith('scmos') && p.camera.kind !== 'scmos')
        throw new Error(`--${flag} needs an sCMOS camera: add --camera scmos`);
      p.camera = { ...p.camera, [key]: v };
    }
    applyCalciumFlags(a, p);
    const photons = schemaFlag(a, 'photons', SimChannelFields.photonsPerFrame, 'photons');
    const background = schemaFlag(a, 'background', SimChannelFields.backgroundPhotons, 'photons/px');
    const sigma = schemaFlag(a, 'sigma-nm', SimChannelFields.psfSigmaNm, 'nm');
    for (const ch of p.channels) {
      if (photons !== undefined) ch.photonsPerFrame = photons;
      if (background !== undefined) ch.backgroundPhotons = background;
      if (sigma !== undefined) ch.psfSigmaNm = sigma;
    }
    const isCalcium = p.scene.kind === 'calcium';
    const targets = isCalcium
      ? ['_truth_cells.csv']
      : ['_truth_events.csv', '_truth_evs.csv', '_truth_structures.csv', '_truth_trajectories.csv'];
    if (!a.flags.has('no-tiff'))
      targets.push('.tif', ...['offset', 'gain', 'variance'].map((m) => `_scmos_${m}.tif`));
    await checkOutputs(
      targets.map((t) => `${out}${t}`),
      [],
    );
    const t0 = performance.now();
    const sim = simulate(p);
    const { truth, stack } = sim;
    const written: string[] = [];
    if (truth.calcium) {
      await writeOutputSafely(`${out}_truth_cells.csv`, calciumTruthCsv(truth.calcium, p.pixelSizeNm));
      written.push(`${out}_truth_cells.csv`);
    } else {
      await writeOutputSafely(`${out}_truth_events.csv`, truthEventsCsv(truth.events));
      await writeOutputSafely(`${out}_truth_evs.csv`, truthEvsCsv(truth.evs));
      await writeOutputSafely(`${out}_truth_structures.csv`, truthStructuresCsv(truth.structures));
      written.push(`${out}_truth_events.csv`, `${out}_truth_evs.csv`, `${out}_truth_structures.csv`);
    }
    if (truth.trajectories.length) {
      await writeOutputSafely(`${out}_truth_trajectories.csv`, truthTrajectoriesCsv(truth.trajectories));
      written.push(`${out}_truth_trajectories.csv`);
    }
    if (!a.flags.has('no-tiff')) {
      await writeSimulatedTiff(`${out}.tif`, sim);
      written.unshift(`${out}.tif`);
      if (truth.scmosMaps) {
        const m = scmosMapsFromSimulation(truth.scmosMaps);
        const maps: [string, Float32Array][] = [
          ['offset', m.offsetAdu],
          ['gain', m.electronsPerAdu],
          ['variance', m.varianceAdu2],
        ];
        for (const [name, map] of maps) {
          const file = `${out}_scmos_${name}.tif`;
          await writeOutputSafely(
            file,
            await encodeTiff([map], {
              width: p.width,
              height: p.height,
              dtype: 'float32',
              pixelSizeNm: p.pixelSizeNm,
            }),
          );
          written.push(file);
        }
      }
    }
    const s = (performance.now() - t0) / 1000;
    console.log(
      `simulated "${p.preset}" (seed ${p.seed}): ${p.frames} frames × ${stack.channels} channel(s) of ${p.width}×${p.height} px, ` +
        (truth.calcium
          ? `${truth.calcium.length} cells (${truth.calcium.responder.reduce((x, y) => x + y, 0)} respond)`
          : `${truth.events.length} emission events, ${truth.evs.length} EVs, ${truth.structures.length} structures`) +
        ` in ${s.toFixed(1)} s`,
    );
    for (const f of written) console.log(`  wrote ${f}`);
    if (truth.calcium)
      console.log(
        `  EVs added at frame ${truth.calcium.addFrame + 1}: evscope calcium ${out}.tif --add-frame ${truth.calcium.addFrame + 1} --bleach exp --out CELLS.csv`,
      );
    return 0;
  },
});

function applyCalciumFlags(a: ParsedArgs, p: ReturnType<typeof presetParams>): void {
  const flags = ['cells', 'responders', 'add-frame'] as const;
  const given = flags.filter((f) => a.flags.has(f));
  if (!given.length) return;
  const s = p.scene;
  if (s.kind !== 'calcium') throw new Error(`--${given[0]} is for the calcium presets only`);
  const cells = schemaFlag(a, 'cells', CalciumSceneFields.cellCount, 'cells');
  if (cells !== undefined) s.cellCount = cells;
  const responders = schemaFlag(a, 'responders', CalciumSceneFields.responderFraction, '');
  if (responders !== undefined) s.responderFraction = responders;
  const add = numberFlag(a, 'add-frame');
  if (add !== undefined) s.addFrame = add - 1;
}
