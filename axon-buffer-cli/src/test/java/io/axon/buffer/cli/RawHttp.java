package io.axon.buffer.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 client on a raw socket, for what real clients never send (malformed heads, bodies
 * that trickle, requests that never read their answers) and for seeing exactly what the server
 * sends back: every interim and final status line, and whether it closed the connection.
 */
final class RawHttp implements AutoCloseable {

  final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  RawHttp(int port) throws IOException {
    this(port, 0);
  }

  /** Connects with a receive buffer of {@code receiveBuffer} bytes (0: the system's default). */
  RawHttp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
  }

  RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * Reads until the server closes the connection (EOF or reset) or {@code timeoutMillis} pass.
   *
   * @return true if the connection was closed by the server in time
   */
  boolean readUntilClosed(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        received.write(buf, 0, n);
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }

  /** Reads until {@code text} has been received (or the connection ends); returns all so far. */
  String readUntil(String text, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    byte[] buf = new byte[8192];
    try {
      while (!received().contains(text)) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        received.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what arrived so far is the answer
    }
    return received();
  }

  /** Everything received so far, as ISO-8859-1 text. */
  String received() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of the first status line received, or -1. */
  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
