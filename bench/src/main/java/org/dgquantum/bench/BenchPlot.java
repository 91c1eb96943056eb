package org.dgquantum.bench;

import org.dgquantum.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The benchmark plot of docs/benchmarks.md: microseconds per sample against qubits (log scale), one
 * line per backend and method, for one precision. Each point is the largest batch measured at that
 * size; the Java backend is shown with its most threads, like the "vs java" column of the table.
 */
public final class BenchPlot {
    private BenchPlot() {
    }

    /** The series of the plot: "backend method" -> (qubits -> us/sample). */
    static Map<String, TreeMap<Integer, Double>> series(List<BenchResult> results, String precision) {
        Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
        Map<String, BenchResult> chosen = new TreeMap<>();
        Comparator<BenchResult> better = Comparator.comparingInt(BenchResult::batch).thenComparingInt(BenchResult::threads);
        for (BenchResult r : results) {
            if (!r.precision().equals(precision)) {
                continue;
            }
            String key = r.backend() + " " + r.method() + "|" + r.qubits();
            BenchResult old = chosen.get(key);
            if (old == null || better.compare(r, old) > 0) {
                chosen.put(key, r);
            }
        }
        for (BenchResult r : chosen.values()) {
            series.computeIfAbsent(r.backend() + " " + r.method(), k -> new TreeMap<>()).put(r.qubits(), r.usPerSample());
        }
        return series;
    }

    /** Writes the PNG (atomically: temporary file, then rename). */
    public static void write(BenchReport report, String precision, Path png) throws IOException {
        Map<String, TreeMap<Integer, Double>> series = series(report.results(), precision);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no " + precision + " results to plot");
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("dgquantum backends, " + precision + " (largest batch per size)")
                .xAxisTitle("qubits").yAxisTitle("microseconds per sample").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, TreeMap<Integer, Double>> e : series.entrySet()) {
            List<Integer> x = new ArrayList<>(e.getValue().keySet());
            List<Double> y = new ArrayList<>(e.getValue().values());
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
