package dev.webinfra.apply;

import dev.webinfra.WebinfraException;
import dev.webinfra.daemon.DaemonSpec;
import dev.webinfra.daemon.Fingerprint;
import dev.webinfra.daemon.HostFile;
import dev.webinfra.host.HostDriver;
import dev.webinfra.host.HostReads;
import dev.webinfra.site.Secrets;
import dev.webinfra.tls.HostCertificates;
import dev.webinfra.topology.Host;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Supplies the files daemon units ask for but cannot render: the lab's secrets, certificates and
 * the application's build. It gives their digests for fingerprints and installs them on hosts.
 */
public final class Supplies {
  private static final Pattern SECRET = Pattern.compile("\\{\\{secret:([a-z0-9-]+)}}");
  private final HostDriver driver;
  private final Secrets secrets;
  private final HostCertificates certificates;
  private final Path appJar;
  private final Optional<Release> release;
  private String appJarDigest;
  private Map<String, String> staticFiles;

  public Supplies(HostDriver driver, Secrets secrets, HostCertificates certificates, Path appJar) {
    this(driver, secrets, certificates, appJar, Optional.empty());
  }

  /**
   * Supplies with a user's app release besides our build ({@code appJar}, whose static files nginx
   * still serves).
   */
  public Supplies(
      HostDriver driver,
      Secrets secrets,
      HostCertificates certificates,
      Path appJar,
      Optional<Release> release) {
    this.driver = driver;
    this.secrets = secrets;
    this.certificates = certificates;
    this.appJar = appJar;
    this.release = release;
  }

  /** The same supplies with {@code other} as the user's app release: what a deploy installs. */
  public Supplies withRelease(Release other) {
    return new Supplies(driver, secrets, certificates, appJar, Optional.of(other));
  }

  /** The user's app release these supplies install, if the app is not our guestbook. */
  public Optional<Release> release() {
    return release;
  }

  /**
   * The digest of each supplied file of {@code spec} as {@link #install} would leave it, reading
   * only: a file that install would make or replace (a secret not made yet, a certificate to issue)
   * gets the digest {@code new}, which no installed file has. Planning uses this, so it writes
   * nothing, here or on a host.
   */
  public Map<Path, String> digests(Host h, DaemonSpec spec) {
    return digests(h, List.of(spec)).get(0);
  }

  /**
   * {@link #digests(Host, DaemonSpec)} of each of {@code specs}, in order, with the host's
   * certificates and keys read in one ask (on a server, one round trip).
   */
  public List<Map<Path, String>> digests(Host h, List<DaemonSpec> specs) {
    HostReads reads =
        new HostReads(driver, h.name())
            .prefetch(
                specs.stream()
                    .flatMap(spec -> spec.hostFiles().stream())
                    .filter(f -> CERTIFICATES.contains(f.source()))
                    .map(HostFile::path)
                    .toList());
    return specs.stream().map(spec -> supply(h, spec, false, reads)).toList();
  }

  /** The supplied files that hold a certificate or its key, which planning reads to check. */
  private static final Set<HostFile.Source> CERTIFICATES =
      java.util.EnumSet.of(
          HostFile.Source.CA_CERTIFICATE,
          HostFile.Source.SITE_PEM,
          HostFile.Source.HOST_CERTIFICATE,
          HostFile.Source.HOST_KEY);

  /**
   * Installs the supplied files of {@code spec} on {@code h}, making secrets and certificates that
   * are not made yet, and returns their digests. Files are written only when their content differs
   * from the host's.
   */
  public Map<Path, String> install(Host h, DaemonSpec spec) {
    HostReads reads = new HostReads(driver, h.name());
    return supply(h, spec, true, reads.prefetch(readsOf(List.of(spec))));
  }

  /**
   * The planned daemons of lab {@code lab} with their supplies installed, each with the fingerprint
   * of what was installed, in the plan's order; the daemons of {@code stopped} hosts are left as
   * planned. The hosts are supplied at once, each host's daemons in the plan's order (a certificate
   * one unit issues is the one the next unit on that host finds). What a host's files hold is read
   * in one ask: on servers each read is an SSH round trip.
   */
  public List<Desired> install(String lab, List<Desired> planned, Set<String> stopped) {
    Map<Desired, Desired> done = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Host, List<Desired>> byHost = new LinkedHashMap<>();
    for (Desired d : planned) {
      if (!stopped.contains(d.host().name())) {
        byHost.computeIfAbsent(d.host(), h -> new ArrayList<>()).add(d);
      }
    }
    InParallel.each(
        lab,
        List.copyOf(byHost.values()),
        ds -> {
          HostReads reads =
              new HostReads(driver, ds.get(0).host().name())
                  .prefetch(readsOf(ds.stream().map(Desired::spec).toList()));
          for (Desired d : ds) {
            done.put(
                d,
                new Desired(
                    d.host(),
                    d.unit(),
                    d.spec(),
                    Fingerprint.of(d.spec(), supply(d.host(), d.spec(), true, reads))));
          }
        });
    return planned.stream().map(d -> done.getOrDefault(d, d)).toList();
  }

  /**
   * The files of the hosts' copies that installing {@code specs} compares before it writes: the
   * supplied files with a content of their own, and the app's static files.
   */
  private List<Path> readsOf(List<DaemonSpec> specs) {
    List<Path> out = new ArrayList<>();
    for (DaemonSpec spec : specs) {
      for (HostFile f : spec.hostFiles()) {
        switch (f.source()) {
          case SECRET, SECRET_TEMPLATE, CA_CERTIFICATE, SITE_PEM, HOST_CERTIFICATE, HOST_KEY ->
              out.add(f.path());
          case APP_STATIC -> staticFiles().keySet().forEach(n -> out.add(f.path().resolve(n)));
          case APP_JAR, APP_RELEASE -> {}
        }
      }
    }
    return out;
  }

