/**
 * Evaluation of a run: predictions ({@link org.dgquantum.trainer.eval.Prediction},
 * {@link org.dgquantum.trainer.eval.PredictionsCsv}), clinical metrics with stratified percentile bootstrap
 * intervals per model, per domain and overall ({@link org.dgquantum.trainer.eval.Evaluation}, the entry point;
 * its javadoc has the API summary), {@code metrics.json} and summary tables
 * ({@link org.dgquantum.trainer.eval.EvaluationReport}) and PNG plots ({@link org.dgquantum.trainer.eval.Plots}).
 */
package org.dgquantum.trainer.eval;
