package io.axon.buffer.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A whole multipart body parsed into memory by {@link MultipartParser#parse}: its parts in order
 * and its summary. Closing it closes every part. Each part's payload is pooled memory billed to the
 * allocator's tenant until closed.
 */
public final class MultipartBody implements AutoCloseable {

  private final List<Part> parts;
  private final MultipartSummary summary;

  MultipartBody(List<Part> parts, MultipartSummary summary) {
    this.parts = Collections.unmodifiableList(new ArrayList<>(parts));
    this.summary = summary;
  }

  /** The parts in the order sent (duplicate field names kept). */
  public List<Part> parts() {
    return parts;
  }

  /** The summary (part count, preamble and epilogue bytes). */
  public MultipartSummary summary() {
    return summary;
  }

  /** The first part named {@code name}. */
  public Optional<Part> part(String name) {
    for (Part p : parts) {
      if (p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Every part named {@code name}, in order. */
  public List<Part> parts(String name) {
    List<Part> out = new ArrayList<>();
    for (Part p : parts) {
      if (p.name().equals(name)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Closes every part. Idempotent. */
  @Override
  public void close() {
    for (Part p : parts) {
      p.close();
    }
  }
}
