// Lifts session documents written by older evscope versions to the current one, one version at
// a time, before validation. Each step reads the old shape defensively (it is still untrusted)
// and builds the next shape; validation then checks the result as if it had been written new.
//
// Version 0 is the pre-release shape (one stack, flat params), kept as the worked example:
//   { evscope: "0.x", savedAt, stack: { name, size, fingerprint? }, params: { localize?, post? },
//     view?: { frame?, zoom? }, notes? }
import { SESSION_FORMAT, SESSION_VERSION } from './model';

export type MigrationResult = { ok: true; json: unknown; from: number } | { ok: false; errors: string[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The version a document declares: 0 for the pre-release shape, null when unrecognisable. */
export function sessionVersion(json: unknown): number | null {
  if (!isObject(json)) return null;
  if (json.format === SESSION_FORMAT) return typeof json.version === 'number' ? json.version : null;
  if (typeof json.evscope === 'string' && /^0\./.test(json.evscope)) return 0;
  return null;
}

function v0to1(d: Record<string, unknown>): Record<string, unknown> {
  const time = typeof d.savedAt === 'string' ? d.savedAt : new Date(0).toISOString();
  const stack = isObject(d.stack) ? d.stack : null;
  const params = isObject(d.params) ? d.params : {};
  const view = isObject(d.view) ? d.view : {};
  const steps: Record<string, unknown> = {};
  for (const k of ['localize', 'post']) if (Object.hasOwn(params, k)) steps[k] = params[k];
  return {
    format: SESSION_FORMAT,
    version: 1,
    app: { name: 'evscope', version: d.evscope },
    created: time,
    modified: time,
    title: '',
    notes: typeof d.notes === 'string' ? d.notes : '',
    inputs: stack
      ? [
          {
            id: 'in1',
            name: stack.name,
            size: stack.size,
            fingerprint: stack.fingerprint ?? null,
            role: 'stack',
          },
        ]
      : [],
    stacks: stack
      ? [{ id: 's1', label: stack.name, recipe: { kind: 'files', inputs: ['in1'] }, meta: {} }]
      : [],
    steps,
    tables: [],
    view: {
      step: 'data',
      centreView: 'raw',
      frame: view.frame ?? 0,
      zoom: view.zoom ?? 1,
      pan: { x: 0, y: 0 },
      colormaps: {},
      settings: {},
    },
  };
}

// Version 1 held the results of the input on screen only; version 2 adds `others` (every other
// open input's results). A version-1 file is a version-2 file with no other inputs.
function v1to2(d: Record<string, unknown>): Record<string, unknown> {
  return { ...d, version: 2 };
}

const STEPS: ((d: Record<string, unknown>) => Record<string, unknown>)[] = [v0to1, v1to2];

/** Brings any known version up to SESSION_VERSION; never mutates its argument. */
export function migrateSession(json: unknown): MigrationResult {
  const v = sessionVersion(json);
  if (v === null)
    return { ok: false, errors: ['not an evscope session (no "format": "evscope-session" with a version)'] };
  if (!Number.isInteger(v) || v < 0)
    return { ok: false, errors: [`version: ${String(v)} is not a session version`] };
  if (v > SESSION_VERSION)
    return {
      ok: false,
      errors: [
        `version: the session was written by a newer evscope (version ${v}; this one reads up to ${SESSION_VERSION}) — update evscope`,
      ],
    };
  let d = json as Record<string, unknown>;
  for (let k = v; k < SESSION_VERSION; k++) d = STEPS[k](d);
  return { ok: true, json: d, from: v };
}
