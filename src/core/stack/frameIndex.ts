// Argument checks every FrameSource shares, so all readers reject bad indices the same way.
import { StackError } from './types';

export function checkFrameArgs(
  name: string,
  frameCount: number,
  channels: number,
  index: number,
  channel: number,
): void {
  if (!Number.isInteger(index) || index < 0 || index >= frameCount) {
    throw new StackError(
      name,
      `frame index ${index} out of range (the stack has ${frameCount} frames, 0-based)`,
    );
  }
  if (!Number.isInteger(channel) || channel < 0 || channel >= channels) {
    throw new StackError(name, `channel ${channel} out of range (the stack has ${channels} channels)`);
  }
}

/** "frame 12" or "frame 12, channel 2" (1-based, as users count) for error messages. */
export function frameLabel(index: number, channel: number, channels: number): string {
  return channels > 1 ? `frame ${index + 1}, channel ${channel + 1}` : `frame ${index + 1}`;
}
