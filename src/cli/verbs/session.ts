// `evscope session pack|unpack|info`: build a session file from localization files and
// parameters, take one apart into CSV + JSON, or describe one (see src/core/session/file.ts).
import { mkdir, open, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeThunderstormCsv } from '../../core/io/thunderstormCsv';
import { openSessionFile, saveSessionFile } from '../../core/session/file';
import { fingerprintFile } from '../../core/session/fingerprint';
import { createSession, type Session, type SessionInput, type SessionTable } from '../../core/session/model';
import { validateSession } from '../../core/session/validate';
import { writeCsv } from '../../core/spt/csv';
import { parseTrackCsv } from '../../core/spt/io';
import { appVersion } from '../appVersion';
import { numberFlag, parseArgs, stringFlag } from '../args';
import { readLocsFromDisk } from '../locFiles';
import { assertOutputNotInput, checkOutputs, writeOutputSafely } from '../safeOutput';
import { terminalField, terminalText, warnOnStderr } from '../terminalText';
import type { Verb } from '../verb';

const HELP = `usage:
  evscope session pack LOCS… [--tracks TRACKS.csv] [--params PARAMS.json] [--title T] [--notes N]
                       [--pixel-size NM] --out SESSION.smlm
      LOCS: ThunderSTORM CSV, Picasso .hdf5, DECODE .h5, .smlm, rapidSTORM, Nanoimager, Elyra files
      PARAMS.json: step parameters {"localize": {…}, "post": […], …}, or a partial session
                   {"steps": {…}, "view": {…}, "title": …, "notes": …}
  evscope session unpack SESSION.smlm --out DIR   (session.json + one CSV per table)
  evscope session info SESSION.smlm [--json]      (version, inputs, steps, tables)`;

async function fingerprintPath(path: string): Promise<{ size: number; fingerprint: string }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const fingerprint = await fingerprintFile({
      size,
      read: async (offset, length) => {
        const b = new Uint8Array(length);
        const { bytesRead } = await fh.read(b, 0, length, offset);
        return b.subarray(0, bytesRead);
      },
    });
    return { size, fingerprint };
  } finally {
    await fh.close();
  }
}

