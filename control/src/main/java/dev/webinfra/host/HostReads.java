package dev.webinfra.host;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One host's files as one pass over it reads and writes them: the files it will read are asked for
 * together ({@link HostDriver#readFiles}: one SSH round trip on a server, not one a file), and a
 * file read or written since is answered from here. For one thread and one pass, while nothing else
 * writes those files.
 */
public final class HostReads {
  private final HostDriver driver;
  private final String host;
  private final Map<Path, Optional<String>> known = new HashMap<>();

  public HostReads(HostDriver driver, String host) {
    this.driver = driver;
    this.host = host;
  }

  /** Reads those of {@code paths} not known yet, in one ask; returns this. */
  public HostReads prefetch(Collection<Path> paths) {
    List<Path> unknown = paths.stream().distinct().filter(p -> !known.containsKey(p)).toList();
    if (!unknown.isEmpty()) {
      known.putAll(driver.readFiles(host, unknown));
    }
    return this;
  }

  /** The file's content on the host, as {@link HostDriver#readFile} gives it. */
  public Optional<String> read(Path path) {
    Optional<String> k = known.get(path);
    if (k == null) {
      k = driver.readFile(host, path);
      known.put(path, k);
    }
    return k;
  }

  /**
   * Writes those of {@code files} that the host does not have already, all in one {@link
   * HostDriver#writeFiles} (one SSH round trip on a server, not one a file); returns whether it
   * wrote any.
   */
  public boolean writeChanged(List<HostDriver.FileWrite> files) {
    prefetch(files.stream().map(HostDriver.FileWrite::path).toList());
    List<HostDriver.FileWrite> changed =
        files.stream()
            .filter(f -> !read(f.path()).filter(f.content()::equals).isPresent())
            .toList();
    if (changed.isEmpty()) {
      return false;
    }
    driver.writeFiles(host, changed);
    changed.forEach(f -> known.put(f.path(), Optional.of(f.content())));
    return true;
  }
}
