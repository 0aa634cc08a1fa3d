// CSV files of the ground truth. Emission events use ThunderSTORM's header and conventions so any
// tool that reads ThunderSTORM results (and evscope's scorer) reads them as is. Frames are 1-based
// in every file, like ThunderSTORM; a frame of 0 means "never".
import { csvField } from '../io/csv';
import { csvText } from '../io/resultCsv';
import { writeThunderstormCsv } from '../io/thunderstormCsv';
import type { LocTable } from '../locs/table';
import type { TruthEvents } from './events';
import {
  EV_STATE_NAMES,
  type EvTruth,
  STRUCTURE_KIND_NAMES,
  type StructureTruth,
  type TrajectoryTruth,
} from './truth';

/** Events as a LocTable: frame, x, y, photons, plus molecule, channel, parent and sample positions. */
export function truthEventsTable(e: TruthEvents): LocTable {
  const c = e.columns;
  return {
    length: e.length,
    columns: {
      frame: c.frame,
      x: c.x,
      y: c.y,
      photons: c.photons,
      molecule: c.molecule,
      channel: c.channel,
      parent: c.parent,
      x_sample: c.xSample,
      y_sample: c.ySample,
    },
  };
}

/** `"id","frame","x [nm]","y [nm]","intensity [photon]","molecule","channel","parent","x_sample [nm]","y_sample [nm]"`. */
export function truthEventsCsv(e: TruthEvents): string {
  return writeThunderstormCsv(truthEventsTable(e), { units: { x_sample: 'nm', y_sample: 'nm' } });
}

/** One row per EV: subtype, size, position, molecules per marker (and labelled), probe count, arrival, internalisation. */
export function truthEvsCsv(ev: EvTruth): string {
  const header = ['id', 'subtype', 'diameter [nm]', 'x [nm]', 'y [nm]'];
  const getters: ((r: number) => string)[] = [
    (r) => String(ev.id[r]),
    (r) => csvField(ev.subtypeNames[ev.subtype[r]] ?? ''),
    (r) => String(ev.diameterNm[r]),
    (r) => String(ev.x[r]),
    (r) => String(ev.y[r]),
  ];
  for (const m of ev.markers) {
    header.push(m, `${m} labelled`);
    getters.push(
      (r) => String(ev.markerCounts[m][r]),
      (r) => String(ev.labelledCounts[m][r]),
    );
  }
  header.push('probe', 'arrival frame', 'internalised frame');
  getters.push(
    (r) => String(ev.probeCount[r]),
    (r) => String(ev.arrivalFrame[r] + 1),
    (r) => String(ev.internalisedFrame[r] + 1),
  );
  return csvText(header, ev.length, (r, c) => getters[c](r));
}

/** One row per EV per frame while visible: sample position, state and the structure involved (−1: none). */
export function truthTrajectoriesCsv(t: TrajectoryTruth): string {
  return csvText(['ev', 'frame', 'x [nm]', 'y [nm]', 'state', 'structure'], t.length, (r, c) => {
    switch (c) {
      case 0:
        return String(t.ev[r]);
      case 1:
        return String(t.frame[r] + 1);
      case 2:
        return String(t.x[r]);
      case 3:
        return String(t.y[r]);
      case 4:
        return EV_STATE_NAMES[t.state[r]];
      default:
        return String(t.structure[r]);
    }
  });
}

/** One row per structure: ellipse in sample nm, first and last frame present (1-based, inclusive; may lie outside the movie). */
export function truthStructuresCsv(s: StructureTruth): string {
  const header = [
    'id',
    'kind',
    'x [nm]',
    'y [nm]',
    'rx [nm]',
    'ry [nm]',
    'angle [rad]',
    'first frame',
    'last frame',
    'ramp frames',
    'molecules',
  ];
  return csvText(header, s.length, (r, c) => {
    switch (c) {
      case 0:
        return String(s.id[r]);
      case 1:
        return csvField(STRUCTURE_KIND_NAMES[s.kind[r]]);
      case 2:
        return String(s.x[r]);
      case 3:
        return String(s.y[r]);
      case 4:
        return String(s.rx[r]);
      case 5:
        return String(s.ry[r]);
      case 6:
        return String(s.angle[r]);
      case 7:
        return String(s.startFrame[r] + 1);
      case 8:
        return String(s.endFrame[r]);
      case 9:
        return String(s.rampFrames[r]);
      default:
        return String(s.molecules[r]);
    }
  });
}
