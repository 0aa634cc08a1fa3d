// What a session carries of the Movie step: the parameters, binarization and display settings,
// whether a movie was built (it is rebuilt on open, deterministically) and the structure analysis
// (it travels whole: labelling every frame again takes a minute on a real acquisition).
import {
  BinarizeSchema,
  DEFAULT_BINARIZE,
  DEFAULT_MOVIE_DISPLAY,
  DEFAULT_MOVIE_PARAMS,
  MovieDisplaySchema,
  MovieParamsSchema,
} from '../core/movie/params';
import { intIn, numIn, v } from '../core/schema';
import type { Json, SessionTable } from '../core/session/index';
import { type LocsState, locsStore } from './locsStore';
import { cancelBuild, type MovieState, movieStore } from './movieStore';
import { registerSessionPart } from './sessionPart';
import { captureStructures, restoreStructures } from './sessionResults';

const MovieSectionSchema = v.object({
  params: MovieParamsSchema,
  built: v.boolean(),
  analysed: v.boolean(),
  /** The structure analysis (tables + summary), checked by restoreStructures. */
  result: v.optional(v.unknown()),
  ...BinarizeSchema.entries,
  ...MovieDisplaySchema.entries,
  threshold: v.nullable(numIn()),
  frame: intIn(0),
});
type MovieSection = v.InferOutput<typeof MovieSectionSchema>;

const DEFAULTS: MovieSection = {
  params: DEFAULT_MOVIE_PARAMS,
  built: false,
  analysed: false,
  ...DEFAULT_BINARIZE,
  ...DEFAULT_MOVIE_DISPLAY,
  threshold: null,
  frame: 0,
};

/** Movie state worth keeping: parameters, binarization and display, not the worker's buffers. */
const KEPT = [
  ...Object.keys(BinarizeSchema.entries),
  ...Object.keys(MovieDisplaySchema.entries),
] as (keyof MovieState)[];

const json = (x: unknown): Json => JSON.parse(JSON.stringify(x ?? null)) as Json;

function capture(mv: MovieState, locStack: string | undefined, addTable: (t: SessionTable) => void) {
  const section: Record<string, Json> = {
    params: json(mv.params),
    built: mv.built !== null && (mv.status === 'ready' || mv.status === 'stale' || mv.status === 'streaming'),
    analysed: mv.result !== null,
  };
  if (mv.result) {
    const packed = captureStructures(mv.result, locStack);
    section.result = packed.json;
    for (const t of packed.tables) addTable(t);
  }
  for (const k of [...KEPT, 'threshold', 'frame'] as const) section[k] = json(mv[k]);
  return section;
}

/** This session has no movie: the previous one's frames and structures are not its own. */
function dropMovie(): void {
  cancelBuild();
  movieStore.setState({
    built: null,
    info: null,
    status: 'idle',
    result: null,
    resultFromSession: false,
    threshold: null,
    frame: 0,
    playing: false,
  });
}

registerSessionPart({
  key: 'movie',
  schema: MovieSectionSchema,
  defaults: () => DEFAULTS,
  capture(ctx) {
    const locs = ctx.read<LocsState>('locs', locsStore);
    const locStack = locs.stackId !== null ? ctx.stackIds.get(locs.stackId) : undefined;
    return capture(ctx.read<MovieState>('movie', movieStore), locStack, ctx.addTable);
  },
  // Settings alone are not an input's own: a new input starts with the user's current ones.
  ownResult: (s) => {
    const o = s as { built?: Json; analysed?: Json; params?: { roi?: Json } };
    return o.built === true || o.analysed === true || (o.params?.roi ?? null) !== null;
  },
  async restore(mv, ctx) {
    ctx.showView();
    const hasLocs = ctx.tables.some((t) => t.kind === 'localizations');
    if (!(mv?.built && hasLocs)) dropMovie();
    if (!mv) return;
    const patch: Partial<MovieState> = { params: mv.params };
    for (const k of KEPT) Object.assign(patch, { [k]: mv[k as keyof MovieSection] });
    movieStore.setState(patch);
    if (!ctx.onScreen) {
      if (mv.built) {
        movieStore.setState({
          notes: [
            'The session had a movie of this input: build it again (only the one on screen is rebuilt on open).',
          ],
        });
        ctx.warn(`the movie of "${ctx.label}" was not rebuilt: build it again when you show it`);
      }
      return;
    }
    if (!(mv.built && hasLocs)) return;
    try {
      await (ctx.options.buildMovie ?? (await import('./movieStore')).buildMovie)();
      if (mv.threshold !== null) movieStore.setState({ threshold: mv.threshold });
      movieStore.getState().setFrame(mv.frame);
      if (mv.result !== undefined && mv.result !== null) {
        movieStore.setState({
          result: restoreStructures(mv.result as Json, ctx.tables),
          threshold: mv.threshold,
          resultFromSession: true,
        });
      } else if (mv.analysed) {
        // Sessions written before the analysis travelled whole: label the frames again.
        await (ctx.options.analyseStructures ?? (await import('./movieStore')).analyseStructures)();
      }
    } catch (e) {
      ctx.warn(`the movie could not be rebuilt: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
});
