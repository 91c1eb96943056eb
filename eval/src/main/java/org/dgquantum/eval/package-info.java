/**
 * Evaluation of a run: predictions ({@link org.dgquantum.eval.Prediction},
 * {@link org.dgquantum.eval.PredictionsCsv}), clinical metrics with stratified percentile bootstrap
 * intervals per model, per domain and overall ({@link org.dgquantum.eval.Evaluation}, the entry point;
 * its javadoc has the API summary), {@code metrics.json} and summary tables
 * ({@link org.dgquantum.eval.EvaluationReport}) and PNG plots ({@link org.dgquantum.eval.Plots}).
 */
package org.dgquantum.eval;
