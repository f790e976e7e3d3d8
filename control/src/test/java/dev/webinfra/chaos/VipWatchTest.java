package dev.webinfra.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * When chaos's floating-IP watcher reads a load balancer's addresses again: only on a change its
 * {@code ip monitor} printed, without a running monitor, or a second after the last read; and how
 * often a monitor that ended is started again.
 */
class VipWatchTest {
  static final long MS = Duration.ofMillis(1).toNanos();

  @Test
  void aQuietLbWithItsMonitorRunningIsNotReadAgainWithinASecond() {
    assertThat(VipWatch.mustRead(false, true, 50 * MS)).isFalse();
    assertThat(VipWatch.mustRead(false, true, 999 * MS)).isFalse();
    assertThat(VipWatch.mustRead(false, true, 1000 * MS)).as("a second on: read anyway").isTrue();
  }

  @Test
  void aChangeOrAMonitorThatIsNotRunningMakesTheNextSampleRead() {
    assertThat(VipWatch.mustRead(true, true, 0)).as("the monitor printed a change").isTrue();
    assertThat(VipWatch.mustRead(false, false, 0)).as("no monitor: every sample reads").isTrue();
  }

  @Test
  void anEndedMonitorIsStartedAgainAtMostOnceASecond() {
    assertThat(VipWatch.mustRestart(true, Long.MAX_VALUE)).as("running: left alone").isFalse();
    assertThat(VipWatch.mustRestart(false, 500 * MS)).isFalse();
    assertThat(VipWatch.mustRestart(false, 1000 * MS)).isTrue();
  }
}
