package dev.webinfra.deploy;

import dev.webinfra.WebinfraException;
import dev.webinfra.apply.AppArtifacts;
import dev.webinfra.apply.Release;
import dev.webinfra.apply.Releases;
import dev.webinfra.apply.Supplies;
import dev.webinfra.site.LabState;
import dev.webinfra.site.SiteContext;
import dev.webinfra.tls.HostCertificates;
import dev.webinfra.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code deploy} as the operator asks for it: which version goes out (a jar, a release of a user's
 * app, or with {@code --rollback} the one before), checked before anything is touched; the rolling
 * deploy itself ({@link Deployer}); and what the site's state then records, so that {@code up}
 * keeps the deployed version and the next rollback finds the one before. Deploys are serialized by
 * a lock in the site's directory.
 */
public final class AppDeploy {
  private final SiteContext site;
  private final HostCertificates certificates;

  public AppDeploy(SiteContext site, HostCertificates certificates) {
    this.site = site;
    this.certificates = certificates;
  }

  /**
   * Rolls {@code artifact} (null: {@code build} for our guestbook, or what the topology names for a
   * user's app) onto the app servers, each new version having {@code healthy} to pass its health
   * checks; with {@code rollback}, the version before the current one.
   */
  public void deploy(Path artifact, Path build, Duration healthy, boolean rollback) {
    Topology topology = site.topology();
    Optional<Path> user = AppArtifacts.named(topology);
    LabState state = site.state();
    Releases releases = Releases.of(site.layout());
    Path jar;
    Optional<Release> release = Optional.empty();
    Path origin = null;
    if (user.isPresent()) {
      if (rollback) {
        Releases.Recorded prev =
            releases
                .previous()
                .orElseThrow(
                    () ->
                        WebinfraException.invalidInput(
                            "deploy --rollback: lab "
                                + topology.lab()
                                + " has no release before the current one"));
        release = Optional.of(prev.release());
        origin = prev.origin();
      } else {
        origin = artifact != null ? artifact : user.get();
        release = Optional.of(AppArtifacts.release(topology, origin, Releases.dir(site.layout())));
      }
      // Our build still supplies nginx's static files.
      jar = state.deployedJar().orElse(build);
    } else if (rollback) {
      jar =
          state
              .previousJar()
              .orElseThrow(
                  () ->
                      WebinfraException.invalidInput(
                          "deploy --rollback: lab "
                              + topology.lab()
                              + " has no jar deployed before the current one"));
    } else {
      jar = artifact != null ? artifact : build;
    }
    Build.requireJar(jar);
    try (var lock = state.deployLock()) {
      Set<String> stopped = new HashSet<>();
      topology.hosts().stream()
          .filter(h -> state.isStopped(h.name()))
          .forEach(h -> stopped.add(h.name()));
      Supplies supplies = new Supplies(site.driver(), site.secrets(), certificates, jar, release);
      Path served = state.deployedJar().orElse(build);
      int n = new Deployer(site, supplies, site.events(), healthy).deploy(stopped);
      String what;
      if (release.isPresent()) {
        if (rollback) {
          releases.dropCurrent();
        } else {
          releases.record(release.get(), origin);
        }
        what = "release " + release.get().id();
      } else {
        if (rollback) {
          state.setDeployedJar(jar);
          state.dropPreviousJar();
        } else {
          state.keepPreviousJar(served);
          state.setDeployedJar(artifact);
        }
        what = jar.getFileName().toString();
      }
      site.say()
          .accept(
              "lab "
                  + topology.lab()
                  + ": "
                  + what
                  + (rollback ? " rolled back to on " : " deployed to ")
                  + n
                  + " servers");
    } finally {
      release.ifPresent(r -> AppArtifacts.cleanUp(r, Releases.dir(site.layout())));
    }
  }
}
