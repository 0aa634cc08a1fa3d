// What a session carries of the two-colour registration: per stack, each channel's affine onto
// channel 0 with its source, quality and beads. Each channel is checked on its own, so one bad
// affine (singular, implausible) is left out with a warning and the others come back.
import { ChannelRegistrationSchema } from '../core/registration/schema';
import { issueLine, text, v } from '../core/schema';
import type { Json } from '../core/session/index';
import { type ChannelRegistration, registrationStore } from './registrationStore';
import { registerSessionPart } from './sessionPart';

const RegistrationSectionSchema = v.object({
  /** Session stack id → its channels' registrations (checked one by one in `restore`). */
  stacks: v.record(text(64), v.pipe(v.array(v.unknown()), v.maxLength(64))),
});

registerSessionPart({
  key: 'registration',
  scope: 'workbench',
  schema: RegistrationSectionSchema,
  defaults: () => ({ stacks: {} }),
  capture(ctx) {
    const stacks: Record<string, Json> = {};
    for (const [id, channels] of Object.entries(registrationStore.getState().byStack)) {
      const sid = ctx.stackIds.get(Number(id));
      const regs = Object.values(channels);
      if (sid !== undefined && regs.length) stacks[sid] = JSON.parse(JSON.stringify(regs)) as Json;
    }
    return Object.keys(stacks).length ? { stacks } : undefined;
  },
  restore(section, ctx) {
    const byStack: Record<number, Record<number, ChannelRegistration>> = {};
    for (const [sid, regs] of Object.entries(section?.stacks ?? {})) {
      const info = ctx.live.get(sid);
      if (!info) continue;
      const channels: Record<number, ChannelRegistration> = {};
      regs.forEach((raw, k) => {
        const r = v.safeParse(ChannelRegistrationSchema, raw);
        if (r.success) channels[r.output.channel] = r.output;
        else
          ctx.warn(
            `${issueLine(r.issues[0], `registration.stacks.${sid}[${k}]`)}: this channel is not registered`,
          );
      });
      byStack[info.id] = channels;
    }
    registrationStore.getState().restore({ byStack });
  },
  reset: () => registrationStore.getState().restore({ byStack: {} }),
});
