// A button that opens the system file chooser. The <input> stays in the DOM (visually hidden) so
// tests and assistive tools can reach it.
import { type ReactNode, useRef } from 'react';

/** Stacks and the sidecars that describe them (.inf for .dax, .yaml for .raw). */
export const STACK_ACCEPT = '.tif,.tiff,.btf,.tf8,.dax,.inf,.raw,.yaml,.yml';

interface Props {
  onFiles(files: File[]): void;
  children: ReactNode;
  className?: string;
  testId: string;
  disabled?: boolean;
  title?: string;
}

export function FileButton({ onFiles, children, className = 'btn', testId, disabled, title }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={disabled}
        title={title}
        onClick={() => input.current?.click()}
      >
        {children}
      </button>
      <input
        ref={input}
        className="sr-only"
        type="file"
        multiple
        accept={STACK_ACCEPT}
        tabIndex={-1}
        aria-hidden="true"
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          // Reset so choosing the same file again still fires a change.
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
