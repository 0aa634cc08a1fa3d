// The New simulation dialog's model: fields read and write the right parameters, typed text is
// parsed with reasons, switching preset/camera/photophysics keeps parameters valid, and every
// validator message lands next to a field (or in the dialog's summary).
import { describe, expect, test } from 'vitest';
import { PRESET_NAMES, presetParams } from '../../../src/core/sim/presets';
import { validateSimulationParams } from '../../../src/core/sim/validate';
import {
  allFields,
  cameraFields,
  channelFields,
  datasetSummary,
  formErrors,
  photophysicsChoices,
  withCamera,
  withField,
  withPhotophysics,
  withPreset,
} from '../../../src/ui/sim/simForm';

const field = (p: ReturnType<typeof presetParams>, id: string) => {
  const f = allFields(p).find((x) => x.id === id);
  if (!f) throw new Error(`no field ${id}`);
  return f;
};

describe('simulation form', () => {
  test('every preset opens with its own values and no problems; field ids are unique', () => {
    for (const name of PRESET_NAMES) {
      const p = withPreset(name);
      expect(p).toEqual(presetParams(name));
      expect(formErrors(p).count).toBe(0);
      const ids = allFields(p).map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const f of allFields(p)) {
        expect(f.label).toMatch(/\S/);
        expect(f.hint.length).toBeGreaterThan(10);
        expect(Number.isFinite(f.get(p))).toBe(true);
      }
    }
  });

  test('fields write where they read, on a copy', () => {
    const p = presetParams('demo');
    const checks: [string, number, (q: typeof p) => number][] = [
      ['width', 200, (q) => q.width],
      ['frames', 77, (q) => q.frames],
      ['frameIntervalMs', 12, (q) => q.frameIntervalMs],
      ['pixelSizeNm', 110, (q) => q.pixelSizeNm],
      ['offsetAdu', 400, (q) => q.camera.offsetAdu],
      ['emGain', 300, (q) => q.camera.emGain],
      ['readNoiseE', 2, (q) => q.camera.readNoiseE],
      ['driftY', -3, (q) => q.drift.speedYNmPerS],
      ['seed', 99, (q) => q.seed],
      ['evCount', 4, (q) => (q.scene.kind === 'uptake' ? q.scene.evCount : -1)],
      ['ch0-photons', 700, (q) => q.channels[0].photonsPerFrame],
      ['ch1-psf', 140, (q) => q.channels[1].psfSigmaNm],
      [
        'ch0-meanOn',
        4,
        (q) => (q.channels[0].photophysics.kind === 'palm' ? q.channels[0].photophysics.meanOnFrames : -1),
      ],
    ];
    for (const [id, v, read] of checks) {
      const q = withField(p, field(p, id), v);
      expect(read(q)).toBe(v);
      expect(field(q, id).get(q)).toBe(v);
    }
    expect(p).toEqual(presetParams('demo'));
  });

  test('validator messages land next to their fields', () => {
    const p0 = presetParams('demo');
    let p = withField(p0, field(p0, 'width'), 4);
    p = withField(p, field(p, 'emGain'), 0.5);
    p = withField(p, field(p, 'ch1-psf'), -1);
    p = withField(p, field(p, 'ch0-meanOn'), 0.2);
    p = withField(p, field(p, 'wobblePeriod'), 0);
    const e = formErrors(p);
    expect(e.byField.width).toEqual(['width must be an integer of 8–4096 px (got 4)']);
    expect(e.byField.emGain?.[0]).toMatch(/EM gain must be ≥ 1/);
    expect(e.byField['ch1-psf']?.[0]).toMatch(/^channel 1 .*PSF σ/);
    expect(e.byField['ch0-psf']).toBeUndefined();
    expect(e.byField['ch0-meanOn']?.[0]).toMatch(/PALM mean on-time/);
    expect(e.byField.wobblePeriod?.[0]).toMatch(/wobble period/);
    expect(e.byField.wobble).toBeUndefined();
    expect(e.count).toBe(validateSimulationParams(p).length);
    expect(datasetSummary(p)).toBe('');
  });

  test('each message of a broken form is placed: by a field or in the summary', () => {
    const p = presetParams('dstorm');
    const q = structuredClone(p);
    q.camera.saturationAdu = 10;
    q.pixelSizeNm = -1;
    if (q.channels[0].photophysics.kind === 'dstorm') {
      q.channels[0].photophysics.kOff = 0.9;
      q.channels[0].photophysics.kBleach = 0.5;
    }
    const e = formErrors(q);
    const placed = new Set([...Object.values(e.byField).flat(), ...e.other]);
    for (const m of validateSimulationParams(q)) expect(placed.has(m)).toBe(true);
    // k_off + k_bleach > 1 shows at both rates.
    expect(e.byField['ch0-kOff']?.some((m) => m.includes('k_off + k_bleach'))).toBe(true);
    expect(e.byField['ch0-kBleach']?.some((m) => m.includes('k_off + k_bleach'))).toBe(true);
  });

  test('switching camera loads its typical settings; EM gain only for EMCCD', () => {
    const p = withCamera(presetParams('demo'), 'scmos');
    expect(p.camera.kind).toBe('scmos');
    expect(p.camera.electronsPerAdu).toBe(0.5);
    expect(cameraFields('scmos').map((f) => f.id)).not.toContain('emGain');
    expect(cameraFields('emccd').map((f) => f.id)).toContain('emGain');
    expect(formErrors(p).count).toBe(0);
  });

  test('switching photophysics gives its parameters; isolated scenes keep "single"', () => {
    const p = withPhotophysics(presetParams('demo'), 0, 'dstorm');
    expect(p.channels[0].photophysics.kind).toBe('dstorm');
    expect(channelFields(p, 0).map((f) => f.id)).toEqual(
      expect.arrayContaining(['ch0-kOn', 'ch0-kOff', 'ch0-kBleach', 'ch0-onFraction']),
    );
    expect(formErrors(p).count).toBe(0);
    for (const kind of photophysicsChoices(p)) expect(formErrors(withPhotophysics(p, 1, kind)).count).toBe(0);
    expect(photophysicsChoices(presetParams('isolated'))).toEqual(['single']);
    expect(photophysicsChoices(presetParams('calcium'))).toEqual(['continuous']);
  });

  test('the calcium scene shows only the fields it uses (no photons per molecule, PSF or drift)', () => {
    const ca = presetParams('calcium');
    expect(channelFields(ca, 0).map((f) => f.id)).toEqual(['ch0-bg']);
    const ids = allFields(ca).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['cellCount', 'responderFraction', 'ch0-bg', 'frames']));
    for (const hidden of ['ch0-photons', 'ch0-psf', 'driftX']) expect(ids).not.toContain(hidden);
    expect(allFields(presetParams('demo')).map((f) => f.id)).toEqual(
      expect.arrayContaining(['ch0-photons', 'ch0-psf']),
    );
    expect(formErrors(ca).count).toBe(0);
  });

  test('summary line: field of view, duration, rate and raw size', () => {
    expect(datasetSummary(presetParams('demo'))).toBe(
      '12.8 × 12.8 µm field · 12.5 s at 200 fps · 156 MB as 16-bit TIFF (frames are generated on demand)',
    );
  });
});
