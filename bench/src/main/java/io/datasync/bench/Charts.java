package io.datasync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The PNG charts of a full run, drawn with XChart (headless). */
final class Charts {
    private Charts() {}

    /** Documents (or rows) per second of each stage and design, one bar each. */
    static void throughput(Path file, Map<String, Double> perSecond) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title("Initial load, seed size: documents per second (higher is better)").yAxisTitle("per second").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setDecimalPattern("#,###");
        chart.addSeries("per second", new ArrayList<>(perSecond.keySet()), new ArrayList<Number>(perSecond.values()));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }

    /** Commit → searchable p50/p95/p99 of the job at each rate. */
    static void freshness(Path file, List<Freshness.RateResult> rates, double goalMillis) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title(String.format("Commit → searchable by change rate (goal at 2,000/s: p99 ≤ %.0f ms)", goalMillis))
                .xAxisTitle("changes per second").yAxisTitle("milliseconds").build();
        List<String> x = rates.stream().map(r -> String.format("%,d", r.rate())).toList();
        chart.addSeries("p50", x, rates.stream().map(r -> (Number) r.searchable().get(Freshness.JOB_TARGET).p50()).toList());
        chart.addSeries("p95", x, rates.stream().map(r -> (Number) r.searchable().get(Freshness.JOB_TARGET).p95()).toList());
        chart.addSeries("p99", x, rates.stream().map(r -> (Number) r.searchable().get(Freshness.JOB_TARGET).p99()).toList());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    }
}
