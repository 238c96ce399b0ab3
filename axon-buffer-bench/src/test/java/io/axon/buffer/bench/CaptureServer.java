package io.axon.buffer.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 that records what a client really sends: each request's
 * {@code Content-Type} and body bytes (de-chunked when the client streams them with {@code
 * Transfer-Encoding: chunked}), answered with an empty 200 and the connection closed. One
 * connection at a time, on a daemon thread; for tests only.
 */
final class CaptureServer implements AutoCloseable {

  /** One request as it arrived: the Content-Type header and the body. */
  record Captured(String contentType, byte[] body) {}

  private final ServerSocket socket;
  private final BlockingQueue<Object> requests = new ArrayBlockingQueue<>(16);
  private final Thread thread;

  CaptureServer() throws IOException {
    socket = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "capture-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** {@code http://127.0.0.1:port/}. */
  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/";
  }

  /** The next request received (or the error reading it), waiting up to 10 s. */
  Captured take() throws Exception {
    Object o = requests.poll(10, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no request arrived within 10 s");
    }
    if (o instanceof Exception e) {
      throw e;
    }
    return (Captured) o;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        requests.add(read(s.getInputStream()));
        OutputStream out = s.getOutputStream();
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          requests.add(e);
        }
      }
    }
  }

  private static Captured read(InputStream in) throws IOException {
    String contentType = null;
    long length = -1;
    boolean chunked = false;
    String line = line(in); // the request line
    while (!(line = line(in)).isEmpty()) {
      int colon = line.indexOf(':');
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-type" -> contentType = value;
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        default -> {}
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      int size;
      while ((size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0) {
        body.write(in.readNBytes(size));
        line(in); // the CRLF after the chunk
      }
      while (!line(in).isEmpty()) {} // trailers
    } else if (length >= 0) {
      body.write(in.readNBytes((int) length));
    }
    return new Captured(contentType, body.toByteArray());
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed inside a line: " + b);
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    socket.close();
    thread.join(5000);
  }
}
