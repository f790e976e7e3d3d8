package dev.webinfra.tls;

import dev.webinfra.WebinfraException;
import dev.webinfra.analysis.Finding;
import dev.webinfra.analysis.Severity;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.NamedFile;
import dev.webinfra.topology.Role;
import dev.webinfra.topology.Topology;
import dev.webinfra.x509.Pem;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jce.ECNamedCurveTable;

/**
 * The site's certificate (tls mode files) as a careful browser and today's OpenSSL see it: its
 * validity at {@code now} and well ahead of its end, its names, key strength and signature, what it
 * may be used for, the order and authority of the chain that follows it in the file, and who may
 * read its key. A pure function of the topology (whose files were read at load) and the time.
 */
public final class CertificateFindings {
  /** A certificate this close to its end gets a medium finding... */
  static final Duration WARN = Duration.ofDays(30);

  /** ...and this close, a high one: there is barely time to renew. */
  static final Duration URGENT = Duration.ofDays(7);

  /** The longest lifetime Safari, Chrome and Firefox accept since 2020-09-01. */
  static final Duration MAX_LIFETIME = Duration.ofDays(398);

  /** The curves browsers negotiate for ECDSA certificates (Chrome: P-256 and P-384 only). */
  static final Set<String> BROWSER_CURVES =
      Set.of("secp256r1", "prime256v1", "p-256", "secp384r1", "p-384");

  private CertificateFindings() {}

