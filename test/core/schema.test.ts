// Each parameter set's schema refuses the values session files were seen to carry (an unknown
// colour map, connectivity 99, a window of 'abc') with a message naming the field and the value,
// and parseFields keeps every good field while a bad one falls back to its default.
import { expect, test } from 'vitest';
import { TracksParamsSchema } from '../../src/core/coloc/schema';
import { ViewerSettingsSchema } from '../../src/core/display/viewSettings';
import { MarkersParamsSchema } from '../../src/core/ev/schema';
import { LocalizeSettingsSchema } from '../../src/core/localize/settings';
import { PostStepsSchema } from '../../src/core/locs/pipeline';
import {
  BinarizeSchema,
  DEFAULT_BINARIZE,
  DEFAULT_MOVIE_DISPLAY,
  DEFAULT_MOVIE_PARAMS,
  MovieDisplaySchema,
  MovieParamsSchema,
} from '../../src/core/movie/params';
import { ReconSettingsSchema } from '../../src/core/render/reconstruct';
import { parseFields, parseOrThrow, v } from '../../src/core/schema';
import { presetParams } from '../../src/core/sim/presets';
import { SimulationParamsSchema } from '../../src/core/sim/validate';
import { MetaOverridesSchema } from '../../src/core/stack/metaOverrides';

