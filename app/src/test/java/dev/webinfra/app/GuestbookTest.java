package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class GuestbookTest {
  @Test
  void aDeadlockOrAGaleraConflictRolledTheInsertBackSoItIsTriedAgain() {
    assertThat(
            Guestbook.rolledBack(
                new SQLTransactionRollbackException(
                    "Deadlock found when trying to get lock; try restarting transaction",
                    "40001",
                    1213)))
        .as("Galera's brute-force abort, as Connector/J reports it")
        .isTrue();
    assertThat(Guestbook.rolledBack(new SQLException("deadlock", "HY000", 1213)))
        .as("error 1213 with another SQL state")
        .isTrue();
  }

  @Test
  void aBrokenConnectionLeavesTheOutcomeUnknownSoTheKeyedInsertIsTriedAgain() {
    assertThat(
            Guestbook.cutOff(
                new SQLNonTransientConnectionException("Connection reset", "08000", 0)))
        .as("the member died under the statement")
        .isTrue();
    assertThat(
            Guestbook.cutOff(
                new SQLTransientConnectionException(
                    "Driver has reconnect connection after a communications failure with"
                        + " address=(host=198.18.0.12)(port=3306)(type=primary) during a COMMIT"
                        + " statement",
                    "25S03")))
        .as("Connector/J's fail-over reconnected after a link failure during the commit")
        .isTrue();
    assertThat(Guestbook.cutOff(new SQLException("Connection was killed", "70100", 1927)))
        .as("the server killed the connection as it shut down")
        .isTrue();
    assertThat(Guestbook.rolledBack(new SQLException("Connection reset", "08000", 0)))
        .as("a broken connection is no rollback")
        .isFalse();
  }

  @Test
  void otherErrorsAreNotTriedAgain() {
    SQLException duplicate = new SQLException("Duplicate entry", "23000", 1062);
    assertThat(Guestbook.rolledBack(duplicate)).as("duplicate key").isFalse();
    assertThat(Guestbook.cutOff(duplicate)).as("duplicate key").isFalse();
    SQLException notReady = new SQLException("WSREP has not yet prepared node", "08S01", 1047);
    assertThat(Guestbook.rolledBack(notReady))
        .as("a member out of the primary component: the write may be retried by the client")
        .isFalse();
    assertThat(Guestbook.cutOff(notReady))
        .as("a member out of the primary component wrote nothing, and a new connection meets it")
        .isFalse();
    SQLException syntax = new SQLException("You have an error in your SQL syntax", "42000", 1064);
    assertThat(Guestbook.rolledBack(syntax) || Guestbook.cutOff(syntax)).isFalse();
  }
}
