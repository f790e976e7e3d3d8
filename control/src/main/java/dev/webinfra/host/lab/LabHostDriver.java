package dev.webinfra.host.lab;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Inet;
import dev.webinfra.host.Shell;
import dev.webinfra.wait.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lab's host driver: a host is a network namespace with its own UTS and mount namespaces (the
 * latter with the host's resolv.conf and hosts over /etc). Commands enter all three through one
 * {@code nsenter}; files are local, under the host's state directory.
 */
public final class LabHostDriver implements HostDriver, LabSupervisor.Processes {
  private final LabLayout layout;
  private final Poll poll;

  /** A driver for a command run once from the CLI, on the system clock. */
  public LabHostDriver(LabLayout layout) {
    this(layout, Poll.system());
  }

  /** A driver that waits (for a process to enter its host) on {@code poll}. */
  public LabHostDriver(LabLayout layout, Poll poll) {
    this.layout = layout;
    this.poll = poll;
  }

  /** The layout this driver works in. */
  public LabLayout layout() {
    return layout;
  }

  @Override
  public HostPaths paths(String host) {
    return layout.host(host);
  }

  @Override
  public boolean isUp(String host) {
    // A file test, not a command: the controller asks this for every host several times a second.
    if (!layout.namespaceExists(host)) {
      return false;
    }
    ExecResult r =
        Shell.run(
            List.of("ip", "-n", layout.namespace(host), "-o", "link", "show", "up"),
            null,
            Duration.ofSeconds(5));
    return r.ok() && r.stdout().lines().anyMatch(l -> !l.contains(": lo:"));
  }

  /** The command line that runs {@code cmd} inside {@code host}, in this process's directory. */
  public List<String> inHost(String host, List<String> cmd) {
    return inHost(host, cmd, Path.of(System.getProperty("user.dir")));
  }

  // One nsenter into the host's network, mount and UTS namespaces, made once by LabNetwork; a
  // host made before those mounts were (by an older webinfra) is entered as it was then, through
  // ip netns exec, which makes a mount namespace for each command. Entering a mount namespace
  // leaves the command at its root: nsenter moves it to wd.
  private List<String> inHost(String host, List<String> cmd, Path wd) {
    String ns = layout.namespace(host);
    Path mnt = layout.mountFile(host);
    List<String> out =
        new ArrayList<>(
            Files.exists(mnt)
                ? List.of(
                    "nsenter",
                    "--net=" + layout.namespaceFile(host),
                    "--mount=" + mnt,
                    "--uts=" + layout.utsFile(host),
                    "--wd=" + wd,
                    "--")
                : List.of(
                    "ip", "netns", "exec", ns, "nsenter", "--uts=" + layout.utsFile(host), "--"));
    out.addAll(cmd);
    return out;
  }

  /**
   * Mounts each of the host's files of {@link LabLayout#netnsEtc} over its namesake in /etc, in the
   * host's mount namespace, in place of what was mounted there before: a file written anew is
   * another inode, which the old mount would go on showing.
   */
  static void bindEtc(LabLayout layout, String host) {
    Path mnt = layout.mountFile(host);
    if (!LabInventory.mounts().contains(mnt.toString())) {
      return; // made with its mounts by LabNetwork, which binds them then
    }
    Shell.check(
        "host " + host,
        "nsenter",
        "--mount=" + mnt,
        "--",
        "sh",
        "-c",
        "for e in \"$1\"/*; do [ -e \"$e\" ] || continue; n=/etc/${e##*/}; [ -e \"$n\" ] ||"
            + " continue; while umount \"$n\" 2>/dev/null; do :; done; mount --bind \"$e\""
            + " \"$n\" || exit 1; done",
        "bind-etc",
        layout.netnsEtc(host).toString());
  }

