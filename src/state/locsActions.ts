// Localization tables in and out: import of any supported localization file (ThunderSTORM CSV,
// Picasso HDF5 + YAML, .smlm, rapidSTORM, Nanoimager, Elyra; parsed in the render worker, so a
// file of millions of rows never freezes the page) into locsStore, tied to the active stack,
// and export of the current post-processed table.

import type { ParsedCsv, ParsedLocFile, PickedFile } from '../../workers/render.api';
import { activeStack, dataStore } from './dataStore';
import { locsStore } from './locsStore';
import { uiStore } from './uiStore';

export interface LocsIo {
  /** Parses ThunderSTORM CSV text or a file; errors name the file, line and column. */
  parseCsv(source: Blob | string, fileName: string): Promise<ParsedCsv>;
  /** Reads the localization file among `files` (with its Picasso .yaml); errors name the file and what is missing. */
  parseLocalizationFile(files: PickedFile[]): Promise<ParsedLocFile>;
  /** The post-processed table as ThunderSTORM CSV. */
  exportCsv(): Promise<string>;
}

export interface LocsActions {
  /**
   * Loads the file; resolves with the number of localizations and the rows the reader left out
   * (a notice shows them), or null when it failed (a notice says why).
   */
  importCsv(file: Blob, fileName: string, asTable?: boolean): Promise<ImportedCsv | null>;
  /**
   * Loads a localization file of any supported format from the files the user picked (a Picasso
   * .hdf5 together with its .yaml); resolves with the count, or null when it failed (a notice says why).
   * It goes onto the stack on screen, or in as a table input of its own (`asTable`, or no stack open).
   */
  importFiles(files: PickedFile[], asTable?: boolean): Promise<number | null>;
  /** The current (post-processed) localizations as CSV text, or null when there are none. */
  exportCsv(): Promise<string | null>;
}

/**
 * Where an imported table goes: onto the stack on screen (so overlays and the camera field line
 * up), or — with no stack on screen, or when asked — in as an input of its own in the Data list.
 */
export function importTarget(name: string, count: number, format: string, asTable = false): number {
  const d = dataStore.getState();
  const st = activeStack(d);
  if (st && !asTable) return st.info.id;
  return d.addTable({ name, count, format });
}

/** What an import of a ThunderSTORM CSV loaded, and what its reader left out. */
export interface ImportedCsv {
  count: number;
  warnings: string[];
}

/**
 * Rows the CSV reader left out (NaN, ±Infinity, 1e400, hex positions…) are said on screen, as
 * "Open localizations…" does, so no import path loses them silently.
 */
export function noticeCsvWarnings(fileName: string, count: number, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  uiStore
    .getState()
    .notify(
      'warning',
      `${count.toLocaleString('en-US')} localizations from ${fileName}`,
      `Read as ThunderSTORM CSV. ${warnings.join(' ')}`,
    );
}

/** A file that could not be read: said with what would have been read. */
function unreadable(names: string, e: unknown, expected: string): null {
  const msg = e instanceof Error ? e.message : String(e);
  uiStore.getState().notify('error', `Could not read localizations from ${names}`, msg, expected);
  return null;
}

export function createLocsActions(io: LocsIo): LocsActions {
  return {
    async importCsv(file, fileName, asTable = false) {
      const ui = uiStore.getState();
      try {
        const { table, warnings } = await io.parseCsv(file, fileName);
        if (table.length === 0) {
          const why = warnings.length ? warnings.join(' ') : 'The file has a header but no rows.';
          ui.notify('warning', `${fileName} holds no localizations`, why);
          return null;
        }
        const input = importTarget(fileName, table.length, 'ThunderSTORM CSV', asTable);
        locsStore.getState().load(input, table, { source: fileName });
        noticeCsvWarnings(fileName, table.length, warnings);
        return { count: table.length, warnings };
      } catch (e) {
        return unreadable(
          fileName,
          e,
          'Expected ThunderSTORM CSV: a header with "frame", "x [nm]", "y [nm]" and one localization per line.',
        );
      }
    },
    async importFiles(files, asTable = false) {
      const ui = uiStore.getState();
      const names = files.map((f) => f.name).join(' + ') || 'nothing';
      try {
        const r = await io.parseLocalizationFile(files);
        if (r.table.length === 0) {
          ui.notify(
            'warning',
            `${r.fileName} holds no localizations`,
            `Read as ${r.formatName}, but it has no rows.`,
          );
          return null;
        }
        const input = importTarget(r.fileName, r.table.length, r.formatName, asTable);
        locsStore.getState().load(input, r.table, {
          source: r.fileName,
          format: r.formatName,
          ...(r.sidecarName ? { sidecar: r.sidecarName } : {}),
          ...(r.pixelSizeNm ? { pixelSizeNm: r.pixelSizeNm } : {}),
        });
        const px = r.pixelSizeNm ? `, ${r.pixelSizeNm} nm camera pixels` : '';
        ui.notify(
          r.warnings.length ? 'warning' : 'info',
          `${r.table.length.toLocaleString('en-US')} localizations from ${r.fileName}`,
          `Read as ${r.formatName}${px}.${r.warnings.length ? ` ${r.warnings.join(' ')}` : ''}`,
        );
        return r.table.length;
      } catch (e) {
        return unreadable(
          names,
          e,
          'Supported: ThunderSTORM CSV, Picasso HDF5 (select the .hdf5 and its .yaml together), DECODE .h5, .smlm, rapidSTORM, Nanoimager CSV, Zeiss Elyra text.',
        );
      }
    },
    async exportCsv() {
      if (locsStore.getState().count === 0) {
        uiStore.getState().notify('warning', 'Nothing to export', 'No localizations are loaded.');
        return null;
      }
      try {
        return await io.exportCsv();
      } catch (e) {
        uiStore
          .getState()
          .notify('error', 'Export of localizations failed', e instanceof Error ? e.message : String(e));
        return null;
      }
    },
  };
}
