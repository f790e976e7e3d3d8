package dev.webinfra.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the application server: {@code java -jar webinfra-app.jar --config app.properties}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    Logger log = LoggerFactory.getLogger(Main.class);
    if (args.length != 2 || !args[0].equals("--config")) {
      System.err.println("usage: java -jar webinfra-app.jar --config FILE");
      System.exit(2);
    }
    Path file = Path.of(args[1]);
    AppConfig config;
    try {
      config = AppConfig.load(file);
    } catch (AppConfig.Invalid e) {
      System.err.println("webinfra-app: " + e.getMessage());
      System.exit(2);
      return;
    }
    AppServer app = new AppServer(config, Clock.systemUTC());
    app.start();
    log.info("serving {} on {}:{}; writes to {}, reads from {}", config.siteName(), config.listenAddress(), app.port(),
        config.writeUrl(), config.readUrls());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        app.close();
        log.info("stopped");
      } catch (Exception e) {
        log.warn("stop: {}", e.toString());
      }
    }, "shutdown"));
    watch(file, app, log);
  }

  // A promotion rewrites the config with the new primary; the app follows within a second, without a restart.
  private static void watch(Path file, AppServer app, Logger log) {
    Thread.ofVirtual().name("config-watch").start(() -> {
      FileTime seen = mtime(file);
      while (true) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
        FileTime now = mtime(file);
        if (now != null && !now.equals(seen)) {
          seen = now;
          try {
            app.db().reconfigure(AppConfig.load(file));
          } catch (RuntimeException e) {
            log.warn("config {} changed but cannot be used, keeping the old one: {}", file, e.getMessage());
          }
        }
      }
    });
  }

  private static FileTime mtime(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
