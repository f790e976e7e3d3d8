package dev.webinfra.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** Reads a request body of at most {@link #MAX_BYTES} bytes as strict UTF-8. */
final class RequestBody {
  /** A guestbook entry is well under 2 KiB even in JSON; anything larger is not one. */
  static final int MAX_BYTES = 16 * 1024;

  private RequestBody() {}

  /** The body as text; 413 when too large, 400 when not UTF-8. */
  static String read(Request request) throws Rejected, IOException {
    long declared = request.getLength();
    if (declared > MAX_BYTES) {
      throw new Rejected(413, "body too large: " + declared + " bytes, at most " + MAX_BYTES);
    }
    // Read one byte past the limit, whatever Content-Length said: a chunked body declares nothing.
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new Rejected(413, "body too large: more than " + MAX_BYTES + " bytes");
      }
      return utf8(bytes, "body");
    }
  }

  /** Decodes {@code bytes}, refusing malformed UTF-8 instead of replacing it with U+FFFD. */
  static String utf8(byte[] bytes, String what) throws Rejected {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Rejected(400, what + " is not valid UTF-8", e);
    }
  }
}
