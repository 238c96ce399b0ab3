package io.axon.buffer.ingest;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.axon.buffer.AxonBufferException;
import java.util.ArrayList;
import java.util.List;

/** A listener that records every event, and checks the event order rules as they come. */
final class Recorder implements MultipartListener {

  final List<String> events = new ArrayList<>();
  final List<PartInfo> started = new ArrayList<>();
  final List<Part> parts = new ArrayList<>();
  MultipartSummary summary;
  AxonBufferException error;
  int terminals;
  private boolean partOpen;

  @Override
  public void onPartStart(PartInfo part) {
    check(terminals == 0, "part start after a terminal event");
    check(!partOpen, "part start while a part is open");
    check(part.index() == started.size(), "part index " + part.index());
    partOpen = true;
    started.add(part);
    events.add("start " + part.name());
  }

  @Override
  public void onPart(Part part) {
    check(terminals == 0, "part after a terminal event");
    check(partOpen, "part end without part start");
    check(part.info() == started.get(started.size() - 1), "part end of another part");
    partOpen = false;
    parts.add(part);
    events.add("part " + part.name() + " " + part.size());
  }

  @Override
  public void onComplete(MultipartSummary s) {
    check(!partOpen, "complete while a part is open");
    terminals++;
    summary = s;
    events.add("complete " + s.parts());
  }

  @Override
  public void onError(AxonBufferException e) {
    terminals++;
    error = e;
    events.add(
        "error "
            + (e instanceof MultipartException
                ? ((MultipartException) e).fault()
                : e.getClass().getSimpleName()));
  }

  /** The error, which must be a {@link MultipartException}. */
  MultipartException multipartError() {
    return assertInstanceOf(MultipartException.class, error, () -> "not a multipart fault");
  }

  void closeAll() {
    for (Part p : parts) {
      p.close();
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("event order broken: " + what);
    }
  }
}