const message = (schema: v.GenericSchema, value: unknown, where: string) => {
  try {
    parseOrThrow(schema, value, where);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${where}: ${JSON.stringify(value)} was accepted`);
};

test('the values seen in damaged session files are refused, naming the field and the value', () => {
  const display = { ...DEFAULT_MOVIE_DISPLAY, colormap: 'not-a-map' };
  expect(message(MovieDisplaySchema, display, 'movie')).toBe(
    'movie.colormap: "not-a-map" is not one of "gray", "inferno", "viridis", "hot", "green", "magenta"',
  );
  expect(message(BinarizeSchema, { ...DEFAULT_BINARIZE, connectivity: 99 }, 'movie')).toBe(
    'movie.connectivity: 99 is not one of 8, 26',
  );
  expect(message(MovieDisplaySchema, { ...DEFAULT_MOVIE_DISPLAY, window: 'abc' }, 'movie')).toBe(
    'movie.window: expected an object, got "abc"',
  );
  expect(message(MovieParamsSchema, { ...DEFAULT_MOVIE_PARAMS, window: 'abc' }, 'movie.params')).toBe(
    'movie.params.window: expected a number, got "abc"',
  );
  expect(message(MovieParamsSchema, { ...DEFAULT_MOVIE_PARAMS, step: 1.5 }, 'movie.params')).toBe(
    'movie.params.step: expected a whole number, got 1.5',
  );
  expect(message(MovieParamsSchema, { ...DEFAULT_MOVIE_PARAMS, sigma: { kind: 'js' } }, 'm')).toMatch(
    /^m\.sigma\.kind: "js" is not one of "precision", "fixed"$/,
  );
});

test('every parameter set has a schema that refuses what its kernel would refuse', () => {
  const cases: [v.GenericSchema, unknown, string, RegExp][] = [
    [
      v.partial(LocalizeSettingsSchema),
      { maxEmitters: 9 },
      'localize',
      /^localize\.maxEmitters: 9 is above the maximum 8$/,
    ],
    [
      v.partial(LocalizeSettingsSchema),
      { fitter: 'magic' },
      'localize',
      /localize\.fitter: "magic" is not one of/,
    ],
    [
      v.partial(LocalizeSettingsSchema),
      { roi: { x: 0, y: 0, width: 0, height: 3 } },
      'l',
      /^l\.roi\.width: 0 is below the minimum 1$/,
    ],
    [
      v.partial(TracksParamsSchema),
      { pooling: 'all' },
      'tracks',
      /^tracks\.pooling: "all" is not one of "nearest", "pooled"$/,
    ],
    [v.partial(TracksParamsSchema), { maxGap: 51 }, 'tracks', /^tracks\.maxGap: 51 is above the maximum 50$/],
    [
      v.partial(MarkersParamsSchema),
      { reference: 'both' },
      'markers',
      /^markers\.reference: "both" is not one of "union", number$/,
    ],
    [
      v.partial(MarkersParamsSchema),
      { channels: [{ channel: 0, name: 'a\u0007', role: 'marker', threshold: 1 }] },
      'markers',
      /^markers\.channels\[0\]\.name: text contains control characters$/,
    ],
    [
      v.partial(ReconSettingsSchema),
      { colormap: 'jet' },
      'recon',
      /^recon\.colormap: "jet" is not one of "hot", "inferno", "viridis", "gray", "hue"$/,
    ],
    [v.partial(ViewerSettingsSchema), { layout: 'grid' }, 'viewer', /^viewer\.layout: "grid" is not one of/],
    [
      MetaOverridesSchema,
      { pixelSizeNm: -5 },
      'meta',
      /^meta\.pixelSizeNm: -5 is below the minimum \(exclusive\) 0$/,
    ],
    [
      MetaOverridesSchema,
      { cameraKind: 'film' },
      'meta',
      /^meta\.cameraKind: "film" is not one of "ccd", "emccd", "scmos"$/,
    ],
    [
      PostStepsSchema,
      [{ kind: 'eval', code: 'alert(1)' }],
      'post',
      /^post\[0\]\.kind: "eval" is not one of "drift", "merge"/,
    ],
    [
      PostStepsSchema,
      [
        { kind: 'merge', radiusNm: 20, maxGapFrames: 1 },
        { kind: 'drift', method: 'rcc', options: { segments: 1 } },
      ],
      'post',
      /^post\[1\]\.options\.segments: 1 is below the minimum 2$/,
    ],
    [PostStepsSchema, [{ kind: 'filter', expression: 'x; alert(1)' }], 'post', /^post\[0\]\.expression: /],
    [
      SimulationParamsSchema,
      { ...presetParams('demo'), width: 3 },
      'sim',
      /^sim: width must be an integer of 8–4096 px \(got 3\)/,
    ],
  ];
  for (const [schema, value, where, re] of cases) expect(message(schema, value, where)).toMatch(re);
  // …and accepts what the workbench itself writes.
  expect(parseOrThrow(SimulationParamsSchema, presetParams('demo'), 'sim').width).toBe(
    presetParams('demo').width,
  );
  expect(
    parseOrThrow(PostStepsSchema, [{ kind: 'filter', expression: 'photons > 900' }], 'post'),
  ).toHaveLength(1);
});

test('parseFields: a bad field takes its default with a warning, good ones and nested ones stay', () => {
  const saved = {
    colormap: 'not-a-map',
    contrastMode: 'frame',
    window: { min: 'abc', max: 0.5 },
    showEv: false,
    evColormap: null, // how older files wrote "unset": silently the default
    junk: '<script>',
  };
  const { value, warnings } = parseFields(MovieDisplaySchema, saved, DEFAULT_MOVIE_DISPLAY, 'movie');
  expect(value).toEqual({
    colormap: 'hot',
    contrastMode: 'frame',
    window: { min: 0, max: 0.5 },
    showEv: false,
    evColormap: 'magenta',
    showOutlines: true,
  });
  expect(warnings).toEqual([
    'movie.colormap: "not-a-map" is not one of "gray", "inferno", "viridis", "hot", "green", "magenta": using the default "hot"',
    'movie.window.min: expected a number, got "abc": using the default 0',
  ]);
  // The defaults are copied: changing a parsed value never changes them.
  value.window.max = 9;
  expect(DEFAULT_MOVIE_DISPLAY.window.max).toBe(1);
  expect(parseFields(MovieDisplaySchema, [1, 2], DEFAULT_MOVIE_DISPLAY, 'movie').warnings).toEqual([
    'movie: expected an object, got [1,2]: using the defaults',
  ]);
});
