// The general result-table CSV writer moved to src/core/io/resultCsv.ts; these names stay for
// existing imports.
export {
  type ColumnarTable,
  formatNumber,
  type ResultCsvOptions as CsvOptions,
  writeResultCsv as writeCsv,
} from '../io/resultCsv';
