package dev.webinfra.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import dev.webinfra.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EarlyHostsTest {
  static final Topology T = TopologyLoader.load(Path.of("..", "topologies", "ha-cluster.yaml"));
  static final Host WEB1 = T.host("web1").orElseThrow();
  static final Host WEB2 = T.host("web2").orElseThrow();

  @Test
  void aHostStartedEarlyRunsBesideTheCallerAndIsAwaited() throws Exception {
    EarlyHosts early = new EarlyHosts("ha");
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    early.start(
        WEB1,
        () -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.set(true);
        });

    assertThat(running.await(5, TimeUnit.SECONDS)).as("runs without the caller waiting").isTrue();
    assertThat(early.has(WEB1)).as("the apply skips it").isTrue();
    assertThat(early.has(WEB2)).isFalse();
    release.countDown();
    early.await();
    assertThat(done).as("await returns once it is done").isTrue();
  }

  @Test
  void aFailureOfAnEarlyHostIsRethrownByAwait() {
    EarlyHosts early = new EarlyHosts("ha");
    early.start(
        WEB1,
        () -> {
          throw WebinfraException.unexpectedState("web1/app: exited during start-up");
        });
    early.start(WEB2, () -> {});

    assertThatThrownBy(early::await)
        .isInstanceOf(WebinfraException.class)
        .hasMessage("web1/app: exited during start-up");
  }

  @Test
  void anApplyThatFailedAlreadyWaitsForItsEarlyHostsWithoutReplacingItsFailure() {
    EarlyHosts early = new EarlyHosts("ha");
    AtomicBoolean done = new AtomicBoolean();
    early.start(WEB1, () -> done.set(true));
    early.start(
        WEB2,
        () -> {
          throw WebinfraException.unexpectedState("web2/app: exited during start-up");
        });

    early.awaitQuietly();

    assertThat(done).isTrue();
  }

  @Test
  void aHostIsStartedEarlyOnceAtMost() {
    EarlyHosts early = new EarlyHosts("ha");
    early.start(WEB1, () -> {});

    assertThatThrownBy(() -> early.start(WEB1, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("web1");
    early.await();
  }

  @Test
  void withNoHostStartedEarlyAwaitReturnsAtOnce() {
    EarlyHosts early = new EarlyHosts("ha");

    early.await();

    assertThat(early.hosts()).isEmpty();
  }
}
