package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FirstHealthyTest {
  final MutableClock clock = new MutableClock();
  final Set<String> down = new HashSet<>();
  final List<String> tried = new ArrayList<>();

  FirstHealthy.Candidate candidate(String name, boolean writer) {
    return new FirstHealthy.Candidate(
        name,
        writer,
        () -> {
          tried.add(name);
          if (down.contains(name)) {
            throw new SQLException(name + " refused the connection");
          }
          return connection();
        });
  }

  static Connection connection() {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> null);
  }

  @Test
  void readsGoToTheFirstDatabaseThatAnswers() throws Exception {
    FirstHealthy route =
        new FirstHealthy(List.of(candidate("r1", false), candidate("r2", false)), clock);
    assertThat(route.connect().writer()).as("a replica").isFalse();
    assertThat(tried).as("the first answers, so only it is tried").containsExactly("r1");

    down.add("r1");
    tried.clear();
    route.connect();
    assertThat(tried).as("r1 fails, r2 serves").containsExactly("r1", "r2");
  }

  @Test
  void aDatabaseThatJustFailedIsTriedLastUntilTheBackoffEnds() throws Exception {
    FirstHealthy route =
        new FirstHealthy(List.of(candidate("r1", false), candidate("r2", false)), clock);
    down.add("r1");
    route.connect();
    down.remove("r1");
    tried.clear();
    route.connect();
    assertThat(tried).as("within the back-off, r2 first").containsExactly("r2");

    clock.advance(FirstHealthy.BACKOFF);
    tried.clear();
    route.connect();
    assertThat(tried).as("after the back-off, r1 first again").containsExactly("r1");
  }

  @Test
  void whenNoneAnswersTheErrorNamesEachAndKeepsTheCauses() {
    FirstHealthy route =
        new FirstHealthy(List.of(candidate("r1", false), candidate("w", true)), clock);
    down.addAll(List.of("r1", "w"));
    assertThatThrownBy(route::connect)
        .as("every database down")
        .hasMessage("reads: no database answers (tried [r1, w]); r1: r1 refused the connection")
        .hasCauseInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).as("the other failure").hasSize(1));
    tried.clear();
    assertThatThrownBy(route::connect)
        .as("backed-off databases are still tried")
        .isInstanceOf(SQLException.class);
    assertThat(tried).as("both, in order").containsExactly("r1", "w");
  }

  @Test
  void aReadOnTheWriterSaysSo() throws Exception {
    FirstHealthy route = new FirstHealthy(List.of(candidate("w", true)), clock);
    assertThat(route.connect().writer()).as("no GTID wait needed on the writer").isTrue();
  }
}
