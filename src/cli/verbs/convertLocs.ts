// `evscope convert-locs IN --out OUT`: localizations between formats, chosen by the output's
// extension (.csv ThunderSTORM, .hdf5 Picasso + .yaml, .smlm ShareLoc/evscope session); the
// input may be any format evscope reads (see src/core/io/localizationFiles.ts).
import { resolve } from 'node:path';
import { writeLocalizationFile } from '../../core/io/localizationFiles';
import { appVersion } from '../appVersion';
import { numberFlag } from '../args';
import { readLocsFromDisk } from '../locFiles';
import { checkOutputs, writeOutputSafely } from '../safeOutput';
import { warnOnStderr } from '../terminalText';
import { defineVerb } from '../verb';

const help = `usage: evscope convert-locs IN --out OUT [--pixel-size NM] [--width PX --height PX --frames N]
  IN:  ThunderSTORM CSV, Picasso .hdf5 (+ .yaml beside it), DECODE .h5, .smlm, rapidSTORM .txt, Nanoimager CSV, Elyra .txt
  OUT: .csv (ThunderSTORM), .hdf5 (Picasso, writes OUT.yaml too), .smlm (ShareLoc / evscope session)
  --pixel-size  camera pixel size in nm (Picasso in/out; taken from the input's YAML when it has one)
  --width/--height/--frames  camera frame size and count for Picasso's YAML (from the input when known)`;

export const verb = defineVerb({
  help,
  values: ['out', 'pixel-size', 'width', 'height', 'frames'],
  async run(p) {
    const out = p.flags.get('out');
    if (p.positionals.length !== 1 || typeof out !== 'string') {
      console.error(help);
      return 2;
    }
    // Picasso files come in pairs: the YAML beside an .hdf5 is an input or an output too.
    const yaml = (f: string) => (/\.(hdf5|h5)$/i.test(f) ? f.replace(/\.(hdf5|h5)$/i, '.yaml') : undefined);
    const inputs = [p.positionals[0], yaml(p.positionals[0])];
    await checkOutputs([out, yaml(out)], inputs);
    const input = await readLocsFromDisk(resolve(p.positionals[0]), numberFlag(p, 'pixel-size'));
    for (const w of input.warnings) warnOnStderr(w);
    const r = await writeLocalizationFile(out, input.table, input.units, {
      appVersion,
      pixelSizeNm: numberFlag(p, 'pixel-size') ?? input.pixelSizeNm,
      width: numberFlag(p, 'width') ?? input.width,
      height: numberFlag(p, 'height') ?? input.height,
      frames: numberFlag(p, 'frames') ?? input.frames,
    });
    if (r.sidecar) await checkOutputs([r.sidecar.name], inputs);
    await writeOutputSafely(resolve(out), r.bytes);
    if (r.sidecar) await writeOutputSafely(resolve(r.sidecar.name), r.sidecar.text);
    console.log(
      `${input.format} → ${out}: ${input.table.length} localizations${r.sidecar ? ` (+ ${r.sidecar.name})` : ''}`,
    );
    return 0;
  },
});
