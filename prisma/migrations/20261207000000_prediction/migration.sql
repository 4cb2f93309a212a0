-- Predictions kept with the run (issue 15): the calibrated Monte-Carlo prediction made at launch
-- (median, p10, p90, each term, the model's inputs and their sources), as JSON, so the run page,
-- run.json and the archive can show it beside what happened. Null for runs launched before.
ALTER TABLE "Run" ADD COLUMN "prediction" TEXT;
