import { analyzeEvMarkers, type EvProgress } from '../../core/ev/analyzeEvMarkers';
import { classifyEvs, fractionRows, subtypeStatistics } from '../../core/ev/classify';
import { evTableCsv } from '../../core/ev/evTableCsv';
import { formatCiRange, formatP, formatPercent, significanceStars } from '../../core/ev/format';
import { evLocalizationColumns } from '../../core/ev/localizationCounts';
import type { EvChannel, EvMarkerParamsInput } from '../../core/ev/params';
import { LocsCountSchema, MarkerChannelSchema, MarkersParamsSchema } from '../../core/ev/schema';
import type { ColumnArray } from '../../core/locs/table';
import { PHYSICAL_DEFAULTS } from '../../core/physicalDefaults';
import { parseOrThrow, v } from '../../core/schema';
import { MetaOverridesSchema } from '../../core/stack/metaOverrides';
import { openChannels, openStack } from '../../core/stack/open';
import type { FrameSource } from '../../core/stack/types';
import { type ParsedArgs, schemaFlag } from '../args';
import { type FileByteSource, openFileByteSources } from '../nodeByteSource';
import { groupWithSidecars, reportStackWarnings } from '../openInputs';
import { readCsvTable } from '../postArgs';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { warnOnStderr } from '../terminalText';
import { defineVerb } from '../verb';

const help = `usage: evscope count STACK… --channels CD9,CD63,CD81[,probe] --out EVS.csv [options]
Finds single EVs, counts the molecules of every marker on each from photobleaching steps (and
from initial intensity ÷ single-dye intensity), types the EVs by the markers present and writes
the EV table. One STACK with several channels, or one STACK per channel in channel order.
Prints subtype fractions with bootstrap 95 % CIs and probe-count tests between subtypes.
options:
  --channels A,B,…      channel names in order (default: from the file, else CD9,CD63,CD81,probe)
  --probe-channel NAME  the fluidity-probe channel (default: a channel named probe/fluid/lipid);
                        "none" counts every channel as a marker
  --skip NAME,…         channels to leave out
  --thresholds T,…      molecules for a marker to be present, one per marker or one for all (1)
  --reference NAME|union  channel to find EVs in, or any marker channel (union, default)
  --method steps|ratio|locs  which count decides subtypes and composition (steps)
  --frames a:b          frames analysed, 1-based inclusive (all)
  --pixel-nm P          camera pixel size, nm (from the file, else 100)
  --detect-k K          detection threshold, × noise σ (3)
  --roi R,IN,OUT        ROI radius and background annulus radii, px (3,5,8)
  --penalty F           step penalty, × BIC (1.5)
  --unit U,…            single-dye intensity per channel (ADU over the ROI); empty = learnt
  --rename OLD=NEW,…    subtype names, e.g. CD63-only=small
  --test welch|mann-whitney  test between subtypes' probe counts (welch), Bonferroni-corrected
  --locs LOCS.csv       PALM/dSTORM localizations (ThunderSTORM CSV) of one channel: adds
                        molecules per EV from blinks (columns "<name> locs", "<name> bursts")
  --locs-channel NAME   the channel the localizations come from (the first marker)
  --bursts B            the dye's mean bursts per molecule, from a calibration (needed with --locs)
  --blink-radius NM     detections of one blink lie within this distance (50)
  --dark-frames N       frames missed inside one blink (3)
  --ev-radius NM        localizations this close to an EV centre belong to it (ROI radius)
  (--method locs types the EVs from the localization counts)
  --json                print the summary as JSON`;

const list = (v: string | true | undefined): string[] | undefined =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()) : undefined;