  private Map<Path, String> supply(Host h, DaemonSpec spec, boolean install, HostReads reads) {
    Map<Path, String> digests = new LinkedHashMap<>();
    // Written together once all are known: on a server, one SSH round trip for them all.
    List<HostDriver.FileWrite> writes = new ArrayList<>();
    Map<Path, String> certs = certificates.contents(h, spec.hostFiles(), install, reads::read);
    for (HostFile f : spec.hostFiles()) {
      Optional<String> content =
          switch (f.source()) {
            case SECRET ->
                (install
                        ? Optional.of(secrets.password(f.argument()))
                        : secrets.existing(f.argument()))
                    .map(s -> s + "\n");
            case SECRET_TEMPLATE -> secretTemplate(f.argument(), install);
            case CA_CERTIFICATE, SITE_PEM, HOST_CERTIFICATE, HOST_KEY ->
                Optional.ofNullable(certs.get(f.path()));
            case APP_JAR -> {
              digests.put(f.path(), jarDigest());
              if (install) {
                driver.copyFile(h.name(), appJar, f.path(), f.mode(), f.owner());
              }
              yield null;
            }
            case APP_RELEASE -> {
              Release r =
                  release.orElseThrow(
                      () ->
                          WebinfraException.unexpectedState(
                              spec.id() + ": a user's app, but no release to install"));
              digests.put(f.path(), "release:" + r.id());
              if (install) {
                installRelease(h.name(), f.path(), r);
              }
              yield null;
            }
            case APP_STATIC -> {
              // Static files change with the build but need no restart: no digest.
              if (install) {
                staticFiles()
                    .forEach(
                        (name, text) ->
                            writes.add(
                                new HostDriver.FileWrite(
                                    f.path().resolve(name), text, "rw-r--r--", null)));
              }
              yield null;
            }
          };
      if (content == null) {
        continue;
      }
      digests.put(f.path(), content.map(Fingerprint::sha256).orElse("new"));
      if (install && content.isPresent()) {
        writes.add(new HostDriver.FileWrite(f.path(), content.get(), f.mode(), f.owner()));
      }
    }
    reads.writeChanged(writes);
    return digests;
  }

  /** How many releases a server keeps besides the current one, for a quick rollback. */
  static final int KEPT_RELEASES = 4;

  /** The file a release directory gets once all its files are in: a half-copied one has none. */
  static final String COMPLETE = ".webinfra-release";

  /**
   * Puts {@code r} on {@code host} as {@code root/releases/ID} (copied once; a release without its
   * {@link #COMPLETE} file is copied again) and points {@code root/current} at it in one rename. On
   * a running host, releases older than the last {@link #KEPT_RELEASES} go.
   */
  private void installRelease(String host, Path root, Release r) {
    Path releases = root.resolve("releases");
    Path dir = releases.resolve(r.id());
    Path complete = dir.resolve(COMPLETE);
    if (!driver.readFile(host, complete).filter(r.id()::equals).isPresent()) {
      for (Release.Entry e : r.entries()) {
        Path to = dir.resolve(e.relative().toString());
        driver.copyFile(host, e.file(), to, e.executable() ? "rwxr-xr-x" : "rw-r--r--", null);
      }
      driver.writeFile(host, complete, r.id(), "rw-r--r--", null);
    }
    driver.link(host, root.resolve("current"), "releases/" + r.id());
    if (driver.isUp(host)) {
      // The newest first; the current one and the KEPT_RELEASES before it stay.
      run(
          host,
          "sh",
          "-c",
          "cd \"$1\" && ls -1t | grep -vxF -e \"$2\" | tail -n +$3"
              + " | while read -r d; do rm -rf -- \"$d\"; done",
          "prune",
          releases.toString(),
          r.id(),
          Integer.toString(KEPT_RELEASES + 1));
    }
  }

  private void run(String host, String... cmd) {
    var res = driver.exec(host, List.of(cmd), null, Duration.ofSeconds(30));
    if (!res.ok()) {
      throw WebinfraException.unexpectedState("host " + host + ": " + res.describe());
    }
  }

  private Optional<String> secretTemplate(String template, boolean install) {
    Matcher m = SECRET.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Optional<String> s =
          install ? Optional.of(secrets.password(m.group(1))) : secrets.existing(m.group(1));
      if (s.isEmpty()) {
        return Optional.empty();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(s.get()));
    }
    m.appendTail(sb);
    return Optional.of(sb.toString());
  }

  private synchronized String jarDigest() {
    if (appJarDigest == null) {
      try {
        appJarDigest = Fingerprint.sha256(Files.readAllBytes(appJar));
      } catch (IOException e) {
        throw WebinfraException.unexpectedState(
            "the app's jar " + appJar + ": cannot read: " + e.getMessage(), e);
      }
    }
    return appJarDigest;
  }

  /** The app's static files (under {@code static/} in its jar), by their name there; read once. */
  private synchronized Map<String, String> staticFiles() {
    if (staticFiles == null) {
      Map<String, String> files = new LinkedHashMap<>();
      try (ZipFile zip = new ZipFile(appJar.toFile())) {
        var entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          if (!e.getName().startsWith("static/") || e.isDirectory() || e.getName().contains("..")) {
            continue;
          }
          try (InputStream in = zip.getInputStream(e)) {
            files.put(
                e.getName(),
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      } catch (IOException ex) {
        throw WebinfraException.unexpectedState(
            "cannot extract static files from " + appJar + ": " + ex.getMessage(), ex);
      }
      staticFiles = Map.copyOf(files);
    }
    return staticFiles;
  }
}
