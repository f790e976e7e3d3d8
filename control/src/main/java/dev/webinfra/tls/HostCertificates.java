package dev.webinfra.tls;

import dev.webinfra.daemon.HostFile;
import dev.webinfra.render.haproxy.HaproxyRenderer;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Tls;
import dev.webinfra.topology.Topology;
import dev.webinfra.x509.CertificateCheck;
import dev.webinfra.x509.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The certificates of a lab's hosts: the site's for each load balancer (the user's, in mode files),
 * each server's own name's for TLS behind the load balancers, and the lab CA's certificate. A
 * certificate on a host is kept while it is valid for 30 more days and covers its names, so that
 * {@code up} restarts nothing for it.
 */
public final class HostCertificates {
  private static final Duration KEEP_MARGIN = Duration.ofDays(30);
  private final Topology t;
  private final Path caDir;
  private final Clock clock;
  private LabCa ca;

  public HostCertificates(Topology t, Path caDir, Clock clock) {
    this.t = t;
    this.caDir = caDir;
    this.clock = clock;
  }

  /** Whether the lab CA exists yet. */
  public boolean caExists() {
    return Files.exists(caDir.resolve("ca.crt"));
  }

  /** The lab CA, made on first use. */
  public synchronized LabCa ca() {
    if (ca == null) {
      ca = LabCa.loadOrCreate(caDir, t.lab(), clock);
    }
    return ca;
  }

  /** The lab CA's certificate as PEM. */
  public String caPem() {
    return Pem.write(ca().certificate());
  }

  /**
   * The contents of the certificate files among {@code files} for {@code h}: what the host has
   * while it still serves ({@code read} reads the host's files), else newly issued ones. With
   * {@code mayIssue} false nothing is issued or made, and a file that would be is left out.
   */
  public Map<Path, String> contents(
      Host h,
      List<HostFile> files,
      boolean mayIssue,
      java.util.function.Function<Path, Optional<String>> read) {
    Map<Path, String> out = new LinkedHashMap<>();
    Path crt = null;
    Path key = null;
    for (HostFile f : files) {
      switch (f.source()) {
        case CA_CERTIFICATE -> {
          if (mayIssue || caExists()) {
            out.put(f.path(), caPem());
          }
        }
        case SITE_PEM -> sitePem(h, f.path(), mayIssue, read).ifPresent(c -> out.put(f.path(), c));
        case HOST_CERTIFICATE -> crt = f.path();
        case HOST_KEY -> key = f.path();
        default -> {}
      }
    }
    if (crt != null && key != null) {
      Optional<String> have = read.apply(crt);
      Optional<String> haveKey = read.apply(key);
      if (have.isPresent()
          && haveKey.isPresent()
          && serves(crt, have.get(), key, haveKey.get(), List.of(h.name()))) {
        out.put(crt, have.get());
        out.put(key, haveKey.get());
      } else if (mayIssue) {
        IssuedCertificate c =
            ca().issueServer(
                    List.of(h.name()),
                    h.attachments().stream().map(a -> a.address().toString()).toList(),
                    Duration.ofDays(90));
        out.put(crt, c.certificatePem() + c.caCertificatePem());
        out.put(key, c.privateKeyPem());
      }
    }
    return out;
  }

  private Optional<String> sitePem(
      Host lb,
      Path pem,
      boolean mayIssue,
      java.util.function.Function<Path, Optional<String>> read) {
    if (t.tls().mode() == Tls.Mode.FILES) {
      // The texts read (with their guards) and checked at load, not the files again: what was
      // checked is what is served.
      String cert = t.tls().cert().orElseThrow().text();
      return Optional.of(
          cert + (cert.endsWith("\n") ? "" : "\n") + t.tls().key().orElseThrow().text());
    }
    Optional<String> have = read.apply(pem);
    if (have.isPresent() && serves(pem, have.get(), pem, have.get(), t.siteFqdns())) {
      return have;
    }
    if (!mayIssue) {
      return Optional.empty();
    }
    List<String> ips = new ArrayList<>(HaproxyRenderer.frontAddresses(t, lb));
    return Optional.of(ca().issueServer(t.siteFqdns(), ips, Duration.ofDays(90)).haproxyPem());
  }

  private boolean serves(Path crt, String crtPem, Path key, String keyPem, List<String> names) {
    return CertificateCheck.problems(
            crt.toString(),
            crtPem,
            key.toString(),
            keyPem,
            names,
            clock.instant().plus(KEEP_MARGIN))
        .isEmpty();
  }

  /** The system's CA bundle with the lab CA added, for a client host's trust store. */
  public String clientTrustBundle(String systemBundle) {
    return (systemBundle == null ? "" : systemBundle) + caPem();
  }
}