export const verb = defineVerb({
  help,
  values: [
    'channels',
    'out',
    'probe-channel',
    'skip',
    'thresholds',
    'reference',
    'method',
    'frames',
    'pixel-nm',
    'detect-k',
    'roi',
    'penalty',
    'unit',
    'rename',
    'test',
    'locs',
    'locs-channel',
    'bursts',
    'blink-radius',
    'dark-frames',
    'ev-radius',
  ],
  booleans: ['json'],
  async run(a) {
    const out = a.flags.get('out');
    if (typeof out !== 'string') throw new Error('--out EVS.csv is required');
    if (a.positionals.length === 0) throw new Error('give at least one STACK');
    const method = (a.flags.get('method') ?? 'steps') as string;
    if (method !== 'steps' && method !== 'ratio' && method !== 'locs')
      throw new Error(`--method must be steps, ratio or locs, got "${method}"`);
    const locsPath = a.flags.get('locs');
    if (method === 'locs' && typeof locsPath !== 'string')
      throw new Error('--method locs needs --locs LOCS.csv');
    const test = (a.flags.get('test') ?? 'welch') as string;
    if (test !== 'welch' && test !== 'mann-whitney')
      throw new Error(`--test must be welch or mann-whitney, got "${test}"`);

    await checkOutputs([out], [...a.positionals, typeof locsPath === 'string' ? locsPath : undefined]);
    const groups = groupWithSidecars(a.positionals);
    let handles: FileByteSource[] = [];
    try {
      const stacks: FrameSource[] = [];
      for (const g of groups) {
        const h = await openFileByteSources(g);
        handles = handles.concat(h);
        stacks.push(reportStackWarnings(await openStack(h)));
      }
      const source = stacks.length === 1 ? stacks[0] : await openChannels(stacks);
      const params = buildParams(a, source, method === 'locs' ? 'steps' : method);
      const t0 = performance.now();
      let lastPct = -1;
      const table = await analyzeEvMarkers(source, params, (p: EvProgress) => {
        const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
        if (process.stderr.isTTY && pct !== lastPct) {
          lastPct = pct;
          process.stderr.write(`\r${p.phase} ${pct}%   `);
        }
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      if (typeof locsPath === 'string') addLocalizationCounts(a, locsPath, table, params);
      const classification = classifyEvs(
        table.columns,
        params.channels!.map((c) => ({ name: c.name, role: c.role, threshold: c.threshold })),
        method,
        params.subtypeNames,
      );
      const stats = subtypeStatistics(classification, test);
      // The file holds the typing asked for (thresholds, names, count method).
      const columns: Record<string, ColumnArray> = { ...table.columns, subtype: classification.subtype };
      for (const m of classification.markerNames) columns[`${m} fraction`] = classification.composition[m];
      if (classification.probe) columns['probe count'] = classification.probe;
      await writeOutputSafely(
        out,
        evTableCsv({ length: table.length, columns, subtypeNames: classification.subtypeNames }),
      );
      const f = stats.fractions;
      const summary = {
        evs: table.length,
        seconds: (performance.now() - t0) / 1000,
        channels: table.channels.map((c) => ({
          name: c.name,
          role: c.role,
          unit: c.unit.unit,
          unitSem: c.unit.sem,
          unitSteps: c.unit.n,
        })),
        subtypes: fractionRows(f),
        comparisons: stats.comparisons,
        test,
        dropped: table.dropped,
        warnings: table.warnings,
      };
      if (a.flags.get('json')) {
        console.log(JSON.stringify(summary, null, 2));
        return 0;
      }
      console.log(
        `${table.length} EVs in ${table.nFrames} frames → ${out} (${summary.seconds.toFixed(1)} s)`,
      );
      for (const c of summary.channels)
        console.log(
          `  ${c.name} (${c.role}): single dye ${c.unit.toFixed(0)} ± ${c.unitSem.toFixed(0)} ADU from ${c.unitSteps} final steps`,
        );
      console.log('subtype\tEVs\tfraction\t95% CI');
      for (const s of summary.subtypes)
        if (s.count > 0)
          console.log(
            `${s.name}\t${s.count}\t${formatPercent(s.fraction)}\t${formatCiRange(s.lower, s.upper)}`,
          );
      if (stats.comparisons.length) {
        console.log(
          `probe counts, ${test === 'welch' ? "Welch's t-test" : 'Mann–Whitney U'}, Bonferroni × ${stats.comparisons.length}:`,
        );
        for (const c of stats.comparisons)
          console.log(
            `  ${c.groupA} vs ${c.groupB}: p ${formatP(c.p)}, adjusted ${formatP(c.pAdjusted)} ${significanceStars(c.pAdjusted)}`,
          );
      }
      for (const w of table.warnings) warnOnStderr(w);
      return 0;
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  },
});

/** Count (c): the localizations' blinks per EV, added as `<name> locs` columns. */
function addLocalizationCounts(
  a: ParsedArgs,
  file: string,
  table: Awaited<ReturnType<typeof analyzeEvMarkers>>,
  params: EvMarkerParamsInput,
): void {
  // The Markers step's schemas: the panel's limits and messages.
  const L = LocsCountSchema.entries;
  const bursts = schemaFlag(a, 'bursts', L.burstsPerMolecule);
  if (bursts === undefined)
    throw new Error("--locs needs --bursts B, the dye's mean bursts per molecule from a calibration");
  const names = params.channels!.map((c) => c.name);
  const flag = a.flags.get('locs-channel');
  const name = typeof flag === 'string' ? flag : params.channels!.find((c) => c.role === 'marker')?.name;
  if (!name || !names.includes(name))
    throw new Error(`--locs-channel ${String(name)} is not a counted channel (${names.join(', ')})`);
  const locs = readCsvTable(file);
  const pixel = params.pixelSizeNm ?? PHYSICAL_DEFAULTS.pixelSizeNm;
  Object.assign(
    table.columns,
    evLocalizationColumns(
      name,
      table.columns.x as Float64Array,
      table.columns.y as Float64Array,
      { frame: locs.columns.frame, x: locs.columns.x, y: locs.columns.y },
      {
        radiusNm: schemaFlag(a, 'ev-radius', L.radiusNm) ?? (params.roi?.radiusPx ?? 3) * pixel,
        mergeRadiusNm: schemaFlag(a, 'blink-radius', L.mergeRadiusNm) ?? 50,
        maxDarkFrames: schemaFlag(a, 'dark-frames', L.maxDarkFrames) ?? 3,
        burstsPerMolecule: bursts,
      },
    ),
  );
}

function buildParams(a: ParsedArgs, source: FrameSource, method: 'steps' | 'ratio'): EvMarkerParamsInput {
  const n = source.channels;
  const given = list(a.flags.get('channels'));
  if (given && given.length !== n)
    throw new Error(
      `--channels names ${given.length} channel(s) but the input has ${n}: give one name per channel, in order`,
    );
  const fileNames = source.meta.channelNames;
  const defaults = ['CD9', 'CD63', 'CD81', 'probe'];
  const names =
    given ?? Array.from({ length: n }, (_, c) => fileNames?.[c] ?? defaults[c] ?? `channel ${c + 1}`);
  const probeFlag = a.flags.get('probe-channel');
  let probe: string | undefined;
  if (typeof probeFlag === 'string') {
    if (probeFlag !== 'none' && !names.includes(probeFlag))
      throw new Error(`--probe-channel ${probeFlag} is not one of the channels (${names.join(', ')})`);
    probe = probeFlag === 'none' ? undefined : probeFlag;
  } else probe = names.find((nm) => /probe|fluid|lipid/i.test(nm));
  const skip = new Set(list(a.flags.get('skip')) ?? []);
  for (const s of skip)
    if (!names.includes(s)) throw new Error(`--skip ${s} is not one of the channels (${names.join(', ')})`);
  const kept = names.map((name, channel) => ({ name, channel })).filter((c) => !skip.has(c.name));
  const markers = kept.filter((c) => c.name !== probe);
  const P = MarkersParamsSchema.entries;
  const th = list(a.flags.get('thresholds'))?.map((t) =>
    parseOrThrow(MarkerChannelSchema.entries.threshold, Number(t), '--thresholds'),
  );
  if (th && !(th.length === 1 || th.length === markers.length))
    throw new Error(
      `--thresholds needs one value or one per marker (${markers.map((m) => m.name).join(', ')})`,
    );
  const units = list(a.flags.get('unit'));
  if (units && units.length !== kept.length)
    throw new Error(`--unit needs one value per counted channel (${kept.length}), empty to learn it`);
  const channels: EvChannel[] = kept.map((c, i) => {
    const m = markers.findIndex((x) => x.channel === c.channel);
    const u = units?.[i]
      ? parseOrThrow(
          v.unwrap(MarkerChannelSchema.entries.unitIntensity),
          Number(units[i]),
          `--unit for ${c.name}`,
        )
      : undefined;
    return {
      channel: c.channel,
      name: c.name,
      role: c.name === probe ? 'probe' : 'marker',
      threshold: m >= 0 ? (th ? (th.length === 1 ? th[0] : th[m]) : 1) : 1,
      ...(u !== undefined ? { unitIntensity: u } : {}),
    };
  });
  const p: EvMarkerParamsInput = { channels, counting: { method }, detection: {}, roi: {}, steps: {} };
  const ref = a.flags.get('reference');
  if (typeof ref === 'string' && ref !== 'union') {
    const c = kept.find((x) => x.name === ref);
    if (!c)
      throw new Error(
        `--reference ${ref} is not a counted channel (${kept.map((x) => x.name).join(', ')}) nor "union"`,
      );
    p.detection!.reference = c.channel;
  }
  const frames = a.flags.get('frames');
  if (typeof frames === 'string') {
    const m = /^(\d+):(\d+)$/.exec(frames);
    if (!m) throw new Error(`--frames must be a:b (1-based, inclusive), got "${frames}"`);
    p.frameStart = Number(m[1]) - 1;
    p.frameCount = Number(m[2]) - Number(m[1]) + 1;
  }
  const px = schemaFlag(a, 'pixel-nm', v.unwrap(MetaOverridesSchema.entries.pixelSizeNm));
  if (px !== undefined) p.pixelSizeNm = px;
  const k = schemaFlag(a, 'detect-k', P.thresholdK);
  if (k !== undefined) p.detection!.thresholdK = k;
  const roi = list(a.flags.get('roi'))?.map(Number);
  if (roi) {
    if (roi.length !== 3) throw new Error('--roi needs R,IN,OUT in pixels, e.g. 3,5,8');
    p.roi = {
      radiusPx: parseOrThrow(P.radiusPx, roi[0], '--roi R'),
      annulusInnerPx: parseOrThrow(P.annulusInnerPx, roi[1], '--roi IN'),
      annulusOuterPx: parseOrThrow(P.annulusOuterPx, roi[2], '--roi OUT'),
    };
  }
  const pen = schemaFlag(a, 'penalty', P.penaltyFactor);
  if (pen !== undefined) p.steps!.penaltyFactor = pen;
  const rn = list(a.flags.get('rename'));
  if (rn) {
    p.subtypeNames = {};
    for (const pair of rn) {
      const [from, to] = pair.split('=');
      if (!from || !to) throw new Error(`--rename takes OLD=NEW pairs, got "${pair}"`);
      p.subtypeNames[from] = to;
    }
  }
  return p;
}
