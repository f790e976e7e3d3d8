package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The releases of a site's app on this machine, newest last: each a copy of what was deployed, so
 * that {@code deploy --rollback} can put the one before back even after its source changed. A line
 * of {@code history} is a release's id and the path it was made from ({@code up} keeps a deployed
 * release while the topology still names the same artifact).
 */
public final class Releases {
  private final Path dir;

  /** One entry of the history: the release and where it was made from. */
  public record Recorded(Release release, Path origin) {}

  public Releases(Path dir) {
    this.dir = dir;
  }

  /** The releases of a site's app, kept in its state on this machine. */
  public static Releases of(dev.webinfra.host.SiteLayout layout) {
    return new Releases(dir(layout));
  }

  /** Where {@link #of} keeps them; a deploy unpacks a tarball there too. */
  public static Path dir(dev.webinfra.host.SiteLayout layout) {
    return layout.labDir().resolve("state").resolve("releases");
  }

  /** The release the servers run, if any was recorded. */
  public Optional<Recorded> current() {
    List<Recorded> h = history();
    return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
  }

  /** The release before the current one, which a rollback puts back. */
  public Optional<Recorded> previous() {
    List<Recorded> h = history();
    return h.size() < 2 ? Optional.empty() : Optional.of(h.get(h.size() - 2));
  }

  /**
   * The release {@code up} installs for the artifact the topology names: the current one while it
   * was made from that artifact (a deploy stands until the topology names another), else the
   * artifact as it is now. Reads only.
   */
  public Release forUp(Path artifact) {
    return current()
        .filter(r -> r.origin().equals(artifact.toAbsolutePath().normalize()))
        .map(Recorded::release)
        .orElseGet(() -> Release.of(artifact));
  }

  /**
   * Keeps a copy of {@code r} (made from {@code origin}) and makes it current; returns the kept
   * copy. A release already current stays as it is.
   */
  public Release record(Release r, Path origin) {
    Path kept = dir.resolve(r.id());
    try {
      if (!Files.isDirectory(kept)) {
        Path tmp = dir.resolve(r.id() + ".tmp");
        dev.webinfra.host.Trees.delete(tmp);
        for (Release.Entry e : r.entries()) {
          Path to = tmp.resolve(e.relative().toString());
          Files.createDirectories(to.getParent());
          Files.copy(e.file(), to, StandardCopyOption.REPLACE_EXISTING);
          to.toFile().setExecutable(e.executable(), false);
        }
        Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
      }
      Release copy = new Release(r.id(), kept);
      List<Recorded> h = new ArrayList<>(history());
      if (h.isEmpty() || !h.get(h.size() - 1).release().id().equals(r.id())) {
        h.add(new Recorded(copy, origin.toAbsolutePath().normalize()));
        write(h);
      }
      return copy;
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "releases " + dir + ": cannot keep release " + r.id() + ": " + e.getMessage(), e);
    }
  }

  /** Drops the current release from the history, after a rollback put the one before back. */
  public void dropCurrent() {
    List<Recorded> h = new ArrayList<>(history());
    if (!h.isEmpty()) {
      h.remove(h.size() - 1);
      write(h);
    }
  }

  private List<Recorded> history() {
    Path f = dir.resolve("history");
    if (!Files.isRegularFile(f)) {
      return List.of();
    }
    try {
      List<Recorded> out = new ArrayList<>();
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t", 2);
        if (parts.length == 2 && Files.isDirectory(dir.resolve(parts[0]))) {
          out.add(new Recorded(new Release(parts[0], dir.resolve(parts[0])), Path.of(parts[1])));
        }
      }
      return out;
    } catch (IOException | IllegalArgumentException e) {
      throw WebinfraException.unexpectedState(
          "releases " + dir + ": cannot read the history: " + e.getMessage(), e);
    }
  }

  private void write(List<Recorded> h) {
    StringBuilder sb = new StringBuilder();
    h.forEach(r -> sb.append(r.release().id()).append('\t').append(r.origin()).append('\n'));
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("history.tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve("history"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "releases " + dir + ": cannot write the history: " + e.getMessage(), e);
    }
  }
}
