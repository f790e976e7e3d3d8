package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
  final MutableClock clock = new MutableClock();
  int readProbes;
  String readFailure;
  String writeFailure;

  final HealthCheck health =
      new HealthCheck(
          () -> {
            readProbes++;
            if (readFailure != null) {
              throw new SQLTransientConnectionException(
                  "read-g1 - Connection is not available", new SQLException(readFailure));
            }
          },
          () -> {
            if (writeFailure != null) {
              throw new SQLException(writeFailure);
            }
          },
          "web1",
          clock);

  @Test
  void upWhenTheReadDatabaseAnswers() {
    health.probeWrite();
    HealthCheck.Answer a = health.answer();
    assertThat(a.status()).as("status").isEqualTo(200);
    assertThat(a.body())
        .as("body")
        .isEqualTo("{\"status\":\"UP\",\"db\":\"UP\",\"db_write\":\"UP\",\"host\":\"web1\"}");
  }

  @Test
  void downWithTheRootCauseWhenItDoesNot() {
    readFailure = "Socket fail to connect to 198.18.0.22:3306";
    HealthCheck.Answer a = health.answer();
    assertThat(a.status()).as("status").isEqualTo(503);
    assertThat(a.body())
        .as("body names the database state and why")
        .contains("\"status\":\"DOWN\"", "\"db\":\"DOWN\"", "\"host\":\"web1\"")
        .contains(
            "\"reason\":\"read-g1 - Connection is not available; cause: Socket fail to connect to"
                + " 198.18.0.22:3306\"");
  }

  @Test
  void aDeadPrimaryShowsInTheBodyButKeepsTheServerInRotation() {
    writeFailure = "primary gone";
    health.probeWrite();
    HealthCheck.Answer a = health.answer();
    assertThat(a.status()).as("reads still work").isEqualTo(200);
    assertThat(a.body())
        .as("body")
        .contains("\"db_write\":\"DOWN\"", "\"write_reason\":\"primary gone\"");
  }

  @Test
  void theWriteStateIsUnknownUntilFirstProbed() {
    assertThat(health.answer().body())
        .as("body before the first write probe")
        .contains("\"db_write\":\"UNKNOWN\"");
  }

  @Test
  void answersAreReusedWhileFresh() {
    health.answer();
    clock.advance(HealthCheck.FRESH.minusMillis(1));
    readFailure = "down now";
    assertThat(health.answer().status()).as("still the cached answer").isEqualTo(200);
    assertThat(readProbes).as("one probe so far").isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(health.answer().status()).as("fresh probe after 200 ms").isEqualTo(503);
    assertThat(readProbes).as("probes").isEqualTo(2);
  }

  @Test
  void aGaleraMemberServesOnlyWhenReadyAndSynced() {
    assertThat(Guestbook.galeraProblem(null, null)).as("not a Galera member").isNull();
    assertThat(Guestbook.galeraProblem("ON", "4")).as("Synced").isNull();
    assertThat(Guestbook.galeraProblem("OFF", "0"))
        .as("out of the primary component")
        .contains("wsrep_ready is OFF");
    assertThat(Guestbook.galeraProblem("ON", "3")).as("catching up").contains("3 (Joined)");
    assertThat(Guestbook.galeraProblem("ON", "2"))
        .as("a donor holds everything and keeps serving")
        .isNull();
    assertThat(Guestbook.galeraProblem("ON", "1")).as("joining").contains("1 (Joining)");
  }
}
