package dev.webinfra.host.lab;

import dev.webinfra.host.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What exists on this machine right now: namespaces, links, mounts and processes. */
public final class LabInventory {
  private LabInventory() {}

  /** Names of all network namespaces. */
  public static Set<String> namespaces() {
    return Shell.run("ip", "netns", "list")
        .stdout()
        .lines()
        .map(l -> l.split("\\s+")[0])
        .filter(s -> !s.isBlank())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Names of all links in the machine's own namespace. */
  public static Set<String> links() {
    return Shell.run("ip", "-o", "link", "show")
        .stdout()
        .lines()
        .map(l -> l.split(":\\s+", 3))
        .filter(p -> p.length > 1)
        .map(p -> p[1].split("@")[0])
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Mount points of the machine. */
  public static Set<String> mounts() {
    try {
      return Files.readAllLines(Path.of("/proc/mounts")).stream()
          .map(l -> l.split(" ")[1])
          .collect(Collectors.toCollection(LinkedHashSet::new));
    } catch (IOException e) {
      return Set.of();
    }
  }

  /**
   * Pids of the processes inside a namespace, as {@code ip netns pids} finds them (each process's
   * {@code ns/net} against the namespace's file) but without a process of its own: down and a power
   * cut ask this every few milliseconds until none is left.
   */
  public static List<Long> pidsIn(String namespace) {
    Optional<String> link = netLink(namespace);
    if (link.isEmpty()) {
      return List.of();
    }
    return pidsWhere(
        proc ->
            Files.readSymbolicLink(proc.resolve("ns").resolve("net"))
                .toString()
                .equals(link.get()));
  }

  /**
   * Pids of processes whose command line mentions {@code path}: daemons of a lab that escaped its
   * namespaces.
   */
  public static List<Long> pidsMentioning(Path path) {
    String needle = path.toString() + "/";
    return pidsWhere(
        proc -> {
          byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
          for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
              raw[i] = ' ';
            }
          }
          return new String(raw, java.nio.charset.StandardCharsets.UTF_8).contains(needle);
        });
  }

  /** What {@link #pidsWhere} asks of a process's directory under /proc. */
  private interface ProcTest {
    boolean test(Path proc) throws IOException;
  }

  // Every process but this one whose /proc directory passes; one that is gone meanwhile (or whose
  // files this process may not read) does not.
  private static List<Long> pidsWhere(ProcTest test) {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(
              p -> {
                try {
                  return test.test(p);
                } catch (IOException e) {
                  return false;
                }
              })
          .map(p -> Long.parseLong(p.getFileName().toString()))
          .filter(pid -> pid != ProcessHandle.current().pid())
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The inode of a namespace file, to tell which namespace a process is in. */
  static long inode(Path nsFile) {
    try {
      return ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** Whether a process lives in the given network namespace. */
  public static boolean inNamespace(long pid, String namespace) {
    Optional<String> link = netLink(namespace);
    try {
      return link.isPresent()
          && Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net"))
              .toString()
              .equals(link.get());
    } catch (IOException e) {
      return false;
    }
  }

  // What /proc/PID/ns/net reads for a process in the namespace; none when there is no such one.
  private static Optional<String> netLink(String namespace) {
    long inode = inode(LabLayout.NETNS_DIR.resolve(namespace));
    return inode > 0 ? Optional.of("net:[" + inode + "]") : Optional.empty();
  }

  /**
   * Whether a process has exited: gone, or a zombie waiting for its parent (this machine's init
   * reaps orphans only about once a second; an exited process holds nothing but its pid).
   */
  public static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }

  /** Kills, and waits for, the processes named in pid files; a missing or stale file is skipped. */
  public static void killFromPidFiles(dev.webinfra.wait.Poll poll, Path... pidFiles) {
    for (Path f : pidFiles) {
      try {
        if (Files.exists(f)) {
          ProcessHandle.of(Long.parseLong(Files.readString(f).strip()))
              .ifPresent(
                  p -> {
                    p.destroyForcibly();
                    // Polled, not onExit(): for a process not our child the JDK polls slowly.
                    poll.within(
                        java.time.Duration.ofSeconds(5),
                        java.time.Duration.ofMillis(10),
                        () -> exited(p.pid()));
                  });
        }
      } catch (IOException | NumberFormatException e) {
        // No usable pid: nothing left to kill.
      }
    }
  }
}
