// A button that saves a table as a CSV file; the text is made when it is clicked.
import type { ReactNode } from 'react';
import { downloadText } from './download';

export function DownloadButton(p: {
  file: string;
  text: () => string;
  className?: string;
  title?: string;
  testId?: string;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <button
      type="button"
      className={p.className ?? 'btn small'}
      title={p.title}
      data-testid={p.testId}
      disabled={p.disabled}
      onClick={() => downloadText(p.file, p.text())}
    >
      {p.children ?? 'CSV'}
    </button>
  );
}
