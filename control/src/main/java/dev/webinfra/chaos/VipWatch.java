package dev.webinfra.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Samples which load balancers hold the floating IP every 50 ms, as seen from outside: the
 * addresses on the links that are up in each LB's namespace (a power-cut LB's links are down).
 * Keeps each change, for the report (the event log says what the controller did, not where
 * keepalived moved the IP), and adds up the time two held it at once.
 *
 * <p>An LB's addresses are read again only when its {@code ip monitor} printed a change since the
 * last read, or a second after it: a read is a command in the host (three programs started in a
 * lab, a round trip to a server), and reading both LBs every 50 ms took most of a core for the
 * whole of a chaos run, from the site it measured. An LB whose monitor is not running (cut, not yet
 * restarted) is read every sample, as before, and its monitor started again each second.
 */
final class VipWatch {
  /** How often it looks. */
  static final Duration PERIOD = Duration.ofMillis(50);

  /** How long a read stands without a change from its monitor; and how often one is restarted. */
  static final Duration RECHECK = Duration.ofSeconds(1);

  private final ChaosLab lab;
  private final List<Accounting.VipChange> changes = new ArrayList<>();
  // A sample that took longer than this (a busy machine) counts this much at most.
  private final HoldingTally tally = new HoldingTally(PERIOD.multipliedBy(4));
  private final Map<String, Monitor> monitors = new LinkedHashMap<>();
  private volatile boolean running;
  private Thread thread;

  /** One LB's address monitor: whether it printed anything since the last read of the LB. */
  private static final class Monitor {
    final String host;
    volatile Process process;
    volatile boolean changed = true;
    // System.nanoTime()s, a RECHECK back at first: the first sample starts the monitor and reads.
    long startedAt;
    long readAt;
    boolean holds;

    Monitor(String host, long now) {
      this.host = host;
      this.startedAt = now - RECHECK.toNanos();
      this.readAt = now - RECHECK.toNanos();
    }

    boolean live() {
      Process p = process;
      return p != null && p.isAlive();
    }
  }

  VipWatch(ChaosLab lab) {
    this.lab = lab;
  }

  void start() {
    if (lab.topology().vip().isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (String lb : lab.loadBalancers()) {
      monitors.put(lb, new Monitor(lb, now));
    }
    running = true;
    thread = Thread.ofPlatform().name("chaos-vip").daemon().start(this::watch);
  }

  private void watch() {
    String last = "?";
    long next = System.nanoTime();
    try {
      while (running) {
        String now;
        try {
          List<String> h = holders(System.nanoTime());
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
    } finally {
      // stop() interrupts: each monitor still gets its second to end by itself, since one killed
      // before its shell kills its ip monitor leaves that running in the host.
      boolean interrupted = Thread.interrupted();
      monitors.values().forEach(VipWatch::end);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // The LBs holding the IP at nanoTime t: each read again if its monitor saw a change, is not
  // running, or its last read is a RECHECK old.
  private List<String> holders(long t) {
    List<String> out = new ArrayList<>();
    for (Monitor m : monitors.values()) {
      if (mustRestart(m.live(), t - m.startedAt)) {
        restart(m, t);
      }
      if (mustRead(m.changed, m.live(), t - m.readAt)) {
        // Cleared before the read: a change during it makes the next sample read again, and so
        // does a read that failed.
        m.changed = false;
        try {
          m.holds = lab.holdsVipOnLinkUp(m.host);
        } catch (RuntimeException e) {
          m.changed = true;
          throw e;
        }
        m.readAt = t;
      }
      if (m.holds) {
        out.add(m.host);
      }
    }
    return out;
  }

  /**
   * Whether a sample reads an LB's addresses again: its monitor printed a change since the last
   * read, is not running, or the last read was {@link #RECHECK} or longer ago ({@code
   * sinceReadNanos}).
   */
  static boolean mustRead(boolean changed, boolean live, long sinceReadNanos) {
    return changed || !live || sinceReadNanos >= RECHECK.toNanos();
  }

  /** Whether a monitor that is not running is started again: at most once a {@link #RECHECK}. */
  static boolean mustRestart(boolean live, long sinceStartNanos) {
    return !live && sinceStartNanos >= RECHECK.toNanos();
  }

  private void restart(Monitor m, long t) {
    end(m);
    m.startedAt = t;
    m.changed = true;
    try {
      Process p = lab.monitorAddresses(m.host);
      m.process = p;
      Thread.ofPlatform()
          .name("chaos-vip-" + m.host)
          .daemon()
          .start(
              () -> {
                try (var in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                  while (in.readLine() != null) {
                    m.changed = true;
                  }
                } catch (IOException e) {
                  // Ended: live() says so, and the LB is read every sample until it runs again.
                }
                m.changed = true;
              });
    } catch (RuntimeException e) {
      m.process = null;
    }
  }

  // Its standard input closed, a monitor stops its ip monitor and ends; one that does not is
  // killed.
  private static void end(Monitor m) {
    Process p = m.process;
    if (p == null) {
      return;
    }
    m.process = null;
    try {
      p.getOutputStream().close();
      if (!p.waitFor(1, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5000);
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
