package dev.resilience.autoconfigure.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JdbcTablesTests {

	@Test
	void acceptsUnquotedNamesOptionallySchemaQualified() {
		assertThat(JdbcTables.isUnquotedName("resilience_keys")).isTrue();
		assertThat(JdbcTables.isUnquotedName("app.resilience_keys")).isTrue();
		assertThat(JdbcTables.isUnquotedName("_t1")).isTrue();
	}

	@Test
	void rejectsNamesThatWouldNeedQuotingOrCouldInjectSql() {
		assertThat(JdbcTables.isUnquotedName(null)).isFalse();
		assertThat(JdbcTables.isUnquotedName("")).isFalse();
		assertThat(JdbcTables.isUnquotedName("1table")).isFalse();
		assertThat(JdbcTables.isUnquotedName("a.b.c")).isFalse();
		assertThat(JdbcTables.isUnquotedName("keys; DROP TABLE x")).isFalse();
	}

	@Test
	void requiresAtMost128Characters() {
		String longest = "t".repeat(128);
		assertThat(JdbcTables.requireUnquotedName(longest)).isEqualTo(longest);
		assertThatIllegalArgumentException().isThrownBy(() -> JdbcTables.requireUnquotedName(longest + "t"))
			.withMessage("tableName must be an unquoted SQL name ([schema.]table of letters, digits and underscores,"
					+ " at most 128 characters) but was " + longest + "t");
	}

}
