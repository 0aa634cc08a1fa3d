// Text from files (titles, names, metadata, messages quoting them) printed to a terminal: control
// characters would let a stranger's file move the cursor, rewrite lines or retitle the window, and
// bidirectional overrides would let it disguise what it says. They are shown as \u escapes.

function unsafe(c: number, keepNewline: boolean): boolean {
  if (c === 10) return !keepNewline;
  return (
    c < 32 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

function escapeUnsafe(s: string, keepNewline: boolean): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!unsafe(c, keepNewline)) continue;
    out += `${s.slice(from, i)}\\u${c.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

/** One field (a title, a name): line breaks are escaped too, so it cannot fake extra lines. */
export function terminalField(s: string): string {
  return escapeUnsafe(s, false);
}

/** A whole message of our own making: its line breaks stay, everything else unsafe is escaped. */
export function terminalText(s: string): string {
  return escapeUnsafe(s, true);
}

/** A reader's warning on stderr, where scripts and people both see it. */
export function warnOnStderr(message: string): void {
  console.error(terminalField(`warning: ${message}`));
}
