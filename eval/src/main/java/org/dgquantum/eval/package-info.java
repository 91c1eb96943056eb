/**
 * Evaluation of a run: predictions ({@link org.dgquantum.eval.Prediction},
 * {@link org.dgquantum.eval.PredictionsCsv}), clinical metrics with stratified percentile bootstrap
 * intervals per model, per domain and overall ({@link org.dgquantum.eval.Evaluation}, the entry point;
 * its javadoc has the API summary), {@code metrics.json} and summary tables
 * ({@link org.dgquantum.eval.EvaluationReport}) and PNG plots ({@link org.dgquantum.eval.Plots}); comparisons of
 * models on the same test images: DeLong's AUC test ({@link org.dgquantum.eval.DeLong}), paired bootstrap differences
 * of every metric ({@link org.dgquantum.eval.PairedComparison}) and the spread of accuracy across domains
 * ({@link org.dgquantum.eval.DomainSpread}).
 */
package org.dgquantum.eval;
