// The analysis pipeline, in order. Only the steps that exist are usable; the others are listed
// so a newcomer sees where the workbench is heading, and say plainly that they are not there yet.
import { useData } from '../../state/dataStore';

const LATER = ['Localize', 'Post-process', 'Movie', 'Tracks & distances', 'EV markers', 'Session'];

export function Pipeline() {
  const count = useData((s) => s.stacks.length);
  const loading = useData((s) => s.loading);
  const dataState = loading ? 'loading…' : count === 0 ? 'no data' : `${count} loaded`;
  return (
    <nav aria-label="Pipeline">
      <ol className="pipeline">
        <li>
          <button
            type="button"
            className={`step ${count > 0 ? 'done' : ''}`}
            aria-current="step"
            title="Data: open stacks, add channels, correct metadata"
            // The Data panel is always open below: take the keyboard there.
            onClick={() => document.querySelector<HTMLElement>('[data-step-panel=data] button')?.focus()}
          >
            Data <span className="state">{dataState}</span>
          </button>
        </li>
        {LATER.map((name) => (
          <li key={name}>
            <button
              type="button"
              className="step"
              aria-disabled="true"
              // Out of the tab order: seven stops before the first usable control is too many.
              tabIndex={-1}
              title={`${name}: not available yet`}
              onClick={(e) => e.preventDefault()}
            >
              {name} <span className="state">not available yet</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
