// The versioned session schema, as code. validateSession takes anything (parsed JSON from an
// untrusted file or from storage), migrates older versions, and returns either a fresh,
// fully-checked Session or every problem found ("stacks[0].recipe.inputs[1]: unknown input …").
// It never throws and never modifies its argument.
import { resolveLocalizeParams } from '../localize/params';
import { parsePipeline } from '../locs/pipeline';
import { isSimulationParams, simulationBudgetProblems, validateSimulationParams } from '../sim/validate';
import { FINGERPRINT_PATTERN } from './fingerprint';
import { migrateSession } from './migrate';
import { DTYPES, type RecipeJson, SESSION_FORMAT, SESSION_VERSION, type Session, TABLE_KINDS } from './model';
import {
  arr,
  type Check,
  checkedJson,
  Issues,
  type Json,
  nullable,
  num,
  obj,
  oneOf,
  plainJson,
  record,
  str,
} from './schema';
import { tracksSectionSchema } from './tracksSection';

export const SESSION_LIMITS = {
  maxInputs: 256,
  maxStacks: 64,
  /** Every open input's results travel (about a dozen tables for one fully analysed stack). */
  maxTables: 512,
  maxColumns: 64,
  /** Rows per table: a typed array's length must stay below 2^31 in every engine. */
  maxRows: 2 ** 31 - 1,
  maxSteps: 32,
  maxNotes: 100_000,
  maxRecipeDepth: 4,
} as const;

const id = str({
  max: 64,
  min: 1,
  pattern: /^[A-Za-z0-9_.-]+$/,
  patternHint: 'an id of letters, digits, "_", "." or "-"',
});
const label = str({ max: 512 });
const isoTime = str({
  max: 40,
  pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  patternHint: 'an ISO 8601 time',
});
const finite = num();

