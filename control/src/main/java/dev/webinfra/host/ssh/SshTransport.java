package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Shell;
import dev.webinfra.topology.Ssh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands on servers over SSH, through the system's OpenSSH client: the user's agent, keys and
 * {@code ~/.ssh/config} work as they do for them, host keys are checked against the topology's
 * known_hosts (a key not there yet is accepted only when asked), and one shared connection per
 * server (ControlMaster) makes each command cost a round trip, not a handshake. A user other than
 * root runs every command through {@code sudo -n}. A failure of SSH itself (exit 255) becomes one
 * line that names the host and says what to do.
 */
public final class SshTransport implements AutoCloseable {
  private final Path controlDir;
  private final boolean acceptNewHostKeys;
  private final boolean impatient;
  private final Map<String, Ssh> used = new ConcurrentHashMap<>();
  private final Set<String> sudoChecked = ConcurrentHashMap.newKeySet();

  /**
   * A transport whose shared connections live in a directory of its own; {@code acceptNewHostKeys}
   * lets a server whose key known_hosts lacks in, adding its key (never one whose key changed).
   */
  public SshTransport(boolean acceptNewHostKeys) {
    this(acceptNewHostKeys, false);
  }

  /**
   * As {@link #SshTransport(boolean)}; an {@code impatient} one (the controller's) gives a server
   * up for unreachable within about 2 s, where an operator's command waits for it up to 15 s.
   */
  public SshTransport(boolean acceptNewHostKeys, boolean impatient) {
    this.acceptNewHostKeys = acceptNewHostKeys;
    this.impatient = impatient;
    try {
      this.controlDir =
          Files.createTempDirectory(
              "webinfra-ssh-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ssh command line that reaches {@code s}, before the remote command. */
  List<String> ssh(Ssh s, boolean terminal) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ssh",
                "-o",
                "BatchMode=yes",
                "-o",
                "ControlMaster=auto",
                "-o",
                "ControlPath=" + controlDir.resolve("%C"),
                "-o",
                "ControlPersist=30",
                "-o",
                "StrictHostKeyChecking=" + (acceptNewHostKeys ? "accept-new" : "yes"),
                "-o",
                "UserKnownHostsFile=" + s.knownHosts(),
                "-o",
                "ConnectTimeout=" + (impatient ? 2 : 5),
                "-o",
                "ServerAliveInterval=" + (impatient ? 1 : 5),
                "-o",
                "ServerAliveCountMax=" + (impatient ? 2 : 3),
                "-o",
                "LogLevel=ERROR",
                "-p",
                Integer.toString(s.port())));
    s.identity()
        .ifPresent(id -> cmd.addAll(List.of("-i", id.toString(), "-o", "IdentitiesOnly=yes")));
    if (terminal) {
      cmd.add("-t");
    }
    cmd.add(s.user() + "@" + s.address());
    return cmd;
  }

  /** The remote command line for {@code cmd}: each word quoted for the server's shell, as root. */
  String remote(Ssh s, List<String> cmd) {
    StringBuilder b = new StringBuilder(s.user().equals("root") ? "" : "sudo -n -- ");
    for (int i = 0; i < cmd.size(); i++) {
      b.append(i == 0 ? "" : " ").append(quote(cmd.get(i)));
    }
    return b.toString();
  }

