// Which roles a channel can sensibly take in EV-marker counting. The step counts dyes that
// bleach in steps on immobile EVs (TIRF on glass); a PALM/dSTORM channel of cell structures
// (caveolin, clathrin, actin…) blinks all movie long away from EVs, and an EV-tracking channel
// follows moving EVs with a dye that does not bleach in steps: counting either as a marker gives
// numbers like "2 ± 12" that mean nothing. A membrane/fluidity probe labels every EV, so as a
// marker it would define no subtype. Names are all real data offers; simulations say what each
// channel images (ChannelParams.source), which is the ground truth.

export type ChannelNature = 'marker' | 'probe' | 'structure' | 'tracking' | 'unknown';
export type Role = 'marker' | 'probe' | 'skip';

const STRUCTURE = /caveol|clathrin|actin|tubulin|microtubul|vimentin|mitochond|structure/i;
const PROBE = /probe|fluid|lipid|membrane dye|\bDi[DILR]\b|PKH|MemBright|laurdan|nile red/i;
const MARKER = /\bCD\s?\d+|tetraspanin|syntenin|TSG101|ALIX|flotillin/i;

/** What a channel images: from the simulation's source when there is one, else from its name. */
export function channelNature(name: string, simSource?: string): ChannelNature {
  if (simSource !== undefined) {
    if (simSource === 'structures') return 'structure';
    if (simSource === 'evs') return 'tracking';
    if (simSource === 'probe') return 'probe';
    if (simSource === 'emitters') return 'unknown';
    return 'marker';
  }
  if (STRUCTURE.test(name)) return 'structure';
  if (PROBE.test(name)) return 'probe';
  if (MARKER.test(name)) return 'marker';
  return 'unknown';
}

/** The role a channel of this nature starts with. */
export function defaultRole(nature: ChannelNature): Role {
  if (nature === 'probe') return 'probe';
  if (nature === 'structure' || nature === 'tracking') return 'skip';
  return 'marker';
}

export interface RoleChannel {
  /** 0-based channel of the stack. */
  channel: number;
  name: string;
  role: Role;
  /** From the simulation, when the stack is simulated. */
  simSource?: string;
}

/** Every role assignment that makes no sense, as sentences; empty when all is well. */
export function roleProblems(channels: readonly RoleChannel[]): string[] {
  const out: string[] = [];
  const roles = new Map<number, Role[]>();
  for (const c of channels) {
    if (c.role === 'skip') continue;
    roles.set(c.channel, [...(roles.get(c.channel) ?? []), c.role]);
  }
  for (const [ch, rs] of roles)
    if (rs.length > 1)
      out.push(`Channel ${ch + 1} is given ${rs.length} roles (${rs.join(' and ')}): one role per channel.`);
  for (const c of channels) {
    if (c.role === 'skip') continue;
    const nature = channelNature(c.name, c.simSource);
    const label = `Channel ${c.channel + 1} ("${c.name}")`;
    if (nature === 'structure')
      out.push(
        `${label} images cell structures (PALM/dSTORM): its molecules blink all movie long instead of bleaching in steps on EVs, so it cannot be a ${c.role}. Set it to skip.`,
      );
    else if (nature === 'tracking')
      out.push(
        `${label} tracks moving EVs with a dye that does not bleach in steps: it cannot be counted as a ${c.role}. Set it to skip, or open a marker dataset.`,
      );
    else if (nature === 'probe' && c.role === 'marker')
      out.push(
        `${label} is a membrane/fluidity probe: it labels every EV, so as a marker it defines no subtype. Make it the probe.`,
      );
  }
  return out;
}
