package dev.webinfra.database;

import dev.webinfra.database.GaleraBootstrap.Position;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.render.mariadb.MariadbRenderer;
import dev.webinfra.render.mariadb.MariadbUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads each Galera member's last committed position after the whole cluster died: {@code
 * grastate.dat} when the member shut down cleanly, else {@code mariadbd --wsrep-recover} in its
 * host, which replays InnoDB's redo log and prints the position (only for a member whose host is
 * back: a power-cut one stays unknown, so that it may be ahead).
 */
public final class GaleraPositions {
  private static final Pattern RECOVERED =
      Pattern.compile("WSREP: Recovered position: ([0-9a-f-]+):(-?\\d+)");
  private static final Pattern STATE_FROM =
      Pattern.compile("STATE EXCHANGE: got state msg: \\S+ from \\d+ \\(([^)]+)\\)");
  private static final Pattern FIELD = Pattern.compile("(?m)^(uuid|seqno):\\s*(\\S+)");

  private final HostDriver driver;

  public GaleraPositions(HostDriver driver) {
    this.driver = driver;
  }

  /** The position of {@code member}; {@code back}: its host runs, so it can be recovered. */
  public Position of(String member, boolean back) {
    HostPaths p = driver.paths(member);
    Path grastate = p.data().resolve("mysql").resolve("grastate.dat");
    Optional<String> g = driver.readFile(member, grastate);
    if (g.isEmpty()) {
      // Never started: it holds nothing, so anyone is at least as advanced.
      return new Position(member, back, false, "", 0);
    }
    String uuid = field(g.get(), "uuid").orElse("");
    long seqno = field(g.get(), "seqno").map(Long::parseLong).orElse(-1L);
    if (seqno >= 0 || !back) {
      return new Position(member, back, false, uuid, seqno);
    }
    return recover(member, p, uuid);
  }

  private Position recover(String member, HostPaths p, String uuid) {
    Path log = p.run().resolve("mariadb").resolve("wsrep-recover.log");
    driver.exec(member, List.of("rm", "-f", log.toString()), null, Duration.ofSeconds(5));
    ExecResult r =
        driver.exec(
            member,
            List.of(
                "mariadbd",
                "--defaults-file=" + MariadbUnit.myCnf(p),
                "--wsrep-recover",
                "--log-error=" + log),
            null,
            Duration.ofSeconds(120));
    String out = driver.readFile(member, log).orElse("") + "\n" + r.stdout() + r.stderr();
    Matcher m = RECOVERED.matcher(out);
    String u = uuid;
    long seqno = -1;
    while (m.find()) {
      u = m.group(1);
      seqno = Long.parseLong(m.group(2));
    }
    if (seqno >= 0) {
      // The start script passes it on rather than replaying the redo log again (it took seconds).
      driver.writeFile(
          member, MariadbRenderer.recoveredPosition(p), u + ":" + seqno + "\n", "rw-r--r--", null);
    }
    return new Position(member, true, false, u, seqno);
  }

  /**
   * The members of the last primary component the arbitrator on {@code arbitrator} saw, from its
   * log, if it has run without a restart since: empty when that cannot be told.
   */
  public Optional<Set<String>> arbitratorLastPrimary(String arbitrator) {
    Path log = driver.paths(arbitrator).log().resolve("garbd.log");
    return driver.readFile(arbitrator, log).flatMap(GaleraPositions::lastPrimary);
  }

  public static Optional<Set<String>> lastPrimary(String garbdLog) {
    int prim = garbdLog.lastIndexOf("New COMPONENT: primary = yes");
    if (prim < 0 || garbdLog.lastIndexOf("Read config:") > prim) {
      return Optional.empty();
    }
    int end = garbdLog.indexOf("view(", prim);
    String block = garbdLog.substring(prim, end < 0 ? garbdLog.length() : end);
    Set<String> names = new TreeSet<>();
    Matcher m = STATE_FROM.matcher(block);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(names);
  }

  private static Optional<String> field(String grastate, String name) {
    Matcher m = FIELD.matcher(grastate);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Optional.of(m.group(2));
      }
    }
    return Optional.empty();
  }
}
