// Reading localization files from disk for the CLI: the bytes, plus Picasso's YAML beside them.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type LocFile, readLocalizationFile } from '../core/io/localizationFiles';

export async function readLocsFromDisk(
  path: string,
  pixelSizeNm?: number,
): Promise<LocFile & { bytes: Uint8Array }> {
  const bytes = new Uint8Array(await readFile(path));
  const yamlPath = path.replace(/\.(hdf5|h5)$/i, '.yaml');
  const sidecarText = yamlPath !== path && existsSync(yamlPath) ? await readFile(yamlPath, 'utf8') : null;
  const r = await readLocalizationFile(basename(path), bytes, { sidecarText, pixelSizeNm });
  return { ...r, bytes };
}
