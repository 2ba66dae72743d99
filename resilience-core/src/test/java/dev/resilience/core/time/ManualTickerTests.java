package dev.resilience.core.time;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ManualTickerTests {

	@Test
	void advancesOnlyWhenTold() {
		ManualTicker ticker = ManualTicker.create();
		assertThat(ticker.read()).isZero();
		ticker.advance(Duration.ofMillis(3));
		assertThat(ticker.read()).isEqualTo(3_000_000);
	}

	@Test
	void sleepingAdvancesTimeInsteadOfWaiting() {
		ManualTicker ticker = ManualTicker.startingAt(10);
		ticker.sleep(Duration.ofHours(1).toNanos());
		assertThat(ticker.read()).isEqualTo(10 + Duration.ofHours(1).toNanos());
		ticker.sleep(-5);
		assertThat(ticker.read()).isEqualTo(10 + Duration.ofHours(1).toNanos());
	}

	@Test
	void neverMovesBackwards() {
		ManualTicker ticker = ManualTicker.startingAt(100);
		assertThatIllegalArgumentException().isThrownBy(() -> ticker.advance(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> ticker.setTo(99));
		assertThat(ticker.setTo(200).read()).isEqualTo(200);
	}

	@Test
	void systemTickerIsMonotonic() {
		Ticker ticker = Ticker.system();
		long first = ticker.read();
		assertThat(ticker.read()).isGreaterThanOrEqualTo(first);
	}

}
