package dev.webinfra.host;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which Debian packages are installed, in one {@code dpkg-query} for them all: each run reads
 * dpkg's whole database, so one per package cost a process and a read each. A package dpkg does not
 * know is left out of its answer (and makes it exit 1), so it counts as missing.
 */
public final class DpkgQuery {
  private DpkgQuery() {}

  /** The command that asks about {@code packages}. */
  public static List<String> command(List<String> packages) {
    List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${Status}\n"));
    cmd.addAll(packages);
    return cmd;
  }

  /** The packages of {@code wanted} that the command's output does not show installed, in order. */
  public static List<String> missing(List<String> wanted, String stdout) {
    Set<String> installed = new HashSet<>();
    stdout
        .lines()
        .filter(l -> l.endsWith(" install ok installed") && l.indexOf(' ') > 0)
        .forEach(l -> installed.add(l.substring(0, l.indexOf(' '))));
    return wanted.stream().filter(p -> !installed.contains(p)).toList();
  }
}
