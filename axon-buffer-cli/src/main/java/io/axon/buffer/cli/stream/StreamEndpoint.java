package io.axon.buffer.cli.stream;

import io.axon.buffer.BufferPool;
import io.axon.buffer.Transcoders;
import io.axon.buffer.core.SlabBufferPool;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code GET /stream} of {@code serve}: telephony audio over WebSocket in, converted audio out,
 * call by call ({@link StreamCall}), tenant by tenant.
 *
 * <h2>Why Jetty's WebSocket, with its frames fed to the library's accumulator</h2>
 *
 * The upgrade, the handshake's checks, masking, ping/pong, the close handshake, idle timeouts and
 * write flow control are Jetty's (its core WebSocket, {@code jetty-websocket-core-server}, without
 * its message layer): serve already runs on Jetty, and taking a connection away from Jetty after a
 * hand-written 101 to run the library's {@code WebSocketFrameDecoder} over it would re-implement
 * all of that for no gain. What Jetty does not do is what the library is for: each frame's payload,
 * still in Jetty's network buffer, is adopted as a billed view and assembled into messages by the
 * library's {@code WebSocketMessageAccumulator} (limits, tenant billing, one copy for fragmented
 * messages and none for whole ones); Jetty's own message aggregation, which would copy every
 * message onto the heap, is not used.
 *
 * <h2>The request</h2>
 *
 * The tenant is the {@code X-Tenant} header, else the {@code tenant} query parameter (browsers and
 * telephony platforms cannot set headers), else {@code anonymous}. The format comes from the query
 * ({@link StreamFormat#fromQuery}). Every refusal (a bad query, a bad tenant name, too many calls)
 * is made after the upgrade, as a close frame with the {@link StreamFault}'s code and reason: a
 * WebSocket client (a browser's above all) sees a close code, never the status of a failed
 * handshake. permessage-deflate is not negotiated (compressing 20 ms of audio costs more than it
 * saves).
 *
 * <p>Threading: safe from any thread; each call is serialized by Jetty.
 */
public final class StreamEndpoint {

  /** The tenant billed when a call names none. */
  public static final String DEFAULT_TENANT = "anonymous";

  private final BufferPool pool;
  private final StreamOptions options;
  private final Transcoders transcoders;
  private final Duration idleTimeout;
  private final StreamCalls calls;
  private final StreamMetrics metrics;
  private final JsonFactory json;
  private final Configuration.ConfigurationCustomizer customizer;
  private final WebSocketNegotiator negotiator = new Negotiator();
  private WebSocketMappings mappings;

  /**
   * An endpoint; {@link #install} it on the server before it starts.
   *
   * @param pool the memory every call lands in
   * @param options the limits
   * @param transcoders where the conversion chains come from
   * @param idleTimeout a call that sends nothing for this long is closed
   */
  public StreamEndpoint(
      BufferPool pool, StreamOptions options, Transcoders transcoders, Duration idleTimeout) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.options = Objects.requireNonNull(options, "options");
    this.transcoders = Objects.requireNonNull(transcoders, "transcoders");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.calls = new StreamCalls(options.maxCallsPerTenant());
    this.metrics = new StreamMetrics(calls);
    this.json = MediaStreamParser.factory(options.maxMessageBytes());
    this.customizer = new Configuration.ConfigurationCustomizer();
    customizer.setIdleTimeout(idleTimeout);
    // A frame longer than a message may be is refused by Jetty's parser from its header (1009),
    // before its payload is read; a shorter one is read whole into Jetty's buffer, then adopted.
    // Auto-fragmenting (handing a long frame on in pieces) is off: with it on, Jetty skips that
    // header check, and a frame's announced length would be trusted further than its bytes.
    customizer.setAutoFragment(false);
    customizer.setMaxFrameSize(options.maxMessageBytes());
  }

  /**
   * Adds Jetty's WebSocket components to {@code server} (its buffer pool and executor).
   *
   * @param server the server, not yet started
   */
  public void install(Server server) {
    mappings = new WebSocketMappings(WebSocketServerComponents.ensureWebSocketComponents(server));
  }

  /**
   * Upgrades a {@code GET /stream} request to a call.
   *
   * @param request the request
   * @param response its response
   * @param callback its callback
   * @return false if the request is not a WebSocket upgrade (nothing was answered)
   */
  public boolean upgrade(Request request, Response response, Callback callback) {
    if (mappings == null) {
      throw new IllegalStateException("install() the endpoint before the server starts");
    }
    return mappings.upgrade(negotiator, request, response, callback, customizer);
  }

  /** {@return the calls' meters (calls and live bytes per tenant and per call, ends, latency)} */
  public StreamMetrics metrics() {
    return metrics;
  }

  /** {@return calls open now} */
  public int openCalls() {
    return calls.open();
  }

  /** {@return live bytes of the open calls (partial messages and queued echo)} */
  public long liveBytes() {
    return calls.liveBytes();
  }

  /** {@return the arrival-to-sink latency of every frame so far} */
  public LatencyHistogram latency() {
    return calls.latency();
  }

  BufferPool pool() {
    return pool;
  }

  StreamOptions options() {
    return options;
  }

  Transcoders transcoders() {
    return transcoders;
  }

  StreamCalls calls() {
    return calls;
  }

  JsonFactory json() {
    return json;
  }

  Duration idleTimeout() {
    return idleTimeout;
  }

  /** Makes the call of one upgrade request; refusals ride along to be sent as a close frame. */
  private final class Negotiator implements WebSocketNegotiator {
    @Override
    public FrameHandler negotiate(
        ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
      response.setExtensions(List.of());
      Fields query = Request.extractQueryParameters(request);
      String tenant = request.getHeaders().get("X-Tenant");
      if (tenant == null) {
        tenant = query.getValue("tenant");
      }
      if (tenant == null) {
        tenant = DEFAULT_TENANT;
      }
      StreamCallException refused = null;
      StreamFormat format = null;
      CallConverter converter = null;
      try {
        SlabBufferPool.checkTenantName(tenant);
      } catch (IllegalArgumentException e) {
        refused = new StreamCallException(StreamFault.BAD_QUERY, "tenant: " + e.getMessage());
        tenant = DEFAULT_TENANT;
      }
      if (refused == null) {
        try {
          format = StreamFormat.fromQuery(query::getValue);
          converter = new CallConverter(format, transcoders); // the chains and rates exist
        } catch (StreamCallException e) {
          refused = e;
        }
      }
      return new StreamCall(
          StreamEndpoint.this,
          calls.newCallId(),
          tenant,
          format,
          query.getValue("toRate") != null,
          converter,
          refused);
    }
  }
}
