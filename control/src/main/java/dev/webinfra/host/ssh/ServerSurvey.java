package dev.webinfra.host.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a server has already of what {@code up} prepares on it, asked in one command: which of its
 * packages are installed, which of their services are masked, which of its daemons' users exist,
 * which Java runtime and control jar it holds, its firewall's unit, and whether the site's
 * controller may log in. An {@code up} that finds all of it there sends nothing more; asked one
 * thing at a time, a server took six to eight round trips of every {@code up}, about five seconds
 * on the busy test bed.
 *
 * @param packages dpkg-query's answer about the packages ({@link dev.webinfra.host.DpkgQuery})
 * @param units {@link ServerFabric#PACKAGE_UNITS}'s answer, empty if it failed
 * @param users the users asked about that exist
 * @param runtimeStamp the runtime's stamp file, if there is one
 * @param controlJarSum the control jar's {@code sha256sum} line, if there is one
 * @param firewallUnit the firewall's unit file, if there is one
 * @param controllerKey whether the controller's key is authorized and recorded
 */
record ServerSurvey(
    String packages,
    Optional<String> units,
    Set<String> users,
    Optional<String> runtimeStamp,
    Optional<String> controlJarSum,
    Optional<String> firewallUnit,
    boolean controllerKey) {

  /** The controller's line in {@code user}'s authorized_keys, and its line in the manifest. */
  record Key(String user, String line, String record) {}

  /**
   * What to ask: the manifest's directory is made first (the command fails if it cannot be); each
   * optional part is asked only where given.
   */
  record Ask(
      Path manifest,
      List<String> packages,
      List<String> unitPackages,
      Path dpkgInfo,
      Path unitDir,
      List<String> users,
      Optional<Path> runtimeStamp,
      Optional<Path> controlJar,
      Optional<Path> firewallUnit,
      Optional<Key> key) {}

  /** The command that asks what {@code ask} says, and prints a line for each answer. */
  static List<String> command(Ask a) {
    StringBuilder s = new StringBuilder();
    s.append("mkdir -p ").append(q(a.manifest().getParent().toString())).append(" || exit 1;");
    s.append(" b() { if [ -f \"$1\" ] && [ -r \"$1\" ]; then base64 -w0 -- \"$1\"; else printf -;")
        .append(" fi; echo; };");
    s.append(" printf 'packages ';");
    if (!a.packages().isEmpty()) {
      s.append(" dpkg-query -W '-f=${Package} ${Status}\\n'");
      a.packages().forEach(p -> s.append(' ').append(q(p)));
      s.append(" 2>/dev/null | base64 -w0;");
    }
    s.append(" echo;");
    if (!a.unitPackages().isEmpty()) {
      s.append(" if u=$(sh -c ")
          .append(q(ServerFabric.PACKAGE_UNITS))
          .append(" units ")
          .append(q(a.dpkgInfo().toString()))
          .append(' ')
          .append(q(a.unitDir().toString()));
      a.unitPackages().forEach(p -> s.append(' ').append(q(p)));
      s.append("); then printf 'units '; printf '%s' \"$u\" | base64 -w0; echo; fi;");
    } else {
      s.append(" echo 'units ';");
    }
    if (!a.users().isEmpty()) {
      s.append(" for u in");
      a.users().forEach(u -> s.append(' ').append(q(u)));
      s.append("; do id -u -- \"$u\" >/dev/null 2>&1 && echo \"user $u\"; done;");
    }
    a.runtimeStamp()
        .ifPresent(f -> s.append(" printf 'stamp '; b ").append(q(f.toString())).append(';'));
    a.controlJar()
        .ifPresent(
            f ->
                s.append(" printf 'jar '; sha256sum -- ")
                    .append(q(f.toString()))
                    .append(" 2>/dev/null | base64 -w0; echo;"));
    a.firewallUnit()
        .ifPresent(f -> s.append(" printf 'firewall '; b ").append(q(f.toString())).append(';'));
    a.key()
        .ifPresent(
            k ->
                s.append(" home=$(getent passwd ")
                    .append(q(k.user()))
                    .append(" | cut -d: -f6); [ -n \"$home\" ] && grep -qxF -- ")
                    .append(q(k.line()))
                    .append(" \"$home/.ssh/authorized_keys\" 2>/dev/null && grep -qxF -- ")
                    .append(q(k.record()))
                    .append(' ')
                    .append(q(a.manifest().toString()))
                    .append(" 2>/dev/null && echo key;"));
    s.append(" true");
    return List.of("sh", "-c", s.toString());
  }

  /** The survey that {@link #command}'s output says. */
  static ServerSurvey parse(String stdout) {
    String packages = "";
    Optional<String> units = Optional.empty();
    Set<String> users = new LinkedHashSet<>();
    Optional<String> stamp = Optional.empty();
    Optional<String> jar = Optional.empty();
    Optional<String> firewall = Optional.empty();
    boolean key = false;
    for (String line : stdout.lines().toList()) {
      int sp = line.indexOf(' ');
      String k = sp < 0 ? line : line.substring(0, sp);
      String v = sp < 0 ? "" : line.substring(sp + 1).strip();
      switch (k) {
        case "packages" -> packages = decode(v);
        case "units" -> units = Optional.of(decode(v));
        case "user" -> users.add(v);
        case "stamp" -> stamp = file(v);
        case "jar" -> jar = v.isEmpty() ? Optional.empty() : Optional.of(decode(v));
        case "firewall" -> firewall = file(v);
        case "key" -> key = true;
        default -> {
          // Not an answer of the survey (a login banner, say): ignored.
        }
      }
    }
    return new ServerSurvey(packages, units, Set.copyOf(users), stamp, jar, firewall, key);
  }

  private static Optional<String> file(String v) {
    return v.equals("-") ? Optional.empty() : Optional.of(decode(v));
  }

  private static String decode(String v) {
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }

  private static String q(String word) {
    return SshTransport.quote(word);
  }
}