  static String quote(String word) {
    if (!word.isEmpty() && word.matches("[A-Za-z0-9_@%+=:,./-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Runs {@code cmd} as root on {@code host}, reached as {@code s}. */
  public ExecResult run(String host, Ssh s, List<String> cmd, String stdin, Duration timeout) {
    requireSudo(host, s);
    return checked(host, s, cmd, Shell.run(command(s, cmd), stdin, timeout));
  }

  /** Runs {@code cmd} as root on {@code host} with the bytes of {@code input} as its stdin. */
  public ExecResult run(String host, Ssh s, List<String> cmd, Path input, Duration timeout) {
    requireSudo(host, s);
    try {
      Process p = new ProcessBuilder(command(s, cmd)).start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        Files.copy(input, in);
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw WebinfraException.unexpectedState(
            "host "
                + host
                + ": copying "
                + input
                + " took longer than "
                + timeout.toSeconds()
                + " s");
      }
      return checked(host, s, cmd, new ExecResult(cmd, p.exitValue(), out.join(), err.join()));
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run ssh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WebinfraException.unexpectedState("host " + host + ": interrupted", e);
    }
  }

  /** Starts {@code cmd} on the server with its stdin and stdout piped; the caller owns it. */
  public Process open(String host, Ssh s, List<String> cmd) {
    requireSudo(host, s);
    try {
      List<String> full = new ArrayList<>(ssh(s, false));
      full.add("--");
      full.add(remote(s, cmd));
      return new ProcessBuilder(full).start();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run ssh: " + e.getMessage(), e);
    }
  }

  /**
   * Starts forwarding {@code localPort} on this machine's loopback to {@code remotePort} on the
   * server's, over a connection of its own (not the shared one, whose master may outlive it) that
   * lasts as long as the process; ssh ends at once if it cannot listen. The caller owns it.
   */
  public Process forward(String host, Ssh s, int localPort, int remotePort) {
    List<String> cmd = new ArrayList<>(ssh(s, false));
    String target = cmd.remove(cmd.size() - 1);
    cmd.set(cmd.indexOf("ControlMaster=auto"), "ControlMaster=no");
    cmd.set(cmd.indexOf("ControlPath=" + controlDir.resolve("%C")), "ControlPath=none");
    cmd.addAll(
        List.of(
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-L",
            "127.0.0.1:" + localPort + ":127.0.0.1:" + remotePort,
            target));
    try {
      return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run ssh: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code cmd} on the server with this process's stdin, stdout and stderr, and a terminal
   * there when this process has one ({@code ssh -t}); returns its exit code.
   */
  public int interactive(String host, Ssh s, List<String> cmd) throws InterruptedException {
    requireSudo(host, s);
    List<String> full = new ArrayList<>(ssh(s, System.console() != null));
    full.add("--");
    full.add(remote(s, cmd));
    try {
      return new ProcessBuilder(full).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run ssh: " + e.getMessage(), e);
    }
  }

  /** The whole ssh command line for {@code cmd}. */
  List<String> command(Ssh s, List<String> cmd) {
    used.put(s.user() + "@" + s.address() + ":" + s.port(), s);
    List<String> full = new ArrayList<>(ssh(s, false));
    full.add("--");
    full.add(remote(s, cmd));
    return full;
  }

  // A user other than root must be let run anything as root without a password, once per host.
  private void requireSudo(String host, Ssh s) {
    if (s.user().equals("root") || sudoChecked.contains(host)) {
      return;
    }
    ExecResult r =
        checked(
            host,
            s,
            List.of("true"),
            Shell.run(command(s, List.of("true")), null, Duration.ofSeconds(30)));
    if (!r.ok()) {
      throw WebinfraException.invalidInput(
          "host "
              + host
              + " ("
              + s.target()
              + "): "
              + s.user()
              + " cannot run commands as root without a password (sudo -n: "
              + lastLine(r.stderr())
              + "); give it passwordless sudo, or log in as root");
    }
    sudoChecked.add(host);
  }

  // Exit 255 is SSH's own failure: said in one line with what to do; anything else is the
  // command's.
  private static ExecResult checked(String host, Ssh s, List<String> cmd, ExecResult r) {
    if (r.exitCode() != 255) {
      return new ExecResult(cmd, r.exitCode(), r.stdout(), r.stderr());
    }
    throw failure(host, s, r.stderr());
  }

  /** SSH's failure to reach or log in to a server, as one line that says what to do. */
  static WebinfraException failure(String host, Ssh s, String stderr) {
    String where = "host " + host + " (" + s.target() + "): ";
    String why = lastLine(stderr);
    if (stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
      return WebinfraException.unexpectedState(
          where
              + "its SSH host key is not the one "
              + s.knownHosts()
              + " holds for it; if the server was reinstalled, remove the old key (ssh-keygen -R "
              + s.address()
              + " -f "
              + s.knownHosts()
              + "), otherwise do not connect");
    }
    if (stderr.contains("host key is known") || stderr.contains("Host key verification failed")) {
      return WebinfraException.invalidInput(
          where
              + "its SSH host key is not in "
              + s.knownHosts()
              + "; add it there, or accept it once with --accept-new-host-keys");
    }
    if (stderr.contains("Permission denied")) {
      return WebinfraException.invalidInput(
          where
              + "the server refused the login ("
              + why
              + "); offer the right key (ssh.identity, or the agent's), or add its public key to"
              + " ~"
              + s.user()
              + "/.ssh/authorized_keys there");
    }
    if (stderr.contains("Connection refused")
        || stderr.contains("timed out")
        || stderr.contains("No route to host")
        || stderr.contains("Network is unreachable")
        || stderr.contains("Could not resolve hostname")) {
      return WebinfraException.unexpectedState(
          where
              + "unreachable over SSH ("
              + why
              + "); check its address and port, the network, and that sshd runs there");
    }
    return WebinfraException.unexpectedState(where + "ssh failed: " + why);
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "no message" : lines.get(lines.size() - 1).strip();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }

  /**
   * Closes every shared connection, all at once (one after the other, a site's nine took half a
   * second of every command), and removes their directory.
   */
  @Override
  public void close() {
    List<CompletableFuture<ExecResult>> exits = new ArrayList<>();
    for (Ssh s : used.values()) {
      List<String> exit = new ArrayList<>(ssh(s, false));
      exit.addAll(1, List.of("-O", "exit"));
      exits.add(
          CompletableFuture.supplyAsync(
              () -> Shell.run(exit, null, Duration.ofSeconds(10)),
              r -> Thread.ofVirtual().start(r)));
    }
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    used.clear();
    try {
      dev.webinfra.host.Trees.delete(controlDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
