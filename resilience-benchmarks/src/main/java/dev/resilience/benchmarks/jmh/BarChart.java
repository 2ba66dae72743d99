package dev.resilience.benchmarks.jmh;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A horizontal bar chart drawn with Java 2D only (headless), one bar per labelled value,
 * with an optional error whisker. Several charts can share one PNG side by side.
 */
final class BarChart {

	private record Bar(String label, double value, double error, Color color) {
	}

	private static final int ROW_HEIGHT = 24;

	private final String title;

	private final String unit;

	private final List<Bar> bars = new ArrayList<>();

	private BarChart(String title, String unit) {
		this.title = title;
		this.unit = unit;
	}

	static BarChart of(String title, String unit) {
		return new BarChart(title, unit);
	}

	BarChart bar(String label, double value, double error, Color color) {
		// A single measurement iteration has no error (NaN); drawn as none, so that it cannot spoil the scale.
		bars.add(new Bar(label, value, Double.isFinite(error) ? error : 0, color));
		return this;
	}

	/**
	 * Writes the charts side by side into one PNG.
	 */
	static void writeRow(List<BarChart> charts, int panelWidth, Path file) throws IOException {
		int rows = charts.stream().mapToInt((chart) -> chart.bars.size()).max().orElse(1);
		int panelHeight = 60 + rows * ROW_HEIGHT + 30;
		BufferedImage image = new BufferedImage(charts.size() * panelWidth, panelHeight, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, image.getWidth(), image.getHeight());
			for (int i = 0; i < charts.size(); i++) {
				charts.get(i).draw(g, i * panelWidth, panelWidth, panelHeight);
			}
		}
		finally {
			g.dispose();
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		ImageIO.write(image, "png", file.toFile());
	}

	private void draw(Graphics2D g, int left, int width, int height) {
		Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
		g.setFont(plain.deriveFont(Font.BOLD, 13f));
		g.setColor(Color.BLACK);
		g.drawString(title, left + 12, 20);
		g.setFont(plain);
		FontMetrics metrics = g.getFontMetrics();
		int labelWidth = 0;
		for (Bar bar : bars) {
			labelWidth = Math.max(labelWidth, metrics.stringWidth(bar.label));
		}
		int plotLeft = left + 12 + labelWidth + 8;
		int plotRight = left + width - 70;
		int plotTop = 36;
		double max = 0;
		for (Bar bar : bars) {
			max = Math.max(max, bar.value + Math.max(0, bar.error));
		}
		double scale = (max > 0) ? (plotRight - plotLeft) / max : 1;
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			int y = plotTop + i * ROW_HEIGHT;
			g.setColor(Color.BLACK);
			g.drawString(bar.label, plotLeft - 8 - metrics.stringWidth(bar.label), y + 15);
			int length = (int) Math.round(bar.value * scale);
			g.setColor(bar.color);
			g.fillRect(plotLeft, y + 4, Math.max(1, length), ROW_HEIGHT - 8);
			if (bar.error > 0) {
				int low = plotLeft + (int) Math.round(Math.max(0, bar.value - bar.error) * scale);
				int high = plotLeft + (int) Math.round((bar.value + bar.error) * scale);
				g.setColor(Color.DARK_GRAY);
				g.setStroke(new BasicStroke(1f));
				g.drawLine(low, y + ROW_HEIGHT / 2, high, y + ROW_HEIGHT / 2);
				g.drawLine(low, y + 7, low, y + ROW_HEIGHT - 7);
				g.drawLine(high, y + 7, high, y + ROW_HEIGHT - 7);
			}
			g.setColor(Color.BLACK);
			String value = String.format(Locale.ROOT, "%.1f", bar.value);
			int textX = plotLeft + Math.max(length, (int) Math.round((bar.value + Math.max(0, bar.error)) * scale)) + 6;
			g.drawString(value, textX, y + 15);
		}
		g.setColor(Color.DARK_GRAY);
		g.drawLine(plotLeft, plotTop, plotLeft, plotTop + bars.size() * ROW_HEIGHT);
		g.drawString(unit, plotLeft, height - 12);
	}

}
