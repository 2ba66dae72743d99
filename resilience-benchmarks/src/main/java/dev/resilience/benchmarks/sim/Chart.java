package dev.resilience.benchmarks.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A small line and point chart drawn with Java 2D only, so the report needs nothing but
 * the JDK (headless). Several charts can share one PNG as a grid of panels.
 */
public final class Chart {

	/** How a series is drawn. */
	public enum Style {

		LINE, DASHED, POINTS

	}

	private record Series(String label, Color color, Style style, double[] xs, double[] ys) {
	}

	private final String title;

	private final String xLabel;

	private final String yLabel;

	private final List<Series> series = new ArrayList<>();

	private double shadeFrom = Double.NaN;

	private double shadeTo = Double.NaN;

	private double yMax = Double.NaN;

	private Chart(String title, String xLabel, String yLabel) {
		this.title = title;
		this.xLabel = xLabel;
		this.yLabel = yLabel;
	}

	/**
	 * @param title shown above the plot
	 * @param xLabel the horizontal axis
	 * @param yLabel the vertical axis
	 * @return an empty chart
	 */
	public static Chart of(String title, String xLabel, String yLabel) {
		return new Chart(title, xLabel, yLabel);
	}

	/**
	 * @param label legend text
	 * @param color colour
	 * @param style how to draw it
	 * @param xs horizontal values
	 * @param ys vertical values, as many as {@code xs}
	 * @return this chart
	 */
	public Chart add(String label, Color color, Style style, double[] xs, double[] ys) {
		if (xs.length != ys.length) {
			throw new IllegalArgumentException("xs and ys must have the same length but had " + xs.length + ", "
					+ ys.length);
		}
		series.add(new Series(label, color, style, xs.clone(), ys.clone()));
		return this;
	}

	/**
	 * @param label legend text
	 * @param color colour
	 * @param style how to draw it
	 * @param step the horizontal distance between values, the first at {@code step}
	 * @param ys vertical values
	 * @return this chart
	 */
	public Chart add(String label, Color color, Style style, double step, double[] ys) {
		double[] xs = new double[ys.length];
		for (int i = 0; i < xs.length; i++) {
			xs[i] = (i + 1) * step;
		}
		return add(label, color, style, xs, ys);
	}

	/**
	 * Shades a horizontal span, such as the time the trigger lasts.
	 * @param from start
	 * @param to end
	 * @return this chart
	 */
	public Chart shade(double from, double to) {
		this.shadeFrom = from;
		this.shadeTo = to;
		return this;
	}

	/**
	 * @param yMax the top of the vertical axis instead of one fitted to the data
	 * @return this chart
	 */
	public Chart yMax(double yMax) {
		this.yMax = yMax;
		return this;
	}

	/**
	 * Writes charts as a grid of panels into one PNG.
	 * @param charts the panels, row by row
	 * @param columns panels per row
	 * @param panelWidth pixels
	 * @param panelHeight pixels
	 * @param file where to write
	 * @throws IOException when the file cannot be written
	 */
	public static void writeGrid(List<Chart> charts, int columns, int panelWidth, int panelHeight, Path file)
			throws IOException {
		int rows = (charts.size() + columns - 1) / columns;
		BufferedImage image = new BufferedImage(columns * panelWidth, rows * panelHeight, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, image.getWidth(), image.getHeight());
			for (int i = 0; i < charts.size(); i++) {
				charts.get(i).draw(g, (i % columns) * panelWidth, (i / columns) * panelHeight, panelWidth, panelHeight);
			}
		}
		finally {
			g.dispose();
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		ImageIO.write(image, "png", file.toFile());
	}

