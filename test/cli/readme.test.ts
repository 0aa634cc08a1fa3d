// The README's command-line table against the CLI itself: every verb has a row, and every flag a
// row shows is one that verb's --help documents (a README that drifts from the code misleads).
import { readFileSync } from 'node:fs';
import { expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { repoRoot } from '../helpers/sharedData';

async function printed(args: string[]): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await main(args);
    return log.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    log.mockRestore();
  }
}

const readme = readFileSync(`${repoRoot}/README.md`, 'utf8');
const cli = readme.slice(
  readme.indexOf('## Command line'),
  readme.indexOf('\n## ', readme.indexOf('## Command line') + 3),
);
/** The table's rows: the command cell of each. */
const rows = cli
  .split('\n')
  .filter((l) => l.startsWith('| `'))
  .map((l) => l.slice(2, l.lastIndexOf('|', l.length - 2)));

test('every verb of the CLI has a row in the README, and every flag shown exists', async () => {
  const verbs = (await printed(['--help'])).match(/verbs: (.*)/)![1].split(', ');
  expect(verbs.length).toBe(17);
  for (const verb of verbs) {
    const row = rows.find((r) => r.startsWith(`\`npx evscope ${verb} `));
    expect(row, `README row for ${verb}`).toBeDefined();
    const help = await printed([verb, '--help']);
    for (const flag of row!.match(/--[a-z][a-z-]*/g) ?? []) {
      // "--scmos-offset/-gain/-variance" abbreviates three flags.
      expect(help, `${verb} ${flag}`).toContain(flag);
    }
  }
});

test('the Node version stated in the README is the one package.json declares', () => {
  const engines = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')).engines.node as string;
  expect(readme).toContain(`\`${engines.replace('.0.0', '')}\``);
});
