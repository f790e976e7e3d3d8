package dev.webinfra.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every class of the set checker, each from a write history and what the servers hold. */
class SetCheckerTest {
  static final String RUN = "r1";

  static String id(long n) {
    return Outcome.writeId(RUN, n);
  }

  @Test
  void acknowledgedWritesOnEveryServerArePresentAndNothingElse() {
    Map<Long, Cause> writes = Map.of(0L, Cause.OK, 10L, Cause.OK);
    WriteReport w =
        SetChecker.check(
            RUN,
            writes,
            List.of(
                ServerRows.read("web1", List.of(id(0), id(10))),
                ServerRows.read("web2", List.of(id(10), id(0)))));
    assertThat(w.attempted()).isEqualTo(2);
    assertThat(w.acknowledged()).isEqualTo(2);
    assertThat(w.present()).isEqualTo(2);
    assertThat(w.lost()).isZero();
    assertThat(w.unexpected()).isZero();
    assertThat(w.clean()).isTrue();
    assertThat(w.servers())
        .extracting(WriteReport.Server::rows, WriteReport.Server::missingAcknowledged)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, 0L),
            org.assertj.core.groups.Tuple.tuple(2L, 0L));
  }

  @Test
  void anAcknowledgedWriteNoServerHoldsIsLost() {
    WriteReport w =
        SetChecker.check(
            RUN,
            Map.of(0L, Cause.OK, 1L, Cause.OK),
            List.of(ServerRows.read("web1", List.of(id(0)))));
    assertThat(w.lost()).isEqualTo(1);
    assertThat(w.lostIds()).containsExactly(id(1));
    assertThat(w.present()).isEqualTo(1);
    assertThat(w.clean()).isFalse();
  }

  @Test
  void aRowNoWriteMadeIsUnexpectedAndASecondCopyIsDuplicated() {
    WriteReport w =
        SetChecker.check(
            RUN,
            Map.of(0L, Cause.OK),
            List.of(
                ServerRows.read("web1", List.of(id(0), id(0), id(7))),
                ServerRows.read("web2", List.of(id(0), id(7)))));
    assertThat(w.unexpected()).as("counted once across servers").isEqualTo(1);
    assertThat(w.unexpectedIds()).containsExactly(id(7));
    assertThat(w.duplicated()).isEqualTo(1);
    assertThat(w.duplicatedIds()).containsExactly(id(0));
    assertThat(w.clean()).isFalse();
  }

  @Test
  void aWriteStoredTwiceOnEveryServerIsOneDuplicatedWrite() {
    WriteReport w =
        SetChecker.check(
            RUN,
            Map.of(0L, Cause.OK, 1L, Cause.OK),
            List.of(
                ServerRows.read("web1", List.of(id(0), id(0), id(1))),
                ServerRows.read("web2", List.of(id(0), id(1), id(0))),
                ServerRows.read("web3", List.of(id(1), id(0), id(0)))));
    assertThat(w.duplicated()).as("one write, two copies on three servers").isEqualTo(1);
    assertThat(w.duplicatedIds()).containsExactly(id(0));
    assertThat(w.lost()).isZero();
    assertThat(w.clean()).isFalse();
  }

  @Test
  void timeoutsFiveHundredsAndBrokenConnectionsAreIndeterminateFoundOrNot() {
    Map<Long, Cause> writes = new TreeMap<>();
    writes.put(0L, Cause.TIMEOUT);
    writes.put(1L, Cause.HTTP_5XX);
    writes.put(2L, Cause.OTHER);
    WriteReport w =
        SetChecker.check(RUN, writes, List.of(ServerRows.read("web1", List.of(id(0), id(1)))));
    assertThat(w.indeterminate()).isEqualTo(3);
    assertThat(w.indeterminateFound()).isEqualTo(2);
    assertThat(w.acknowledged()).isZero();
    assertThat(w.lost()).isZero();
    assertThat(w.clean()).as("an indeterminate write may go either way").isTrue();
  }

  @Test
  void aWriteThatNeverReachedTheSiteIsFailedAndFindingItIsAnAnomaly() {
    WriteReport w =
        SetChecker.check(
            RUN,
            Map.of(0L, Cause.CONNECT, 1L, Cause.HTTP_4XX),
            List.of(ServerRows.read("web1", List.of(id(1)))));
    assertThat(w.failed()).isEqualTo(2);
    assertThat(w.failedFound()).isEqualTo(1);
    assertThat(w.clean()).isFalse();
  }

  @Test
  void anUnreadableServerCountsForNothingAndALaggingOneShowsWhatItMisses() {
    WriteReport w =
        SetChecker.check(
            RUN,
            Map.of(0L, Cause.OK, 1L, Cause.OK),
            List.of(
                ServerRows.unreadable("web1", "host web1: SQL failed"),
                ServerRows.read("web2", List.of(id(0), id(1))),
                ServerRows.read("web3", List.of(id(0)))));
    assertThat(w.lost()).isZero();
    assertThat(w.servers().get(0).readable()).isFalse();
    assertThat(w.servers().get(0).error()).isEqualTo("host web1: SQL failed");
    assertThat(w.servers().get(2).missingAcknowledged()).isEqualTo(1);
  }

  @Test
  void longListsOfIdsAreCut() {
    Map<Long, Cause> writes = new TreeMap<>();
    for (long n = 0; n < 50; n++) {
      writes.put(n, Cause.OK);
    }
    WriteReport w =
        SetChecker.check(RUN, writes, List.of(ServerRows.read("web1", new ArrayList<>())));
    assertThat(w.lost()).isEqualTo(50);
    assertThat(w.lostIds()).hasSize(SetChecker.SHOWN_IDS);
  }
}
