package dev.webinfra.host.ssh;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.host.ExecResult;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostPaths;
import dev.webinfra.host.Inet;
import dev.webinfra.host.PowerSwitch;
import dev.webinfra.topology.Ssh;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The host driver of servers reached over SSH ({@link SshTransport}): commands run as root there,
 * files are written whole through a temporary file and a rename, and a server keeps webinfra's
 * things where {@link HostPaths#server()} says. A server cannot lose its power on webinfra's word:
 * {@link #cutPower} refuses.
 */
public final class SshHostDriver implements HostDriver {
  /** Where a server keeps its system files as they were before webinfra wrote its own. */
  static final Path BASE = Path.of("/var/lib/webinfra/base");

  private static final Duration SHORT = Duration.ofSeconds(30);

  private final Topology topology;
  private final SshTransport ssh;
  private final java.util.Map<String, String> digests =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Optional<PowerSwitch> power;
  private final java.util.function.Function<dev.webinfra.topology.Host, Ssh> reach;

  public SshHostDriver(Topology topology, SshTransport ssh) {
    this(topology, ssh, Optional.empty());
  }

  /** A driver that can also cut servers' power through {@code power}, as a test bed's. */
  public SshHostDriver(Topology topology, SshTransport ssh, Optional<PowerSwitch> power) {
    this(topology, ssh, power, h -> h.ssh().orElseThrow());
  }

  /**
   * A driver that reaches each server {@code h} of the topology as {@code reach} says: the site's
   * controller, on one of the servers, reaches the others its own way ({@link ServerController}).
   */
  SshHostDriver(
      Topology topology,
      SshTransport ssh,
      Optional<PowerSwitch> power,
      java.util.function.Function<dev.webinfra.topology.Host, Ssh> reach) {
    this.topology = topology;
    this.ssh = ssh;
    this.power = power;
    this.reach = reach;
  }

  /**
   * Forwards {@code localPort} on this machine's loopback to {@code remotePort} on {@code host}'s,
   * over SSH, for as long as the returned process lives.
   */
  public Process forward(String host, int localPort, int remotePort) {
    return ssh.forward(host, target(host), localPort, remotePort);
  }

  /** What cuts and gives back the servers' power, if anything webinfra holds does. */
  public Optional<PowerSwitch> power() {
    return power;
  }

  private Ssh target(String host) {
    // A spare is reached as the other servers are: scale brings it in.
    return topology
        .host(host)
        .or(() -> topology.spare(host))
        .filter(h -> h.ssh().isPresent())
        .map(reach)
        .orElseThrow(
            () ->
                WebinfraException.invalidInput(
                    "host " + host + ": not a server of topology " + topology.source()));
  }

  @Override
  public HostPaths paths(String host) {
    return HostPaths.server();
  }

  @Override
  public boolean isUp(String host) {
    try {
      return exec(host, List.of("true"), null, Duration.ofSeconds(10)).ok();
    } catch (WebinfraException e) {
      return false;
    }
  }

  @Override
  public ExecResult exec(String host, List<String> cmd, String stdin, Duration timeout) {
    return ssh.run(host, target(host), cmd, stdin, timeout);
  }

  /** With a terminal on the server when this process has one, as {@code ssh -t} gives. */
  @Override
  public int execInteractive(String host, List<String> cmd) {
    try {
      return ssh.interactive(host, target(host), cmd);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  @Override
  public Process open(String host, List<String> cmd) {
    return ssh.open(host, target(host), cmd);
  }

  @Override
  public void writeFile(String host, Path path, String content, String mode, String owner) {
    check(host, "write " + path, exec(host, install(path, mode, owner), content, SHORT));
  }

  /**
   * One command for them all: {@link #writeScript} on its stdin, each file installed as {@link
   * #writeFile} installs one; the first that fails stops it and is named.
   */
  @Override
  public void writeFiles(String host, List<FileWrite> files) {
    if (files.size() < 2) {
      HostDriver.super.writeFiles(host, files);
      return;
    }
    ExecResult r = exec(host, List.of("sh", "-s"), writeScript(files), SHORT);
    if (!r.ok()) {
      String failed = r.stdout().strip();
      check(
          host,
          "write "
              + (failed.isEmpty()
                  ? files.stream().map(f -> f.path().toString()).collect(Collectors.joining(", "))
                  : failed),
          r);
    }
  }

  /**
   * A script for {@code sh -s} that installs each of {@code files} as {@link #install} does (a
   * temporary file, its mode and owner, a rename), its content in base64 in a here-document; a file
   * that cannot be written has its path printed and ends the script with exit 1.
   */
  static String writeScript(List<FileWrite> files) {
    StringBuilder b =
        new StringBuilder(
            "w() { t=\"$1.webinfra-tmp\"; mkdir -p \"$(dirname \"$1\")\" && base64 -d >"
                + " \"$t\" && chmod \"$2\" \"$t\" && { [ -z \"$3\" ] || chown \"$3:\""
                + " \"$t\"; } && mv -f \"$t\" \"$1\" || { echo \"$1\"; exit 1; }; }\n");
    for (FileWrite f : files) {
      b.append("w ")
          .append(SshTransport.quote(f.path().toString()))
          .append(' ')
          .append(octal(f.mode()))
          .append(' ')
          .append(f.owner() == null ? "''" : SshTransport.quote(f.owner()))
          .append(" <<'WEBINFRA_EOF'\n")
          .append(
              Base64.getMimeEncoder(76, new byte[] {'\n'})
                  .encodeToString(f.content().getBytes(StandardCharsets.UTF_8)))
          .append("\nWEBINFRA_EOF\n");
    }
    return b.toString();
  }

  // Written to a temporary file beside the target, given its mode and owner, then renamed over it:
  // a reader sees the old file or the new one, never a part.
  private static List<String> install(Path path, String mode, String owner) {
    String tmp = path + ".webinfra-tmp";
    return List.of(
        "sh",
        "-c",
        "mkdir -p \"$(dirname \"$1\")\" && cat > \"$2\" && chmod "
            + octal(mode)
            + " \"$2\""
            + (owner == null ? "" : " && chown " + owner + ": \"$2\"")
            + " && mv -f \"$2\" \"$1\"",
        "install",
        path.toString(),
        tmp);
  }

  static String octal(String mode) {
    Set<PosixFilePermission> p = PosixFilePermissions.fromString(mode);
    int bits = 0;
    for (PosixFilePermission x : p) {
      bits |= 1 << (8 - x.ordinal());
    }
    return String.format("%03o", bits);
  }

  @Override
  public boolean writeSystemFile(String host, String etcPath, String content) {
    return writeChangedSystemFiles(host, Map.of(etcPath, content));
  }

  @Override
  public void writeSystemFiles(String host, Map<String, String> files) {
    writeChangedSystemFiles(host, files);
  }

  // The distribution's file is kept once, before webinfra's first write, to add to later. Every
  // file and its kept copy read in one round trip, all that differ written in one; returns whether
  // any was written.
  private boolean writeChangedSystemFiles(String host, Map<String, String> files) {
    List<Path> asked = new ArrayList<>();
    files.keySet().forEach(p -> asked.addAll(List.of(etc(p), BASE.resolve(p))));
    Map<Path, Optional<String>> read = readFiles(host, asked);
    List<FileWrite> writes = new ArrayList<>();
    files.forEach(
        (etcPath, content) -> {
          Path file = etc(etcPath);
          Optional<String> now = read.get(file);
          if (now.isPresent() && now.get().equals(content)) {
            return;
          }
          if (now.isPresent() && read.get(BASE.resolve(etcPath)).isEmpty()) {
            writes.add(new FileWrite(BASE.resolve(etcPath), now.get(), "rw-r--r--", null));
          }
          writes.add(new FileWrite(file, content, "rw-r--r--", null));
        });
    if (!writes.isEmpty()) {
      writeFiles(host, writes);
    }
    return !writes.isEmpty();
  }

  @Override
  public Optional<String> readBaseSystemFile(String host, String etcPath) {
    return readBaseSystemFiles(host, List.of(etcPath)).get(etcPath);
  }

  private static Path etc(String etcPath) {
    return Path.of("/etc").resolve(etcPath);
  }

  /** Each file's kept copy, or the file itself where none is kept: all read in one round trip. */
  @Override
  public Map<String, Optional<String>> readBaseSystemFiles(String host, List<String> etcPaths) {
    List<Path> asked = new ArrayList<>();
    etcPaths.forEach(p -> asked.addAll(List.of(BASE.resolve(p), etc(p))));
    Map<Path, Optional<String>> read = readFiles(host, asked);
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    for (String p : etcPaths) {
      Optional<String> base = read.get(BASE.resolve(p));
      out.put(p, base.isPresent() ? base : read.get(etc(p)));
    }
    return out;
  }

  @Override
  public boolean copyFile(String host, Path from, Path to, String mode, String owner) {
    ExecResult sum = exec(host, List.of("sha256sum", to.toString()), null, SHORT);
    if (holds(from, sum.ok() ? Optional.of(sum.stdout()) : Optional.empty())) {
      return false;
    }
    check(
        host,
        "copy " + from + " to " + to,
        ssh.run(host, target(host), install(to, mode, owner), from, Duration.ofMinutes(10)));
    return true;
  }

  /**
   * Whether a server's file, whose {@code sha256sum} line is {@code sum} (empty: no such file), is
   * {@code from}.
   */
  boolean holds(Path from, Optional<String> sum) {
    return sum.filter(line -> line.startsWith(digest(from) + " ")).isPresent();
  }

  // A local file's digest, read once per size and modification time: the same jar goes to each
  // server, and reading and hashing it took most of a second on a busy machine.
  private String digest(Path from) {
    try {
      var attrs = Files.readAttributes(from, java.nio.file.attribute.BasicFileAttributes.class);
      String key =
          from.toAbsolutePath() + " " + attrs.size() + " " + attrs.lastModifiedTime().toMillis();
      String known = digests.get(key);
      if (known != null) {
        return known;
      }
      String d = Fingerprint.sha256(Files.readAllBytes(from));
      digests.put(key, d);
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<String> readFile(String host, Path path) {
    ExecResult r = exec(host, List.of("cat", path.toString()), null, SHORT);
    return r.ok() ? Optional.of(r.stdout()) : Optional.empty();
  }

  /**
   * The command that reads several files at once: a line for each, its content in base64, or {@code
   * -} for a file that is not there or cannot be read.
   */
  static final String READ_FILES =
      "for f; do if [ -f \"$f\" ] && [ -r \"$f\" ]; then base64 -w0 -- \"$f\"; else printf -;"
          + " fi; echo; done";

  /**
   * One command for them all ({@link #READ_FILES}); a file whose line is not base64 is asked again.
   */
  @Override
  public Map<Path, Optional<String>> readFiles(String host, List<Path> paths) {
    if (paths.size() < 2) {
      return HostDriver.super.readFiles(host, paths);
    }
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", READ_FILES, "read"));
    paths.forEach(p -> cmd.add(p.toString()));
    ExecResult r = exec(host, cmd, null, SHORT);
    Map<Path, Optional<String>> out = new LinkedHashMap<>();
    List<Optional<String>> read = r.ok() ? parseReadFiles(paths.size(), r.stdout()) : null;
    for (int i = 0; i < paths.size(); i++) {
      Optional<String> content = read == null ? null : read.get(i);
      out.put(paths.get(i), content != null ? content : readFile(host, paths.get(i)));
    }
    return out;
  }

  /**
   * The contents {@link #READ_FILES} printed for {@code count} files, in their order: null for the
   * whole when the answer has another number of lines, and for a line that is not base64.
   */
  static List<Optional<String>> parseReadFiles(int count, String stdout) {
    List<String> lines = stdout.lines().toList();
    if (lines.size() != count) {
      return null;
    }
    List<Optional<String>> out = new ArrayList<>();
    for (String line : lines) {
      try {
        out.add(
            line.equals("-")
                ? Optional.empty()
                : Optional.of(
                    new String(Base64.getDecoder().decode(line.strip()), StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException e) {
        out.add(null);
      }
    }
    return out;
  }

  @Override
  public void mkdirs(String host, Path dir, String owner) {
    check(
        host,
        "make " + dir,
        exec(
            host,
            owner == null
                ? List.of("mkdir", "-p", dir.toString())
                : List.of(
                    "sh",
                    "-c",
                    "mkdir -p \"$1\" && chown " + owner + ": \"$1\"",
                    "mkdirs",
                    dir.toString()),
            null,
            SHORT));
  }

  @Override
  public void link(String host, Path link, String target) {
    String tmp = link + ".webinfra-tmp";
    check(
        host,
        "link " + link,
        exec(
            host,
            List.of(
                "sh",
                "-c",
                "ln -sfn \"$1\" \"$2\" && mv -T \"$2\" \"$3\"",
                "link",
                target,
                tmp,
                link.toString()),
            null,
            SHORT));
  }

  @Override
  public Optional<String> readLink(String host, Path link) {
    ExecResult r = exec(host, List.of("readlink", link.toString()), null, SHORT);
    return r.ok() ? Optional.of(r.stdout().strip()) : Optional.empty();
  }

  /**
   * A machine of a test bed loses its power at its switch: everything of it stops at once, so
   * {@code whileFrozen} has nothing left to forget. A server of yours cannot: refused.
   */
  @Override
  public int cutPower(String host, List<String> links, Runnable whileFrozen) {
    if (power.isEmpty()) {
      throw WebinfraException.invalidInput(
          "host "
              + host
              + " is a server: webinfra cannot cut its power; a machine of a test bed can"
              + " (webinfra testbed)");
    }
    ExecResult ps = exec(host, List.of("sh", "-c", "ps -e --no-headers | wc -l"), null, SHORT);
    power.get().cut(host);
    return ps.ok() ? Integer.parseInt(ps.stdout().strip()) : 0;
  }

  @Override
  public Set<String> addresses(String host) {
    Set<String> out = new LinkedHashSet<>();
    links(host).forEach(a -> out.add(a.address()));
    return out;
  }

  /** Each IPv4 address the server holds, with its interface. */
  public List<Inet> links(String host) {
    ExecResult r = exec(host, List.of("ip", "-o", "-4", "addr", "show"), null, SHORT);
    check(host, "list its addresses", r);
    return Inet.parse(r.stdout());
  }

  @Override
  public boolean removeAddress(String host, String cidr, String link) {
    return exec(host, List.of("ip", "addr", "del", cidr, "dev", link), null, SHORT).ok();
  }

  private static void check(String host, String what, ExecResult r) {
    if (!r.ok()) {
      throw WebinfraException.unexpectedState(
          "host " + host + ": cannot " + what + ": " + r.describe());
    }
  }
}
