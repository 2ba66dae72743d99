package dev.resilience.autoconfigure.slo;

import java.util.concurrent.CompletableFuture;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.aop.ResilienceAopAutoConfiguration;
import dev.resilience.core.slo.ErrorBudgetReport;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Asynchronous and reactive methods count in the error budget like synchronous ones: one
 * event per call (per subscription for Mono and Flux), recorded when the outcome arrives,
 * before any fallback.
 */
class AsyncErrorBudgetTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
				ResilienceAopAutoConfiguration.class, ErrorBudgetAutoConfiguration.class))
		.withUserConfiguration(GatewayConfiguration.class)
		.withPropertyValues("resilience.instances.payments.slo.objective=99");

	@Test
	void completionStageOutcomesAreEventsWhenTheyArrive() {
		this.runner.run((context) -> {
			Gateway gateway = context.getBean(Gateway.class);
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> call = gateway.stage(pending);
			assertThat(report(context).events()).as("nothing recorded before the outcome").isZero();
			pending.completeExceptionally(new IllegalStateException("down"));
			assertThat(catchThrowable(call::join)).hasRootCauseInstanceOf(IllegalStateException.class);
			gateway.stage(CompletableFuture.completedFuture("ok")).join();

			ErrorBudgetReport report = report(context);
			assertThat(report.events()).isEqualTo(2);
			assertThat(report.badEvents()).isEqualTo(1);
		});
	}

	@Test
	void eachMonoSubscriptionIsOneEvent() {
		this.runner.run((context) -> {
			Gateway gateway = context.getBean(Gateway.class);
			Mono<String> ok = gateway.mono(false);
			assertThat(report(context).events()).as("a Mono calls at subscription").isZero();
			assertThat(ok.block()).isEqualTo("ok");
			assertThat(ok.block()).isEqualTo("ok");
			assertThat(catchThrowable(() -> gateway.mono(true).block())).isInstanceOf(IllegalStateException.class);

			ErrorBudgetReport report = report(context);
			assertThat(report.events()).isEqualTo(3);
			assertThat(report.badEvents()).isEqualTo(1);
		});
	}

	@Test
	void fluxIsGoodWhenItCompletesAndBadWhenItFailsEvenIfTheFallbackRescuesIt() {
		this.runner.run((context) -> {
			Gateway gateway = context.getBean(Gateway.class);
			assertThat(gateway.flux(false).collectList().block()).containsExactly("a", "b");
			assertThat(gateway.fluxOrDefault(true).collectList().block()).containsExactly("default");

			ErrorBudgetReport report = report(context);
			assertThat(report.events()).isEqualTo(2);
			assertThat(report.badEvents()).isEqualTo(1);
		});
	}

	private static ErrorBudgetReport report(org.springframework.context.ApplicationContext context) {
		return context.getBean(ErrorBudgetRegistry.class).find("payments").orElseThrow().report();
	}

	@Configuration(proxyBeanMethods = false)
	static class GatewayConfiguration {

		@Bean
		Gateway gateway() {
			return new Gateway();
		}

	}

	static class Gateway {

		@CircuitBreaker("payments")
		public CompletableFuture<String> stage(CompletableFuture<String> outcome) {
			return outcome;
		}

		@CircuitBreaker("payments")
		public Mono<String> mono(boolean fail) {
			return fail ? Mono.error(new IllegalStateException("down")) : Mono.just("ok");
		}

		@CircuitBreaker("payments")
		public Flux<String> flux(boolean fail) {
			return fail ? Flux.error(new IllegalStateException("down")) : Flux.just("a", "b");
		}

		@CircuitBreaker(value = "payments", fallbackMethod = "defaultFlux")
		public Flux<String> fluxOrDefault(boolean fail) {
			return flux(fail);
		}

		Flux<String> defaultFlux(boolean fail, Throwable cause) {
			return Flux.just("default");
		}

	}

}
