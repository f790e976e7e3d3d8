package dev.webinfra.chaos;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy that delays every byte by a fixed time each way (Toxiproxy's latency toxic), for
 * kernels without netem. It runs inside the source host of a link, as its own user, and uses the
 * JDK only: chaos copies this one class into the host and starts it there.
 *
 * <p>Usage: {@code LatencyProxy LISTEN_ADDR LISTEN_PORT UPSTREAM_ADDR UPSTREAM_PORT DELAY_MS}.
 */
public final class LatencyProxy {
  private static final byte[] EOF = new byte[0];

  private LatencyProxy() {}

  /** Listens, and for each connection opens one upstream and pipes both ways with the delay. */
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: LatencyProxy LISTEN_ADDR LISTEN_PORT UP_ADDR UP_PORT DELAY_MS");
      System.exit(2);
    }
    InetSocketAddress listen = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    InetSocketAddress upstream = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(listen, 256);
      System.out.println("latency proxy " + listen + " -> " + upstream + ", +" + args[4] + " ms");
      while (true) {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> serve(client, upstream, delayNanos));
      }
    }
  }

  private static void serve(Socket client, InetSocketAddress upstream, long delayNanos) {
    try (client;
        Socket up = new Socket()) {
      up.connect(upstream, 5000);
      client.setTcpNoDelay(true);
      up.setTcpNoDelay(true);
      Thread back = Thread.ofVirtual().start(() -> pipe(up, client, delayNanos));
      pipe(client, up, delayNanos);
      back.join();
    } catch (Exception e) {
      // The peer went away: its connection ends, the proxy goes on serving others.
    }
  }

  // One reader and one writer per direction, so the delay is added once, not once per chunk.
  private static void pipe(Socket from, Socket to, long delayNanos) {
    LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    OutputStream out = to.getOutputStream();
                    while (true) {
                      Object[] item = queue.take();
                      long wait = (Long) item[0] - System.nanoTime();
                      if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                      }
                      byte[] data = (byte[]) item[1];
                      if (data == EOF) {
                        to.shutdownOutput();
                        return;
                      }
                      out.write(data);
                      out.flush();
                    }
                  } catch (Exception e) {
                    close(from);
                    close(to);
                  }
                });
    try {
      InputStream in = from.getInputStream();
      byte[] buf = new byte[16384];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        queue.put(new Object[] {System.nanoTime() + delayNanos, java.util.Arrays.copyOf(buf, n)});
      }
      queue.put(new Object[] {System.nanoTime() + delayNanos, EOF});
      writer.join();
    } catch (Exception e) {
      close(from);
      close(to);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (Exception e) {
      // Closing is best effort: it is already closed or broken.
    }
  }
}
