package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Supervisor;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.systemd.SystemdUnitRenderer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of each server's units as the controller looks at them every tick, without an SSH
 * command per look: one long-lived command per server prints, every {@link #EVERY}, whether each
 * unit's file is there and whether its control group holds a process, and a look takes the last
 * such answer. On the test bed's 9 machines an SSH command per server and second, and then a {@code
 * systemctl is-active} a second in such a stream, each cost about a sixth of a core (measured with
 * the site idle, the controller on and off); a read of the control groups by the shell costs next
 * to nothing. A server whose last answer is older than {@link #STALE} does not answer: its look
 * fails, and the controller sees it unreachable.
 */
final class UnitWatch {
  /** How often each server prints its units' state. */
  static final Duration EVERY = Duration.ofSeconds(1);

  /** How old an answer may be before its server counts as not answering. */
  static final Duration STALE = Duration.ofSeconds(3);

  private final HostDriver driver;
  private final List<String> cgroups;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();

  UnitWatch(HostDriver driver) {
    this(driver, CGROUPS);
  }

  /** A watch that looks for systemd's control groups in {@code cgroups}, the first there. */
  UnitWatch(HostDriver driver, List<String> cgroups) {
    this.driver = driver;
    this.cgroups = List.copyOf(cgroups);
  }

  private record Answer(List<String> lines, long atNanos) {}

  // One server's command, and the last whole answer it printed.
  private static final class Stream {
    final Process process;
    final List<String> units;
    volatile Answer last;

    Stream(Process process, List<String> units) {
      this.process = process;
      this.units = units;
    }
  }

  /** What {@code host}'s units {@code units} were at its last answer, in their order. */
  List<Supervisor.Seen> seen(String host, List<String> units) {
    Stream s = streams.get(host);
    if (s == null || !s.units.equals(units) || !s.process.isAlive()) {
      if (s != null) {
        s.process.destroyForcibly();
      }
      s = start(host, units);
      streams.put(host, s);
    }
    long deadline = System.nanoTime() + STALE.toNanos();
    Answer a = s.last;
    while ((a == null || stale(a)) && System.nanoTime() < deadline && s.process.isAlive()) {
      sleep();
      a = s.last;
    }
    if (a == null || stale(a)) {
      if (!s.process.isAlive()) {
        streams.remove(host, s);
      }
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": its units' state not heard for "
              + STALE.toSeconds()
              + " s"
              + (s.process.isAlive() ? "" : " (its SSH command ended)"));
    }
    List<Supervisor.Seen> out = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      String state = a.lines().get(units.size() + i);
      out.add(
          new Supervisor.Seen(
              a.lines().get(i).equals("started"),
              state.equals("active") || state.equals("reloading")));
    }
    return out;
  }

  private static boolean stale(Answer a) {
    return System.nanoTime() - a.atNanos() > STALE.toNanos();
  }

  /** Where systemd keeps its services' control groups: unified, then the hybrid layouts. */
  static final List<String> CGROUPS =
      List.of(
          "/sys/fs/cgroup/system.slice",
          "/sys/fs/cgroup/unified/system.slice",
          "/sys/fs/cgroup/systemd/system.slice");

  /**
   * The command a server runs: each unit's file, then each unit's state, then a dot; again. A unit
   * runs when its control group holds a process, read by the shell itself: a {@code systemctl} a
   * second on each server was most of the watch's cost. Where no control group of systemd's is
   * found (no {@code system.slice}), {@code systemctl is-active} answers.
   */
  static List<String> command(List<String> units, List<String> cgroups) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "c=; for d in $1; do [ -d \"$d\" ] && { c=$d; break; }; done; shift; while :; do"
                    + " for u; do if [ -e \"$0/$u\" ]; then echo started; else echo none; fi; done;"
                    + " if [ -n \"$c\" ]; then for u; do if read -r x 2>/dev/null <"
                    + " \"$c/$u/cgroup.procs\"; then echo active; else echo inactive; fi; done;"
                    + " else systemctl is-active \"$@\" 2>/dev/null; fi; echo .; sleep "
                    + EVERY.toSeconds()
                    + "; done",
                SystemdUnitRenderer.UNIT_DIR.toString(),
                String.join(" ", cgroups)));
    cmd.addAll(units);
    return cmd;
  }

  private Stream start(String host, List<String> units) {
    Process p = driver.open(host, command(units, cgroups));
    Stream s = new Stream(p, List.copyOf(units));
    Thread.ofVirtual()
        .name("unit-watch-" + host)
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = r.readLine()) != null) {
                  if (!line.strip().equals(".")) {
                    lines.add(line.strip());
                    continue;
                  }
                  if (lines.size() == 2 * units.size()) {
                    s.last = new Answer(List.copyOf(lines), System.nanoTime());
                  }
                  lines.clear();
                }
              } catch (IOException e) {
                // The command ended: the next look starts another.
              } finally {
                p.destroyForcibly();
              }
            });
    // Its errors are read and dropped, so that a full pipe never stops it.
    Thread.ofVirtual()
        .name("unit-watch-err-" + host)
        .start(
            () -> {
              try {
                p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
              } catch (IOException e) {
                // Gone with the command.
              }
            });
    return s;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("interrupted waiting for a server's units", e);
    }
  }
}
