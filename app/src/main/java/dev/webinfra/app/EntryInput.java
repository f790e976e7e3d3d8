package dev.webinfra.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A new guestbook entry as a client sent it, validated: author 1..64 characters, message 1..500. */
public record EntryInput(String author, String message) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request the app refuses, with the status and a message naming the field. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Rejected(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Parses a body of the given content type. */
  public static EntryInput parse(String contentType, String body) throws Rejected {
    String type = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
    Map<String, String> fields = switch (type) {
      case "application/json" -> json(body);
      case "application/x-www-form-urlencoded" -> form(body);
      default -> throw new Rejected(415, "content type must be application/json or application/x-www-form-urlencoded, was '"
          + (contentType == null ? "" : contentType) + "'");
    };
    return new EntryInput(field(fields, "author", 64), field(fields, "message", 500));
  }

  private static Map<String, String> json(String body) throws Rejected {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (Exception e) {
      throw new Rejected(400, "body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      throw new Rejected(400, "body must be a JSON object with fields author and message");
    }
    Map<String, String> out = new HashMap<>();
    for (String f : new String[] {"author", "message"}) {
      JsonNode v = node.get(f);
      if (v != null && !v.isNull()) {
        if (!v.isTextual()) {
          throw new Rejected(400, "field " + f + " must be a string");
        }
        out.put(f, v.asText());
      }
    }
    return out;
  }

  private static Map<String, String> form(String body) throws Rejected {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        throw new Rejected(400, "form body is not valid URL encoding: " + e.getMessage());
      }
    }
    return out;
  }

  private static String field(Map<String, String> fields, String name, int max) throws Rejected {
    String v = fields.get(name);
    if (v == null || v.isBlank()) {
      throw new Rejected(400, "field " + name + " is required (1 to " + max + " characters)");
    }
    v = v.strip();
    if (v.codePointCount(0, v.length()) > max) {
      throw new Rejected(400, "field " + name + " is too long: at most " + max + " characters, was " + v.codePointCount(0, v.length()));
    }
    return v;
  }
}
