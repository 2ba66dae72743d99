package dev.resilience.autoconfigure.circuitbreaker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint.CircuitBreakerDetailsDescriptor;
import dev.resilience.autoconfigure.actuate.CircuitBreakersEndpoint.FleetDescriptor;
import dev.resilience.autoconfigure.actuate.ResilienceEndpointsAutoConfiguration;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerState;
import dev.resilience.core.circuitbreaker.fleet.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.fleet.FleetOutcomeStore;
import dev.resilience.core.circuitbreaker.fleet.FleetStoreException;
import dev.resilience.core.circuitbreaker.fleet.InMemoryFleetOutcomeStore;

/**
 * Fleet breakers in an application: two application contexts sharing one store stand for
 * two instances of a service.
 */
class CircuitBreakerFleetAutoConfigurationTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.100Z");

	private final InMemoryFleetOutcomeStore store = new InMemoryFleetOutcomeStore();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				CircuitBreakerFleetAutoConfiguration.class, ResilienceEndpointsAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers",
				"resilience.instances.payments.circuit-breaker.minimum-calls=20",
				"resilience.instances.payments.circuit-breaker.consecutive-failure-threshold=0",
				"resilience.instances.inventory.circuit-breaker.minimum-calls=20",
				"resilience.instances.inventory.circuit-breaker.consecutive-failure-threshold=0");

	private final ApplicationContextRunner instance = this.runner
		.withBean(FleetOutcomeStore.class, () -> this.store)
		.withBean(Clock.class, () -> Clock.fixed(NOW, ZoneOffset.UTC))
		.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true",
				// These tests exchange by hand; the early exchanges have a test of their own.
				"resilience.fleet.exchange-on-failure=false");

	@Test
	void withoutFleetBreakersNothingIsCreated() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(CircuitBreakerFleet.class);
			assertThat(context).doesNotHaveBean(CircuitBreakerFleetSync.class);
		});
	}

	@Test
	void failuresTooFewForEitherInstanceOpenTheBreakerOfBoth() {
		this.instance.run((first) -> this.instance.run((second) -> {
			fail(first, "payments", 12);
			fail(second, "payments", 12);
			fleet(first).sync();
			fleet(second).sync();
			assertThat(breaker(first, "payments").state()).isEqualTo(CircuitBreakerState.CLOSED);
			assertThat(breaker(second, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);
			fleet(first).sync();
			assertThat(breaker(first, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);

			CircuitBreakerDetailsDescriptor details = first.getBean(CircuitBreakersEndpoint.class)
				.circuitBreaker("payments");
			assertThat(details.fleet()).usingRecursiveComparison()
				.ignoringFields("held", "probing")
				.isEqualTo(new FleetDescriptor(24, 24, 0, 100.0, 0.0, true, 1, 2, 0, 0, NOW, null, false, false));
			// Opened by the fleet: either held open for the fleet's probes or drawn to probe.
			assertThat(details.fleet().held() ^ details.fleet().probing()).isTrue();
		}));
	}

	@Test
	void metersCountTripsAndFailedExchanges() {
		FleetOutcomeStore failing = (name, bucketMillis, bucket, added, buckets) -> {
			throw new FleetStoreException("unreachable", null);
		};
		this.runner.withBean(SimpleMeterRegistry.class)
			.withBean(FleetOutcomeStore.class, () -> failing)
			.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				fleet(context).sync();
				fleet(context).sync();
				assertThat(meters.get("resilience.circuitbreaker.fleet.exchange.failures")
					.tag("name", "payments")
					.functionCounter()
					.count()).isEqualTo(2);
				assertThat(meters.get("resilience.circuitbreaker.fleet.trips")
					.tag("name", "payments")
					.functionCounter()
					.count()).isZero();
				assertThat(meters.find("resilience.circuitbreaker.fleet.trips").tag("name", "inventory").meter())
					.isNull();
			});
		ApplicationContextRunner metered = this.instance.withBean(SimpleMeterRegistry.class);
		metered.run((first) -> metered.run((second) -> {
			fail(first, "payments", 12);
			fail(second, "payments", 12);
			fleet(first).sync();
			fleet(second).sync();
			assertThat(second.getBean(MeterRegistry.class)
				.get("resilience.circuitbreaker.fleet.trips")
				.tag("name", "payments")
				.functionCounter()
				.count()).isEqualTo(1);
		}));
	}

	@Test
	void onlyBreakersWithFleetShareTheirOutcomes() {
		this.instance.run((first) -> this.instance.run((second) -> {
			fail(first, "inventory", 12);
			fail(second, "inventory", 12);
			fleet(first).sync();
			fleet(second).sync();
			assertThat(fleet(first).isMember("payments")).isTrue();
			assertThat(fleet(first).isMember("inventory")).isFalse();
			assertThat(breaker(second, "inventory").state()).isEqualTo(CircuitBreakerState.CLOSED);
			assertThat(first.getBean(CircuitBreakersEndpoint.class).circuitBreaker("inventory").fleet()).isNull();
		}));
	}

	@Test
	void fleetInTheDefaultsAppliesToEveryInstanceThatDoesNotTurnItOff() {
		this.runner.withBean(FleetOutcomeStore.class, () -> this.store)
			.withPropertyValues("resilience.defaults.circuit-breaker.fleet=true",
					"resilience.instances.inventory.circuit-breaker.fleet=false")
			.run((context) -> {
				assertThat(fleet(context).isMember("payments")).isTrue();
				assertThat(fleet(context).isMember("inventory")).isFalse();
				// A breaker first created by a call, not in the properties, inherits the default.
				context.getBean(ResilienceRegistry.class).circuitBreaker("shipping");
				assertThat(fleet(context).isMember("shipping")).isTrue();
			});
	}

	@Test
	void withoutAStoreTheBreakersShareWithinThisJvmOnly() {
		this.runner.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CircuitBreakerFleetSync.class).storeDescription()).contains("this JVM only");
			assertThat(fleet(context).isMember("payments")).isTrue();
		});
	}

	@Test
	void theOutcomesAreExchangedEverySyncIntervalWhileTheApplicationRuns() {
		this.runner.withBean(FleetOutcomeStore.class, () -> this.store)
			.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true",
					"resilience.fleet.sync-interval=20ms")
			.run((first) -> this.runner.withBean(FleetOutcomeStore.class, () -> this.store)
				.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true",
						"resilience.fleet.sync-interval=20ms")
				.run((second) -> {
					assertThat(first.getBean(CircuitBreakerFleetSync.class).isRunning()).isTrue();
					assertThat(fleet(first).syncInterval()).isEqualTo(Duration.ofMillis(20));
					// All within one bucket of 20 ms, or not: the fleet's window reaches back 10 s.
					fail(first, "payments", 12);
					fail(second, "payments", 12);
					long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
					while ((breaker(first, "payments").state() != CircuitBreakerState.OPEN
							|| breaker(second, "payments").state() != CircuitBreakerState.OPEN)
							&& System.nanoTime() < deadline) {
						Thread.sleep(10);
					}
					assertThat(breaker(first, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);
					assertThat(breaker(second, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);
				}));
	}

	@Test
	void aFailedCallExchangesAtOnceWithoutWaitingForTheInterval() {
		ApplicationContextRunner hourly = this.runner.withBean(FleetOutcomeStore.class, () -> this.store)
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true",
					"resilience.fleet.sync-interval=1h");
		hourly.run((first) -> hourly.run((second) -> {
			fail(first, "payments", 20);
			fleet(first).sync(); // whatever the early exchange has not sent yet
			fail(second, "payments", 1); // too few to open it on its own
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (breaker(second, "payments").state() != CircuitBreakerState.OPEN && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(breaker(second, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);
			assertThat(fleet(second).view("payments").orElseThrow().window().failedCalls()).isEqualTo(21);
			MeterRegistry meters = second.getBean(MeterRegistry.class);
			assertThat(meters.get("resilience.circuitbreaker.fleet.exchanges")
				.tags("name", "payments", "kind", "early")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(meters.get("resilience.circuitbreaker.fleet.exchanges")
				.tags("name", "payments", "kind", "scheduled")
				.functionCounter()
				.count()).isZero();
			fleet(second).sync();
			assertThat(meters.get("resilience.circuitbreaker.fleet.exchanges")
				.tags("name", "payments", "kind", "scheduled")
				.functionCounter()
				.count()).isEqualTo(1);
		}));
	}

	@Test
	void withoutExchangeOnFailureAFailedCallWaitsForTheInterval() {
		ApplicationContextRunner hourly = this.runner.withBean(FleetOutcomeStore.class, () -> this.store)
			.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=true",
					"resilience.fleet.sync-interval=1h", "resilience.fleet.exchange-on-failure=false");
		hourly.run((first) -> hourly.run((second) -> {
			fail(first, "payments", 20);
			fleet(first).sync();
			fail(second, "payments", 1);
			Thread.sleep(300);
			assertThat(breaker(second, "payments").state()).isEqualTo(CircuitBreakerState.CLOSED);
			fleet(second).sync();
			assertThat(breaker(second, "payments").state()).isEqualTo(CircuitBreakerState.OPEN);
		}));
	}

	@Test
	void stopsExchangingWhenTheApplicationStops() {
		CircuitBreakerFleetSync[] sync = new CircuitBreakerFleetSync[1];
		this.instance.run((context) -> sync[0] = context.getBean(CircuitBreakerFleetSync.class));
		assertThat(sync[0].isRunning()).isFalse();
	}

	@Test
	void aSyncIntervalBelowOneMillisecondStopsStartUp() {
		this.instance.withPropertyValues("resilience.fleet.sync-interval=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("resilience.fleet.sync-interval")
				.hasMessageContaining("must be at least 1ms");
		});
	}

	@Test
	void aFleetFlagThatIsNotABooleanStopsStartUp() {
		this.runner.withPropertyValues("resilience.instances.payments.circuit-breaker.fleet=sometimes")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("circuit-breaker.fleet")
					.hasStackTraceContaining("sometimes");
			});
	}

	@Test
	void anUnknownStoreStopsStartUp() {
		this.instance.withPropertyValues("resilience.fleet.store=etcd").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("resilience.fleet.store")
				.hasStackTraceContaining("etcd");
		});
	}

	private static CircuitBreakerFleet fleet(AssertableApplicationContext context) {
		return context.getBean(CircuitBreakerFleet.class);
	}

	private static CircuitBreaker breaker(AssertableApplicationContext context, String name) {
		return context.getBean(ResilienceRegistry.class).circuitBreaker(name);
	}

	private static void fail(AssertableApplicationContext context, String name, int calls) {
		CircuitBreaker breaker = breaker(context, name);
		for (int i = 0; i < calls; i++) {
			breaker.acquirePermission().onError(0, new IOException("down"));
		}
	}

}
