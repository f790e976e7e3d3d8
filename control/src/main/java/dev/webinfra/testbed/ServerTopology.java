package dev.webinfra.testbed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.webinfra.WebinfraException;
import dev.webinfra.topology.Host;
import dev.webinfra.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The topology a test bed's machines are reached by: the lab topology it was made from, each host
 * with an {@code ssh} block (its address and its interfaces' names), the shared block naming the
 * test bed's key and known_hosts, and every relative path made absolute, since the file lives
 * elsewhere.
 */
final class ServerTopology {
  // The settings whose values are paths relative to the topology's directory.
  private static final Map<String, Set<String>> PATHS =
      Map.of("app", Set.of("jar", "dir"), "tls", Set.of("cert", "key"));

  private ServerTopology() {}

  static String render(
      Topology t,
      TestbedLayout layout,
      Function<Host, String> address,
      Function<Host, Map<String, String>> interfaces) {
    Path source = Path.of(t.source()).toAbsolutePath();
    YAMLMapper yaml =
        YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    Map<String, Object> doc;
    try {
      doc =
          yaml.readValue(
              Files.readString(source), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw WebinfraException.invalidInput(
          "testbed: cannot read " + source + ": " + e.getMessage());
    }
    absolute(doc, source.getParent(), null);
    Map<String, Object> shared = new LinkedHashMap<>();
    shared.put("user", "root");
    shared.put("identity", layout.key().toString());
    shared.put("known_hosts", layout.knownHosts().toString());
    doc.put("ssh", shared);
    @SuppressWarnings("unchecked")
    Map<String, Object> hosts = (Map<String, Object>) doc.get("hosts");
    for (Host h : t.hosts()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) hosts.get(h.name());
      Map<String, Object> ssh = new LinkedHashMap<>();
      ssh.put("address", address.apply(h));
      ssh.put("interfaces", interfaces.apply(h));
      body.put("ssh", ssh);
    }
    try {
      return "# The test bed "
          + layout.lab()
          + "'s machines, reached over SSH; written by webinfra testbed up from "
          + source
          + "\n"
          + yaml.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a topology read as YAML writes as YAML", e);
    }
  }

  // Makes every relative path of an app or tls block absolute, wherever the block is.
  @SuppressWarnings("unchecked")
  private static void absolute(Object node, Path base, String parentKey) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        Set<String> paths = parentKey == null ? Set.of() : PATHS.getOrDefault(parentKey, Set.of());
        if (paths.contains(e.getKey()) && e.getValue() instanceof String s && !s.startsWith("/")) {
          e.setValue(base.resolve(s).normalize().toString());
        } else {
          absolute(e.getValue(), base, e.getKey());
        }
      }
    } else if (node instanceof Iterable<?> items) {
      items.forEach(i -> absolute(i, base, parentKey));
    }
  }
}
