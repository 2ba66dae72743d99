package dev.resilience.autoconfigure.idempotency;

import javax.sql.DataSource;

import dev.resilience.autoconfigure.properties.ResilienceConfigurationException;
import dev.resilience.core.idempotency.IdempotencyStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Creates the shared stores from the application's beans, with a start-up error that
 * says what is missing when the bean or the library a store needs is not there. Each
 * store is built by a class of its own, loaded only when that store is chosen, so that
 * neither Spring JDBC nor Spring Data Redis needs to be on the classpath otherwise.
 */
final class SharedStores {

	private static final Log logger = LogFactory.getLog(SharedStores.class);

	private static final String PROPERTY = "resilience.idempotency.store";

	private SharedStores() {
	}

	static IdempotencyStore jdbc(ListableBeanFactory beanFactory, ClassLoader classLoader) {
		if (!ClassUtils.isPresent("org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy",
				classLoader)) {
			throw missing("jdbc", "Spring JDBC on the classpath (add spring-boot-starter-jdbc and a JDBC driver)");
		}
		DataSource dataSource = beanFactory.getBeanProvider(DataSource.class).getIfUnique();
		if (dataSource == null) {
			throw missing("jdbc", "one DataSource bean, and the application has none or several without a primary"
					+ " (add spring-boot-starter-jdbc and a driver and set spring.datasource.url)");
		}
		return Jdbc.create(dataSource);
	}

	static IdempotencyStore redis(ListableBeanFactory beanFactory, ClassLoader classLoader) {
		if (!ClassUtils.isPresent("org.springframework.data.redis.connection.RedisConnectionFactory", classLoader)) {
			throw missing("redis", "Spring Data Redis on the classpath (add spring-boot-starter-data-redis)");
		}
		return Redis.create(beanFactory);
	}

	private static ResilienceConfigurationException missing(String store, String what) {
		return ResilienceConfigurationException.invalidValue(PROPERTY, store,
				"can be " + store + " only with " + what, null);
	}

	/** Touches Spring JDBC; loaded only for the jdbc store. */
	private static final class Jdbc {

		static IdempotencyStore create(DataSource dataSource) {
			JdbcIdempotencyStore store = JdbcIdempotencyStore.create(dataSource);
			try {
				// Creates the table now if it can; if the database is down, the first use does.
				store.initialize();
			}
			catch (RuntimeException ex) {
				logger.warn("The JDBC idempotency store could not prepare its table at start-up; it will try again"
						+ " on first use: " + ex.getMessage());
			}
			return store;
		}

	}

	/** Touches Spring Data Redis; loaded only for the redis store. */
	private static final class Redis {

		static IdempotencyStore create(ListableBeanFactory beanFactory) {
			org.springframework.data.redis.connection.RedisConnectionFactory connectionFactory = beanFactory
				.getBeanProvider(org.springframework.data.redis.connection.RedisConnectionFactory.class)
				.getIfUnique();
			if (connectionFactory == null) {
				throw missing("redis", "one RedisConnectionFactory bean, and the application has none or several"
						+ " without a primary (add spring-boot-starter-data-redis and set spring.data.redis.*)");
			}
			return RedisIdempotencyStore.create(connectionFactory);
		}

	}

}
