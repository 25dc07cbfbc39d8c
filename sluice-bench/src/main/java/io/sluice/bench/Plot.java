package io.sluice.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One metric's PNG: the value of each run, the median and the target line. */
final class Plot {
  private Plot() {}

  static void write(Metric m, List<Double> values, double median, boolean quick, Path png)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title(
                m.name()
                    + ": median "
                    + Metric.format(median)
                    + " "
                    + m.unit()
                    + ", target "
                    + m.target()
                    + " "
                    + m.unit()
                    + (quick ? " (quick run)" : ""))
            .xAxisTitle("run")
            .yAxisTitle(m.unit())
            .build();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);

    double[] x = IntStream.rangeClosed(1, values.size()).asDoubleStream().toArray();
    double[] y = values.stream().mapToDouble(Double::doubleValue).toArray();
    double[] span = {0.5, values.size() + 0.5};

    XYSeries runs = chart.addSeries("runs", x, y);
    runs.setMarker(SeriesMarkers.CIRCLE);
    runs.setLineStyle(new BasicStroke(0f));
    runs.setMarkerColor(new Color(31, 119, 180));

    XYSeries med = chart.addSeries("median", span, new double[] {median, median});
    med.setMarker(SeriesMarkers.NONE);
    med.setLineColor(new Color(31, 119, 180));
    med.setLineStyle(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));

    double t = m.target().value();
    XYSeries target =
        chart.addSeries("target " + m.target() + " " + m.unit(), span, new double[] {t, t});
    target.setMarker(SeriesMarkers.NONE);
    target.setLineColor(m.target().met(median) ? new Color(44, 160, 44) : new Color(214, 39, 40));
    target.setLineStyle(new BasicStroke(2f));

    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapFormat.PNG);
  }
}
