// A benchmark case runs the same code in Node and in Chromium and returns named figures;
// the runner prints them side by side. Benchmarks report, they never pass or fail.
export type Figures = Record<string, number | string>;

export interface BenchCase {
  name: string;
  /** Where the case can run: some need Node's fs, some need a browser (workers, canvas). */
  where: ('node' | 'browser')[];
  run(log: (line: string) => void): Promise<Figures>;
  /** Figures whose names match are also printed as chromium ÷ node when both ran. */
  ratioOf?: RegExp;
}
