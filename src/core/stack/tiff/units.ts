// Length and time units as microscopy software spells them, converted to evscope's nm and ms.
const LENGTH_NM: Record<string, number> = {
  nm: 1,
  nanometer: 1,
  nanometre: 1,
  um: 1e3,
  µm: 1e3,
  μm: 1e3,
  micron: 1e3,
  microns: 1e3,
  micrometer: 1e3,
  micrometre: 1e3,
  mm: 1e6,
  millimeter: 1e6,
  cm: 1e7,
  centimeter: 1e7,
  m: 1e9,
  meter: 1e9,
  å: 0.1,
  angstrom: 0.1,
  pm: 1e-3,
};

const TIME_MS: Record<string, number> = {
  ms: 1,
  msec: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1e3,
  sec: 1e3,
  second: 1e3,
  seconds: 1e3,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ns: 1e-6,
  min: 6e4,
  minute: 6e4,
  minutes: 6e4,
  h: 3.6e6,
  hr: 3.6e6,
};

/** Nanometres per `unit`, or undefined for units that are not lengths ("pixel", "inch"…). */
export function nmPerUnit(unit: string): number | undefined {
  return LENGTH_NM[unit.trim().toLowerCase()];
}

export function msPerUnit(unit: string): number | undefined {
  return TIME_MS[unit.trim().toLowerCase()];
}
