package dev.webinfra.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Samples which load balancers hold the floating IP every 50 ms, as seen from outside: the
 * addresses on the links that are up in each LB's namespace (a power-cut LB's links are down).
 * Keeps each change, for the report (the event log says what the controller did, not where
 * keepalived moved the IP), and adds up the time two held it at once.
 */
final class VipWatch {
  /** How often it looks. */
  static final Duration PERIOD = Duration.ofMillis(50);

  private final ChaosLab lab;
  private final List<Accounting.VipChange> changes = new ArrayList<>();
  // A sample that took longer than this (a busy machine) counts this much at most.
  private final HoldingTally tally = new HoldingTally(PERIOD.multipliedBy(4));
  private volatile boolean running;
  private Thread thread;

  VipWatch(ChaosLab lab) {
    this.lab = lab;
  }

  void start() {
    if (lab.topology().vip().isEmpty()) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("chaos-vip").daemon().start(this::watch);
  }

  private void watch() {
    String last = "?";
    long next = System.nanoTime();
    while (running) {
      String now;
      try {
        List<String> h = lab.vipHoldersOnLinksUp();
        tally.sample(lab.clock().instant(), h);
        now = h.isEmpty() ? null : String.join(" and ", h);
      } catch (RuntimeException e) {
        now = "?";
      }
      if (!Objects.equals(now, last) && !"?".equals(now)) {
        synchronized (changes) {
          changes.add(new Accounting.VipChange(lab.clock().instant(), now));
        }
        last = now;
      }
      // A fixed rate, not a fixed pause: the look itself takes some of the 50 ms.
      next += PERIOD.toNanos();
      long wait = next - System.nanoTime();
      if (wait < 0) {
        next = System.nanoTime();
        continue;
      }
      try {
        Thread.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  List<Accounting.VipChange> changes() {
    synchronized (changes) {
      return List.copyOf(changes);
    }
  }

  /** The time two load balancers or more held the IP at once, in all. */
  Duration doubleHolding() {
    return tally.total();
  }

  /** Each stretch of double holding. */
  List<HoldingTally.Episode> episodes() {
    return tally.episodes();
  }
}
