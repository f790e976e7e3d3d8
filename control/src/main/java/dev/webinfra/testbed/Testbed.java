package dev.webinfra.testbed;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.Inet;
import dev.webinfra.host.Shell;
import dev.webinfra.host.Trees;
import dev.webinfra.topology.Attachment;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Network;
import dev.webinfra.topology.Topology;
import dev.webinfra.wait.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A test bed of booted machines for a topology: one {@code systemd-nspawn -b} machine per host, on
 * an overlay of the cached {@link TestbedImage}, with its addresses on bridges like the lab's, sshd
 * with a host key of its own, and root's login by a key made for the test bed. The machine webinfra
 * runs on gets an address on every bridge, to reach them over SSH, and a table that drops what the
 * machines send it unasked. What {@code up} made, {@code down} finds again by name (bridges, links,
 * cgroups, mounts, the machines' pids in their directories), so it also removes a half-made one.
 */
public final class Testbed {
  /** How long a machine has to boot until sshd answers and systemd says it is running. */
  static final Duration BOOT = Duration.ofMinutes(2);

  private final TestbedLayout layout;
  private final PrintWriter out;
  private final Poll poll;

  public Testbed(TestbedLayout layout, PrintWriter out, Poll poll) {
    this.layout = layout;
    this.out = out;
    this.poll = poll;
  }

  /**
   * Boots a machine for every host of {@code t} and returns the topology that reaches them over SSH
   * (written in the test bed's directory).
   */
  public Path up(Topology t) {
    if (t.onServers()) {
      throw WebinfraException.invalidInput(
          "testbed up: topology "
              + t.source()
              + " already describes servers reached over SSH; give it a lab topology");
    }
    if (Files.exists(layout.dir())) {
      throw WebinfraException.invalidInput(
          "testbed up: test bed "
              + layout.lab()
              + " is up already ("
              + layout.dir()
              + "); take it down first: webinfra testbed down --lab "
              + layout.lab());
    }
    networksFree(t);
    Path image = TestbedImage.of(t).ensure(out);
    try {
      Files.createDirectories(layout.machines());
      keygen("the test bed's key", "webinfra-testbed-" + layout.lab(), layout.key());
      guard(t);
      for (int i = 0; i < t.networks().size(); i++) {
        bridge(t, i);
      }
      List<String> known = new ArrayList<>();
      for (int i = 0; i < t.hosts().size(); i++) {
        known.add(prepare(t, i, image));
      }
      Files.writeString(layout.knownHosts(), String.join("\n", known) + "\n");
      for (int i = 0; i < t.hosts().size(); i++) {
        boot(t, i);
      }
      awaitRunning(t);
      Path topology = layout.topology();
      Files.writeString(
          topology, ServerTopology.render(t, layout, this::sshAddress, h -> interfaces(t, h)));
      out.println(
          "testbed "
              + layout.lab()
              + ": "
              + t.hosts().size()
              + " machines running; take them down with: webinfra testbed down --lab "
              + layout.lab());
      out.println(topology);
      return topology;
    } catch (IOException | RuntimeException e) {
      out.println("testbed up: failed; removing what it made");
      try {
        down(false);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** The address webinfra reaches {@code h} at: its first, where the machine has one too. */
  // Each machine's link on a network keeps the name it was made with (nspawn moves it in whole).
  private java.util.Map<String, String> interfaces(Topology t, Host h) {
    int index = t.hosts().indexOf(h);
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Attachment a : h.attachments()) {
      out.put(a.network(), layout.veth(index, networkIndex(t, a.network()), false));
    }
    return out;
  }

  String sshAddress(Host h) {
    return h.attachments().get(0).address().toString();
  }

  // A network of the topology that this machine already has an address in (a lab of the same
  // preset, most often) would be two bridges for one network: refused before anything is made.
  private void networksFree(Topology t) {
    List<Inet> held = Inet.parse(Shell.run("ip", "-o", "-4", "addr", "show").stdout());
    for (Network n : t.networks()) {
      for (Inet a : held) {
        if (dev.webinfra.topology.Ipv4.parse(a.address()).filter(n.cidr()::contains).isPresent()) {
          throw WebinfraException.invalidInput(
              "testbed up: network "
                  + n.name()
                  + " ("
                  + n.cidr()
                  + ") is in use on this machine already ("
                  + a.address()
                  + " on "
                  + a.link()
                  + "); take that lab down, or give the test bed networks of its own");
        }
      }
    }
  }

  // The machine's address on network i: the one the topology gives it there, else the last usable
  // address that no host has.
  static String machineAddress(Topology t, Network n) {
    if (n.machineAddress().isPresent()) {
      return n.machineAddress().get().toString();
    }
    var taken =
        t.hosts().stream().flatMap(h -> h.attachments().stream()).map(Attachment::address).toList();
    var a = n.cidr().lastUsable();
    while (taken.contains(a)) {
      a = a.plus(-1);
    }
    return a.toString();
  }

  private void bridge(Topology t, int i) {
    Network n = t.networks().get(i);
    String br = layout.bridge(i);
    Shell.check("testbed: bridge " + br, "ip", "link", "add", br, "type", "bridge");
    Shell.check(
        "testbed: address of bridge " + br,
        "ip",
        "addr",
        "add",
        machineAddress(t, n) + "/" + n.cidr().prefix(),
        "dev",
        br);
    Shell.check("testbed: bridge " + br + " up", "ip", "link", "set", br, "up");
  }

  // The machines may answer the machine webinfra runs on, never open a connection to it.
  private void guard(Topology t) {
    String table = layout.nftTable();
    String rules =
        "table inet "
            + table
            + " {\n"
            + "  chain input {\n"
            + "    type filter hook input priority -10; policy accept;\n"
            + "    iifname \""
            + layout.bridgePrefix()
            + "*\" ct state established,related accept\n"
            + "    iifname \""
            + layout.bridgePrefix()
            + "*\" drop\n"
            + "  }\n"
            + "}\n";
    Shell.check(
        "testbed: the machine's guard", List.of("nft", "-f", "-"), rules, Duration.ofSeconds(30));
  }

  // A machine's own files, in its overlay's upper layer, and its links; returns its known_hosts
  // line.
  private String prepare(Topology t, int index, Path image) throws IOException {
    Host h = t.hosts().get(index);
    Path m = layout.machine(h.name());
    Path upper = m.resolve("upper");
    for (Path d : List.of(upper, m.resolve("work"), m.resolve("merged"))) {
      Files.createDirectories(d);
    }
    Files.createDirectories(upper.resolve("etc/ssh"));
    Files.writeString(upper.resolve("etc/hostname"), h.name() + "\n");
    Path hostKey = upper.resolve("etc/ssh/ssh_host_ed25519_key");
    keygen("host key of " + h.name(), "root@" + h.name(), hostKey);
    Path ssh = upper.resolve("root/.ssh");
    Files.createDirectories(
        ssh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
    Path authorized = ssh.resolve("authorized_keys");
    Files.copy(Path.of(layout.key() + ".pub"), authorized);
    Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
    Path network = upper.resolve("etc/systemd/network");
    Files.createDirectories(network);
    List<String> addresses = new ArrayList<>();
    for (Attachment a : h.attachments()) {
      int net = networkIndex(t, a.network());
      String inside = layout.veth(index, net, false);
      link(index, net);
      Files.writeString(
          network.resolve("10-" + inside + ".network"),
          "# "
              + h.name()
              + " on network "
              + a.network()
              + ", written by webinfra testbed\n[Match]\nName="
              + inside
              + "\n\n[Network]\nAddress="
              + a.address()
              + "/"
              + t.network(a.network()).orElseThrow().cidr().prefix()
              + "\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n");
      addresses.add(a.address().toString());
    }
    Shell.check(
        "testbed: file system of " + h.name(),
        "mount",
        "-t",
        "overlay",
        "overlay",
        "-o",
        "lowerdir=" + image + ",upperdir=" + upper + ",workdir=" + m.resolve("work"),
        m.resolve("merged").toString());
    String pub = Files.readString(Path.of(hostKey + ".pub")).strip();
    String[] parts = pub.split(" ");
    return String.join(",", addresses) + " " + parts[0] + " " + parts[1];
  }

  // Host number index's link on network number net: a veth pair, its outer end on the bridge.
  private void link(int index, int net) {
    String inside = layout.veth(index, net, false);
    String outside = layout.veth(index, net, true);
    Shell.check(
        "testbed: link " + outside,
        "ip",
        "link",
        "add",
        outside,
        "type",
        "veth",
        "peer",
        "name",
        inside,
        "address",
        layout.mac(index, net));
    Shell.check(
        "testbed: link " + outside,
        "ip",
        "link",
        "set",
        outside,
        "master",
        layout.bridge(net),
        "up");
  }

  // nspawn keeps these under /run/systemd/nspawn, which is not a tmpfs on this machine: a machine
  // killed leaves them, and the next nspawn of that name refuses to remove them itself.
  private void forgetRun(String host) {
    for (String d : List.of("propagate", "unix-export", "incoming")) {
      deleteTree(Path.of("/run/systemd/nspawn", d, layout.machineName(host)));
    }
  }

  /**
   * Boots a machine again after a power cut, on the disk it had (its overlay's upper layer): its
   * links are made anew (a veth goes with the machine that held it) and it is waited for as at
   * {@code up}; every unit webinfra enabled starts as a server's boot starts it.
   */
  public void powerOn(Topology t, String host) {
    Host h =
        t.host(host)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput("testbed: no host " + host + " in " + t.lab()));
    if (alive(host)) {
      throw WebinfraException.invalidInput("testbed: machine " + host + " is running already");
    }
    int index = t.hosts().indexOf(h);
    forgetRun(host);
    try {
      for (Attachment a : h.attachments()) {
        int net = networkIndex(t, a.network());
        Shell.run("ip", "link", "del", layout.veth(index, net, true));
        link(index, net);
      }
      boot(t, index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitRunning(h);
  }

  // An ed25519 key pair without a passphrase: FILE and FILE.pub.
  private static void keygen(String what, String comment, Path file) {
    Shell.sshKeyPair("testbed: " + what, comment, file);
  }

  private static int networkIndex(Topology t, String name) {
    for (int i = 0; i < t.networks().size(); i++) {
      if (t.networks().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no network " + name);
  }

  /**
   * Starts a machine, detached. Its launching shell first moves into cgroups of its own (the
   * machine webinfra runs on has no systemd to give nspawn a scope), so that no two machines share
   * one; {@code --keep-unit} then keeps nspawn in it. The shell becomes nspawn (each step execs the
   * next), so the pid kept is nspawn's.
   */
  private void boot(Topology t, int index) throws IOException {
    Host h = t.hosts().get(index);
    Path m = layout.machine(h.name());
    StringBuilder script = new StringBuilder("set -e\n");
    for (Path cg : layout.cgroups(h.name())) {
      script
          .append("mkdir -p ")
          .append(cg)
          .append("\necho $$ > ")
          .append(cg)
          .append("/cgroup.procs\n");
    }
    List<String> nspawn =
        new ArrayList<>(
            List.of(
                "systemd-nspawn",
                "--boot",
                "--register=no",
                "--keep-unit",
                "--console=read-only",
                "--machine=" + layout.machineName(h.name()),
                "--directory=" + m.resolve("merged")));
    for (Attachment a : h.attachments()) {
      nspawn.add("--network-interface=" + layout.veth(index, networkIndex(t, a.network()), false));
    }
    // nspawn waits for udev to initialise a link it is given, unless /sys is read-only (its sign
    // that no udev runs, as in a container). This machine runs no udev and has /sys writable: the
    // machine's nspawn sees it read-only in a mount namespace of its own.
    script
        .append("exec unshare --mount --propagation private -- sh -c ")
        .append("'mount -o remount,bind,ro /sys && exec ")
        .append(String.join(" ", nspawn))
        .append("'\n");
    ProcessBuilder pb =
        new ProcessBuilder("setsid", "bash", "-c", script.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(m.resolve("console.log").toFile()))
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", Shell.DAEMON_PATH);
    pb.environment().put("LANG", "C.UTF-8");
    Process p = pb.start();
    Files.writeString(m.resolve("pid"), p.pid() + "\n");
  }

  // Every machine boots at once; each is waited for until sshd lets root in and systemd is done.
  private void awaitRunning(Topology t) {
    Map<String, String> failed = new ConcurrentHashMap<>();
    t.hosts().parallelStream()
        .forEach(
            h -> {
              try {
                awaitRunning(h);
              } catch (RuntimeException e) {
                failed.put(h.name(), e.getMessage());
              }
            });
    if (!failed.isEmpty()) {
      var first = failed.entrySet().stream().sorted(Map.Entry.comparingByKey()).findFirst().get();
      throw WebinfraException.unexpectedState(first.getValue());
    }
  }

  private void awaitRunning(Host h) {
    String address = sshAddress(h);
    java.time.Instant deadline = poll.clock().instant().plus(BOOT);
    ExecResult last = null;
    while (poll.clock().instant().isBefore(deadline)) {
      if (!alive(h.name())) {
        throw WebinfraException.unexpectedState(
            "testbed: machine "
                + h.name()
                + " stopped while booting; its console: "
                + consoleTail(h.name()));
      }
      last = ssh(address, "systemctl is-system-running --wait", Duration.ofSeconds(60));
      String state = last.stdout().strip();
      if (state.equals("running")) {
        return;
      }
      if (state.equals("degraded")) {
        String units =
            ssh(address, "systemctl --failed --no-legend --plain", Duration.ofSeconds(10))
                .stdout()
                .strip();
        throw WebinfraException.unexpectedState(
            "testbed: machine "
                + h.name()
                + " booted with failed units: "
                + units.replace('\n', ';'));
      }
      poll.sleep(Duration.ofMillis(250));
    }
    throw WebinfraException.unexpectedState(
        "testbed: machine "
            + h.name()
            + " did not let root in over SSH at "
            + address
            + " within "
            + BOOT.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last.describe()));
  }

  /**
   * Runs {@code command} as root on the machine at {@code address}, over SSH with the test bed's
   * key.
   */
  public ExecResult ssh(String address, String command, Duration timeout) {
    return Shell.run(
        List.of(
            "ssh",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "UserKnownHostsFile=" + layout.knownHosts(),
            "-o",
            "ConnectTimeout=2",
            "-o",
            "LogLevel=ERROR",
            "-i",
            layout.key().toString(),
            "root@" + address,
            command),
        null,
        timeout);
  }

  private String consoleTail(String host) {
    try {
      List<String> lines = Files.readAllLines(layout.machine(host).resolve("console.log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no console log)";
    }
  }

  /**
   * The test bed whose machines the servers' topology {@code servers} reaches, as its switch: a
   * topology that {@code testbed up} wrote (or a site's copy of it), while the test bed is up.
   */
  public static Optional<dev.webinfra.host.PowerSwitch> powerSwitch(Topology site) {
    Topology servers = site.withSparesAsHosts();
    // Its copy (a site's under /var/lib/webinfra/sites) keeps the test bed's name: the test bed
    // of that name holds these machines when it reaches each host at the same address.
    TestbedLayout layout = new TestbedLayout(servers.lab());
    if (!Files.isDirectory(layout.machines()) || !Files.isRegularFile(layout.topology())) {
      return Optional.empty();
    }
    Topology bedTopology;
    try {
      bedTopology =
          dev.webinfra.topology.TopologyLoader.load(layout.topology()).withSparesAsHosts();
    } catch (WebinfraException e) {
      return Optional.empty();
    }
    boolean same =
        servers.hosts().size() == bedTopology.hosts().size()
            && servers.hosts().stream()
                .allMatch(
                    h ->
                        bedTopology
                            .host(h.name())
                            .flatMap(Host::ssh)
                            .map(s -> s.address())
                            .equals(h.ssh().map(s -> s.address())));
    if (!same) {
      return Optional.empty();
    }
    Testbed bed =
        new Testbed(
            layout, new PrintWriter(java.io.OutputStream.nullOutputStream()), Poll.system());
    return Optional.of(
        new dev.webinfra.host.PowerSwitch() {
          @Override
          public void cut(String host) {
            bed.powerCut(host);
          }

          @Override
          public void on(String host) {
            bed.powerOn(servers, host);
          }

          @Override
          public boolean isOn(String host) {
            return bed.alive(host);
          }
        });
  }

  /** Whether the machine of {@code host} runs: its nspawn, by the pid kept for it, is alive. */
  boolean alive(String host) {
    return nspawnPid(host).isPresent();
  }

  // The pid kept in the machine's directory, if that process is still this machine's nspawn (or the
  // shell about to become it): a pid reused by another process is not ours.
  Optional<Long> nspawnPid(String host) {
    Path f = layout.machine(host).resolve("pid");
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(f).strip());
      Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      // The launching shell execs unshare, then sh, then nspawn; read in the middle of an exec, the
      // command line is empty for a moment (seen on a cold first boot): read it again, for up to
      // a second, before taking the machine for gone. A zombie's is empty too, for good: an nspawn
      // that exited, which this machine's init may reap seconds later, is gone at once.
      String marker = "--machine=" + layout.machineName(host);
      for (int i = 0; i < 40 && p.get().isAlive() && !zombie(pid); i++) {
        String cmdline = commandLine(pid);
        if (!cmdline.isEmpty()) {
          return cmdline.contains(marker + " ") || cmdline.contains(marker + "\n")
              ? Optional.of(pid)
              : Optional.empty();
        }
        poll.sleep(Duration.ofMillis(25));
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  // Its state in /proc/PID/stat, the letter after the command's closing parenthesis: Z (or X) once
  // it has exited, until its parent reaps it. A process that is gone counts as one.
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 1).strip();
      return state.startsWith("Z") || state.startsWith("X");
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** The pid of the machine's own init (systemd, PID 1 inside it): nspawn's child. */
  Optional<Long> initPid(String host) {
    return nspawnPid(host)
        .flatMap(pid -> ProcessHandle.of(pid).flatMap(p -> p.children().findFirst()))
        .map(ProcessHandle::pid);
  }

  /**
   * Cuts a machine's power: its init and so everything in it killed at once, as chaos's power cut
   * of a test-bed machine does. nspawn then exits. Returns when the KILL was sent (by this process
   * itself, with no command to start first), once the machine is gone.
   */
  public java.time.Instant powerCut(String host) {
    ProcessHandle init =
        initPid(host)
            .flatMap(ProcessHandle::of)
            .orElseThrow(
                () ->
                    WebinfraException.invalidInput(
                        "testbed: machine "
                            + host
                            + " of test bed "
                            + layout.lab()
                            + " is not running"));
    java.time.Instant cut = poll.clock().instant();
    init.destroyForcibly();
    poll.within(Duration.ofSeconds(10), Duration.ofMillis(50), () -> !alive(host));
    return cut;
  }

  /**
   * Stops every machine of the test bed and removes what {@code up} made; {@code purge} removes the
   * cached images too. Safe on a half-made test bed and on one already down.
   */
  public void down(boolean purge) {
    List<String> hosts = machines();
    // Each machine powers off cleanly first (SIGRTMIN+4 to its systemd), all at once.
    for (String h : hosts) {
      initPid(h).ifPresent(pid -> Shell.run("kill", "-s", "SIGRTMIN+4", Long.toString(pid)));
    }
    for (String h : hosts) {
      if (!poll.within(Duration.ofSeconds(15), Duration.ofMillis(100), () -> !alive(h))) {
        initPid(h).ifPresent(pid -> Shell.run("kill", "-KILL", Long.toString(pid)));
        nspawnPid(h).ifPresent(pid -> Shell.run("kill", "-KILL", Long.toString(pid)));
        poll.within(Duration.ofSeconds(10), Duration.ofMillis(100), () -> !alive(h));
      }
      if (alive(h)) {
        throw WebinfraException.unexpectedState(
            "testbed down: machine " + h + " is still running after a KILL; nothing else removed");
      }
    }
    for (String h : hosts) {
      Path merged = layout.machine(h).resolve("merged");
      if (mounted(merged)) {
        Shell.check("testbed down: unmount " + merged, "umount", merged.toString());
      }
      layout.cgroups(h).forEach(Testbed::removeCgroup);
      forgetRun(h);
    }
    for (Path cg : layout.cgroupParents()) {
      if (Files.isDirectory(cg)) {
        try (Stream<Path> left = Files.list(cg)) {
          if (left.noneMatch(Files::isDirectory)) {
            removeCgroup(cg);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    // nspawn's own directories, once no machine needs them.
    Path nspawnRun = Path.of("/run/systemd/nspawn");
    for (String d : List.of("propagate", "unix-export", "incoming", "locks", "")) {
      removeIfEmpty(nspawnRun.resolve(d));
    }
    for (String link : links()) {
      Shell.run("ip", "link", "del", link);
    }
    if (Shell.run("nft", "list", "table", "inet", layout.nftTable()).ok()) {
      Shell.check(
          "testbed down: remove the guard", "nft", "delete", "table", "inet", layout.nftTable());
    }
    deleteTree(layout.dir());
    // The last test bed's going takes their common directory with it, and webinfra's, when no lab
    // or site keeps anything there either.
    removeIfEmpty(TestbedLayout.ROOT);
    removeIfEmpty(TestbedLayout.ROOT.getParent());
    if (purge) {
      TestbedImage.purge(out);
    }
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      throw WebinfraException.unexpectedState(
          "testbed down: " + layout.lab() + " left " + String.join(", ", left));
    }
    out.println(
        "testbed "
            + layout.lab()
            + ": down; checked: no machine, bridge, link, mount, cgroup or file is left"
            + (purge ? "" : " (the image stays cached in " + TestbedImage.CACHE + ")"));
  }

  /** What of the test bed is still on this machine, each named; empty when nothing is. */
  public List<String> leftovers() {
    List<String> out = new ArrayList<>();
    for (String h : machines()) {
      if (alive(h)) {
        out.add("machine " + h);
      }
    }
    links().forEach(l -> out.add("link " + l));
    String mounts = readMounts();
    if (mounts.contains(layout.dir().toString())) {
      out.add("a mount under " + layout.dir());
    }
    if (Files.exists(layout.dir())) {
      out.add("directory " + layout.dir());
    }
    for (Path cg : layout.cgroupParents()) {
      try (Stream<Path> s = Files.isDirectory(cg) ? Files.list(cg) : Stream.empty()) {
        s.filter(p -> p.getFileName().toString().startsWith(layout.lab() + "-"))
            .forEach(p -> out.add("cgroup " + p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (Shell.run("nft", "list", "table", "inet", layout.nftTable()).ok()) {
      out.add("nftables table inet " + layout.nftTable());
    }
    return out;
  }

  // The hosts that have a machine directory.
  private List<String> machines() {
    if (!Files.isDirectory(layout.machines())) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(layout.machines())) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The test bed's bridges and the machine-side ends of its links, by their names.
  private List<String> links() {
    return Shell.run("ip", "-o", "link", "show")
        .stdout()
        .lines()
        .map(l -> l.split(":\\s+", 3))
        .filter(w -> w.length > 1)
        .map(w -> w[1].split("@")[0])
        .filter(layout::isOurs)
        .toList();
  }

  private static boolean mounted(Path p) {
    return readMounts()
        .lines()
        .anyMatch(l -> l.split(" ").length > 1 && l.split(" ")[1].equals(p.toString()));
  }

  private static String readMounts() {
    try {
      return Files.readString(Path.of("/proc/self/mounts"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // A machine's cgroup holds the ones systemd made inside it (payload, its slices, supervisor):
  // each is removed, deepest first, once no process is left in it.
  private static void removeCgroup(Path cg) {
    if (!Files.isDirectory(cg)) {
      return;
    }
    try (Stream<Path> all = Files.walk(cg)) {
      for (Path d :
          all.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(d);
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "testbed down: cannot remove cgroup " + cg + ": " + e.getMessage());
    }
  }

  private static void removeIfEmpty(Path dir) {
    try {
      Trees.deleteIfEmpty(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path p) {
    try {
      Trees.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
