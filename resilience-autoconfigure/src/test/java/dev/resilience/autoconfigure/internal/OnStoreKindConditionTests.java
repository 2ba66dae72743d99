package dev.resilience.autoconfigure.internal;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class OnStoreKindConditionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(JdbcConfiguration.class);

	@Test
	void matchesTheKindItsOwnPropertyNames() {
		this.runner.withPropertyValues("test.store=JDBC", "resilience.idempotency.store=redis")
			.run((context) -> assertThat(context).hasBean("jdbcMarker"));
	}

	@Test
	void doesNotMatchAnotherKind() {
		this.runner.withPropertyValues("test.store=redis", "resilience.idempotency.store=jdbc")
			.run((context) -> assertThat(context).doesNotHaveBean("jdbcMarker"));
	}

	@Test
	void fallsBackToTheIdempotencyStoreWhenItsOwnPropertyIsUnsetOrBlank() {
		this.runner.withPropertyValues("resilience.idempotency.store=jdbc")
			.run((context) -> assertThat(context).hasBean("jdbcMarker"));
		this.runner.withPropertyValues("test.store= ", "resilience.idempotency.store=jdbc")
			.run((context) -> assertThat(context).hasBean("jdbcMarker"));
	}

	@Test
	void isMemoryWhenNeitherPropertyIsSet() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean("jdbcMarker"));
	}

	enum Kind {

		MEMORY, JDBC

	}

	static final class OnTestJdbcStore extends OnStoreKindCondition {

		OnTestJdbcStore() {
			super("test.store", Kind.JDBC);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnTestJdbcStore.class)
	static class JdbcConfiguration {

		@Bean
		String jdbcMarker() {
			return "jdbc";
		}

	}

}
