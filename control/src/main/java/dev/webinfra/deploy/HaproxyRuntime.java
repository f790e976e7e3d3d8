package dev.webinfra.deploy;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * HAProxy's runtime API on one load balancer, through its admin stats socket: drain, ready, force a
 * server's health, read a server's state. Changes made here last until the next restart; reloads
 * keep them (server-state-file).
 */
public final class HaproxyRuntime {
  /** The backend every web server is in (see haproxy.cfg.tmpl). */
  public static final String BACKEND = "servers";

  /** One server as a load balancer sees it: {@code DRAIN}, {@code UP}, {@code DOWN 1/2}… */
  public record ServerState(String status, int sessions, String lastCheck) {
    /** Whether its health checks pass and it is in no transition. */
    boolean healthy() {
      return status.equals("UP") || status.equals("DRAIN");
    }
  }

  private final HostDriver driver;
  private final String lb;

  public HaproxyRuntime(HostDriver driver, String lb) {
    this.driver = driver;
    this.lb = lb;
  }

  /** Runs one runtime API command and returns its answer; an answer that is an error fails. */
  public String command(String cmd) {
    String socket = HaproxyRenderer.adminSocket(driver.paths(lb)).toString();
    ExecResult r =
        driver.exec(
            lb,
            List.of("socat", "-t", "2", "-", "unix-connect:" + socket),
            cmd + "\n",
            Duration.ofSeconds(10));
    String out = r.stdout().strip();
    if (!r.ok() || out.startsWith("No such") || out.contains("Unknown command")) {
      throw WebinfraException.unexpectedState(
          "host " + lb + ": haproxy runtime API '" + cmd + "' failed: " + out + " " + r.describe());
    }
    return out;
  }

  /** Sets {@code server}'s admin state: {@code ready}, {@code drain} or {@code maint}. */
  public void state(String server, String state) {
    command("set server " + BACKEND + "/" + server + " state " + state);
  }

  /** Forces {@code server}'s health down: only {@code rise} passing checks bring it back. */
  public void healthDown(String server) {
    command("set server " + BACKEND + "/" + server + " health down");
  }

  /** The server's state from {@code show stat}, if the backend has it. */
  public Optional<ServerState> server(String server) {
    String csv = command("show stat -1 4 -1");
    List<String> header = List.of(csv.lines().findFirst().orElse("# ").substring(2).split(","));
    int status = header.indexOf("status");
    int scur = header.indexOf("scur");
    int lastChk = header.indexOf("last_chk");
    return csv.lines()
        .map(l -> l.split(",", -1))
        .filter(f -> f.length > status && f[0].equals(BACKEND) && f[1].equals(server))
        .findFirst()
        .map(
            f ->
                new ServerState(
                    f[status],
                    f[scur].isEmpty() ? 0 : Integer.parseInt(f[scur]),
                    lastChk >= 0 && lastChk < f.length ? f[lastChk] : ""));
  }
}
