// Text from files reaches the terminal with control and bidi characters escaped.
import { describe, expect, test } from 'vitest';
import { terminalField, terminalText } from '../../src/cli/terminalText';

describe('terminal-safe text', () => {
  test('fields escape every control, C1 and bidi override character, line breaks included', () => {
    expect(terminalField('a\u001b[2Jb\u0007c\u009bd\u202ee\nf\rg\u2066h')).toBe(
      'a\\u001b[2Jb\\u0007c\\u009bd\\u202ee\\u000af\\u000dg\\u2066h',
    );
    expect(terminalField('plain µm — 10 %')).toBe('plain µm — 10 %');
  });
  test('messages keep their own line breaks', () => {
    expect(terminalText('one\ntwo\u001b')).toBe('one\ntwo\\u001b');
  });
});
