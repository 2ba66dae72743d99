package dev.resilience.autoconfigure.internal;

import dev.resilience.autoconfigure.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * On Redis at 127.0.0.1:6379; the scripts only read their arguments, so nothing is
 * written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisScriptTests {

	private static final RedisScript SUM = RedisScript.of("return tonumber(ARGV[1]) + tonumber(ARGV[2])");

	private LettuceConnectionFactory connectionFactory;

	private TestServices.Availability redis;

	@BeforeAll
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = TestServices.probe("Redis on 127.0.0.1:6379", () -> {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return connection.ping();
			}
		});
	}

	@AfterAll
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void keepsItsSourceAndTheSha1RedisNamesItBy() {
		this.redis.assume();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			assertThat(SUM.source()).isEqualTo("return tonumber(ARGV[1]) + tonumber(ARGV[2])");
			assertThat(SUM.sha1()).isEqualTo(connection.scriptingCommands().scriptLoad(SUM.source().getBytes()));
		}
	}

	@Test
	void sendsTheScriptItselfWhenRedisDoesNotHaveIt() {
		this.redis.assume();
		RedisScript unseen = RedisScript.of("return 'unseen " + TestServices.uniqueId() + "'");
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			assertThat(connection.scriptingCommands().scriptExists(unseen.sha1())).containsExactly(false);

			byte[] reply = unseen.eval(connection, ReturnType.VALUE, 0);

			assertThat(new String(reply)).startsWith("unseen ");
			assertThat(connection.scriptingCommands().scriptExists(unseen.sha1())).containsExactly(true);
		}
	}

	@Test
	void passesKeysAndArguments() {
		this.redis.assume();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long sum = SUM.eval(connection, ReturnType.INTEGER, 0, "2".getBytes(), "3".getBytes());

			assertThat(sum).isEqualTo(5L);
		}
	}

	@Test
	void letsOtherFailuresThrough() {
		this.redis.assume();
		RedisScript failing = RedisScript.of("return redis.error_reply('failed on purpose " + TestServices.uniqueId()
				+ "')");
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			// The first time from EVAL, after NOSCRIPT; the second from EVALSHA itself.
			for (int i = 0; i < 2; i++) {
				assertThatRuntimeException().isThrownBy(() -> failing.eval(connection, ReturnType.STATUS, 0))
					.withStackTraceContaining("failed on purpose");
			}
			assertThat(connection.scriptingCommands().scriptExists(failing.sha1())).containsExactly(true);
		}
	}

}
