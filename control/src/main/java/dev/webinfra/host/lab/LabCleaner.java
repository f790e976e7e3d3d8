package dev.webinfra.host.lab;

import dev.webinfra.host.Shell;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Removes everything of one lab: processes, namespaces, links, mounts, the machine's nftables table
 * of the lab and files. It works from the lab's name alone, by the naming conventions of {@link
 * LabLayout}, so it also cleans up after a crash or an interrupted {@code up} that left no record
 * of what it made.
 */
public final class LabCleaner {
  private final LabLayout layout;
  private final Consumer<String> progress;
  private final Poll poll;

  /** A cleaner for {@code down} from the CLI, on the system clock. */
  public LabCleaner(LabLayout layout, Consumer<String> progress) {
    this(layout, progress, Poll.system());
  }

  /** A cleaner that waits (for processes to die, mounts to go) on {@code poll}. */
  public LabCleaner(LabLayout layout, Consumer<String> progress, Poll poll) {
    this.layout = layout;
    this.progress = progress;
    this.poll = poll;
  }

  /** Whether anything of the lab is left on the machine. */
  public boolean anythingLeft() {
    return !leftovers().isEmpty();
  }

  /** A description of each thing of the lab still on the machine. */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    LabInventory.namespaces().stream()
        .filter(n -> n.startsWith(layout.namespacePrefix()))
        .forEach(n -> out.add("namespace " + n));
    LabInventory.links().stream().filter(layout::ownsLink).forEach(l -> out.add("link " + l));
    LabInventory.mounts().stream().filter(this::ownsMount).forEach(m -> out.add("mount " + m));
    if (new MachineFirewall(layout, progress).present()) {
      out.add("nftables table inet " + MachineFirewall.table(layout.lab()));
    }
    LabInventory.pidsMentioning(layout.labDir()).forEach(p -> out.add("process " + p));
    if (Files.exists(layout.labDir())) {
      out.add("directory " + layout.labDir());
    }
    if (Files.exists(layout.runDir())) {
      out.add("directory " + layout.runDir());
    }
    return out;
  }

  /**
   * Takes the whole lab down, and the lab driver's top directories once no lab is left in them.
   * Each step carries on past failures of earlier ones.
   */
  public void down() {
    // The controller first, so it does not bring back what is being taken down.
    LabInventory.killFromPidFiles(poll, layout.labDir().resolve("controller.pid"));
    LabInventory.pidsMentioning(layout.labDir())
        .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    Set<String> namespaces = new LinkedHashSet<>();
    LabInventory.namespaces().stream()
        .filter(n -> n.startsWith(layout.namespacePrefix()))
        .forEach(namespaces::add);
    for (String ns : namespaces) {
      killAll(ns);
    }
    // Anything still running from the lab's state directory escaped its namespace (or lost it).
    List<Long> stray = LabInventory.pidsMentioning(layout.labDir());
    if (!stray.isEmpty()) {
      progress.accept("killing " + stray.size() + " stray processes of lab " + layout.lab());
      stray.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
    // down returns only once every process it killed is gone, not while they are still exiting.
    List<ProcessHandle> dying = new java.util.ArrayList<>();
    stray.forEach(pid -> ProcessHandle.of(pid).ifPresent(dying::add));
    poll.within(
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        () ->
            dying.stream().allMatch(h -> LabInventory.exited(h.pid()))
                && LabInventory.pidsMentioning(layout.labDir()).isEmpty());
    // The hosts' mount namespaces first: each holds a /sys of its network namespace, which would
    // otherwise outlive its name.
    unmountHosts();
    for (String ns : namespaces) {
      progress.accept("removing namespace " + ns);
      Shell.run("ip", "netns", "del", ns);
    }
    for (String link : LabInventory.links()) {
      if (layout.ownsLink(link)) {
        progress.accept("removing link " + link);
        Shell.run("ip", "link", "del", link);
      }
    }
    unmountEach(this::ownsMount);
    new MachineFirewall(layout, progress).remove();
    deleteTree(layout.runDir());
    deleteTree(layout.labDir());
    try (var etc = Files.list(Path.of("/etc/netns"))) {
      etc.filter(p -> p.getFileName().toString().startsWith(layout.namespacePrefix()))
          .forEach(this::deleteTree);
    } catch (IOException e) {
      // No /etc/netns: nothing of ours there.
    }
    // /etc/netns too: webinfra made it for the hosts' resolv.conf (ip netns itself does not).
    for (Path root : List.of(layout.runRoot(), Path.of("/etc/netns"))) {
      deleteIfEmpty(root);
    }
  }

  // Best effort: a directory that other labs still use stays, and an empty one left behind is
  // harmless (the next down tries again).
  private static void deleteIfEmpty(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (var s = Files.list(dir)) {
          if (s.findAny().isEmpty()) {
            Files.delete(dir);
          }
        }
      }
    } catch (IOException e) {
      // Left for the next down.
    }
  }

  /**
   * Removes one host of a running lab, as {@code scale} does: its processes (which should be
   * stopped gracefully before), its namespace, its links (the {@code hostIndex}-th host's), its UTS
   * mount, its state and its resolver files.
   */
  public void removeHost(String host, int hostIndex) {
    String ns = layout.namespace(host);
    killAll(ns);
    unmountIfMounted(layout.mountFile(host));
    deleteTree(layout.mountFile(host));
    progress.accept("removing namespace " + ns);
    Shell.run("ip", "netns", "del", ns);
    String links = "wv" + layout.lab() + "." + hostIndex + ".";
    for (String link : LabInventory.links()) {
      if (link.startsWith(links)) {
        progress.accept("removing link " + link);
        Shell.run("ip", "link", "del", link);
      }
    }
    unmountIfMounted(layout.utsFile(host));
    deleteTree(layout.utsFile(host));
    deleteTree(layout.hostDir(host));
    deleteTree(layout.netnsEtc(host));
  }

  /**
   * Kills every process of a host at once and returns when they have exited: a lab being removed
   * needs no graceful stop, since its data goes too.
   */
  public void killAll(String namespace) {
    List<ProcessHandle> handles = new java.util.ArrayList<>();
    // Again until none is left: a process may fork while its siblings die.
    for (int round = 0; round < 5; round++) {
      List<Long> pids = LabInventory.pidsIn(namespace);
      if (pids.isEmpty()) {
        break;
      }
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(handles::add));
      handles.forEach(ProcessHandle::destroyForcibly);
      poll.within(
          Duration.ofSeconds(2),
          Duration.ofMillis(10),
          () -> LabInventory.pidsIn(namespace).isEmpty());
    }
    // Out of the namespace is not gone: wait until each process has exited.
    poll.within(
        Duration.ofSeconds(5),
        Duration.ofMillis(10),
        () -> handles.stream().allMatch(h -> LabInventory.exited(h.pid())));
  }

  private void unmountHosts() {
    String dir = layout.mountDir() + "/";
    unmountEach(m -> m.startsWith(dir));
  }

  // Every mount of the machine that {@code which} picks, the deepest first, lazily.
  private void unmountEach(java.util.function.Predicate<String> which) {
    LabInventory.mounts().stream()
        .filter(which)
        .sorted(Comparator.reverseOrder())
        .forEach(
            m -> {
              progress.accept("unmounting " + m);
              Shell.run("umount", "-l", m);
            });
  }

  private static void unmountIfMounted(Path file) {
    if (LabInventory.mounts().contains(file.toString())) {
      Shell.run("umount", "-l", file.toString());
    }
  }

  private boolean ownsMount(String mount) {
    return mount.startsWith(layout.runDir() + "/")
        || mount.startsWith(layout.labDir() + "/")
        || mount.startsWith(LabLayout.NETNS_DIR.resolve(layout.namespacePrefix()).toString());
  }

  private void deleteTree(Path root) {
    try {
      dev.webinfra.host.Trees.delete(root);
    } catch (IOException e) {
      progress.accept("warning: could not remove all of " + root + ": " + e.getMessage());
    }
  }
}
