package dev.webinfra.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
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
  void otherErrorsAreNotTriedAgain() {
    assertThat(Guestbook.rolledBack(new SQLException("Duplicate entry", "23000", 1062)))
        .as("duplicate key")
        .isFalse();
    assertThat(
            Guestbook.rolledBack(
                new SQLException("WSREP has not yet prepared node", "08S01", 1047)))
        .as("a member out of the primary component: the write may be retried by the client")
        .isFalse();
    assertThat(Guestbook.rolledBack(new SQLException("Connection reset", "08000", 0)))
        .as("a broken connection: the insert may have committed")
        .isFalse();
  }
}
