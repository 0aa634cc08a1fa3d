import { describe, expect, test } from 'vitest';
import { parseSptText, parseTrackCsv, TrackImportError, tracksToCsv } from '../../../src/core/spt/io';

describe('parseTrackCsv', () => {
  test.each([
    ['"track","frame","x [nm]","y [nm]","intensity [photon]"', 'track'],
    ['"id","frame","x [nm]","y [nm]","intensity [photon]"', 'id'],
    ['trajectory,frame,x [nm],y [nm],intensity', 'trajectory'],
  ])('reads header %s (track column "%s"), 1-based frames, sorted by track and frame', (header) => {
    const text = `${header}\n2,5,100.5,200,1000\n1,3,10,20,500\n1,2,11,21,400\n\n`;
    const t = parseTrackCsv(text);
    expect(Array.from(t.columns.track)).toEqual([1, 1, 2]);
    expect(Array.from(t.columns.frame)).toEqual([1, 2, 4]);
    expect(Array.from(t.columns.x)).toEqual([11, 10, 100.5]);
    expect(Array.from(t.columns.intensity)).toEqual([400, 500, 1000]);
  });

  test('prefers "track" over a localization "id"; converts µm and px; intensity optional', () => {
    const t = parseTrackCsv('"id","track","frame","x [um]","y [px]"\n7,3,1,1.5,2\n', { pixelSize: 100 });
    expect(t.columns.track[0]).toBe(3);
    expect(t.columns.x[0]).toBe(1500);
    expect(t.columns.y[0]).toBe(200);
    expect(Number.isNaN(t.columns.intensity[0])).toBe(true);
    expect(() => parseTrackCsv('"track","frame","x [px]","y [px]"\n1,1,1,1\n')).toThrow(/pixel size/);
  });

  test('rejects malformed input with line numbers', () => {
    const h = '"track","frame","x [nm]","y [nm]"\n';
    expect(() => parseTrackCsv(`${h}1,1,5,5\n1,2,abc,5\n`)).toThrow(/line 3: x "abc" is not a number/);
    expect(() => parseTrackCsv(`${h}1,1,5\n`)).toThrow(/line 2: expected 4 fields, found 3/);
    expect(() => parseTrackCsv(`${h}1,0,5,5\n`)).toThrow(/line 2: frame 0 is not an integer ≥ 1/);
    expect(() => parseTrackCsv(`${h}-1,1,5,5\n`)).toThrow(/line 2: track id -1/);
    expect(() => parseTrackCsv(`${h}1,1,5,5\n1,1,6,6\n`)).toThrow(/track 1 has two positions in frame 0/);
    expect(() => parseTrackCsv('"frame","x [nm]","y [nm]"\n1,2,3\n')).toThrow(
      /line 1: header lacks a track column/,
    );
    expect(() => parseTrackCsv('')).toThrow(TrackImportError);
  });

  test('round-trips through tracksToCsv', () => {
    const t = parseTrackCsv(
      '"track","frame","x [nm]","y [nm]","intensity"\n0,1,1.25,2.5,10\n0,2,3.125,4,11\n4,9,7,8,12\n',
    );
    const back = parseTrackCsv(tracksToCsv(t));
    expect(back).toEqual(t);
    expect(tracksToCsv(t).split('\n')[0]).toBe('"track","frame","x [nm]","y [nm]","intensity"');
  });

  test('tracks without intensity round-trip: the missing value stays NaN, other bad numbers are refused', () => {
    const t = parseTrackCsv('"track","frame","x [nm]","y [nm]","intensity"\n0,1,1,2,\n0,2,3,4,NaN\n');
    expect(Number.isNaN(t.columns.intensity[0]) && Number.isNaN(t.columns.intensity[1])).toBe(true);
    const back = parseTrackCsv(tracksToCsv(t));
    expect(Array.from(back.columns.x)).toEqual([1, 3]);
    expect(Number.isNaN(back.columns.intensity[1])).toBe(true);
    expect(() => parseTrackCsv('"track","frame","x [nm]","y [nm]","intensity"\n0,1,1,2,bright\n')).toThrow(
      /intensity "bright"/,
    );
  });
});

describe('parseSptText (frame, x px, y px, intensity, …)', () => {
  const body =
    '1\t10.5\t20\t900\t12\t1.1\t0\n2\t10.6\t20.1\t950\t12\t1.2\t0\n3\t10.7\t20.2\t990\t12\t1.3\t0\n';

  test('reads tab-separated data with a header, pixels → nm, 1-based frames', () => {
    const t = parseSptText(`frame\tx\ty\tintensity\tbg\twidth\tflag\n${body}`, {
      pixelSize: 160,
      frameBase: 1,
    });
    expect(Array.from(t.columns.frame)).toEqual([0, 1, 2]);
    expect(t.columns.x[0]).toBeCloseTo(1680, 9);
    expect(t.columns.y[2]).toBeCloseTo(3232, 9);
    expect(Array.from(t.columns.intensity)).toEqual([900, 950, 990]);
    expect(new Set(t.columns.track).size).toBe(1);
  });

  test('0-based frames, whitespace separation, comments; new track after blank line or frame reset', () => {
    const text =
      '# exported\n0  1 1 5 0 0 0\n1  2 2 5 0 0 0\n\n0 9 9 5 0 0 0\n1 9 9 5 0 0 0\n0 4 4 5 0 0 0\n';
    const t = parseSptText(text, { pixelSize: 100, frameBase: 0 });
    expect(Array.from(t.columns.track)).toEqual([0, 0, 1, 1, 2]);
    expect(Array.from(t.columns.frame)).toEqual([0, 1, 0, 1, 0]);
  });

  test('a track-id column overrides the segmentation', () => {
    const text = '1 0 0 5 0 0 8\n1 1 1 5 0 0 3\n2 0 0 5 0 0 8\n';
    const t = parseSptText(text, { pixelSize: 100, frameBase: 1, trackColumn: 6 });
    expect(Array.from(t.columns.track)).toEqual([3, 8, 8]);
  });

  test('rejects malformed lines with line numbers', () => {
    const o = { pixelSize: 100, frameBase: 1 } as const;
    expect(() => parseSptText(`${body}4 1 2\n`, o)).toThrow(/line 4: expected ≥ 4 columns, found 3/);
    expect(() => parseSptText(`${body}4 1 2 3 4\n`, o)).toThrow(/line 4: expected 7 columns/);
    expect(() => parseSptText(`${body}4 x 2 3 4 5 6\n`, o)).toThrow(/line 4: x "x" is not a number/);
    expect(() => parseSptText(`${body}a b c d e f g\n`, o)).toThrow(/line 4: frame "a" is not a number/);
    expect(() => parseSptText(`frame x y i\nsecond header\n${body}`, o)).toThrow(
      /line 2: unexpected text line/,
    );
    expect(() => parseSptText('1.5 1 2 3 4 5 6\n', o)).toThrow(/line 1: frame 1.5/);
    expect(() => parseSptText('# nothing\n', o)).toThrow(/no data lines/);
  });
});
