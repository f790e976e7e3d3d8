package dev.webinfra.controller;

import dev.webinfra.host.Shell;
import dev.webinfra.host.lab.LabInventory;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.Daemon;
import dev.webinfra.lab.Daemons;
import dev.webinfra.lab.Lab;
import dev.webinfra.lab.LabState;
import dev.webinfra.plan.Component;
import dev.webinfra.plan.Planner;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's controller: one process per lab, started by {@code up}. It watches every daemon and
 * brings back one that died, unless its host was stopped on purpose. A dead keepalived first loses
 * the floating IP it may still hold, so that two load balancers never hold it at once. Each step
 * goes to the audit log; a daemon that dies again and again is left down after a few tries (an
 * anti-flapping block) rather than restarted forever.
 */
public final class Controller {
  /** Restarts allowed per daemon within {@link #FLAP_WINDOW} before the controller stops trying. */
  static final int FLAP_LIMIT = 5;

  static final Duration FLAP_WINDOW = Duration.ofMinutes(2);

  private final Lab lab;
  private final Topology t;
  private final LabLayout layout;
  private final AuditLog audit;
  private final Clock clock;
  private final LabState state;
  private final Map<String, Deque<Instant>> restarts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> busy = new ConcurrentHashMap<>();
  private final Map<String, Boolean> blocked = new ConcurrentHashMap<>();

  public Controller(Topology topology, LabLayout layout, Clock clock) {
    this.layout = layout;
    this.lab = new Lab(topology, layout, new PrintWriter(System.out, true), clock);
    this.t = lab.topology();
    this.audit = new AuditLog(layout.labDir().resolve("audit.log"), clock);
    this.clock = clock;
    this.state = new LabState(layout);
  }

  /** The audit log of this lab. */
  public static AuditLog auditLog(LabLayout layout, Clock clock) {
    return new AuditLog(layout.labDir().resolve("audit.log"), clock);
  }

  /** Watches until the lab is gone. */
  public void run() {
    audit.record("-", "ControllerStarted", "watching " + t.hosts().size() + " hosts");
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      while (java.nio.file.Files.exists(layout.topologyCopy())) {
        for (Host h : t.hosts()) {
          if (state.isStopped(h.name())
              || !LabInventory.namespaces().contains(layout.namespace(h.name()))) {
            continue;
          }
          for (Component c : Planner.components(t, h)) {
            Daemon d = Daemons.of(t, h, c, layout);
            if (busy.containsKey(d.id())
                || blocked.containsKey(d.id())
                || !java.nio.file.Files.exists(d.pidFile())) {
              continue;
            }
            if (lab.runner().runningPid(d) == null) {
              busy.put(d.id(), true);
              if (c == Component.KEEPALIVED) {
                // Before anything else: a killed keepalived leaves its floating IP on the
                // interface.
                releaseVip(h);
              }
              workers.submit(() -> recover(h, c, d));
            }
          }
        }
        sleep(50);
      }
    }
  }

  private void releaseVip(Host lb) {
    t.vip()
        .ifPresent(
            v -> {
              String cidr =
                  v.address() + "/" + t.network(v.network()).orElseThrow().cidr().prefix();
              if (Shell.run(
                      "ip",
                      "-n",
                      layout.namespace(lb.name()),
                      "addr",
                      "del",
                      cidr,
                      "dev",
                      v.network())
                  .ok()) {
                audit.record(
                    lb.name(),
                    "DeadKeepalived",
                    "removed floating IP " + v.address() + " from " + lb.name());
              }
            });
  }

  private void recover(Host h, Component c, Daemon d) {
    try {
      Deque<Instant> recent = restarts.computeIfAbsent(d.id(), k -> new ArrayDeque<>());
      Instant now = clock.instant();
      while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(FLAP_WINDOW))) {
        recent.removeFirst();
      }
      if (recent.size() >= FLAP_LIMIT) {
        blocked.put(d.id(), true);
        audit.record(
            h.name(),
            "Flapping" + label(c),
            "blocked: "
                + FLAP_LIMIT
                + " restarts within "
                + FLAP_WINDOW.toMinutes()
                + " min; left down until the next up");
        return;
      }
      recent.addLast(now);
      audit.record(h.name(), "Dead" + label(c), "restarting " + d.id());
      if (c == Component.KEEPALIVED) {
        LabLayout.HostDirs dirs = layout.host(h.name());
        LabInventory.killFromPidFiles(
            dirs.run().resolve("keepalived.pid"), dirs.run().resolve("keepalived-vrrp.pid"));
      }
      long pid = lab.runner().start(d, List.of(), Duration.ofSeconds(120));
      audit.record(h.name(), "Dead" + label(c), "restarted " + d.id() + " (pid " + pid + ")");
    } catch (RuntimeException e) {
      audit.record(
          h.name(),
          "Dead" + label(c),
          "restart of " + d.id() + " failed: " + e.getMessage().lines().findFirst().orElse(""));
    } finally {
      busy.remove(d.id());
    }
  }

  private static String label(Component c) {
    String l = c.label();
    return Character.toUpperCase(l.charAt(0)) + l.substring(1);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("controller interrupted", e);
    }
  }
}