  /** Every finding about the site's certificate files at {@code now}; none unless mode files. */
  public static List<Finding> of(Topology t, Instant now) {
    if (t.tls().cert().isEmpty() || t.tls().key().isEmpty()) {
      return List.of();
    }
    NamedFile certFile = t.tls().cert().get();
    NamedFile keyFile = t.tls().key().get();
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(certFile.text());
    } catch (Pem.Invalid e) {
      return List.of(); // refused at load already
    }
    List<String> hosts = t.hostsWith(Role.LB).stream().map(Host::name).toList();
    Site s = new Site(hosts, certFile, chain);
    List<Finding> out = new ArrayList<>();
    validity(s, now).ifPresent(out::add);
    lifetime(s).ifPresent(out::add);
    noSan(s).ifPresent(out::add);
    out.addAll(weakKeys(s));
    out.addAll(weakSignatures(s));
    usage(s).ifPresent(out::add);
    out.addAll(chainFindings(s));
    keyPermissions(hosts, keyFile).ifPresent(out::add);
    return out;
  }

  /**
   * Refuses (invalid input) a site certificate no browser would accept at {@code now}: expired or
   * not valid yet. {@code up} serves nothing it knows every client refuses.
   */
  public static void requireServable(Topology t, Instant now) {
    of(t, now).stream()
        .filter(f -> Set.of("TLS_CERT_EXPIRED", "TLS_CERT_NOT_YET_VALID").contains(f.id()))
        .findFirst()
        .ifPresent(
            f -> {
              throw WebinfraException.invalidInput(
                  "topology " + t.source() + ": " + f.why() + "; " + f.fix());
            });
  }

  private record Site(List<String> hosts, NamedFile file, List<X509Certificate> chain) {
    X509Certificate leaf() {
      return chain.get(0);
    }

    String where() {
      return file.field() + " " + file.path();
    }
  }

  static Optional<Finding> validity(Site s, Instant now) {
    Instant from = s.leaf().getNotBefore().toInstant();
    Instant until = s.leaf().getNotAfter().toInstant();
    if (now.isAfter(until)) {
      return Optional.of(
          new Finding(
              "TLS_CERT_EXPIRED",
              Severity.HIGH,
              s.hosts(),
              "the site's certificate has expired",
              s.where()
                  + " expired "
                  + days(Duration.between(until, now))
                  + " ago, on "
                  + day(until)
                  + ": every browser refuses the site",
              "renew it and point tls.cert and tls.key at the new files"));
    }
    if (now.isBefore(from)) {
      return Optional.of(
          new Finding(
              "TLS_CERT_NOT_YET_VALID",
              Severity.HIGH,
              s.hosts(),
              "the site's certificate is not valid yet",
              s.where()
                  + " is valid from "
                  + from
                  + ", in "
                  + days(Duration.between(now, from))
                  + ": browsers refuse it until then (is this machine's clock right?)",
              "use the current certificate until then, or check the clocks"));
    }
    Duration left = Duration.between(now, until);
    if (left.compareTo(WARN) <= 0) {
      return Optional.of(
          new Finding(
              "TLS_CERT_EXPIRES_SOON",
              left.compareTo(URGENT) <= 0 ? Severity.HIGH : Severity.MEDIUM,
              s.hosts(),
              "the site's certificate expires soon",
              s.where()
                  + " expires in "
                  + days(left)
                  + ", on "
                  + day(until)
                  + "; after that every browser refuses the site",
              "renew it now (ACME clients renew 30 days ahead), then point tls.cert and tls.key"
                  + " at the new files"));
    }
    return Optional.empty();
  }

  static Optional<Finding> lifetime(Site s) {
    Duration life =
        Duration.between(s.leaf().getNotBefore().toInstant(), s.leaf().getNotAfter().toInstant());
    if (life.compareTo(MAX_LIFETIME) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Finding(
            "TLS_CERT_LIFETIME_TOO_LONG",
            Severity.MEDIUM,
            s.hosts(),
            "the site's certificate is valid for longer than browsers accept",
            s.where()
                + " is valid for "
                + life.toDays()
                + " days; Safari, Chrome and Firefox refuse a publicly trusted server certificate"
                + " valid for more than "
                + MAX_LIFETIME.toDays()
                + " days",
            "issue it for at most " + MAX_LIFETIME.toDays() + " days (90 is usual)"));
  }

  static Optional<Finding> noSan(Site s) {
    try {
      if (s.leaf().getSubjectAlternativeNames() != null
          && s.leaf().getSubjectAlternativeNames().stream().anyMatch(n -> n.get(0).equals(2))) {
        return Optional.empty();
      }
    } catch (CertificateParsingException e) {
      // An unreadable extension is as good as none to a browser.
    }
    return Optional.of(
        new Finding(
            "TLS_CERT_NO_SAN",
            Severity.HIGH,
            s.hosts(),
            "the site's certificate names its site only in the common name",
            s.where()
                + " has no DNS name in subjectAltName (subject: "
                + s.leaf().getSubjectX500Principal().getName()
                + "); browsers ignore the common name since 2017 and refuse it, while OpenSSL"
                + " clients still accept it",
            "reissue it with every site name as a DNS subjectAltName"));
  }

  static List<Finding> weakKeys(Site s) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < s.chain().size(); i++) {
      X509Certificate c = s.chain().get(i);
      if (i > 0 && selfSigned(c)) {
        continue; // a root in the file is not what clients check
      }
      Optional<String> weak = weakKey(c.getPublicKey());
      if (weak.isPresent()) {
        out.add(
            new Finding(
                "TLS_WEAK_KEY",
                Severity.HIGH,
                s.hosts(),
                "a certificate of the site has a weak key",
                s.where() + ": " + which(i, c) + " has " + weak.get(),
                "use an EC P-256 key, or RSA of 2048 bits or more, and reissue"));
      }
    }
    return out;
  }

  static Optional<String> weakKey(PublicKey k) {
    if (k instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      return bits < 2048
          ? Optional.of(
              "an RSA key of "
                  + bits
                  + " bits; browsers and OpenSSL (security level 2) need 2048 or more")
          : Optional.empty();
    }
    if (k instanceof ECPublicKey ec) {
      String curve = curve(ec);
      return BROWSER_CURVES.contains(curve)
          ? Optional.empty()
          : Optional.of(
              "an EC key on curve "
                  + curve
                  + " ("
                  + ec.getParams().getCurve().getField().getFieldSize()
                  + " bits); browsers accept only P-256 and P-384");
    }
    if (k instanceof DSAPublicKey) {
      return Optional.of("a DSA key; no browser accepts DSA certificates");
    }
    return Optional.of(
        "a " + k.getAlgorithm() + " key; browsers accept RSA and EC (P-256, P-384) certificates");
  }

  private static String curve(ECPublicKey ec) {
    try {
      var spec = EC5Util.convertSpec(ec.getParams());
      // The curves browsers take first: a good certificate costs two comparisons, not a search.
      for (String name : List.of("secp256r1", "secp384r1")) {
        if (same(ECNamedCurveTable.getParameterSpec(name), spec)) {
          return name;
        }
      }
      for (var names = ECNamedCurveTable.getNames(); names.hasMoreElements(); ) {
        String name = (String) names.nextElement();
        if (same(ECNamedCurveTable.getParameterSpec(name), spec)) {
          return name.toLowerCase(Locale.ROOT);
        }
      }
    } catch (RuntimeException e) {
      // An unnamed curve: said below.
    }
    return "unnamed";
  }

  private static boolean same(
      org.bouncycastle.jce.spec.ECParameterSpec a, org.bouncycastle.jce.spec.ECParameterSpec b) {
    return a != null
        && a.getCurve().equals(b.getCurve())
        && a.getG().equals(b.getG())
        && a.getN().equals(b.getN());
  }

  static List<Finding> weakSignatures(Site s) {
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i < s.chain().size(); i++) {
      X509Certificate c = s.chain().get(i);
      String alg = c.getSigAlgName().toUpperCase(Locale.ROOT);
      if (i > 0 && selfSigned(c)) {
        continue; // a root's own signature is not checked: it is trusted as it is
      }
      if (alg.contains("SHA1") || alg.contains("MD5") || alg.contains("MD2")) {
        out.add(
            new Finding(
                "TLS_WEAK_SIGNATURE",
                Severity.HIGH,
                s.hosts(),
                "a certificate of the site is signed with a broken hash",
                s.where()
                    + ": "
                    + which(i, c)
                    + " is signed with "
                    + c.getSigAlgName()
                    + "; browsers refuse SHA-1 and MD5 signatures (collisions are practical)",
                "reissue it signed with SHA-256 or better"));
      }
    }
    return out;
  }

  static Optional<Finding> usage(Site s) {
    X509Certificate leaf = s.leaf();
    List<String> wrong = new ArrayList<>();
    if (leaf.getBasicConstraints() >= 0) {
      wrong.add(
          "it is a CA certificate (basicConstraints CA:true), which browsers refuse as a server");
    }
    try {
      List<String> eku = leaf.getExtendedKeyUsage();
      if (eku != null && !eku.contains("1.3.6.1.5.5.7.3.1") && !eku.contains("2.5.29.37.0")) {
        wrong.add("its extendedKeyUsage lacks serverAuth (it has " + String.join(", ", eku) + ")");
      }
    } catch (CertificateParsingException e) {
      wrong.add("its extendedKeyUsage cannot be read");
    }
    boolean[] ku = leaf.getKeyUsage();
    if (ku != null && !ku[0] && !(ku[2] && leaf.getPublicKey() instanceof RSAPublicKey)) {
      wrong.add(
          "its keyUsage lacks digitalSignature, which the ECDHE key exchange HAProxy offers needs");
    }
    if (wrong.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Finding(
            "TLS_CERT_NOT_FOR_SERVERS",
            Severity.HIGH,
            s.hosts(),
            "the site's certificate is not made for a TLS server",
            s.where() + ": " + String.join("; ", wrong),
            "reissue it as a server certificate: CA:false, keyUsage digitalSignature,"
                + " extendedKeyUsage serverAuth"));
  }

  static List<Finding> chainFindings(Site s) {
    List<Finding> out = new ArrayList<>();
    List<X509Certificate> c = s.chain();
    for (int i = 0; i + 1 < c.size(); i++) {
      X509Certificate child = c.get(i);
      X509Certificate next = c.get(i + 1);
      if (!issued(next, child)) {
        int real = -1;
        for (int j = 0; j < c.size(); j++) {
          if (j != i && issued(c.get(j), child)) {
            real = j;
          }
        }
        out.add(
            new Finding(
                "TLS_CHAIN_ORDER",
                Severity.HIGH,
                s.hosts(),
                "the certificate chain is out of order or broken",
                s.where()
                    + ": "
                    + which(i + 1, next)
                    + " did not issue "
                    + which(i, child)
                    + (real >= 0
                        ? "; " + which(real, c.get(real)) + " did, further on"
                        : " (issued by " + child.getIssuerX500Principal().getName() + ")")
                    + "; OpenSSL clients and some browsers fail to build the chain",
                "list the server's certificate first, then the certificate that issued it, and so"
                    + " on towards the root"));
        break;
      }
      List<String> notCa = new ArrayList<>();
      if (next.getBasicConstraints() < 0) {
        notCa.add("is not a CA (basicConstraints CA:true missing)");
      }
      boolean[] ku = next.getKeyUsage();
      if (ku != null && !ku[5]) {
        notCa.add("its keyUsage lacks keyCertSign");
      }
      if (!notCa.isEmpty()) {
        out.add(
            new Finding(
                "TLS_CHAIN_ISSUER_NOT_CA",
                Severity.HIGH,
                s.hosts(),
                "a certificate in the chain may not issue certificates",
                s.where()
                    + ": "
                    + which(i + 1, next)
                    + " issued "
                    + which(i, child)
                    + " but "
                    + String.join(" and ", notCa)
                    + "; browsers and OpenSSL refuse the chain",
                "get the chain from the CA: its intermediates are CA:true with keyCertSign"));
      }
    }
    return out;
  }

  static Optional<Finding> keyPermissions(List<String> hosts, NamedFile key) {
    if (key.permissions().isEmpty()) {
      return Optional.empty();
    }
    String p = key.permissions().get();
    boolean others = p.charAt(6) == 'r';
    boolean group = p.charAt(3) == 'r';
    if (!others && !group) {
      return Optional.empty();
    }
    return Optional.of(
        new Finding(
            "TLS_KEY_READABLE",
            others ? Severity.HIGH : Severity.MEDIUM,
            hosts,
            "the site's private key can be read by other users",
            key.field()
                + " "
                + key.path()
                + " is "
                + p
                + ": "
                + (others ? "every user of this machine" : "every member of its group")
                + " can read the key and impersonate the site",
            "chmod 600 " + key.path()));
  }

  // Whether {@code issuer} signed {@code child}: names that chain, and a signature that verifies.
  private static boolean issued(X509Certificate issuer, X509Certificate child) {
    if (!issuer.getSubjectX500Principal().equals(child.getIssuerX500Principal())) {
      return false;
    }
    try {
      child.verify(issuer.getPublicKey());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    return issued(c, c);
  }

  private static String which(int i, X509Certificate c) {
    String n = c.getSubjectX500Principal().getName();
    return (i == 0 ? "the server's certificate" : "certificate " + (i + 1) + " in the file")
        + " ("
        + (n.length() > 60 ? n.substring(0, 60) + "…" : n)
        + ")";
  }

  private static String days(Duration d) {
    long days = d.toDays();
    if (days >= 1) {
      return days + (days == 1 ? " day" : " days");
    }
    long hours = d.toHours();
    return hours + (hours == 1 ? " hour" : " hours");
  }

  private static String day(Instant i) {
    return LocalDate.ofInstant(i, ZoneOffset.UTC).toString();
  }
}
