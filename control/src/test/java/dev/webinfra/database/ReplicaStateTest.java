package dev.webinfra.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading a replica's own report ({@code SHOW SLAVE STATUS\G}). */
class ReplicaStateTest {
  static final String FOLLOWING =
      """
      *************************** 1. row ***************************
                      Slave_IO_State: Waiting for master to send event
                         Master_Host: 198.18.7.21
                    Slave_IO_Running: Yes
                   Slave_SQL_Running: Yes
                       Last_IO_Errno: 0
                       Last_IO_Error:\s
                      Last_SQL_Error:\s
               Seconds_Behind_Master: 0
                         Gtid_IO_Pos: 1-1000-42
      *************************** 1. row ***************************
      Gtid_Slave_Pos: 1-1000-42
      """;

  @Test
  void aFollowingReplicaNamesItsSourceAndThreads() {
    ReplicaState s = ReplicaState.parse(FOLLOWING);
    assertThat(s.known()).isTrue();
    assertThat(s.sourceAddress()).isEqualTo("198.18.7.21");
    assertThat(s.following()).isTrue();
    assertThat(s.ioBroken()).isFalse();
    assertThat(s.applied()).isEqualTo("1-1000-42");
    assertThat(s.behindSeconds()).isZero();
    assertThat(s.describe()).isEqualTo("IO Yes, SQL Yes");
  }

  @Test
  void aReplicaConnectingToADeadSourceIsBroken() {
    ReplicaState s =
        ReplicaState.parse(
            FOLLOWING
                .replace("Slave_IO_Running: Yes", "Slave_IO_Running: Connecting")
                .replace("Last_IO_Errno: 0", "Last_IO_Errno: 2003")
                .replace(
                    "Last_IO_Error: ",
                    "Last_IO_Error: error reconnecting to master 'repl@198.18.7.22:3306'")
                .replace("Seconds_Behind_Master: 0", "Seconds_Behind_Master: NULL"));
    assertThat(s.following()).isFalse();
    assertThat(s.ioBroken()).isTrue();
    assertThat(s.behindSeconds()).isEqualTo(-1);
    assertThat(s.describe())
        .isEqualTo(
            "IO Connecting, SQL Yes; IO error 2003: error reconnecting to master"
                + " 'repl@198.18.7.22:3306'");
  }

  @Test
  void aServerThatIsNoReplicaHasNoSourceAndAnUnknownOneSaysWhy() {
    ReplicaState none = ReplicaState.parse("*** 1. row ***\nGtid_Slave_Pos: \n");
    assertThat(none.known()).isTrue();
    assertThat(none.sourceAddress()).isEmpty();
    assertThat(none.ioBroken()).isTrue();
    ReplicaState unknown = ReplicaState.unknown("its host is down");
    assertThat(unknown.following()).isFalse();
    assertThat(unknown.describe()).isEqualTo("unknown: its host is down");
  }
}
