package io.axon.buffer.netty;

import io.axon.buffer.AxonBufferException;
import io.axon.buffer.PoolClass;
import io.axon.buffer.SizeLimitExceededException;
import io.axon.buffer.core.SlabBufferPool;
import io.axon.buffer.ingest.MultipartException;
import io.axon.buffer.ingest.MultipartListener;
import io.axon.buffer.ingest.MultipartParser;
import io.axon.buffer.ingest.MultipartSummary;
import io.axon.buffer.ingest.Part;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Streams {@code multipart/form-data} request bodies through axon-buffer's {@link MultipartParser}
 * inside a Netty pipeline: each part lands in pooled memory billed to the request's tenant (one
 * copy per payload byte, from Netty's buffers into the pool) and goes to an {@link UploadListener}.
 * The request is never aggregated: the handler holds the current part's pooled memory and at most
 * one read's worth of Netty's buffers.
 *
 * <pre>{@code
 * ch.pipeline()
 *     .addLast(new HttpServerCodec())
 *     .addLast(new MultipartUploadHandler(config, listener))  // uploads stop here
 *     .addLast(new HttpObjectAggregator(65536))                 // everything else goes on
 *     .addLast(new MyOtherRoutes());
 * }</pre>
 *
 * <h2>Where it goes</h2>
 *
 * Right after {@code HttpServerCodec} (or {@code HttpRequestDecoder} and {@code
 * HttpResponseEncoder}), before anything that aggregates or answers {@code 100 Continue}: {@link
 * HttpObjectAggregator} would hold the whole body in memory and {@link
 * HttpServerExpectContinueHandler} answers {@code 100 Continue} before this handler has looked at
 * the request, so a refused client would already be sending its body. The handler refuses to be
 * added behind either (an {@link IllegalStateException} from {@code handlerAdded}); put them after
 * it, where they see only the requests it passes on. Requests the {@link
 * MultipartUploadConfig#accepts} predicate does not take pass on untouched, with their content.
 *
 * <h2>Before the body: refusals</h2>
 *
 * On a request's head the handler checks, in this order, and answers at once (before any {@code 100
 * Continue}: a client that sent {@code Expect: 100-continue} never sends its body): the head was
 * decoded (else 400), the tenant function names a valid tenant (400), the Content-Type is {@code
 * multipart/form-data} with a valid boundary (415, or 400 for the boundary: {@link
 * MultipartException#httpStatus()}), the Content-Length is within {@link
 * MultipartUploadConfig#maxBodyBytes()} (413), an {@code Expect} other than {@code 100-continue} is
 * absent (417), and the pool would admit the tenant's first slab ({@link
 * SlabBufferPool#wouldAdmit}: 429 when the tenant is at its hard limit or the pool admits no more
 * tenants). Only then does it answer {@code 100 Continue} to a client that waits for it. A refusal
 * closes the connection: at once when the client waits for {@code 100 Continue}, else after reading
 * and dropping the rest of the body up to {@link MultipartUploadConfig#maxDrainBytes()} or {@link
 * MultipartUploadConfig#drainTimeout()}, so that the client reads the answer before the close.
 *
 * <h2>During the body</h2>
 *
 * Every {@link HttpContent}'s bytes go to the parser through {@code nioBuffers()} (no copy on the
 * way in) and the content is released. A fault of the body (grammar, a parser limit, the body limit
 * for chunked bodies), memory refused (the tenant's hard limit, admission, the system) or a failed
 * stage fails the upload: every buffer the handler holds for the request is released (the parser's
 * partial part, the contents it held back), {@link UploadListener#onFailure} is called, and the
 * error is answered with its {@link AxonBufferException#httpStatus()} (500 for other exceptions),
 * then the connection is drained and closed as above. A connection that closes or fails mid-upload
 * releases the same and calls {@code onFailure} with a {@link PrematureChannelClosureException} (or
 * the channel's exception).
 *
 * <h2>Backpressure</h2>
 *
 * The handler reads no faster than the parts' consumer: while a stage returned by {@link
 * UploadListener#onPart} is pending, the channel's auto-read is off and inbound messages (at most
 * what one read decoded) are held in order; when every stage has completed, the held messages are
 * processed and auto-read is turned back on. The handler owns the channel's auto-read setting while
 * an upload waits; leave it on otherwise. Pipelined requests wait behind the upload in the same
 * way.
 *
 * <h2>Threads and cost</h2>
 *
 * One handler per channel (not {@link ChannelHandler.Sharable}); everything runs on the channel's
 * event loop, stages may complete on any thread. Per request: the parser and one small object; per
 * part: what the parser costs (see {@link MultipartParser}) and the listener's call.
 */
public final class MultipartUploadHandler extends ChannelInboundHandlerAdapter {

  private enum State {
    /** Between requests. */
    IDLE,
    /** A request the handler does not take: it and its content go on down the pipeline. */
    PASSING,
    /** An upload's body is being parsed (or its stages awaited, once the body ended). */
    RECEIVING,
    /** A refused or failed request's remaining body is dropped until its end, then closed. */
    DRAINING,
    /** The channel is inactive. */
    CLOSED
  }

  private final MultipartUploadConfig config;
  private final UploadListener listener;

  /** Inbound messages held while the upload waits for its stages, in order. */
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private State state = State.IDLE;
  private Request current;
  private boolean paused;

  /** The answer to a refused or failed request; the close waits for it to be written. */
  private ChannelFuture answer;

  private long drained;
  private ScheduledFuture<?> drainTimer;

  /**
   * A handler for one channel.
   *
   * @param config the settings (shared between channels)
   * @param listener receives the parts and answers the uploads (may be shared between channels: it
   *     is called on each channel's event loop)
   */
  public MultipartUploadHandler(MultipartUploadConfig config, UploadListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  // ------------------------------------------------------------------ pipeline events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    checkPlace(ctx.pipeline(), ctx.handler());
  }

  /** Refuses a place behind a handler that aggregates bodies or answers 100 Continue itself. */
  private static void checkPlace(ChannelPipeline pipeline, ChannelHandler self) {
    for (Map.Entry<String, ChannelHandler> e : pipeline) {
      ChannelHandler h = e.getValue();
      if (h == self) {
        return;
      }
      if (h instanceof HttpServerExpectContinueHandler || h instanceof HttpObjectAggregator) {
        throw new IllegalStateException(
            "MultipartUploadHandler must come before "
                + h.getClass().getSimpleName()
                + " (\""
                + e.getKey()
                + "\"): "
                + (h instanceof HttpObjectAggregator
                    ? "it would hold whole bodies in memory"
                    : "it answers 100 Continue before uploads can be refused")
                + "; put it after this handler");
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(msg);
    } else if (paused || !held.isEmpty()) {
      held.add(msg);
    } else {
      handle(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    abandon("connection closed");
    ctx.fireChannelInactive();
  }

  /** Removed from the pipeline (or the channel deregistered): an upload in flight is abandoned. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    abandon("handler removed from the pipeline");
  }

  /** Releases everything held for the current request and tells the listener; idempotent. */
  private void abandon(String why) {
    state = State.CLOSED;
    cancelDrainTimer();
    Request r = current;
    current = null;
    if (r != null && !r.over) {
      r.over = true;
      abortParser(r);
      notifyFailure(
          r,
          new PrematureChannelClosureException(
              why + " after " + r.upload.bodyBytes() + " body bytes: " + r.upload));
    }
    releaseHeld();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Request r = current;
    if (r == null || r.over) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (cause instanceof IOException) {
      // The connection failed: nobody to answer.
      current = null;
      r.over = true;
      abortParser(r);
      notifyFailure(r, cause);
      releaseHeld();
      ctx.close();
    } else {
      fail(r, cause);
    }
  }

  // ------------------------------------------------------------------ messages

  private void handle(Object msg) {
    switch (state) {
      case IDLE:
        if (msg instanceof HttpRequest) {
          HttpRequest request = (HttpRequest) msg;
          if (config.accepts(request)) {
            begin(request);
            if (state == State.RECEIVING && msg instanceof HttpContent) {
              // A FullHttpRequest (an aggregator in front): its body comes with it.
              content((HttpContent) msg);
            }
          } else {
            state = msg instanceof LastHttpContent ? State.IDLE : State.PASSING;
            ctx.fireChannelRead(msg);
          }
        } else if (msg instanceof HttpContent) {
          // Content of a request already answered (refused with Expect: the client sent anyway).
          ReferenceCountUtil.release(msg);
        } else {
          ctx.fireChannelRead(msg);
        }
        break;
      case PASSING:
        if (msg instanceof LastHttpContent) {
          state = State.IDLE;
        }
        ctx.fireChannelRead(msg);
        break;
      case RECEIVING:
        if (msg instanceof HttpContent) {
          content((HttpContent) msg);
        } else {
          ReferenceCountUtil.release(msg);
        }
        break;
      case DRAINING:
        drain(msg);
        break;
      default:
        ReferenceCountUtil.release(msg);
    }
  }

  /** A request the handler takes: the checks before the body, then the parser. */
  private void begin(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      refuse(request, 400, "BadRequest", "malformed head: " + request.decoderResult().cause());
      return;
    }
    String tenant;
    try {
      tenant = config.tenantOf(request);
      if (tenant == null) {
        refuse(request, 400, "NoTenant", "the request names no tenant");
        return;
      }
      SlabBufferPool.checkTenantName(tenant);
    } catch (RuntimeException e) {
      refuse(request, 400, "InvalidTenant", e.getMessage());
      return;
    }
    String boundary;
    try {
      boundary = MultipartParser.boundaryOf(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
    } catch (MultipartException e) {
      refuse(request, e);
      return;
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > config.maxBodyBytes()) {
      refuse(
          request,
          new SizeLimitExceededException(
              "multipart body (Content-Length)", config.maxBodyBytes(), length));
      return;
    }
    if (unsupportedExpectation(request)) {
      refuse(
          request,
          417,
          "ExpectationFailed",
          "Expect: " + request.headers().get(HttpHeaderNames.EXPECT));
      return;
    }
    SlabBufferPool pool = config.pool();
    if (!pool.wouldAdmit(tenant, PoolClass.SMALL.slabBytes())) {
      boolean admitted = pool.wouldAdmit(tenant, 0);
      refuse(
          request,
          429,
          admitted ? "TenantLimitExceeded" : "TooManyTenants",
          admitted
              ? "tenant \"" + tenant + "\" is at its hard limit"
              : "the pool bills as many tenants as it admits; \"" + tenant + "\" is not one");
      return;
    }
    Upload upload = new Upload(ctx.channel(), request, tenant, boundary);
    Request r = new Request(upload, HttpUtil.isKeepAlive(request));
    r.parser = new MultipartParser(boundary, pool.forTenant(tenant), config.options(), r);
    current = r;
    state = State.RECEIVING;
    if (HttpUtil.is100ContinueExpected(request)) {
      request.headers().remove(HttpHeaderNames.EXPECT);
      ctx.writeAndFlush(
              new DefaultFullHttpResponse(
                  HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  /** An {@code Expect} header with anything but {@code 100-continue} (RFC 9110 §10.1.1: 417). */
  private static boolean unsupportedExpectation(HttpRequest request) {
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    return expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
  }

  /** A piece of the body of the current upload: to the parser, then released. */
  private void content(HttpContent content) {
    Request r = current;
    boolean last = content instanceof LastHttpContent;
    r.lastSeen = last;
    try {
      if (content.decoderResult().isFailure()) {
        Throwable cause = content.decoderResult().cause();
        fail(
            r,
            cause,
            HttpAnswers.error(ctx.alloc(), 400, "BadRequest", "malformed body framing: " + cause));
        return;
      }
      ByteBuf buf = content.content();
      r.upload.received(buf.readableBytes());
      if (r.upload.bodyBytes() > config.maxBodyBytes()) {
        fail(
            r,
            new SizeLimitExceededException(
                "multipart body", config.maxBodyBytes(), r.upload.bodyBytes()));
        return;
      }
      feed(r, buf);
      if (last && !r.over) {
        r.parser.finish();
        if (!r.over) {
          if (r.pending == 0) {
            complete(r);
          } else {
            pause();
          }
        }
      }
    } catch (StageFailed e) {
      fail(r, e.getCause());
    } catch (RuntimeException e) {
      // The listener threw (the parser aborted itself and released what it held).
      fail(r, e);
    } finally {
      content.release();
    }
  }

  private static void feed(Request r, ByteBuf buf) {
    if (!buf.isReadable()) {
      return;
    }
    int count = buf.nioBufferCount();
    if (count == 1) {
      r.parser.feed(buf.nioBuffer());
    } else if (count > 1) {
      for (ByteBuffer b : buf.nioBuffers()) {
        if (r.over) {
          return;
        }
        r.parser.feed(b);
      }
    } else {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      r.parser.feed(bytes, 0, bytes.length);
    }
  }

  /** The body ended and every stage completed: the listener's answer. */
  private void complete(Request r) {
    r.over = true;
    current = null;
    state = State.IDLE;
    FullHttpResponse response;
    try {
      response = Objects.requireNonNull(listener.onComplete(r.upload, r.summary), "response");
    } catch (RuntimeException e) {
      answerAndClose(HttpAnswers.error(ctx.alloc(), e), true);
      return;
    }
    if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
        && !HttpUtil.isTransferEncodingChunked(response)) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    boolean keepAlive = r.keepAlive && HttpUtil.isKeepAlive(response);
    HttpUtil.setKeepAlive(response, keepAlive);
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
    resume();
  }

  // ------------------------------------------------------------------ refusals and failures

  private void refuse(HttpRequest request, AxonBufferException e) {
    refuse(request, e.httpStatus(), e.getClass().getSimpleName(), e.getMessage());
  }

  /** Answers a request before its body; see the class comment for when the connection closes. */
  private void refuse(HttpRequest request, int status, String fault, String message) {
    boolean waiting = HttpUtil.is100ContinueExpected(request);
    // After a head it could not decode, the codec drops the rest of the connection's bytes and
    // sends nothing more: there is no body to wait for.
    boolean bodyEnded = request instanceof LastHttpContent || request.decoderResult().isFailure();
    ReferenceCountUtil.release(request);
    answerAndClose(HttpAnswers.error(ctx.alloc(), status, fault, message), waiting || bodyEnded);
  }

  private void fail(Request r, Throwable cause) {
    fail(r, cause, HttpAnswers.error(ctx.alloc(), unwrap(cause)));
  }

  /**
   * Fails the current upload: releases what the handler holds for it, tells the listener, answers
   * and drains.
   */
  private void fail(Request r, Throwable cause, FullHttpResponse answer) {
    if (r.over || r != current) {
      answer.release();
      return;
    }
    r.over = true;
    current = null;
    abortParser(r);
    notifyFailure(r, unwrap(cause));
    boolean bodyEnded = r.lastSeen;
    for (Object m : held) {
      bodyEnded |= m instanceof LastHttpContent;
    }
    releaseHeld();
    answerAndClose(answer, bodyEnded);
  }

  /**
   * Writes {@code response} (which says {@code Connection: close}), then closes: once written if
   * {@code now}, else after draining the rest of the request's body (bounded by the config).
   */
  private void answerAndClose(FullHttpResponse response, boolean now) {
    state = State.DRAINING;
    paused = false;
    answer = ctx.writeAndFlush(response);
    if (now) {
      closeAfterAnswer();
      return;
    }
    drained = 0;
    ctx.channel().config().setAutoRead(true);
    drainTimer =
        ctx.executor()
            .schedule(
                this::closeAfterAnswer, config.drainTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void drain(Object msg) {
    try {
      if (msg instanceof HttpContent) {
        drained += ((HttpContent) msg).content().readableBytes();
        if (msg instanceof LastHttpContent || drained > config.maxDrainBytes()) {
          closeAfterAnswer();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void closeAfterAnswer() {
    cancelDrainTimer();
    answer.addListener(ChannelFutureListener.CLOSE);
  }

  private void cancelDrainTimer() {
    if (drainTimer != null) {
      drainTimer.cancel(false);
      drainTimer = null;
    }
  }

  /** Ends the parser if it is still running (its events are ignored: {@code r.over} is set). */
  private static void abortParser(Request r) {
    if (r.parser != null && !r.parser.isDone()) {
      r.parser.finish();
    }
  }

  private void notifyFailure(Request r, Throwable cause) {
    try {
      listener.onFailure(r.upload, cause);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private void releaseHeld() {
    Object m;
    while ((m = held.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ------------------------------------------------------------------ backpressure

  private void pause() {
    if (!paused) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Processes what was held while paused, then reads again (unless it paused again). */
  private void resume() {
    paused = false;
    Object m;
    while (!paused && state != State.CLOSED && (m = held.poll()) != null) {
      handle(m);
    }
    if (!paused && state != State.CLOSED) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** A stage of {@code r} completed (on the event loop). */
  private void stageDone(Request r, Throwable error) {
    r.pending--;
    if (r.over || r != current) {
      return;
    }
    if (error != null) {
      fail(r, error);
    } else if (r.pending == 0) {
      if (r.summary != null) {
        complete(r);
      } else {
        resume();
      }
    }
  }

  // ------------------------------------------------------------------ one request

  /** Thrown out of the parser's callback when a stage came back already failed. */
  private static final class StageFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StageFailed(Throwable cause) {
      super(cause);
    }
  }

  /** One upload: its parser's listener and its state. */
  private final class Request implements MultipartListener {
    final Upload upload;
    final boolean keepAlive;
    MultipartParser parser;

    /** Stages returned by the listener and not yet completed. */
    int pending;

    /** Set when the parser saw the close delimiter and the input ended. */
    MultipartSummary summary;

    /** Completed, failed or abandoned: the parser's further events are ignored. */
    boolean over;

    /** The request's LastHttpContent was received. */
    boolean lastSeen;

    Request(Upload upload, boolean keepAlive) {
      this.upload = upload;
      this.keepAlive = keepAlive;
    }

    @Override
    public void onPart(Part part) {
      if (over) {
        part.close();
        return;
      }
      upload.partDelivered();
      CompletionStage<?> stage = listener.onPart(upload, part);
      if (stage == null) {
        return;
      }
      if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
        CompletableFuture<?> done = (CompletableFuture<?>) stage;
        if (done.isCompletedExceptionally()) {
          try {
            done.join();
          } catch (RuntimeException e) {
            throw new StageFailed(unwrap(e));
          }
        }
        return;
      }
      pending++;
      pause();
      stage.whenComplete((v, e) -> ctx.executor().execute(() -> stageDone(this, e)));
    }

    @Override
    public void onComplete(MultipartSummary summary) {
      this.summary = summary;
    }

    @Override
    public void onError(AxonBufferException error) {
      if (!over) {
        fail(this, error);
      }
    }
  }
}
