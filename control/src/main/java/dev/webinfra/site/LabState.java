package dev.webinfra.site;

import dev.webinfra.WebinfraException;
import dev.webinfra.host.SiteLayout;
import dev.webinfra.topology.Database;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What has changed in a running lab since its topology was written: today, which server is the
 * primary after a promotion. Every command applies it, so a returning old primary is rendered as a
 * read-only replica and never takes writes again; the last automatic failover; and which former
 * primaries are fenced.
 */
public final class LabState {
  private final SiteLayout layout;

  public LabState(SiteLayout layout) {
    this.layout = layout;
  }

  private Path primaryFile() {
    return layout.labDir().resolve("state").resolve("primary");
  }

  /** The primary chosen by the last promotion, if any. */
  public Optional<String> primary() {
    try {
      Path f = primaryFile();
      return Files.exists(f)
          ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot read " + primaryFile() + ": " + e.getMessage(), e);
    }
  }

  /** Records a promotion. */
  public void setPrimary(String host) {
    try {
      Files.createDirectories(primaryFile().getParent());
      Files.writeString(primaryFile(), host + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot write " + primaryFile() + ": " + e.getMessage(), e);
    }
  }

  private Path stoppedFile(String host) {
    return layout.labDir().resolve("state").resolve("stopped").resolve(host);
  }

  /** Marks a host as stopped on purpose, so the controller does not bring its daemons back. */
  public void setStopped(String host, boolean stopped) {
    try {
      if (stopped) {
        Files.createDirectories(stoppedFile(host).getParent());
        Files.writeString(stoppedFile(host), "");
      } else {
        Files.deleteIfExists(stoppedFile(host));
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab "
              + layout.lab()
              + ": cannot record host "
              + host
              + " as "
              + (stopped ? "stopped" : "started")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private Path waitingFile() {
    return layout.labDir().resolve("state").resolve("waiting");
  }

  /**
   * Records what the last start or up left waiting ("mariadb on web2 waits for web1, which may be
   * ahead"), one line each; status shows it until the next start or up.
   */
  public void setWaiting(List<String> lines) {
    try {
      Files.createDirectories(waitingFile().getParent());
      Files.writeString(waitingFile(), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot write " + waitingFile() + ": " + e.getMessage(), e);
    }
  }

  /** What the last start or up left waiting. */
  public List<String> waiting() {
    try {
      return Files.exists(waitingFile())
          ? Files.readString(waitingFile()).lines().filter(l -> !l.isBlank()).toList()
          : List.of();
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot read " + waitingFile() + ": " + e.getMessage(), e);
    }
  }

  /** Whether a host was stopped on purpose. */
  public boolean isStopped(String host) {
    return Files.exists(stoppedFile(host));
  }

  /** Forgets every stop mark: {@code up} brings the whole lab back. */
  public void clearStopped() {
    Path dir = layout.labDir().resolve("state").resolve("stopped");
    try (var files = Files.exists(dir) ? Files.list(dir) : java.util.stream.Stream.<Path>empty()) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The last automatic failover.
   *
   * @param from the old primary
   * @param to the promoted replica
   * @param at when the controller began it
   * @param took from detection to the new primary taking writes
   */
  public record Failover(String from, String to, java.time.Instant at, java.time.Duration took) {}

  private Path failoverFile() {
    return layout.labDir().resolve("state").resolve("last-failover");
  }

  /** Records a failover, for {@code status} and for the controller's anti-flapping block. */
  public void setLastFailover(Failover f) {
    write(failoverFile(), f.from() + " " + f.to() + " " + f.at() + " " + f.took().toMillis());
  }

  /** The last failover, if there was one. */
  public Optional<Failover> lastFailover() {
    try {
      if (!Files.exists(failoverFile())) {
        return Optional.empty();
      }
      String[] w = Files.readString(failoverFile()).strip().split(" ");
      return Optional.of(
          new Failover(
              w[0],
              w[1],
              java.time.Instant.parse(w[2]),
              java.time.Duration.ofMillis(Long.parseLong(w[3]))));
    } catch (IOException | RuntimeException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot read " + failoverFile() + ": " + e.getMessage(), e);
    }
  }

  private Path fencedFile(String host) {
    return layout.labDir().resolve("state").resolve("fenced").resolve(host);
  }

  /** Marks a former primary as fenced by a failover (or clears the mark once it rejoined). */
  public void setFenced(String host, boolean fenced) {
    try {
      if (fenced) {
        write(fencedFile(host), "");
      } else {
        Files.deleteIfExists(fencedFile(host));
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot unmark " + fencedFile(host) + ": " + e.getMessage(), e);
    }
  }

  /** Whether a host is fenced as a former primary. */
  public boolean isFenced(String host) {
    return Files.exists(fencedFile(host));
  }

  private void write(Path f, String content) {
    try {
      Files.createDirectories(f.getParent());
      Files.writeString(f, content + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot write " + f + ": " + e.getMessage(), e);
    }
  }

  private Path deployedJarFile() {
    return layout.labDir().resolve("state").resolve("deployed").resolve("webinfra-app.jar");
  }

  /** The jar the last deploy of an artifact put on the servers, if that is what they run. */
  public Optional<Path> deployedJar() {
    return Optional.of(deployedJarFile()).filter(Files::isRegularFile);
  }

  /** Records the jar a deploy put on the servers; null: the current build. */
  public void setDeployedJar(Path artifact) {
    try {
      if (artifact == null) {
        Files.deleteIfExists(deployedJarFile());
      } else if (!artifact.toAbsolutePath().equals(deployedJarFile().toAbsolutePath())) {
        Files.createDirectories(deployedJarFile().getParent());
        Files.copy(artifact, deployedJarFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot record the deployed jar: " + e.getMessage(), e);
    }
  }

  private Path previousJarFile() {
    return layout.labDir().resolve("state").resolve("deployed").resolve("previous.jar");
  }

  /** The jar the servers ran before the last deploy, which {@code deploy --rollback} puts back. */
  public Optional<Path> previousJar() {
    return Optional.of(previousJarFile()).filter(Files::isRegularFile);
  }

  /** Keeps {@code served}, the jar the servers ran until a deploy replaced it, for a rollback. */
  public void keepPreviousJar(Path served) {
    try {
      if (!served.toAbsolutePath().equals(previousJarFile().toAbsolutePath())) {
        Files.createDirectories(previousJarFile().getParent());
        Files.copy(served, previousJarFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot keep the previous jar: " + e.getMessage(), e);
    }
  }

  /** Forgets the previous jar once a rollback put it back: one step back only. */
  public void dropPreviousJar() {
    try {
      Files.deleteIfExists(previousJarFile());
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot remove " + previousJarFile() + ": " + e.getMessage(),
          e);
    }
  }

  /** A held lock; closing releases it. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Takes the lab's deploy lock, or fails at once naming who holds it. */
  public Held deployLock() {
    Path f = layout.labDir().resolve("state").resolve("deploy.lock");
    try {
      Files.createDirectories(f.getParent());
      var ch =
          java.nio.channels.FileChannel.open(
              f, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
      var lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        throw WebinfraException.unexpectedState(
            "lab " + layout.lab() + ": another deploy is running (it holds " + f + ")");
      }
      return () -> {
        try {
          lock.release();
          ch.close();
        } catch (IOException e) {
          throw WebinfraException.unexpectedState(
              "lab " + layout.lab() + ": cannot release " + f + ": " + e.getMessage(), e);
        }
      };
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot take the deploy lock " + f + ": " + e.getMessage(), e);
    }
  }

  private Path scaleFile() {
    return layout.labDir().resolve("state").resolve("scale-web");
  }

  /** The number of web servers {@code scale} set, if it did. */
  public Optional<Integer> scale() {
    try {
      Path f = scaleFile();
      return Files.exists(f)
          ? Optional.of(Integer.parseInt(Files.readString(f).strip()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot read " + scaleFile() + ": " + e.getMessage(), e);
    }
  }

  /** Records {@code scale web=N}. */
  public void setScale(int webs) {
    try {
      Files.createDirectories(scaleFile().getParent());
      Files.writeString(scaleFile(), webs + "\n");
    } catch (IOException e) {
      throw WebinfraException.unexpectedState(
          "lab " + layout.lab() + ": cannot write " + scaleFile() + ": " + e.getMessage(), e);
    }
  }

  /** The topology as the lab runs it now: scaled, then with the promoted primary. */
  public Topology effective(Topology file) {
    Topology t = file;
    Optional<Integer> webs = scale();
    if (webs.isPresent() && webs.get() > Scale.webCount(file)) {
      t = Scale.apply(file, webs.get());
    }
    Optional<String> p = primary();
    if (p.isEmpty()
        || t.database().kind() != Database.Kind.PRIMARY_REPLICA
        || t.database().primary().equals(p)) {
      return t;
    }
    return t.withDatabase(t.database().withPrimary(p.get()));
  }
}
