package dev.webinfra.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/** Application jars for deploy tests: the real app with another version, and a real bad app. */
public final class Artifacts {
  private Artifacts() {}

  /**
   * A copy of {@code jar}, in {@code dir} (a test's temporary directory), whose manifest says
   * {@code version}: what X-App-Version reports.
   */
  public static Path withVersion(Path jar, String version, Path dir) {
    try (JarFile in = new JarFile(jar.toFile())) {
      Manifest m = new Manifest(in.getManifest());
      m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
      Path out = Files.createTempDirectory(dir, "jar-").resolve("app-" + version + ".jar");
      try (JarOutputStream os = new JarOutputStream(Files.newOutputStream(out), m)) {
        var entries = in.entries();
        while (entries.hasMoreElements()) {
          JarEntry e = entries.nextElement();
          if (e.getName().equals(JarFile.MANIFEST_NAME)) {
            continue;
          }
          os.putNextEntry(new JarEntry(e.getName()));
          try (InputStream is = in.getInputStream(e)) {
            is.transferTo(os);
          }
          os.closeEntry();
        }
      }
      out.toFile().setReadable(true, false);
      out.getParent().toFile().setExecutable(true, false);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // A real server on the app's port whose /health always fails: what a broken release looks like.
  private static final String UNHEALTHY =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.FileReader;
      import java.net.InetSocketAddress;
      import java.util.Properties;
      public class Unhealthy {
        public static void main(String[] a) throws Exception {
          Properties p = new Properties();
          try (FileReader r = new FileReader(a[1])) { p.load(r); }
          HttpServer s = HttpServer.create(new InetSocketAddress(
              p.getProperty("listen.address"), Integer.parseInt(p.getProperty("listen.port"))), 16);
          s.createContext("/", x -> {
            byte[] b = "{\\"status\\":\\"DOWN\\",\\"reason\\":\\"broken release\\"}".getBytes();
            x.getResponseHeaders().add("X-App-Version", "broken");
            x.sendResponseHeaders(503, b.length);
            try (var o = x.getResponseBody()) { o.write(b); }
          });
          s.start();
        }
      }
      """;

  /** A jar, in {@code work} (a test's temporary directory), that listens but answers 503. */
  static Path unhealthy(Path work) {
    try {
      Path dir = Files.createTempDirectory(work, "bad-");
      Path src = dir.resolve("Unhealthy.java");
      Files.writeString(src, UNHEALTHY, StandardCharsets.UTF_8);
      int rc =
          ToolProvider.getSystemJavaCompiler()
              .run(null, null, null, "--release", "21", "-d", dir.toString(), src.toString());
      if (rc != 0) {
        throw new IllegalStateException("javac failed on " + src);
      }
      Manifest m = new Manifest();
      m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Unhealthy");
      Path jar = dir.resolve("unhealthy.jar");
      try (OutputStream f = Files.newOutputStream(jar);
          JarOutputStream os = new JarOutputStream(f, m)) {
        for (String c : List.of("Unhealthy.class")) {
          os.putNextEntry(new JarEntry(c));
          Files.copy(dir.resolve(c), os);
          os.closeEntry();
        }
      }
      dir.toFile().setExecutable(true, false);
      jar.toFile().setReadable(true, false);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
