package dev.webinfra.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the site's names: {@code lab}, {@code domain} and {@code site.names}. */
final class SiteReader {
  private SiteReader() {}

  /** The lab's name, which names its namespaces, bridges and links. */
  static String lab(YamlNode root, Map<String, YamlNode> top) {
    return Fields.required(root, top, "lab")
        .flatMap(
            n ->
                Fields.matching(
                        n,
                        TopologyLoader.LAB_NAME,
                        "a lab name is 1 to 8 lower-case letters or digits, starting with a"
                            + " letter")
                    .filter(
                        s -> {
                          if (Topology.RESERVED_LAB_NAMES.contains(s)) {
                            n.problem(
                                "'"
                                    + s
                                    + "' is reserved: /var/lib/webinfra/"
                                    + s
                                    + " holds webinfra's "
                                    + (s.equals("sites") ? "sites of servers" : "test beds")
                                    + "; name the lab otherwise");
                            return false;
                          }
                          return true;
                        }))
        .orElse("invalid");
  }

  /** The site's domain, such as foobar.com. */
  static String domain(YamlNode root, Map<String, YamlNode> top) {
    return Fields.required(root, top, "domain")
        .flatMap(SiteReader::domainName)
        .orElse("invalid.example");
  }

  private static Optional<String> domainName(YamlNode n) {
    return n.string()
        .filter(
            s -> {
              String[] labels = s.split("\\.", -1);
              boolean ok = labels.length >= 2 && s.length() <= 253;
              for (String l : labels) {
                ok &= TopologyLoader.DNS_LABEL.matcher(l).matches();
              }
              if (!ok) {
                n.problem(
                    "'"
                        + Shown.value(s)
                        + "' is not a domain name; expected lower-case labels separated by dots,"
                        + " such as foobar.com");
              }
              return ok;
            });
  }

  static List<String> names(YamlNode site) {
    Map<String, YamlNode> m = site.mapping(Set.of("names")).orElse(Map.of());
    if (!m.containsKey("names")) {
      return List.of("www");
    }
    List<String> names = new ArrayList<>();
    m.get("names")
        .sequence(
            TopologyLoader.MAX_SITE_NAMES,
            "site names are allowed (a certificate names at most 100)")
        .ifPresent(
            items ->
                items.forEach(
                    i ->
                        i.string()
                            .ifPresent(
                                s -> {
                                  if (!s.equals("@")
                                      && !TopologyLoader.DNS_LABEL.matcher(s).matches()) {
                                    i.problem(
                                        "'"
                                            + Shown.value(s)
                                            + "' is not a host name label (use @ for the bare"
                                            + " domain)");
                                  } else {
                                    names.add(s);
                                  }
                                })));
    if (names.isEmpty() && m.get("names").size() <= TopologyLoader.MAX_SITE_NAMES) {
      m.get("names").problem("the site needs at least one name, such as www");
    }
    return names;
  }
}
