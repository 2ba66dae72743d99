package dev.resilience.benchmarks.sim;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ChartTests {

	static {
		System.setProperty("java.awt.headless", "true");
	}

	@Test
	void writesAGridOfPanelsAsOnePng(@TempDir Path directory) throws Exception {
		Chart first = Chart.of("first", "x", "y")
			.shade(2, 3)
			.add("line", Color.RED, Chart.Style.LINE, 1, new double[] { 1, 4, 2, 8 });
		Chart second = Chart.of("second", "x", "y")
			.add("points", Color.BLUE, Chart.Style.POINTS, new double[] { 0, 0.5, 1 }, new double[] { 1, 2, 3 });
		Path file = directory.resolve("grid.png");
		Chart.writeGrid(List.of(first, second), 2, 300, 200, file);
		BufferedImage image = ImageIO.read(file.toFile());
		assertThat(image.getWidth()).isEqualTo(600);
		assertThat(image.getHeight()).isEqualTo(200);
		assertThat(countPixels(image, Color.RED.getRGB())).isPositive();
		assertThat(countPixels(image, Color.BLUE.getRGB())).isPositive();
	}

	@Test
	void tickStepsAreRoundNumbers() {
		assertThat(Chart.tickStep(120)).isEqualTo(20);
		assertThat(Chart.tickStep(1)).isEqualTo(0.2);
		assertThat(Chart.tickStep(1800)).isEqualTo(500);
	}

	private static int countPixels(BufferedImage image, int rgb) {
		int count = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				if (image.getRGB(x, y) == rgb) {
					count++;
				}
			}
		}
		return count;
	}

}
