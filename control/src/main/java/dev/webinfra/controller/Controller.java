package dev.webinfra.controller;

import dev.webinfra.daemon.Supervisor;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.lab.LabDrivers;
import dev.webinfra.plan.ControllerPace;
import dev.webinfra.site.LabState;
import dev.webinfra.site.Secrets;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's controller: one process per lab, started by {@code up}. Every tick it observes the lab,
 * detects (a pure function to analysis codes), and hands each finding that calls for action to
 * recovery, one at a time per daemon. Findings that call for none are logged once, when they
 * appear.
 */
public final class Controller {
  private final Topology topology;
  private final SiteLayout layout;
  private final Poll poll;
  private final LabState state;
  private final HostDriver driver;
  private final Supervisor runner;
  private final RecoveryHistory history = new RecoveryHistory();
  private final EventLog events;
  private final int hosts;
  private final java.time.Duration tick;
  private final boolean apart;
  // Rebuilt when a failover moves the primary: what each server runs as depends on it.
  private volatile Watch watch;

  private record Watch(Observer observer, Recovery recovery) {}

  /**
   * The lab's controller, on this machine: it looks at the lab every {@link ControllerPace#TICK}.
   */
  public Controller(Topology topology, SiteLayout layout, Poll poll) {
    this(
        topology,
        layout,
        poll,
        LabDrivers.LAB.driver(layout, poll),
        driver ->
            LabDrivers.LAB.supervisor(driver, poll, new PrintWriter(System.out, true)::println),
        ControllerPace.TICK,
        false);
  }

  /**
   * A controller that reaches the site's hosts through {@code driver} and their daemons through the
   * supervisor {@code runner} makes of it, and looks at them every {@code tick}; hosts {@code
   * apart} (servers) are asked at once, and one that does not answer is seen as unreachable.
   */
  public Controller(
      Topology topology,
      SiteLayout layout,
      Poll poll,
      HostDriver driver,
      java.util.function.Function<HostDriver, Supervisor> runner,
      java.time.Duration tick,
      boolean apart) {
    this.topology = topology;
    this.layout = layout;
    this.poll = poll;
    this.state = new LabState(layout);
    this.driver = driver;
    this.runner = runner.apply(driver);
    this.tick = tick;
    this.apart = apart;
    this.events = new EventLog(layout.eventLog(), poll.clock());
    // The anti-flapping block outlives a restart of the controller (up and start pause it).
    state.lastFailover().ifPresent(f -> history.failedOver(f.at()));
    this.hosts = topology.hosts().size();
    this.watch = watch();
  }

  private Watch watch() {
    Topology t = state.effective(topology);
    Observer observer = new Observer(t, driver, runner, state, poll.clock(), apart);
    Failover failover =
        new Failover(
            t, driver, runner, state, new Secrets(layout.secretsDir()), poll, events, history);
    Recovery recovery =
        new Recovery(
            t,
            driver,
            runner,
            observer,
            history,
            events,
            poll.clock(),
            failover,
            () -> this.watch = watch(),
            new ReplicaMover(
                t, driver, observer, history, events, new Secrets(layout.secretsDir()), poll));
    return new Watch(observer, recovery);
  }

  /** Watches until the lab is gone. */
  public void run() {
    events.record("-", "ControllerStarted", "watching " + hosts + " hosts");
    Set<String> reported = new HashSet<>();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      while (Files.exists(layout.topologyCopy())) {
        Watch w = watch;
        long mark = history.recoveriesEnded();
        List<Finding> findings;
        try {
          findings = Detector.analyze(w.observer().observe(), history, mark);
        } catch (RuntimeException e) {
          // A server that stopped answering midway through a look: the next tick looks again.
          System.out.println("controller: looking at the site: " + e.getMessage());
          poll.sleep(tick);
          continue;
        }
        Set<String> now = new HashSet<>();
        for (Finding f : findings) {
          if (!f.code().acts()) {
            String key = f.code() + " " + f.target();
            now.add(key);
            if (!reported.contains(key)) {
              try {
                w.recovery().recover(f);
              } catch (RuntimeException e) {
                System.out.println(
                    "controller: " + f.code() + " " + f.target() + ": " + e.getMessage());
              }
            }
          } else if (history.begin(f.target())) {
            workers.submit(
                () -> {
                  try {
                    w.recovery().recover(f);
                  } catch (RuntimeException e) {
                    // Its target is free again: the next tick may find it still wrong and act.
                    System.out.println(
                        "controller: " + f.code() + " " + f.target() + ": " + e.getMessage());
                  } finally {
                    history.end(f.target());
                  }
                });
          }
        }
        reported.clear();
        reported.addAll(now);
        poll.sleep(tick);
      }
    }
  }
}
