package dev.resilience.autoconfigure.slo;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.core.slo.ErrorBudgetReport;
import dev.resilience.core.time.ManualTicker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * HTTP objectives count the requests of their routes: from request observations when
 * there is an observation registry, from a filter otherwise.
 */
class HttpErrorBudgetsTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ErrorBudgetAutoConfiguration.class,
				HttpErrorBudgetAutoConfiguration.class))
		.withUserConfiguration(WebConfiguration.class)
		.withPropertyValues("resilience.slo.http.orders-read.path=/orders/**",
				"resilience.slo.http.orders-read.method=GET", "resilience.slo.http.orders-read.objective=99",
				"resilience.slo.http.orders-read.latency-threshold=1s", "resilience.slo.http.everything.path=/**");

	@Test
	void requestObservationsFeedTheObjectives() {
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasSingleBean(HttpErrorBudgetObservationHandler.class)
				.doesNotHaveBean("httpErrorBudgetFilter");
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(new ServerHttpObservationFilter(context.getBean(ObservationRegistry.class)))
				.build();

			sendRequests(mvc);

			assertCounts(context);
		});
	}

	@Test
	void withoutObservationsAFilterFeedsTheObjectives() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(HttpErrorBudgetObservationHandler.class);
			FilterRegistrationBean<?> registration = context.getBean("httpErrorBudgetFilter",
					FilterRegistrationBean.class);
			assertThat(registration.isEnabled()).isTrue();
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters((Filter) registration.getFilter())
				.build();

			sendRequests(mvc);

			assertCounts(context);
		});
	}

	@Test
	void pathsAreMatchedWithinTheContextPath() {
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class)).run((context) -> {
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(new ServerHttpObservationFilter(context.getBean(ObservationRegistry.class)))
				.build();

			mvc.perform(get("/shop/orders/1").contextPath("/shop"));

			assertThat(report(context, "orders-read").events()).isEqualTo(1);
		});
	}

	@Test
	void withoutHttpObjectivesNothingIsObservedOrFiltered() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ErrorBudgetAutoConfiguration.class, HttpErrorBudgetAutoConfiguration.class))
			.run((context) -> {
				assertThat(context.getBean(HttpErrorBudgets.class).isEmpty()).isTrue();
				assertThat(context.getBean("httpErrorBudgetFilter", FilterRegistrationBean.class).isEnabled())
					.isFalse();
				assertThat(context.getBean(ErrorBudgetRegistry.class).errorBudgets()).isEmpty();
			});
	}

	@Test
	void notConfiguredOutsideAServletApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
					ErrorBudgetAutoConfiguration.class, HttpErrorBudgetAutoConfiguration.class))
			.withPropertyValues("resilience.slo.http.api.path=/api/**")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(HttpErrorBudgets.class));
	}

	private static void sendRequests(MockMvc mvc) throws Exception {
		mvc.perform(get("/orders/1"));
		mvc.perform(get("/orders/slow"));
		mvc.perform(get("/orders/unavailable"));
		mvc.perform(get("/orders/missing"));
		mvc.perform(post("/orders"));
		mvc.perform(get("/other"));
		assertThatException().isThrownBy(() -> mvc.perform(get("/orders/boom")))
			.withRootCauseInstanceOf(IllegalStateException.class);
	}

	private static void assertCounts(AssertableWebApplicationContext context) {
		ErrorBudgetReport ordersRead = report(context, "orders-read");
		assertThat(ordersRead.events()).as("GETs under /orders").isEqualTo(5);
		assertThat(ordersRead.badEvents()).as("slow, 503 and the exception").isEqualTo(3);
		ErrorBudgetReport everything = report(context, "everything");
		assertThat(everything.events()).isEqualTo(7);
		assertThat(everything.badEvents()).as("503 and the exception: no latency threshold").isEqualTo(2);
	}

	private static ErrorBudgetReport report(AssertableWebApplicationContext context, String name) {
		return context.getBean(ErrorBudgetRegistry.class).find(name).orElseThrow().report();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class WebConfiguration {

		@Bean
		ManualTicker manualTicker() {
			return ManualTicker.create();
		}

		@Bean
		OrdersController ordersController(ManualTicker ticker) {
			return new OrdersController(ticker);
		}

	}

	@RestController
	static class OrdersController {

		private final ManualTicker ticker;

		OrdersController(ManualTicker ticker) {
			this.ticker = ticker;
		}

		@GetMapping("/orders/{id}")
		ResponseEntity<String> order(@PathVariable String id) {
			switch (id) {
				case "slow":
					this.ticker.advance(Duration.ofSeconds(2));
					return ResponseEntity.ok("slow");
				case "unavailable":
					return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("try later");
				case "missing":
					return ResponseEntity.status(HttpStatus.NOT_FOUND).body("no such order");
				case "boom":
					throw new IllegalStateException("boom");
				default:
					return ResponseEntity.ok(id);
			}
		}

		@PostMapping("/orders")
		String place() {
			return "placed";
		}

		@GetMapping("/other")
		String other() {
			return "other";
		}

	}

}
