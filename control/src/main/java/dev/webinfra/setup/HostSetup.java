package dev.webinfra.setup;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.DpkgQuery;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prepares this machine for the lab: installs the missing Debian packages without letting their own
 * service instances start (our daemons run in our hosts with our configs), and creates the
 * unprivileged user the application runs as.
 */
public final class HostSetup {

  /** The Debian packages of the lab's own tools, beside those of its daemons. */
  static final List<String> TOOLS =
      List.of(
          "iproute2",
          "util-linux",
          "procps",
          "psmisc",
          "curl",
          "wrk",
          "dnsutils",
          "nftables",
          "graphviz",
          "chromium",
          // Security ITs scan the machine and the floating IP from the client host.
          "nmap");

  /** The Debian packages the lab's tools and every daemon unit come from. */
  public static final List<String> PACKAGES = packages();

  private static List<String> packages() {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(TOOLS);
    dev.webinfra.plan.Units.ALL.forEach(u -> all.addAll(u.packages()));
    return List.copyOf(all);
  }

  /** The user the application server runs as. */
  public static final String APP_USER = "webinfra";

  private static final Path POLICY_RC_D = Path.of("/usr/sbin/policy-rc.d");

  private final PrintWriter out;

  public HostSetup(PrintWriter out) {
    this.out = out;
  }

  /** The packages from {@link #PACKAGES} that are not installed. */
  public static List<String> missingPackages() {
    return missingPackages(PACKAGES);
  }

  /** The packages from {@code packages} that are not installed. */
  public static List<String> missingPackages(List<String> packages) {
    if (packages.isEmpty()) {
      return List.of();
    }
    ExecResult r = Shell.run(DpkgQuery.command(packages), null, Duration.ofSeconds(20));
    return DpkgQuery.missing(packages, r.stdout());
  }

  /** Installs what is missing and creates the app user; does nothing when all is there. */
  public void ensure() {
    ensure(List.of());
  }

  /**
   * As {@link #ensure()}, with {@code extra} packages besides the lab's own: those a topology's app
   * names ({@code app.packages}), installed only when a topology uses them.
   */
  public void ensure(List<String> extra) {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(PACKAGES);
    all.addAll(extra);
    List<String> missing = missingPackages(List.copyOf(all));
    if (!missing.isEmpty()) {
      install(missing);
    }
    ensureAppUser();
  }

  private void install(List<String> missing) {
    out.println("setup: installing Debian packages: " + String.join(" ", missing));
    out.flush();
    boolean ownPolicy = !Files.exists(POLICY_RC_D);
    try {
      if (ownPolicy) {
        // policy-rc.d exit 101 tells invoke-rc.d "action forbidden": packages install, services
        // stay stopped.
        Files.writeString(
            POLICY_RC_D,
            "#!/bin/sh\n# written by webinfra setup while installing packages\nexit 101\n");
        Files.setPosixFilePermissions(POLICY_RC_D, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
      apt(List.of("apt-get", "update", "-q"), env);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "apt-get",
                  "install",
                  "-y",
                  "-q",
                  "--no-install-recommends",
                  "-o",
                  "Dpkg::Options::=--force-confdef",
                  "-o",
                  "Dpkg::Options::=--force-confold"));
      cmd.addAll(missing);
      apt(cmd, env);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "setup: cannot write " + POLICY_RC_D + ": " + e.getMessage(), e);
    } finally {
      if (ownPolicy) {
        try {
          Files.deleteIfExists(POLICY_RC_D);
        } catch (IOException e) {
          out.println("setup: warning: could not remove " + POLICY_RC_D + ": " + e.getMessage());
        }
      }
    }
    List<String> still = missingPackages(missing);
    if (!still.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "setup: packages still missing after apt-get install: " + String.join(" ", still));
    }
    out.println("setup: installed " + missing.size() + " packages");
  }

  private void apt(List<String> cmd, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      String output =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        List<String> lines = output.lines().toList();
        throw WebinfraException.unexpectedState(
            "setup: '"
                + String.join(" ", cmd)
                + "' failed:\n  "
                + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState("setup: cannot run apt-get: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("setup: interrupted during apt-get", e);
    }
  }

  private void ensureAppUser() {
    if (Shell.run("id", "-u", APP_USER).ok()) {
      return;
    }
    out.println("setup: creating system user " + APP_USER + " for the application server");
    Shell.check(
        "setup: create user " + APP_USER,
        dev.webinfra.host.SystemUser.useradd(APP_USER),
        null,
        Duration.ofSeconds(60));
  }
}