	private void draw(Graphics2D g, int left, int top, int width, int height) {
		Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
		g.setFont(plain.deriveFont(Font.BOLD, 13f));
		g.setColor(Color.BLACK);
		g.drawString(title, left + 12, top + 18);
		g.setFont(plain);
		FontMetrics metrics = g.getFontMetrics();
		int plotLeft = left + 58;
		int plotTop = top + 28;
		int plotRight = left + width - 14;
		int plotBottom = top + height - 62;
		double xMax = 0;
		double dataMax = 0;
		for (Series s : series) {
			for (int i = 0; i < s.xs.length; i++) {
				xMax = Math.max(xMax, s.xs[i]);
				if (Double.isFinite(s.ys[i])) {
					dataMax = Math.max(dataMax, s.ys[i]);
				}
			}
		}
		double yStep = tickStep(Double.isNaN(yMax) ? dataMax * 1.05 : yMax);
		double xStep = tickStep(xMax);
		Scale scale = new Scale(plotLeft, plotTop, plotRight, plotBottom, xStep * Math.ceil(xMax / xStep - 1e-9),
				yStep * Math.ceil((Double.isNaN(yMax) ? dataMax * 1.05 : yMax) / yStep - 1e-9), xStep, yStep);
		double top0 = scale.yMax;
		if (!Double.isNaN(shadeFrom)) {
			g.setColor(new Color(255, 228, 196));
			int x0 = scale.x(shadeFrom);
			g.fillRect(x0, plotTop, Math.max(1, scale.x(shadeTo) - x0), plotBottom - plotTop);
		}
		drawAxes(g, metrics, scale);
		Stroke solid = new BasicStroke(1.6f);
		Stroke dashed = new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] { 6f, 4f },
				0f);
		Shape clip = g.getClip();
		g.clipRect(plotLeft, plotTop - 2, plotRight - plotLeft + 1, plotBottom - plotTop + 4);
		for (Series s : series) {
			g.setColor(s.color);
			if (s.style == Style.POINTS) {
				for (int i = 0; i < s.xs.length; i++) {
					g.fillOval(scale.x(s.xs[i]) - 3, scale.y(s.ys[i]) - 3, 7, 7);
				}
				continue;
			}
			g.setStroke((s.style == Style.DASHED) ? dashed : solid);
			Path2D path = new Path2D.Double();
			for (int i = 0; i < s.xs.length; i++) {
				double y = Math.min(s.ys[i], top0 * 1.02);
				if (i == 0) {
					path.moveTo(scale.x(s.xs[i]), scale.y(y));
				}
				else {
					path.lineTo(scale.x(s.xs[i]), scale.y(y));
				}
			}
			g.draw(path);
		}
		g.setClip(clip);
		g.setStroke(new BasicStroke(1f));
		drawLegend(g, metrics, left + 12, top + height - 10);
	}

	private void drawAxes(Graphics2D g, FontMetrics metrics, Scale scale) {
		g.setStroke(new BasicStroke(1f));
		for (double value = 0; value <= scale.yMax * (1 + 1e-9); value += scale.yStep) {
			int y = scale.y(value);
			g.setColor(new Color(225, 225, 225));
			g.drawLine(scale.left, y, scale.right, y);
			g.setColor(Color.DARK_GRAY);
			String text = format(value);
			g.drawString(text, scale.left - 6 - metrics.stringWidth(text), y + 4);
		}
		for (double value = 0; value <= scale.xMax * (1 + 1e-9); value += scale.xStep) {
			int x = scale.x(value);
			g.setColor(Color.DARK_GRAY);
			g.drawLine(x, scale.bottom, x, scale.bottom + 4);
			String text = format(value);
			g.drawString(text, x - metrics.stringWidth(text) / 2, scale.bottom + 16);
		}
		g.setColor(Color.BLACK);
		g.drawRect(scale.left, scale.top, scale.right - scale.left, scale.bottom - scale.top);
		g.drawString(xLabel, (scale.left + scale.right) / 2 - metrics.stringWidth(xLabel) / 2, scale.bottom + 31);
		Graphics2D rotated = (Graphics2D) g.create();
		try {
			rotated.rotate(-Math.PI / 2);
			rotated.drawString(yLabel, -(scale.top + scale.bottom) / 2 - metrics.stringWidth(yLabel) / 2,
					scale.left - 44);
		}
		finally {
			rotated.dispose();
		}
	}

	private void drawLegend(Graphics2D g, FontMetrics metrics, int x, int baseline) {
		int cursor = x;
		for (Series s : series) {
			g.setColor(s.color);
			if (s.style == Style.POINTS) {
				g.fillOval(cursor + 6, baseline - 7, 7, 7);
			}
			else {
				g.fillRect(cursor, baseline - 5, 18, 3);
			}
			g.setColor(Color.BLACK);
			g.drawString(s.label, cursor + 22, baseline);
			cursor += 22 + metrics.stringWidth(s.label) + 14;
		}
	}

	private static String format(double value) {
		if (value == Math.rint(value)) {
			return String.valueOf((long) value);
		}
		return String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
	}

	/**
	 * @return the smallest step of 1, 2, 2.5 or 5 x 10^k that covers {@code max} in at
	 * most 6 ticks
	 */
	static double tickStep(double max) {
		if (!(max > 0)) {
			return 1;
		}
		double magnitude = Math.pow(10, Math.floor(Math.log10(max / 6)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * magnitude * 6 >= max * (1 - 1e-9)) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private record Scale(int left, int top, int right, int bottom, double xMax, double yMax, double xStep,
			double yStep) {

		int x(double value) {
			return left + (int) Math.round((right - left) * value / xMax);
		}

		int y(double value) {
			return bottom - (int) Math.round((bottom - top) * value / yMax);
		}

	}

}