const input = obj({
  id,
  name: label,
  size: num({ min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
  fingerprint: nullable(str({ max: 40, pattern: FINGERPRINT_PATTERN, patternHint: 'an evfp1 fingerprint' })),
  role: oneOf(['stack', 'localizations', 'tracks', 'other'] as const),
});

function recipe(depth: number): Check<RecipeJson> {
  return (v, path, issues) => {
    if (depth > SESSION_LIMITS.maxRecipeDepth)
      return void issues.add(path, `stack recipes nest deeper than ${SESSION_LIMITS.maxRecipeDepth} levels`);
    const kind = (v as { kind?: unknown } | null)?.kind;
    switch (kind) {
      case 'files':
        return obj({ kind: oneOf(['files'] as const), inputs: arr(id, { min: 1, max: 64 }) })(
          v,
          path,
          issues,
        );
      case 'channels':
        return obj({ kind: oneOf(['channels'] as const), parts: arr(recipe(depth + 1), { min: 1, max: 8 }) })(
          v,
          path,
          issues,
        );
      case 'dualView':
        return obj({
          kind: oneOf(['dualView'] as const),
          base: recipe(depth + 1),
          layout: oneOf(['left-right', 'top-bottom'] as const),
        })(v, path, issues);
      case 'simulated':
        return obj({ kind: oneOf(['simulated'] as const), params: simulationParams })(v, path, issues);
      default:
        return void issues.add(
          path,
          `unknown stack recipe kind ${JSON.stringify(kind ?? null)?.slice(0, 40)}`,
        );
    }
  };
}

const simulationParams = checkedJson(plainJson({ maxNodes: 20_000 }), (j) => {
  // The simulator's schema (src/core/sim/schema.ts), then the budget of what a file may ask for.
  if (!isSimulationParams(j))
    throw new Error(`simulation parameters: ${validateSimulationParams(j).slice(0, 3).join('; ')}`);
  const tooBig = simulationBudgetProblems(j);
  if (tooBig.length) throw new Error(`simulation too large: ${tooBig.join('; ')}`);
});

const stack = obj(
  { id, label, recipe: recipe(0), meta: record(finite, { maxKeys: 32 }) },
  {
    width: num({ min: 1, max: 1 << 20, integer: true }),
    height: num({ min: 1, max: 1 << 20, integer: true }),
    frameCount: num({ min: 0, max: 2 ** 31, integer: true }),
  },
);

const column = obj({
  name: str({ max: 64, min: 1 }),
  dtype: oneOf(DTYPES),
  unit: str({ max: 32 }),
});

const table = obj(
  {
    id,
    name: str({ max: 200 }),
    kind: oneOf(TABLE_KINDS),
    rows: num({ min: 0, max: SESSION_LIMITS.maxRows, integer: true }),
    columns: arr(column, { max: SESSION_LIMITS.maxColumns }),
  },
  { stack: id, source: id },
);

const view = obj(
  {
    step: str({ max: 32 }),
    centreView: str({ max: 32 }),
    frame: num({ min: 0, max: 2 ** 31, integer: true }),
    zoom: num({ min: 0, exclusiveMin: true, max: 1e6 }),
    pan: obj({ x: finite, y: finite }),
    colormaps: record(str({ max: 32 }), { maxKeys: 64 }),
    settings: record(plainJson({ maxNodes: 20_000 }), { maxKeys: 256 }),
  },
  { activeStack: id },
);

// ---------------------------------------------------------------- step sections

const stepSchemas = new Map<string, Check<Json>>([
  [
    'localize',
    checkedJson(plainJson(), (j) => {
      if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new Error('expected an object');
      resolveLocalizeParams(j as never);
    }),
  ],
  // The section's name is said by the caller: "steps.post: [0].expression: …".
  ['post', checkedJson(plainJson(), (j) => parsePipeline(j, ''))],
  ['tracks', tracksSectionSchema],
]);
const genericStep = plainJson({ maxNodes: 50_000 });

/**
 * Lets a feature refuse the whole file over its section. Most should not: on restore every
 * section passes its session part's schema (src/state/sessionPart.ts), where a bad field takes its
 * default with a warning and the rest opens. Here a section is kept as bounded plain JSON.
 */
export function registerStepSchema(step: string, check: Check<Json>): void {
  stepSchemas.set(step, check);
}

const stepKey = str({ max: 32, min: 1, pattern: /^[a-z][A-Za-z0-9_-]*$/, patternHint: 'a step name' });
const steps: Check<Record<string, Json>> = (v, path, issues) =>
  record<Json>((x, p, is) => (stepSchemas.get(p.slice(p.lastIndexOf('.') + 1)) ?? genericStep)(x, p, is), {
    maxKeys: SESSION_LIMITS.maxSteps,
    key: stepKey,
  })(v, path, issues);

/** Another open input's results (version 2): its stack, if any, and its own step sections. */
const otherInput = obj({ label: str({ max: 200 }), steps }, { stack: id });

const session = obj(
  {
    format: oneOf([SESSION_FORMAT] as const),
    version: oneOf([SESSION_VERSION] as const),
    app: obj({ name: str({ max: 40 }), version: str({ max: 40 }) }),
    created: isoTime,
    modified: isoTime,
    title: str({ max: 200 }),
    notes: str({ max: SESSION_LIMITS.maxNotes, multiline: true }),
    inputs: arr(input, { max: SESSION_LIMITS.maxInputs }),
    stacks: arr(stack, { max: SESSION_LIMITS.maxStacks }),
    steps,
    tables: arr(table, { max: SESSION_LIMITS.maxTables }),
    view,
  },
  { others: arr(otherInput, { max: SESSION_LIMITS.maxStacks + SESSION_LIMITS.maxTables }) },
);

function recipeInputs(r: RecipeJson): string[] {
  switch (r.kind) {
    case 'files':
      return r.inputs;
    case 'channels':
      return r.parts.flatMap(recipeInputs);
    case 'dualView':
      return recipeInputs(r.base);
    case 'simulated':
      return [];
  }
}

function crossCheck(s: Session, issues: Issues): void {
  const unique = (ids: string[], what: string) => {
    const seen = new Set<string>();
    for (const i of ids) {
      if (seen.has(i)) issues.add(what, `id "${i}" is used twice`);
      seen.add(i);
    }
    return seen;
  };
  const inputs = unique(
    s.inputs.map((i) => i.id),
    'inputs',
  );
  const stacks = unique(
    s.stacks.map((x) => x.id),
    'stacks',
  );
  const tables = unique(
    s.tables.map((t) => t.id),
    'tables',
  );
  s.stacks.forEach((st, k) => {
    for (const i of recipeInputs(st.recipe))
      if (!inputs.has(i)) issues.add(`stacks[${k}].recipe`, `refers to unknown input "${i}"`);
  });
  s.tables.forEach((t, k) => {
    unique(
      t.columns.map((c) => c.name),
      `tables[${k}].columns`,
    );
    if (t.stack !== undefined && !stacks.has(t.stack))
      issues.add(`tables[${k}].stack`, `unknown stack "${t.stack}"`);
    if (t.source !== undefined && !tables.has(t.source))
      issues.add(`tables[${k}].source`, `unknown table "${t.source}"`);
  });
  s.others?.forEach((x, k) => {
    if (x.stack !== undefined && !stacks.has(x.stack))
      issues.add(`others[${k}].stack`, `unknown stack "${x.stack}"`);
  });
  if (s.view.activeStack !== undefined && !stacks.has(s.view.activeStack))
    issues.add('view.activeStack', `unknown stack "${s.view.activeStack}"`);
}

export type ValidationResult = { ok: true; session: Session } | { ok: false; errors: string[] };

/** Checks (and migrates) a parsed session document. Never throws, never mutates `json`. */
export function validateSession(json: unknown): ValidationResult {
  const migrated = migrateSession(json);
  if (!migrated.ok) return migrated;
  const issues = new Issues();
  const s = session(migrated.json, '', issues) as Session | undefined;
  if (s && issues.ok) crossCheck(s, issues);
  if (!s || !issues.ok) return { ok: false, errors: issues.messages() };
  return { ok: true, session: s };
}
