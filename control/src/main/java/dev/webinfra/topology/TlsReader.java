package dev.webinfra.topology;

import dev.webinfra.x509.CertificateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code tls} block. In mode files, the certificate and key it names are read with the
 * topology's guards ({@link NamedFile}) and checked for what does not depend on the time: both PEM,
 * the key unencrypted and matching, the site's names covered. Validity in time and quality (key
 * strength, signature, chain, permissions) are findings of {@code check}, which has a clock.
 */
final class TlsReader {
  private TlsReader() {}

  static Tls read(YamlNode node, List<String> fqdns, String source) {
    Map<String, YamlNode> m =
        node.mapping(Set.of("mode", "cert", "key", "backend")).orElse(Map.of());
    Tls.Mode mode = Tls.Mode.OFF;
    if (!m.containsKey("mode") || m.get("mode").isNull()) {
      node.problem(node.path() + ".mode", "missing required field 'mode'");
    } else {
      mode =
          m.get("mode")
              .choice(Set.of("off", "lab", "files"))
              .map(s -> Tls.Mode.valueOf(s.toUpperCase(Locale.ROOT)))
              .orElse(Tls.Mode.OFF);
    }
    Optional<NamedFile> cert = Optional.empty();
    Optional<NamedFile> key = Optional.empty();
    if (mode == Tls.Mode.FILES && (!m.containsKey("cert") || !m.containsKey("key"))) {
      node.problem("mode files needs both 'cert' and 'key'");
    } else if (mode == Tls.Mode.FILES) {
      // Relative paths are relative to the topology file, wherever webinfra runs from.
      Path base = node.problems().base();
      cert = NamedFile.read(m.get("cert"), base, NamedFile.PEM);
      key = NamedFile.read(m.get("key"), base, NamedFile.PEM);
      if (cert.isPresent() && key.isPresent()) {
        CertificateCheck.problems(
                cert.get().path().toString(),
                cert.get().text(),
                key.get().path().toString(),
                key.get().text(),
                fqdns)
            .forEach(node::problem);
      }
    } else {
      for (String f : List.of("cert", "key")) {
        if (m.containsKey(f)) {
          m.get(f)
              .problem(
                  "'"
                      + f
                      + "' applies to mode files and would be ignored in mode "
                      + mode.name().toLowerCase(Locale.ROOT));
        }
      }
    }
    boolean backend =
        m.containsKey("backend") ? m.get("backend").bool().orElse(false) : mode != Tls.Mode.OFF;
    return new Tls(mode, cert, key, backend);
  }
}
