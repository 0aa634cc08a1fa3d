// CSV of the Experiment step's tables: the same writers as `evscope aggregate`, so the browser's
// CSVs and the CLI's are the same bytes for the same summaries.
export { cellsCsv, conditionsCsv, inputsCsv, testsCsv } from '../../core/experiment/tables';
