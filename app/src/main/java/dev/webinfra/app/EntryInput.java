package dev.webinfra.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A new guestbook entry as a client sent it, validated: author 1..64 characters, message 1..500.
 */
public record EntryInput(String author, String message) {
  static final int MAX_AUTHOR = 64;
  static final int MAX_MESSAGE = 500;
  static final String JSON_TYPE = "application/json";
  static final String FORM_TYPE = "application/x-www-form-urlencoded";

  // "{...} trailing junk" is garbage too, not an entry with a tail ignored.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Whether a Content-Type header names an HTML form post (answered with a redirect, not JSON). */
  static boolean isForm(String contentType) {
    return mediaType(contentType).equals(FORM_TYPE);
  }

  /**
   * Parses a body of the given content type; 415 for other types, 400 naming the field at fault.
   */
  public static EntryInput parse(String contentType, String body) throws Rejected {
    String charset = param(contentType, "charset");
    if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
      throw new Rejected(415, "content type charset must be UTF-8, was '" + charset + "'");
    }
    Map<String, String> fields =
        switch (mediaType(contentType)) {
          case JSON_TYPE -> json(body);
          case FORM_TYPE -> form(body);
          default ->
              throw new Rejected(
                  415,
                  "content type must be "
                      + JSON_TYPE
                      + " or "
                      + FORM_TYPE
                      + ", was '"
                      + (contentType == null ? "" : contentType)
                      + "'");
        };
    return new EntryInput(
        field(fields, "author", MAX_AUTHOR), field(fields, "message", MAX_MESSAGE));
  }

  private static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  private static String param(String contentType, String name) {
    if (contentType == null) {
      return null;
    }
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2 && kv[0].strip().equalsIgnoreCase(name)) {
        return kv[1].strip().replace("\"", "");
      }
    }
    return null;
  }

  private static Map<String, String> json(String body) throws Rejected {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Rejected(400, "body is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new Rejected(400, "body must be a JSON object with fields author and message");
    }
    Map<String, String> out = new HashMap<>();
    for (String f : new String[] {"author", "message"}) {
      JsonNode v = node.get(f);
      if (v != null && !v.isNull()) {
        if (!v.isTextual()) {
          throw new Rejected(
              400,
              "field "
                  + f
                  + " must be a string, was "
                  + v.getNodeType().name().toLowerCase(Locale.ROOT));
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
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(k, v);
    }
    return out;
  }

  // URLDecoder would turn a malformed %-escaped UTF-8 sequence into U+FFFD; the app stores what was
  // sent or refuses it.
  private static String decode(String s) throws Rejected {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= s.length()
            || !HexFormat.isHexDigit(s.charAt(i + 1))
            || !HexFormat.isHexDigit(s.charAt(i + 2))) {
          throw new Rejected(
              400,
              "form body is not valid URL encoding: bad escape at '"
                  + s.substring(i, Math.min(s.length(), i + 3))
                  + "'");
        }
        bytes.write(HexFormat.fromHexDigits(s, i + 1, i + 3));
        i += 2;
      } else {
        // By code point: a character outside the BMP is two chars, and half of one encodes as '?'.
        int cp = s.codePointAt(i);
        bytes.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp) - 1;
      }
    }
    return RequestBody.utf8(bytes.toByteArray(), "form field");
  }

  private static String field(Map<String, String> fields, String name, int max) throws Rejected {
    String v = fields.get(name);
    if (v == null || v.isBlank()) {
      throw new Rejected(400, "field " + name + " is required (1 to " + max + " characters)");
    }
    v = v.strip();
    // MariaDB's VARCHAR(n) counts characters (code points), not UTF-16 units: an emoji is one.
    int length = v.codePointCount(0, v.length());
    if (length > max) {
      throw new Rejected(
          400, "field " + name + " is too long: at most " + max + " characters, was " + length);
    }
    return v;
  }
}
