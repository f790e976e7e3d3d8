package dev.webinfra.controller;

import dev.webinfra.daemon.DaemonRunner;
import dev.webinfra.events.EventLog;
import dev.webinfra.host.lab.LabHostDriver;
import dev.webinfra.host.lab.LabLayout;
import dev.webinfra.lab.LabState;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
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
  private static final Duration TICK = Duration.ofMillis(50);
  private final LabLayout layout;
  private final Poll poll;
  private final Observer observer;
  private final Recovery recovery;
  private final RecoveryHistory history = new RecoveryHistory();
  private final EventLog events;
  private final int hosts;

  public Controller(Topology topology, LabLayout layout, Poll poll) {
    this.layout = layout;
    this.poll = poll;
    LabState state = new LabState(layout);
    Topology t = state.effective(topology);
    LabHostDriver driver = new LabHostDriver(layout);
    PrintWriter out = new PrintWriter(System.out, true);
    DaemonRunner runner = new DaemonRunner(driver, poll, out::println);
    this.events = new EventLog(layout.eventLog(), poll.clock());
    this.observer = new Observer(t, driver, runner, state, poll.clock());
    this.recovery = new Recovery(t, driver, runner, observer, history, events, poll.clock());
    this.hosts = t.hosts().size();
  }

  /** Watches until the lab is gone. */
  public void run() {
    events.record("-", "ControllerStarted", "watching " + hosts + " hosts");
    Set<String> reported = new HashSet<>();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      while (Files.exists(layout.topologyCopy())) {
        List<Finding> findings = Detector.analyze(observer.observe(), history);
        Set<String> now = new HashSet<>();
        for (Finding f : findings) {
          if (!f.code().acts()) {
            String key = f.code() + " " + f.target();
            now.add(key);
            if (!reported.contains(key)) {
              recovery.recover(f);
            }
          } else if (history.begin(f.target())) {
            workers.submit(
                () -> {
                  try {
                    recovery.recover(f);
                  } finally {
                    history.end(f.target());
                  }
                });
          }
        }
        reported.clear();
        reported.addAll(now);
        poll.sleep(TICK);
      }
    }
  }
}