async function pack(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: ['out', 'params', 'tracks', 'title', 'notes', 'pixel-size'] });
  const out = p.flags.get('out');
  if (!p.positionals.length || typeof out !== 'string') {
    console.error(HELP);
    return 2;
  }
  await checkOutputs([out], [...p.positionals, stringFlag(p, 'tracks'), stringFlag(p, 'params')]);
  const inputs: SessionInput[] = [];
  const tables: SessionTable[] = [];
  for (const [k, path] of p.positionals.entries()) {
    const abs = resolve(path);
    const locs = await readLocsFromDisk(abs, numberFlag(p, 'pixel-size'));
    for (const w of locs.warnings) warnOnStderr(w);
    const id = `in${k + 1}`;
    inputs.push({ id, name: basename(abs), ...(await fingerprintPath(abs)), role: 'localizations' });
    tables.push({
      id: `locs${k + 1}`,
      name: basename(abs),
      kind: 'localizations',
      length: locs.table.length,
      columns: { ...locs.table.columns },
      units: locs.units,
    });
  }
  const tracksPath = p.flags.get('tracks');
  if (typeof tracksPath === 'string') {
    const abs = resolve(tracksPath);
    const t = parseTrackCsv(await readFile(abs, 'utf8'));
    inputs.push({
      id: `in${inputs.length + 1}`,
      name: basename(abs),
      ...(await fingerprintPath(abs)),
      role: 'tracks',
    });
    tables.push({
      id: 'tracks',
      name: basename(abs),
      kind: 'tracks',
      length: t.length,
      columns: { ...t.columns },
      units: { x: 'nm', y: 'nm' },
    });
  }
  let extra: Partial<Session> = {};
  const paramsPath = p.flags.get('params');
  if (typeof paramsPath === 'string') {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(resolve(paramsPath), 'utf8'));
    } catch (e) {
      throw new Error(`${paramsPath}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error(`${paramsPath}: expected a JSON object of step parameters`);
    const o = json as Record<string, unknown>;
    extra = ('steps' in o ? o : { steps: o }) as Partial<Session>;
  }
  const base = createSession({ appVersion, inputs });
  const title = p.flags.get('title');
  const notes = p.flags.get('notes');
  const session = {
    ...base,
    ...extra,
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof notes === 'string' ? { notes } : {}),
    inputs,
    view: { ...base.view, ...(extra.view ?? {}) },
  } as Session;
  const v = validateSession({ ...session, tables: [] });
  if (!v.ok) throw new Error(`the parameters do not make a valid session:\n  ${v.errors.join('\n  ')}`);
  const bytes = saveSessionFile(v.session, tables);
  await writeOutputSafely(resolve(out), bytes);
  console.log(
    `${out}: ${tables.length} tables, ${tables.reduce((a, t) => a + t.length, 0)} rows, ${bytes.length} bytes`,
  );
  return 0;
}

async function load(path: string) {
  const bytes = new Uint8Array(await readFile(resolve(path)));
  const r = openSessionFile(bytes, { fileName: basename(path), appVersion });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  for (const w of r.warnings) warnOnStderr(w);
  return r;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80) || 'table';
}

async function unpack(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: ['out'] });
  const out = p.flags.get('out');
  if (p.positionals.length !== 1 || typeof out !== 'string') {
    console.error(HELP);
    return 2;
  }
  const r = await load(p.positionals[0]);
  const dir = resolve(out);
  const files = r.tables.map((t) => join(dir, 'tables', `${safeName(t.id)}.csv`));
  await assertOutputNotInput([join(dir, 'session.json'), ...files], p.positionals);
  await mkdir(join(dir, 'tables'), { recursive: true });
  await writeOutputSafely(join(dir, 'session.json'), `${JSON.stringify(r.session, null, 2)}\n`);
  for (const [k, t] of r.tables.entries()) {
    const file = files[k];
    const isLocs = t.kind.startsWith('localizations') && t.columns.frame && t.columns.x && t.columns.y;
    // Localizations as ThunderSTORM CSV (exact floats); other tables as plain CSV with units.
    const text = isLocs
      ? writeThunderstormCsv(t, { units: t.units })
      : writeCsv(t, {
          headers: Object.fromEntries(
            // Session tables name most columns as the CSV exports do, unit included ("x [nm]").
            Object.keys(t.columns).map((n) => [
              n,
              t.units[n] && !n.endsWith(`[${t.units[n]}]`) ? `${n} [${t.units[n]}]` : n,
            ]),
          ),
        });
    await writeOutputSafely(file, text);
  }
  console.log(`${dir}: session.json + ${r.tables.length} tables`);
  return 0;
}

async function info(args: string[]): Promise<number> {
  const p = parseArgs(args, { values: [], booleans: ['json'] });
  if (p.positionals.length !== 1) {
    console.error(HELP);
    return 2;
  }
  const r = await load(p.positionals[0]);
  const s = r.session;
  if (p.flags.get('json')) {
    console.log(JSON.stringify({ source: r.source, ...s }, null, 2));
    return 0;
  }
  const lines = [
    `${p.positionals[0]}: ${r.source === 'evscope' ? 'evscope session' : 'ShareLoc .smlm (localizations only)'}, version ${s.version}, written by ${s.app.name} ${s.app.version}`,
    `  title: ${s.title || '(none)'}   created ${s.created}   modified ${s.modified}`,
    `inputs (${s.inputs.length}):`,
    ...s.inputs.map(
      (i) => `  ${i.id}  ${i.name}  ${i.size} bytes  ${i.fingerprint ?? '(no fingerprint)'}  ${i.role}`,
    ),
    `stacks (${s.stacks.length}):`,
    ...s.stacks.map(
      (x) =>
        `  ${x.id}  ${x.label}  ${x.recipe.kind}${Object.keys(x.meta).length ? `  ${JSON.stringify(x.meta)}` : ''}`,
    ),
    `steps (${Object.keys(s.steps).length}):`,
    ...Object.entries(s.steps).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`),
    // Results of the inputs that were open beside the one on screen (their tables start o<k>.).
    ...(s.others?.length ? [`other inputs (${s.others.length}):`] : []),
    ...(s.others ?? []).map(
      (x, k) =>
        `  o${k + 1}  ${x.stack ?? '(table)'}  ${x.label}  steps: ${Object.keys(x.steps).join(', ') || '(none)'}`,
    ),
    `tables (${s.tables.length}):`,
    ...s.tables.map(
      (t) =>
        `  ${t.id}  ${t.kind}  ${t.rows} rows  ${t.columns.map((c) => `${c.name}:${c.dtype}${c.unit ? `[${c.unit}]` : ''}`).join(' ')}`,
    ),
    `view: step ${s.view.step}, centre ${s.view.centreView}, frame ${s.view.frame}, zoom ${s.view.zoom}`,
  ];
  // Titles, names and notes come from whoever wrote the file; notes keep their line breaks.
  const shown = lines.map(terminalField);
  if (s.notes) shown.push(terminalText(`notes: ${s.notes}`));
  console.log(shown.join('\n'));
  return 0;
}

export const verb: Verb = {
  help: HELP,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'pack') return pack(rest);
    if (sub === 'unpack') return unpack(rest);
    if (sub === 'info') return info(rest);
    console.error(HELP);
    return 2;
  },
};