  @Override
  public ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout) {
    return Shell.run(inHost(host, cmd), stdin, timeout);
  }

  @Override
  public int execInteractive(String host, List<String> cmd) {
    try {
      return new ProcessBuilder(inHost(host, cmd)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot run '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  @Override
  public Process open(String host, List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(inHost(host, cmd));
    // A clean environment: JAVA_TOOL_OPTIONS or credentials of the CLI must not reach the host.
    pb.environment().clear();
    pb.environment().put("PATH", Shell.DAEMON_PATH);
    pb.environment().put("LANG", "C.UTF-8");
    try {
      return pb.start();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot start '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFile(String host, Path path, String content, String mode, String owner) {
    try {
      Files.createDirectories(path.getParent());
      // Write beside and move, so a reader never sees half a file and the mode is right at once.
      Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      chown(tmp, owner);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  // Each of /etc/netns/<namespace>/ is mounted over its namesake in /etc in the host's mount
  // namespace (and by ip netns exec for each command it runs).
  @Override
  public boolean writeSystemFile(String host, String etcPath, String content) {
    Path p = layout.netnsEtc(host).resolve(etcPath);
    if (readFile(host, p).filter(content::equals).isPresent()) {
      return false;
    }
    writeFile(host, p, content, "rw-r--r--", null);
    bindEtc(layout, host);
    return true;
  }

  @Override
  public Optional<String> readBaseSystemFile(String host, String etcPath) {
    // Every lab host shares the machine's /etc beneath its own overlay.
    return readFile(host, Path.of("/etc").resolve(etcPath));
  }

  @Override
  public boolean copyFile(String host, Path from, Path to, String mode, String owner) {
    try {
      Files.createDirectories(to.getParent());
      if (Files.exists(to) && Files.mismatch(from, to) == -1) {
        return false;
      }
      Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
      Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
      chown(tmp, owner);
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> readFile(String host, Path path) {
    try {
      return Files.isRegularFile(path) ? Optional.of(Files.readString(path)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void mkdirs(String host, Path dir, String owner) {
    try {
      Files.createDirectories(dir);
      chown(dir, owner);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host "
              + host
              + ": cannot create "
              + dir
              + (owner == null ? "" : " for user " + owner)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void link(String host, Path link, String target) {
    try {
      Files.createDirectories(link.getParent());
      Path tmp = link.resolveSibling("." + link.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(target));
      Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot link " + link + " to " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> readLink(String host, Path link) {
    try {
      return Files.isSymbolicLink(link)
          ? Optional.of(Files.readSymbolicLink(link).toString())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void chown(Path p, String owner) throws IOException {
    if (owner != null) {
      UserPrincipal user =
          p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
      Files.setOwner(p, user);
    }
  }

  /**
   * Starts a daemon detached from this process, with its output appended to {@code log}; returns
   * its pid.
   */
  @Override
  public long spawn(String host, List<String> cmd, Path log) {
    List<String> full = new ArrayList<>(List.of("setsid"));
    full.addAll(cmd);
    ProcessBuilder pb =
        new ProcessBuilder(inHost(host, full, layout.host(host).run()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true);
    // Daemons must not inherit the CLI's environment (JAVA_TOOL_OPTIONS, credentials, a terminal).
    pb.environment().clear();
    pb.environment().put("PATH", Shell.DAEMON_PATH);
    pb.environment().put("LANG", "C.UTF-8");
    // Daemons that write beside themselves (garbd's gvwstate.dat) must do it in their host.
    pb.directory(layout.host(host).run().toFile());
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(layout.host(host).run());
      // setsid puts the daemon in a session of its own, so the CLI's Ctrl-C does not reach it.
      Process p = pb.start();
      // nsenter enters the namespace a moment after it starts: return once it has, so that
      // isAlive, which checks the namespace, is true of it from then on.
      poll.within(
          Duration.ofSeconds(5),
          Duration.ofMillis(2),
          () -> !p.isAlive() || LabInventory.inNamespace(p.pid(), layout.namespace(host)));
      return p.pid();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot start '" + String.join(" ", cmd) + "': " + e.getMessage(), e);
    }
  }

  /** Whether process {@code pid} is alive in the host. */
  @Override
  public boolean isAlive(String host, long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
        && LabInventory.inNamespace(pid, layout.namespace(host));
  }

  /** Sends a signal ({@code TERM}, {@code KILL}, {@code HUP}…) to a process of the host. */
  @Override
  public void signal(String host, long pid, String signal) {
    if (isAlive(host, pid)) {
      Shell.run("kill", "-" + signal, Long.toString(pid));
    }
  }

  /**
   * Sends a signal to several processes of the host at once: one kill(1) for them all, whose
   * kill(2) calls follow each other within microseconds.
   */
  @Override
  public void signalAll(String host, List<Long> pids, String signal) {
    if (!pids.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
      pids.forEach(pid -> cmd.add(Long.toString(pid)));
      Shell.run(cmd.toArray(String[]::new));
    }
  }

  /** The pids of every process in the host. */
  public List<Long> pids(String host) {
    return LabInventory.pidsIn(layout.namespace(host));
  }

  @Override
  public Set<String> addresses(String host) {
    Set<String> out = new LinkedHashSet<>();
    Inet.parse(Shell.run("ip", "-n", layout.namespace(host), "-o", "-4", "addr", "show").stdout())
        .forEach(a -> out.add(a.address()));
    return out;
  }

  @Override
  public boolean removeAddress(String host, String cidr, String link) {
    return Shell.run("ip", "-n", layout.namespace(host), "addr", "del", cidr, "dev", link).ok();
  }

  @Override
  public int cutPower(String host, List<String> links, Runnable whileFrozen) {
    List<Long> pids = pids(host);
    // All at once, as power goes: frozen first, then killed. Killed one by one (a kill process
    // each, tens of ms apart on a busy machine), the survivors served a moment without what died
    // first: the app answered 503 without its database, nginx 502 without its app, and
    // bench/load-powercut.sh counted those writes failed. Frozen, none of them acts on another's
    // death.
    signalAll(host, pids, "STOP");
    whileFrozen.run();
    // Killed, and their connections closed, before the links go down, so that the kernel's resets
    // and FINs reach the peers and HAProxy retries a request in flight on this host at once. With
    // the links taken down first, such a request waited for a timeout (KeyedWritesIT counted 4 in
    // fresh-clone runs). A process leaves the namespace's list as soon as its first thread exits,
    // while its other threads (a JVM's or MariaDB's hundreds) still hold its sockets: on a loaded
    // machine, 17 connections were still open 400 ms after the list was empty. So the cut waits on
    // the connections themselves, bounded: a process that never exits does not hold it up. It
    // waits for what it killed: a process started in the host since (chaos's address monitor)
    // holds no connection and does not hold it up either.
    signalAll(host, pids, "KILL");
    poll.within(
        Duration.ofSeconds(5),
        Duration.ofMillis(20),
        () -> java.util.Collections.disjoint(pids(host), pids) && openConnections(host) == 0);
    linksDown(host, links);
    return pids.size();
  }

  /**
   * TCP connections in the host that a process still holds or whose close its peer has not yet
   * acknowledged; those in TIME-WAIT or FIN-WAIT-2 are closed as far as the peer knows.
   */
  private int openConnections(String host) {
    List<String> cmd =
        new ArrayList<>(List.of("ss", "-N", layout.namespace(host), "-H", "-t", "-n"));
    for (String state : OPEN_STATES) {
      cmd.add("state");
      cmd.add(state);
    }
    return (int)
        Shell.run(cmd.toArray(String[]::new)).stdout().lines().filter(l -> !l.isBlank()).count();
  }

  private static final List<String> OPEN_STATES =
      List.of(
          "established", "close-wait", "syn-sent", "syn-recv", "fin-wait-1", "last-ack", "closing");

  /** Takes a host's links down, as a power cut does. */
  private void linksDown(String host, List<String> links) {
    for (String link : links) {
      Shell.run("ip", "-n", layout.namespace(host), "link", "set", link, "down");
    }
  }
}
