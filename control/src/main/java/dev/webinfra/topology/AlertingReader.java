package dev.webinfra.topology;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the top-level {@code monitoring:} block: {@code notify: [URL, ...]}. */
final class AlertingReader {
  private AlertingReader() {}

  static Alerting read(YamlNode node) {
    if (node.isNull()) {
      return Alerting.NONE;
    }
    Map<String, YamlNode> m = node.mapping(Set.of("notify")).orElse(Map.of());
    if (!m.containsKey("notify")) {
      return Alerting.NONE;
    }
    List<URI> out = new ArrayList<>();
    for (YamlNode item : m.get("notify").sequence().orElse(List.of())) {
      item.string().ifPresent(s -> url(item, s, out));
    }
    return new Alerting(out);
  }

  private static void url(YamlNode item, String text, List<URI> out) {
    try {
      URI u = new URI(text.strip());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        item.problem(
            "'"
                + Shown.value(text)
                + "' is not a webhook URL; expected http://HOST[:PORT]/PATH or https://...");
        return;
      }
      if (out.contains(u)) {
        item.problem("'" + Shown.value(text) + "' is listed twice");
        return;
      }
      out.add(u);
    } catch (URISyntaxException e) {
      item.problem("'" + Shown.value(text) + "' is not a URL: " + e.getReason());
    }
  }
}
