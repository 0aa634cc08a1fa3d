// Molecules per EV from PALM/dSTORM localizations (issue 8, count (c)): each localization goes
// to the nearest EV within a radius, blinks are merged into bursts, and bursts are divided by
// the dye's calibrated bursts per molecule. Columns are named like the other counts so the
// classification can use them: `<name> locs`, `<name> locs sd`, `<name> bursts`.
import type { ColumnArray } from '../locs/table';
import {
  assignLocalizationsToEvs,
  countFromLocalizations,
  type LocalizationCountParams,
} from './countFromLocalizations';

export interface EvLocalizationParams extends LocalizationCountParams {
  /** Localizations farther than this (nm) from every EV centre belong to none. */
  radiusNm: number;
}

export interface LocalizationColumns {
  /** 0-based frame. */
  frame: ArrayLike<number>;
  /** nm, ThunderSTORM convention (the EV table's too). */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Adds `<name> locs`, `<name> locs sd` and `<name> bursts` for the EVs at evX, evY (nm). */
export function evLocalizationColumns(
  name: string,
  evX: ArrayLike<number>,
  evY: ArrayLike<number>,
  locs: LocalizationColumns,
  params: EvLocalizationParams,
): Record<string, ColumnArray> {
  if (!(params.radiusNm > 0)) throw new RangeError(`the EV radius must be > 0 nm (got ${params.radiusNm})`);
  const ev = assignLocalizationsToEvs(locs.x, locs.y, evX, evY, params.radiusNm);
  const c = countFromLocalizations(locs.frame, locs.x, locs.y, ev, evX.length, params);
  return { [`${name} locs`]: c.count, [`${name} locs sd`]: c.countSd, [`${name} bursts`]: c.bursts };
}
